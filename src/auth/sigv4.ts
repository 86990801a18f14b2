// SigV4 verification of incoming API requests, as AWS verifies them, in two steps so that no body
// is buffered for a request whose headers already fail: checkSignedHeaders (the Authorization
// header, the signed headers, the date and the credential scope; no secret, no body), then
// verifySignature over a payload hash (the signed x-amz-content-sha256, or the body's own hash).
// The signature is recomputed with the AWS SDK's own signer (@smithy/signature-v4) over exactly
// the headers the client signed, so every canonicalisation detail matches clients.
import { SignatureV4 } from '@smithy/signature-v4';
import { SIGV4_MAX_SKEW_MS } from '../limits';

/** A SHA-256 / HMAC-SHA-256 over WebCrypto in the shape smithy's signer expects. */
export class WebCryptoSha256 {
  private readonly chunks: Uint8Array[] = [];
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {}
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.chunks.push(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    const data = concatBytes(this.chunks);
    if (this.secret === undefined) return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
    const key = await crypto.subtle.importKey('raw', toBytes(this.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return new Uint8Array(await crypto.subtle.sign('HMAC', key, data));
  }
  reset(): void {
    this.chunks.length = 0;
  }
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The chunks as one array (the chunk itself when there is one). */
export function concatBytes(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** Lowercase hex SHA-256 of `bytes`, as SigV4 writes payload hashes. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Why a signed request is refused, in AWS's words: `code` as the JSON and REST protocols name it,
 * `queryCode` as the Query protocol does, and the REST status. Each API renders it in its own shape
 * (src/protocols/signed-request.ts); nothing here knows HTTP frameworks.
 */
export class SignedRequestError extends Error {
  constructor(
    readonly status: 400 | 403 | 413,
    readonly code: 'MissingAuthenticationTokenException' | 'IncompleteSignatureException' | 'InvalidSignatureException' | 'UnrecognizedClientException'
      | 'ExpiredTokenException' | 'RequestEntityTooLargeException',
    readonly queryCode: 'MissingAuthenticationToken' | 'IncompleteSignature' | 'SignatureDoesNotMatch' | 'InvalidClientTokenId' | 'ExpiredToken' | 'RequestEntityTooLarge',
    message: string,
  ) {
    super(message);
  }
}

const incomplete = (message: string) => new SignedRequestError(400, 'IncompleteSignatureException', 'IncompleteSignature', message);
const invalidSignature = (message: string) => new SignedRequestError(403, 'InvalidSignatureException', 'SignatureDoesNotMatch', message);

export const missingAuthentication = () =>
  new SignedRequestError(403, 'MissingAuthenticationTokenException', 'MissingAuthenticationToken', 'Missing Authentication Token');
export const unrecognizedClient = () =>
  new SignedRequestError(403, 'UnrecognizedClientException', 'InvalidClientTokenId', 'The security token included in the request is invalid.');
/** A role session's token past its expiry (src/iam/session-token.ts), in AWS's words. */
export const expiredToken = () =>
  new SignedRequestError(403, 'ExpiredTokenException', 'ExpiredToken', 'The security token included in the request is expired');
export const signatureMismatch = () =>
  invalidSignature('The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
export const requestTooLarge = (maxBytes: number) =>
  new SignedRequestError(413, 'RequestEntityTooLargeException', 'RequestEntityTooLarge', `Request must be smaller than ${maxBytes} bytes`);

export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** A request whose headers passed every check that needs neither the key's secret nor the body. */
export interface SignedHead {
  auth: ParsedAuthorization;
  signingDate: Date;
  /** The x-amz-content-sha256 the client signed, as sent; undefined when it signed none (the AWS CLI v2, boto3). */
  signedPayloadHash: string | undefined;
}

/** What the credential scope must name: the platform's region and the API's SigV4 service (undefined: any). */
export interface ExpectedScope {
  region: string;
  service: string | undefined;
}

/**
 * Parses `AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request,
 * SignedHeaders=..., Signature=...` and checks it as AWS does: host and x-amz-date signed, the
 * date well formed, within 15 minutes and the scope's day, the scope's region and service the
 * expected ones. Throws SignedRequestError; reads no body.
 */
export function checkSignedHeaders(request: Request, expected: ExpectedScope, nowMs = Date.now()): SignedHead {
  const auth = parseAuthorization(request.headers.get('authorization'));
  if (!auth.signedHeaders.includes('host')) throw incomplete(`'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.`);
  const amzDate = request.headers.get('x-amz-date');
  if (!amzDate) throw incomplete(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.`);
  if (!auth.signedHeaders.includes('x-amz-date')) throw incomplete(`'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.`);
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  if (!amzDate.startsWith(auth.date)) {
    throw invalidSignature(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`);
  }
  const skewMinutes = SIGV4_MAX_SKEW_MS / 60_000;
  if (signingDate.getTime() < nowMs - SIGV4_MAX_SKEW_MS) {
    throw invalidSignature(`Signature expired: ${amzDate} is now earlier than ${formatAmzDate(nowMs - SIGV4_MAX_SKEW_MS)} (${formatAmzDate(nowMs)} - ${skewMinutes} min.)`);
  }
  if (signingDate.getTime() > nowMs + SIGV4_MAX_SKEW_MS) {
    throw invalidSignature(`Signature not yet current: ${amzDate} is still later than ${formatAmzDate(nowMs + SIGV4_MAX_SKEW_MS)} (${formatAmzDate(nowMs)} + ${skewMinutes} min.)`);
  }
  if (auth.region !== expected.region) throw invalidSignature(`Credential should be scoped to a valid region, not '${auth.region}'. `);
  if (expected.service !== undefined && auth.service !== expected.service) throw wrongServiceScope(expected.service);
  const signedPayloadHash = auth.signedHeaders.includes('x-amz-content-sha256') ? (request.headers.get('x-amz-content-sha256') ?? undefined) : undefined;
  return { auth, signingDate, signedPayloadHash };
}

/** AWS's refusal of a credential scoped to another SigV4 service than `service`. */
export const wrongServiceScope = (service: string) => invalidSignature(`Credential should be scoped to correct service: '${service}'. `);

/**
 * The SigV4 service the request's credential scope claims (unverified: for choosing which API
 * checks it, or after the check), or undefined when the Authorization header has no such scope.
 */
export function credentialScopeService(request: Request): string | undefined {
  return /Credential=[^/,\s]*\/\d{8}\/[^/,\s]*\/([^/,\s]*)\/aws4_request/.exec(request.headers.get('authorization') ?? '')?.[1];
}

/** The Authorization header's parts; AWS's IncompleteSignatureException wording for what is missing. */
function parseAuthorization(header: string | null): ParsedAuthorization {
  if (!header) throw missingAuthentication();
  // The header itself is not echoed (AWS does): it may carry another scheme's secret.
  const algorithm = /^(\S+)\s*/.exec(header)?.[1] ?? '';
  if (algorithm !== 'AWS4-HMAC-SHA256') {
    if (algorithm.startsWith('AWS4-')) throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'`);
    throw incomplete(
      `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.`,
    );
  }
  const params = new Map<string, string>();
  for (const part of header.slice(algorithm.length).split(',')) {
    const pair = part.trim();
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw incomplete(`'${pair}' not a valid key=value pair (missing equal-sign) in Authorization header.`);
    params.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !params.get(name));
  if (missing.length > 0) throw incomplete(missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' '));
  const credential = params.get('Credential')!.split('/');
  if (credential.length !== 5) throw incomplete(`Credential should have exactly 5 slash-separated components: '${params.get('Credential')}'. `);
  const [accessKeyId, date, region, service, terminator] = credential;
  if (terminator !== 'aws4_request') throw incomplete(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `);
  if (!/^\d{8}$/.test(date)) throw incomplete(`Credential should be scoped to a valid date, not '${date}'. `);
  const signature = params.get('Signature')!;
  const signedHeaders = params.get('SignedHeaders')!.split(';');
  return { accessKeyId, date, region, service, signedHeaders, signature };
}

/**
 * Throws InvalidSignatureException unless the signature of `head` is the one `secretAccessKey`
 * makes over the request with `payloadHash` (lowercase hex) as the hash of its body.
 */
export async function verifySignature(request: Request, head: SignedHead, secretAccessKey: string, payloadHash: string): Promise<void> {
  const { auth, signingDate } = head;
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    // The fetch API keeps Host out of Request headers; the URL carries it.
    const value = name === 'host' ? (request.headers.get('host') ?? url.host) : request.headers.get(name);
    if (value === null) throw invalidSignature(`Signed header ${name} is missing from the request.`);
    headers[name] = value;
  }
  // The signer takes the payload hash from this header: the one the body must have, never the body itself.
  headers['x-amz-content-sha256'] = payloadHash;
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: WebCryptoSha256,
    applyChecksum: false,
  });
  const signableHeaders = new Set(auth.signedHeaders);
  const unsignableHeaders = signableHeaders.has('x-amz-content-sha256') ? undefined : new Set(['x-amz-content-sha256']);
  const signed = await signer.sign(
    { method: request.method, protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, query, headers },
    { signingDate, signableHeaders, unsignableHeaders },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? '';
  if (!timingSafeEqual(expected, auth.signature)) throw signatureMismatch();
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, '');
}

/** Compares two strings in time that depends only on their length. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
