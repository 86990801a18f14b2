// The words of every playground quota refusal (docs/PLAYGROUND.md, "Quotas"): one place, so each
// service's error names its quota the same way, with the configured value.
import type { Config } from '../config';
import { MEMORY_MIN_MB, PLAYGROUND_SHARES_PER_SANDBOX, PLAYGROUND_VERSIONS_PER_FUNCTION } from '../limits';

/** Every quota a sandbox can be refused by. */
export type PlaygroundQuota =
  | 'functions' | 'zip-bytes' | 'unzipped-bytes' | 'memory' | 'timeout'
  | 'invocations-per-minute' | 'invocations-total' | 'cost-cap'
  | 'function-urls' | 'url-requests-per-minute' | 'schedules' | 'schedule-rate'
  | 'queues' | 'queue-messages' | 'api-calls-per-minute' | 'versions' | 'shares';

/** Prefix of every refusal, so a client (and the console) can tell a playground quota from AWS's own limits. */
export const QUOTA_PREFIX = 'Playground quota:';

/** The largest MemorySize a sandbox's function may have: the platform's memory ceiling, never below Lambda's minimum of 128 MB. */
export function sandboxMemoryMaxMb(config: Config): number {
  return Math.max(MEMORY_MIN_MB, config.sandboxMemoryCeilingMb);
}

/**
 * The message of a refusal by `quota`, with its configured value.
 * @example quotaMessage(config, 'functions') // 'Playground quota: at most 10 functions per sandbox.'
 */
export function quotaMessage(config: Config, quota: PlaygroundQuota): string {
  return `${QUOTA_PREFIX} ${QUOTA_WORDS[quota](config)}`;
}

const QUOTA_WORDS: Record<PlaygroundQuota, (c: Config) => string> = {
  'functions': (c) => `at most ${c.playgroundFunctions} functions per sandbox.`,
  'zip-bytes': (c) => `a function's zip file is at most ${c.playgroundZipBytes} bytes in a sandbox.`,
  'unzipped-bytes': (c) => `a function's code is at most ${c.playgroundUnzippedBytes} bytes unzipped in a sandbox.`,
  'memory': (c) => `MemorySize is at most ${sandboxMemoryMaxMb(c)} MB in a sandbox (the platform's memory ceiling).`,
  'timeout': (c) => `Timeout is at most ${c.playgroundTimeoutMaxSeconds} seconds in a sandbox.`,
  'invocations-per-minute': (c) => `at most ${c.playgroundInvocationsPerMinute} invocations a minute per sandbox.`,
  'invocations-total': (c) => `at most ${c.playgroundInvocationsTotal} invocations per sandbox in all.`,
  'cost-cap': (c) => `this sandbox has used its $${c.playgroundCostCapUsd} of invocations at list price; no further invocation runs.`,
  'function-urls': (c) => `at most ${c.playgroundFunctionUrls} function URLs per sandbox.`,
  'url-requests-per-minute': (c) => `at most ${c.playgroundUrlRequestsPerMinute} requests a minute to each function URL of a sandbox.`,
  'schedules': (c) => `at most ${c.playgroundSchedules} schedules per sandbox.`,
  'schedule-rate': (c) => `a sandbox's schedules fire at most once every ${c.playgroundScheduleMinSeconds} seconds.`,
  'queues': (c) => `at most ${c.playgroundQueues} queues per sandbox.`,
  'queue-messages': (c) => `a queue of a sandbox holds at most ${c.playgroundQueueMessages} messages.`,
  'api-calls-per-minute': (c) => `at most ${c.playgroundApiCallsPerMinute} API calls a minute per sandbox key.`,
  'versions': () => `at most ${PLAYGROUND_VERSIONS_PER_FUNCTION} published versions per function in a sandbox: delete one to publish another.`,
  'shares': () => `at most ${PLAYGROUND_SHARES_PER_SANDBOX} shares per sandbox.`,
};

/** The TypeError a sandbox function's fetch rejects with while the operator keeps outbound requests off. */
export const EGRESS_OFF_MESSAGE = 'faasbox: outbound requests are off in the playground (FAASBOX_PLAYGROUND_EGRESS=off): fetch is not available to sandbox functions';
