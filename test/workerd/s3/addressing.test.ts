// S3's virtual-host addressing (docs/S3.md, "Requests"): `<bucket>.<FAASBOX_S3_DOMAIN>` (localhost
// here) routed to the same operations as path style, the Host signed as sent; the platform's own
// path prefixes are keys there; function URL hosts stay function URLs.
import { exports } from 'cloudflare:workers';
import { AwsClient } from 'aws4fetch';
import { beforeAll, expect, it } from 'vitest';
import { createTenant, ORIGIN, type Tenant } from '../support/signed-client';

let tenant: Tenant;
let s3: AwsClient;
const send = (method: string, url: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}) =>
  s3.sign(url, { method, ...init }).then((request) => exports.default.fetch(request));
const port = new URL(ORIGIN).port ? `:${new URL(ORIGIN).port}` : '';
const virtual = (bucket: string, path: string) => `${new URL(ORIGIN).protocol}//${bucket}.localhost${port}${path}`;

beforeAll(async () => {
  tenant = await createTenant('vhost');
  s3 = new AwsClient({ accessKeyId: tenant.accessKeyId, secretAccessKey: tenant.secretAccessKey, service: 's3', region: 'us-east-1', retries: 0 });
}, 30_000);

it('serves buckets and objects at <bucket>.localhost as at /<bucket>', async () => {
  expect((await send('PUT', virtual('vhost-photos', '/'))).status).toBe(200);
  expect((await send('HEAD', `${ORIGIN}/vhost-photos`)).status).toBe(200);
  const put = await send('PUT', virtual('vhost-photos', '/dir/a (1).txt'), { body: 'virtual' });
  expect(put.status, await put.clone().text()).toBe(200);
  expect(await (await send('GET', `${ORIGIN}/vhost-photos/dir/a%20(1).txt`)).text()).toBe('virtual');
  expect(await (await send('GET', virtual('vhost-photos', '/dir/a (1).txt'))).text()).toBe('virtual');
  // A key whose first segment is a platform prefix is a key here, not the platform's API.
  expect((await send('PUT', virtual('vhost-photos', '/2015-03-31/functions'), { body: 'just a key' })).status).toBe(200);
  expect(await (await send('GET', `${ORIGIN}/vhost-photos/2015-03-31/functions`)).text()).toBe('just a key');
  const listed = await (await send('GET', virtual('vhost-photos', '/?list-type=2'))).text();
  expect(listed).toContain('<Name>vhost-photos</Name>');
  expect(listed).toContain('<Key>dir/a (1).txt</Key>');
  const presigned = await s3.sign(virtual('vhost-photos', '/dir/a (1).txt?X-Amz-Expires=60'), { method: 'GET', aws: { signQuery: true } });
  expect(await (await exports.default.fetch(new Request(presigned.url))).text()).toBe('virtual');
  // Bucket names may hold dots: the whole label run before the domain is the bucket.
  expect((await send('PUT', virtual('vhost.dotted', '/'))).status).toBe(200);
  expect((await send('PUT', virtual('vhost.dotted', '/k'), { body: 'dots' })).status).toBe(200);
  expect(await (await send('GET', `${ORIGIN}/vhost.dotted/k`)).text()).toBe('dots');
});

it('binds the signature to the Host: a request signed for one bucket host is refused at another', async () => {
  await send('PUT', virtual('vhost-other', '/'));
  const signed = await s3.sign(virtual('vhost-photos', '/dir/a (1).txt'), { method: 'GET' });
  const moved = new Request(virtual('vhost-other', '/dir/a (1).txt'), { headers: signed.headers });
  const refused = await exports.default.fetch(moved);
  expect(refused.status).toBe(403);
  expect(await refused.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
});

it('leaves function URL hosts to function URLs', async () => {
  const response = await send('GET', virtual(`${'a'.repeat(32)}.lambda-url.us-east-1`, '/'));
  // An unknown url-id: the function URL's own answer, never S3's.
  expect(response.status).toBe(403);
  expect(await response.json()).toEqual({ Message: 'Forbidden' });
});
