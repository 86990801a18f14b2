// Metric samples and billing usage of this isolate's invocations on their way to the account's
// MetricsStore: entries of invocations that end within METRICS_BATCH_DELAY_MS of each other go in
// one write (one Durable Object call per batch, not per invocation). Never left behind by a
// request: the request that opened a batch writes it from its own waitUntil (or the one that
// filled it, at once), and every other request with an entry in it waits in its own waitUntil until
// that write is done. No promise or timer is shared between requests (workerd refuses to settle
// one request's waitUntil from another's). A failed write is retried under the same batch id,
// which the store counts once. What a crash of the isolate can lose: the entries of a batch not yet
// written (at most METRICS_BATCH_DELAY_MS of its invocations, or the retries' time), as a write in
// flight could be lost before batching.
import { metricsStore } from '../bindings';
import { METRICS_BATCH_DELAY_MS, METRICS_BATCH_MAX_ENTRIES, METRICS_BATCH_RETRY_MS, METRICS_BATCH_TRIES, METRICS_BATCH_WAIT_MAX_MS } from '../limits';
import type { InvocationUsage, MetricSample, MetricsEntry } from '../records/metrics';

type WaitUntil = (p: Promise<unknown>) => void;

interface Batch {
  accountId: string;
  entries: MetricsEntry[];
  /** Its write has been started (by the request that opened it, or the one that filled it). */
  started: boolean;
  /** Its write is over, written or given up: the flag the other requests' waits read. */
  done: boolean;
}

/** The batch each account's entries join now; a batch leaves this map when its write starts. */
const open = new Map<string, Batch>();

/** How often a request with an entry in another request's batch looks whether it is written, in ms. */
const WAIT_POLL_MS = 5;

/**
 * Adds metric samples (and a completed invocation's billing usage) to the account's next batch,
 * written after the response. The entry is stamped now.
 */
export function recordMetrics(env: Env, waitUntil: WaitUntil, accountId: string, samples: MetricSample[], usage?: InvocationUsage): void {
  let batch = open.get(accountId);
  const opened = batch === undefined;
  if (!batch) {
    batch = { accountId, entries: [], started: false, done: false };
    open.set(accountId, batch);
  }
  batch.entries.push({ samples, atMs: Date.now(), ...(usage && { usage }) });
  const full = batch.entries.length >= METRICS_BATCH_MAX_ENTRIES;
  if (full) waitUntil(start(env, batch));
  else if (opened) {
    const delayed = scheduler.wait(METRICS_BATCH_DELAY_MS).then(() => start(env, batch));
    delays.add(delayed);
    waitUntil(delayed);
  } else waitUntil(writtenBy(batch));
}

/** The promises that wait out a batch's delay before writing it (the benchmarks' drain writes the batch at once instead). */
const delays = new WeakSet<Promise<unknown>>();

export function isBatchDelay(promise: Promise<unknown>): boolean {
  return delays.has(promise);
}

/**
 * Writes every open batch now, without waiting out its delay, and answers when they are written
 * (the benchmarks' whole-work figure; the invocation path never needs it).
 */
export function flushMetrics(env: Env): Promise<void> {
  return Promise.all([...open.values()].map((batch) => start(env, batch))).then(() => undefined);
}

/** Writes `batch` unless its write has started: in the calling request's context, which waits for it. */
async function start(env: Env, batch: Batch): Promise<void> {
  if (batch.started) return;
  batch.started = true;
  if (open.get(batch.accountId) === batch) open.delete(batch.accountId);
  try {
    await write(env, batch.accountId, batch.entries);
  } finally {
    batch.done = true;
  }
}

/** Resolves, in the caller's own context, once `batch` is written (or after METRICS_BATCH_WAIT_MAX_MS). */
async function writtenBy(batch: Batch): Promise<void> {
  for (let waited = 0; !batch.done && waited < METRICS_BATCH_WAIT_MAX_MS; waited += WAIT_POLL_MS) await scheduler.wait(WAIT_POLL_MS);
}

async function write(env: Env, accountId: string, entries: MetricsEntry[]): Promise<void> {
  const batchId = crypto.randomUUID();
  for (let attempt = 1; ; attempt++) {
    try {
      await metricsStore(env, accountId).recordBatch(batchId, entries);
      return;
    } catch (error) {
      if (attempt >= METRICS_BATCH_TRIES) {
        console.error(`metrics for ${accountId} lost (${entries.length} entries, ${attempt} tries):`, error);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, METRICS_BATCH_RETRY_MS * attempt));
    }
  }
}
