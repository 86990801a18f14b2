// Shares in Chromium against `wrangler dev` (docs/PLAYGROUND.md, "Share and fork"): the share page /s/<token>
// opened in a fresh browser context is read-only and shows no variable's value; the Share dialog
// of a function's page creates a link; Fork makes a new sandbox with the shared function and its
// test events, landing on its Test tab. axe, console cleanliness and screenshots of each screen.
import { beforeAll, describe, expect, it } from 'vitest';
import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { AwsClient } from 'aws4fetch';
import type { Page } from 'playwright-core';
import { useDevServer } from './support/harness';
import { useConsoleBrowser } from './support/console-browser';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer({ vars: { FAASBOX_PLAYGROUND_POW_COST: '1000', FAASBOX_PLAYGROUND_BURST_PER_ADDRESS: '20' } });
const browser = useConsoleBrowser(server);

const SECRET_VALUE = 'sk-live-never-in-a-share';
const SOURCE = "exports.handler = async (event) => { console.log('hello from the share'); return { hello: event.name ?? 'world' }; };";

let token: string;
let requestId: string;

async function api(path: string, method = 'GET', body?: unknown): Promise<Response> {
  return server.signedFetch(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

beforeAll(async () => {
  const created = await api('/2015-03-31/functions', 'POST', {
    FunctionName: 'shared-fn', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Description: 'A function to share',
    Environment: { Variables: { API_TOKEN: SECRET_VALUE } }, Code: { ZipFile: Buffer.from(zipOf({ 'index.js': SOURCE })).toString('base64') },
  });
  expect(created.status, await created.clone().text()).toBe(201);
  expect((await api('/api/functions/shared-fn/test-events/ada', 'PUT', { Event: '{"name":"Ada"}' })).status).toBe(200);
  const invoked = await api('/2015-03-31/functions/shared-fn/invocations', 'POST', { name: 'Grace' });
  expect(invoked.status).toBe(200);
  requestId = invoked.headers.get('x-amzn-requestid')!;
  // Usage is written just after the response: ask until it is there (expect.poll works only inside a test).
  for (let ask = 0; ask < 100; ask++) {
    if (((await (await api(`/api/billing/invocations?RequestId=${requestId}`)).json()) as { Invocations: unknown[] }).Invocations.length > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const shared = await api('/api/functions/shared-fn/shares', 'POST', { TestEvents: ['ada'], Invocations: [requestId] });
  expect(shared.status).toBe(201);
  token = ((await shared.json()) as { Token: string }).Token;
});

async function openShare(page: Page, shareToken: string): Promise<void> {
  await page.goto(`/s/${shareToken}`);
  await expect.poll(() => page.getByRole('heading', { name: /shared-fn/ }).first().isVisible()).toBe(true);
}

describe('the share page', () => {
  it('shows the snapshot read-only to a visitor who is not signed in, with no variable value anywhere', async () => {
    const page = await browser.page();
    await openShare(page, token);
    const text = (await page.locator('body').innerText());
    expect(text).toContain('API_TOKEN');
    expect(await page.content()).not.toContain(SECRET_VALUE);
    expect(text).toContain("console.log('hello from the share')");
    expect(text).toContain('{"name":"Ada"}');
    expect(text).toContain(`REPORT RequestId: ${requestId}`);
    expect(text).toContain('hello from the share');
    await expect.poll(() => page.getByRole('table', { name: 'Cost of this invocation' }).count()).toBe(1);
    // Nothing to edit: no field, no editor; the one action is Fork.
    expect(await page.locator('input, textarea, select, [contenteditable="true"], [contenteditable=""]').count()).toBe(0);
    expect(await page.getByRole('button').allInnerTexts()).toEqual(['Fork']);
    // No sign-in was needed, and none happened.
    expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual([]);
    await browser.screenshot(page, 'share-page');
    browser.expectClean(page);
    await browser.expectAccessible(page, 'share page');
  });

  it('says so plainly for a link that names no share', async () => {
    const page = await browser.page();
    await page.goto('/s/AAAAAAAAAAAAAAAAAAAAAA');
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/Share not found/);
    browser.expectClean(page, (status, path) => status === 404 && path.startsWith('/api/playground/shares/'));
    await browser.expectAccessible(page, 'unknown share');
  });
});

describe('the Share dialog', () => {
  it('creates a share of the chosen test event and invocation and gives its link', async () => {
    const page = await browser.page();
    await browser.open(page, '/console/functions/shared-fn/code');
    await page.getByRole('button', { name: 'Share' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share shared-fn' });
    await dialog.getByLabel('ada').check();
    await dialog.getByLabel(new RegExp(requestId)).check();
    await browser.expectAccessible(page, 'share dialog');
    await browser.screenshot(page, 'share-dialog');
    await dialog.getByRole('button', { name: 'Create share' }).click();
    const link = dialog.getByLabel('Share link');
    await expect.poll(() => link.inputValue()).toMatch(new RegExp(`^${server.endpoint}/s/[A-Za-z0-9_-]{22}$`));
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => dialog.getByRole('button', { name: 'Copied' }).isVisible()).toBe(true);
    await browser.screenshot(page, 'share-dialog-created');
    browser.expectClean(page);

    const visitor = await browser.page();
    await openShare(visitor, new URL(await link.inputValue()).pathname.slice(3));
    expect(await visitor.locator('body').innerText()).toContain(`REPORT RequestId: ${requestId}`);
  });
});

describe('Fork', () => {
  it('makes a new sandbox with the shared function and its test events, on its Test tab', async () => {
    const page = await browser.page();
    await openShare(page, token);
    await page.getByRole('button', { name: 'Fork' }).click();
    await page.waitForURL('**/console/functions/shared-fn/test', { timeout: 30_000 }).catch(async (error) => {
      throw new Error(`${error}\nThe page says:\n${await page.locator('body').innerText()}`);
    });
    await expect.poll(() => page.getByRole('heading', { name: 'Test event' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await browser.screenshot(page, 'share-forked');

    // The sandbox's keys, as its strip shows them for the AWS CLI.
    const strip = page.getByRole('region', { name: 'Playground sandbox' });
    await strip.getByText('Show keys').click();
    const [, accessKeyId, secretAccessKey] = /AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+)/.exec((await strip.locator('.cli-command').textContent())!)!;
    const sandbox = server.client(LambdaClient, { credentials: { accessKeyId, secretAccessKey } });
    const config = await sandbox.send(new GetFunctionConfigurationCommand({ FunctionName: 'shared-fn' }));
    expect(config.FunctionArn).not.toContain(server.accountId);
    expect(config).toMatchObject({ Runtime: 'nodejs22.x', Handler: 'index.handler', Description: 'A function to share', Environment: { Variables: { API_TOKEN: '' } } });
    const answer = await sandbox.send(new InvokeCommand({ FunctionName: 'shared-fn', Payload: new TextEncoder().encode('{"name":"Ada"}') }));
    expect(JSON.parse(new TextDecoder().decode(answer.Payload))).toEqual({ hello: 'Ada' });
    const signer = new AwsClient({ accessKeyId, secretAccessKey, service: 'lambda', region: server.region, retries: 0 });
    const events = (await (await signer.fetch(`${server.endpoint}/api/functions/shared-fn/test-events`)).json()) as { TestEvents: { Name: string; Event: string }[] };
    expect(events.TestEvents.map((e) => [e.Name, e.Event])).toEqual([['ada', '{"name":"Ada"}']]);
    browser.expectClean(page);
  });
});
