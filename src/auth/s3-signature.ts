// S3's SigV4 (docs/S3.md, "Requests"): the Authorization header or a presigned URL's X-Amz-*
// query, the path signed as sent (S3 does not encode it twice), and S3's payload modes: a hex
// SHA-256, UNSIGNED-PAYLOAD, and aws-chunked bodies with per-chunk signatures
// (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]) or none (STREAMING-UNSIGNED-PAYLOAD-TRAILER).
// Headers and the key are checked before the body is read, as for every API.
import { readConfig } from '../config';
import { SIGV4_MAX_SKEW_MS } from '../limits';
import { decodeAwsChunked } from '../s3/aws-chunked';
import { S3Error, s3AccessDenied, xAmzContentSha256Mismatch } from '../s3/errors';
import { PRESIGNED_EXPIRES_MAX_SECONDS } from '../s3/limits';
import { resolveSigningKey, type AuthenticatedCaller } from './authenticate';
import { checkSignedHeaders, sha256Hex, signatureMismatch, timingSafeEqual, wrongServiceScope } from './sigv4';

export const S3_SIGNING_NAME = 's3';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const PAYLOAD_HASH = /^[0-9a-f]{64}$/;

/** What a signature covers: the request's parts as S3 canonicalises them. */
interface SigningInput {
  method: string;
  path: string;
  query: [string, string][];
  headers: [string, string][];
  payloadHash: string;
  amzDate: string;
  scope: string;
}

/** Whether `request` is an S3 request: its header's or its presigned query's credential scope names `s3`. */
export function isS3Request(request: Request): boolean {
  const header = request.headers.get('authorization');
  if (header) return /Credential=[^/,\s]*\/\d{8}\/[^/,\s]*\/s3\/aws4_request/.test(header);
  const credential = new URL(request.url).searchParams.get('X-Amz-Credential');
  return credential !== null && credential.split('/')[3] === S3_SIGNING_NAME;
}

/**
 * Authenticates an S3 request and reads its payload (the object's bytes, aws-chunked framing
 * removed). Throws SignedRequestError for what every API refuses alike (keys, dates, scope, a
 * signature that does not match) and S3Error for what is S3's own (an expired presigned URL, a
 * payload whose hash is not the signed one).
 */
export async function authenticateS3(
  env: Env, request: Request, _service: string | undefined, readBody: () => Promise<Uint8Array>,
): Promise<{ caller: AuthenticatedCaller; body: Uint8Array }> {
  if (new URL(request.url).searchParams.has('X-Amz-Algorithm')) return authenticatePresigned(env, request, readBody);
  const { region } = readConfig(env);
  const head = checkSignedHeaders(request, { region, service: S3_SIGNING_NAME });
  const { accessKeyId, date, service, signedHeaders, signature } = head.auth;
  const key = await resolveSigningKey(env, accessKeyId, request);
  const caller = callerOf(key, accessKeyId, region);
  const declared = head.signedPayloadHash ?? request.headers.get('x-amz-content-sha256') ?? undefined;
  const input = (payloadHash: string): SigningInput => ({
    method: request.method, path: new URL(request.url).pathname, query: queryPairs(request), headers: signedHeaderValues(request, signedHeaders),
    payloadHash, amzDate: request.headers.get('x-amz-date')!, scope: `${date}/${region}/${service}/aws4_request`,
  });
  const check = async (payloadHash: string) => {
    if (!timingSafeEqual(await signatureOf(key.secret, input(payloadHash)), signature)) throw signatureMismatch();
  };
  if (declared === undefined) {
    const body = await readBody();
    await check(await sha256Hex(body));
    return { caller, body };
  }
  if (PAYLOAD_HASH.test(declared)) {
    await check(declared);
    const body = await readBody();
    if (!timingSafeEqual(await sha256Hex(body), declared)) throw xAmzContentSha256Mismatch();
    return { caller, body };
  }
  if (declared === 'UNSIGNED-PAYLOAD') {
    await check(declared);
    return { caller, body: await readBody() };
  }
  if (declared === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') {
    await check(declared);
    return { caller, body: checkDecodedLength(request, (await decodeAwsChunked(await readBody())).payload) };
  }
  if (declared === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' || declared === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER') {
    await check(declared);
    const { amzDate, scope } = input(declared);
    const signingKey = await signingKeyOf(key.secret, date, region, service);
    const { payload } = await decodeAwsChunked(await readBody(), {
      seedSignature: signature,
      chunk: async (previous, data) => hmacHex(signingKey, ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, previous, EMPTY_SHA256, await sha256Hex(data)].join('\n')),
      trailer: async (previous, lines) => hmacHex(signingKey, ['AWS4-HMAC-SHA256-TRAILER', amzDate, scope, previous, await sha256Hex(new TextEncoder().encode(lines))].join('\n')),
    });
    return { caller, body: checkDecodedLength(request, payload) };
  }
  throw new S3Error(400, 'InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.', {
    ArgumentName: 'x-amz-content-sha256', ArgumentValue: declared,
  });
}

/**
 * A presigned URL (query-string SigV4): X-Amz-Algorithm, -Credential, -Date, -Expires,
 * -SignedHeaders, -Signature (and -Security-Token for a role session), its payload UNSIGNED-PAYLOAD.
 * Past its expiry, or not yet valid: AccessDenied, as S3 answers.
 */
async function authenticatePresigned(env: Env, request: Request, readBody: () => Promise<Uint8Array>) {
  const { region } = readConfig(env);
  const params = new URL(request.url).searchParams;
  const malformed = (message: string) => new S3Error(400, 'AuthorizationQueryParametersError', message);
  if (params.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') throw malformed('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const credential = params.get('X-Amz-Credential')?.split('/') ?? [];
  const amzDate = params.get('X-Amz-Date') ?? '';
  const expires = params.get('X-Amz-Expires') ?? '';
  const signedHeaders = (params.get('X-Amz-SignedHeaders') ?? '').split(';');
  const signature = params.get('X-Amz-Signature') ?? '';
  if (credential.length !== 5 || credential[4] !== 'aws4_request' || !/^\d{8}$/.test(credential[1])) {
    throw malformed('Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  const [accessKeyId, date, scopeRegion, service] = credential;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m || !amzDate.startsWith(date)) throw malformed('X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
  if (!/^\d+$/.test(expires)) throw malformed('X-Amz-Expires should be a number');
  if (Number(expires) > PRESIGNED_EXPIRES_MAX_SECONDS) throw malformed('X-Amz-Expires must be less than a week (in seconds) that is 604800');
  if (!signedHeaders.includes('host') || !signature) throw malformed('Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  if (scopeRegion !== region) throw new S3Error(400, 'AuthorizationQueryParametersError', `Error parsing the X-Amz-Credential parameter; the region '${scopeRegion}' is wrong; expecting '${region}'`, { Region: region });
  if (service !== S3_SIGNING_NAME) throw wrongServiceScope(S3_SIGNING_NAME);
  const signedAtMs = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  const now = Date.now();
  if (signedAtMs > now + SIGV4_MAX_SKEW_MS) throw s3AccessDenied('Request is not valid yet');
  if (now > signedAtMs + Number(expires) * 1000) throw s3AccessDenied('Request has expired');
  const key = await resolveSigningKey(env, accessKeyId, request);
  const input: SigningInput = {
    method: request.method, path: new URL(request.url).pathname,
    query: queryPairs(request).filter(([name]) => name !== 'X-Amz-Signature'),
    headers: signedHeaderValues(request, signedHeaders), payloadHash: 'UNSIGNED-PAYLOAD', amzDate, scope: `${date}/${region}/${service}/aws4_request`,
  };
  if (!timingSafeEqual(await signatureOf(key.secret, input), signature)) throw signatureMismatch();
  return { caller: callerOf(key, accessKeyId, region), body: await readBody() };
}

function callerOf(key: Awaited<ReturnType<typeof resolveSigningKey>>, accessKeyId: string, region: string): AuthenticatedCaller {
  return { accountId: key.accountId, region, accessKeyId, isAdmin: key.isAdmin, playground: key.playground, principal: key.principal };
}

/** An aws-chunked payload must be as long as the x-amz-decoded-content-length the client declared. */
function checkDecodedLength(request: Request, payload: Uint8Array): Uint8Array {
  const declared = request.headers.get('x-amz-decoded-content-length');
  if (declared !== null && Number(declared) !== payload.byteLength) {
    throw new S3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
  }
  return payload;
}

function queryPairs(request: Request): [string, string][] {
  return [...new URL(request.url).searchParams.entries()];
}

function signedHeaderValues(request: Request, names: string[]): [string, string][] {
  return names.map((name) => {
    const value = name === 'host' ? (request.headers.get('host') ?? new URL(request.url).host) : request.headers.get(name);
    if (value === null) throw signatureMismatch();
    return [name, value];
  });
}

/** RFC 3986 encoding as SigV4 uses it: everything but A-Z a-z 0-9 - _ . ~ as %XX. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The signature of `input` under `secret`: the canonical request, its string to sign, the derived key. */
async function signatureOf(secret: string, input: SigningInput): Promise<string> {
  const query = input.query
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`).join('&');
  const headers = [...input.headers].sort(([a], [b]) => (a < b ? -1 : 1));
  const canonical = [
    input.method, input.path, query,
    headers.map(([name, value]) => `${name}:${value.trim().replace(/\s+/g, ' ')}\n`).join(''),
    headers.map(([name]) => name).join(';'),
    input.payloadHash,
  ].join('\n');
  const [date, region, service] = input.scope.split('/');
  const key = await signingKeyOf(secret, date, region, service);
  return hmacHex(key, ['AWS4-HMAC-SHA256', input.amzDate, input.scope, await sha256Hex(new TextEncoder().encode(canonical))].join('\n'));
}

async function hmac(key: Uint8Array, data: string): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, new TextEncoder().encode(data)));
}

async function hmacHex(key: Uint8Array, data: string): Promise<string> {
  return [...(await hmac(key, data))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function signingKeyOf(secret: string, date: string, region: string, service: string): Promise<Uint8Array> {
  let key = await hmac(new TextEncoder().encode(`AWS4${secret}`), date);
  for (const part of [region, service, 'aws4_request']) key = await hmac(key, part);
  return key;
}
