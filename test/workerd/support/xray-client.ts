// Calls the X-Ray-compatible API (REST JSON at /TraceSummaries, /Traces, /ServiceGraph) with a
// tenant's signed client, and reads a function's recorded segments.
import type { TestClient } from './signed-client';
import type { SegmentDocument } from '../../../src/traces/segments';
import { eventually } from './observe';

export type XRayPath = '/TraceSummaries' | '/Traces' | '/ServiceGraph';

/** The operation's output; throws with the status and body on anything but 200. */
export async function xray<T = Record<string, unknown>>(client: TestClient, path: XRayPath, body: unknown): Promise<T> {
  const response = await client.send('POST', path, body, { 'Content-Type': 'application/json' });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path} failed: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

export interface TraceView {
  Id: string;
  Duration: number;
  Segments: { Id: string; Document: string }[];
}

/** The function segments of trace `root`, once `count` of them are stored. */
export async function segmentsOf(client: TestClient, root: string, count = 1): Promise<SegmentDocument[]> {
  const { Traces } = await eventually(
    () => xray<{ Traces: TraceView[] }>(client, '/Traces', { TraceIds: [root] }),
    (out) => (out.Traces[0]?.Segments.length ?? 0) >= count,
  );
  return Traces[0].Segments.map((s) => JSON.parse(s.Document) as SegmentDocument);
}

/** The last hour up to now, in X-Ray's epoch seconds. */
export function lastHour(): { StartTime: number; EndTime: number } {
  const now = Date.now() / 1000;
  return { StartTime: now - 3600, EndTime: now + 60 };
}
