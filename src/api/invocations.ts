// Invoke: synchronous (RequestResponse) and DryRun; the function's outcome becomes Lambda's
// 200 with or without X-Amz-Function-Error, its log tail the X-Amz-Log-Result header.
import { Hono } from 'hono';
import type { AppContext } from '../app';
import { invalidParameter, LambdaError } from '../errors';
import { invokeFunction } from '../invoke/invoke-function';
import { tailLogResult } from '../invoke/log-lines';
import { SYNC_PAYLOAD_MAX_BYTES, TAIL_LOG_MAX_BYTES } from '../limits';
import { findFunction } from './functions';

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
  if (body.byteLength > SYNC_PAYLOAD_MAX_BYTES) {
    throw new LambdaError(413, 'RequestTooLargeException', `Request must be smaller than ${SYNC_PAYLOAD_MAX_BYTES} bytes for the InvokeFunction operation`);
  }
  const eventJson = parsePayload(body);
  const clientContextJson = parseClientContext(c.req.header('x-amz-client-context'));
  const record = await findFunction(c, { forInvoke: true });
  if (invocationType === 'DryRun') return c.body(null, 204);
  if (invocationType === 'Event') {
    throw invalidParameter('InvocationType Event is not supported by this faasbox yet: asynchronous invocation arrives with the concurrency and async work.');
  }

  const requestId = c.get('requestId');
  const { report, logEvents, executedVersion } = await invokeFunction(c.env, (p) => c.executionCtx.waitUntil(p), {
    caller: c.get('caller'),
    record,
    requestId,
    eventJson,
    clientContextJson,
  });
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amz-executed-version': executedVersion };
  if (logType === 'Tail') headers['x-amz-log-result'] = tailLogResult(logEvents, TAIL_LOG_MAX_BYTES);
  if (report.result.kind === 'success') return new Response(report.result.payloadJson, { status: 200, headers });
  const { errorType, errorMessage, trace } = report.result.error;
  headers['x-amz-function-error'] = 'Unhandled';
  const errorBody = report.result.reason === 'function-error' || trace.length > 0 ? { errorType, errorMessage, trace } : { errorType, errorMessage };
  return new Response(JSON.stringify(errorBody), { status: 200, headers });
});

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
