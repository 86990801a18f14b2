// The console's pages: the HTML shell (GET / and /console/...) with a fresh CSP nonce and the
// region per response, and its static JS, CSS and icon straight from the ASSETS binding. The
// console itself is a client of the signed APIs (console/src); nothing here reads account data.
import { Hono, type Context } from 'hono';
import type { AppContext } from '../protocols/request-context';
import { readConfig } from '../config';

/**
 * Strict: scripts only from this origin, no inline script or eval, styles from this origin or
 * with this response's nonce (CodeMirror injects one <style>), calls only to this origin (the
 * signed APIs), never framed, and DOM sinks typed (no string reaches innerHTML).
 */
function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
  ].join('; ');
}

/** 16 random bytes, base64: unguessable per response, as CSP nonces must be. */
function freshNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
} as const;

async function serveShell(c: Context<AppContext>): Promise<Response> {
  const shell = await c.env.ASSETS.fetch(new URL('/index.html', c.req.url));
  if (!shell.ok) return new Response('The console is not built: run `node scripts/console-build.mjs`.', { status: 503 });
  const nonce = freshNonce();
  const region = readConfig(c.env).region;
  const page = new HTMLRewriter()
    .on('meta[name="faasbox-nonce"]', { element: (e) => void e.setAttribute('content', nonce) })
    .on('meta[name="faasbox-region"]', { element: (e) => void e.setAttribute('content', region) })
    .transform(shell);
  return new Response(page.body, {
    headers: {
      ...SECURITY_HEADERS,
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': contentSecurityPolicy(nonce),
      'x-frame-options': 'DENY',
    },
  });
}

async function serveAsset(c: Context<AppContext>, path?: string): Promise<Response> {
  const asset = await c.env.ASSETS.fetch(path ? new URL(path, c.req.url) : c.req.raw);
  if (asset.status === 404) return c.text('Not found', 404);
  const response = new Response(asset.body, asset);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

export const consoleRoutes = new Hono<AppContext>();
consoleRoutes.get('/', serveShell);
consoleRoutes.get('/console', serveShell);
consoleRoutes.get('/console/*', serveShell);
// A share's read-only page (docs/PLAYGROUND-SHARES.md): public, its snapshot read by the page.
consoleRoutes.get('/s/:token', serveShell);
consoleRoutes.get('/console-assets/*', (c) => serveAsset(c));
consoleRoutes.get('/favicon.svg', (c) => serveAsset(c));
// Browsers ask for /favicon.ico by themselves; a 404 there is a console error.
consoleRoutes.get('/favicon.ico', (c) => serveAsset(c, '/favicon.svg'));
