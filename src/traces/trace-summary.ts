// X-Ray's views of stored traces: the TraceSummary of GetTraceSummaries and the Trace of
// BatchGetTraces, derived from a trace's segment documents.
import type { StoredTrace } from '../records/traces';
import type { SegmentDocument } from './segments';

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** The trace's first segment (by start) that no other segment of the trace is the parent of. */
export function entrySegment(trace: StoredTrace): SegmentDocument {
  const ids = new Set<string>();
  const collect = (s: SegmentDocument) => {
    ids.add(s.id);
    s.subsegments?.forEach(collect);
  };
  trace.segments.forEach(collect);
  const roots = trace.segments.filter((s) => !s.parent_id || !ids.has(s.parent_id));
  return [...(roots.length > 0 ? roots : trace.segments)].sort((a, b) => a.start_time - b.start_time)[0];
}

/** Seconds from the first start to the last end of the trace's segments. */
function traceBounds(trace: StoredTrace): { start: number; end: number } {
  return {
    start: Math.min(...trace.segments.map((s) => s.start_time)),
    end: Math.max(...trace.segments.map((s) => s.end_time)),
  };
}

function some(trace: StoredTrace, flag: 'error' | 'fault' | 'throttle'): boolean {
  const has = (s: SegmentDocument): boolean => s[flag] === true || (s.subsegments ?? []).some(has);
  return trace.segments.some(has);
}

/** X-Ray's TraceSummary (the fields faasbox can fill; the rest empty as for a trace without them). */
export function traceSummary(trace: StoredTrace) {
  const entry = entrySegment(trace);
  const { start, end } = traceBounds(trace);
  const functions = [...new Map(trace.segments.map((s) => [s.name, s])).values()];
  const serviceId = (s: SegmentDocument) => ({ Name: s.name, Names: [s.name], AccountId: s.aws?.account_id ?? '', Type: s.origin ?? 'AWS::Lambda::Function' });
  const remoteHosts = new Set<string>();
  const collectRemote = (s: SegmentDocument) => {
    if (s.namespace === 'remote') remoteHosts.add(s.name);
    s.subsegments?.forEach(collectRemote);
  };
  trace.segments.forEach(collectRemote);
  return {
    Id: trace.id,
    StartTime: start,
    Duration: round3(end - start),
    ResponseTime: round3(entry.end_time - entry.start_time),
    HasFault: some(trace, 'fault'),
    HasError: some(trace, 'error'),
    HasThrottle: some(trace, 'throttle'),
    IsPartial: false,
    Http: { HttpStatus: entry.http?.response?.status, ...(entry.http?.request?.method && { HttpMethod: entry.http.request.method }), ...(entry.http?.request?.url && { HttpURL: entry.http.request.url }) },
    Annotations: {},
    Users: [],
    ServiceIds: [...functions.map(serviceId), ...[...remoteHosts].map((host) => ({ Name: host, Names: [host], Type: 'remote' }))],
    ResourceARNs: functions.flatMap((s) => (s.aws?.function_arn ? [{ ARN: s.aws.function_arn }] : [])),
    InstanceIds: [],
    AvailabilityZones: [],
    EntryPoint: serviceId(entry),
    FaultRootCauses: [],
    ErrorRootCauses: [],
    ResponseTimeRootCauses: [],
    Revision: trace.segments.length,
  };
}

/** X-Ray's Trace: its id, duration, and each segment's document as a JSON string. */
export function traceView(trace: StoredTrace) {
  const { start, end } = traceBounds(trace);
  return {
    Id: trace.id,
    Duration: round3(end - start),
    LimitExceeded: false,
    Segments: trace.segments.map((s) => ({ Id: s.id, Document: JSON.stringify(s) })),
  };
}
