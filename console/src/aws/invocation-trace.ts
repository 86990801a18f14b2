// The X-Ray trace of one invocation: traces of the function that started near the invocation
// (GetTraceSummaries), read (BatchGetTraces) until one holds a segment whose aws.request_id is the
// invocation's (docs/TRACES.md: each invocation records one segment carrying its request id).
import { xray } from './client';

/** The parts of an X-Ray segment document the console draws. */
export interface SegmentDocument {
  id: string;
  name: string;
  trace_id?: string;
  parent_id?: string;
  start_time: number;
  end_time?: number;
  origin?: string;
  namespace?: string;
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
  http?: { request?: { method?: string; url?: string }; response?: { status?: number } };
  aws?: { request_id?: string; function_arn?: string };
  cause?: { exceptions?: { type?: string; message?: string }[] };
  subsegments?: SegmentDocument[];
}

export interface InvocationTrace {
  traceId: string;
  /** Every segment of the trace (other functions' too, e.g. a destination), parsed. */
  segments: SegmentDocument[];
  /** The invocation's own segment. */
  segment: SegmentDocument;
}

interface TraceSummary { Id: string; ResourceARNs?: { ARN: string }[] }

/** Seconds searched on each side of the invocation's time (clocks, queueing, long runs). */
const WINDOW_SECONDS = 15 * 60;

const findSegment = (segments: SegmentDocument[], requestId: string) => segments.find((s) => s.aws?.request_id === requestId);

/** The trace of `requestId` (of the function `functionArn`, run about `atMs`), or undefined. */
export async function findInvocationTrace(requestId: string, functionArn: string, atMs: number): Promise<InvocationTrace | undefined> {
  const at = Math.floor(atMs / 1000);
  const candidates: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await xray<{ TraceSummaries: TraceSummary[]; NextToken?: string }>('/TraceSummaries', {
      StartTime: at - WINDOW_SECONDS,
      EndTime: at + WINDOW_SECONDS,
      ...(nextToken ? { NextToken: nextToken } : {}),
    });
    for (const summary of page.TraceSummaries) {
      // Versions and aliases have qualified ARNs: match the function's unqualified ARN as a prefix.
      if (summary.ResourceARNs?.some((r) => r.ARN === functionArn || r.ARN.startsWith(`${functionArn}:`))) candidates.push(summary.Id);
    }
    nextToken = page.NextToken;
  } while (nextToken && candidates.length < 2000);
  // The nearest traces are likelier: read them newest first, 100 at a time.
  candidates.reverse();
  for (let i = 0; i < candidates.length; i += 100) {
    const { Traces } = await xray<{ Traces: { Id: string; Segments: { Id: string; Document: string }[] }[] }>('/Traces', { TraceIds: candidates.slice(i, i + 100) });
    for (const trace of Traces) {
      const segments = trace.Segments.map((s) => JSON.parse(s.Document) as SegmentDocument);
      const segment = findSegment(segments, requestId);
      if (segment) return { traceId: trace.Id, segments, segment };
    }
  }
  return undefined;
}
