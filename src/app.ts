// The Hono app: middleware order, routes, and the one onError that renders AWS's error shapes.
import { Hono, type MiddlewareHandler } from 'hono';
import { LambdaError } from './errors';
import { authenticate, type AuthenticatedCaller } from './auth/authenticate';
import { CODE_REQUEST_MAX_BYTES } from './limits';
import { functionRoutes } from './api/lambda/functions';
import { invocationRoutes } from './api/lambda/invocations';
import { accountSettingsRoutes } from './api/lambda/account-settings';
import { adminRoutes } from './api/faasbox/admin';
import { codeDownloadRoutes } from './api/lambda/code-download';
import { sqsRoutes } from './api/sqs';
import { logsRoutes } from './api/logs';
import { logTailRoutes } from './api/faasbox/log-tail';
import { concurrencyRoutes } from './api/lambda/concurrency';
import { eventInvokeConfigRoutes } from './api/lambda/event-invoke-config';
import { XRAY_PATHS, xrayRoutes } from './api/xray';
import { versionRoutes } from './api/lambda/versions';
import { aliasRoutes } from './api/lambda/aliases';
import { functionUrlRoutes } from './api/lambda/function-urls';
import { permissionRoutes } from './api/lambda/permissions';
import { functionUrlGate } from './function-urls/serve';
import { eventsRoutes } from './api/events';
import { eventSourceMappingRoutes } from './api/lambda/event-source-mappings';
import { metricsRoutes } from './api/faasbox/metrics';
import { billingRoutes } from './api/faasbox/billing';
import { basicAuthentication } from './auth/basic-auth';

export interface AppContext {
  Bindings: Env;
  Variables: {
    requestId: string;
    caller: AuthenticatedCaller;
    /** The raw request body, read once (the signature covers it). */
    body: Uint8Array;
  };
}

/** Path prefixes of the Lambda API (one per date version) and faasbox's own signed API. */
export const SIGNED_PREFIXES = ['/2015-03-31', '/2016-08-19', '/2017-03-31', '/2017-10-31', '/2019-09-25', '/2019-09-30', '/2021-10-31', '/api/admin', '/api/logs', '/api/metrics', '/api/billing'];

export const app = new Hono<AppContext>();

app.use('*', async (c, next) => {
  const requestId = crypto.randomUUID();
  c.set('requestId', requestId);
  await next();
  c.res.headers.set('x-amzn-RequestId', requestId);
});

// Function URL requests (by Host or /lambda-url/ path) are public or signed by their own rules.
app.use('*', functionUrlGate);

/** Reads the body once, then verifies its SigV4 signature and sets the caller. */
const signedRequest: MiddlewareHandler<AppContext> = async (c, next) => {
  if (c.get('caller')) return next(); // already authenticated by basicAuthentication (the scrape route)
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > CODE_REQUEST_MAX_BYTES) throw requestTooLarge();
  const body = new Uint8Array(await c.req.raw.arrayBuffer());
  if (body.byteLength > CODE_REQUEST_MAX_BYTES) throw requestTooLarge();
  c.set('body', body);
  c.set('caller', await authenticate(c.env, c.req.raw, body));
  await next();
};

// Prometheus cannot sign SigV4: its scrape route also takes Basic credentials (docs/METRICS.md).
app.use('/api/metrics/prometheus', basicAuthentication);
for (const prefix of SIGNED_PREFIXES) app.use(`${prefix}/*`, signedRequest);
// Services on AWS's JSON protocol (X-Amz-Target: AmazonSQS.SendMessage, ...) post to the root.
app.post('/', signedRequest);
// X-Ray's REST JSON operations are exact paths at the root, not prefixes.
for (const path of XRAY_PATHS) app.post(path, signedRequest);

app.route('/', functionRoutes);
app.route('/', invocationRoutes);
app.route('/', accountSettingsRoutes);
app.route('/', adminRoutes);
app.route('/', codeDownloadRoutes);
app.route('/', sqsRoutes);
app.route('/', logsRoutes);
app.route('/', logTailRoutes);
app.route('/', concurrencyRoutes);
app.route('/', eventInvokeConfigRoutes);
app.route('/', xrayRoutes);
app.route('/', versionRoutes);
app.route('/', aliasRoutes);
app.route('/', functionUrlRoutes);
app.route('/', permissionRoutes);
app.route('/', eventsRoutes);
app.route('/', eventSourceMappingRoutes);
app.route('/', metricsRoutes);
app.route('/', billingRoutes);

app.notFound((c) =>
  new LambdaError(404, 'UnknownOperationException', `Unknown operation: ${c.req.method} ${new URL(c.req.url).pathname}`).toResponse(),
);

app.onError((error, c) => {
  if (error instanceof LambdaError) return error.toResponse();
  // Unknown errors: logged with the request id, never a stack in the response.
  console.error(`request ${c.get('requestId')} failed:`, error);
  return new LambdaError(500, 'ServiceException', `An internal error occurred. RequestId: ${c.get('requestId')}`, { errorKind: 'Service' }).toResponse();
});

function requestTooLarge() {
  return new LambdaError(413, 'RequestEntityTooLargeException', `Request must be smaller than ${CODE_REQUEST_MAX_BYTES} bytes`);
}

/** The request body parsed as JSON, or AWS's SerializationException. Empty means `{}`. */
export function jsonBody(c: { get(key: 'body'): Uint8Array }): unknown {
  const text = new TextDecoder().decode(c.get('body'));
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new LambdaError(400, 'SerializationException', 'Request body is not valid JSON');
  }
}
