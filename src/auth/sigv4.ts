// SigV4 verification of incoming API requests. The signature is recomputed with the AWS SDK's
// own signer (@smithy/signature-v4) over exactly the headers the client signed, so every
// canonicalisation detail (double-encoded paths, query ordering, header folding) matches clients.
import { SignatureV4 } from '@smithy/signature-v4';
import { SIGV4_MAX_SKEW_MS } from '../limits';
import { LambdaError } from '../errors';

/** A SHA-256 / HMAC-SHA-256 over WebCrypto in the shape smithy's signer expects. */
class WebCryptoSha256 {
  private readonly chunks: Uint8Array[] = [];
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {}
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.chunks.push(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    const data = concat(this.chunks);
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

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const invalidSignature = (message: string) =>
  new LambdaError(403, 'InvalidSignatureException', message, { messageField: 'message' });

export const missingAuthentication = () =>
  new LambdaError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');

/** Parses `AWS4-HMAC-SHA256 Credential=.../date/region/service/aws4_request, SignedHeaders=..., Signature=...`. */
export function parseAuthorization(header: string | null): ParsedAuthorization {
  if (!header) throw missingAuthentication();
  const match = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/.exec(header);
  if (!match) throw new LambdaError(400, 'IncompleteSignatureException', 'Authorization header is malformed or not AWS4-HMAC-SHA256.');
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/**
 * Throws InvalidSignatureException unless `request` carries a valid SigV4 signature made with
 * `secretAccessKey`. `body` is the raw body: clients that send no x-amz-content-sha256 (the AWS
 * CLI v2) are verified against its hash. Clock skew beyond 15 minutes is refused.
 */
export async function verifySignature(
  request: Request,
  body: Uint8Array,
  auth: ParsedAuthorization,
  secretAccessKey: string,
  nowMs = Date.now(),
): Promise<void> {
  const amzDate = request.headers.get('x-amz-date');
  if (!amzDate) throw invalidSignature('Missing X-Amz-Date header.');
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate || !amzDate.startsWith(auth.date)) throw invalidSignature('X-Amz-Date is malformed or does not match the credential scope.');
  if (Math.abs(nowMs - signingDate.getTime()) > SIGV4_MAX_SKEW_MS) {
    throw invalidSignature(`Signature expired: ${amzDate} is now earlier or later than the allowed 15 minutes of clock skew.`);
  }

  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    // The fetch API keeps Host out of Request headers; the URL carries it.
    const value = name === 'host' ? (request.headers.get('host') ?? url.host) : request.headers.get(name);
    if (value === null) throw invalidSignature(`Signed header ${name} is missing from the request.`);
    headers[name] = value;
  }
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
  const signed = await signer.sign(
    { method: request.method, protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, query, headers, body },
    { signingDate, signableHeaders: new Set(auth.signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? '';
  if (!timingSafeEqual(expected, auth.signature)) {
    throw invalidSignature(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

/** Compares two strings in time that depends only on their length. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
