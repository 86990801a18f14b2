// Every FAASBOX_* variable (wrangler.toml [vars], .dev.vars, `--var`), parsed once into typed values with units.
// A leaf that imports nothing and uses only erasable TypeScript, so scripts/start.mjs loads it in Node too.

/** The platform's configuration. Defaults are wrangler.toml's values; docs of each variable there. */
export interface Config {
  /** FAASBOX_REGION: the region in every ARN and function URL host. */
  region: string;
  /** FAASBOX_ADMIN_ACCOUNT_ID: the local admin account's 12-digit id. */
  adminAccountId: string;
  /** FAASBOX_ACCESS_KEY_ID (.dev.vars): the admin account's key id; undefined when not set. */
  adminAccessKeyId: string | undefined;
  /** FAASBOX_SECRET_ACCESS_KEY (.dev.vars): its secret; undefined when not set. */
  adminSecretAccessKey: string | undefined;
  /**
   * FAASBOX_ENCRYPTION_KEY (.dev.vars; a Worker secret in production): the root key of encryption
   * at rest, 32 bytes as base64 (src/crypto/envelope.ts); undefined when not set.
   */
  encryptionKey: string | undefined;
  /** FAASBOX_SANDBOX_MEMORY_CEILING_MB: hard cap of one environment's WASM memory. */
  sandboxMemoryCeilingMb: number;
  /** FAASBOX_POOL_BUDGET_MB: WASM memory all warm environments of an isolate may hold together. */
  poolBudgetMb: number;
  /** FAASBOX_POOL_SPARE_ENVIRONMENTS: environments an isolate keeps bootstrapped, with no function yet, for its next cold starts. */
  poolSpareEnvironments: number;
  /** FAASBOX_ACCOUNT_CONCURRENCY: concurrent executions of an account without a limit of its own. */
  accountConcurrency: number;
  /** FAASBOX_LEASE_GRACE_SECONDS: how long a concurrency lease outlives its invocation's timeout. */
  leaseGraceSeconds: number;
  /** FAASBOX_ASYNC_RETRY_DELAYS_SECONDS: delay before each retry of a failed async event (the last repeats). */
  asyncRetryDelaysSeconds: readonly number[];
  /** FAASBOX_THROTTLE_BACKOFF_MAX_SECONDS: cap of the exponential backoff (from 1 s) after a throttle. */
  throttleBackoffMaxSeconds: number;
  /** FAASBOX_LOG_INGEST_BYTES_PER_SECOND: console output one function may write to its log group. */
  logIngestBytesPerSecond: number;
  /** FAASBOX_LOG_INGEST_BURST_BYTES: the burst above that rate. */
  logIngestBurstBytes: number;
  /** FAASBOX_OTLP_ENDPOINT: OpenTelemetry collector base URL; undefined (empty) for no export. */
  otlpEndpoint: string | undefined;
  /** FAASBOX_URL_DOMAIN: function URLs answer at `<url-id>.lambda-url.<region>.<this domain>`. */
  urlDomain: string;
  /** FAASBOX_S3_DOMAIN: S3's virtual-host requests go to `<bucket>.<this domain>` (docs/S3.md). */
  s3Domain: string;
  /** FAASBOX_PRICE_PER_MILLION_REQUESTS: a decimal string as configured (billing/money.ts makes it exact). */
  pricePerMillionRequestsUsd: string;
  /** FAASBOX_PRICE_PER_GB_SECOND: a decimal string as configured. */
  pricePerGbSecondUsd: string;
  /** FAASBOX_FREE_TIER_REQUESTS: requests free each month, per account. */
  freeTierRequests: bigint;
  /** FAASBOX_FREE_TIER_GB_SECONDS: GB-seconds free each month, per account, a decimal string as configured. */
  freeTierGbSeconds: string;
  /** FAASBOX_BILLED_DURATION_GRANULARITY_MS: billed duration is rounded up to a multiple of this. */
  billedDurationGranularityMs: number;
  /** FAASBOX_EGRESS_ALLOW: host[:port] functions may fetch although an egress rule refuses them (docs/SECURITY.md). */
  egressAllow: readonly EgressHostEntry[];
  /** FAASBOX_EGRESS_DENY: the platform's other hosts; functions may fetch neither them nor any name under them. */
  egressDeny: readonly string[];
  /** FAASBOX_API_RATE_PER_KEY_PER_SECOND: signed API requests one access key may send each second (0: no limit). */
  apiRatePerKeyPerSecond: number;
  /** FAASBOX_API_BURST_PER_KEY: requests above that rate one key may send at once. */
  apiBurstPerKey: number;
  /** FAASBOX_API_RATE_PER_ADDRESS_PER_SECOND: signed API requests one source address may send each second (0: no limit). */
  apiRatePerAddressPerSecond: number;
  /** FAASBOX_API_BURST_PER_ADDRESS: requests above that rate one address may send at once. */
  apiBurstPerAddress: number;
  /** FAASBOX_AUTH_FAILURES_PER_MINUTE: failed authentications forgiven each minute, per address and per key id (0: not counted). */
  authFailuresPerMinute: number;
  /** FAASBOX_AUTH_FAILURE_BURST: failed authentications in a row before further requests are refused. */
  authFailureBurst: number;
  /** FAASBOX_IAM_POLICY_CACHE_SECONDS: how long an isolate reuses a principal's IAM policies before reading them again (docs/IAM.md). */
  iamPolicyCacheSeconds: number;
  /** FAASBOX_FUNCTION_CACHE_SECONDS: how long an isolate runs invocations on a function configuration it resolved before resolving it again (docs/SCALING.md). */
  functionCacheSeconds: number;
  /** FAASBOX_PLAYGROUND: 'on' lets anyone create a playground sandbox (docs/PLAYGROUND.md); 'off' is the kill switch (503). */
  playgroundEnabled: boolean;
  /** FAASBOX_PLAYGROUND_POW_COST: the proof of work's largest number (the browser tries about half of them). */
  playgroundPowCost: number;
  /** FAASBOX_TURNSTILE_SITE_KEY: Turnstile's site key for the landing page; undefined (empty): no Turnstile. */
  turnstileSiteKey: string | undefined;
  /** FAASBOX_TURNSTILE_SECRET (a Worker secret): when set, creating a sandbox also needs a Turnstile token. */
  turnstileSecret: string | undefined;
  /** FAASBOX_PLAYGROUND_IDLE_SECONDS: a sandbox ends this long after its last signed API request. */
  playgroundIdleSeconds: number;
  /** FAASBOX_PLAYGROUND_MAX_SECONDS: a sandbox ends this long after it was created, active or not. */
  playgroundMaxSeconds: number;
  /** FAASBOX_PLAYGROUND_LIVE_PER_ADDRESS: live sandboxes one client address may have. */
  playgroundLivePerAddress: number;
  /** FAASBOX_PLAYGROUND_DAILY_PER_ADDRESS: sandboxes one client address may create per UTC day. */
  playgroundDailyPerAddress: number;
  /** FAASBOX_PLAYGROUND_BURST_PER_ADDRESS: sandboxes one client address may create within a minute. */
  playgroundBurstPerAddress: number;
  /** FAASBOX_PLAYGROUND_LIVE_MAX: live sandboxes of the whole deployment. */
  playgroundLiveMax: number;
  /** FAASBOX_PLAYGROUND_FUNCTIONS: functions per sandbox. */
  playgroundFunctions: number;
  /** FAASBOX_PLAYGROUND_ZIP_BYTES: a sandbox's zip package, decoded. */
  playgroundZipBytes: number;
  /** FAASBOX_PLAYGROUND_UNZIPPED_BYTES: a sandbox's package, unzipped. */
  playgroundUnzippedBytes: number;
  /** FAASBOX_PLAYGROUND_TIMEOUT_MAX_SECONDS: the largest Timeout of a sandbox's function. */
  playgroundTimeoutMaxSeconds: number;
  /** FAASBOX_PLAYGROUND_CONCURRENCY: a sandbox's account concurrency limit. */
  playgroundConcurrency: number;
  /** FAASBOX_PLAYGROUND_INVOCATIONS_PER_MINUTE: invocations of a sandbox per minute, from every source. */
  playgroundInvocationsPerMinute: number;
  /** FAASBOX_PLAYGROUND_INVOCATIONS_TOTAL: invocations of a sandbox in its whole life. */
  playgroundInvocationsTotal: number;
  /** FAASBOX_PLAYGROUND_FUNCTION_URLS: function URLs per sandbox. */
  playgroundFunctionUrls: number;
  /** FAASBOX_PLAYGROUND_URL_REQUESTS_PER_MINUTE: public requests per minute to each of a sandbox's function URLs. */
  playgroundUrlRequestsPerMinute: number;
  /** FAASBOX_PLAYGROUND_SCHEDULES: schedule rules per sandbox. */
  playgroundSchedules: number;
  /** FAASBOX_PLAYGROUND_SCHEDULE_MIN_SECONDS: a sandbox's schedules fire at most this often. */
  playgroundScheduleMinSeconds: number;
  /** FAASBOX_PLAYGROUND_QUEUES: queues per sandbox. */
  playgroundQueues: number;
  /** FAASBOX_PLAYGROUND_QUEUE_MESSAGES: messages one queue of a sandbox may hold. */
  playgroundQueueMessages: number;
  /** FAASBOX_PLAYGROUND_LOG_BYTES: log events a sandbox may keep stored, in bytes. */
  playgroundLogBytes: number;
  /** FAASBOX_PLAYGROUND_API_CALLS_PER_MINUTE: signed API requests per minute of a sandbox's keys. */
  playgroundApiCallsPerMinute: number;
  /** FAASBOX_PLAYGROUND_COST_CAP_USD: list price (no free tier) a sandbox's invocations may cost, a decimal string. */
  playgroundCostCapUsd: string;
  /** FAASBOX_PLAYGROUND_ASYNC_RETRY_DELAYS_SECONDS: a sandbox's async retry delays, short so retry -> DLQ is seen. */
  playgroundAsyncRetryDelaysSeconds: readonly number[];
  /** FAASBOX_PLAYGROUND_EGRESS: 'off' (sandbox functions cannot fetch) or 'on' (https only, within the playground's caps). */
  playgroundEgress: boolean;
  /** FAASBOX_PLAYGROUND_SHARE_TTL_SECONDS: how long a share link lives. */
  playgroundShareTtlSeconds: number;
  /**
   * FAASBOX_UNKNOWN_ROLES: what a function whose execution role does not exist in its account may do
   * (docs/IAM.md, "Execution roles"): 'refuse' (Create/UpdateFunctionConfiguration refuse the role, as
   * Lambda; a function stored before runs with no permission), 'basic-execution' (accepted, with
   * AWSLambdaBasicExecutionRole's document) or 'allow-all' (accepted, every permission in its account).
   */
  unknownRoles: UnknownRoles;
}

/** FAASBOX_UNKNOWN_ROLES's values. */
export type UnknownRoles = 'refuse' | 'basic-execution' | 'allow-all';

/** One host[:port] entry: the host as the URL parser serialises it (`127.0.0.1`, `[::1]`); any port when absent. */
export interface EgressHostEntry {
  hostname: string;
  port?: number;
}

/** One variable: its name, wrangler.toml's value when it is not set, and what a good value is. */
interface Variable<Name extends string, T> {
  name: Name;
  defaultText: string | undefined;
  /** Completes "<name> must be ...", e.g. "a whole number of MiB >= 0". */
  expected: string;
  /** The value of `text`, or MALFORMED. */
  parse(text: string): T | typeof MALFORMED;
}

const MALFORMED = Symbol('malformed');

function variable<const Name extends string, T>(name: Name, defaultText: string | undefined, expected: string, parse: (text: string) => T | typeof MALFORMED): Variable<Name, T> {
  return { name, defaultText, expected, parse };
}

/** A queue message's longest delay (Cloudflare Queues: 12 hours), which retries and backoffs are sent with. */
const MAX_QUEUE_DELAY_SECONDS = 43_200;
/** Decimals a price or free tier may have: billing/money.ts's sums stay exact with at most this many. */
const MAX_PRICE_DECIMALS = 16;

function wholeNumber(text: string, min: number, max = Number.MAX_SAFE_INTEGER): number | typeof MALFORMED {
  const value = /^\d{1,16}$/.test(text.trim()) ? Number(text) : NaN;
  return value >= min && value <= max ? value : MALFORMED;
}

function whole<const Name extends string>(name: Name, defaultText: string, min: number, unit: string) {
  return variable(name, defaultText, `a whole number of ${unit} >= ${min}`, (text) => wholeNumber(text, min));
}

function matching(pattern: RegExp) {
  return (text: string) => (pattern.test(text) ? text : MALFORMED);
}

/** The host as the WHATWG URL parser serialises it, or MALFORMED: what a fetched URL's hostname is compared with. */
function urlHostname(host: string): string | typeof MALFORMED {
  try {
    const url = new URL(`http://${host}/`);
    return url.host === url.hostname && url.username === '' ? url.hostname.replace(/\.+$/, '') : MALFORMED;
  } catch {
    return MALFORMED;
  }
}

/** A comma-separated list (empty for none) of which every entry parses, or MALFORMED. */
function list<T>(parse: (entry: string) => T | typeof MALFORMED) {
  return (text: string): readonly T[] | typeof MALFORMED => {
    if (text.trim() === '') return Object.freeze([]);
    const entries = text.split(',').map((entry) => parse(entry.trim()));
    return entries.includes(MALFORMED) ? MALFORMED : Object.freeze(entries as T[]);
  };
}

function egressHostEntry(entry: string): EgressHostEntry | typeof MALFORMED {
  const parts = /^(\[[0-9A-Fa-f:.]+\]|[^\s:/@?#[\]]+)(?::(\d{1,5}))?$/.exec(entry);
  if (!parts) return MALFORMED;
  const hostname = urlHostname(parts[1]);
  const port = parts[2] === undefined ? undefined : Number(parts[2]);
  if (hostname === MALFORMED || (port !== undefined && (port < 1 || port > 65_535))) return MALFORMED;
  return port === undefined ? { hostname } : { hostname, port };
}

/** Delays before each retry of a failed async event. */
function retryDelays<const Name extends string>(name: Name, defaultText: string) {
  return variable(name, defaultText, `comma-separated whole numbers of seconds from 0 to ${MAX_QUEUE_DELAY_SECONDS}`, (text) => {
    const delays = text.split(',').map((part) => wholeNumber(part, 0, MAX_QUEUE_DELAY_SECONDS));
    return delays.every((delay) => delay !== MALFORMED) ? Object.freeze(delays as number[]) : MALFORMED;
  });
}

function onOff<const Name extends string>(name: Name, defaultText: 'on' | 'off') {
  return variable(name, defaultText, "'on' or 'off'", (text) => (text === 'on' ? true : text === 'off' ? false : MALFORMED));
}

/** A text that may be empty (undefined). */
const optional = (text: string) => (text === '' ? undefined : text);

const decimal = matching(new RegExp(`^\\s*\\d+(?:\\.\\d{1,${MAX_PRICE_DECIMALS}})?\\s*$`));
const DNS_DOMAIN_EXPECTED = 'a DNS domain such as localhost or example.com';
const DNS_DOMAIN = matching(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/);
const DECIMAL_EXPECTED = `a non-negative decimal with at most ${MAX_PRICE_DECIMALS} decimals`;

const VARIABLES = {
  region: variable('FAASBOX_REGION', 'us-east-1', 'a region name of lowercase letters, digits and hyphens, such as us-east-1', matching(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)),
  adminAccountId: variable('FAASBOX_ADMIN_ACCOUNT_ID', '123456789012', 'a 12-digit account id', matching(/^\d{12}$/)),
  adminAccessKeyId: variable('FAASBOX_ACCESS_KEY_ID', undefined, 'a string', (text) => text),
  adminSecretAccessKey: variable('FAASBOX_SECRET_ACCESS_KEY', undefined, 'a string', (text) => text),
  // 32 bytes are 43 base64 digits and one '=' (`openssl rand -base64 32`).
  encryptionKey: variable('FAASBOX_ENCRYPTION_KEY', undefined, '32 random bytes in base64 (44 characters, e.g. from openssl rand -base64 32)', matching(/^[A-Za-z0-9+/]{43}=$/)),
  sandboxMemoryCeilingMb: whole('FAASBOX_SANDBOX_MEMORY_CEILING_MB', '64', 1, 'MiB'),
  poolBudgetMb: whole('FAASBOX_POOL_BUDGET_MB', '80', 0, 'MiB'),
  poolSpareEnvironments: whole('FAASBOX_POOL_SPARE_ENVIRONMENTS', '1', 0, 'environments'),
  accountConcurrency: whole('FAASBOX_ACCOUNT_CONCURRENCY', '1000', 0, 'concurrent executions'),
  leaseGraceSeconds: whole('FAASBOX_LEASE_GRACE_SECONDS', '30', 0, 'seconds'),
  asyncRetryDelaysSeconds: retryDelays('FAASBOX_ASYNC_RETRY_DELAYS_SECONDS', '60,120'),
  throttleBackoffMaxSeconds: variable(
    'FAASBOX_THROTTLE_BACKOFF_MAX_SECONDS', '300', `a whole number of seconds from 1 to ${MAX_QUEUE_DELAY_SECONDS}`,
    (text) => wholeNumber(text, 1, MAX_QUEUE_DELAY_SECONDS),
  ),
  logIngestBytesPerSecond: whole('FAASBOX_LOG_INGEST_BYTES_PER_SECOND', '1048576', 1, 'bytes per second'),
  logIngestBurstBytes: whole('FAASBOX_LOG_INGEST_BURST_BYTES', '5242880', 1, 'bytes'),
  otlpEndpoint: variable('FAASBOX_OTLP_ENDPOINT', '', 'empty (no export) or an http:// or https:// URL', (text) => {
    if (text === '') return undefined;
    return /^https?:\/\/[^\s/]/.test(text) && URL.canParse(text) ? text : MALFORMED;
  }),
  urlDomain: variable('FAASBOX_URL_DOMAIN', 'localhost', DNS_DOMAIN_EXPECTED, DNS_DOMAIN),
  s3Domain: variable('FAASBOX_S3_DOMAIN', 'localhost', DNS_DOMAIN_EXPECTED, DNS_DOMAIN),
  pricePerMillionRequestsUsd: variable('FAASBOX_PRICE_PER_MILLION_REQUESTS', '0.20', DECIMAL_EXPECTED, decimal),
  pricePerGbSecondUsd: variable('FAASBOX_PRICE_PER_GB_SECOND', '0.0000166667', DECIMAL_EXPECTED, decimal),
  freeTierRequests: variable('FAASBOX_FREE_TIER_REQUESTS', '1000000', 'a whole number', (text) => (/^\s*\d+\s*$/.test(text) ? BigInt(text.trim()) : MALFORMED)),
  freeTierGbSeconds: variable('FAASBOX_FREE_TIER_GB_SECONDS', '400000', DECIMAL_EXPECTED, decimal),
  billedDurationGranularityMs: whole('FAASBOX_BILLED_DURATION_GRANULARITY_MS', '1', 1, 'ms'),
  egressAllow: variable('FAASBOX_EGRESS_ALLOW', '', 'empty or comma-separated host[:port] entries such as 127.0.0.1:8080', list(egressHostEntry)),
  egressDeny: variable('FAASBOX_EGRESS_DENY', '', 'empty or comma-separated host names such as faasbox.example.com', list((entry) => (/^[^\s:/@?#[\]]+$/.test(entry) ? urlHostname(entry) : MALFORMED))),
  apiRatePerKeyPerSecond: whole('FAASBOX_API_RATE_PER_KEY_PER_SECOND', '200', 0, 'requests per second'),
  apiBurstPerKey: whole('FAASBOX_API_BURST_PER_KEY', '400', 1, 'requests'),
  apiRatePerAddressPerSecond: whole('FAASBOX_API_RATE_PER_ADDRESS_PER_SECOND', '300', 0, 'requests per second'),
  apiBurstPerAddress: whole('FAASBOX_API_BURST_PER_ADDRESS', '600', 1, 'requests'),
  authFailuresPerMinute: whole('FAASBOX_AUTH_FAILURES_PER_MINUTE', '30', 0, 'failures per minute'),
  authFailureBurst: whole('FAASBOX_AUTH_FAILURE_BURST', '20', 1, 'failures'),
  iamPolicyCacheSeconds: whole('FAASBOX_IAM_POLICY_CACHE_SECONDS', '2', 0, 'seconds'),
  functionCacheSeconds: whole('FAASBOX_FUNCTION_CACHE_SECONDS', '2', 0, 'seconds'),
  playgroundEnabled: onOff('FAASBOX_PLAYGROUND', 'on'),
  playgroundPowCost: whole('FAASBOX_PLAYGROUND_POW_COST', '50000', 1, 'tries'),
  turnstileSiteKey: variable('FAASBOX_TURNSTILE_SITE_KEY', '', 'empty or a Turnstile site key', optional),
  turnstileSecret: variable('FAASBOX_TURNSTILE_SECRET', undefined, 'empty or a Turnstile secret key', optional),
  playgroundIdleSeconds: whole('FAASBOX_PLAYGROUND_IDLE_SECONDS', '3600', 1, 'seconds'),
  playgroundMaxSeconds: whole('FAASBOX_PLAYGROUND_MAX_SECONDS', '28800', 1, 'seconds'),
  playgroundLivePerAddress: whole('FAASBOX_PLAYGROUND_LIVE_PER_ADDRESS', '3', 1, 'sandboxes'),
  playgroundDailyPerAddress: whole('FAASBOX_PLAYGROUND_DAILY_PER_ADDRESS', '10', 1, 'sandboxes'),
  playgroundBurstPerAddress: whole('FAASBOX_PLAYGROUND_BURST_PER_ADDRESS', '3', 1, 'sandboxes'),
  playgroundLiveMax: whole('FAASBOX_PLAYGROUND_LIVE_MAX', '1000', 1, 'sandboxes'),
  playgroundFunctions: whole('FAASBOX_PLAYGROUND_FUNCTIONS', '10', 0, 'functions'),
  playgroundZipBytes: whole('FAASBOX_PLAYGROUND_ZIP_BYTES', '1048576', 1, 'bytes'),
  playgroundUnzippedBytes: whole('FAASBOX_PLAYGROUND_UNZIPPED_BYTES', '5242880', 1, 'bytes'),
  playgroundTimeoutMaxSeconds: whole('FAASBOX_PLAYGROUND_TIMEOUT_MAX_SECONDS', '10', 1, 'seconds'),
  playgroundConcurrency: whole('FAASBOX_PLAYGROUND_CONCURRENCY', '2', 1, 'concurrent executions'),
  playgroundInvocationsPerMinute: whole('FAASBOX_PLAYGROUND_INVOCATIONS_PER_MINUTE', '60', 1, 'invocations'),
  playgroundInvocationsTotal: whole('FAASBOX_PLAYGROUND_INVOCATIONS_TOTAL', '2000', 1, 'invocations'),
  playgroundFunctionUrls: whole('FAASBOX_PLAYGROUND_FUNCTION_URLS', '2', 0, 'function URLs'),
  playgroundUrlRequestsPerMinute: whole('FAASBOX_PLAYGROUND_URL_REQUESTS_PER_MINUTE', '30', 1, 'requests'),
  playgroundSchedules: whole('FAASBOX_PLAYGROUND_SCHEDULES', '3', 0, 'schedules'),
  playgroundScheduleMinSeconds: whole('FAASBOX_PLAYGROUND_SCHEDULE_MIN_SECONDS', '60', 60, 'seconds'),
  playgroundQueues: whole('FAASBOX_PLAYGROUND_QUEUES', '3', 0, 'queues'),
  playgroundQueueMessages: whole('FAASBOX_PLAYGROUND_QUEUE_MESSAGES', '1000', 1, 'messages'),
  playgroundLogBytes: whole('FAASBOX_PLAYGROUND_LOG_BYTES', '5242880', 1, 'bytes'),
  playgroundApiCallsPerMinute: whole('FAASBOX_PLAYGROUND_API_CALLS_PER_MINUTE', '300', 1, 'requests'),
  playgroundCostCapUsd: variable('FAASBOX_PLAYGROUND_COST_CAP_USD', '0.01', DECIMAL_EXPECTED, decimal),
  playgroundAsyncRetryDelaysSeconds: retryDelays('FAASBOX_PLAYGROUND_ASYNC_RETRY_DELAYS_SECONDS', '10,20'),
  playgroundEgress: onOff('FAASBOX_PLAYGROUND_EGRESS', 'off'),
  playgroundShareTtlSeconds: whole('FAASBOX_PLAYGROUND_SHARE_TTL_SECONDS', '2592000', 1, 'seconds'),
  unknownRoles: variable('FAASBOX_UNKNOWN_ROLES', 'refuse', "'refuse', 'basic-execution' or 'allow-all'", (text): UnknownRoles | typeof MALFORMED =>
    (text === 'refuse' || text === 'basic-execution' || text === 'allow-all' ? text : MALFORMED)),
} satisfies { [Key in keyof Config]: Variable<string, Config[Key]> };

/** The name of a FAASBOX_* variable this module reads. */
export type ConfigVariableName = (typeof VARIABLES)[keyof Config]['name'];

/** The variables as the Worker (its `env`) or Node (wrangler.toml, .dev.vars, `--var`) sees them. */
export type ConfigVariables = { readonly [Name in ConfigVariableName]?: unknown };

/** Every variable's name: wrangler.toml's order, the .dev.vars keys after the admin account id. */
export const CONFIG_VARIABLE_NAMES: readonly ConfigVariableName[] = Object.values(VARIABLES).map((v) => v.name);

/** A malformed FAASBOX_* value: the message names the variable, its value and what was expected. */
export class ConfigError extends Error {
  readonly variable: ConfigVariableName;
  constructor(variable: ConfigVariableName, value: string, expected: string) {
    super(`${variable} must be ${expected}, not '${value}'`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/**
 * Parses every variable of `vars`; a variable that is not set takes wrangler.toml's value.
 * Throws a ConfigError for the first malformed one.
 * @example parseConfig({ FAASBOX_POOL_BUDGET_MB: '256' }).poolBudgetMb === 256
 */
export function parseConfig(vars: ConfigVariables): Config {
  const config: Record<string, unknown> = {};
  for (const [key, { name, defaultText, expected, parse }] of Object.entries(VARIABLES) as [keyof Config, Variable<ConfigVariableName, unknown>][]) {
    const raw = vars[name];
    // wrangler.toml may hold a bare number (FAASBOX_POOL_BUDGET_MB = 512): the Worker sees a number.
    const text = raw === undefined ? defaultText : typeof raw === 'string' ? raw : JSON.stringify(raw);
    const value = text === undefined ? undefined : parse(text);
    if (value === MALFORMED) throw new ConfigError(name, String(text), expected);
    config[key] = value;
  }
  // The admin key is checked against its secret: a key id without one would sign with nothing.
  if (config.adminAccessKeyId && !config.adminSecretAccessKey) {
    throw new ConfigError('FAASBOX_SECRET_ACCESS_KEY', String(vars.FAASBOX_SECRET_ACCESS_KEY ?? ''), 'set when FAASBOX_ACCESS_KEY_ID is set');
  }
  // Frozen: one parsed config is shared by every reader of its env.
  return Object.freeze(config) as unknown as Config;
}

const parsed = new WeakMap<ConfigVariables, Config>();

/**
 * The configuration of `env`, parsed at its first read and then cached for that env object.
 * @example const { leaseGraceSeconds } = readConfig(env);
 */
export function readConfig(env: ConfigVariables): Config {
  let config = parsed.get(env);
  if (!config) {
    config = parseConfig(env);
    parsed.set(env, config);
  }
  return config;
}
