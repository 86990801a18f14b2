// The console's shell and first screens in Chromium against `wrangler dev`: the landing page,
// sign-in (wrong keys refused with the API's message, right keys kept in the tab only), the
// functions list with search and pages past 50, sign out, the strict CSP on every HTML response,
// and axe on each screen.
import { beforeAll, describe, expect, it } from 'vitest';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { useDevServer } from './support/harness';
import { useConsoleBrowser } from './support/console-browser';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer({ shared: true });
const browser = useConsoleBrowser(server, { shared: true });
const HANDLER = 'exports.handler = async () => ({ ok: true });';

beforeAll(async () => {
  const lambda = server.client(LambdaClient);
  const code = zipOf({ 'index.js': HANDLER });
  // 53 functions: the list shows 50 a page. Created side by side, a few at a time (the SDK client opens a connection per request).
  const indexes = Array.from({ length: 53 }, (_, i) => i);
  for (let first = 0; first < indexes.length; first += 8) {
    await Promise.all(indexes.slice(first, first + 8).map((i) => lambda.send(new CreateFunctionCommand({
      FunctionName: `fn-${String(i).padStart(2, '0')}`, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: code }, MemorySize: 128 + i,
    }))));
  }
});

describe('the console shell', () => {
  it('serves HTML with a strict, per-response CSP and the assets without one', async () => {
    const [first, second] = await Promise.all([fetch(`${server.endpoint}/console`), fetch(`${server.endpoint}/console/functions/x`)]);
    const csp = first.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(nonce).not.toEqual(/'nonce-([^']+)'/.exec(second.headers.get('content-security-policy')!)![1]);
    const html = await first.text();
    expect(html).toContain(`<meta name="faasbox-nonce" content="${nonce}">`);
    expect(first.headers.get('x-frame-options')).toBe('DENY');
    const script = /src="(\/console-assets\/[^"]+\.js)"/.exec(html)![1];
    const asset = await fetch(`${server.endpoint}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${server.endpoint}/favicon.ico`)).status).toBe(200);
    // The API is not shadowed: an unsigned API call is still refused in Lambda's shape.
    expect((await fetch(`${server.endpoint}/2015-03-31/functions`)).status).toBe(403);
  });

  it('shows the landing page with the way in', async () => {
    const page = await browser.page();
    await page.goto('/');
    await expect.poll(() => page.getByRole('heading', { name: 'faasbox', level: 1 }).isVisible()).toBe(true);
    await browser.screenshot(page, 'landing');
    await browser.expectAccessible(page, 'landing');
    browser.expectClean(page);
  });

  it('refuses wrong keys with the API’s message, then signs in and out', async () => {
    const page = await browser.page();
    await page.goto('/console');
    await page.getByLabel('Access key ID').fill(server.accessKeyId);
    await page.getByLabel('Secret access key').fill('not-the-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/InvalidSignatureException|signature/i);
    await browser.screenshot(page, 'sign-in-refused');
    await browser.expectAccessible(page, 'sign-in');
    await page.getByLabel('Secret access key').fill(server.secretAccessKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('heading', { name: /^Functions/ }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText(`Account ${server.accountId}`).isVisible()).toBe(true);
    // Kept in this tab's session storage only: no cookie, nothing in localStorage.
    expect(await page.context().cookies()).toEqual([]);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in to the faasbox console' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // The refused sign-in logged its 403 as a console error; nothing else may have.
  });

  it('lists functions 50 a page, filters them by name and opens one', async () => {
    const page = await browser.page();
    await browser.open(page, '/console/functions');
    await expect.poll(() => page.getByRole('link', { name: 'fn-00' }).isVisible()).toBe(true);
    expect(await page.locator('tbody tr').count()).toBe(50);
    await expect.poll(() => page.getByText('Page 1 of 2').isVisible()).toBe(true);
    await browser.screenshot(page, 'functions-list');
    await browser.expectAccessible(page, 'functions list');
    await page.getByRole('button', { name: 'Next page' }).click();
    expect(await page.locator('tbody tr').count()).toBe(3);
    await page.getByPlaceholder('Filter by function name').fill('fn-4');
    expect(await page.locator('tbody tr').count()).toBe(10);
    await page.getByRole('link', { name: 'fn-42' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'fn-42', level: 1 }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('170 MB', { exact: false }).first().isVisible()).toBe(true);
    browser.expectClean(page);
  });
});
