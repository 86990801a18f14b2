// The FAASBOX_* parser: wrangler.toml's defaults, every variable's good values, and a refusal that
// names the variable, its value and what was expected for every kind of malformed value.
import { describe, expect, inject, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { CONFIG_VARIABLE_NAMES, ConfigError, parseConfig, readConfig, type Config, type ConfigVariableName } from '../../../src/config';

/** wrangler.toml's [vars], parsed. */
const WRANGLER_TOML: Config = {
  region: 'us-east-1',
  adminAccountId: '123456789012',
  adminAccessKeyId: undefined,
  adminSecretAccessKey: undefined,
  encryptionKey: undefined,
  sandboxMemoryCeilingMb: 64,
  poolBudgetMb: 80,
  poolSpareEnvironments: 1,
  accountConcurrency: 1000,
  leaseGraceSeconds: 30,
  asyncRetryDelaysSeconds: [60, 120],
  throttleBackoffMaxSeconds: 300,
  logIngestBytesPerSecond: 1_048_576,
  logIngestBurstBytes: 5_242_880,
  otlpEndpoint: undefined,
  urlDomain: 'localhost',
  s3Domain: 'localhost',
  pricePerMillionRequestsUsd: '0.20',
  pricePerGbSecondUsd: '0.0000166667',
  freeTierRequests: 1_000_000n,
  freeTierGbSeconds: '400000',
  billedDurationGranularityMs: 1,
  egressAllow: [],
  egressDeny: [],
  apiRatePerKeyPerSecond: 200,
  apiBurstPerKey: 400,
  apiRatePerAddressPerSecond: 300,
  apiBurstPerAddress: 600,
  authFailuresPerMinute: 30,
  authFailureBurst: 20,
  iamPolicyCacheSeconds: 2,
  functionCacheSeconds: 2,
  playgroundEnabled: true,
  playgroundPowCost: 50_000,
  turnstileSiteKey: undefined,
  turnstileSecret: undefined,
  playgroundIdleSeconds: 3600,
  playgroundMaxSeconds: 28_800,
  playgroundLivePerAddress: 3,
  playgroundDailyPerAddress: 10,
  playgroundBurstPerAddress: 3,
  playgroundLiveMax: 1000,
  playgroundFunctions: 10,
  playgroundZipBytes: 1_048_576,
  playgroundUnzippedBytes: 5_242_880,
  playgroundTimeoutMaxSeconds: 10,
  playgroundConcurrency: 2,
  playgroundInvocationsPerMinute: 60,
  playgroundInvocationsTotal: 2000,
  playgroundFunctionUrls: 2,
  playgroundUrlRequestsPerMinute: 30,
  playgroundSchedules: 3,
  playgroundScheduleMinSeconds: 60,
  playgroundQueues: 3,
  playgroundQueueMessages: 1000,
  playgroundLogBytes: 5_242_880,
  playgroundApiCallsPerMinute: 300,
  playgroundCostCapUsd: '0.01',
  playgroundAsyncRetryDelaysSeconds: [10, 20],
  playgroundEgress: false,
  playgroundShareTtlSeconds: 2_592_000,
  unknownRoles: 'refuse',
};

/** Values vitest.config.ts gives the test Worker instead of wrangler.toml's. */
const TEST_OVERRIDES: Partial<Config> = {
  adminAccessKeyId: 'AKIATESTADMIN0000000',
  adminSecretAccessKey: 'test-admin-secret-key',
  encryptionKey: 'ZmFhc2JveCB0ZXN0IHJvb3Qga2V5LCAzMiBieXRlcyE=',
  poolBudgetMb: 512,
  asyncRetryDelaysSeconds: [0, 0],
  throttleBackoffMaxSeconds: 1,
  logIngestBytesPerSecond: 65_536,
  logIngestBurstBytes: 524_288,
  pricePerMillionRequestsUsd: '50000',
  pricePerGbSecondUsd: '3.5',
  freeTierRequests: 2n,
  freeTierGbSeconds: '0.02',
  egressAllow: [{ hostname: '127.0.0.1', port: inject('httpTargetPort') }],
  egressDeny: ['faasbox.test'],
  authFailureBurst: 1_000_000,
  unknownRoles: 'allow-all',
};

/** Per variable: the Config key it sets, and good texts with the value each parses to. */
const GOOD: Record<ConfigVariableName, { key: keyof Config; values: [string, unknown][] }> = {
  FAASBOX_REGION: { key: 'region', values: [['eu-west-3', 'eu-west-3'], ['local', 'local']] },
  FAASBOX_ADMIN_ACCOUNT_ID: { key: 'adminAccountId', values: [['000000000042', '000000000042']] },
  FAASBOX_ACCESS_KEY_ID: { key: 'adminAccessKeyId', values: [['AKIAEXAMPLE', 'AKIAEXAMPLE']] },
  FAASBOX_SECRET_ACCESS_KEY: { key: 'adminSecretAccessKey', values: [['s3cr/et+', 's3cr/et+']] },
  FAASBOX_ENCRYPTION_KEY: { key: 'encryptionKey', values: [['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='], ['q+/7vYD3q0a1XkT9wK2f0zN8xQeU1v2mHcLr4yBjZ9s=', 'q+/7vYD3q0a1XkT9wK2f0zN8xQeU1v2mHcLr4yBjZ9s=']] },
  FAASBOX_SANDBOX_MEMORY_CEILING_MB: { key: 'sandboxMemoryCeilingMb', values: [['128', 128], [' 32 ', 32], ['1', 1]] },
  FAASBOX_POOL_BUDGET_MB: { key: 'poolBudgetMb', values: [['256', 256], ['0', 0]] },
  FAASBOX_POOL_SPARE_ENVIRONMENTS: { key: 'poolSpareEnvironments', values: [['0', 0], ['4', 4]] },
  FAASBOX_ACCOUNT_CONCURRENCY: { key: 'accountConcurrency', values: [['10', 10], ['0', 0]] },
  FAASBOX_LEASE_GRACE_SECONDS: { key: 'leaseGraceSeconds', values: [['0', 0], ['600', 600]] },
  FAASBOX_ASYNC_RETRY_DELAYS_SECONDS: { key: 'asyncRetryDelaysSeconds', values: [['0,0', [0, 0]], ['5', [5]], ['1, 2, 43200', [1, 2, 43_200]]] },
  FAASBOX_THROTTLE_BACKOFF_MAX_SECONDS: { key: 'throttleBackoffMaxSeconds', values: [['1', 1], ['43200', 43_200]] },
  FAASBOX_LOG_INGEST_BYTES_PER_SECOND: { key: 'logIngestBytesPerSecond', values: [['65536', 65_536]] },
  FAASBOX_LOG_INGEST_BURST_BYTES: { key: 'logIngestBurstBytes', values: [['1', 1]] },
  FAASBOX_OTLP_ENDPOINT: {
    key: 'otlpEndpoint',
    values: [['', undefined], ['http://127.0.0.1:4318', 'http://127.0.0.1:4318'], ['https://otel.example.com/base/', 'https://otel.example.com/base/']],
  },
  FAASBOX_URL_DOMAIN: { key: 'urlDomain', values: [['example.com', 'example.com'], ['faas-box.test', 'faas-box.test']] },
  FAASBOX_S3_DOMAIN: { key: 's3Domain', values: [['s3.example.com', 's3.example.com'], ['localhost', 'localhost']] },
  FAASBOX_PRICE_PER_MILLION_REQUESTS: { key: 'pricePerMillionRequestsUsd', values: [['0', '0'], ['50000', '50000'], ['0.1234567890123456', '0.1234567890123456']] },
  FAASBOX_PRICE_PER_GB_SECOND: { key: 'pricePerGbSecondUsd', values: [['3.5', '3.5']] },
  FAASBOX_FREE_TIER_REQUESTS: { key: 'freeTierRequests', values: [['0', 0n], ['123456789012345678901', 123_456_789_012_345_678_901n]] },
  FAASBOX_FREE_TIER_GB_SECONDS: { key: 'freeTierGbSeconds', values: [['0.02', '0.02']] },
  FAASBOX_BILLED_DURATION_GRANULARITY_MS: { key: 'billedDurationGranularityMs', values: [['100', 100]] },
  FAASBOX_EGRESS_ALLOW: {
    key: 'egressAllow',
    values: [
      ['', []],
      ['127.0.0.1:8080', [{ hostname: '127.0.0.1', port: 8080 }]],
      // Hosts as the URL parser serialises them: what a fetched URL's hostname is compared with.
      [' 127.1:80 , [0:0::1]:9000, LocalHost., svc.internal', [{ hostname: '127.0.0.1', port: 80 }, { hostname: '[::1]', port: 9000 }, { hostname: 'localhost' }, { hostname: 'svc.internal' }]],
    ],
  },
  FAASBOX_EGRESS_DENY: { key: 'egressDeny', values: [['', []], ['faasbox.example.com, API.Example.org.', ['faasbox.example.com', 'api.example.org']]] },
  FAASBOX_API_RATE_PER_KEY_PER_SECOND: { key: 'apiRatePerKeyPerSecond', values: [['0', 0], ['1000', 1000]] },
  FAASBOX_API_BURST_PER_KEY: { key: 'apiBurstPerKey', values: [['1', 1], ['2000', 2000]] },
  FAASBOX_API_RATE_PER_ADDRESS_PER_SECOND: { key: 'apiRatePerAddressPerSecond', values: [['0', 0], ['50', 50]] },
  FAASBOX_API_BURST_PER_ADDRESS: { key: 'apiBurstPerAddress', values: [['1', 1], ['100', 100]] },
  FAASBOX_AUTH_FAILURES_PER_MINUTE: { key: 'authFailuresPerMinute', values: [['0', 0], ['6', 6]] },
  FAASBOX_AUTH_FAILURE_BURST: { key: 'authFailureBurst', values: [['1', 1], ['50', 50]] },
  FAASBOX_IAM_POLICY_CACHE_SECONDS: { key: 'iamPolicyCacheSeconds', values: [['0', 0], ['30', 30]] },
  FAASBOX_FUNCTION_CACHE_SECONDS: { key: 'functionCacheSeconds', values: [['0', 0], ['10', 10]] },
  FAASBOX_PLAYGROUND: { key: 'playgroundEnabled', values: [['on', true], ['off', false]] },
  FAASBOX_PLAYGROUND_POW_COST: { key: 'playgroundPowCost', values: [['1', 1], ['1000000', 1_000_000]] },
  FAASBOX_TURNSTILE_SITE_KEY: { key: 'turnstileSiteKey', values: [['', undefined], ['1x00000000000000000000AA', '1x00000000000000000000AA']] },
  FAASBOX_TURNSTILE_SECRET: { key: 'turnstileSecret', values: [['', undefined], ['1x0000000000000000000000000000000AA', '1x0000000000000000000000000000000AA']] },
  FAASBOX_PLAYGROUND_IDLE_SECONDS: { key: 'playgroundIdleSeconds', values: [['1', 1]] },
  FAASBOX_PLAYGROUND_MAX_SECONDS: { key: 'playgroundMaxSeconds', values: [['3', 3]] },
  FAASBOX_PLAYGROUND_LIVE_PER_ADDRESS: { key: 'playgroundLivePerAddress', values: [['1', 1]] },
  FAASBOX_PLAYGROUND_DAILY_PER_ADDRESS: { key: 'playgroundDailyPerAddress', values: [['20', 20]] },
  FAASBOX_PLAYGROUND_BURST_PER_ADDRESS: { key: 'playgroundBurstPerAddress', values: [['5', 5]] },
  FAASBOX_PLAYGROUND_LIVE_MAX: { key: 'playgroundLiveMax', values: [['2', 2]] },
  FAASBOX_PLAYGROUND_FUNCTIONS: { key: 'playgroundFunctions', values: [['0', 0], ['3', 3]] },
  FAASBOX_PLAYGROUND_ZIP_BYTES: { key: 'playgroundZipBytes', values: [['4096', 4096]] },
  FAASBOX_PLAYGROUND_UNZIPPED_BYTES: { key: 'playgroundUnzippedBytes', values: [['8192', 8192]] },
  FAASBOX_PLAYGROUND_TIMEOUT_MAX_SECONDS: { key: 'playgroundTimeoutMaxSeconds', values: [['900', 900]] },
  FAASBOX_PLAYGROUND_CONCURRENCY: { key: 'playgroundConcurrency', values: [['1', 1]] },
  FAASBOX_PLAYGROUND_INVOCATIONS_PER_MINUTE: { key: 'playgroundInvocationsPerMinute', values: [['5', 5]] },
  FAASBOX_PLAYGROUND_INVOCATIONS_TOTAL: { key: 'playgroundInvocationsTotal', values: [['7', 7]] },
  FAASBOX_PLAYGROUND_FUNCTION_URLS: { key: 'playgroundFunctionUrls', values: [['0', 0]] },
  FAASBOX_PLAYGROUND_URL_REQUESTS_PER_MINUTE: { key: 'playgroundUrlRequestsPerMinute', values: [['2', 2]] },
  FAASBOX_PLAYGROUND_SCHEDULES: { key: 'playgroundSchedules', values: [['1', 1]] },
  FAASBOX_PLAYGROUND_SCHEDULE_MIN_SECONDS: { key: 'playgroundScheduleMinSeconds', values: [['300', 300]] },
  FAASBOX_PLAYGROUND_QUEUES: { key: 'playgroundQueues', values: [['1', 1]] },
  FAASBOX_PLAYGROUND_QUEUE_MESSAGES: { key: 'playgroundQueueMessages', values: [['10', 10]] },
  FAASBOX_PLAYGROUND_LOG_BYTES: { key: 'playgroundLogBytes', values: [['65536', 65_536]] },
  FAASBOX_PLAYGROUND_API_CALLS_PER_MINUTE: { key: 'playgroundApiCallsPerMinute', values: [['30', 30]] },
  FAASBOX_PLAYGROUND_COST_CAP_USD: { key: 'playgroundCostCapUsd', values: [['0.000001', '0.000001']] },
  FAASBOX_PLAYGROUND_ASYNC_RETRY_DELAYS_SECONDS: { key: 'playgroundAsyncRetryDelaysSeconds', values: [['0,0', [0, 0]]] },
  FAASBOX_PLAYGROUND_EGRESS: { key: 'playgroundEgress', values: [['on', true], ['off', false]] },
  FAASBOX_PLAYGROUND_SHARE_TTL_SECONDS: { key: 'playgroundShareTtlSeconds', values: [['60', 60]] },
  FAASBOX_UNKNOWN_ROLES: { key: 'unknownRoles', values: [['refuse', 'refuse'], ['basic-execution', 'basic-execution'], ['allow-all', 'allow-all']] },
};

const NOT_WHOLE = ['lots', '', ' ', '-1', '2.5', '1e3', '0x10', 'NaN', 'Infinity', '12345678901234567'];
const NOT_DECIMAL = ['lots', '', '-1', '1e-5', '.5', '1.', '0.12345678901234567', '1,5'];

/** Per variable: malformed texts. */
const MALFORMED: Record<ConfigVariableName, string[]> = {
  FAASBOX_REGION: ['', 'US-EAST-1', 'us east 1', 'us-', '-us', 'us_east_1'],
  FAASBOX_ADMIN_ACCOUNT_ID: ['', '12345678901', '1234567890123', 'abcdefghijkl'],
  FAASBOX_ACCESS_KEY_ID: [],
  FAASBOX_SECRET_ACCESS_KEY: [],
  // Not 32 bytes (none, 31, 35), base64url, unpadded, with whitespace.
  FAASBOX_ENCRYPTION_KEY: ['', 'secret', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'q-_7vYD3q0a1XkT9wK2f0zN8xQeU1v2mHcLr4yBjZ9s=', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', ' AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
  FAASBOX_SANDBOX_MEMORY_CEILING_MB: [...NOT_WHOLE, '0'],
  FAASBOX_POOL_BUDGET_MB: NOT_WHOLE,
  FAASBOX_POOL_SPARE_ENVIRONMENTS: NOT_WHOLE,
  FAASBOX_ACCOUNT_CONCURRENCY: NOT_WHOLE,
  FAASBOX_LEASE_GRACE_SECONDS: NOT_WHOLE,
  FAASBOX_ASYNC_RETRY_DELAYS_SECONDS: ['', 'lots', '60,', ',60', '60;120', '-1,60', '1.5', '43201'],
  FAASBOX_THROTTLE_BACKOFF_MAX_SECONDS: [...NOT_WHOLE, '0', '43201'],
  FAASBOX_LOG_INGEST_BYTES_PER_SECOND: [...NOT_WHOLE, '0'],
  FAASBOX_LOG_INGEST_BURST_BYTES: [...NOT_WHOLE, '0'],
  FAASBOX_OTLP_ENDPOINT: ['localhost:4318', 'ftp://collector', 'http://', ' http://collector'],
  FAASBOX_URL_DOMAIN: ['', '.localhost', 'local host', 'example..com', '-x.com', 'http://example.com'],
  FAASBOX_S3_DOMAIN: ['', '.localhost', 'http://s3.example.com'],
  FAASBOX_PRICE_PER_MILLION_REQUESTS: NOT_DECIMAL,
  FAASBOX_PRICE_PER_GB_SECOND: NOT_DECIMAL,
  FAASBOX_FREE_TIER_REQUESTS: ['lots', '', '-1', '1.5', '1e6'],
  FAASBOX_FREE_TIER_GB_SECONDS: NOT_DECIMAL,
  FAASBOX_BILLED_DURATION_GRANULARITY_MS: [...NOT_WHOLE, '0'],
  FAASBOX_EGRESS_ALLOW: ['http://127.0.0.1', '127.0.0.1:', '127.0.0.1:0', '127.0.0.1:65536', 'a b', 'host/path', 'user@host', '[::1', '127.0.0.1,,x', ','],
  FAASBOX_EGRESS_DENY: ['faasbox.example.com:443', 'https://faasbox.example.com', 'a b', 'x,,y'],
  FAASBOX_API_RATE_PER_KEY_PER_SECOND: NOT_WHOLE,
  FAASBOX_API_BURST_PER_KEY: [...NOT_WHOLE, '0'],
  FAASBOX_API_RATE_PER_ADDRESS_PER_SECOND: NOT_WHOLE,
  FAASBOX_API_BURST_PER_ADDRESS: [...NOT_WHOLE, '0'],
  FAASBOX_AUTH_FAILURES_PER_MINUTE: NOT_WHOLE,
  FAASBOX_AUTH_FAILURE_BURST: [...NOT_WHOLE, '0'],
  FAASBOX_IAM_POLICY_CACHE_SECONDS: NOT_WHOLE,
  FAASBOX_FUNCTION_CACHE_SECONDS: NOT_WHOLE,
  FAASBOX_PLAYGROUND: ['', 'yes', 'true', 'ON', 'off '],
  FAASBOX_PLAYGROUND_POW_COST: [...NOT_WHOLE, '0'],
  FAASBOX_TURNSTILE_SITE_KEY: [],
  FAASBOX_TURNSTILE_SECRET: [],
  FAASBOX_PLAYGROUND_IDLE_SECONDS: [...NOT_WHOLE, '0'],
  FAASBOX_PLAYGROUND_MAX_SECONDS: [...NOT_WHOLE, '0'],
  FAASBOX_PLAYGROUND_LIVE_PER_ADDRESS: [...NOT_WHOLE, '0'],
  FAASBOX_PLAYGROUND_DAILY_PER_ADDRESS: [...NOT_WHOLE, '0'],
  FAASBOX_PLAYGROUND_BURST_PER_ADDRESS: [...NOT_WHOLE, '0'],
  FAASBOX_PLAYGROUND_LIVE_MAX: [...NOT_WHOLE, '0'],
  FAASBOX_PLAYGROUND_FUNCTIONS: NOT_WHOLE,
  FAASBOX_PLAYGROUND_ZIP_BYTES: [...NOT_WHOLE, '0'],
  FAASBOX_PLAYGROUND_UNZIPPED_BYTES: [...NOT_WHOLE, '0'],
  FAASBOX_PLAYGROUND_TIMEOUT_MAX_SECONDS: [...NOT_WHOLE, '0'],
  FAASBOX_PLAYGROUND_CONCURRENCY: [...NOT_WHOLE, '0'],
  FAASBOX_PLAYGROUND_INVOCATIONS_PER_MINUTE: [...NOT_WHOLE, '0'],
  FAASBOX_PLAYGROUND_INVOCATIONS_TOTAL: [...NOT_WHOLE, '0'],
  FAASBOX_PLAYGROUND_FUNCTION_URLS: NOT_WHOLE,
  FAASBOX_PLAYGROUND_URL_REQUESTS_PER_MINUTE: [...NOT_WHOLE, '0'],
  FAASBOX_PLAYGROUND_SCHEDULES: NOT_WHOLE,
  FAASBOX_PLAYGROUND_SCHEDULE_MIN_SECONDS: [...NOT_WHOLE, '0', '59'],
  FAASBOX_PLAYGROUND_QUEUES: NOT_WHOLE,
  FAASBOX_PLAYGROUND_QUEUE_MESSAGES: [...NOT_WHOLE, '0'],
  FAASBOX_PLAYGROUND_LOG_BYTES: [...NOT_WHOLE, '0'],
  FAASBOX_PLAYGROUND_API_CALLS_PER_MINUTE: [...NOT_WHOLE, '0'],
  FAASBOX_PLAYGROUND_COST_CAP_USD: NOT_DECIMAL,
  FAASBOX_PLAYGROUND_ASYNC_RETRY_DELAYS_SECONDS: ['', 'lots', '10,', '-1', '43201'],
  FAASBOX_PLAYGROUND_EGRESS: ['', 'yes', 'On'],
  FAASBOX_PLAYGROUND_SHARE_TTL_SECONDS: [...NOT_WHOLE, '0'],
  FAASBOX_UNKNOWN_ROLES: ['', 'allow', 'Refuse', 'basic', 'allow-all ', 'on'],
};

/** The variable parseConfig refused in `run`, with its message. */
function refusal(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('parseConfig accepted it');
}

describe('config', () => {
  it('gives every variable that is not set its wrangler.toml value', () => {
    expect(parseConfig({})).toEqual(WRANGLER_TOML);
  });

  it("reads the Worker's own env: wrangler.toml's values, with vitest.config.ts's overrides", () => {
    expect(readConfig(env)).toEqual({ ...WRANGLER_TOML, ...TEST_OVERRIDES });
  });

  it('parses an env object once', () => {
    const vars = { FAASBOX_POOL_BUDGET_MB: '256' };
    expect(readConfig(vars)).toBe(readConfig(vars));
    expect(readConfig({ ...vars })).not.toBe(readConfig(vars));
  });

  it('knows every variable', () => {
    expect([...CONFIG_VARIABLE_NAMES].sort()).toEqual(Object.keys(GOOD).sort());
  });

  for (const name of CONFIG_VARIABLE_NAMES) {
    it(`parses good values of ${name}, leaving every other variable at its default`, () => {
      const { key, values } = GOOD[name];
      // The admin key id needs its secret; every other variable stands alone.
      const secret = name === 'FAASBOX_ACCESS_KEY_ID' ? { FAASBOX_SECRET_ACCESS_KEY: 'secret' } : {};
      for (const [text, value] of values) {
        const config = parseConfig({ ...secret, [name]: text });
        expect(config[key], `${name}=${JSON.stringify(text)}`).toEqual(value);
        expect({ ...config, [key]: WRANGLER_TOML[key], ...(name === 'FAASBOX_ACCESS_KEY_ID' ? { adminSecretAccessKey: undefined } : {}) }).toEqual(WRANGLER_TOML);
      }
    });

    if (MALFORMED[name].length === 0) continue;
    it(`refuses malformed values of ${name}, naming it, the value and what was expected`, () => {
      for (const text of MALFORMED[name]) {
        const error = refusal(() => parseConfig({ [name]: text }));
        expect(error.variable, `${name}=${JSON.stringify(text)}`).toBe(name);
        expect(error.message).toMatch(new RegExp(`^${name} must be .+, not '${escape(text)}'$`));
      }
    });
  }

  it('takes a bare TOML number as its digits', () => {
    expect(parseConfig({ FAASBOX_POOL_BUDGET_MB: 256 }).poolBudgetMb).toBe(256);
    expect(refusal(() => parseConfig({ FAASBOX_POOL_BUDGET_MB: 2.5 })).message).toBe("FAASBOX_POOL_BUDGET_MB must be a whole number of MiB >= 0, not '2.5'");
  });

  it('refuses an admin key id without its secret', () => {
    for (const secret of [undefined, '']) {
      const error = refusal(() => parseConfig({ FAASBOX_ACCESS_KEY_ID: 'AKIAEXAMPLE', FAASBOX_SECRET_ACCESS_KEY: secret }));
      expect(error.message).toBe("FAASBOX_SECRET_ACCESS_KEY must be set when FAASBOX_ACCESS_KEY_ID is set, not ''");
    }
    expect(parseConfig({ FAASBOX_ACCESS_KEY_ID: '' }).adminAccessKeyId).toBe('');
  });

  it('writes messages a person can act on', () => {
    expect(refusal(() => parseConfig({ FAASBOX_POOL_BUDGET_MB: 'lots' })).message).toBe("FAASBOX_POOL_BUDGET_MB must be a whole number of MiB >= 0, not 'lots'");
    expect(refusal(() => parseConfig({ FAASBOX_ASYNC_RETRY_DELAYS_SECONDS: '60,' })).message)
      .toBe("FAASBOX_ASYNC_RETRY_DELAYS_SECONDS must be comma-separated whole numbers of seconds from 0 to 43200, not '60,'");
    expect(refusal(() => parseConfig({ FAASBOX_PRICE_PER_GB_SECOND: '1e-5' })).message)
      .toBe("FAASBOX_PRICE_PER_GB_SECOND must be a non-negative decimal with at most 16 decimals, not '1e-5'");
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
