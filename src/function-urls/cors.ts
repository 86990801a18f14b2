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
  const matches = origins.some((allowed) => {
    const pattern = allowed.toLowerCase().split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*');
    return new RegExp(`^${pattern}$`).test(origin.toLowerCase());
  });
  return matches ? origin : undefined;
}
