// Calls the metrics and billing APIs (signed GETs with query parameters) for a tenant.
import type { TestClient } from './signed-client';

export interface Datapoint {
  Timestamp: string;
  SampleCount?: number;
  Sum?: number;
  Average?: number;
  Minimum?: number;
  Maximum?: number;
  ExtendedStatistics?: Record<string, number>;
  Unit: string;
}

/** GET `path` with `params` (arrays repeat the parameter); throws with the body on anything but 200. */
export async function getJson<T>(client: TestClient, path: string, params: Record<string, string | number | string[]>): Promise<T> {
  const response = await getResponse(client, path, params);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path} failed: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

export function getResponse(client: TestClient, path: string, params: Record<string, string | number | string[]>): Promise<Response> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const v of Array.isArray(value) ? value : [value]) query.append(key, String(v));
  return client.send('GET', `${path}?${query}`);
}

/** One datapoint covering the last hour (and the next minutes) of `metric`, or undefined when there is none. */
export async function lastHour(client: TestClient, metric: string, functionName: string | undefined, statistics: string[]): Promise<Datapoint | undefined> {
  const now = Math.floor(Date.now() / 1000);
  const body = await getJson<{ Label: string; Datapoints: Datapoint[] }>(client, '/api/metrics/statistics', {
    MetricName: metric, ...(functionName ? { FunctionName: functionName } : {}), StartTime: now - 3000, EndTime: now + 600, Period: 3600, Statistics: statistics,
  });
  return body.Datapoints[0];
}
