// Waiting for effects that land after a response (waitUntil, queue consumers): poll a read
// until it satisfies a condition, or fail with the last value seen.
import { env } from 'cloudflare:workers';
import type { MetricName } from '../../../src/records/metrics';

export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}

/** Sum of a function's metric samples so far. */
export function metricTotal(accountId: string, functionName: string, metric: MetricName): Promise<number> {
  return env.METRICS.get(env.METRICS.idFromName(accountId)).total(functionName, metric);
}

/** The figures of one REPORT line, as printed. */
export interface ReportLine {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  initDurationMs?: number;
}

/** The function's REPORT lines, once `count` of them have been written. */
export async function reportLines(accountId: string, functionName: string, count: number): Promise<ReportLine[]> {
  const logs = env.LOGS.get(env.LOGS.idFromName(accountId));
  const events = await eventually(() => logs.readEvents(`/aws/lambda/${functionName}`), (e) => e.filter((x) => x.message.startsWith('REPORT ')).length >= count);
  return events.filter((e) => e.message.startsWith('REPORT ')).map(({ message }) => {
    const field = (name: string) => new RegExp(`${name}: ([^\\t]+?)(?: ms| MB)?\\t`).exec(message)?.[1];
    const init = field('Init Duration');
    return {
      requestId: field('REPORT RequestId')!,
      durationMs: Number(field('Duration')),
      billedDurationMs: Number(field('Billed Duration')),
      memorySizeMb: Number(field('Memory Size')),
      initDurationMs: init === undefined ? undefined : Number(init),
    };
  });
}
