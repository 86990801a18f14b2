// Requests to function URLs inside workerd: the payload 2.0 event, Lambda's response rules, who
// may call (policy, SigV4, other tenants), CORS, and the answers when the function cannot answer.
import { describe, expect, it } from 'vitest';
import { exports } from 'cloudflare:workers';
import { createTenant, deploy } from '../support/signed-client';
import { allowPublic, createUrl, signedUrlFetch, urlFetch } from '../support/url-client';

const ECHO_EVENT = 'exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });';

/** A public NONE URL on a new function with `source`. */
async function publicUrl(source: string, extra: Record<string, unknown> = {}) {
  const tenant = await createTenant();
  await deploy(tenant, 'web', source, extra);
  const url = await createUrl(tenant, 'web');
  await allowPublic(tenant, 'web');
  return { tenant, ...url };
}

describe('the request event', () => {
  it('is the HTTP API payload 2.0 event: path, query, headers, cookies, text body, request context', async () => {
    const { urlId } = await publicUrl(ECHO_EVENT);
    const response = await urlFetch(urlId, '/orders/42?size=large&tag=a&tag=b', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'session=abc; theme=dark', 'user-agent': 'tests/1.0', 'x-custom': 'yes' },
      body: '{"item":"book"}',
    });
    expect(response.status).toBe(200);
    const event = (await response.json()) as Record<string, any>;
    expect(event).toEqual({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/orders/42',
      rawQueryString: 'size=large&tag=a&tag=b',
      cookies: ['session=abc', 'theme=dark'],
      headers: expect.objectContaining({
        'content-type': 'application/json',
        'user-agent': 'tests/1.0',
        'x-custom': 'yes',
        host: `${urlId}.lambda-url.us-east-1.localhost`,
        'x-forwarded-proto': 'http',
        'x-forwarded-port': '80',
        'x-forwarded-for': expect.any(String),
      }),
      queryStringParameters: { size: 'large', tag: 'a,b' },
      requestContext: {
        accountId: 'anonymous',
        apiId: urlId,
        domainName: `${urlId}.lambda-url.us-east-1.localhost`,
        domainPrefix: urlId,
        http: { method: 'POST', path: '/orders/42', protocol: 'HTTP/1.1', sourceIp: expect.any(String), userAgent: 'tests/1.0' },
        requestId: response.headers.get('x-amzn-requestid'),
        routeKey: '$default',
        stage: '$default',
        time: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
        timeEpoch: expect.any(Number),
      },
      body: '{"item":"book"}',
      isBase64Encoded: false,
    });
    expect(event.headers.cookie).toBeUndefined();
    expect(Object.keys(event.headers).filter((h) => h.startsWith('cf-'))).toEqual([]);
  });

  it('leaves out body, cookies and query parameters a request does not have', async () => {
    const { urlId } = await publicUrl(ECHO_EVENT);
    const event = (await (await urlFetch(urlId)).json()) as Record<string, unknown>;
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('cookies');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).toMatchObject({ rawPath: '/', rawQueryString: '', isBase64Encoded: false });
  });

  it('base64-encodes binary bodies, byte for byte', async () => {
    const { urlId } = await publicUrl(ECHO_EVENT);
    const bytes = new Uint8Array(256).map((_, i) => i);
    const event = (await (await urlFetch(urlId, '/upload', { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes })).json()) as { body: string; isBase64Encoded: boolean };
    expect(event.isBase64Encoded).toBe(true);
    expect(Uint8Array.from(atob(event.body), (c) => c.charCodeAt(0))).toEqual(bytes);
  });

  it('answers at the path fallback /lambda-url/<url-id>/ too, with the prefix removed from rawPath', async () => {
    const { urlId } = await publicUrl(ECHO_EVENT);
    const response = await exports.default.fetch(new Request(`http://faasbox.test/lambda-url/${urlId}/a/b?x=1`));
    const event = (await response.json()) as Record<string, any>;
    expect(event.rawPath).toBe('/a/b');
    expect(event.requestContext.domainName).toBe(`${urlId}.lambda-url.us-east-1.localhost`);
    expect(event.queryStringParameters).toEqual({ x: '1' });
    const root = (await (await exports.default.fetch(new Request(`http://faasbox.test/lambda-url/${urlId}`))).json()) as Record<string, any>;
    expect(root.rawPath).toBe('/');
  });
});

describe('the response', () => {
  it('maps statusCode, headers, each cookie to its own Set-Cookie, and the body', async () => {
    const { urlId } = await publicUrl(`exports.handler = async () => ({
      statusCode: 201,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'X-Custom': 'one' },
      cookies: ['a=1; Path=/', 'b=2; Max-Age=60; HttpOnly'],
      body: '<h1>made</h1>',
    });`);
    const response = await urlFetch(urlId);
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-custom')).toBe('one');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Max-Age=60; HttpOnly']);
    expect(await response.text()).toBe('<h1>made</h1>');
  });

  it('decodes base64 bodies', async () => {
    const { urlId } = await publicUrl(`exports.handler = async () => ({
      statusCode: 200, headers: { 'content-type': 'image/png' }, isBase64Encoded: true,
      body: btoa(String.fromCharCode(137, 80, 78, 71, 0, 255)),
    });`);
    const response = await urlFetch(urlId);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([137, 80, 78, 71, 0, 255]));
  });

  it('infers 200 application/json with the JSON as body when there is no statusCode', async () => {
    const objectUrl = await publicUrl('exports.handler = async () => ({ message: "hi", body: "not special" });');
    const response = await urlFetch(objectUrl.urlId);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ message: 'hi', body: 'not special' });

    const stringUrl = await publicUrl('exports.handler = async () => "Hello, world!";');
    const text = await urlFetch(stringUrl.urlId);
    expect(text.headers.get('content-type')).toBe('application/json');
    expect(await text.text()).toBe('"Hello, world!"');
  });

  it('defaults content-type to application/json when a structured result gives none', async () => {
    const { urlId } = await publicUrl('exports.handler = async () => ({ statusCode: 404, body: "{\\"missing\\":true}" });');
    const response = await urlFetch(urlId);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ missing: true });
  });

  it('answers 502 Internal Server Error for a function error, a timeout and a malformed result, without detail', async () => {
    for (const [source, extra] of [
      ['exports.handler = async () => { throw new Error("secret detail"); };', {}],
      ['exports.handler = () => new Promise(() => {});', { Timeout: 1 }],
      ['exports.handler = async () => ({ statusCode: "teapot" });', {}],
    ] as const) {
      const { urlId } = await publicUrl(source, extra);
      const response = await urlFetch(urlId);
      expect(response.status).toBe(502);
      expect(await response.json()).toEqual({ Message: 'Internal Server Error' });
    }
  });

  it('answers 429 when the function is throttled', async () => {
    const { tenant, urlId } = await publicUrl('exports.handler = async () => "ok";');
    await tenant.send('PUT', '/2017-10-31/functions/web/concurrency', { ReservedConcurrentExecutions: 0 });
    const response = await urlFetch(urlId);
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({ Message: 'Rate Exceeded.' });
  });
});

describe('who may call', () => {
  it('refuses a NONE URL until the policy allows the public, and again after RemovePermission', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'web', 'exports.handler = async () => "ok";');
    const { urlId } = await createUrl(tenant, 'web');
    const denied = await urlFetch(urlId);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ Message: 'Forbidden' });
    // A statement for another auth type or another action does not open it.
    await tenant.send('POST', '/2015-03-31/functions/web/policy', { StatementId: 'iam', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'AWS_IAM' });
    await tenant.send('POST', '/2015-03-31/functions/web/policy', { StatementId: 'invoke', Action: 'lambda:InvokeFunction', Principal: '*' });
    expect((await urlFetch(urlId)).status).toBe(403);
    await allowPublic(tenant, 'web', 'public');
    expect((await urlFetch(urlId)).status).toBe(200);
    await tenant.send('DELETE', '/2015-03-31/functions/web/policy/public');
    expect((await urlFetch(urlId)).status).toBe(403);
  });

  it('answers 403 for unknown and deleted URLs, and an update takes effect at once', async () => {
    const { tenant, urlId } = await publicUrl('exports.handler = async () => "ok";');
    expect((await urlFetch('0'.repeat(32))).status).toBe(403);
    expect((await urlFetch('not-an-id')).status).toBe(403);
    expect((await urlFetch(urlId)).status).toBe(200);
    await tenant.send('PUT', '/2021-10-31/functions/web/url', { AuthType: 'AWS_IAM' });
    expect((await urlFetch(urlId)).status).toBe(403);
    await tenant.send('DELETE', '/2021-10-31/functions/web/url');
    expect((await urlFetch(urlId)).status).toBe(403);
  });

  it('requires a valid SigV4 signature on an AWS_IAM URL; the owner\'s keys may call it', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'web', ECHO_EVENT);
    const { urlId } = await createUrl(tenant, 'web', { AuthType: 'AWS_IAM' });
    const unsigned = await urlFetch(urlId);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toEqual({ Message: 'Forbidden' });
    const wrongSecret = await signedUrlFetch({ accessKeyId: tenant.accessKeyId, secretAccessKey: 'wrong' }, urlId);
    expect(wrongSecret.status).toBe(403);

    const signed = await signedUrlFetch(tenant, urlId, '/me?x=1', { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(signed.status).toBe(200);
    const event = (await signed.json()) as Record<string, any>;
    expect(event.body).toBe('hello');
    expect(event.requestContext.accountId).toBe(tenant.accountId);
    expect(event.requestContext.authorizer).toEqual({
      iam: {
        accessKey: tenant.accessKeyId, accountId: tenant.accountId, callerId: tenant.accountId, cognitoIdentity: null,
        principalOrgId: null, userArn: `arn:aws:iam::${tenant.accountId}:root`, userId: tenant.accountId,
      },
    });
  });

  it('refuses another tenant\'s keys on an AWS_IAM URL unless the policy names that account', async () => {
    const owner = await createTenant();
    const other = await createTenant();
    await deploy(owner, 'web', 'exports.handler = async () => "ok";');
    const { urlId } = await createUrl(owner, 'web', { AuthType: 'AWS_IAM' });
    expect((await signedUrlFetch(other, urlId)).status).toBe(403);
    // Public access on a NONE basis does not open an AWS_IAM URL to other accounts.
    await allowPublic(owner, 'web');
    expect((await signedUrlFetch(other, urlId)).status).toBe(403);
    const grant = await owner.send('POST', '/2015-03-31/functions/web/policy', {
      StatementId: 'partner', Action: 'lambda:InvokeFunctionUrl', Principal: other.accountId, FunctionUrlAuthType: 'AWS_IAM',
    });
    expect(grant.status).toBe(201);
    expect((await signedUrlFetch(other, urlId)).status).toBe(200);
    expect((await urlFetch(urlId)).status).toBe(403);
  });
});

describe('CORS', () => {
  const CORS = { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['content-type', 'x-custom'], ExposeHeaders: ['x-out'], MaxAge: 300, AllowCredentials: true };

  it('answers preflights from the config without invoking, and adds headers to responses for allowed origins', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'web', 'exports.handler = async () => { console.log("invoked"); return { statusCode: 200, headers: { "x-out": "1" }, body: "ok" }; };');
    const { urlId } = await createUrl(tenant, 'web', { AuthType: 'AWS_IAM', Cors: CORS });
    const preflight = await urlFetch(urlId, '/', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(200);
    expect(Object.fromEntries([...preflight.headers].filter(([k]) => k.startsWith('access-control-') || k === 'vary'))).toEqual({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'content-type,x-custom',
      'access-control-allow-credentials': 'true',
      'access-control-max-age': '300',
      vary: 'Origin',
    });
    const blocked = await urlFetch(urlId, '/', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(blocked.status).toBe(200);
    expect(blocked.headers.get('access-control-allow-origin')).toBeNull();

    const actual = await signedUrlFetch(tenant, urlId, '/', { headers: { origin: 'https://app.example' } });
    expect(actual.status).toBe(200);
    expect(actual.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(actual.headers.get('access-control-expose-headers')).toBe('x-out');
    expect(actual.headers.get('access-control-allow-credentials')).toBe('true');
    const foreign = await signedUrlFetch(tenant, urlId, '/', { headers: { origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('passes OPTIONS to the function when the URL has no Cors config', async () => {
    const { urlId } = await publicUrl(ECHO_EVENT);
    const response = await urlFetch(urlId, '/', { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } });
    expect(((await response.json()) as { requestContext: { http: { method: string } } }).requestContext.http.method).toBe('OPTIONS');
  });
});

describe('a URL on an alias', () => {
  it('runs the version the alias points to, and follows the alias when it moves', async () => {
    const tenant = await createTenant();
    const source = (tag: string) => `exports.handler = async () => ({ statusCode: 200, body: "${tag} " + process.env.AWS_LAMBDA_FUNCTION_VERSION });`;
    await deploy(tenant, 'web', source('one'));
    expect((await tenant.send('POST', '/2015-03-31/functions/web/versions', {})).status).toBe(201);
    const { zipBase64 } = await import('../support/zip');
    expect((await tenant.send('PUT', '/2015-03-31/functions/web/code', { ZipFile: zipBase64({ 'index.js': source('two') }) })).status).toBe(200);
    expect((await tenant.send('POST', '/2015-03-31/functions/web/versions', {})).status).toBe(201);
    expect((await tenant.send('POST', '/2015-03-31/functions/web/aliases', { Name: 'live', FunctionVersion: '1' })).status).toBe(201);

    const { urlId, functionUrl } = await createUrl(tenant, 'web:live');
    expect(functionUrl).toBe(`http://${urlId}.lambda-url.us-east-1.localhost/`);
    // The policy of the alias, not of the unqualified function, opens its URL.
    expect((await urlFetch(urlId)).status).toBe(403);
    await allowPublic(tenant, 'web:live');
    const first = await urlFetch(urlId);
    expect(await first.text()).toBe('one 1');

    expect((await tenant.send('PUT', '/2015-03-31/functions/web/aliases/live', { FunctionVersion: '2' })).status).toBe(200);
    expect(await (await urlFetch(urlId)).text()).toBe('two 2');
    // $LATEST is untouched by the alias URL: its own URL would need its own config.
    expect((await tenant.send('GET', '/2021-10-31/functions/web/url')).status).toBe(404);
    expect((await tenant.send('GET', '/2021-10-31/functions/web/url?Qualifier=live')).status).toBe(200);

    // Deleting the alias deletes its URL and policy: an alias of the same name made later does
    // not bring the public URL back.
    expect((await tenant.send('DELETE', '/2015-03-31/functions/web/aliases/live')).status).toBe(204);
    expect((await urlFetch(urlId)).status).toBe(403);
    expect((await tenant.send('POST', '/2015-03-31/functions/web/aliases', { Name: 'live', FunctionVersion: '2' })).status).toBe(201);
    expect((await urlFetch(urlId)).status).toBe(403);
    expect((await tenant.send('GET', '/2021-10-31/functions/web/url?Qualifier=live')).status).toBe(404);
    expect((await tenant.send('GET', '/2015-03-31/functions/web/policy?Qualifier=live')).status).toBe(404);
  });

  it('does not come back with a new function of the same name', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'web', 'exports.handler = async () => ({ statusCode: 200, body: "old" });');
    const { urlId } = await createUrl(tenant, 'web');
    await allowPublic(tenant, 'web');
    expect(await (await urlFetch(urlId)).text()).toBe('old');
    expect((await tenant.send('DELETE', '/2015-03-31/functions/web')).status).toBe(204);
    await deploy(tenant, 'web', 'exports.handler = async () => ({ statusCode: 200, body: "new" });');
    expect((await urlFetch(urlId)).status).toBe(403);
    expect((await tenant.send('GET', '/2015-03-31/functions/web/policy')).status).toBe(404);
  });
});
