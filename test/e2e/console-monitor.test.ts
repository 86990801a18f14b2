// The console's Monitor tab, function overview (designer) and Billing page in Chromium against
// `wrangler dev`: graphs drawn from real invocations (some failing), ranges, the empty state; a
// schedule rule and a dead-letter queue added through the APIs appear in the designer with the
// last hour's counts on its edges, and an S3 bucket's notification and an SNS subscription as
// triggers; the month's statement with the free tier. axe and a clean
// console on each, screenshots in light and dark.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { AddPermissionCommand, CreateFunctionCommand, InvokeCommand, LambdaClient, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { useDevServer } from './support/harness';
import { useConsoleBrowser } from './support/console-browser';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer({ shared: true });
const browser = useConsoleBrowser(server, { shared: true });
const HANDLER = 'exports.handler = async (event) => { if (event && event.fail) throw new Error("asked to fail"); return { ok: true }; };';
const POLL = { timeout: 20_000, interval: 250 };
let lambda: LambdaClient;

async function createFunction(name: string): Promise<string> {
  const created = await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.js': HANDLER }) } }));
  return created.FunctionArn!;
}

async function invoke(name: string, ok: number, failing: number): Promise<void> {
  for (let i = 0; i < ok + failing; i++) {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: new TextEncoder().encode(JSON.stringify({ fail: i >= ok })) }));
    expect(answer.FunctionError === 'Unhandled').toBe(i >= ok);
  }
}

/** The function's Invocations and Errors of the last hour as the API reports them (written after each response, through waitUntil). */
async function lastHour(name: string): Promise<{ invocations: number; errors: number; billed: number }> {
  const end = Math.ceil(Date.now() / 1000);
  const sum = async (metric: string) => {
    const response = await server.signedFetch(`/api/metrics/statistics?EndTime=${end}&FunctionName=${name}&MetricName=${metric}&Period=3600&StartTime=${end - 3600}&Statistics=Sum`);
    const body = (await response.json()) as { Datapoints: { Sum: number }[] };
    return body.Datapoints.reduce((a, d) => a + d.Sum, 0);
  };
  const month = new Date().toISOString().slice(0, 7);
  const statement = (await (await server.signedFetch(`/api/billing/statement?Month=${month}&FunctionName=${name}`)).json()) as { Functions: { Requests: number }[] };
  return { invocations: await sum('Invocations'), errors: await sum('Errors'), billed: statement.Functions[0]?.Requests ?? 0 };
}

/** A figure of one graph, as the tab writes it beside the drawing. */
const figure = (page: Page, graph: string, term: string) =>
  page.locator(`[data-graph="${graph}"] .figures div`).filter({ has: page.locator('dt', { hasText: new RegExp(`^${term}$`) }) }).locator('dd').textContent();

/** Pixels of a graph's canvas drawn in about `rgb` (bars and lines are drawn in their series' colour). */
const pixelsOf = (page: Page, graph: string, rgb: [number, number, number]) => page.locator(`[data-graph="${graph}"] canvas`).evaluate((canvas: HTMLCanvasElement, [r, g, b]) => {
  const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  let count = 0;
  for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - r) < 24 && Math.abs(data[i + 1] - g) < 24 && Math.abs(data[i + 2] - b) < 24 && data[i + 3] > 200) count++;
  return count;
}, rgb);

beforeAll(async () => {
  lambda = server.client(LambdaClient);
  await createFunction('monitored');
  await createFunction('idle');
  await createFunction('wired');
  await invoke('monitored', 5, 2);
  await invoke('wired', 2, 1);
  await recorded('monitored', { invocations: 7, errors: 2, billed: 7 });
  await recorded('wired', { invocations: 3, errors: 1, billed: 3 });
});

/** Waits until the API reports `expected` (expect.poll is for tests, not hooks). */
async function recorded(name: string, expected: Awaited<ReturnType<typeof lastHour>>): Promise<void> {
  let seen: Awaited<ReturnType<typeof lastHour>> | undefined;
  for (let i = 0; i < 80; i++) {
    seen = await lastHour(name);
    if (JSON.stringify(seen) === JSON.stringify(expected)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(seen).toEqual(expected);
}

describe('the Monitor tab', () => {
  it('draws the graphs of a function that ran, with their figures, over each range', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browser.page({ colorScheme });
      await browser.open(page, '/console/functions/monitored/monitor');
      await expect.poll(() => figure(page, 'invocations', 'Total'), POLL).toBe('7');
      expect(await figure(page, 'errors', 'Errors')).toBe('2');
      expect(await figure(page, 'errors', 'Success rate')).toBe('71.4 %');
      expect(await figure(page, 'duration', 'p99')).toMatch(/ms$/);
      expect(await figure(page, 'throttles', 'Total')).toBe('0');
      expect(await figure(page, 'concurrency', 'Maximum')).toBe('1');
      expect(await figure(page, 'async', 'DeadLetterErrors')).toBe('0');
      expect(await figure(page, 'cost', 'At list price')).toMatch(/^\$0\.0+[1-9]/);
      await expect.poll(() => page.locator('.monitor canvas').count(), POLL).toBe(7);
      // The bars are on the canvas, in the Invocations series' colour (#3b82f6), errors in red (#e03131).
      await expect.poll(() => pixelsOf(page, 'invocations', [0x3b, 0x82, 0xf6]), POLL).toBeGreaterThan(20);
      await expect.poll(() => pixelsOf(page, 'errors', [0xe0, 0x31, 0x31]), POLL).toBeGreaterThan(10);
      await expect.poll(() => page.locator('[data-graph="duration"] .u-legend .u-series').count()).toBe(5);
      // Every invocation links to its page (logs, REPORT, trace).
      expect(await page.locator('.recent tbody a[href^="/console/invocations/"]').count()).toBe(7);
      // The tab's graphs rather than the overview above them.
      await page.locator('.tabs').evaluate((tabs) => tabs.scrollIntoView());
      await browser.screenshot(page, `monitor-${colorScheme}`);
      if (colorScheme === 'light') {
        await browser.expectAccessible(page, 'monitor tab');
        await page.getByRole('button', { name: '1 d' }).click();
        await expect.poll(() => page.getByRole('button', { name: '1 d' }).getAttribute('aria-pressed')).toBe('true');
        expect(await page.getByRole('button', { name: '1 h' }).getAttribute('aria-pressed')).toBe('false');
        await expect.poll(() => page.getByRole('status').filter({ hasText: /^Updated/ }).isVisible(), POLL).toBe(true);
        expect(await figure(page, 'invocations', 'Total')).toBe('7');
        await page.getByRole('button', { name: '1 w' }).click();
        await expect.poll(() => page.getByRole('button', { name: '1 w' }).getAttribute('aria-pressed')).toBe('true');
        await expect.poll(() => figure(page, 'invocations', 'Total'), POLL).toBe('7');
        expect(await page.locator('.monitor canvas').count()).toBe(7);
        await page.getByLabel('Auto-refresh every 30 s').uncheck();
        expect(await page.getByLabel('Auto-refresh every 30 s').isChecked()).toBe(false);
      }
      browser.expectClean(page);
    }
  });

  it('says why a function that never ran has no graphs', async () => {
    const page = await browser.page();
    await browser.open(page, '/console/functions/idle/monitor');
    await expect.poll(() => page.getByText('No invocations in the last hour.').isVisible(), POLL).toBe(true);
    expect(await page.locator('.monitor canvas').count()).toBe(0);
    await page.getByRole('button', { name: '12 h' }).click();
    await expect.poll(() => page.getByText('No invocations in the last 12 hours.').isVisible(), POLL).toBe(true);
    await browser.screenshot(page, 'monitor-empty');
    await browser.expectAccessible(page, 'empty monitor tab');
    browser.expectClean(page);
  });

  it('shows the S3 bucket whose notifications invoke the function and the SNS topic it is subscribed to', async () => {
    const functionArn = await createFunction('notified');
    const bucket = `designer-${server.accountId}`;
    const s3 = server.client(S3Client, { forcePathStyle: true } as object);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await lambda.send(new AddPermissionCommand({ FunctionName: 'notified', StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceArn: `arn:aws:s3:::${bucket}` }));
    await s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: { LambdaFunctionConfigurations: [{ LambdaFunctionArn: functionArn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.jpg' }] } } }] },
    }));
    const sns = server.client(SNSClient);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'designer-orders' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: functionArn }));

    const page = await browser.page();
    await browser.open(page, '/console/functions/notified');
    const s3Node = page.locator('a.designer-node.kind-s3');
    await expect.poll(() => s3Node.textContent(), POLL).toContain(bucket);
    expect(await s3Node.textContent()).toContain('ObjectCreated:* · suffix .jpg');
    expect(await s3Node.getAttribute('href')).toBe('/console/functions/notified/configuration#permissions');
    expect(await page.locator('a.designer-node.kind-sns').textContent()).toContain('designer-orders');
    await page.getByText('Connections as a list').click();
    expect(await page.locator('.designer-edges').textContent()).toContain(`S3 bucket ${bucket} invokes notified`);
    browser.expectClean(page);
  });
});

describe('the function overview', () => {
  it('shows a schedule trigger and a dead-letter queue once they are added, with the last hour on the edges', async () => {
    const page = await browser.page();
    await browser.open(page, '/console/functions/wired');
    await expect.poll(() => page.locator('.designer-node').count(), POLL).toBe(1);
    await page.getByText('Connections as a list').click();
    await expect.poll(() => page.getByText('wired has no triggers or destinations yet').isVisible(), POLL).toBe(true);

    const functionArn = `arn:aws:lambda:${server.region}:${server.accountId}:function:wired`;
    const { RuleArn } = JSON.parse(server.aws('--output', 'json', 'events', 'put-rule', '--name', 'wired-every-5', '--schedule-expression', 'rate(5 minutes)')) as { RuleArn: string };
    server.aws('--output', 'json', 'events', 'put-targets', '--rule', 'wired-every-5', '--targets', `Id=1,Arn=${functionArn}`);
    await lambda.send(new AddPermissionCommand({ FunctionName: 'wired', StatementId: 'events-wired-every-5', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: RuleArn }));
    const sqs = server.client(SQSClient);
    await sqs.send(new CreateQueueCommand({ QueueName: 'wired-dlq' }));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'wired', DeadLetterConfig: { TargetArn: `arn:aws:sqs:${server.region}:${server.accountId}:wired-dlq` } }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'wired' });

    for (const colorScheme of ['light', 'dark'] as const) {
      const view = colorScheme === 'light' ? page : await browser.page({ colorScheme });
      if (colorScheme === 'light') await page.reload(); else await browser.open(view, '/console/functions/wired');
      const schedule = view.locator('a.designer-node.kind-schedule');
      await expect.poll(() => schedule.textContent(), POLL).toContain('wired-every-5');
      expect(await schedule.textContent()).toContain('rate(5 minutes)');
      expect(await schedule.getAttribute('href')).toBe('/console/functions/wired/configuration#triggers');
      const dlq = view.locator('a.designer-node.kind-dlq');
      expect(await dlq.textContent()).toContain('wired-dlq');
      expect(await dlq.getAttribute('href')).toBe('/console/functions/wired/configuration#asynchronous-invocation');
      // The trigger's edge carries the function's last hour: 3 invocations, 1 of them failed.
      await expect.poll(() => view.locator('.designer-edge text').first().textContent(), POLL).toBe('3 invocations · 1 error');
      expect(await view.locator('.designer-edge text').nth(1).textContent()).toBe('0 async · 0 failed');
      await view.getByText('Connections as a list').click();
      expect(await view.locator('.designer-edges li').first().textContent()).toContain('EventBridge schedule wired-every-5 invokes wired: the function had 3 invocations · 1 error in the last hour');
      expect(await view.locator('.designer-edges li').nth(1).textContent()).toContain('dead-letter queue wired-dlq');
      await browser.screenshot(view, `designer-${colorScheme}`);
      if (colorScheme === 'dark') browser.expectClean(view);
    }
    await browser.expectAccessible(page, 'designer');

    // Keyboard: the diagram's nodes are links in the tab order; Enter opens the configuration section.
    await page.locator('a.designer-node.kind-schedule').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url(), POLL).toBe(`${server.endpoint}/console/functions/wired/configuration#triggers`);
    await expect.poll(() => page.getByRole('tab', { name: 'Configuration', selected: true }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: '+ Add destination' }).getAttribute('href')).toBe('/console/functions/wired/configuration#destinations');
    browser.expectClean(page);
  });
});

describe('the Billing page', () => {
  it('shows the month’s statement per function and the free tier used', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browser.page({ colorScheme });
      await browser.open(page, '/console/billing');
      const row = page.locator('.billing-table tbody tr').filter({ has: page.getByRole('link', { name: 'monitored', exact: true }) });
      await expect.poll(() => row.locator('td').nth(1).textContent(), POLL).toBe('7');
      expect(await row.getByRole('link').getAttribute('href')).toBe('/console/functions/monitored/monitor');
      expect(await page.locator('.billing-table tbody tr').count()).toBe(2);
      expect(await page.locator('.billing-table tfoot td').first().textContent()).toBe('10');
      expect(await page.getByRole('meter', { name: 'Requests of the free tier used' }).getAttribute('aria-valuetext')).toBe('10 of 1,000,000');
      expect(await page.locator('.free-tier').textContent()).toContain('GB-seconds');
      await browser.screenshot(page, `billing-${colorScheme}`);
      if (colorScheme === 'light') {
        await browser.expectAccessible(page, 'billing');
        await page.getByRole('button', { name: 'Previous month' }).click();
        await expect.poll(() => page.getByText(/^No function ran in /).isVisible(), POLL).toBe(true);
        expect(page.url()).toMatch(/\/console\/billing\?month=\d{4}-\d{2}$/);
        await page.getByRole('link', { name: 'This month' }).click();
        await expect.poll(() => row.locator('td').nth(1).textContent(), POLL).toBe('7');
      }
      browser.expectClean(page);
    }
  });
});
