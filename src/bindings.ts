// The one place that makes each Durable Object binding's stub, and so names which object holds what.
// A leaf: the stub types come from the generated Env (worker-configuration.d.ts), so nothing in src/ is imported.

/**
 * The platform's one AccountDirectory: accounts, access keys, function URL ids and accounts with
 * schedules (global, because a key or a URL must be found before its account is known).
 */
export function accountDirectory(env: Env) {
  return named(env.ACCOUNTS, 'directory');
}

/** The account's FunctionRegistry: functions, versions, aliases, URLs and policies. */
export function functionRegistry(env: Env, accountId: string) {
  return counted(named(env.FUNCTIONS, accountId), `functions/${accountId}`, REGISTRY_READS);
}

/** The account's ConcurrencyLimiter: its limit, reservations and leases. */
export function concurrencyLimiter(env: Env, accountId: string) {
  return counted(named(env.CONCURRENCY, accountId), `concurrency/${accountId}`, LIMITER_READS);
}

/** The account's LogStore: its log groups, streams and events, and live tails. */
export function logStore(env: Env, accountId: string) {
  return named(env.LOGS, accountId);
}

/** The account's QueueStore: its SQS-compatible queues and messages. */
export function queueStore(env: Env, accountId: string) {
  return named(env.QUEUES, accountId);
}

/** The account's MetricsStore: per-function metrics and billing usage. */
export function metricsStore(env: Env, accountId: string) {
  return named(env.METRICS, accountId);
}

/** The account's TraceStore: X-Ray segments of traced invocations. */
export function traceStore(env: Env, accountId: string) {
  return named(env.TRACES, accountId);
}

/** The account's TopicStore: SNS topics and their subscriptions. */
export function topicStore(env: Env, accountId: string) {
  return named(env.TOPICS, accountId);
}

/** The account's ScheduleStore: EventBridge schedule rules, targets and next fire times. */
export function scheduleStore(env: Env, accountId: string) {
  return named(env.SCHEDULES, accountId);
}

/** The account's EventSourceMappings: queue triggers and their pollers. */
export function eventSourceMappings(env: Env, accountId: string) {
  return named(env.EVENT_SOURCE_MAPPINGS, accountId);
}

/** The account's IamStore: its roles, users, inline and customer managed policies and attachments (users' keys: the AccountDirectory). */
export function iamStore(env: Env, accountId: string) {
  return named(env.IAM_STORE, accountId);
}

/** The ApiRateLimiter of one rate-limited subject: `key:<access key id>` or `address:<source address>`. */
export function apiRateLimiter(env: Env, subject: string) {
  return named(env.API_RATE_LIMITER, subject);
}

/** The platform's one PlaygroundRegistry: live playground sandboxes, creation limits and used proofs of work. */
export function playgroundRegistry(env: Env) {
  return named(env.PLAYGROUND, 'playground');
}

/** The platform's one S3BucketRegistry: every S3 bucket name with its owner (names are global in S3). */
export function s3BucketRegistry(env: Env) {
  return named(env.S3_BUCKETS, 'buckets');
}

/**
 * How many calls that may change an account's FunctionRegistry (`'functions'`) or ConcurrencyLimiter
 * (`'concurrency'`) this isolate has made through the stubs above, counted when each starts and
 * again when it settles. The isolate's caches of what those objects hold (the invocation path's
 * resolved functions, its admission slots) keep what they cached only while this count stays the
 * same, so a change made through this isolate is seen by its very next invocation.
 */
export function objectWrites(kind: 'functions' | 'concurrency', accountId: string): number {
  return writeCounts.get(`${kind}/${accountId}`) ?? 0;
}

/**
 * Methods that leave what those caches keep as it is (reads; the limiter's leases, which its slots
 * account for themselves): calling them leaves objectWrites alone. Any other method counts as a write.
 */
const REGISTRY_READS = new Set(['get', 'list', 'listWithVersions', 'usage', 'resolve', 'resolutionPlan', 'codeKeyInUse', 'listVersions', 'getAlias', 'listAliases',
  'eventInvokeConfig', 'listEventInvokeConfigs', 'eventTarget', 'getFunctionUrl', 'listFunctionUrls', 'functionUrlTarget', 'getPolicy',
  'getLayerVersion', 'listLayerVersions', 'listLayers']);
const LIMITER_READS = new Set(['acquire', 'release', 'getReservation', 'sandboxUsage', 'snapshot']);

/** Bounded by the accounts this isolate has written to; a count is a number, never a secret. */
const writeCounts = new Map<string, number>();

function counted<T extends object>(stub: T, key: string, reads: ReadonlySet<string>): T {
  const bump = () => {
    writeCounts.set(key, (writeCounts.get(key) ?? 0) + 1);
  };
  return new Proxy(stub, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof property !== 'string' || reads.has(property) || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        bump();
        // Reflect.apply: a stub's method is itself a stub, on which `.apply` would name a remote method.
        return Promise.resolve(Reflect.apply(value as (...a: unknown[]) => unknown, target, args)).finally(bump);
      };
    },
  });
}

/** The stub of the object called `name` in `namespace`: one object per name, wherever it is asked for. */
function named<T extends Rpc.DurableObjectBranded | undefined>(namespace: DurableObjectNamespace<T>, name: string): DurableObjectStub<T> {
  return namespace.get(namespace.idFromName(name));
}
