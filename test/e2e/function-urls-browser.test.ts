// Function URLs in a real browser: Debian's Chromium driven by playwright-core against
// `wrangler dev`. Pages served from other origins (tiny Node servers on 127.0.0.1) call the URL
// with fetch: the allowed origin gets through CORS (with a preflight), another origin is blocked
// by the browser; and the URL opened directly shows the function's HTML.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { AddPermissionCommand, CreateFunctionCommand, CreateFunctionUrlConfigCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CHROMIUM } from '../../scripts/test-prerequisites.mjs';
import { useDevServer } from './support/harness';
import { ROLE, zipOf } from './support/bundles';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const APP = `exports.handler = async (event) => {
  if (event.requestContext.http.method === 'POST') {
    return { statusCode: 200, headers: { 'content-type': 'application/json', 'x-served-by': 'faasbox' }, body: JSON.stringify({ got: JSON.parse(event.body), from: event.headers.origin }) };
  }
  return { statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><title>faasbox page</title><h1 id="greeting">Hello from a function URL</h1>' };
};`;

const server = useDevServer({ shared: true });
let browser: Browser;
let functionUrl: string;
const pages: Server[] = [];

/** A page server on 127.0.0.1: its origin is `http://127.0.0.1:<port>`. */
async function pageServer(): Promise<string> {
  const page = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>caller</title>'));
  pages.push(page);
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(page.address() as { port: number }).port}`;
}

let allowedOrigin: string;
let otherOrigin: string;

beforeAll(async () => {
  [allowedOrigin, otherOrigin] = await Promise.all([pageServer(), pageServer()]);
  const lambda = server.client(LambdaClient);
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'site', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.js': APP }) } }));
  const created = await lambda.send(new CreateFunctionUrlConfigCommand({
    FunctionName: 'site',
    AuthType: 'NONE',
    Cors: { AllowOrigins: [allowedOrigin], AllowMethods: ['GET', 'POST'], AllowHeaders: ['content-type', 'x-requested-by'], ExposeHeaders: ['x-served-by'], MaxAge: 60 },
  }));
  functionUrl = created.FunctionUrl!;
  await lambda.send(new AddPermissionCommand({ FunctionName: 'site', StatementId: 'public', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  for (const page of pages) page.close();
});

/** From a page at `origin`, POSTs JSON with a custom header (so the browser sends a preflight). */
async function fetchFrom(origin: string) {
  const page = await browser.newPage();
  try {
    await page.goto(origin);
    return await page.evaluate(async (url) => {
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-by': 'browser' }, body: JSON.stringify({ n: 1 }) });
        return { ok: true, status: response.status, servedBy: response.headers.get('x-served-by'), body: await response.json() };
      } catch (error) {
        return { ok: false, error: String(error) };
      }
    }, functionUrl);
  } finally {
    await page.close();
  }
}

describe('a function URL in Chromium', () => {
  it('lets the allowed origin call it across origins, with the exposed header readable', async () => {
    const result = await fetchFrom(allowedOrigin);
    expect(result).toEqual({ ok: true, status: 200, servedBy: 'faasbox', body: { got: { n: 1 }, from: allowedOrigin } });
  });

  it('is blocked by the browser for an origin the Cors config does not allow', async () => {
    const result = await fetchFrom(otherOrigin);
    expect(result).toEqual({ ok: false, error: expect.stringContaining('Failed to fetch') });
  });

  it('shows the function\'s HTML when the URL is opened directly', async () => {
    const page = await browser.newPage();
    try {
      const response = await page.goto(functionUrl);
      expect(response?.status()).toBe(200);
      expect(await page.title()).toBe('faasbox page');
      expect(await page.textContent('#greeting')).toBe('Hello from a function URL');
    } finally {
      await page.close();
    }
  });
});
