// GetFunction's Code.Location: a short-lived link that downloads the function's zip without AWS
// credentials, like S3's presigned URLs. The link is the authorisation: an HMAC over the R2 key
// and an expiry, keyed by the platform's secret.
import { Hono } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import { LambdaError } from '../../errors';
import { CODE_LOCATION_TTL_MS } from '../../limits';
import { readConfig } from '../../config';
import { timingSafeEqual } from '../../auth/sigv4';

export const codeDownloadRoutes = new Hono<AppContext>();

async function sign(env: Env, payload: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(`faasbox code location\n${readConfig(env).adminSecretAccessKey}`), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return base64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(payload))));
}

/** A download link for the zip at `codeKey`, valid for 10 minutes. */
export async function createCodeLocation(env: Env, origin: string, codeKey: string, nowMs = Date.now()): Promise<string> {
  const payload = base64url(new TextEncoder().encode(JSON.stringify({ k: codeKey, e: nowMs + CODE_LOCATION_TTL_MS })));
  return `${origin}/api/code/${payload}.${await sign(env, payload)}`;
}

codeDownloadRoutes.get('/api/code/:token', async (c) => {
  const [payload, signature] = c.req.param('token').split('.');
  const denied = new LambdaError(403, 'AccessDenied', 'Request has expired or its signature is invalid.');
  if (!payload || !signature || !timingSafeEqual(signature, await sign(c.env, payload))) throw denied;
  const { k: key, e: expiresAtMs } = JSON.parse(new TextDecoder().decode(fromBase64url(payload))) as { k: string; e: number };
  if (Date.now() > expiresAtMs) throw denied;
  const object = await c.env.CODE.get(key);
  if (!object) throw new LambdaError(404, 'NoSuchKey', 'The specified key does not exist.');
  return new Response(object.body, { headers: { 'content-type': 'application/zip', 'content-length': String(object.size) } });
});

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array {
  return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));
}
