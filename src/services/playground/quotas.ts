// A playground sandbox's quotas (docs/PLAYGROUND-QUOTAS.md): stored where admission happens when
// the sandbox is set up, the checks the Lambda operations make for a sandbox caller, and the usage
// figures of GET /api/sandbox/usage.
import { accountDirectory, concurrencyLimiter, functionRegistry, logStore, queueStore, scheduleStore } from '../../bindings';
import type { ZipLimits } from '../../code/bundle';
import { readConfig } from '../../config';
import { invalidParameter, LambdaError } from '../../errors';
import { quotaMessage, sandboxMemoryMaxMb } from '../../playground/quota-messages';
import type { QuotaRefusal } from '../../records/concurrency';
import { nextFireTime, type Schedule } from '../../schedules/schedule-expression';

/** Fire times of a cron schedule looked at for its shortest interval: more than a day of any cron a sandbox may keep. */
const CRON_FIRES_EXAMINED = 1_500;

/** A caller the quotas may apply to: an authenticated sandbox key says so (caller.playground). */
export type MaybeSandboxCaller = { accountId: string; playground?: boolean };

/** Whether the playground's quotas apply to `caller`. */
export function isSandbox(caller: MaybeSandboxCaller): boolean {
  return caller.playground === true;
}

/**
 * Sets up a new sandbox account's quotas where each is enforced: its concurrency limit and
 * invocation quotas in its ConcurrencyLimiter (every invocation source is admitted there, signed
 * or not), its stored-log budget in its LogStore. The other quotas are checked on the sandbox
 * key's requests (caller.playground) and need nothing stored.
 */
export async function initialiseSandbox(env: Env, accountId: string): Promise<void> {
  const config = readConfig(env);
  const limiter = concurrencyLimiter(env, accountId);
  await limiter.setAccountLimit(config.playgroundConcurrency);
  await limiter.setSandboxQuotas({
    invocationsPerMinute: config.playgroundInvocationsPerMinute,
    invocationsTotal: config.playgroundInvocationsTotal,
    costCapUsd: config.playgroundCostCapUsd,
  });
  await logStore(env, accountId).setStoredBytesLimit(config.playgroundLogBytes);
}

/** Lambda's 429 for an invocation a sandbox quota refused, naming the quota; Retry-After only when a retry can pass. */
export function quotaThrottle(env: Env, refusal: QuotaRefusal): LambdaError {
  const headers: Record<string, string> = refusal.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(refusal.retryAfterSeconds) };
  return new LambdaError(429, 'TooManyRequestsException', quotaMessage(readConfig(env), refusal.quota), { extra: { Reason: 'CallerRateLimitExceeded' }, headers });
}

/** The zip limits of a sandbox's function code, or undefined (the platform's) for any other caller. */
export function sandboxZipLimits(env: Env, caller: MaybeSandboxCaller): ZipLimits | undefined {
  if (!isSandbox(caller)) return undefined;
  const config = readConfig(env);
  return {
    zipMaxBytes: config.playgroundZipBytes,
    unzippedMaxBytes: config.playgroundUnzippedBytes,
    zipTooLarge: quotaMessage(config, 'zip-bytes'),
    unzippedTooLarge: quotaMessage(config, 'unzipped-bytes'),
  };
}

/**
 * CreateFunction in a sandbox: at most FAASBOX_PLAYGROUND_FUNCTIONS functions, refused as Lambda
 * refuses an account past its code storage (CodeStorageExceededException, 400).
 */
export async function checkFunctionCount(env: Env, caller: MaybeSandboxCaller): Promise<void> {
  if (!isSandbox(caller)) return;
  const config = readConfig(env);
  const { functionCount } = await functionRegistry(env, caller.accountId).usage();
  if (functionCount >= config.playgroundFunctions) throw new LambdaError(400, 'CodeStorageExceededException', quotaMessage(config, 'functions'));
}

/** Timeout and MemorySize of a sandbox's function (create or update): InvalidParameterValueException past the quota. */
export function checkFunctionSettings(env: Env, caller: MaybeSandboxCaller, settings: { timeoutSeconds?: number; memorySizeMb?: number }): void {
  if (!isSandbox(caller)) return;
  const config = readConfig(env);
  if (settings.timeoutSeconds !== undefined && settings.timeoutSeconds > config.playgroundTimeoutMaxSeconds) throw invalidParameter(quotaMessage(config, 'timeout'));
  if (settings.memorySizeMb !== undefined && settings.memorySizeMb > sandboxMemoryMaxMb(config)) throw invalidParameter(quotaMessage(config, 'memory'));
}

/** CreateFunctionUrlConfig in a sandbox: at most FAASBOX_PLAYGROUND_FUNCTION_URLS URLs (InvalidParameterValueException). */
export async function checkFunctionUrlCount(env: Env, caller: MaybeSandboxCaller): Promise<void> {
  if (!isSandbox(caller)) return;
  const config = readConfig(env);
  if ((await accountDirectory(env).countFunctionUrls(caller.accountId)) >= config.playgroundFunctionUrls) throw invalidParameter(quotaMessage(config, 'function-urls'));
}

/**
 * PutRule in a sandbox: at most FAASBOX_PLAYGROUND_SCHEDULES rules (a new name past it is
 * EventBridge's LimitExceededException; replacing an existing rule is not counted) firing no more
 * often than every FAASBOX_PLAYGROUND_SCHEDULE_MIN_SECONDS (ValidationException). Undefined: allowed.
 */
export async function scheduleQuotaRefusal(
  env: Env, caller: MaybeSandboxCaller, ruleName: string, schedule: Schedule,
): Promise<{ code: 'LimitExceededException' | 'ValidationException'; message: string } | undefined> {
  if (!isSandbox(caller)) return undefined;
  const config = readConfig(env);
  if (shortestIntervalMs(schedule, Date.now()) < config.playgroundScheduleMinSeconds * 1000) {
    return { code: 'ValidationException', message: quotaMessage(config, 'schedule-rate') };
  }
  const store = scheduleStore(env, caller.accountId);
  if (await store.getRule(ruleName)) return undefined;
  const { rules } = await store.listRules('', 0, config.playgroundSchedules);
  if (rules.length >= config.playgroundSchedules) return { code: 'LimitExceededException', message: quotaMessage(config, 'schedules') };
  return undefined;
}

/** The shortest time between two firings of `schedule` from `nowMs` (a rate's period; a cron's over its next fires). */
function shortestIntervalMs(schedule: Schedule, nowMs: number): number {
  if (schedule.kind === 'rate') return schedule.periodMs;
  let shortest = Number.POSITIVE_INFINITY;
  let previous = nextFireTime(schedule, nowMs, nowMs);
  for (let i = 0; i < CRON_FIRES_EXAMINED && previous !== undefined; i++) {
    const next = nextFireTime(schedule, nowMs, previous);
    if (next === undefined) break;
    shortest = Math.min(shortest, next - previous);
    previous = next;
  }
  return shortest;
}

/** One row of GET /api/sandbox/usage. */
export interface QuotaUsage {
  Name: string;
  Used: number;
  Limit: number;
  Unit: string;
}

/** GET /api/sandbox/usage's body: every counted quota and the cost against its cap. Undefined for an account that is not a sandbox. */
export async function sandboxUsage(env: Env, accountId: string): Promise<{ Quotas: QuotaUsage[]; Cost: { UsedUsd: string; CapUsd: string; Exceeded: boolean } } | undefined> {
  const config = readConfig(env);
  const limiter = concurrencyLimiter(env, accountId);
  const [invocations, concurrency, functions, urls, rules, queues, logBytes] = await Promise.all([
    limiter.sandboxUsage(),
    limiter.snapshot(),
    functionRegistry(env, accountId).usage(),
    accountDirectory(env).countFunctionUrls(accountId),
    scheduleStore(env, accountId).listRules('', 0, config.playgroundSchedules + 1000),
    queueStore(env, accountId).listQueues('', 1000),
    logStore(env, accountId).storedBytesTotal(),
  ]);
  if (!invocations) return undefined;
  const quota = (Name: string, Used: number, Limit: number, Unit: string): QuotaUsage => ({ Name, Used, Limit, Unit });
  return {
    Quotas: [
      quota('Functions', functions.functionCount, config.playgroundFunctions, 'functions'),
      quota('InvocationsThisMinute', invocations.invocationsThisMinute, invocations.invocationsPerMinute, 'invocations'),
      quota('Invocations', invocations.invocations, invocations.invocationsTotal, 'invocations'),
      quota('ConcurrentExecutions', concurrency.concurrentExecutions, concurrency.accountLimit, 'concurrent executions'),
      quota('FunctionUrls', urls, config.playgroundFunctionUrls, 'function URLs'),
      quota('Schedules', rules.rules.length, config.playgroundSchedules, 'schedules'),
      quota('Queues', queues.names.length, config.playgroundQueues, 'queues'),
      quota('LogBytes', logBytes, config.playgroundLogBytes, 'bytes'),
    ],
    Cost: { UsedUsd: invocations.costUsedUsd, CapUsd: invocations.costCapUsd, Exceeded: invocations.costExceeded },
  };
}
