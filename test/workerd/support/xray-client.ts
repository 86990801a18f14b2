// Reads a function's recorded X-Ray segments in tests (requests: xrayApi in aws-json-client.ts).
import type { TestClient } from './signed-client';
import type { SegmentDocument } from '../../../src/traces/segments';
import { xrayApi } from './aws-json-client';
import { eventually } from './observe';

export interface TraceView {
  Id: string;
  Duration: number;
  Segments: { Id: string; Document: string }[];
}

/** The function segments of trace `root`, once `count` of them are stored. */
export async function segmentsOf(client: TestClient, root: string, count = 1): Promise<SegmentDocument[]> {
  const { Traces } = await eventually(
    () => xrayApi.call<{ Traces: TraceView[] }>(client, '/Traces', { TraceIds: [root] }),
    (out) => (out.Traces[0]?.Segments.length ?? 0) >= count,
  );
  return Traces[0].Segments.map((s) => JSON.parse(s.Document) as SegmentDocument);
}

/** The last hour up to now, in X-Ray's epoch seconds. */
export function lastHour(): { StartTime: number; EndTime: number } {
  const now = Date.now() / 1000;
  return { StartTime: now - 3600, EndTime: now + 60 };
}
