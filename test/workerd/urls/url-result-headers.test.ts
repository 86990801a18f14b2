// Function URL results whose headers cannot go on the wire: invalid names, CR/LF/NUL in values,
// and header sets past the bound answer Lambda's 502 without detail, never a 500.
import { describe, expect, it } from 'vitest';
import { createTenant, deploy } from '../support/signed-client';
import { allowPublic, createUrl, urlFetch } from '../support/url-client';

/** A public URL whose function answers `?case=<name>` with `results[name]` (source text of an expression). */
async function publicUrl(results: Record<string, string>) {
  const tenant = await createTenant();
  const table = Object.entries(results).map(([name, expression]) => `${JSON.stringify(name)}: () => (${expression})`).join(',\n');
  await deploy(tenant, 'web', `const results = {${table}};\nexports.handler = async (event) => results[event.queryStringParameters.case]();`);
  const { urlId } = await createUrl(tenant, 'web');
  await allowPublic(tenant, 'web');
  return (name: string) => urlFetch(urlId, `/?case=${name}`);
}

const withHeaders = (headers: string) => `{ statusCode: 200, body: 'ok', headers: ${headers} }`;
const manyHeaders = (count: number, valueBytes: number) =>
  withHeaders(`Object.fromEntries(Array.from({ length: ${count} }, (_, i) => ['x-h' + i, 'v'.repeat(${valueBytes})]))`);
const manyCookies = (count: number, valueBytes: number) =>
  `{ statusCode: 200, body: 'ok', cookies: Array.from({ length: ${count} }, (_, i) => 'c' + i + '=' + 'v'.repeat(${valueBytes})) }`;

async function expectBadGateway(response: Response) {
  expect(response.status).toBe(502);
  expect(await response.json()).toEqual({ Message: 'Internal Server Error' });
}

describe('function URL result headers', () => {
  it('answers 502 without detail for header names that are not HTTP tokens', async () => {
    const call = await publicUrl({
      space: withHeaders(`{ 'bad name': 'x' }`),
      colon: withHeaders(`{ 'x:y': 'x' }`),
      empty: withHeaders(`{ '': 'x' }`),
      unicode: withHeaders(`{ 'x-naïve': 'x' }`),
      newline: withHeaders(`{ 'x-a\\r\\nx-b': 'x' }`),
    });
    for (const name of ['space', 'colon', 'empty', 'unicode', 'newline']) await expectBadGateway(await call(name));
  });

  it('answers 502 for CR, LF or NUL in a header or cookie value', async () => {
    const call = await publicUrl({
      cr: withHeaders(`{ 'x-a': 'a\\rb' }`),
      lf: withHeaders(`{ 'x-a': 'a\\nSet-Cookie: planted=1' }`),
      nul: withHeaders(`{ 'x-a': 'a\\u0000b' }`),
      trailing: withHeaders(`{ 'x-a': 'ab\\r\\n' }`),
      cookie: `{ statusCode: 200, cookies: ['a=1\\r\\nx-planted: yes'] }`,
    });
    for (const name of ['cr', 'lf', 'nul', 'trailing', 'cookie']) await expectBadGateway(await call(name));
  });

  it('answers 502 for 2,000 large headers and for 5,000 cookies, past the 120 KiB bound', async () => {
    const call = await publicUrl({ headers: manyHeaders(2000, 100), cookies: manyCookies(5000, 100) });
    await expectBadGateway(await call('headers'));
    await expectBadGateway(await call('cookies'));
  });

  it('sends a header set just under the bound whole', async () => {
    // 1,000 lines of 'x-hNNN: ' + 110 bytes + CRLF stay under 120 KiB (122,880 bytes).
    const call = await publicUrl({ under: manyHeaders(1000, 110), over: manyHeaders(1100, 110) });
    const under = await call('under');
    expect(under.status).toBe(200);
    expect(under.headers.get('x-h999')).toBe('v'.repeat(110));
    await expectBadGateway(await call('over'));
  });
});
