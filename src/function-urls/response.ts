// A function's result as the URL's HTTP response, with Lambda's rules, and the fixed answers a URL
// gives when it does not run the function. Public responses carry no internal detail.
import { base64ToBytes } from '../base64';
import { URL_RESULT_HEADERS_MAX_BYTES } from '../limits';

/** `{"Message": ...}` answers of a function URL. */
export function urlMessage(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ Message: message }), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export const forbidden = () => urlMessage(403, 'Forbidden', { 'x-amzn-ErrorType': 'AccessDeniedException' });
/** A function error, timeout, crash or malformed result: Lambda URLs answer 502 for all of them. */
export const badGateway = () => urlMessage(502, 'Internal Server Error');
export const throttled = () => urlMessage(429, 'Rate Exceeded.', { 'Retry-After': '1' });
export const tooLarge = () => urlMessage(413, 'Request Entity Too Large');
export const internalError = () => urlMessage(500, 'Internal Server Error');
/** A playground sandbox's quota refused the request (docs/PLAYGROUND-QUOTAS.md): the URL's 429 with the quota named. */
export const quotaThrottled = (message: string, retryAfterSeconds: number | undefined) =>
  urlMessage(429, message, retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) });

/**
 * What every response of a sandbox's URL carries: its user HTML runs as an opaque origin (no
 * cookies, storage or same-origin access to anything; scripts allowed) and is not indexed.
 * Set over the function's own headers, so a function cannot weaken them.
 */
export function withSandboxHeaders(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set('content-security-policy', 'sandbox allow-scripts');
  headers.set('x-robots-tag', 'noindex');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * `cookie` as the URL on `ownHost` may set it: every Domain attribute that names another domain
 * is dropped, so the cookie stays host-only. A parent domain (the URL domain every tenant's URL
 * shares, or `localhost`) would plant it on other tenants' URLs and on the console.
 * @example hostOnlyCookie('s=1; Domain=localhost; Path=/', 'abc.lambda-url.us-east-1.localhost') // 's=1; Path=/'
 */
export function hostOnlyCookie(cookie: string, ownHost: string): string {
  const [pair, ...attributes] = cookie.split(';');
  const kept = attributes.filter((attribute) => {
    const domain = /^\s*domain\s*=(.*)$/i.exec(attribute)?.[1];
    return domain === undefined || domain.trim().replace(/^\./, '').toLowerCase() === ownHost.toLowerCase();
  });
  return [pair, ...kept].join(';');
}

/**
 * Maps the function's JSON result, for the URL on `ownHost` (its `<url-id>.lambda-url...` name):
 * 1. an object with `statusCode`: that status, its `headers`, each of `cookies` as its own
 *    Set-Cookie, `body` (decoded from base64 when `isBase64Encoded`), content-type
 *    application/json unless given; a cookie's Domain other than `ownHost` is dropped;
 * 2. any other JSON value: 200, application/json, the JSON text as the body (a string result
 *    arrives as a JSON string, quotes included, as Lambda documents);
 * 3. a malformed structured result (bad statusCode, undecodable base64, a header name that is
 *    not an HTTP token, a header or cookie value holding CR, LF or NUL, headers and cookies
 *    over URL_RESULT_HEADERS_MAX_BYTES): 502.
 */
export function responseFromResult(payloadJson: string, ownHost: string): Response {
  const result: unknown = JSON.parse(payloadJson);
  if (typeof result !== 'object' || result === null || Array.isArray(result) || !('statusCode' in result)) {
    return new Response(payloadJson, { status: 200, headers: { 'content-type': 'application/json' } });
  }
  const { statusCode, headers, cookies, body, isBase64Encoded } = result as Record<string, unknown>;
  const status = typeof statusCode === 'string' ? Number(statusCode) : statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) return badGateway(); // a Response cannot carry 1xx
  if (!headersAreSendable(headers, cookies)) return badGateway();
  const responseHeaders = new Headers();
  if (typeof headers === 'object' && headers !== null) {
    for (const [name, value] of Object.entries(headers)) {
      if (value === null || value === undefined) continue;
      responseHeaders.set(name, name.toLowerCase() === 'set-cookie' ? hostOnlyCookie(String(value), ownHost) : String(value));
    }
  }
  if (!responseHeaders.has('content-type')) responseHeaders.set('content-type', 'application/json');
  if (Array.isArray(cookies)) for (const cookie of cookies) responseHeaders.append('set-cookie', hostOnlyCookie(String(cookie), ownHost));
  const text = body === undefined || body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  let content: string | Uint8Array = text;
  if (isBase64Encoded === true) {
    try {
      content = base64ToBytes(text);
    } catch {
      return badGateway();
    }
  }
  // 204 and 304 may not carry a body.
  return new Response(status === 204 || status === 304 ? null : content, { status, headers: responseHeaders });
}

/** RFC 9110 token characters: what a header name may consist of. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORBIDDEN_IN_VALUE = /[\r\n\0]/;

/**
 * Whether the result's headers and cookies can go on the wire as they are: token names, values
 * without CR, LF or NUL, and at most URL_RESULT_HEADERS_MAX_BYTES in all. Checked before any is
 * set, so a bad one is the function's 502, never a thrown TypeError (500), and an oversized set
 * never reaches the HTTP layer, which drops the connection (and wrangler dev's proxy then
 * retries the whole request, running the function again).
 */
function headersAreSendable(headers: unknown, cookies: unknown): boolean {
  const encoder = new TextEncoder();
  let bytes = 0;
  const line = (name: string, text: string): boolean => {
    bytes += name.length + encoder.encode(text).length + 4; // ': ' and CRLF
    return !FORBIDDEN_IN_VALUE.test(text) && bytes <= URL_RESULT_HEADERS_MAX_BYTES;
  };
  if (typeof headers === 'object' && headers !== null) {
    for (const [name, value] of Object.entries(headers)) {
      if (value === null || value === undefined) continue;
      if (!HEADER_NAME.test(name) || !line(name, String(value))) return false;
    }
  }
  if (Array.isArray(cookies)) for (const cookie of cookies) if (!line('set-cookie', String(cookie))) return false;
  return true;
}
