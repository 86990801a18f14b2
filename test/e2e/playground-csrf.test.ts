// A page on a function URL host cannot act on a playground sandbox (docs/PLAYGROUND.md, "Domains"),
// in Chromium against `wrangler dev`. The console is opened at http://localhost:<port>, which is
// the same site as `*.lambda-url.<region>.localhost` locally, so SameSite alone would not keep the
// session cookie from such a page's requests; the custom header with the preflight it forces, the
// Origin check and the sandbox CSP of a sandbox's URL responses do. The attacker's page tries to
// read the sandbox's keys and to end it in every way a page can; the sandbox lives on.
import { describe, expect, it } from 'vitest';
import { AddPermissionCommand, CreateFunctionCommand, CreateFunctionUrlConfigCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { useDevServer } from './support/harness';
import { useConsoleBrowser } from './support/console-browser';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer({ vars: { FAASBOX_PLAYGROUND_POW_COST: '1000' } });
const browser = useConsoleBrowser(server);

/**
 * The attacker's function: a page whose script, with the visitor's cookies, asks the console's
 * origin for the session's keys and to end the sandbox, in every way a page can send them, and
 * writes what it got into the page.
 */
function attackerPage(consoleOrigin: string): string {
  const script = `
    const target = ${JSON.stringify(`${consoleOrigin}/api/playground/session`)};
    const attempt = (init) => fetch(target, { credentials: 'include', ...init })
      .then(async (r) => (r.type === 'opaque' ? 'opaque' : r.status + ' ' + (await r.text())), (e) => 'refused: ' + e.name);
    Promise.all([
      attempt({ method: 'POST', headers: { 'X-Faasbox-Playground': '1' } }),
      attempt({ method: 'DELETE', headers: { 'X-Faasbox-Playground': '1' } }),
      attempt({ method: 'POST', mode: 'no-cors' }),
      attempt({ method: 'POST' }),
    ]).then((results) => { const out = document.createElement('pre'); out.id = 'results'; out.textContent = JSON.stringify(results); document.body.append(out); });`;
  return `<!doctype html><title>attacker</title><script>${script}</script>`;
}

describe('a page on a function URL host', () => {
  it('cannot read a sandbox\'s keys or end it, in any way a page can send a request', async () => {
    const page = await browser.page();
    const port = new URL(server.endpoint).port;
    const consoleOrigin = `http://localhost:${port}`;
    await page.goto(`${consoleOrigin}/`);
    await page.getByRole('button', { name: 'Try it now' }).click();
    await page.waitForURL('**/console/functions/hello-world/test', { timeout: 30_000 });
    const strip = page.getByRole('region', { name: 'Playground sandbox' });
    await strip.getByText('Show keys').click();
    const [, accessKeyId, secretAccessKey] = /AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+)/.exec((await strip.locator('.cli-command').textContent())!)!;
    const cookie = (await page.context().cookies()).find((c) => c.name === '__Host-faasbox-sandbox');
    expect(cookie).toMatchObject({ domain: 'localhost', sameSite: 'Strict', httpOnly: true, secure: true });

    // The sandbox's own function URL serves the attacker's page (any visitor's function could).
    const lambda = server.client(LambdaClient, { credentials: { accessKeyId, secretAccessKey } });
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'attacker', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler',
      Code: { ZipFile: zipOf({ 'index.js': `exports.handler = async () => ({ statusCode: 200, headers: { 'content-type': 'text/html' }, body: ${JSON.stringify(attackerPage(consoleOrigin))} });` }) },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'attacker' });
    const { FunctionUrl } = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'attacker', AuthType: 'NONE' }));
    await lambda.send(new AddPermissionCommand({ FunctionName: 'attacker', StatementId: 'public', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
    expect(new URL(FunctionUrl!).hostname).toMatch(/\.lambda-url\.[a-z0-9-]+\.localhost$/);

    const attacker = await page.context().newPage();
    await attacker.goto(FunctionUrl!);
    const results = JSON.parse((await attacker.locator('#results').textContent({ timeout: 15_000 }))!) as string[];
    // With the custom header the browser must ask first (a preflight), which the console's origin never grants.
    expect(results[0]).toBe('refused: TypeError');
    expect(results[1]).toBe('refused: TypeError');
    // Without it the request goes, with the cookie, but answers nothing the page may read and is refused (below).
    expect(results[2]).toBe('opaque');
    expect(results[3]).toBe('refused: TypeError');
    expect(results.join()).not.toContain(secretAccessKey);

    // The sandbox lives on: the console's own origin still resumes its session, and its keys still sign.
    const resumed = await page.evaluate(async () => {
      const r = await fetch('/api/playground/session', { method: 'POST', headers: { 'X-Faasbox-Playground': '1' } });
      return { status: r.status, body: await r.json() as { AccessKey?: { AccessKeyId: string } } };
    });
    expect(resumed).toMatchObject({ status: 200, body: { AccessKey: { AccessKeyId: accessKeyId } } });
    // The same request without the header, as the no-cors attempt sent it, is refused by the server itself.
    const headerless = await page.evaluate(async () => (await fetch('/api/playground/session', { method: 'POST' })).status);
    expect(headerless).toBe(403);
    browser.expectClean(page, (status, path) => status === 403 && path === '/api/playground/session');
    await page.context().close();
  });
});
