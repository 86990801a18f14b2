// The signed door of every API: where a request goes decides the SigV4 service its credential must
// be scoped to, the largest body it may carry and the shape of its refusals. The body is read only
// after every header check passed (src/auth/authenticate.ts), and never beyond the bound. Rate
// limits (src/auth/rate-limits.ts) are checked around authentication.
import type { Context, MiddlewareHandler } from 'hono';
import { LambdaError, RestJsonError, type AwsError } from '../errors';
import { authenticate, type AuthenticatedCaller } from '../auth/authenticate';
import { admitAuthenticated, admitRequest, rateSubjects, settleRefused, ThrottledError } from '../auth/rate-limits';
import { concatBytes, requestTooLarge, SignedRequestError } from '../auth/sigv4';
import type { AppContext } from './request-context';
import type { StreamedPayload } from '../s3/payload';
import { noteSandboxActivity } from '../services/playground/activity';

/** Where a signed request goes, as far as its signature is concerned. */
export interface SignedDestination {
  /** The SigV4 service the credential scope must name (`lambda`, `sqs`...); undefined: any (no API takes the request). */
  service: string | undefined;
  /** The largest body any operation there accepts. */
  maxBodyBytes: number;
  /** A refusal in this API's shape. */
  refuse(error: SignedRequestError, c: Context<AppContext>): Response;
  /** A request over a rate limit, in this API's throttling shape. */
  throttle(error: ThrottledError, c: Context<AppContext>): Response;
  /**
   * This API's own SigV4 rules (S3's presigned URLs and payload modes); src/auth/authenticate.ts's
   * by default. A `payload` it gives is a body left unread, to be streamed by the operation.
   */
  authenticate?: (...args: Parameters<typeof authenticate>) => Promise<{ caller: AuthenticatedCaller; body: Uint8Array; payload?: StreamedPayload }>;
}

/**
 * Middleware: authenticates the request for the destination `to(c)` picks, sets `caller` and
 * `body`, or answers the destination's refusal. In order: the body bound, the request and failure
 * budgets of the address and of the claimed key id (before any key lookup or signature check),
 * then authentication (a failure gives the key's token back and is counted). A caller already set
 * (Basic credentials on the scrape route) passes.
 */
export function signedRequest(to: (c: Context<AppContext>) => SignedDestination): MiddlewareHandler<AppContext> {
  return async (c, next) => {
    if (c.get('caller')) return next();
    const destination = to(c);
    const subjects = rateSubjects(c.req.raw);
    let charged = false;
    try {
      // A declared length over the bound is refused before anything else is looked at.
      if (Number(c.req.header('content-length') ?? 0) > destination.maxBodyBytes) throw requestTooLarge(destination.maxBodyBytes);
      await admitRequest(c.env, subjects);
      charged = true;
      const { caller, body, payload }: Awaited<ReturnType<NonNullable<SignedDestination['authenticate']>>> = await (destination.authenticate ?? authenticate)(c.env, c.req.raw, destination.service, () => readBodyWithin(c.req.raw, destination.maxBodyBytes));
      await admitAuthenticated(c.env, subjects, caller.accessKeyId, caller.playground);
      c.set('caller', caller);
      c.set('body', body);
      if (payload) c.set('payload', payload);
      // A sandbox's signed request keeps it alive (docs/PLAYGROUND.md, "Expiry"): counted here and nowhere else on the API path.
      if (caller.playground) noteSandboxActivity(c.env, caller.accountId, Date.now(), (p) => c.executionCtx.waitUntil(p));
    } catch (error) {
      if (error instanceof ThrottledError) return destination.throttle(error, c);
      if (error instanceof SignedRequestError) {
        // A declared 413 was refused before anything was charged: nothing to give back.
        if (charged) await settleRefused(c.env, subjects, error);
        return destination.refuse(error, c);
      }
      throw error;
    }
    await next();
  };
}

/** The request's body, or SignedRequestError 413 as soon as more than `maxBytes` arrived (the rest is never read). */
export async function readBodyWithin(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concatBytes(chunks);
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw requestTooLarge(maxBytes);
    }
    chunks.push(value);
  }
}

/** A refusal as restJson1 services (Lambda, X-Ray, faasbox's own API) answer it: `x-amzn-ErrorType` and `{"message"}`. */
export function restJsonRefusal(error: SignedRequestError): AwsError {
  return new RestJsonError(error.status, error.code, error.message);
}

/** Lambda's answer to a caller over its API rate: 429 TooManyRequestsException, Reason CallerRateLimitExceeded, Retry-After. */
export function lambdaThrottle(error: ThrottledError): AwsError {
  return new LambdaError(429, 'TooManyRequestsException', error.message, {
    extra: { Reason: 'CallerRateLimitExceeded' },
    headers: { 'Retry-After': String(error.retryAfterSeconds) },
  });
}

/** A restJson1 throttle other than Lambda's (X-Ray's ThrottledException, faasbox's own API): 429 with `code`. */
export function restJsonThrottle(code: string, options: { messageField?: 'message' | 'Message'; retryAfter?: boolean } = {}) {
  return (error: ThrottledError): AwsError =>
    new RestJsonError(429, code, error.message, options.messageField, {}, options.retryAfter ? { 'Retry-After': String(error.retryAfterSeconds) } : {});
}
