// The source address in a function URL's event: cf-connecting-ip only when the request came
// through Cloudflare (request.cf present), which sets it; otherwise the documented 127.0.0.1.
import { beforeAll, describe, expect, it } from 'vitest';
import { exports } from 'cloudflare:workers';
import { createTenant, deploy } from '../support/signed-client';
import { allowPublic, createUrl } from '../support/url-client';

const ECHO_SOURCE = 'exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ sourceIp: event.requestContext.http.sourceIp, forwardedFor: event.headers["x-forwarded-for"] }) });';

let urlId: string;
beforeAll(async () => {
  const tenant = await createTenant();
  await deploy(tenant, 'web', ECHO_SOURCE);
  urlId = (await createUrl(tenant, 'web')).urlId;
  await allowPublic(tenant, 'web');
}, 30_000);

async function sourceSeen(init: RequestInit): Promise<unknown> {
  const response = await exports.default.fetch(new Request(`http://${urlId}.lambda-url.us-east-1.localhost/`, init));
  expect(response.status).toBe(200);
  return response.json();
}

describe('the source address', () => {
  it('ignores a cf-connecting-ip on a request that did not come through Cloudflare', async () => {
    expect(await sourceSeen({ headers: { 'cf-connecting-ip': '203.0.113.9' } })).toEqual({ sourceIp: '127.0.0.1', forwardedFor: '127.0.0.1' });
  });

  it('is the cf-connecting-ip Cloudflare set on a request it delivered', async () => {
    const cf = { colo: 'AMS', country: 'NL' };
    expect(await sourceSeen({ headers: { 'cf-connecting-ip': '203.0.113.9' }, cf } as RequestInit)).toEqual({ sourceIp: '203.0.113.9', forwardedFor: '203.0.113.9' });
  });
});
