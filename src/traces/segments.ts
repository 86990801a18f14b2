// X-Ray segment documents of one invocation: the function's segment (origin
// AWS::Lambda::Function) with Initialization (cold starts only), Invocation and Overhead
// subsegments, and under Invocation one `remote` subsegment per fetch the function made.
// Times are epoch seconds with fractions, as X-Ray writes them.
import type { FetchRecord, InvocationReport } from '../../sandbox/contract';
import { newSegmentId } from './trace-header';
import type { SegmentDocument } from '../records/traces';

export type { SegmentDocument } from '../records/traces';

/** What the invocation path knows about one traced invocation when it ends. */
export interface TracedInvocation {
  root: string;
  segmentId: string;
  parentId?: string;
  functionName: string;
  functionArn: string;
  accountId: string;
  requestId: string;
  /** When the request reached the invocation path, epoch ms. */
  receivedAtMs: number;
  /** When the response was ready, epoch ms. */
  respondedAtMs: number;
  /** Undefined for a throttled invocation (it never ran). */
  report?: InvocationReport;
}

const seconds = (ms: number) => ms / 1000;

/** The function segment of one invocation, with its subsegments. */
export function functionSegment(traced: TracedInvocation): SegmentDocument {
  const { report } = traced;
  const segment: SegmentDocument = {
    id: traced.segmentId,
    trace_id: traced.root,
    ...(traced.parentId && { parent_id: traced.parentId }),
    name: traced.functionName,
    origin: 'AWS::Lambda::Function',
    start_time: seconds(traced.receivedAtMs),
    end_time: seconds(traced.respondedAtMs),
    aws: { account_id: traced.accountId, function_arn: traced.functionArn, resource_names: [traced.functionName], request_id: traced.requestId },
  };
  if (!report) {
    // A throttle: Lambda answered 429 without running the function.
    return { ...segment, error: true, throttle: true, http: { response: { status: 429 } } };
  }
  const failure = report.result.kind === 'failure' ? report.result : undefined;
  // A handler error is the function's (error); the runtime failing around it is a fault.
  if (failure?.reason === 'function-error') segment.error = true;
  else if (failure) segment.fault = true;
  if (failure) segment.cause = { exceptions: [{ id: newSegmentId(), type: failure.error.errorType, message: failure.error.errorMessage }] };
  segment.http = { response: { status: 200 } };
  segment.subsegments = phaseSubsegments(traced, report);
  return segment;
}

function phaseSubsegments(traced: TracedInvocation, report: InvocationReport): SegmentDocument[] {
  const invokedAtMs = report.handlerStartedAtMs;
  const subsegments: SegmentDocument[] = [];
  const base = { trace_id: traced.root, aws: { function_arn: traced.functionArn } };
  if (report.initDurationMs !== undefined) {
    const initEndMs = invokedAtMs ?? traced.respondedAtMs;
    subsegments.push({ ...base, id: newSegmentId(), name: 'Initialization', start_time: seconds(initEndMs - report.initDurationMs), end_time: seconds(initEndMs) });
  }
  if (invokedAtMs !== undefined) {
    const invokedEndMs = invokedAtMs + report.durationMs;
    const invocation: SegmentDocument = { ...base, id: newSegmentId(), name: 'Invocation', start_time: seconds(invokedAtMs), end_time: seconds(invokedEndMs) };
    if (report.result.kind === 'failure') invocation[report.result.reason === 'function-error' ? 'error' : 'fault'] = true;
    const fetches = (report.fetches ?? []).map((f) => fetchSubsegment(traced.root, f));
    if (fetches.length > 0) invocation.subsegments = fetches;
    subsegments.push(invocation);
    subsegments.push({ ...base, id: newSegmentId(), name: 'Overhead', start_time: seconds(invokedEndMs), end_time: seconds(Math.max(invokedEndMs, traced.respondedAtMs)) });
  }
  return subsegments;
}

/** A downstream call: named for the URL's host, flagged by status as X-Ray does (4xx error, 429 throttle, 5xx fault). */
export function fetchSubsegment(root: string, fetch: FetchRecord): SegmentDocument {
  const subsegment: SegmentDocument = {
    id: fetch.spanId,
    trace_id: root,
    name: hostOf(fetch.url),
    namespace: 'remote',
    start_time: seconds(fetch.startedAtMs),
    end_time: seconds(fetch.endedAtMs),
    http: { request: { method: fetch.method, url: withoutCredentials(fetch.url) }, ...(fetch.status !== undefined && { response: { status: fetch.status } }) },
  };
  const status = fetch.status ?? 0;
  if (status === 429) subsegment.throttle = true;
  if (status >= 400 && status < 500) subsegment.error = true;
  if (status >= 500 || fetch.error !== undefined) {
    subsegment.fault = true;
    if (fetch.error) subsegment.cause = { exceptions: [{ id: newSegmentId(), type: 'FetchError', message: fetch.error }] };
  }
  return subsegment;
}

/** Query parameters of a presigned AWS URL that grant access: never kept in a trace. */
const CREDENTIAL_PARAMETERS = ['X-Amz-Security-Token', 'X-Amz-Signature'];

/** `url` with a presigned request's session token and signature replaced by `REDACTED`. */
function withoutCredentials(url: string): string {
  if (!CREDENTIAL_PARAMETERS.some((name) => url.includes(name))) return url;
  try {
    const parsed = new URL(url);
    for (const name of CREDENTIAL_PARAMETERS) if (parsed.searchParams.has(name)) parsed.searchParams.set(name, 'REDACTED');
    return parsed.href;
  } catch {
    return url;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
