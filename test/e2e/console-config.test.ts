// The console's Configuration and Aliases-and-versions tabs in Chromium against `wrangler dev`:
// each form saves what the SDK then reads back, the API's refusals are shown as worded, Throttle
// makes the next Invoke answer 429, and the diff of two versions shows the changed line and the
// changed memory. axe and the console-error/CSP check on every section; screenshots of each.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  CreateFunctionCommand, GetAliasCommand, GetFunctionConcurrencyCommand, GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand, GetFunctionUrlConfigCommand, GetPolicyCommand, InvokeCommand, LambdaClient,
  ListEventSourceMappingsCommand, ListTagsCommand, ResourceNotFoundException, TooManyRequestsException, UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { useDevServer } from './support/harness';
import { useConsoleBrowser } from './support/console-browser';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer({ shared: true });
const browser = useConsoleBrowser(server, { shared: true });
let lambda: LambdaClient;
let sqs: SQSClient;

const handler = (line: string) => `exports.handler = async (event) => {\n  const greeting = 'hello';\n  return { ${line} };\n};\n`;

async function createFunction(name: string, line = "answer: 'one'"): Promise<void> {
  await lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler',
    Code: { ZipFile: zipOf({ 'index.js': handler(line), 'lib/util.js': 'exports.same = true;\n' }) },
  }));
}

/** expect.poll with room for a loaded machine (its default gives up after 1 s). */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

const queueArn = (name: string) => `arn:aws:sqs:${server.region}:${server.accountId}:${name}`;

/** Opens a section of a function's Configuration tab and waits for its heading. */
async function openSection(page: Page, fn: string, section: string, heading: string | RegExp): Promise<void> {
  await browser.open(page, `/console/functions/${fn}/configuration#${section}`);
  await eventually(() => page.getByRole('heading', { name: heading, level: 2 }).isVisible()).toBe(true);
}

async function checkSection(page: Page, name: string, expectClean = () => browser.expectClean(page)): Promise<void> {
  await browser.screenshot(page, name);
  await browser.expectAccessible(page, name);
  expectClean();
}

const policyNotFound = (status: number, path: string) => status === 404 && path.endsWith('/policy');

beforeAll(() => {
  lambda = server.client(LambdaClient);
  sqs = server.client(SQSClient);
});

describe('the Configuration tab', () => {
  it('saves memory, timeout and description (general)', async () => {
    await createFunction('cfg-general');
    const page = await browser.page();
    const expectClean = () => browser.expectClean(page, (status, path) => status === 400 && path.endsWith('/configuration'));
    await openSection(page, 'cfg-general', 'general', 'General configuration');
    await page.getByLabel('Description').fill('Made in the console');
    await page.getByLabel('Memory (MB)').fill('384');
    await page.getByLabel('Timeout (seconds)').fill('42');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => page.getByText('General configuration saved.').isVisible()).toBe(true);
    const saved = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'cfg-general' }));
    expect([saved.MemorySize, saved.Timeout, saved.Description]).toEqual([384, 42, 'Made in the console']);
    // The page header read the function again.
    await eventually(() => page.getByText('384 MB · 42 s', { exact: false }).isVisible()).toBe(true);
    await page.getByText('Copy as CLI').first().click();
    expect(await page.locator('.cli-command').first().textContent()).toBe(
      `aws lambda update-function-configuration --function-name cfg-general --description 'Made in the console' --memory-size 384 --timeout 42 --endpoint-url ${server.endpoint}`,
    );
    await checkSection(page, 'config-general', expectClean);

    // Out of bounds: the API refuses, and its words are shown.
    await page.getByLabel('Memory (MB)').fill('64');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => page.getByRole('alert').textContent()).toContain("Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128");
    expectClean();
  });

  it('edits environment variables with the 4 KB budget shown, and shows the API refusing a set too large', async () => {
    await createFunction('cfg-env');
    const page = await browser.page();
    const expectClean = () => browser.expectClean(page, (status, path) => status === 400 && path.endsWith('/configuration'));
    await openSection(page, 'cfg-env', 'environment', 'Environment variables');
    await page.getByRole('button', { name: 'Add environment variable' }).click();
    await page.getByLabel('Key 1').fill('GREETING');
    await page.getByLabel('Value 1').fill('hello');
    // {"GREETING":"hello"} is 20 bytes.
    await eventually(() => page.getByText('(20 of 4,096 bytes', { exact: false }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Add environment variable' }).click();
    await page.getByLabel('Key 2').fill('BIG');
    await page.getByLabel('Value 2').fill('x'.repeat(4100));
    await eventually(() => page.getByText('Over the limit').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => page.getByRole('alert').textContent()).toContain('Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit');
    await browser.screenshot(page, 'config-environment-refused');
    await page.getByRole('button', { name: 'Remove BIG' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => page.getByText('Environment variables saved.').isVisible()).toBe(true);
    const saved = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'cfg-env' }));
    expect(saved.Environment?.Variables).toEqual({ GREETING: 'hello' });
    await checkSection(page, 'config-environment', expectClean);
  });

  it('throttles the function (reserved concurrency 0): the next Invoke and the Test tab answer 429', async () => {
    await createFunction('cfg-throttle');
    const page = await browser.page();
    await openSection(page, 'cfg-throttle', 'concurrency', 'Concurrency');
    await page.getByRole('button', { name: 'Throttle', exact: true }).click();
    await page.getByRole('button', { name: 'Confirm throttle' }).click();
    await eventually(() => page.getByText('Throttled: reserved concurrency is 0.').isVisible()).toBe(true);
    await eventually(() => page.locator('.banner.throttled').isVisible()).toBe(true);
    await eventually(() => page.locator('.config-nav .pill', { hasText: 'Throttled' }).isVisible()).toBe(true);
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'cfg-throttle' }))).ReservedConcurrentExecutions).toBe(0);
    const refused = await lambda.send(new InvokeCommand({ FunctionName: 'cfg-throttle' })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyRequestsException);
    expect((refused as TooManyRequestsException).$metadata.httpStatusCode).toBe(429);
    await checkSection(page, 'config-concurrency-throttled');
    // The Test tab's next test shows the 429 at once, as the API answers it.
    await page.getByRole('tab', { name: 'Test' }).click();
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await eventually(() => page.locator('section.test-result').textContent()).toContain('TooManyRequestsException');
    await page.getByRole('tab', { name: 'Configuration' }).click();
    // The throttled indicator shows on every section.
    await page.getByRole('link', { name: 'General configuration' }).click();
    await eventually(() => page.locator('.banner.throttled').isVisible()).toBe(true);
    await page.getByRole('link', { name: /^Concurrency/ }).click();
    await page.getByRole('button', { name: 'Remove reservation' }).click();
    await eventually(() => page.getByText('Reservation removed', { exact: false }).isVisible()).toBe(true);
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'cfg-throttle' }))).ReservedConcurrentExecutions).toBeUndefined();
    browser.expectClean(page, (status, path) => status === 429 && path.endsWith('/cfg-throttle/invocations'));
  });

  it('saves async invocation with a dead-letter queue, and shows the API refusing a bad event age', async () => {
    await createFunction('cfg-async');
    await sqs.send(new CreateQueueCommand({ QueueName: 'cfg-async-dlq' }));
    await sqs.send(new CreateQueueCommand({ QueueName: 'cfg-async-failures' }));
    const page = await browser.page();
    const expectClean = () => browser.expectClean(page, (status, path) => status === 400 && path.endsWith('/event-invoke-config'));
    await openSection(page, 'cfg-async', 'destinations', 'Asynchronous invocation and destinations');
    await page.getByLabel('Retry attempts').fill('1');
    await page.getByLabel('Maximum age of event (seconds)').fill('30');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => page.getByRole('alert').textContent()).toContain('Member must have value greater than or equal to 60');
    await page.getByLabel('Maximum age of event (seconds)').fill('3600');
    await page.getByLabel('On-failure destination').fill(queueArn('cfg-async-failures'));
    await page.getByLabel('Dead-letter queue').fill(queueArn('cfg-async-dlq'));
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => page.getByText('Asynchronous invocation saved.').isVisible()).toBe(true);
    const invokeConfig = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'cfg-async' }));
    expect(invokeConfig.MaximumRetryAttempts).toBe(1);
    expect(invokeConfig.MaximumEventAgeInSeconds).toBe(3600);
    expect(invokeConfig.DestinationConfig?.OnFailure?.Destination).toBe(queueArn('cfg-async-failures'));
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'cfg-async' }));
    expect(config.DeadLetterConfig?.TargetArn).toBe(queueArn('cfg-async-dlq'));
    await checkSection(page, 'config-destinations', expectClean);
  });

  it('creates a public function URL from the page, with the public-access statement', async () => {
    await createFunction('cfg-url');
    const page = await browser.page();
    await openSection(page, 'cfg-url', 'function-url', 'Function URL');
    await page.getByRole('radio', { name: /^NONE/ }).check();
    await page.getByRole('button', { name: 'Create function URL' }).click();
    await eventually(() => page.getByText('Function URL created.').isVisible()).toBe(true);
    const url = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'cfg-url' }));
    expect(url.AuthType).toBe('NONE');
    await eventually(() => page.getByRole('link', { name: url.FunctionUrl! }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Open in a new tab' }).getAttribute('target')).toBe('_blank');
    const policy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: 'cfg-url' }))).Policy!) as { Statement: { Sid: string }[] };
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['FunctionURLAllowPublicAccess']);
    // The URL answers (path form: Node's fetch does not resolve *.localhost).
    const urlId = new URL(url.FunctionUrl!).hostname.split('.')[0];
    const answer = await fetch(`${server.endpoint}/lambda-url/${urlId}/`);
    expect(answer.status).toBe(200);
    await page.getByRole('button', { name: 'Copy URL' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url.FunctionUrl);
    await checkSection(page, 'config-function-url');
  });

  it('adds and removes a resource policy statement', async () => {
    await createFunction('cfg-perm');
    const page = await browser.page();
    const expectClean = () => browser.expectClean(page, (status, path) => policyNotFound(status, path) || (status === 409 && path.endsWith('/policy')));
    await openSection(page, 'cfg-perm', 'permissions', 'Permissions');
    await eventually(() => page.getByText('No statements', { exact: false }).isVisible()).toBe(true);
    await page.getByLabel('Statement ID').fill('allow-schedules');
    await page.getByLabel('Principal').fill('events.amazonaws.com');
    await page.getByRole('button', { name: 'Add permission' }).click();
    await eventually(() => page.getByText('Statement allow-schedules added.').isVisible()).toBe(true);
    const policy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: 'cfg-perm' }))).Policy!) as { Statement: { Sid: string; Principal: unknown; Action: string }[] };
    expect(policy.Statement).toMatchObject([{ Sid: 'allow-schedules', Principal: { Service: 'events.amazonaws.com' }, Action: 'lambda:InvokeFunction' }]);
    await eventually(() => page.getByRole('cell', { name: 'allow-schedules', exact: true }).isVisible()).toBe(true);
    await checkSection(page, 'config-permissions', expectClean);
    // The same statement id again: the API's conflict, as worded.
    await page.getByLabel('Statement ID').fill('allow-schedules');
    await page.getByLabel('Principal').fill('events.amazonaws.com');
    await page.getByRole('button', { name: 'Add permission' }).click();
    await eventually(() => page.getByRole('alert').textContent()).toContain('The statement id (allow-schedules) provided already exists');
    await page.getByRole('button', { name: 'Remove statement allow-schedules' }).click();
    await eventually(() => page.getByText('Statement allow-schedules removed.').isVisible()).toBe(true);
    await expect(lambda.send(new GetPolicyCommand({ FunctionName: 'cfg-perm' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    expectClean();
  });

  it('adds a schedule and a queue mapping as triggers, and disables the mapping', async () => {
    await createFunction('cfg-triggers');
    await sqs.send(new CreateQueueCommand({ QueueName: 'cfg-triggers-jobs', Attributes: { VisibilityTimeout: '30' } }));
    const page = await browser.page();
    await openSection(page, 'cfg-triggers', 'triggers', 'Triggers');
    await page.getByLabel('Rule name').fill('cfg-triggers-nightly');
    await page.getByLabel('Schedule expression').fill('cron(0 3 * * ? *)');
    await page.getByRole('button', { name: 'Add schedule' }).click();
    await eventually(() => page.getByRole('cell', { name: 'cfg-triggers-nightly', exact: true }).isVisible()).toBe(true);
    await page.getByLabel('Queue ARN').fill(queueArn('cfg-triggers-jobs'));
    await page.getByRole('button', { name: 'Add queue mapping' }).click();
    await eventually(() => page.getByRole('cell', { name: 'cfg-triggers-jobs', exact: true }).isVisible()).toBe(true);
    const [mapping] = (await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'cfg-triggers' }))).EventSourceMappings!;
    expect(mapping.EventSourceArn).toBe(queueArn('cfg-triggers-jobs'));
    expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    await page.getByRole('table', { name: 'Queue mappings' }).getByRole('button', { name: 'Disable' }).click();
    await eventually(async () => (await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'cfg-triggers' }))).EventSourceMappings![0].State).toBe('Disabled');
    await eventually(() => page.getByRole('table', { name: 'Queue mappings' }).getByText('Disabled').isVisible()).toBe(true);
    await checkSection(page, 'config-triggers');
  });
  it('saves outbound network rules (an allow list), shows the API refusing a bad entry, and the curl hint does what Save does', async () => {
    await createFunction('cfg-network');
    const page = await browser.page();
    const expectClean = () => browser.expectClean(page, (status, path) => status === 400 && path.endsWith('/egress'));
    await openSection(page, 'cfg-network', 'network', 'Outbound network');
    await page.getByLabel('Allow list').check();
    await page.getByLabel('Allow', { exact: true }).fill('API.example.com\n\n  *.example.org:443 \nhttps://bad/');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => page.getByRole('alert').textContent()).toContain("Allow[2] 'https://bad/' is not an egress entry");
    await page.getByLabel('Allow', { exact: true }).fill('API.example.com\n*.example.org:443');
    await page.getByLabel('Deny', { exact: true }).fill('legacy.example.org');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => page.getByText('Egress rules saved.').isVisible()).toBe(true);
    const read = async () => (await server.signedFetch('/api/functions/cfg-network/egress')).json() as Promise<{ Mode: string; Allow: string[]; Deny: string[] }>;
    expect(await read()).toMatchObject({ Mode: 'allow-list', Allow: ['api.example.com', '*.example.org:443'], Deny: ['legacy.example.org'] });
    // Stored in normal form: the form shows what the API now holds.
    await eventually(() => page.getByLabel('Allow', { exact: true }).inputValue()).toBe('api.example.com\n*.example.org:443');
    await checkSection(page, 'config-network', expectClean);
    // The hint's command, run by a shell with the account's keys, stores the same rules.
    await page.getByLabel('Deny', { exact: true }).fill('old.example.org');
    await page.getByText('Copy as curl').click();
    const command = await page.locator('details.cli-hint', { hasText: 'Copy as curl' }).locator('.cli-command').textContent();
    await promisify(execFile)('bash', ['-c', `${command} --fail --silent --show-error`], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: server.accessKeyId, AWS_SECRET_ACCESS_KEY: server.secretAccessKey },
    });
    expect(await read()).toMatchObject({ Mode: 'allow-list', Deny: ['old.example.org'] });
    await page.reload();
    await eventually(() => page.getByRole('button', { name: 'Remove rules' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Remove rules' }).click();
    await eventually(() => page.getByText('Egress rules removed', { exact: false }).isVisible()).toBe(true);
    expect(await read()).toMatchObject({ Mode: 'deny-list', Allow: [], Deny: [] });
    expectClean();
  });

  it('adds, changes and removes tags, and shows the API refusing an aws: key', async () => {
    await createFunction('cfg-tags');
    const arn = (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'cfg-tags' }))).FunctionArn!;
    const page = await browser.page();
    const expectClean = () => browser.expectClean(page, (status, path) => status === 400 && path.includes('/tags/'));
    await openSection(page, 'cfg-tags', 'tags', 'Tags');
    await eventually(() => page.getByText('No tags.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByLabel('Tag key 1').fill('team');
    await page.getByLabel('Tag value 1').fill('payments');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByLabel('Tag key 2').fill('stage');
    await page.getByLabel('Tag value 2').fill('dev');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => page.getByText('Tags saved.').isVisible()).toBe(true);
    expect((await lambda.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ team: 'payments', stage: 'dev' });
    await checkSection(page, 'config-tags', expectClean);
    await page.getByRole('button', { name: 'Remove tag stage' }).click();
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByLabel('Tag key 2').fill('aws:owner');
    await eventually(() => page.getByText('Keys starting with aws: are reserved').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => page.getByRole('alert').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Remove tag aws:owner' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => page.getByText('Tags saved.').isVisible()).toBe(true);
    expect((await lambda.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ team: 'payments' });
    expectClean();
  });
});

describe('the Aliases and versions tab', () => {
  it('publishes two versions, diffs their code and configuration, and saves a weighted alias', async () => {
    await createFunction('cfg-versions', "answer: 'one'");
    const page = await browser.page();
    await browser.open(page, '/console/functions/cfg-versions/versions');
    await eventually(() => page.getByRole('heading', { name: /^Versions/ }).isVisible()).toBe(true);
    await page.getByLabel('Version description').fill('first');
    await page.getByRole('button', { name: 'Publish new version' }).click();
    await eventually(() => page.getByRole('table', { name: 'Versions' }).getByRole('cell', { name: 'first' }).isVisible()).toBe(true);

    // A changed line of code and a changed memory size, then version 2 from the page.
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'cfg-versions', ZipFile: zipOf({ 'index.js': handler("answer: 'two'"), 'lib/util.js': 'exports.same = true;\n' }) }));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'cfg-versions', MemorySize: 256 }));
    await page.getByLabel('Version description').fill('second');
    await page.getByRole('button', { name: 'Publish new version' }).click();
    await eventually(() => page.getByRole('table', { name: 'Versions' }).getByRole('cell', { name: 'second' }).isVisible()).toBe(true);
    await browser.screenshot(page, 'versions-list');

    // The diff defaults to the two newest versions: 1 -> 2.
    expect(await page.getByLabel('From').inputValue()).toBe('1');
    expect(await page.getByLabel('To').inputValue()).toBe('2');
    await page.getByRole('button', { name: 'Compare' }).click();
    const memoryRow = page.getByRole('table', { name: 'Configuration differences' }).getByRole('row', { name: /Memory \(MB\)/ });
    await eventually(() => memoryRow.textContent()).toMatch(/Memory \(MB\)changed128256/);
    expect(await memoryRow.getAttribute('class')).toBe('changed');
    const timeoutRow = page.getByRole('table', { name: 'Configuration differences' }).getByRole('row', { name: /Timeout/ });
    expect(await timeoutRow.getAttribute('class')).toBeNull();
    // The MergeView of index.js marks the changed line on both sides; lib/util.js is unchanged.
    const merge = page.getByRole('region', { name: 'index.js: changed' });
    await eventually(() => merge.locator('.cm-merge-b .cm-changedLine').textContent()).toContain("answer: 'two'");
    expect(await merge.locator('.cm-merge-a .cm-changedLine').textContent()).toContain("answer: 'one'");
    await eventually(() => page.getByText('1 unchanged file').isVisible()).toBe(true);
    await memoryRow.scrollIntoViewIfNeeded();
    await page.getByRole('heading', { name: 'Compare versions' }).scrollIntoViewIfNeeded();
    await browser.screenshot(page, 'versions-diff');
    await merge.scrollIntoViewIfNeeded();
    await browser.screenshot(page, 'versions-diff-code');
    await browser.expectAccessible(page, 'versions diff');

    // $LATEST against version 1: the same change, from the other side.
    await page.getByLabel('To').selectOption('$LATEST');
    await page.getByRole('button', { name: 'Compare' }).click();
    await eventually(() => memoryRow.textContent()).toMatch(/128256/);

    // An alias on version 2 sending 25% to version 1.
    await page.getByRole('button', { name: 'Create alias' }).click();
    await page.getByLabel('Alias name').fill('live');
    await page.getByRole('combobox', { name: /^Version/ }).selectOption('2');
    await page.getByLabel('Second version (weighted)').selectOption('1');
    await page.getByLabel('Weight of the second version (%)').fill('25');
    await page.getByRole('button', { name: 'Create alias' }).last().click();
    await eventually(() => page.getByRole('table', { name: 'Aliases' }).getByText('75% → 2, 25% → 1').isVisible()).toBe(true);
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: 'cfg-versions', Name: 'live' }));
    expect(alias.FunctionVersion).toBe('2');
    expect(alias.RoutingConfig?.AdditionalVersionWeights).toEqual({ '1': 0.25 });
    await page.getByRole('heading', { name: /^Aliases/ }).scrollIntoViewIfNeeded();
    await checkSection(page, 'versions-aliases');
  });
});
