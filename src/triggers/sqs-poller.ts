// The queue poller of one event source mapping: gather a batch from the account's QueueStore,
// invoke the function synchronously with the SQS event, and delete only what succeeded. Nothing
// is deleted before the function said so: every other path leaves the message in the queue
// (visible again after its visibility timeout), so delivery is at least once, never zero times.
import { resolveFunction } from '../services/resolve-function';
import type { Caller } from '../function-names';
import { invokeFunction } from '../invoke/invoke-function';
import { SYNC_PAYLOAD_MAX_BYTES } from '../limits';
import type { FunctionRecord } from '../records/function';
import type { EventSourceMapping, PollOptions, PollOutcome } from '../records/event-source-mapping';
import { type QueueStore } from '../objects/queue-store';
import { RECEIVE_MAX_MESSAGES, type ReceivedMessage } from '../records/queues';
import { concurrencyLimiter, functionRegistry, queueStore } from '../bindings';
import { readConfig } from '../config';
import { readBatchResponse, sqsRecord, type SqsRecord } from './sqs-event';
import { executionRole, missingQueueTriggerAction } from '../services/iam/execution-role';

/** Batches one mapping runs at once when its ScalingConfig sets no MaximumConcurrency (Lambda starts with 5 pollers). */
export const DEFAULT_CONCURRENT_BATCHES = 5;
/** While a batching window is open, how often the queue is asked again. */
const WINDOW_POLL_INTERVAL_MS = 100;
/** Stop gathering once the event is this large: the next receive (10 messages of at most 256 KB) still fits in 6 MB. */
const BATCH_GATHER_MAX_BYTES = SYNC_PAYLOAD_MAX_BYTES - RECEIVE_MAX_MESSAGES * (262_144 + 2_048);

/** Polls `mapping` until its queue is drained or the slice ends, running several batches at once. */
export async function pollMapping(env: Env, mapping: EventSourceMapping, options: PollOptions): Promise<PollOutcome> {
  const caller: Caller = { accountId: mapping.accountId, region: mapping.region };
  const reserved = await concurrencyLimiter(env, caller.accountId).getReservation(mapping.functionName);
  // Reserved concurrency 0: the function takes nothing; do not even receive.
  if (reserved === 0) return 'throttled';
  const store = queueStore(env, caller.accountId);
  const queue = await store.getQueue(mapping.queueName);
  if (!queue) return 'unavailable';
  const maxLanes = Math.max(1, Math.min(mapping.maximumConcurrency ?? DEFAULT_CONCURRENT_BATCHES, reserved ?? Infinity));
  // One lane polls an idle queue; the others start once it finds messages.
  const lanes: Promise<PollOutcome>[] = [];
  const lane = async (): Promise<PollOutcome> => {
    for (;;) {
      if (!options.isEnabled()) return 'drained';
      if (Date.now() >= options.sliceEndsAtMs) return 'more';
      // Read per batch: an updated function (new code, new timeout) is picked up at once.
      const resolved = await resolveFunction(env, caller.accountId, mapping.functionName, mapping.qualifier);
      if (!resolved) return 'unavailable';
      const { record } = resolved;
      // The execution role reads the queue: without its SQS permissions nothing is received (cached briefly, docs/IAM.md).
      const missing = missingQueueTriggerAction(await executionRole(env, caller.accountId, record.role), mapping.eventSourceArn);
      await options.reportProblem(missing && `PROBLEM: The provided execution role does not have permissions to call ${missing.split(':')[1]} on SQS`);
      if (missing) return 'denied';
      const batch = await gatherBatch(store, mapping, queue.settings.visibilityTimeoutSeconds, options);
      if (batch.messages.length === 0) return 'drained';
      while (lanes.length < maxLanes) lanes.push(lane());
      const outcome = await runBatch(env, store, mapping, caller, record, batch, options);
      if (outcome !== 'processed') return outcome;
    }
  };
  lanes.push(lane());
  // Every lane settles before the poll ends, even when one fails: a lane left running would
  // outlive this alarm and let the next one exceed the mapping's concurrency.
  const settled: PromiseSettledResult<PollOutcome>[] = [];
  while (settled.length < lanes.length) settled.push(...(await Promise.allSettled(lanes.slice(settled.length))));
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  const outcomes = settled.map((r) => (r as PromiseFulfilledResult<PollOutcome>).value);
  for (const outcome of ['denied', 'unavailable', 'throttled', 'more'] as const) if (outcomes.includes(outcome)) return outcome;
  return 'drained';
}

/** A gathered batch and when its first message becomes visible again (epoch ms). */
interface Batch {
  messages: ReceivedMessage[];
  hiddenUntilMs: number;
}

/**
 * Receives up to BatchSize messages. The batching window opens with the first message: until
 * it closes, the batch is full or the event nears 6 MB, the queue is asked again; without a
 * window, the batch is what is visible now. An idle queue returns an empty batch at once. Each
 * message stays hidden for the queue's visibility timeout counted from when the window closes,
 * so a long window never lets an early message reappear while its batch is still being gathered.
 */
async function gatherBatch(store: DurableObjectStub<QueueStore>, mapping: EventSourceMapping, visibilityTimeoutSeconds: number, options: PollOptions): Promise<Batch> {
  const windowMs = mapping.maximumBatchingWindowSeconds * 1000;
  let windowEndsAtMs: number | undefined;
  const batch: Batch = { messages: [], hiddenUntilMs: Infinity };
  let bytes = 0;
  for (;;) {
    const want = Math.min(RECEIVE_MAX_MESSAGES, mapping.batchSize - batch.messages.length);
    const receivedAtMs = Date.now();
    const windowLeftMs = windowEndsAtMs === undefined ? windowMs : Math.max(0, windowEndsAtMs - receivedAtMs);
    const hiddenSeconds = visibilityTimeoutSeconds + Math.ceil(windowLeftMs / 1000);
    const received = await store.receiveMessages(mapping.queueName, want, hiddenSeconds);
    if (!received.ok) return batch;
    for (const message of received.value) {
      batch.messages.push(message);
      batch.hiddenUntilMs = Math.min(batch.hiddenUntilMs, receivedAtMs + hiddenSeconds * 1000);
      bytes += message.body.length * 3 + 1_024;
    }
    if (batch.messages.length === 0) return batch;
    windowEndsAtMs ??= receivedAtMs + windowMs;
    if (batch.messages.length >= mapping.batchSize || bytes >= BATCH_GATHER_MAX_BYTES) return batch;
    if (received.value.length === want) continue;
    const leftMs = windowEndsAtMs - Date.now();
    if (leftMs <= 0 || !options.isEnabled()) return batch;
    await sleep(Math.min(WINDOW_POLL_INTERVAL_MS, leftMs));
  }
}

/**
 * Invokes the function with one batch and settles it:
 * 1. Success: every message is deleted, except, with ReportBatchItemFailures, the ones listed
 *    in `batchItemFailures`; a malformed reply fails the whole batch.
 * 2. Function error or timeout: nothing is deleted; the batch reappears after the visibility timeout.
 * 3. Throttled: retried with backoff while the batch stays hidden long enough for one more
 *    run (as Lambda does, so throttles do not count receives); then made visible again at once
 *    and the mapping backs off.
 * 4. Platform failure (anything thrown): nothing is deleted; logged, and the mapping backs off.
 */
async function runBatch(
  env: Env, store: DurableObjectStub<QueueStore>, mapping: EventSourceMapping, caller: Caller, record: FunctionRecord, batch: Batch, options: PollOptions,
): Promise<'processed' | 'throttled' | 'unavailable'> {
  const { messages } = batch;
  const records: SqsRecord[] = messages.map((message) => sqsRecord(message, mapping.eventSourceArn, caller.region));
  const eventJson = JSON.stringify({ Records: records });
  const afterwards: Promise<unknown>[] = [];
  try {
    for (let throttles = 0; ; throttles++) {
      const attempt = await invokeFunction(env, (p) => afterwards.push(p), { caller, record, qualifier: mapping.qualifier, requestId: crypto.randomUUID(), eventJson });
      if (attempt.kind === 'throttled') {
        const backoffMs = Math.min(readConfig(env).throttleBackoffMaxSeconds, 2 ** throttles) * 1000;
        if (options.isEnabled() && Date.now() + backoffMs + record.timeoutSeconds * 1000 < batch.hiddenUntilMs) {
          await Promise.allSettled(afterwards.splice(0));
          await sleep(backoffMs);
          continue;
        }
        await store.changeVisibility(mapping.queueName, messages.map((m) => m.receiptHandle), 0);
        return 'throttled';
      }
      const result = attempt.report.result;
      if (result.kind === 'failure') return 'processed';
      const failures = mapping.reportBatchItemFailures
        ? readBatchResponse(result.payloadJson, new Set(messages.map((m) => m.messageId)))
        : { all: false as const, messageIds: new Set<string>() };
      if (failures.all) return 'processed';
      const succeeded = messages.filter((m) => !failures.messageIds.has(m.messageId));
      if (succeeded.length > 0) await store.deleteMessages(mapping.queueName, succeeded.map((m) => m.receiptHandle));
      return 'processed';
    }
  } catch (error) {
    console.error(`event source mapping ${mapping.uuid}: a batch of ${messages.length} could not be run; it returns to the queue:`, error);
    return 'unavailable';
  } finally {
    // Log lines, metrics and the lease release of the invocation: a Durable Object has no
    // response to send first, so it waits for them here, off any caller's path.
    await Promise.allSettled(afterwards);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
