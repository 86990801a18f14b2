// The trace of one invocation, from the request to the recorded segment: decides the trace id
// and sampling, gives the guest its headers, tags every outbound fetch, and after the response
// writes the segment to the account's TraceStore (and to an OTLP collector when one is set).
import type { FunctionRecord } from '../records/function';
import type { InvocationReport } from '../../sandbox/contract';
import { functionSegment, type SegmentDocument } from './segments';
import { exportToOtlp } from './otlp';
import { traceStore } from '../bindings';
import { readConfig } from '../config';
import { formatTraceparent, formatXRayHeader, newSegmentId, newTraceRoot, parseXRayHeader, type IncomingTrace } from './trace-header';

export interface InvocationTrace {
  root: string;
  /** The function segment's id: the Parent the guest and downstream calls see. */
  segmentId: string;
  /** The caller's segment or span, when the request carried one. */
  parentId?: string;
  sampled: boolean;
  /** Only Active functions record segments, and only sampled traces. */
  recorded: boolean;
  receivedAtMs: number;
}

type WaitUntil = (p: Promise<unknown>) => void;

/**
 * The trace for an invocation of `record`. An incoming trace is continued; otherwise a new one is
 * made (as Lambda does, also for PassThrough, where it is not sampled). An Active function samples
 * every invocation unless the caller decided `Sampled=0`.
 * @param incomingHeader an `X-Amzn-Trace-Id` value (API requests convert traceparent to it first)
 */
export function startTrace(record: Pick<FunctionRecord, 'tracingMode'>, incomingHeader: string | undefined, receivedAtMs = Date.now()): InvocationTrace {
  const incoming = incomingHeader === undefined ? undefined : parseXRayHeader(incomingHeader);
  const active = record.tracingMode === 'Active';
  const sampled = incoming?.sampled ?? active;
  return { root: incoming?.root ?? newTraceRoot(receivedAtMs), segmentId: newSegmentId(), parentId: incoming?.parentId, sampled, recorded: active && sampled, receivedAtMs };
}

/** What the guest sees: `context.xRayTraceId` / `_X_AMZN_TRACE_ID`, and `context.w3c().traceparent`. */
export function guestTraceFields(trace: InvocationTrace): { xRayTraceId: string; traceparent: string } {
  return {
    xRayTraceId: formatXRayHeader(trace.root, trace.segmentId, trace.sampled),
    traceparent: formatTraceparent(trace.root, trace.segmentId, trace.sampled),
  };
}

/** The trace header to hand on with work this invocation causes (an async event, a destination). */
export function downstreamTraceHeader(trace: InvocationTrace): string {
  return formatXRayHeader(trace.root, trace.segmentId, trace.sampled);
}

/** An X-Ray header for a trace that arrived with a request, kept as it was decided (or not). */
export function incomingTraceHeader(incoming: IncomingTrace): string {
  const parent = incoming.parentId ? `;Parent=${incoming.parentId}` : '';
  const sampled = incoming.sampled === undefined ? '' : `;Sampled=${incoming.sampled ? 1 : 0}`;
  return `Root=${incoming.root}${parent}${sampled}`;
}

/** The guest's request with both trace headers naming `spanId` (the fetch's subsegment) as parent. */
export function withTraceHeaders(trace: InvocationTrace, request: Request, spanId: string): Request {
  const headers = new Headers(request.headers);
  headers.set('X-Amzn-Trace-Id', formatXRayHeader(trace.root, spanId, trace.sampled));
  headers.set('traceparent', formatTraceparent(trace.root, spanId, trace.sampled));
  return new Request(request, { headers });
}

export interface TraceOutcome {
  accountId: string;
  functionName: string;
  functionArn: string;
  requestId: string;
  /** Undefined when the invocation was throttled. */
  report?: InvocationReport;
}

/**
 * Builds the invocation's segment and writes it after the response: to the account's TraceStore,
 * and to the OTLP collector when FAASBOX_OTLP_ENDPOINT is set. Failures are logged, never thrown.
 */
export function recordTrace(env: Env, waitUntil: WaitUntil, trace: InvocationTrace, outcome: TraceOutcome): void {
  if (!trace.recorded) return;
  const respondedAtMs = Date.now();
  const { otlpEndpoint } = readConfig(env);
  waitUntil(
    Promise.resolve().then(async () => {
      const segment: SegmentDocument = functionSegment({
        ...outcome, root: trace.root, segmentId: trace.segmentId, parentId: trace.parentId, receivedAtMs: trace.receivedAtMs, respondedAtMs,
      });
      const store = traceStore(env, outcome.accountId);
      await Promise.all([
        store.put([segment]).catch((error: unknown) => console.error(`trace ${trace.root} of ${outcome.requestId} lost:`, error)),
        otlpEndpoint ? exportToOtlp(otlpEndpoint, outcome.accountId, [segment]) : undefined,
      ]);
    }),
  );
}
