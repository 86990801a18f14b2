// The Hono app: middleware order, each AWS service's API mounted once, and the one onError that
// hands API errors to their protocol's rendering (src/protocols/render-error.ts).
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { AwsError, LambdaError } from './errors';
import { authenticate } from './auth/authenticate';
import { basicAuthentication } from './auth/basic-auth';
import { CODE_REQUEST_MAX_BYTES } from './limits';
import { awsJsonServices, dispatchAwsJson } from './protocols/aws-json';
import { dispatchAwsQuery } from './protocols/aws-query';
import { renderError } from './protocols/render-error';
import type { AppContext } from './protocols/request-context';
import { functionUrlGate } from './function-urls/serve';
import { LAMBDA_PREFIXES, lambdaApi } from './api/lambda';
import { FAASBOX_PREFIXES, faasboxApi } from './api/faasbox';
import { sqsJsonService, sqsQueryService } from './api/sqs';
import { logsService } from './api/logs';
import { eventsService } from './api/events';
import { XRAY_PATHS, xrayRoutes } from './api/xray';

/** Path prefixes of every signed API: Lambda's date versions and faasbox's own. */
export const SIGNED_PREFIXES = [...LAMBDA_PREFIXES, ...FAASBOX_PREFIXES];

/** The services on AWS's JSON protocols at POST /, by X-Amz-Target prefix. */
const JSON_SERVICES = awsJsonServices([sqsJsonService, logsService, eventsService]);
/** The services on the Query protocol at POST /, by Version. */
const QUERY_SERVICES = [sqsQueryService];

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
// Services on AWS's JSON and Query protocols (X-Amz-Target: AmazonSQS.SendMessage, Action=...) post to the root.
app.post('/', signedRequest, async (c) =>
  (await dispatchAwsJson(c, JSON_SERVICES)) ?? (await dispatchAwsQuery(c, QUERY_SERVICES)) ?? unknownOperation(c));
// X-Ray's REST JSON operations are exact paths at the root, not prefixes.
for (const path of XRAY_PATHS) app.post(path, signedRequest);

app.route('/', lambdaApi);
app.route('/', faasboxApi);
app.route('/', xrayRoutes);

app.notFound(unknownOperation);

app.onError((error, c) => {
  if (error instanceof AwsError) return renderError(error);
  // Unknown errors: logged with the request id, never a stack in the response.
  console.error(`request ${c.get('requestId')} failed:`, error);
  return renderError(new LambdaError(500, 'ServiceException', `An internal error occurred. RequestId: ${c.get('requestId')}`, { errorKind: 'Service' }));
});

function unknownOperation(c: Context<AppContext>): Response {
  return renderError(new LambdaError(404, 'UnknownOperationException', `Unknown operation: ${c.req.method} ${new URL(c.req.url).pathname}`));
}

function requestTooLarge() {
  return new LambdaError(413, 'RequestEntityTooLargeException', `Request must be smaller than ${CODE_REQUEST_MAX_BYTES} bytes`);
}
