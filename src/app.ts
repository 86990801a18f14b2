// The Hono app: middleware order, each AWS service's API mounted once, and the one onError that
// hands API errors to their protocol's rendering (src/protocols/render-error.ts).
import { Hono, type Context } from 'hono';
import { accessDenied, AwsError, LambdaError } from './errors';
import { AccessDeniedError } from './iam/access-denied';
import { credentialScopeService, type SignedRequestError } from './auth/sigv4';
import type { ThrottledError } from './auth/rate-limits';
import { basicAuthentication } from './auth/basic-auth';
import { CODE_REQUEST_MAX_BYTES, SERVICE_REQUEST_MAX_BYTES } from './limits';
import { awsJsonServiceFor, awsJsonServices, dispatchAwsJson } from './protocols/aws-json';
import { dispatchAwsQuery, isAwsQueryRequest, renderQueryError, type AwsQueryService } from './protocols/aws-query';
import { renderError } from './protocols/render-error';
import { lambdaThrottle, restJsonRefusal, restJsonThrottle, signedRequest, type SignedDestination } from './protocols/signed-request';
import type { AppContext } from './protocols/request-context';
import { functionUrlGate } from './function-urls/serve';
import { LAMBDA_PREFIXES, LAMBDA_SIGNING_NAME, lambdaApi } from './api/lambda';
import { FAASBOX_PREFIXES, FAASBOX_SIGNING_NAME, faasboxApi } from './api/faasbox';
import { sqsJsonService, sqsQueryService } from './api/sqs';
import { logsService } from './api/logs';
import { eventsService } from './api/events';
import { cloudWatchJsonService, cloudWatchQueryService } from './api/cloudwatch';
import { iamQueryService } from './api/iam';
import { stsQueryService } from './api/sts';
import { snsQueryService } from './api/sns';
import { snsLinkRoutes } from './api/sns-links';
import { XRAY_PATHS, XRAY_SIGNING_NAME, xrayRoutes } from './api/xray';
import { consoleRoutes } from './web/console-shell';
import { playgroundRoutes, sandboxRoutes } from './api/playground';
import { playgroundShareRoutes } from './api/playground/shares';
import { usageRoutes } from './api/playground/usage';
import { rememberPlatformHost } from './invoke/platform-hosts';
import { S3_DESTINATION, serveS3 } from './api/s3';
import { isS3Request } from './auth/s3-signature';
import { s3Address } from './s3/addressing';
import { readConfig } from './config';

/** Path prefixes of every signed API: Lambda's date versions and faasbox's own. */
export const SIGNED_PREFIXES = [...LAMBDA_PREFIXES, ...FAASBOX_PREFIXES];

/** The services on AWS's JSON protocols at POST /, by X-Amz-Target prefix. */
const JSON_SERVICES = awsJsonServices([sqsJsonService, logsService, eventsService, cloudWatchJsonService]);
/** The services on the Query protocol at POST /, by Version. */
const QUERY_SERVICES: AwsQueryService<any>[] = [sqsQueryService, cloudWatchQueryService, iamQueryService, stsQueryService, snsQueryService];

export const app = new Hono<AppContext>();

app.use('*', async (c, next) => {
  const requestId = crypto.randomUUID();
  c.set('requestId', requestId);
  // A host this Worker answers on is the platform's own: refused to functions' fetch (docs/SECURITY.md).
  rememberPlatformHost(c.env, c.req.url);
  await next();
  c.res.headers.set('x-amzn-RequestId', requestId);
});

// Function URL requests (by Host or /lambda-url/ path) are public or signed by their own rules.
app.use('*', functionUrlGate);

/** Where each signed API's requests go: the SigV4 service, the body bound and the refusals' shape. */
const refuseAsRestJson = (error: SignedRequestError) => renderError(restJsonRefusal(error));
// Each API's own throttle (docs/SECURITY.md, "Rate limits"): Lambda's CallerRateLimitExceeded, X-Ray's ThrottledException.
const throttleAsLambda = (error: ThrottledError) => renderError(lambdaThrottle(error));
const throttleAsXray = (error: ThrottledError) => renderError(restJsonThrottle('ThrottledException', { messageField: 'Message' })(error));
const throttleAsFaasbox = (error: ThrottledError) => renderError(restJsonThrottle('ThrottlingException', { retryAfter: true })(error));
const LAMBDA: SignedDestination = { service: LAMBDA_SIGNING_NAME, maxBodyBytes: CODE_REQUEST_MAX_BYTES, refuse: refuseAsRestJson, throttle: throttleAsLambda };
const FAASBOX: SignedDestination = { service: FAASBOX_SIGNING_NAME, maxBodyBytes: SERVICE_REQUEST_MAX_BYTES, refuse: refuseAsRestJson, throttle: throttleAsFaasbox };
const XRAY: SignedDestination = { service: XRAY_SIGNING_NAME, maxBodyBytes: SERVICE_REQUEST_MAX_BYTES, refuse: refuseAsRestJson, throttle: throttleAsXray };
/** A POST / that names no service of ours: authenticated for any service, then answered UnknownOperationException. */
const UNKNOWN_ROOT: SignedDestination = { service: undefined, maxBodyBytes: SERVICE_REQUEST_MAX_BYTES, refuse: refuseAsRestJson, throttle: throttleAsFaasbox };
/**
 * Query requests name their service in the body (Version), read only after the headers are
 * checked: the credential scope's service picks which Query service checks the signature (SQS
 * when it names none of them), and the dispatcher refuses a Version of another service.
 */
function queryDestination(c: Context<AppContext>): SignedDestination {
  const claimed = credentialScopeService(c.req.raw);
  const service = QUERY_SERVICES.find((s) => s.signingName === claimed) ?? sqsQueryService;
  return {
    service: service.signingName,
    maxBodyBytes: SERVICE_REQUEST_MAX_BYTES,
    refuse: (error, c) => renderQueryError(error, c.get('requestId'), service.errorStyle),
    throttle: (_error, c) => renderQueryError(service.throttled(), c.get('requestId'), service.errorStyle),
  };
}

/** POST /: the JSON-protocol service its X-Amz-Target names, else the Query protocol's. */
function rootDestination(c: Context<AppContext>): SignedDestination {
  const json = awsJsonServiceFor(c.req.header('x-amz-target'), JSON_SERVICES);
  if (json) {
    return {
      service: json.signingName, maxBodyBytes: SERVICE_REQUEST_MAX_BYTES,
      refuse: (error) => renderError(json.signatureError(error)), throttle: (error) => renderError(json.throttled(error)),
    };
  }
  return isAwsQueryRequest(c) ? queryDestination(c) : UNKNOWN_ROOT;
}

// S3 (docs/S3.md): path style at the origin, so its paths are anyone's (`/<bucket>/<key>`); a
// request whose credential scope (header or presigned query) names s3 is S3's, unless its first
// segment is one of the platform's signed APIs (/2015-03-31, /api...): those stay theirs, so a
// request signed for s3 is refused there for its scope, and such names are no buckets here.
const s3Door = signedRequest(() => S3_DESTINATION);
const PLATFORM_SEGMENTS = new Set(SIGNED_PREFIXES.map((prefix) => prefix.split('/')[1]));
app.use('*', async (c, next) => {
  if (!isS3Request(c.req.raw)) return next();
  const url = new URL(c.req.url);
  if (!s3Address(url, readConfig(c.env).s3Domain).virtualHost && PLATFORM_SEGMENTS.has(url.pathname.split('/')[1])) return next();
  const refused = await s3Door(c, async () => { c.res = await serveS3(c); });
  return refused ?? c.res;
});

// Prometheus cannot sign SigV4: its scrape route also takes Basic credentials (docs/METRICS.md).
app.use('/api/metrics/prometheus', basicAuthentication);
for (const prefix of LAMBDA_PREFIXES) app.use(`${prefix}/*`, signedRequest(() => LAMBDA));
for (const prefix of FAASBOX_PREFIXES) app.use(`${prefix}/*`, signedRequest(() => FAASBOX));
// Services on AWS's JSON and Query protocols (X-Amz-Target: AmazonSQS.SendMessage, Action=...) post to the root.
app.post('/', signedRequest(rootDestination), async (c) =>
  (await dispatchAwsJson(c, JSON_SERVICES)) ?? (await dispatchAwsQuery(c, QUERY_SERVICES)) ?? unknownOperation(c));
// X-Ray's REST JSON operations are exact paths at the root, not prefixes.
for (const path of XRAY_PATHS) app.post(path, signedRequest(() => XRAY));

// SNS's SubscribeURL and UnsubscribeURL: public GET / links (docs/SECURITY.md); other GET / goes on.
app.route('/', snsLinkRoutes);
app.route('/', lambdaApi);
app.route('/', faasboxApi);
app.route('/', xrayRoutes);
// The playground (docs/PLAYGROUND.md): public creation and session routes, and the sandbox's signed
// GET /api/sandbox and /api/sandbox/usage.
app.route('/', playgroundRoutes);
app.route('/', sandboxRoutes);
app.route('/', usageRoutes);
// A share's public snapshot (docs/PLAYGROUND.md, "Share and fork"): unsigned.
app.route('/', playgroundShareRoutes);
// The console's HTML shell and static files: public, unsigned; every call the console makes is signed.
app.route('/', consoleRoutes);

app.notFound(unknownOperation);

app.onError((error, c) => {
  if (error instanceof AwsError) return renderError(error);
  // An IAM refusal no service rendered in its own shape (each guard and dispatcher does): Lambda's.
  if (error instanceof AccessDeniedError) return renderError(accessDenied(error.message));
  // Unknown errors: logged with the request id, never a stack in the response.
  console.error(`request ${c.get('requestId')} failed:`, error);
  return renderError(new LambdaError(500, 'ServiceException', `An internal error occurred. RequestId: ${c.get('requestId')}`, { errorKind: 'Service' }));
});

/**
 * A function's request to the internal endpoint (AWS_ENDPOINT_URL, src/invoke/internal-endpoint.ts),
 * served by this app in process and signed like any other: only the AWS APIs answer it (Lambda's
 * prefixes, POST / for the JSON and Query services, X-Ray's paths, S3's requests by their scope). faasbox's own /api (admin
 * included), function URLs' paths, the playground and the console answer UnknownOperationException.
 */
export async function serveInternalRequest(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const { pathname } = new URL(request.url);
  const reachable = request.method === 'POST' && (pathname === '/' || (XRAY_PATHS as readonly string[]).includes(pathname))
    || LAMBDA_PREFIXES.some((prefix) => pathname.startsWith(`${prefix}/`)) || isS3Request(request);
  if (!reachable) return renderError(new LambdaError(404, 'UnknownOperationException', `Unknown operation: ${request.method} ${pathname}`));
  return app.fetch(request, env, ctx);
}

function unknownOperation(c: Context<AppContext>): Response {
  return renderError(new LambdaError(404, 'UnknownOperationException', `Unknown operation: ${c.req.method} ${new URL(c.req.url).pathname}`));
}
