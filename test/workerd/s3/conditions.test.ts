// S3's conditional requests (docs/S3.md, "Operations"): If-Match, If-None-Match,
// If-Modified-Since and If-Unmodified-Since on GetObject and HeadObject (304 and 412 as S3
// answers), and PutObject's If-None-Match: * and If-Match.
import { exports } from 'cloudflare:workers';
import { AwsClient } from 'aws4fetch';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTenant, ORIGIN } from '../support/signed-client';

let s3: AwsClient;
const send = (method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}) =>
  s3.sign(`${ORIGIN}${path}`, { method, ...init }).then((request) => exports.default.fetch(request));
let etag: string;
let lastModified: string;

beforeAll(async () => {
  const tenant = await createTenant('conditions');
  s3 = new AwsClient({ accessKeyId: tenant.accessKeyId, secretAccessKey: tenant.secretAccessKey, service: 's3', region: 'us-east-1', retries: 0 });
  await send('PUT', '/cond-bucket');
  const put = await send('PUT', '/cond-bucket/k.txt', { body: 'conditional' });
  etag = put.headers.get('etag')!;
  lastModified = (await send('HEAD', '/cond-bucket/k.txt')).headers.get('last-modified')!;
}, 30_000);

describe('GetObject and HeadObject conditions', () => {
  it('answers 200, 304 and 412 as S3 does', async () => {
    const past = new Date(Date.parse(lastModified) - 3600_000).toUTCString();
    const future = new Date(Date.parse(lastModified) + 3600_000).toUTCString();
    const cases: [Record<string, string>, number, string?][] = [
      [{ 'if-match': etag }, 200],
      [{ 'if-match': '*' }, 200],
      [{ 'if-match': '"0000"' }, 412, 'If-Match'],
      [{ 'if-none-match': etag }, 304],
      [{ 'if-none-match': '"0000"' }, 200],
      [{ 'if-modified-since': past }, 200],
      [{ 'if-modified-since': lastModified }, 304],
      [{ 'if-unmodified-since': future }, 200],
      [{ 'if-unmodified-since': past }, 412, 'If-Unmodified-Since'],
      // If-Match holding wins over If-Unmodified-Since failing; If-None-Match decides over If-Modified-Since.
      [{ 'if-match': etag, 'if-unmodified-since': past }, 200],
      [{ 'if-none-match': '"0000"', 'if-modified-since': future }, 200],
      [{ 'if-modified-since': 'not a date' }, 200],
    ];
    for (const [headers, status, condition] of cases) {
      const got = await send('GET', '/cond-bucket/k.txt', { headers });
      expect(got.status, JSON.stringify(headers)).toBe(status);
      const text = await got.text();
      if (status === 200) expect(text).toBe('conditional');
      if (status === 304) {
        expect(text).toBe('');
        expect(got.headers.get('etag')).toBe(etag);
      }
      if (status === 412) expect(text).toContain(`<Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>${condition}</Condition>`);
      const head = await send('HEAD', '/cond-bucket/k.txt', { headers });
      expect(head.status, `HEAD ${JSON.stringify(headers)}`).toBe(status);
    }
    const missing = await send('GET', '/cond-bucket/none.txt', { headers: { 'if-none-match': etag } });
    expect(missing.status).toBe(404);
  });
});

describe('PutObject conditions', () => {
  it('writes with If-None-Match: * only when the key is free, with If-Match only over that ETag', async () => {
    const first = await send('PUT', '/cond-bucket/once.txt', { body: 'first', headers: { 'if-none-match': '*' } });
    expect(first.status, await first.clone().text()).toBe(200);
    const second = await send('PUT', '/cond-bucket/once.txt', { body: 'second', headers: { 'if-none-match': '*' } });
    expect(second.status).toBe(412);
    expect(await second.text()).toContain('<Condition>If-None-Match</Condition>');
    expect(await (await send('GET', '/cond-bucket/once.txt')).text()).toBe('first');
    const stale = await send('PUT', '/cond-bucket/once.txt', { body: 'stale', headers: { 'if-match': '"00000000000000000000000000000000"' } });
    expect(stale.status).toBe(412);
    const current = await send('PUT', '/cond-bucket/once.txt', { body: 'replaced', headers: { 'if-match': first.headers.get('etag')! } });
    expect(current.status, await current.clone().text()).toBe(200);
    expect(await (await send('GET', '/cond-bucket/once.txt')).text()).toBe('replaced');
    const byTag = await send('PUT', '/cond-bucket/once.txt', { body: 'x', headers: { 'if-none-match': etag } });
    expect(byTag.status).toBe(501);
    // CopyObject's source conditions are not taken: refused rather than ignored.
    const copy = await send('PUT', '/cond-bucket/copy.txt', { headers: { 'x-amz-copy-source': '/cond-bucket/once.txt', 'x-amz-copy-source-if-match': etag } });
    expect(copy.status).toBe(501);
    expect(await copy.text()).toContain('x-amz-copy-source-if-match');
  });
});
