// PutObject and UploadPart bodies streamed to R2 (docs/S3.md, "Requests"): every check S3 makes
// still holds, and a body that fails one leaves nothing stored: the signed hex SHA-256 (R2's put
// checks it; a part's is checked in the stream), Content-MD5, aws-chunked chunk signatures across
// arbitrary network pieces, the declared lengths, and the additional checksums
// (x-amz-checksum-crc32/crc32c/sha1/sha256, as a header or an aws-chunked trailer) answered as S3's.
import { exports } from 'cloudflare:workers';
import { AwsClient } from 'aws4fetch';
import { crc32 } from '@aws-crypto/crc32';
import { crc32c } from '@aws-crypto/crc32c';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTenant, ORIGIN, type Tenant } from '../support/signed-client';

let tenant: Tenant;
let s3: AwsClient;
const BUCKET = '/streamed-bodies';

const send = (method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}) =>
  s3.sign(`${ORIGIN}${path}`, { method, ...init }).then((request) => exports.default.fetch(request));
const errorCode = async (response: Response) => /<Code>([^<]*)<\/Code>/.exec(await response.text())?.[1];
const hex = (bytes: ArrayBuffer | Uint8Array) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const crcBase64 = (value: number) => base64(new Uint8Array([value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]));
const enc = new TextEncoder();
/** `bytes` as a stream of `piece`-byte reads, as a network delivers a body (no Content-Length of its own). */
const inPieces = (bytes: Uint8Array, piece: number) => new ReadableStream<Uint8Array>({
  start(controller) {
    for (let i = 0; i < bytes.length; i += piece) controller.enqueue(bytes.slice(i, i + piece));
    controller.close();
  },
});
/** Patterned bytes of `size`. */
const pattern = (size: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + (i >> 8)) & 255);

beforeAll(async () => {
  tenant = await createTenant('streamed');
  s3 = new AwsClient({ accessKeyId: tenant.accessKeyId, secretAccessKey: tenant.secretAccessKey, service: 's3', region: 'us-east-1', retries: 0 });
  expect((await send('PUT', BUCKET)).status).toBe(200);
}, 30_000);

/** A signed aws-chunked PUT (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]) of `chunks`, delivered in `piece`-byte reads. */
async function signedChunkedPut(path: string, chunks: Uint8Array[], options: { piece?: number; forgeChunk?: number; trailer?: string } = {}): Promise<Request> {
  const decoded = chunks.reduce((n, c) => n + c.length, 0);
  const mode = options.trailer ? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' : 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
  const seed = await s3.sign(`${ORIGIN}${path}`, {
    method: 'PUT',
    headers: {
      'x-amz-content-sha256': mode, 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(decoded),
      ...(options.trailer ? { 'x-amz-trailer': options.trailer.split(':')[0] } : {}),
    },
  });
  const authorization = seed.headers.get('authorization')!;
  const amzDate = seed.headers.get('x-amz-date')!;
  const scope = /Credential=[^/]+\/([^,]+)/.exec(authorization)![1];
  const [date, region, service] = scope.split('/');
  const hmac = async (key: Uint8Array, data: string) =>
    new Uint8Array(await crypto.subtle.sign('HMAC', await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']), enc.encode(data)));
  let key = await hmac(enc.encode(`AWS4${tenant.secretAccessKey}`), date);
  for (const part of [region, service, 'aws4_request']) key = await hmac(key, part);
  const sha = async (bytes: Uint8Array) => hex(await crypto.subtle.digest('SHA-256', bytes));
  let previous = /Signature=([0-9a-f]+)/.exec(authorization)![1];
  const pieces: Uint8Array[] = [];
  const all = [...chunks, new Uint8Array()];
  for (let i = 0; i < all.length; i++) {
    const chunk = all[i];
    let signature = hex(await hmac(key, ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, previous, await sha(new Uint8Array()), await sha(chunk)].join('\n')));
    if (options.forgeChunk === i) signature = signature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    pieces.push(enc.encode(`${chunk.length.toString(16)};chunk-signature=${signature}\r\n`), chunk);
    if (chunk.length > 0) pieces.push(enc.encode('\r\n'));
    previous = signature;
  }
  if (options.trailer) {
    const line = `${options.trailer}\n`;
    const trailerSignature = hex(await hmac(key, ['AWS4-HMAC-SHA256-TRAILER', amzDate, scope, previous, await sha(enc.encode(line))].join('\n')));
    pieces.push(enc.encode(`${options.trailer}\r\nx-amz-trailer-signature:${trailerSignature}\r\n\r\n`));
  } else pieces.push(enc.encode('\r\n'));
  const body = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) { body.set(p, at); at += p.length; }
  const headers = new Headers(seed.headers);
  headers.set('content-length', String(body.length));
  return new Request(seed.url, { method: 'PUT', headers, body: inPieces(body, options.piece ?? 997) });
}

describe('streamed PutObject', () => {
  it('stores a signed aws-chunked body read in pieces that split headers, data and signatures', async () => {
    const data = pattern(300_000);
    const chunks = [data.subarray(0, 65_536), data.subarray(65_536, 131_072), data.subarray(131_072)];
    const response = await exports.default.fetch(await signedChunkedPut(`${BUCKET}/chunked.bin`, chunks, { piece: 61 }));
    expect(response.status, await response.clone().text()).toBe(200);
    const stored = new Uint8Array(await (await send('GET', `${BUCKET}/chunked.bin`)).arrayBuffer());
    expect(hex(await crypto.subtle.digest('SHA-256', stored))).toBe(hex(await crypto.subtle.digest('SHA-256', data)));
  });

  it('refuses a forged middle chunk with SignatureDoesNotMatch and stores nothing', async () => {
    const data = pattern(200_000);
    const forged = await exports.default.fetch(await signedChunkedPut(`${BUCKET}/forged.bin`, [data.subarray(0, 100_000), data.subarray(100_000)], { forgeChunk: 1 }));
    expect(forged.status).toBe(403);
    expect(await errorCode(forged)).toBe('SignatureDoesNotMatch');
    expect((await send('HEAD', `${BUCKET}/forged.bin`)).status).toBe(404);
  });

  it('verifies a signed trailer checksum and answers it; a wrong one is BadDigest and stores nothing', async () => {
    const data = enc.encode('trailer checked data');
    const good = await exports.default.fetch(await signedChunkedPut(`${BUCKET}/trailer.txt`, [data], { trailer: `x-amz-checksum-crc32c:${crcBase64(crc32c(data))}` }));
    expect(good.status, await good.clone().text()).toBe(200);
    expect(good.headers.get('x-amz-checksum-crc32c')).toBe(crcBase64(crc32c(data)));
    const bad = await exports.default.fetch(await signedChunkedPut(`${BUCKET}/trailer-bad.txt`, [data], { trailer: `x-amz-checksum-crc32c:${crcBase64(crc32c(data) ^ 1)}` }));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<Code>BadDigest</Code><Message>The CRC32C you specified did not match the calculated checksum.</Message>');
    expect((await send('HEAD', `${BUCKET}/trailer-bad.txt`)).status).toBe(404);
  });

  it('verifies the unsigned trailer of STREAMING-UNSIGNED-PAYLOAD-TRAILER (what current SDKs send)', async () => {
    const headers = { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '5', 'x-amz-trailer': 'x-amz-checksum-crc32' };
    const good = await send('PUT', `${BUCKET}/unsigned-trailer.txt`, { body: `5\r\nhello\r\n0\r\nx-amz-checksum-crc32:${crcBase64(crc32(enc.encode('hello')))}\r\n\r\n`, headers });
    expect(good.status, await good.clone().text()).toBe(200);
    expect(good.headers.get('x-amz-checksum-crc32')).toBe('NhCmhg==');
    const bad = await send('PUT', `${BUCKET}/unsigned-trailer-bad.txt`, { body: '5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n', headers });
    expect(await errorCode(bad)).toBe('BadDigest');
    const short = await send('PUT', `${BUCKET}/unsigned-short.txt`, { body: '5\r\nhel', headers });
    expect(short.status).toBe(400);
    expect(await errorCode(short)).toBe('IncompleteBody');
    expect((await send('HEAD', `${BUCKET}/unsigned-short.txt`)).status).toBe(404);
  });

  it('checks x-amz-checksum-sha256 and -sha1 sent as headers', async () => {
    const data = enc.encode('header checksum');
    const sha256 = base64(new Uint8Array(await crypto.subtle.digest('SHA-256', data)));
    const good = await send('PUT', `${BUCKET}/sha256.txt`, { body: data, headers: { 'x-amz-checksum-sha256': sha256 } });
    expect(good.status, await good.clone().text()).toBe(200);
    expect(good.headers.get('x-amz-checksum-sha256')).toBe(sha256);
    const sha1 = base64(new Uint8Array(await crypto.subtle.digest('SHA-1', enc.encode('other'))));
    const bad = await send('PUT', `${BUCKET}/sha1.txt`, { body: data, headers: { 'x-amz-checksum-sha1': sha1 } });
    expect(await bad.text()).toContain('The SHA1 you specified did not match the calculated checksum.');
    const unknown = await send('PUT', `${BUCKET}/crc64.txt`, { body: data, headers: { 'x-amz-checksum-crc64nvme': 'AAAAAAAAAAA=' } });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('faasbox does not support the checksum x-amz-checksum-crc64nvme');
  });

  it('has R2 check a signed hex SHA-256 and Content-MD5: XAmzContentSHA256Mismatch and BadDigest, nothing stored', async () => {
    const data = pattern(70_000);
    const wrongHash = await s3.sign(`${ORIGIN}${BUCKET}/hashed.bin`, { method: 'PUT', body: data, headers: { 'x-amz-content-sha256': hex(await crypto.subtle.digest('SHA-256', enc.encode('x'))) } });
    const refused = await exports.default.fetch(wrongHash);
    expect(refused.status).toBe(400);
    expect(await errorCode(refused)).toBe('XAmzContentSHA256Mismatch');
    expect((await send('HEAD', `${BUCKET}/hashed.bin`)).status).toBe(404);
    const md5 = base64(new Uint8Array(await crypto.subtle.digest('MD5', enc.encode('x'))));
    const badMd5 = await send('PUT', `${BUCKET}/md5.bin`, { body: data, headers: { 'content-md5': md5 } });
    expect(await errorCode(badMd5)).toBe('BadDigest');
    expect((await send('HEAD', `${BUCKET}/md5.bin`)).status).toBe(404);
    // Both, as the AWS CLI and boto3 send them over http: R2's put takes one, the stream checks the other.
    const realMd5 = base64(new Uint8Array(await crypto.subtle.digest('MD5', data)));
    const realSha = hex(await crypto.subtle.digest('SHA-256', data));
    const both = await exports.default.fetch(await s3.sign(`${ORIGIN}${BUCKET}/both.bin`, { method: 'PUT', body: data, headers: { 'x-amz-content-sha256': realSha, 'content-md5': realMd5 } }));
    expect(both.status, await both.clone().text()).toBe(200);
    const wrongSha = await exports.default.fetch(await s3.sign(`${ORIGIN}${BUCKET}/both-bad.bin`, {
      method: 'PUT', body: data, headers: { 'x-amz-content-sha256': hex(await crypto.subtle.digest('SHA-256', enc.encode('x'))), 'content-md5': realMd5 },
    }));
    expect(await errorCode(wrongSha)).toBe('XAmzContentSHA256Mismatch');
    expect((await send('HEAD', `${BUCKET}/both-bad.bin`)).status).toBe(404);
  });

  it('takes a body without a declared length (chunked transfer) by reading it within the bound', async () => {
    const request = await s3.sign(`${ORIGIN}${BUCKET}/no-length.bin`, { method: 'PUT', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    const response = await exports.default.fetch(new Request(request.url, { method: 'PUT', headers: request.headers, body: inPieces(pattern(1000), 100) }));
    expect(response.status, await response.clone().text()).toBe(200);
    expect(new Uint8Array(await (await send('GET', `${BUCKET}/no-length.bin`)).arrayBuffer())).toEqual(pattern(1000));
  });

  it('refuses a body shorter than its Content-Length: IncompleteBody, nothing stored', async () => {
    const request = await s3.sign(`${ORIGIN}${BUCKET}/short.bin`, { method: 'PUT', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': '2000' } });
    const headers = new Headers(request.headers);
    const response = await exports.default.fetch(new Request(request.url, { method: 'PUT', headers, body: inPieces(pattern(1000), 100) }));
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe('IncompleteBody');
    expect((await send('HEAD', `${BUCKET}/short.bin`)).status).toBe(404);
  });
});

describe('streamed UploadPart', () => {
  it('checks a part against its signed SHA-256 and Content-MD5 in the stream', async () => {
    const created = await (await send('POST', `${BUCKET}/parts.bin?uploads`)).text();
    const uploadId = encodeURIComponent(/<UploadId>([^<]+)<\/UploadId>/.exec(created)![1]);
    const part = pattern(5 * 1024 * 1024);
    const wrongHash = await s3.sign(`${ORIGIN}${BUCKET}/parts.bin?partNumber=1&uploadId=${uploadId}`, {
      method: 'PUT', body: part, headers: { 'x-amz-content-sha256': hex(await crypto.subtle.digest('SHA-256', enc.encode('x'))) },
    });
    expect(await errorCode(await exports.default.fetch(wrongHash))).toBe('XAmzContentSHA256Mismatch');
    const badMd5 = await send('PUT', `${BUCKET}/parts.bin?partNumber=1&uploadId=${uploadId}`, {
      body: part, headers: { 'content-md5': base64(new Uint8Array(await crypto.subtle.digest('MD5', enc.encode('x')))) },
    });
    expect(await errorCode(badMd5)).toBe('BadDigest');
    const md5 = new Uint8Array(await crypto.subtle.digest('MD5', part));
    const hashed = await s3.sign(`${ORIGIN}${BUCKET}/parts.bin?partNumber=1&uploadId=${uploadId}`, {
      method: 'PUT', body: part, headers: { 'x-amz-content-sha256': hex(await crypto.subtle.digest('SHA-256', part)), 'content-md5': base64(md5) },
    });
    const good = await exports.default.fetch(hashed);
    expect(good.status, await good.clone().text()).toBe(200);
    const etag = good.headers.get('etag')!;
    const last = await send('PUT', `${BUCKET}/parts.bin?partNumber=2&uploadId=${uploadId}`, { body: 'tail' });
    const complete = await send('POST', `${BUCKET}/parts.bin?uploadId=${uploadId}`, {
      body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part><Part><PartNumber>2</PartNumber><ETag>${last.headers.get('etag')}</ETag></Part></CompleteMultipartUpload>`,
    });
    expect(complete.status, await complete.clone().text()).toBe(200);
    expect((await send('HEAD', `${BUCKET}/parts.bin`)).headers.get('content-length')).toBe(String(part.length + 4));
  });
});
