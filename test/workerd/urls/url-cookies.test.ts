// Cookies of function URL responses: a Set-Cookie (in `cookies` or in `headers`) can set a cookie
// for the URL's own host only; a Domain attribute naming any other domain is dropped.
import { describe, expect, it } from 'vitest';
import { exports } from 'cloudflare:workers';
import { createTenant, deploy } from '../support/signed-client';
import { allowPublic, createUrl, urlFetch } from '../support/url-client';

const OTHER_TENANTS_URL = 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.localhost';

/** Sets cookies for the parent domains every URL shares, another tenant's URL and its own host (from the event). */
const PLANTER = `exports.handler = async (event) => {
  const own = event.requestContext.domainName;
  return {
    statusCode: 200,
    headers: { 'Set-Cookie': 'w=5; Domain=lambda-url.us-east-1.localhost; Path=/' },
    cookies: [
      's=1; Domain=localhost; Path=/',
      't=2; domain=.lambda-url.us-east-1.localhost; HttpOnly',
      'u=3; Path=/; Domain = us-east-1.localhost ;Secure',
      'x=4; Domain=${OTHER_TENANTS_URL}',
      'y=5; Domain=faasbox.test',
      'o=6; Domain=' + own + '; Path=/',
      'p=7; Domain=.' + own.toUpperCase(),
      'v=8; Max-Age=60',
    ],
    body: own,
  };
};`;

async function plantingUrl(): Promise<string> {
  const tenant = await createTenant();
  await deploy(tenant, 'web', PLANTER);
  const { urlId } = await createUrl(tenant, 'web');
  await allowPublic(tenant, 'web');
  return urlId;
}

/** What the URL's Set-Cookie headers become for a response served as `own`. */
const expected = (own: string) => [
  'w=5; Path=/',
  's=1; Path=/',
  't=2; HttpOnly',
  'u=3; Path=/;Secure',
  'x=4',
  'y=5',
  // Its own host stays: a URL's host has no names under it that the platform serves.
  `o=6; Domain=${own}; Path=/`,
  `p=7; Domain=.${own.toUpperCase()}`,
  'v=8; Max-Age=60',
];

describe('function URL cookies', () => {
  it("drops every Domain but the URL's own host, so a cookie cannot be planted on other tenants' URLs or the console", async () => {
    const urlId = await plantingUrl();
    const response = await urlFetch(urlId);
    const own = await response.text();
    expect(own).toBe(`${urlId}.lambda-url.us-east-1.localhost`);
    expect(response.headers.getSetCookie()).toEqual(expected(own));
  });

  it('drops the Domain of the API host when the URL is reached by its path fallback', async () => {
    const urlId = await plantingUrl();
    const response = await exports.default.fetch(new Request(`http://faasbox.test/lambda-url/${urlId}/`));
    expect(response.headers.getSetCookie()).toEqual(expected(await response.text()));
  });
});
