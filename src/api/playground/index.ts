// The playground's HTTP routes (docs/PLAYGROUND.md): public, unsigned creation and session routes
// under /api/playground (CSRF-checked), and GET /api/sandbox, signed with the sandbox's own keys.
import { Hono, type Context } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import { clientAddress } from '../../auth/client-address';
import { readConfig } from '../../config';
import { LambdaError } from '../../errors';
import { csrfRefusal } from '../../playground/csrf';
import { readBodyWithin } from '../../protocols/signed-request';
import { SignedRequestError } from '../../auth/sigv4';
import { clearedSessionCookie, sessionCookie } from '../../playground/session';
import { createSandbox, endSession, notASandbox, proofChallenge, resumeSession, sandboxStatus } from '../../services/playground/sandboxes';
import { renderSandbox, renderSession } from './render';

/** The signed prefix of a sandbox's own API (app.ts signs it like faasbox's /api). */
export const SANDBOX_PREFIX = '/api/sandbox';
/** A creation request is a proof and a token: far below this. */
const PUBLIC_BODY_MAX_BYTES = 64 * 1024;

export const playgroundRoutes = new Hono<AppContext>();

/** Refuses a request that fails the CSRF check (src/playground/csrf.ts) with 403. */
function checkCsrf(c: Context<AppContext>): void {
  const refusal = csrfRefusal(c.req.raw);
  if (refusal) throw new LambdaError(403, 'AccessDeniedException', `Refused by the playground's cross-site request check: ${refusal}.`);
}

playgroundRoutes.get('/api/playground/challenge', async (c) => {
  const challenge = await proofChallenge(c.env, Date.now());
  const { turnstileSiteKey } = readConfig(c.env);
  c.header('Cache-Control', 'no-store');
  return c.json({ Challenge: challenge, ...(turnstileSiteKey ? { TurnstileSiteKey: turnstileSiteKey } : {}) });
});

playgroundRoutes.post('/api/playground/sandboxes', async (c) => {
  checkCsrf(c);
  const body = await readPublicJson(c.req.raw);
  const session = await createSandbox(c.env, { proof: body.Proof, turnstileToken: body.TurnstileToken, address: clientAddress(c.req.raw) }, Date.now());
  c.header('Set-Cookie', sessionCookie(session.sessionToken));
  c.header('Cache-Control', 'no-store');
  return c.json(renderSession(session), 201);
});

playgroundRoutes.post('/api/playground/session', async (c) => {
  checkCsrf(c);
  const session = await resumeSession(c.env, c.req.header('cookie'), Date.now());
  c.header('Cache-Control', 'no-store');
  return c.json(renderSession(session));
});

playgroundRoutes.delete('/api/playground/session', async (c) => {
  checkCsrf(c);
  await endSession(c.env, c.req.header('cookie'), Date.now());
  c.header('Set-Cookie', clearedSessionCookie());
  return c.body(null, 204);
});

/** The sandbox's own signed API: its account, times and which end applies. */
export const sandboxRoutes = new Hono<AppContext>();

sandboxRoutes.get(SANDBOX_PREFIX, async (c) => {
  const caller = c.get('caller');
  if (!caller.playground) throw notASandbox();
  return c.json(renderSandbox(await sandboxStatus(c.env, caller.accountId, Date.now())));
});

/** The JSON object of a public request's body, read within PUBLIC_BODY_MAX_BYTES; 400 otherwise. */
async function readPublicJson(request: Request): Promise<Record<string, unknown>> {
  const tooLarge = () => new LambdaError(413, 'RequestEntityTooLargeException', `The request body is larger than ${PUBLIC_BODY_MAX_BYTES} bytes.`);
  if (Number(request.headers.get('content-length') ?? 0) > PUBLIC_BODY_MAX_BYTES) throw tooLarge();
  // Read within the bound as it arrives: a body without a length is never buffered past it.
  let bytes: Uint8Array;
  try {
    bytes = await readBodyWithin(request, PUBLIC_BODY_MAX_BYTES);
  } catch (error) {
    if (error instanceof SignedRequestError) throw tooLarge();
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new LambdaError(400, 'InvalidRequestException', 'The request body is not JSON: send { "Proof": "..." }.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LambdaError(400, 'InvalidRequestException', 'The request body must be a JSON object.');
  return value as Record<string, unknown>;
}
