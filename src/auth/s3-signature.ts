// S3's SigV4 (docs/S3.md, "Requests"): the Authorization header or a presigned URL's X-Amz-*
// query, the path canonicalised as S3 does (each segment encoded once), and S3's payload modes: a
// hex SHA-256, UNSIGNED-PAYLOAD, and aws-chunked bodies with per-chunk signatures
// (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]) or none (STREAMING-UNSIGNED-PAYLOAD-TRAILER).
// Headers and the key are checked before the body is read, as for every API; an object's bytes
// (PutObject, UploadPart) are not read here but streamed, their checks in the stream (../s3/payload.ts).
import { readConfig } from '../config';
import { SIGV4_MAX_SKEW_MS } from '../limits';
import { decodeAwsChunked, type ChunkSignatures } from '../s3/aws-chunked';
import { entityTooLarge, S3Error, s3AccessDenied, xAmzContentSha256Mismatch } from '../s3/errors';
import { PRESIGNED_EXPIRES_MAX_SECONDS, S3_REQUEST_MAX_BYTES } from '../s3/limits';
import { declaredChecksum, StreamedPayload } from '../s3/payload';
import { s3Address } from '../s3/addressing';
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
  const query = new URL(request.url).searchParams;
  const credential = query.get('X-Amz-Credential');
  return (credential !== null && credential.split('/')[3] === S3_SIGNING_NAME) || isSigV2Presigned(query);
}

/** A presigned URL of S3's Signature Version 2 (what boto3 presigns unless told s3v4): AWSAccessKeyId, Expires, Signature. */
function isSigV2Presigned(query: URLSearchParams): boolean {
  return query.has('AWSAccessKeyId') && query.has('Signature') && query.has('Expires');
}

/** What an authenticated S3 request brings: its caller, and its body read whole or, for an object's bytes, to be streamed. */
export interface S3Authenticated {
  caller: AuthenticatedCaller;
  body: Uint8Array;
  payload?: StreamedPayload;
}

/**
 * Whether `request` carries an object's bytes (PutObject, UploadPart: a PUT to a key that copies
 * nothing): its body is streamed to R2, never read whole.
 */
function streamsBody(env: Env, request: Request): boolean {
  const { bucket, rawKey } = s3Address(new URL(request.url), readConfig(env).s3Domain);
  return request.method === 'PUT' && bucket !== '' && rawKey !== '' && !request.headers.has('x-amz-copy-source');
}

/**
 * The streamed body of `request` as `options` frame it (`chunked`: aws-chunked), of the length its
 * headers declare (Content-Length, or x-amz-decoded-content-length; EntityTooLarge past the
 * request bound). A body of no declared length (chunked transfer, a function's in-process call)
 * is read whole within the bound first, as before streaming, and its length is then known.
 */
async function streamedPayload(
  request: Request, readBody: () => Promise<Uint8Array>, options: { sha256Hex?: string; chunked?: { signatures?: ChunkSignatures } },
): Promise<StreamedPayload> {
  const declared = request.headers.get(options.chunked ? 'x-amz-decoded-content-length' : 'content-length')?.trim();
  const checksum = declaredChecksum(request.headers);
  if (declared !== undefined && /^\d+$/.test(declared)) {
    const length = Number(declared);
    if (length > S3_REQUEST_MAX_BYTES) throw entityTooLarge(S3_REQUEST_MAX_BYTES);
    return new StreamedPayload({ source: request.body ?? new Response(new Uint8Array()).body!, length, sha256Hex: options.sha256Hex, chunked: options.chunked, checksum });
  }
  const body = await readBody();
  const length = options.chunked ? (await decodeAwsChunked(body, options.chunked.signatures)).byteLength : body.byteLength;
  return new StreamedPayload({ source: new Response(body).body!, length, sha256Hex: options.sha256Hex, chunked: options.chunked, checksum });
}

/**
 * Authenticates an S3 request and reads its payload (the object's bytes, aws-chunked framing
 * removed), or for PutObject and UploadPart makes it a stream whose checks run as it is stored.
 * Throws SignedRequestError for what every API refuses alike (keys, dates, scope, a signature that
 * does not match) and S3Error for what is S3's own (an expired presigned URL, a payload whose hash
 * is not the signed one).
 */
export async function authenticateS3(
  env: Env, request: Request, _service: string | undefined, readBody: () => Promise<Uint8Array>,
): Promise<S3Authenticated> {
  const query = new URL(request.url).searchParams;
  if (query.has('X-Amz-Algorithm')) return authenticatePresigned(env, request, readBody);
  if (!request.headers.has('authorization') && isSigV2Presigned(query)) return authenticatePresignedV2(env, request, readBody);
  const { region } = readConfig(env);
  const head = checkSignedHeaders(request, { region, service: S3_SIGNING_NAME });
  const { accessKeyId, date, service, signedHeaders, signature } = head.auth;
  const key = await resolveSigningKey(env, accessKeyId, request);
  const caller = callerOf(key, accessKeyId, region);
  const declared = head.signedPayloadHash ?? request.headers.get('x-amz-content-sha256') ?? undefined;
  const streamed = streamsBody(env, request);
  const input = (payloadHash: string): SigningInput => ({
    method: request.method, path: canonicalPath(new URL(request.url).pathname), query: queryPairs(request), headers: signedHeaderValues(request, signedHeaders),
    payloadHash, amzDate: request.headers.get('x-amz-date')!, scope: `${date}/${region}/${service}/aws4_request`,
  });
  const check = async (payloadHash: string) => {
    if (!timingSafeEqual(await signatureOf(key.secret, input(payloadHash)), signature)) throw signatureMismatch();
  };
  if (declared === undefined) {
    // Without x-amz-content-sha256 the signature covers the body's hash: it is read (within the bound) before anything is believed.
    const body = await readBody();
    const hash = await sha256Hex(body);
    await check(hash);
    if (!streamed) return { caller, body };
    return { caller, body: new Uint8Array(), payload: new StreamedPayload({ source: new Response(body).body!, length: body.byteLength, sha256Hex: hash, checksum: declaredChecksum(request.headers) }) };
  }
  if (PAYLOAD_HASH.test(declared)) {
    await check(declared);
    if (streamed) return { caller, body: new Uint8Array(), payload: await streamedPayload(request, readBody, { sha256Hex: declared }) };
    const body = await readBody();
    if (!timingSafeEqual(await sha256Hex(body), declared)) throw xAmzContentSha256Mismatch();
    return { caller, body };
  }
  if (declared === 'UNSIGNED-PAYLOAD') {
    await check(declared);
    if (streamed) return { caller, body: new Uint8Array(), payload: await streamedPayload(request, readBody, {}) };
    return { caller, body: await readBody() };
  }
  if (declared === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') {
    await check(declared);
    if (streamed) return { caller, body: new Uint8Array(), payload: await streamedPayload(request, readBody, { chunked: {} }) };
    return { caller, body: checkDecodedLength(request, await decodeAwsChunked(await readBody())) };
  }
  if (declared === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' || declared === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER') {
    await check(declared);
    const { amzDate, scope } = input(declared);
    const signingKey = await signingKeyOf(key.secret, date, region, service);
    const signatures: ChunkSignatures = {
      seedSignature: signature,
      chunk: async (previous, dataSha256) => hmacHex(signingKey, ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, previous, EMPTY_SHA256, dataSha256].join('\n')),
      trailer: async (previous, lines) => hmacHex(signingKey, ['AWS4-HMAC-SHA256-TRAILER', amzDate, scope, previous, await sha256Hex(new TextEncoder().encode(lines))].join('\n')),
    };
    if (streamed) return { caller, body: new Uint8Array(), payload: await streamedPayload(request, readBody, { chunked: { signatures } }) };
    return { caller, body: checkDecodedLength(request, await decodeAwsChunked(await readBody(), signatures)) };
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
async function authenticatePresigned(env: Env, request: Request, readBody: () => Promise<Uint8Array>): Promise<S3Authenticated> {
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
    method: request.method, path: canonicalPath(new URL(request.url).pathname),
    query: queryPairs(request).filter(([name]) => name !== 'X-Amz-Signature'),
    headers: signedHeaderValues(request, signedHeaders), payloadHash: 'UNSIGNED-PAYLOAD', amzDate, scope: `${date}/${region}/${service}/aws4_request`,
  };
  if (!timingSafeEqual(await signatureOf(key.secret, input), signature)) throw signatureMismatch();
  const caller = callerOf(key, accessKeyId, region);
  if (streamsBody(env, request)) return { caller, body: new Uint8Array(), payload: await streamedPayload(request, readBody, {}) };
  return { caller, body: await readBody() };
}

/** The sub-resources and overrides a SigV2 string to sign names in its resource, as S3 (and botocore) list them. */
const SIGV2_SUBRESOURCES = new Set([
  'acl', 'cors', 'delete', 'lifecycle', 'location', 'logging', 'notification', 'partNumber', 'policy', 'requestPayment', 'restore', 'tagging',
  'torrent', 'uploadId', 'uploads', 'versionId', 'versioning', 'versions', 'website', 'response-content-type', 'response-content-language',
  'response-expires', 'response-cache-control', 'response-content-disposition', 'response-content-encoding',
]);
const SIGV2_METHODS = new Set(['GET', 'HEAD', 'PUT']);

/**
 * A presigned URL of Signature Version 2 (`AWSAccessKeyId`, `Expires` in epoch seconds,
 * `Signature` = base64 HMAC-SHA1 of S3's string to sign; `x-amz-security-token` for a role
 * session), for GET, HEAD and PUT only: what boto3 presigns by default. Past `Expires`:
 * AccessDenied "Request has expired", as S3; more than 7 days ahead is refused (faasbox's bound).
 */
async function authenticatePresignedV2(env: Env, request: Request, readBody: () => Promise<Uint8Array>): Promise<S3Authenticated> {
  const { region, s3Domain } = readConfig(env);
  const url = new URL(request.url);
  const query = url.searchParams;
  if (!SIGV2_METHODS.has(request.method)) {
    throw new S3Error(400, 'InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256. (faasbox takes Signature Version 2 in presigned GET, HEAD and PUT URLs only.)');
  }
  const expires = query.get('Expires')!;
  if (!/^\d+$/.test(expires)) throw s3AccessDenied('Invalid date (should be seconds since epoch): ' + expires);
  const nowSeconds = Date.now() / 1000;
  if (nowSeconds > Number(expires)) throw s3AccessDenied('Request has expired');
  if (Number(expires) > nowSeconds + PRESIGNED_EXPIRES_MAX_SECONDS) throw s3AccessDenied(`faasbox takes presigned URLs that expire within ${PRESIGNED_EXPIRES_MAX_SECONDS} seconds (7 days)`);
  const accessKeyId = query.get('AWSAccessKeyId')!;
  const key = await resolveSigningKey(env, accessKeyId, request);
  // x-amz-* headers and x-amz-* query parameters (the security token) are signed as headers.
  const amz = new Map<string, string>();
  for (const [name, value] of request.headers) if (name.startsWith('x-amz-')) amz.set(name, value.trim());
  for (const [name, value] of query) if (name.toLowerCase().startsWith('x-amz-')) amz.set(name.toLowerCase(), value);
  const amzLines = [...amz.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, value]) => `${name}:${value}\n`).join('');
  const address = s3Address(url, s3Domain);
  const subresources = [...query.entries()].filter(([name]) => SIGV2_SUBRESOURCES.has(name)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`));
  const resource = `${address.virtualHost ? `/${address.bucket}` : ''}${url.pathname}${subresources.length ? `?${subresources.join('&')}` : ''}`;
  const stringToSign = [request.method, request.headers.get('content-md5') ?? '', request.headers.get('content-type') ?? '', expires, `${amzLines}${resource}`].join('\n');
  const cryptoKey = await crypto.subtle.importKey('raw', new TextEncoder().encode(key.secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  const expected = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, new TextEncoder().encode(stringToSign)))));
  if (!timingSafeEqual(expected, query.get('Signature')!)) throw signatureMismatch();
  const caller = callerOf(key, accessKeyId, region);
  if (streamsBody(env, request)) return { caller, body: new Uint8Array(), payload: await streamedPayload(request, readBody, {}) };
  return { caller, body: await readBody() };
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

/**
 * The path as S3 signs it: each segment decoded and encoded once (RFC 3986: A-Z a-z 0-9 - _ . ~
 * kept, the rest %XX), whatever the client escaped on the wire, so `(` sent raw and signed as
 * `%28` match. A segment that does not decode is taken as sent.
 */
export function canonicalPath(pathname: string): string {
  return pathname.split('/').map((segment) => {
    try {
      return uriEncode(decodeURIComponent(segment));
    } catch {
      return segment;
    }
  }).join('/');
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
