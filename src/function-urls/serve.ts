// The function URL front door: a request whose Host is `<url-id>.lambda-url.<region>.<domain>`,
// or whose path starts with `/lambda-url/<url-id>`, is answered here before any API route:
//   find the URL -> CORS preflight -> authorize (policy, SigV4) -> event -> invoke -> response;
// a playground sandbox's URL first takes a token of its per-minute rate, and every answer of it
// carries the sandbox headers (docs/PLAYGROUND.md, "Quotas").
import type { Context, MiddlewareHandler } from 'hono';
import type { AppContext } from '../protocols/request-context';
import { clientAddress } from '../auth/client-address';
import { authenticate } from '../auth/authenticate';
import { allowsFunctionUrl, resourcePolicyOf } from '../auth/resource-policy';
import { authorize } from '../services/iam/authorize';
import { AccessDeniedError } from '../iam/access-denied';
import type { Principal } from '../iam/principal';
import { invokeFunction } from '../invoke/invoke-function';
import { SYNC_PAYLOAD_MAX_BYTES } from '../limits';
import { readConfig } from '../config';
import { addCorsHeaders, isPreflight, preflightResponse } from './cors';
import { buildEvent } from './event';
import { matchFunctionUrlRequest, type FunctionUrlRequestTarget } from './hosts';
import { badGateway, forbidden, internalError, quotaThrottled, responseFromResult, throttled, tooLarge, withSandboxHeaders } from './response';
import { findUrlTarget, recordForUrl, type UrlTarget } from './targets';
import { apiRateLimiter } from '../bindings';
import { quotaMessage } from '../playground/quota-messages';

/** Hono middleware: serves function URL requests, passes every other request on. */
export const functionUrlGate: MiddlewareHandler<AppContext> = async (c, next) => {
  const match = matchFunctionUrlRequest(c.env, new URL(c.req.url));
  if (!match) return next();
  try {
    return await serveFunctionUrl(c, match);
  } catch (error) {
    // A platform failure: logged with the request id, never detailed to the public caller.
    console.error(`function URL request ${c.get('requestId')} failed:`, error);
    return internalError();
  }
};

async function serveFunctionUrl(c: Context<AppContext>, match: FunctionUrlRequestTarget): Promise<Response> {
  const target = await findUrlTarget(c.env, match.urlId);
  if (!target) return forbidden();
  if (!target.playground) return serveTarget(c, match, target);
  // A sandbox's URL: at most FAASBOX_PLAYGROUND_URL_REQUESTS_PER_MINUTE requests of any kind a
  // minute (a token bucket per URL, in an ApiRateLimiter), and its headers on every answer.
  const perMinute = readConfig(c.env).playgroundUrlRequestsPerMinute;
  const admitted = await apiRateLimiter(c.env, `url:${match.urlId}`).admit({ requests: { perSecond: perMinute / 60, burst: perMinute } });
  if (!admitted.admitted) return withSandboxHeaders(quotaThrottled(quotaMessage(readConfig(c.env), 'url-requests-per-minute'), admitted.retryAfterSeconds));
  return withSandboxHeaders(await serveTarget(c, match, target));
}

async function serveTarget(c: Context<AppContext>, match: FunctionUrlRequestTarget, target: UrlTarget): Promise<Response> {
  const request = c.req.raw;
  const cors = target.url.cors;
  if (cors && isPreflight(request)) return preflightResponse(cors, request);

  if (Number(request.headers.get('content-length') ?? 0) > SYNC_PAYLOAD_MAX_BYTES) return tooLarge();
  const body = new Uint8Array(await request.arrayBuffer());
  if (body.byteLength > SYNC_PAYLOAD_MAX_BYTES) return tooLarge();

  const principal = await identify(c.env, request, body, target);
  if (!principal || !(await mayInvoke(c.env, target, principal))) return forbidden();
  const record = await recordForUrl(c.env, target);
  if (!record) return forbidden();

  const requestId = c.get('requestId');
  const eventJson = JSON.stringify(
    buildEvent({
      request,
      body,
      urlId: match.urlId,
      rawPath: match.rawPath,
      domainName: match.domainName,
      requestId,
      // A request the platform did not deliver (an in-process call) has no address of its own.
      sourceIp: clientAddress(request) ?? '127.0.0.1',
      accountId: target.accountId,
      iamCaller: principal.anonymous ? undefined : principal,
    }),
  );
  if (eventJson.length > SYNC_PAYLOAD_MAX_BYTES) return tooLarge();

  const caller = { accountId: target.accountId, region: readConfig(c.env).region };
  const attempt = await invokeFunction(c.env, (p) => c.executionCtx.waitUntil(p), { caller, record, qualifier: target.url.qualifier || undefined, requestId, eventJson });
  let response: Response;
  if (attempt.kind === 'throttled') {
    response = attempt.quota ? quotaThrottled(quotaMessage(readConfig(c.env), attempt.quota.quota), attempt.quota.retryAfterSeconds) : throttled();
  }
  else if (attempt.report.result.kind === 'failure') response = badGateway();
  else response = resultResponse(attempt.report.result.payloadJson, match.domainName);
  return cors ? addCorsHeaders(cors, request, response) : response;
}

/** The function's result as the response; a result the Response API still refuses is the function's 502, not a platform 500. */
function resultResponse(payloadJson: string, ownHost: string): Response {
  try {
    return responseFromResult(payloadJson, ownHost);
  } catch (error) {
    console.warn('function URL result could not be sent:', error instanceof Error ? error.message : String(error));
    return badGateway();
  }
}

type UrlCaller = { anonymous: true } | { anonymous: false; accountId: string; accessKeyId: string; principal: Principal };

/**
 * Who is calling. NONE URLs treat every caller as anonymous (a signature is not checked, as in
 * Lambda). AWS_IAM URLs require a valid SigV4 signature of a faasbox key (an account's, an IAM
 * user's or a role session's); undefined otherwise.
 */
async function identify(env: Env, request: Request, body: Uint8Array, target: UrlTarget): Promise<UrlCaller | undefined> {
  if (target.url.authType === 'NONE') return { anonymous: true };
  try {
    // AWS_IAM URLs are signed for Lambda, as in AWS; the body was read within the payload bound above.
    const { caller } = await authenticate(env, request, 'lambda', async () => body);
    return { anonymous: false, accountId: caller.accountId, accessKeyId: caller.accessKeyId, principal: caller.principal };
  } catch {
    return undefined;
  }
}

/**
 * NONE URLs: the resource policy must allow anonymous callers. AWS_IAM URLs: IAM decides
 * lambda:InvokeFunctionUrl on the function's (qualified) ARN, as for Invoke: the owner's root
 * always, its users and roles by their identity policies or the function's policy, another
 * account only when the function's policy allows it (docs/IAM.md).
 */
async function mayInvoke(env: Env, target: UrlTarget, caller: UrlCaller): Promise<boolean> {
  if (caller.anonymous) return allowsFunctionUrl(target.policy, target.url.authType, { anonymous: true });
  const qualifier = target.url.qualifier ? `:${target.url.qualifier}` : '';
  try {
    await authorize(env, caller, {
      action: 'lambda:InvokeFunctionUrl',
      resource: `arn:aws:lambda:${readConfig(env).region}:${target.accountId}:function:${target.latest.name}${qualifier}`,
      resourceAccountId: target.accountId,
      context: { 'lambda:FunctionUrlAuthType': target.url.authType },
    }, async () => resourcePolicyOf(target.policy));
    return true;
  } catch (error) {
    if (error instanceof AccessDeniedError) return false;
    throw error;
  }
}
