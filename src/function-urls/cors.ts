// CORS from a URL's Cors config: preflights answered without invoking the function, and the
// headers added to every response whose Origin the config allows.
import type { CorsConfig } from '../records/function-url';

/** A browser's preflight: OPTIONS with Origin and Access-Control-Request-Method. */
export function isPreflight(request: Request): boolean {
  return request.method === 'OPTIONS' && request.headers.has('origin') && request.headers.has('access-control-request-method');
}

/**
 * The preflight answer: 200 with the configured Allow-* headers when the Origin is allowed;
 * without them otherwise, so the browser blocks the real request.
 */
export function preflightResponse(cors: CorsConfig, request: Request): Response {
  const headers = new Headers({ vary: 'Origin' });
  const allowOrigin = allowedOrigin(cors, request.headers.get('origin'));
  if (allowOrigin) {
    headers.set('access-control-allow-origin', allowOrigin);
    if (cors.AllowCredentials) headers.set('access-control-allow-credentials', 'true');
    const methods = cors.AllowMethods ?? [];
    if (methods.length > 0) {
      headers.set('access-control-allow-methods', methods.includes('*') ? request.headers.get('access-control-request-method')! : methods.join(','));
    }
    const allowHeaders = cors.AllowHeaders ?? [];
    const requested = request.headers.get('access-control-request-headers');
    if (allowHeaders.length > 0) {
      headers.set('access-control-allow-headers', allowHeaders.includes('*') && requested ? requested : allowHeaders.join(','));
    }
    if (cors.MaxAge !== undefined) headers.set('access-control-max-age', String(cors.MaxAge));
  }
  return new Response(null, { status: 200, headers });
}

/** Adds Allow-Origin, Allow-Credentials and Expose-Headers to a response for an allowed Origin. */
export function addCorsHeaders(cors: CorsConfig, request: Request, response: Response): Response {
  const allowOrigin = allowedOrigin(cors, request.headers.get('origin'));
  if (!allowOrigin) return response;
  const headers = new Headers(response.headers);
  headers.set('access-control-allow-origin', allowOrigin);
  if (cors.AllowCredentials) headers.set('access-control-allow-credentials', 'true');
  if (cors.ExposeHeaders?.length) headers.set('access-control-expose-headers', cors.ExposeHeaders.join(','));
  headers.append('vary', 'Origin');
  return new Response(response.body, { status: response.status, headers });
}

/**
 * The Access-Control-Allow-Origin value for `origin`, or undefined when not allowed. `*` allows
 * any origin (echoed when credentials are allowed, since browsers refuse `*` with credentials);
 * an entry may use `*` as a wildcard inside it (`https://*.example.com`).
 */
function allowedOrigin(cors: CorsConfig, origin: string | null): string | undefined {
  if (!origin) return undefined;
  const origins = cors.AllowOrigins ?? [];
  if (origins.includes('*')) return cors.AllowCredentials ? origin : '*';
  return origins.some((allowed) => originMatches(allowed, origin)) ? origin : undefined;
}

/**
 * Whether `origin` matches the AllowOrigins entry `pattern`, case-insensitively, where each `*`
 * stands for any run of characters other than `/`. Without backtracking (the Origin is
 * unauthenticated, and a regular expression with many `*` takes exponential time): a wildcard
 * never matches `/`, so the n-th `/` of the pattern matches the n-th `/` of the origin, and each
 * piece between slashes is a plain glob, matched by a greedy left-to-right search.
 *
 * @example originMatches('https://*.example.com', 'https://app.example.com') // true
 */
export function originMatches(pattern: string, origin: string): boolean {
  const patternPieces = pattern.toLowerCase().split('/');
  const originPieces = origin.toLowerCase().split('/');
  return patternPieces.length === originPieces.length && patternPieces.every((piece, i) => globMatches(piece, originPieces[i]!));
}

/**
 * Whether `text` matches `glob`, where `*` is any run of characters: the first literal is a
 * prefix, the last a suffix, and each one between is found at its earliest place after the one
 * before (the earliest place leaves the most room for the rest, so no other choice is needed).
 */
function globMatches(glob: string, text: string): boolean {
  const literals = glob.split('*');
  if (literals.length === 1) return glob === text;
  const first = literals[0]!;
  const last = literals[literals.length - 1]!;
  if (first.length + last.length > text.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (const literal of literals.slice(1, -1)) {
    const found = text.indexOf(literal, at);
    if (found < 0 || found + literal.length > end) return false;
    at = found + literal.length;
  }
  return true;
}
