// HTTP Basic authentication for the one route a scraper calls (GET /api/metrics/prometheus):
// Prometheus cannot sign SigV4, so it sends `AccessKeyId:SecretAccessKey` as Basic credentials.
// Only over HTTPS in production: Basic sends the secret itself. The secret is never logged.
import type { MiddlewareHandler } from 'hono';
import type { AppContext } from '../protocols/request-context';
import { resolveAccessKey } from './authenticate';
import { SignedRequestError, timingSafeEqual, unrecognizedClient } from './sigv4';
import { restJsonRefusal } from '../protocols/signed-request';
import { readConfig } from '../config';

const invalidToken = () => restJsonRefusal(unrecognizedClient());

/**
 * Sets the caller from Basic credentials when the request carries them; otherwise leaves the
 * request to the SigV4 middleware that follows. Wrong or unknown keys get AWS's 403.
 */
export const basicAuthentication: MiddlewareHandler<AppContext> = async (c, next) => {
  const header = c.req.header('authorization');
  if (!header || !/^Basic\s/i.test(header)) return next();
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(header.replace(/^Basic\s+/i, '').trim()), (ch) => ch.charCodeAt(0)));
  } catch {
    throw invalidToken();
  }
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw invalidToken();
  const key = await resolveAccessKey(c.env, decoded.slice(0, colon)).catch((error: unknown) => {
    throw error instanceof SignedRequestError ? restJsonRefusal(error) : error;
  });
  if (!timingSafeEqual(key.secret, decoded.slice(colon + 1))) throw invalidToken();
  c.set('body', new Uint8Array());
  c.set('caller', { accountId: key.accountId, region: readConfig(c.env).region, accessKeyId: decoded.slice(0, colon), isAdmin: key.isAdmin, playground: key.playground, principal: key.principal });
  await next();
};
