// The playground in Chromium against `wrangler dev`: one click on Try it now to a green test on
// hello-world, a reload that keeps the sandbox with its keys in memory only, the sandbox strip
// (time left, usage), two sandboxes that see only their own functions, the end warning with
// Export, End sandbox now, a sandbox ended elsewhere, refused creations (a limit's 429, the kill
// switch's 503) worded as the API words them; axe, console cleanliness and screenshots of each screen.
import { describe, expect, it } from 'vitest';
import { CreateFunctionCommand, GetFunctionConfigurationCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import type { Page } from 'playwright-core';
import { useDevServer } from './support/harness';
import { useConsoleBrowser } from './support/console-browser';
import { zipOf } from './support/bundles';

// A tiny proof of work; a lifetime below the 10-minute warning, so the end warning shows at once;
// two live sandboxes per address, so a third live one is refused (the burst and daily limits stay
// out of the way).
const server = useDevServer({
  vars: {
    // As a deployment: a sandbox's functions need a role that exists (the ready role it is made with).
    FAASBOX_UNKNOWN_ROLES: 'refuse',
    FAASBOX_PLAYGROUND_POW_COST: '1000',
    FAASBOX_PLAYGROUND_MAX_SECONDS: '540',
    FAASBOX_PLAYGROUND_IDLE_SECONDS: '3600',
    FAASBOX_PLAYGROUND_LIVE_PER_ADDRESS: '2',
    FAASBOX_PLAYGROUND_BURST_PER_ADDRESS: '20',
    FAASBOX_PLAYGROUND_DAILY_PER_ADDRESS: '20',
  },
});
const browser = useConsoleBrowser(server);

interface SandboxKeys { accessKeyId: string; secretAccessKey: string }

/** Fresh context, landing page, one click; resolves once hello-world's Test tab is ready. */
async function tryItNow(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try it now' }).click();
  await page.waitForURL('**/console/functions/hello-world/test', { timeout: 30_000 });
  await expect.poll(() => page.getByRole('heading', { name: 'Test event' }).isVisible(), { timeout: 10_000 }).toBe(true);
}

/** Clicks Try it now on the landing page when it will be refused: the refusal's text (code, message). */
async function refusedTryItNow(page: Page): Promise<string> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try it now' }).click();
  const alert = page.getByRole('alert');
  await expect.poll(() => alert.isVisible(), { timeout: 30_000 }).toBe(true);
  return (await alert.textContent())!;
}

/** The keys the strip's "Show keys" disclosure shows (the export line for the AWS CLI). */
async function shownKeys(page: Page): Promise<SandboxKeys> {
  const strip = page.getByRole('region', { name: 'Playground sandbox' });
  await strip.getByText('Show keys').click();
  const line = (await strip.locator('.cli-command').textContent())!;
  await strip.getByText('Show keys').click();
  const [, accessKeyId, secretAccessKey] = /AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+)/.exec(line)!;
  return { accessKeyId, secretAccessKey };
}

const lambdaWith = (keys: SandboxKeys) => server.client(LambdaClient, { credentials: keys });
const strip = (page: Page) => page.getByRole('region', { name: 'Playground sandbox' });
/**
 * Calls still on their way when a sandbox ends are refused as its keys are gone: 403 from Lambda's
 * APIs, 400 from the JSON protocols at / (Logs).
 */
const endedKeysRefused = (status: number, path: string) => status === 403 || (status === 400 && path === '/');
const consoleNav = (page: Page) => page.getByRole('navigation', { name: 'Console' });
const resultPanel = (page: Page) => page.locator('section.test-result');

let first: Page;
let firstKeys: SandboxKeys;

describe('Try it now', () => {
  it('goes from the landing page to a green test of hello-world in one click', async () => {
    first = await browser.page();
    await first.goto('/');
    await expect.poll(() => first.getByRole('button', { name: 'Try it now' }).isVisible()).toBe(true);
    await browser.expectAccessible(first, 'landing');
    await browser.screenshot(first, 'playground-landing');

    await tryItNow(first);
    // The blueprint's event is ready in the editor, and saved beside the function.
    expect(JSON.parse(await first.getByLabel('Event JSON').inputValue())).toEqual({ key1: 'value1', key2: 'value2', key3: 'value3' });
    await expect.poll(() => first.getByRole('combobox', { name: 'Saved event' }).locator('option', { hasText: 'blueprint-default' }).count()).toBe(1);
    await first.getByRole('button', { name: 'Test', exact: true }).click();
    await expect.poll(() => resultPanel(first).getByText('Succeeded').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await resultPanel(first).locator('.result-body').textContent()).toContain('value1');

    // The strip: the badge, the time left counting down, which end applies, and the usage.
    await expect.poll(() => strip(first).getByText('Playground sandbox').isVisible()).toBe(true);
    await expect.poll(() => strip(first).locator('.sandbox-time').textContent(), { timeout: 10_000 }).toMatch(/^\d+:\d\d left · lifetime limit$/);
    const before = await strip(first).locator('.sandbox-time').textContent();
    await expect.poll(() => strip(first).locator('.sandbox-time').textContent(), { timeout: 5_000 }).not.toBe(before);
    // Usage against each cap: the cost meter in the strip, every cap behind "All limits".
    await expect.poll(() => strip(first).getByRole('meter', { name: /^Cost: \$[\d.]+ of \$0\.01$/ }).isVisible(), { timeout: 10_000 }).toBe(true);
    await strip(first).getByText(/^All limits/).click();
    await expect.poll(() => strip(first).getByRole('meter', { name: /^Invocations: 1 of [\d,]+ invocations$/ }).isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await strip(first).getByRole('meter', { name: /^Functions: 1 of \d+ functions$/ }).count()).toBeGreaterThan(0);
    await browser.screenshot(first, 'playground-all-limits');
    await strip(first).getByText(/^All limits/).click();
    // The Copy as CLI hints name the sandbox's key.
    firstKeys = await shownKeys(first);
    expect(await first.locator('section.test-event .cli-hint .hint').textContent()).toContain(`AWS_ACCESS_KEY_ID=${firstKeys.accessKeyId}`);
    await browser.expectAccessible(first, 'hello-world Test tab in a sandbox');
    await browser.screenshot(first, 'playground-test-tab');
    browser.expectClean(first);
  });

  it('keeps the sandbox across a reload with its keys only in memory', async () => {
    await first.reload();
    await expect.poll(() => first.getByRole('heading', { name: 'Test event' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => strip(first).getByText('Playground sandbox').isVisible()).toBe(true);
    expect(await shownKeys(first)).toEqual(firstKeys);
    const stored = await first.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
    expect(stored).not.toContain(firstKeys.secretAccessKey);
    expect(stored).not.toContain(firstKeys.accessKeyId);
    // The session cookie is HttpOnly: the page cannot read it.
    expect(await first.evaluate(() => document.cookie)).toBe('');
    expect((await first.context().cookies()).map((c) => c.name)).toContain('__Host-faasbox-sandbox');
    browser.expectClean(first);
  });

  it('refuses the S3 thumbnails blueprint in a sandbox, saying why, and sends nothing', async () => {
    await first.goto('/console/create');
    await expect.poll(() => first.getByRole('heading', { name: 'Create function', level: 1 }).isVisible(), { timeout: 15_000 }).toBe(true);
    await first.getByRole('radio', { name: /^Use a blueprint/ }).check();
    await first.getByRole('radio', { name: /^S3 thumbnails/ }).check();
    const refusal = first.getByRole('alert').filter({ hasText: 'A playground sandbox cannot create this blueprint' });
    await expect.poll(() => refusal.isVisible()).toBe(true);
    expect(await refusal.textContent()).toContain('time out after at most 10 seconds (this one needs 60)');
    await first.getByRole('button', { name: 'Create function' }).click();
    await expect.poll(() => first.getByText('This blueprint is not available in a playground sandbox (the reason is shown above the form).').isVisible()).toBe(true);
    // Create moved the focus to the reason.
    expect(await first.evaluate(() => document.activeElement?.id)).toBe('field-blueprint-problem');
    expect((await lambdaWith(firstKeys).send(new ListFunctionsCommand({}))).Functions?.map((f) => f.FunctionName)).toEqual(['hello-world']);
    await browser.screenshot(first, 'playground-blueprint-refused');
    await browser.expectAccessible(first, 'blueprint refused in a sandbox');
    browser.expectClean(first);
  });

  it('gives two browsers two sandboxes that see only their own functions', async () => {
    // The sandbox was made with the ready role, which hello-world (the console's blueprint) runs with.
    const { Role } = await lambdaWith(firstKeys).send(new GetFunctionConfigurationCommand({ FunctionName: 'hello-world' }));
    expect(Role).toMatch(/^arn:aws:iam::\d{12}:role\/lambda-basic-execution$/);
    await lambdaWith(firstKeys).send(new CreateFunctionCommand({ FunctionName: 'only-in-the-first', Runtime: 'nodejs22.x', Role, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => 1;' }) } }));
    const second = await browser.page();
    await tryItNow(second);
    const secondKeys = await shownKeys(second);
    expect(secondKeys.accessKeyId).not.toBe(firstKeys.accessKeyId);

    await consoleNav(second).getByRole('link', { name: 'Functions' }).click();
    await expect.poll(() => second.getByRole('link', { name: 'hello-world', exact: true }).isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await second.getByRole('link', { name: 'only-in-the-first' }).count()).toBe(0);
    await consoleNav(first).getByRole('link', { name: 'Functions' }).click();
    await expect.poll(() => first.getByRole('link', { name: 'only-in-the-first', exact: true }).isVisible(), { timeout: 10_000 }).toBe(true);
    const names = async (keys: SandboxKeys) => ((await lambdaWith(keys).send(new ListFunctionsCommand({}))).Functions ?? []).map((f) => f.FunctionName).sort();
    expect(await names(firstKeys)).toEqual(['hello-world', 'only-in-the-first']);
    expect(await names(secondKeys)).toEqual(['hello-world']);
    await browser.screenshot(second, 'playground-second-sandbox-list');
    browser.expectClean(first);
    browser.expectClean(second);
    await second.context().close();
  });
});

describe('the end of a sandbox', () => {
  it('warns before the end with Export, and End sandbox now ends it', async () => {
    // The lifetime (540 s) is below the warning's 10 minutes: the warning shows at once.
    await first.goto('/console/functions/hello-world/test');
    const warning = first.locator('.sandbox-warning');
    await expect.poll(() => warning.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await warning.textContent()).toMatch(/This sandbox ends in \d+:\d\d \(its lifetime limit\)/);
    await browser.expectAccessible(first, 'end warning');
    await browser.screenshot(first, 'playground-end-warning');

    // Export downloads the function's zip.
    const download = first.waitForEvent('download', { timeout: 15_000 });
    await warning.getByRole('button', { name: 'Export hello-world' }).click();
    expect((await download).suggestedFilename()).toBe('hello-world.zip');
    await expect.poll(() => first.getByText('Downloaded hello-world.zip').isVisible()).toBe(true);

    await strip(first).getByRole('button', { name: 'End sandbox now' }).click();
    await strip(first).getByRole('button', { name: 'Yes, end it' }).click();
    await first.waitForURL((url) => url.pathname === '/');
    await expect.poll(() => first.getByText('You ended your playground sandbox.').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await first.getByRole('button', { name: 'Try it now' }).isVisible()).toBe(true);
    expect(await strip(first).count()).toBe(0);
    await expect(lambdaWith(firstKeys).send(new ListFunctionsCommand({}))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await browser.expectAccessible(first, 'landing after the end');
    await browser.screenshot(first, 'playground-ended-by-you');
    browser.expectClean(first, endedKeysRefused);
  });

  it('says plainly that a sandbox ended elsewhere has ended, and offers Try it now again', async () => {
    const page = await browser.page();
    await tryItNow(page);
    const accountId = (await page.locator('.topbar .account').textContent())!.replace(/^Sandbox /, '');
    const ended = await server.signedFetch(`/api/admin/sandboxes/${accountId}`, { method: 'DELETE' });
    expect(ended.status).toBeLessThan(300);
    // The next call with its keys is refused as unknown: the page says the sandbox has ended. A
    // background call of the Test tab (the log tail, the overview's metrics) may meet the 403 before
    // the click, and the notice has then replaced the navigation already.
    await consoleNav(page).getByRole('link', { name: 'Functions' }).click({ timeout: 5_000 }).catch(() => undefined);
    await expect.poll(() => page.getByText('Your playground sandbox has ended.').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByRole('button', { name: 'Try it now again' }).isVisible()).toBe(true);
    expect(await strip(page).count()).toBe(0);
    await browser.expectAccessible(page, 'sandbox ended elsewhere');
    await browser.screenshot(page, 'playground-ended-elsewhere');
    browser.expectClean(page, endedKeysRefused);
    await page.context().close();
  });
});

describe('refusals', () => {
  it('shows a refused creation as the API worded it, with when to retry', async () => {
    // Live now: the second sandbox (its context closed, the sandbox lives on); one more is allowed, the next refused.
    const third = await browser.page();
    await tryItNow(third);
    const page = await browser.page();
    expect(await refusedTryItNow(page)).toMatch(/^TooManyRequestsException/);
    expect(await page.locator('.try-it-now-error').textContent()).toMatch(/Try again (in \d+ (seconds?|minutes|hours)|later)/);
    expect(page.url()).toMatch(/\/$/);
    await browser.expectAccessible(page, 'refused creation');
    await browser.screenshot(page, 'playground-refused');
    browser.expectClean(page, (status, path) => status === 429 && path === '/api/playground/sandboxes');
  });
});

describe('a deployment with the playground switched off', () => {
  // A wrangler dev of its own for this block only, with the kill switch set.
  const switchedOff = useDevServer({ vars: { FAASBOX_PLAYGROUND: 'off', FAASBOX_PLAYGROUND_POW_COST: '1000' } });
  const offBrowser = useConsoleBrowser(switchedOff);

  it('says that the playground is off, in the API\'s words, and what to do instead', async () => {
    const page = await offBrowser.page();
    expect(await refusedTryItNow(page)).toMatch(/^ServiceUnavailableException/);
    expect(await page.locator('.try-it-now-error').textContent()).toContain('switched off on this deployment');
    await offBrowser.expectAccessible(page, 'playground switched off');
    await offBrowser.screenshot(page, 'playground-switched-off');
    offBrowser.expectClean(page, (status, path) => status === 503 && path.startsWith('/api/playground/'));
  });
});
