// Invoke: synchronous (RequestResponse) and DryRun; the function's outcome becomes Lambda's
// 200 with or without X-Amz-Function-Error, its log tail the X-Amz-Log-Result header.
import { Hono } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import { functionNotFound, LambdaError } from '../../errors';
import { invokeFunction } from '../../invoke/invoke-function';
import { enqueueEvent } from '../../invoke/async-events';
import type { ThrottleReason } from '../../records/concurrency';
import { tailLogResult } from '../../invoke/log-lines';
import { ASYNC_PAYLOAD_MAX_BYTES, SYNC_PAYLOAD_MAX_BYTES, TAIL_LOG_MAX_BYTES } from '../../limits';
import { functionArn } from '../../function-names';
import { resolveFunction } from '../../services/resolve-function';
import { functionOwner, functionReference } from './function-reference';
import { parseIncomingTrace } from '../../traces/trace-header';
import { incomingTraceHeader } from '../../traces/invocation-trace';
import { quotaThrottle } from '../../services/playground/quotas';

export const invocationRoutes = new Hono<AppContext>();

invocationRoutes.post('/2015-03-31/functions/:name/invocations', async (c) => {
  const invocationType = c.req.header('x-amz-invocation-type') ?? 'RequestResponse';
  const logType = c.req.header('x-amz-log-type') ?? 'None';
  if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType)) {
    throw new LambdaError(400, 'ValidationException', `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`);
  }
  if (!['None', 'Tail'].includes(logType)) {
    throw new LambdaError(400, 'ValidationException', `1 validation error detected: Value '${logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]`);
  }
  const body = c.get('body');
  const maxPayloadBytes = invocationType === 'Event' ? ASYNC_PAYLOAD_MAX_BYTES : SYNC_PAYLOAD_MAX_BYTES;
  if (body.byteLength > maxPayloadBytes) {
    throw new LambdaError(413, 'RequestTooLargeException', `Request must be smaller than ${maxPayloadBytes} bytes for the InvokeFunction operation`);
  }
  const eventJson = parsePayload(body);
  const clientContextJson = parseClientContext(c.req.header('x-amz-client-context'));
  const incomingTrace = parseIncomingTrace(c.req.header('x-amzn-trace-id'), c.req.header('traceparent'));
  const traceHeader = incomingTrace && incomingTraceHeader(incomingTrace);
  // The function's account: the caller's, or another whose resource policy allows this Invoke.
  const caller = functionOwner(c);
  const { name, qualifier } = functionReference(c, caller);
  // An alias picks its version here, once: an async event carries it through every retry.
  const resolved = await resolveFunction(c.env, caller.accountId, name, qualifier);
  if (!resolved) throw functionNotFound(functionArn(caller, name, qualifier ?? '$LATEST'));
  const { record } = resolved;
  if (invocationType === 'DryRun') return c.body(null, 204);
  const requestId = c.get('requestId');
  const waitUntil = (p: Promise<unknown>) => c.executionCtx.waitUntil(p);
  if (invocationType === 'Event') {
    await enqueueEvent(c.env, waitUntil, caller, record, requestId, eventJson, { qualifier, traceHeader });
    return c.body(null, 202);
  }

  const attempt = await invokeFunction(c.env, waitUntil, { caller, record, qualifier, requestId, eventJson, clientContextJson, traceHeader });
  if (attempt.kind === 'throttled') throw attempt.quota ? quotaThrottle(c.env, attempt.quota) : tooManyRequests(attempt.reason);
  const { report, logEvents, executedVersion } = attempt;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amz-executed-version': executedVersion };
  if (logType === 'Tail') headers['x-amz-log-result'] = tailLogResult(logEvents, TAIL_LOG_MAX_BYTES);
  // faasbox's own header (the console's Test tab shows it): why no line reached the log group.
  if (attempt.logsDenied) headers['x-faasbox-logs-denied'] = attempt.logsDenied;
  if (report.result.kind === 'success') return new Response(report.result.payloadJson, { status: 200, headers });
  const { errorType, errorMessage, trace, reply } = report.result.error;
  headers['x-amz-function-error'] = 'Unhandled';
  const errorBody = reply ?? (report.result.reason === 'function-error' || trace.length > 0 ? { errorType, errorMessage, trace } : { errorType, errorMessage });
  return new Response(JSON.stringify(errorBody), { status: 200, headers });
});

/** Lambda's 429 for a throttled synchronous call. */
export function tooManyRequests(reason: ThrottleReason): LambdaError {
  return new LambdaError(429, 'TooManyRequestsException', 'Rate Exceeded.', { extra: { Reason: reason }, headers: { 'Retry-After': '1' } });
}

/** The payload as JSON text; empty means `{}` as in Lambda. */
function parsePayload(body: Uint8Array): string {
  const text = new TextDecoder().decode(body);
  if (text.trim() === '') return '{}';
  try {
    JSON.parse(text);
  } catch (error) {
    throw new LambdaError(400, 'InvalidRequestContentException', `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`);
  }
  return text;
}

/** X-Amz-Client-Context: base64 of a JSON object, at most 3,583 bytes. */
function parseClientContext(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const invalid = new LambdaError(400, 'InvalidRequestContentException', 'Client context must be a valid Base64-encoded JSON object.');
  if (header.length > 3583) throw invalid;
  try {
    const json = new TextDecoder().decode(Uint8Array.from(atob(header), (ch) => ch.charCodeAt(0)));
    const value: unknown = JSON.parse(json);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid;
    return json;
  } catch {
    throw invalid;
  }
}
