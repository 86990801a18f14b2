// The S3 subset in workerd (docs/S3.md): buckets with global names, objects with metadata, ranges,
// copies, listings, multipart uploads with S3's ETags, presigned URLs, S3's XML errors, payload
// modes (hex hash, UNSIGNED-PAYLOAD, aws-chunked with chunk signatures), isolation between
// accounts, IAM, a function's own PutObject, and account deletion.
import { env, exports } from 'cloudflare:workers';
import { AwsClient } from 'aws4fetch';
import { beforeAll, describe, expect, it } from 'vitest';
import aws4fetchSource from '../../../node_modules/aws4fetch/dist/aws4fetch.esm.mjs?raw';
import fixtureSource from '../../fixtures/functions/signs-own-api-calls.mjs?raw';
import { createTenant, ORIGIN, signedClient, type Tenant } from '../support/signed-client';
import { zipBase64 } from '../support/zip';

let alice: Tenant;
let bob: Tenant;
let s3a: AwsClient;
let s3b: AwsClient;

const s3Client = (t: Tenant) => new AwsClient({ accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey, service: 's3', region: 'us-east-1', retries: 0 });
const send = (client: AwsClient, method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}) =>
  client.sign(`${ORIGIN}${path}`, { method, ...init }).then((request) => exports.default.fetch(request));
const errorCode = async (response: Response) => /<Code>([^<]*)<\/Code>/.exec(await response.text())?.[1];
const hex = (bytes: ArrayBuffer | Uint8Array) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
const md5 = async (bytes: Uint8Array) => new Uint8Array(await crypto.subtle.digest('MD5', bytes));

beforeAll(async () => {
  alice = await createTenant('alice');
  bob = await createTenant('bob');
  s3a = s3Client(alice);
  s3b = s3Client(bob);
}, 30_000);

describe('buckets', () => {
  it('creates, lists, heads and deletes a bucket; names are global and validated', async () => {
    expect((await send(s3a, 'PUT', '/alice-photos')).status).toBe(200);
    const again = await send(s3a, 'PUT', '/alice-photos');
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe('BucketAlreadyOwnedByYou');
    const taken = await send(s3b, 'PUT', '/alice-photos');
    expect(taken.status).toBe(409);
    expect(await errorCode(taken)).toBe('BucketAlreadyExists');
    for (const name of ['ab', 'Upper', '192.168.1.1', 'xn--punycode', 'a..b', '-dash', 'x'.repeat(64), 'ends-s3alias']) {
      const refused = await send(s3a, 'PUT', `/${name}`);
      expect(refused.status, name).toBe(400);
      expect(await errorCode(refused), name).toBe('InvalidBucketName');
    }
    const list = await (await send(s3a, 'GET', '/')).text();
    expect(list).toContain('<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    expect(list).toContain('<Name>alice-photos</Name>');
    expect(await (await send(s3b, 'GET', '/')).text()).not.toContain('alice-photos');
    const head = await send(s3a, 'HEAD', '/alice-photos');
    expect(head.status).toBe(200);
    expect(head.headers.get('x-amz-bucket-region')).toBe('us-east-1');
    const missing = await send(s3a, 'HEAD', '/no-such-bucket-here');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('');
    expect((await send(s3a, 'PUT', '/alice-photos/a.txt', { body: 'x' })).status).toBe(200);
    const notEmpty = await send(s3a, 'DELETE', '/alice-photos');
    expect(notEmpty.status).toBe(409);
    expect(await errorCode(notEmpty)).toBe('BucketNotEmpty');
    expect((await send(s3a, 'DELETE', '/alice-photos/a.txt')).status).toBe(204);
    expect((await send(s3a, 'DELETE', '/alice-photos')).status).toBe(204);
    expect((await send(s3a, 'HEAD', '/alice-photos')).status).toBe(404);
  });

  it("answers AccessDenied for every operation on another account's bucket", async () => {
    await send(s3a, 'PUT', '/alice-private');
    await send(s3a, 'PUT', '/alice-private/secret.txt', { body: 'secret' });
    const head = await send(s3b, 'HEAD', '/alice-private');
    expect(head.status).toBe(403);
    expect(await head.text()).toBe('');
    for (const [method, path] of [['GET', '/alice-private/secret.txt'], ['GET', '/alice-private?list-type=2'], ['PUT', '/alice-private/x'], ['DELETE', '/alice-private/secret.txt'], ['DELETE', '/alice-private']]) {
      const refused = await send(s3b, method, path, method === 'PUT' ? { body: 'x' } : {});
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect(await errorCode(refused)).toBe('AccessDenied');
    }
    expect(await (await send(s3a, 'GET', '/alice-private/secret.txt')).text()).toBe('secret');
  });
});

describe('objects', () => {
  beforeAll(async () => {
    expect((await send(s3a, 'PUT', '/alice-objects')).status).toBe(200);
  });

  it('stores metadata and content headers, answers ETags as MD5, serves ranges and S3 errors', async () => {
    const body = 'hello, range world';
    const put = await send(s3a, 'PUT', '/alice-objects/dir/hello%20there.txt', {
      body, headers: { 'content-type': 'text/plain', 'cache-control': 'max-age=60', 'content-disposition': 'inline', 'x-amz-meta-colour': 'blue' },
    });
    expect(put.status).toBe(200);
    const etag = `"${hex(await md5(new TextEncoder().encode(body)))}"`;
    expect(put.headers.get('etag')).toBe(etag);
    const get = await send(s3a, 'GET', '/alice-objects/dir/hello%20there.txt');
    expect(await get.text()).toBe(body);
    expect(get.headers.get('content-type')).toBe('text/plain');
    expect(get.headers.get('cache-control')).toBe('max-age=60');
    expect(get.headers.get('content-disposition')).toBe('inline');
    expect(get.headers.get('x-amz-meta-colour')).toBe('blue');
    expect(get.headers.get('etag')).toBe(etag);
    const head = await send(s3a, 'HEAD', '/alice-objects/dir/hello%20there.txt');
    expect(head.headers.get('content-length')).toBe(String(body.length));
    const ranged = await send(s3a, 'GET', '/alice-objects/dir/hello%20there.txt', { headers: { range: 'bytes=7-11' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 7-11/${body.length}`);
    expect(await ranged.text()).toBe('range');
    const suffix = await send(s3a, 'GET', '/alice-objects/dir/hello%20there.txt', { headers: { range: 'bytes=-5' } });
    expect(await suffix.text()).toBe('world');
    const unsatisfiable = await send(s3a, 'GET', '/alice-objects/dir/hello%20there.txt', { headers: { range: 'bytes=500-' } });
    expect(unsatisfiable.status).toBe(416);
    expect(await errorCode(unsatisfiable)).toBe('InvalidRange');
    const missing = await send(s3a, 'GET', '/alice-objects/nope.txt');
    expect(missing.status).toBe(404);
    const xml = await missing.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>nope.txt<\/Key><RequestId>[^<]+<\/RequestId>/);
    const missingHead = await send(s3a, 'HEAD', '/alice-objects/nope.txt');
    expect(missingHead.status).toBe(404);
    expect(await missingHead.text()).toBe('');
    const noBucket = await send(s3a, 'GET', '/alice-nothing-here/k');
    expect(await errorCode(noBucket)).toBe('NoSuchBucket');
  });

  it('copies with the source metadata or replaced metadata, and deletes many keys at once', async () => {
    await send(s3a, 'PUT', '/alice-objects/original', { body: 'copy me', headers: { 'content-type': 'text/x-original', 'x-amz-meta-a': '1' } });
    const copied = await send(s3a, 'PUT', '/alice-objects/copy', { headers: { 'x-amz-copy-source': '/alice-objects/original' } });
    expect(copied.status).toBe(200);
    expect(await copied.text()).toContain('<CopyObjectResult');
    const copy = await send(s3a, 'GET', '/alice-objects/copy');
    expect(await copy.text()).toBe('copy me');
    expect(copy.headers.get('content-type')).toBe('text/x-original');
    expect(copy.headers.get('x-amz-meta-a')).toBe('1');
    await send(s3a, 'PUT', '/alice-objects/replaced', {
      headers: { 'x-amz-copy-source': 'alice-objects/original', 'x-amz-metadata-directive': 'REPLACE', 'content-type': 'text/x-new' },
    });
    const replaced = await send(s3a, 'HEAD', '/alice-objects/replaced');
    expect(replaced.headers.get('content-type')).toBe('text/x-new');
    expect(replaced.headers.get('x-amz-meta-a')).toBeNull();
    const toItself = await send(s3a, 'PUT', '/alice-objects/original', { headers: { 'x-amz-copy-source': '/alice-objects/original' } });
    expect(await errorCode(toItself)).toBe('InvalidRequest');
    const document = '<Delete><Object><Key>copy</Key></Object><Object><Key>replaced</Key></Object><Object><Key>never-was</Key></Object></Delete>';
    const deleted = await send(s3a, 'POST', '/alice-objects?delete', { body: document });
    const result = await deleted.text();
    expect(deleted.status, result).toBe(200);
    expect(result.match(/<Deleted><Key>/g)).toHaveLength(3);
    expect((await send(s3a, 'HEAD', '/alice-objects/copy')).status).toBe(404);
  });

  it('lists with prefix, delimiter and common prefixes, continuation tokens, max-keys and start-after', async () => {
    await send(s3a, 'PUT', '/alice-list');
    for (const key of ['a/1', 'a/2', 'b/1', 'c', 'd', 'e']) await send(s3a, 'PUT', `/alice-list/${key}`, { body: key });
    const grouped = await (await send(s3a, 'GET', '/alice-list?list-type=2&delimiter=/')).text();
    expect(grouped).toContain('<CommonPrefixes><Prefix>a/</Prefix></CommonPrefixes><CommonPrefixes><Prefix>b/</Prefix></CommonPrefixes>');
    expect([...grouped.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1])).toEqual(['c', 'd', 'e']);
    expect(grouped).toContain('<KeyCount>5</KeyCount>');
    const prefixed = await (await send(s3a, 'GET', '/alice-list?list-type=2&prefix=a/')).text();
    expect([...prefixed.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1])).toEqual(['a/1', 'a/2']);
    const keys: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 10; page++) {
      const query = `list-type=2&max-keys=2${token ? `&continuation-token=${encodeURIComponent(token)}` : ''}`;
      const text = await (await send(s3a, 'GET', `/alice-list?${query}`)).text();
      keys.push(...[...text.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]));
      token = /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(text)?.[1];
      if (!token) {
        expect(text).toContain('<IsTruncated>false</IsTruncated>');
        break;
      }
      expect(text).toContain('<IsTruncated>true</IsTruncated>');
    }
    expect(keys).toEqual(['a/1', 'a/2', 'b/1', 'c', 'd', 'e']);
    const after = await (await send(s3a, 'GET', '/alice-list?list-type=2&start-after=c')).text();
    expect([...after.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1])).toEqual(['d', 'e']);
  });
});

describe('multipart uploads', () => {
  it("completes parts into one object whose ETag is the md5 of the parts' md5s and -N", async () => {
    await send(s3a, 'PUT', '/alice-multipart');
    const created = await (await send(s3a, 'POST', '/alice-multipart/big.bin?uploads', { headers: { 'content-type': 'application/x-big', 'x-amz-meta-kind': 'big' } })).text();
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created)![1];
    const parts = [new Uint8Array(5 * 1024 * 1024).fill(1), new Uint8Array(1000).fill(2)];
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      const uploaded = await send(s3a, 'PUT', `/alice-multipart/big.bin?partNumber=${i + 1}&uploadId=${encodeURIComponent(uploadId)}`, { body: part });
      expect(uploaded.status).toBe(200);
      // R2 answers each part's MD5 as its ETag; miniflare's local R2 answers an opaque id instead.
      etags.push(uploaded.headers.get('etag')!);
      expect(etags[i]).toMatch(/^"[^"]+"$/);
    }
    const wrong = `<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>${etags[1]}</ETag></Part><Part><PartNumber>1</PartNumber><ETag>${etags[0]}</ETag></Part></CompleteMultipartUpload>`;
    expect(await errorCode(await send(s3a, 'POST', `/alice-multipart/big.bin?uploadId=${encodeURIComponent(uploadId)}`, { body: wrong }))).toBe('InvalidPartOrder');
    const document = `<CompleteMultipartUpload>${etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
    const completed = await send(s3a, 'POST', `/alice-multipart/big.bin?uploadId=${encodeURIComponent(uploadId)}`, { body: document });
    const text = await completed.text();
    expect(completed.status, text).toBe(200);
    const digests = new Uint8Array(32);
    digests.set(await md5(parts[0]), 0);
    digests.set(await md5(parts[1]), 16);
    const expected = `"${hex(await md5(digests))}-2"`;
    expect(text).toContain(`<ETag>${expected.replace(/"/g, '&quot;')}</ETag>`);
    const head = await send(s3a, 'HEAD', '/alice-multipart/big.bin');
    expect(head.headers.get('etag')).toBe(expected);
    expect(head.headers.get('content-length')).toBe(String(5 * 1024 * 1024 + 1000));
    expect(head.headers.get('x-amz-meta-kind')).toBe('big');
    const unknown = await send(s3a, 'PUT', '/alice-multipart/big.bin?partNumber=1&uploadId=nope', { body: 'x' });
    expect(await errorCode(unknown)).toBe('NoSuchUpload');
    const aborted = await (await send(s3a, 'POST', '/alice-multipart/gone.bin?uploads')).text();
    const abortId = /<UploadId>([^<]+)<\/UploadId>/.exec(aborted)![1];
    expect((await send(s3a, 'DELETE', `/alice-multipart/gone.bin?uploadId=${encodeURIComponent(abortId)}`)).status).toBe(204);
  });
});

describe('UploadPartCopy', () => {
  it("makes parts of another object's bytes, whole or by x-amz-copy-source-range", async () => {
    await send(s3a, 'PUT', '/alice-partcopy');
    const source = Uint8Array.from({ length: 5 * 1024 * 1024 + 100 }, (_, i) => (i * 7) & 255);
    expect((await send(s3a, 'PUT', '/alice-partcopy/source.bin', { body: source })).status).toBe(200);
    await send(s3a, 'PUT', '/alice-partcopy/small.bin', { body: 'tail!' });
    const created = await (await send(s3a, 'POST', '/alice-partcopy/copied.bin?uploads')).text();
    const uploadId = encodeURIComponent(/<UploadId>([^<]+)<\/UploadId>/.exec(created)![1]);
    const copyPart = (n: number, from: string, range?: string) => send(s3a, 'PUT', `/alice-partcopy/copied.bin?partNumber=${n}&uploadId=${uploadId}`, {
      headers: { 'x-amz-copy-source': from, ...(range ? { 'x-amz-copy-source-range': range } : {}) },
    });
    const first = await copyPart(1, '/alice-partcopy/source.bin', `bytes=0-${5 * 1024 * 1024 - 1}`);
    const firstXml = await first.text();
    expect(first.status, firstXml).toBe(200);
    expect(firstXml).toMatch(/<CopyPartResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><LastModified>[^<]+<\/LastModified><ETag>&quot;[^<]+&quot;<\/ETag><\/CopyPartResult>/);
    const second = await copyPart(2, 'alice-partcopy/small.bin');
    expect(second.status).toBe(200);
    const etagOf = (text: string) => /<ETag>([^<]+)<\/ETag>/.exec(text)![1].replace(/&quot;/g, '"');
    const complete = await send(s3a, 'POST', `/alice-partcopy/copied.bin?uploadId=${uploadId}`, {
      body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etagOf(firstXml)}</ETag></Part><Part><PartNumber>2</PartNumber><ETag>${etagOf(await second.text())}</ETag></Part></CompleteMultipartUpload>`,
    });
    expect(complete.status, await complete.clone().text()).toBe(200);
    const copied = new Uint8Array(await (await send(s3a, 'GET', '/alice-partcopy/copied.bin')).arrayBuffer());
    expect(copied.length).toBe(5 * 1024 * 1024 + 5);
    expect(copied.subarray(0, 5 * 1024 * 1024)).toEqual(source.subarray(0, 5 * 1024 * 1024));
    expect(new TextDecoder().decode(copied.subarray(5 * 1024 * 1024))).toBe('tail!');
    const other = await (await send(s3a, 'POST', '/alice-partcopy/other.bin?uploads')).text();
    const otherId = encodeURIComponent(/<UploadId>([^<]+)<\/UploadId>/.exec(other)![1]);
    const bad = await send(s3a, 'PUT', `/alice-partcopy/other.bin?partNumber=1&uploadId=${otherId}`, { headers: { 'x-amz-copy-source': '/alice-partcopy/small.bin', 'x-amz-copy-source-range': 'bytes=3-1' } });
    expect(await errorCode(bad)).toBe('InvalidArgument');
    const beyond = await send(s3a, 'PUT', `/alice-partcopy/other.bin?partNumber=1&uploadId=${otherId}`, { headers: { 'x-amz-copy-source': '/alice-partcopy/small.bin', 'x-amz-copy-source-range': 'bytes=0-99' } });
    expect(await errorCode(beyond)).toBe('InvalidRequest');
    const foreign = await send(s3b, 'PUT', `/alice-partcopy/other.bin?partNumber=1&uploadId=${otherId}`, { headers: { 'x-amz-copy-source': '/alice-partcopy/small.bin' } });
    expect(await errorCode(foreign)).toBe('AccessDenied');
  });
});

describe('signatures and payload modes', () => {
  beforeAll(async () => {
    await send(s3a, 'PUT', '/alice-signed');
    await send(s3a, 'PUT', '/alice-signed/file.txt', { body: 'presigned content' });
  });

  it('serves presigned GET and PUT URLs, refuses expired and tampered ones', async () => {
    const url = `${ORIGIN}/alice-signed/file.txt?X-Amz-Expires=60`;
    const presigned = await s3a.sign(url, { method: 'GET', aws: { signQuery: true } });
    const fetched = await exports.default.fetch(new Request(presigned.url));
    expect(fetched.status).toBe(200);
    expect(await fetched.text()).toBe('presigned content');
    const tampered = await exports.default.fetch(new Request(presigned.url.replace('file.txt', 'other.txt')));
    expect(tampered.status).toBe(403);
    expect(await errorCode(tampered)).toBe('SignatureDoesNotMatch');
    const old = new Date(Date.now() - 120_000);
    const expired = await s3a.sign(`${ORIGIN}/alice-signed/file.txt?X-Amz-Expires=60`, { method: 'GET', aws: { signQuery: true, datetime: old.toISOString().replace(/[:-]|\.\d{3}/g, '') } });
    const refused = await exports.default.fetch(new Request(expired.url));
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Request has expired');
    const put = await s3a.sign(`${ORIGIN}/alice-signed/uploaded.txt?X-Amz-Expires=60`, { method: 'PUT', aws: { signQuery: true } });
    expect((await exports.default.fetch(new Request(put.url, { method: 'PUT', body: 'via presigned put' }))).status).toBe(200);
    expect(await (await send(s3a, 'GET', '/alice-signed/uploaded.txt')).text()).toBe('via presigned put');
  });

  it("signs the path as S3 does: each segment encoded once, so raw ( ) ! * ' match their signed %XX", async () => {
    const key = "report (final)!*'é ~v2.txt";
    const path = `/alice-signed/${key}`;
    expect(new URL(`${ORIGIN}${path}`).pathname).toContain('(final)!*'); // sent raw, signed encoded by aws4fetch
    const put = await send(s3a, 'PUT', path, { body: 'parenthesised' });
    expect(put.status, await put.clone().text()).toBe(200);
    expect(await (await send(s3a, 'GET', path)).text()).toBe('parenthesised');
    const encoded = `/alice-signed/${encodeURIComponent(key).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
    expect(await (await send(s3a, 'GET', encoded)).text()).toBe('parenthesised');
    const presigned = await s3a.sign(`${ORIGIN}${path}?X-Amz-Expires=60`, { method: 'GET', aws: { signQuery: true } });
    expect(await (await exports.default.fetch(new Request(presigned.url))).text()).toBe('parenthesised');
    const listed = await (await send(s3a, 'GET', '/alice-signed?list-type=2&prefix=report')).text();
    expect(listed).toContain('<Key>report (final)!*&apos;é ~v2.txt</Key>');
  });

  it('serves Signature Version 2 presigned GET, HEAD and PUT URLs (boto3 presigns so), with expiry; nothing else', async () => {
    const v2 = async (method: string, path: string, expires: number, options: { contentType?: string; secret?: string } = {}) => {
      const stringToSign = [method, '', options.contentType ?? '', String(expires), path].join('\n');
      const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(options.secret ?? alice.secretAccessKey), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
      const signature = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(stringToSign)))));
      return `${ORIGIN}${path}?${new URLSearchParams({ AWSAccessKeyId: alice.accessKeyId, Signature: signature, Expires: String(expires) })}`;
    };
    const later = Math.floor(Date.now() / 1000) + 300;
    const got = await exports.default.fetch(new Request(await v2('GET', '/alice-signed/file.txt', later)));
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('presigned content');
    const head = await exports.default.fetch(new Request(await v2('HEAD', '/alice-signed/file.txt', later), { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('17');
    const put = await exports.default.fetch(new Request(await v2('PUT', '/alice-signed/v2.txt', later, { contentType: 'text/plain' }), { method: 'PUT', body: 'by sigv2', headers: { 'content-type': 'text/plain' } }));
    expect(put.status, await put.clone().text()).toBe(200);
    const stored = await send(s3a, 'GET', '/alice-signed/v2.txt');
    expect(await stored.text()).toBe('by sigv2');
    expect(stored.headers.get('content-type')).toBe('text/plain');
    const expired = await exports.default.fetch(new Request(await v2('GET', '/alice-signed/file.txt', Math.floor(Date.now() / 1000) - 5)));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('<Message>Request has expired</Message>');
    const wrongKey = await exports.default.fetch(new Request(await v2('GET', '/alice-signed/file.txt', later, { secret: 'not-the-secret' })));
    expect(wrongKey.status).toBe(403);
    expect(await errorCode(wrongKey)).toBe('SignatureDoesNotMatch');
    const otherKey = await exports.default.fetch(new Request((await v2('GET', '/alice-signed/file.txt', later)).replace('file.txt', 'v2.txt')));
    expect(await errorCode(otherKey)).toBe('SignatureDoesNotMatch');
    const deleted = await exports.default.fetch(new Request(await v2('DELETE', '/alice-signed/v2.txt', later), { method: 'DELETE' }));
    expect(deleted.status).toBe(400);
    expect(await deleted.text()).toContain('Please use AWS4-HMAC-SHA256');
    expect((await send(s3a, 'HEAD', '/alice-signed/v2.txt')).status).toBe(200);
  });

  it('checks a signed hex payload hash and decodes signed aws-chunked bodies', async () => {
    const mismatch = await s3a.sign(`${ORIGIN}/alice-signed/hashed.txt`, { method: 'PUT', body: 'actual', headers: { 'x-amz-content-sha256': 'a'.repeat(64) } });
    const refused = await exports.default.fetch(mismatch);
    expect(await errorCode(refused)).toBe('XAmzContentSHA256Mismatch');
    const chunks = ['first chunk, ', 'second chunk'];
    const response = await exports.default.fetch(await signedChunkedPut(alice, '/alice-signed/chunked.txt', chunks));
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await (await send(s3a, 'GET', '/alice-signed/chunked.txt')).text()).toBe(chunks.join(''));
    const forged = await exports.default.fetch(await signedChunkedPut(alice, '/alice-signed/chunked.txt', chunks, 'forged'));
    expect(await errorCode(forged)).toBe('SignatureDoesNotMatch');
    const unsignedTrailer = `5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n`;
    const trailer = await send(s3a, 'PUT', '/alice-signed/trailer.txt', {
      body: unsignedTrailer, headers: { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '5', 'x-amz-trailer': 'x-amz-checksum-crc32' },
    });
    expect(trailer.status, await trailer.clone().text()).toBe(200);
    const stored = await send(s3a, 'GET', '/alice-signed/trailer.txt');
    expect(await stored.text()).toBe('hello');
    expect(stored.headers.get('content-encoding')).toBeNull();
  });
});

/** A PUT with STREAMING-AWS4-HMAC-SHA256-PAYLOAD as the AWS CLI sends one: a seed signature, then each chunk signed. */
async function signedChunkedPut(tenant: Tenant, path: string, chunks: string[], forge?: string): Promise<Request> {
  const client = s3Client(tenant);
  const decoded = chunks.join('').length;
  const seed = await client.sign(`${ORIGIN}${path}`, {
    method: 'PUT',
    headers: { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(decoded) },
  });
  const authorization = seed.headers.get('authorization')!;
  const amzDate = seed.headers.get('x-amz-date')!;
  const scope = /Credential=[^/]+\/([^,]+)/.exec(authorization)![1];
  const [date, region, service] = scope.split('/');
  const enc = new TextEncoder();
  const hmac = async (key: Uint8Array, data: string) =>
    new Uint8Array(await crypto.subtle.sign('HMAC', await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']), enc.encode(data)));
  let key = await hmac(enc.encode(`AWS4${tenant.secretAccessKey}`), date);
  for (const part of [region, service, 'aws4_request']) key = await hmac(key, part);
  const sha = async (text: string) => hex(await crypto.subtle.digest('SHA-256', enc.encode(text)));
  let previous = /Signature=([0-9a-f]+)/.exec(authorization)![1];
  let body = '';
  for (const chunk of [...chunks, '']) {
    const signature = forge ?? hex(await hmac(key, ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, previous, await sha(''), await sha(chunk)].join('\n')));
    body += `${chunk.length.toString(16)};chunk-signature=${signature}\r\n${chunk}\r\n`;
    previous = signature;
  }
  return new Request(seed.url, { method: 'PUT', headers: seed.headers, body });
}

describe('IAM, functions and account deletion', () => {
  it("lets a function PutObject with its role's credentials, as its policy allows, and nothing else", async () => {
    await send(s3a, 'PUT', '/alice-from-functions');
    const iam = (params: Record<string, string>) => alice.as('iam').send('POST', '/', new URLSearchParams({ Version: '2010-05-08', ...params }).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    expect((await iam({ Action: 'CreateRole', RoleName: 'uploader', AssumeRolePolicyDocument: trust })).status).toBe(200);
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::alice-from-functions/uploads/*' }] });
    expect((await iam({ Action: 'PutRolePolicy', RoleName: 'uploader', PolicyName: 'put', PolicyDocument: policy })).status).toBe(200);
    const created = await alice.send('POST', '/2015-03-31/functions', {
      FunctionName: 'uploader', Runtime: 'nodejs22.x', Role: `arn:aws:iam::${alice.accountId}:role/uploader`, Handler: 'index.handler', Timeout: 10,
      Code: { ZipFile: zipBase64({ 'index.mjs': fixtureSource, 'aws4fetch.mjs': aws4fetchSource }) },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const calls = [
      { method: 'PUT', path: '/alice-from-functions/uploads/from-fn.txt', service: 's3', body: 'written by a function' },
      { method: 'GET', path: '/alice-from-functions/uploads/from-fn.txt', service: 's3' },
      { method: 'PUT', path: '/alice-from-functions/elsewhere.txt', service: 's3', body: 'no' },
    ];
    const invoked = await alice.send('POST', '/2015-03-31/functions/uploader/invocations', { calls });
    const seen = (await invoked.json()) as { results: { status: number; body: string }[] };
    expect(seen.results.map((r) => r.status), JSON.stringify(seen)).toEqual([200, 403, 403]);
    expect(seen.results[1].body).toContain('<Code>AccessDenied</Code>');
    expect(await (await send(s3a, 'GET', '/alice-from-functions/uploads/from-fn.txt')).text()).toBe('written by a function');
  });

  it('deletes an account with its buckets and objects; the names become free', async () => {
    const carol = await createTenant('carol');
    const s3c = s3Client(carol);
    await send(s3c, 'PUT', '/carol-bucket');
    await send(s3c, 'PUT', '/carol-bucket/k', { body: 'v' });
    expect((await signedClient().send('DELETE', `/api/admin/accounts/${carol.accountId}`)).status).toBe(204);
    expect((await env.CODE.list({ prefix: `s3/${carol.accountId}/` })).objects).toEqual([]);
    expect((await send(s3b, 'PUT', '/carol-bucket')).status).toBe(200);
  });
});
