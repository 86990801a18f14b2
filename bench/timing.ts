// The batch timer and the drain of after-response work the workerd benchmarks share.
import { isIdleWait } from '../src/invoke/admission';
import { flushMetrics, isBatchDelay } from '../src/invoke/metrics-batch';

/**
 * Milliseconds per call of `fn`, timed over `batch` calls: the Workers clock has 1 ms resolution
 * and advances only across I/O, so single fast calls would all read 0 or 1 ms.
 */
export async function time(fn: () => Promise<unknown>, batch = 1): Promise<number> {
  await scheduler.wait(0); // let the clock advance before reading it
  const t = performance.now();
  for (let i = 0; i < batch; i++) await fn();
  await scheduler.wait(0);
  return (performance.now() - t) / batch;
}

/**
 * Drains the after-response work in `pending` (emptied): the open metrics batches are written now
 * rather than after their delay, and log lines and releases are awaited. A slot's idle wait
 * (invoke/admission.ts) and a batch's delay are time, not work: they move to `idle` for the caller
 * to await last.
 */
export async function drainWork(env: Env, pending: Promise<unknown>[], idle: Promise<unknown>[]): Promise<void> {
  const waits = (p: Promise<unknown>) => isIdleWait(p) || isBatchDelay(p);
  const work = pending.splice(0);
  idle.push(...work.filter(waits));
  await Promise.all([flushMetrics(env), ...work.filter((p) => !waits(p))]);
}
