// Waiting for effects that land after a response (waitUntil, queue consumers): poll a read
// until it satisfies a condition, or fail with the last value seen.
import { env } from 'cloudflare:workers';
import type { MetricName } from '../../../src/objects/metrics-store';

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
