// The console's Create function page in Chromium against `wrangler dev`: from scratch with a
// function URL and a new execution role (and its Copy as CLI, run for real), an existing role or an ARN, from each blueprint (then the function, queues,
// rule, URL, trigger and dead-letter settings checked with the SDK, and the function invoked with
// the blueprint's own default test event), a refused create showing the API's message, the form's
// own checks, axe, and screenshots of the picker and the form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import {
  CreateFunctionCommand, GetFunctionConfigurationCommand, GetFunctionEventInvokeConfigCommand, GetFunctionUrlConfigCommand,
  GetPolicyCommand, InvokeCommand, LambdaClient, ListEventSourceMappingsCommand,
} from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AwsClient } from 'aws4fetch';
import type { Page } from 'playwright-core';
import { useDevServer } from './support/harness';
import { useConsoleBrowser } from './support/console-browser';
import { AWS_CLI, awsCliEnv } from './support/aws-cli';
import { ROLE, zipOf } from './support/bundles';
import { BLUEPRINTS, settingValues } from '../../console/src/blueprints/catalog';
import type { Blueprint, BlueprintContext } from '../../console/src/blueprints/types';

/** A local page the fetch blueprint can reach: the operator's egress allow list names it. */
let target: Server;
let targetUrl: string;
beforeAll(async () => {
  target = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<html><head><title>local target</title></head><body>hi</body></html>');
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}/page`;
});
afterAll(() => new Promise<void>((resolve) => target.close(() => resolve())));

const server = useDevServer({ vars: () => ({ FAASBOX_EGRESS_ALLOW: new URL(targetUrl).host }) });
const browser = useConsoleBrowser(server, { shared: true });
let lambda: LambdaClient;
let sqs: SQSClient;

beforeAll(() => {
  lambda = server.client(LambdaClient);
  sqs = server.client(SQSClient);
});

/** An EventBridge call (AWS JSON 1.1), signed for `events`. */
async function events<T>(operation: string, input: unknown): Promise<T> {
  const signer = new AwsClient({ accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey, service: 'events', region: server.region, retries: 0 });
  const response = await signer.fetch(`${server.endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSEvents.${operation}` },
    body: JSON.stringify(input),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

/** Invokes `name` with `eventJson`: the parsed result; fails on a function error. */
async function invoke(name: string, eventJson: string): Promise<unknown> {
  const result = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: new TextEncoder().encode(eventJson) }));
  const payload = new TextDecoder().decode(result.Payload);
  expect(result.FunctionError, payload).toBeUndefined();
  return JSON.parse(payload);
}

/** An IAM Query call with the server's keys: the answer's XML (200 expected). */
async function iam(action: string, params: Record<string, string>): Promise<string> {
  const signer = new AwsClient({ accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey, service: 'iam', region: server.region, retries: 0 });
  const response = await signer.fetch(`${server.endpoint}/`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Action: action, Version: '2010-05-08', ...params }).toString(),
  });
  const xml = await response.text();
  expect(response.status, xml).toBe(200);
  return xml;
}

async function policyStatements(name: string): Promise<Record<string, unknown>[]> {
  const { Policy } = await lambda.send(new GetPolicyCommand({ FunctionName: name }));
  return (JSON.parse(Policy!) as { Statement: Record<string, unknown>[] }).Statement;
}

/**
 * Console errors other than the expected ones: a 404 from the saved test events API (another
 * branch builds it; the page then shows a notice) or the refusals a test provokes on purpose.
 */
function unexpectedConsoleErrors(page: Page, allowed: RegExp[] = []): () => string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    if (where.includes('/test-events/') || allowed.some((a) => a.test(where) || a.test(message.text()))) return;
    seen.push(`${message.text()} (${where})`);
  });
  page.on('pageerror', (error) => seen.push(`uncaught: ${error.message}`));
  return () => seen;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wait = { timeout: 30_000 };

/** Opens the page signed in (browser.open), with the patience of a loaded machine: several engineers share 2 cores. */
async function openCreatePage(page: Page): Promise<void> {
  await browser.open(page, '/console/create');
  await expect.poll(() => page.getByRole('heading', { name: 'Create function', level: 1 }).isVisible(), wait).toBe(true);
}

async function chooseBlueprint(page: Page, blueprint: Blueprint): Promise<void> {
  await page.getByRole('radio', { name: /^Use a blueprint/ }).check();
  await page.getByRole('radio', { name: new RegExp(`^${escape(blueprint.title)}`) }).check();
}

/**
 * Creates `name` from `blueprint` through the page, which saves the blueprint's default test event
 * and opens the Test tab; there the saved event is picked and Test pressed: it succeeds.
 */
async function createFromBlueprint(blueprint: Blueprint, name: string): Promise<void> {
  const page = await browser.page();
  const unexpected = unexpectedConsoleErrors(page);
  await openCreatePage(page);
  await chooseBlueprint(page, blueprint);
  await page.getByLabel('Function name').fill(name);
  await page.getByRole('button', { name: 'Create function' }).click();
  await expect.poll(() => page.url(), wait).toMatch(new RegExp(`/console/functions/${name}/test$`));
  if (blueprint.id === 'sqs-batch') await browser.screenshot(page, 'create-blueprint-done');
  const saved = page.getByLabel('Saved event');
  await expect.poll(() => saved.locator('option', { hasText: 'blueprint-default' }).count(), wait).toBe(1);
  await saved.selectOption({ label: 'blueprint-default' });
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect.poll(() => page.locator('section.test-result').getByText('Succeeded').isVisible(), wait).toBe(true);
  expect(unexpected()).toEqual([]);
  await page.context().close();
}

function contextFor(blueprint: Blueprint, name: string, functionUrl?: string): BlueprintContext {
  return { functionName: name, accountId: server.accountId, region: server.region, settings: settingValues(blueprint, name, {}), functionUrl };
}

const byId = (id: string) => BLUEPRINTS.find((b) => b.id === id)!;

describe('create function', () => {
  it('shows the form and the blueprint picker, passes axe, and checks fields as the API does', async () => {
    const page = await browser.page();
    await openCreatePage(page);
    await browser.expectAccessible(page, 'create from scratch');
    await page.getByText('Advanced settings').click();
    await page.getByLabel('Enable function URL').check();
    await page.getByLabel('Configure cross-origin resource sharing (CORS)').check();
    await browser.screenshot(page, 'create-scratch-form');
    await browser.expectAccessible(page, 'create with URL options');

    await page.getByLabel('Function name').fill('bad name');
    await page.getByLabel('Memory (MB)').fill('64');
    await page.getByRole('radio', { name: 'Enter a role ARN' }).check();
    await page.getByLabel('Role ARN', { exact: true }).fill('not-a-role');
    await page.getByRole('button', { name: 'Create function' }).click();
    await expect.poll(() => page.getByText('Member must have value greater than or equal to 128').isVisible()).toBe(true);
    expect(await page.getByText('Use only letters, numbers, hyphens and underscores', { exact: false }).isVisible()).toBe(true);
    expect(await page.getByText('Member must satisfy regular expression pattern: arn:', { exact: false }).isVisible()).toBe(true);
    expect(await page.getByLabel('Function name').getAttribute('aria-invalid')).toBe('true');
    await browser.screenshot(page, 'create-form-problems');
    await browser.expectAccessible(page, 'create with problems');
    // Nothing was sent.
    await expect(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'bad name' }))).rejects.toThrow();

    await chooseBlueprint(page, byId('sqs-batch'));
    await expect.poll(() => page.getByLabel('Queue name', { exact: true }).inputValue()).toBe('bad name-queue');
    await browser.screenshot(page, 'create-blueprint-picker');
    await browser.expectAccessible(page, 'blueprint picker');
    await page.getByLabel('Function name').fill('orders');
    expect(await page.getByLabel('Dead-letter queue name').inputValue()).toBe('orders-dlq');
    await page.getByLabel('Dead-letter queue name').scrollIntoViewIfNeeded();
    await browser.screenshot(page, 'create-blueprint-form');
    browser.expectClean(page);
  });

  it('creates a function from scratch with a function URL and CORS', async () => {
    const page = await browser.page();
    await openCreatePage(page);
    await page.getByLabel('Function name').fill('from-scratch');
    await page.getByLabel('Runtime').selectOption('nodejs24.x');
    await page.getByLabel('Memory (MB)').fill('256');
    await page.getByLabel('Timeout (seconds)').fill('10');
    await page.getByText('Advanced settings').click();
    await page.getByLabel('Enable function URL').check();
    await page.getByRole('radio', { name: /^NONE/ }).check();
    await page.getByLabel('Configure cross-origin resource sharing (CORS)').check();
    await page.getByLabel('Allow origins').fill('https://example.com');
    await page.getByRole('checkbox', { name: 'POST' }).uncheck();
    await page.getByLabel('Max age (seconds)').fill('600');
    await page.getByRole('button', { name: 'Create function' }).click();
    await expect.poll(() => page.url(), wait).toMatch(/\/console\/functions\/from-scratch$/);

    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'from-scratch' }));
    expect(config).toMatchObject({ Runtime: 'nodejs24.x', MemorySize: 256, Timeout: 10, Handler: 'index.handler' });
    // "Create a new role with basic Lambda permissions", the default: made beside the function, as Lambda's console does.
    const roleName = /^arn:aws:iam::\d{12}:role\/service-role\/(from-scratch-role-[a-z0-9]{8})$/.exec(config.Role!)![1];
    expect(await iam('ListAttachedRolePolicies', { RoleName: roleName })).toContain('<PolicyArn>arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole</PolicyArn>');
    expect(decodeURIComponent(/<AssumeRolePolicyDocument>([^<]*)</.exec(await iam('GetRole', { RoleName: roleName }))![1])).toContain('lambda.amazonaws.com');
    const url = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'from-scratch' }));
    expect(url).toMatchObject({ AuthType: 'NONE', Cors: { AllowOrigins: ['https://example.com'], AllowMethods: ['GET'], MaxAge: 600, AllowCredentials: false } });
    expect(await policyStatements('from-scratch')).toEqual([expect.objectContaining({ Sid: 'FunctionURLAllowPublicAccess', Action: 'lambda:InvokeFunctionUrl', Principal: '*' })]);
    // Public: an unsigned request through the URL's path form answers.
    const urlId = new URL(url.FunctionUrl!).hostname.split('.')[0];
    const answer = await fetch(`${server.endpoint}/lambda-url/${urlId}/`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toBe('Hello from faasbox!');
    browser.expectClean(page);
  });

  it('uses an existing role the account lists, or a role ARN as typed', async () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await iam('CreateRole', { RoleName: 'shared-worker', AssumeRolePolicyDocument: trust });
    const page = await browser.page();
    await openCreatePage(page);
    await page.getByLabel('Function name').fill('with-existing-role');
    await page.getByRole('radio', { name: 'Use an existing role' }).check();
    await expect.poll(() => page.getByLabel('Existing role', { exact: true }).locator('option').allTextContents(), wait).toContain('shared-worker');
    await page.getByLabel('Existing role', { exact: true }).selectOption({ label: 'shared-worker' });
    await browser.screenshot(page, 'create-existing-role');
    await browser.expectAccessible(page, 'create with an existing role');
    await page.getByRole('button', { name: 'Create function' }).click();
    await expect.poll(() => page.url(), wait).toMatch(/\/console\/functions\/with-existing-role$/);
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'with-existing-role' }))).Role).toBe(`arn:aws:iam::${server.accountId}:role/shared-worker`);

    // Signed in already (the tab keeps its keys): straight to the form.
    await page.goto('/console/create');
    await expect.poll(() => page.getByRole('heading', { name: 'Create function', level: 1 }).isVisible(), wait).toBe(true);
    await page.getByLabel('Function name').fill('with-typed-role');
    await page.getByRole('radio', { name: 'Enter a role ARN' }).check();
    await page.getByLabel('Role ARN', { exact: true }).fill(`arn:aws:iam::${server.accountId}:role/shared-worker`);
    await page.getByRole('button', { name: 'Create function' }).click();
    await expect.poll(() => page.url(), wait).toMatch(/\/console\/functions\/with-typed-role$/);
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'with-typed-role' }))).Role).toBe(`arn:aws:iam::${server.accountId}:role/shared-worker`);
    browser.expectClean(page);
  });

  it('offers Copy as CLI commands that create the same function when pasted', async () => {
    const page = await browser.page();
    await openCreatePage(page);
    await page.getByLabel('Function name').fill('from-cli');
    await page.getByText('Advanced settings').click();
    await page.getByLabel('Enable function URL').check();
    await page.getByRole('radio', { name: /^NONE/ }).check();
    await page.getByText('Copy as CLI').click();
    const commands = (await page.locator('.cli-command').textContent())!;
    expect(commands.split('\n').map((line) => line.split(' --')[0])).toEqual([
      'aws iam create-role', 'aws iam attach-role-policy', 'aws lambda create-function', 'aws lambda create-function-url-config', 'aws lambda add-permission',
    ]);
    expect(commands).toContain(`--zip-file fileb://function.zip --endpoint-url ${server.endpoint}`);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download function.zip' }).click();
    await (await download).saveAs(join(server.workDir, 'function.zip'));
    // Pasted into a shell, with `aws` the AWS CLI v2 the tests use. Asynchronously: a blocked event
    // loop would miss the server closing the SDK's idle keep-alive sockets, and reuse a dead one.
    await promisify(execFile)('bash', ['-c', `set -e\naws() { "${AWS_CLI}" "$@"; }\n${commands}`], { cwd: server.workDir, env: awsCliEnv(server, server.workDir) });
    const url = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'from-cli' }));
    const answer = await fetch(`${server.endpoint}/lambda-url/${new URL(url.FunctionUrl!).hostname.split('.')[0]}/`);
    expect(await answer.json()).toBe('Hello from faasbox!');
    browser.expectClean(page);
  });

  it('shows the API’s own message when it refuses, and what was created', async () => {
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'taken', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => 1;' }) } }));
    const page = await browser.page();
    const unexpected = unexpectedConsoleErrors(page, [/status of 409/]);
    await openCreatePage(page);
    await page.getByLabel('Function name').fill('taken');
    await page.getByRole('button', { name: 'Create function' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent(), wait).toContain('ResourceConflictException Function already exist: taken');
    // The new role was made first; it is what exists now.
    expect(await page.getByText(/These exist now: Execution role taken-role-[a-z0-9]{8}/).isVisible()).toBe(true);
    await browser.screenshot(page, 'create-refused');
    await browser.expectAccessible(page, 'create refused');

    // A blueprint whose later step fails: its queue is created, then CreateFunction is refused.
    await page.getByRole('button', { name: 'Back to the form' }).click();
    await chooseBlueprint(page, byId('async-dlq'));
    await page.getByLabel('Function name').fill('taken');
    await page.getByRole('button', { name: 'Create function' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent(), wait).toContain('Function already exist: taken');
    expect(await page.getByText(/These exist now: Queue taken-dlq; Execution role taken-role-[a-z0-9]{8} \(AWSLambdaBasicExecutionRole, inline send-to-dead-letter-queue\)\./).isVisible()).toBe(true);
    expect(await page.locator('.step.not-attempted').count()).toBe(1);
    await browser.screenshot(page, 'create-step-failed');
    expect(unexpected()).toEqual([]);
  });

  it('removes what a failed blueprint created when asked', async () => {
    const page = await browser.page();
    const unexpected = unexpectedConsoleErrors(page, [/status of 4\d\d/]);
    await openCreatePage(page);
    await chooseBlueprint(page, byId('sqs-batch'));
    await page.getByLabel('Function name').fill('rollback');
    // A timeout longer than the queue's visibility timeout (180 s): CreateEventSourceMapping refuses it.
    await page.getByLabel('Timeout (seconds)').fill('200');
    await page.getByRole('button', { name: 'Create function' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent(), wait).toContain('Queue visibility timeout: 180 seconds is less than Function timeout: 200 seconds');
    expect(await page.getByText(/These exist now: Queue rollback-dlq/).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Remove what was created' }).click();
    await expect.poll(() => page.locator('.step.removed').count(), wait).toBe(4);
    expect(await iam('ListRoles', {})).not.toContain('rollback-role-');
    await expect(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'rollback' }))).rejects.toThrow(/not found/i);
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'rollback-queue' }))).rejects.toThrow();
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'rollback-dlq' }))).rejects.toThrow();
    expect(unexpected()).toEqual([]);
  });
});

describe('create from each blueprint', () => {
  it('hello-world: a function whose default event returns value1', async () => {
    const blueprint = byId('hello-world');
    await createFromBlueprint(blueprint, 'bp-hello');
    expect(await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'bp-hello' }))).toMatchObject({ Runtime: 'nodejs22.x', Handler: 'index.handler', Timeout: 3, MemorySize: 128 });
    expect(await invoke('bp-hello', blueprint.testEvent(contextFor(blueprint, 'bp-hello')))).toBe('value1');
  });

  it('http-endpoint: a public function URL with CORS, and a function URL event', async () => {
    const blueprint = byId('http-endpoint');
    await createFromBlueprint(blueprint, 'bp-http');
    const url = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'bp-http' }));
    expect(url).toMatchObject({ AuthType: 'NONE', Cors: { AllowOrigins: ['*'], AllowMethods: ['GET', 'POST'] } });
    expect(await policyStatements('bp-http')).toEqual([expect.objectContaining({ Sid: 'FunctionURLAllowPublicAccess', Principal: '*' })]);
    const result = await invoke('bp-http', blueprint.testEvent(contextFor(blueprint, 'bp-http', url.FunctionUrl))) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ message: 'Hello, faasbox!', path: '/hello' });
    const answer = await fetch(`${server.endpoint}/lambda-url/${new URL(url.FunctionUrl!).hostname.split('.')[0]}/hi?name=web`);
    expect(await answer.json()).toEqual({ message: 'Hello, web!', path: '/hi' });
  });

  it('sqs-batch: a queue with a dead-letter queue, a trigger with ReportBatchItemFailures, and a partial failure', async () => {
    const blueprint = byId('sqs-batch');
    await createFromBlueprint(blueprint, 'bp-sqs');
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'bp-sqs-queue' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(Attributes?.VisibilityTimeout).toBe('180');
    expect(JSON.parse(Attributes!.RedrivePolicy!)).toMatchObject({ deadLetterTargetArn: `arn:aws:sqs:${server.region}:${server.accountId}:bp-sqs-dlq`, maxReceiveCount: 3 });
    const mappings = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'bp-sqs' }));
    expect(mappings.EventSourceMappings).toEqual([expect.objectContaining({
      EventSourceArn: Attributes!.QueueArn, BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'],
    })]);
    const eventJson = blueprint.testEvent(contextFor(blueprint, 'bp-sqs'));
    const records = (JSON.parse(eventJson) as { Records: { messageId: string; eventSourceARN: string }[] }).Records;
    expect(records[0].eventSourceARN).toBe(Attributes!.QueueArn);
    expect(await invoke('bp-sqs', eventJson)).toEqual({ batchItemFailures: [{ itemIdentifier: records[1].messageId }] });
  });

  it('python-hello-world: a Python function on MicroPython whose default event returns value1', async () => {
    const blueprint = byId('python-hello-world');
    await createFromBlueprint(blueprint, 'bp-python');
    expect(await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'bp-python' }))).toMatchObject({ Runtime: 'python3.13', Handler: 'lambda_function.lambda_handler' });
    expect(await invoke('bp-python', blueprint.testEvent(contextFor(blueprint, 'bp-python')))).toBe('value1');
  });

  it('python-sqs-batch: the same queues and trigger as sqs-batch, and the partial failure from Python', async () => {
    const blueprint = byId('python-sqs-batch');
    await createFromBlueprint(blueprint, 'bp-pysqs');
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'bp-pysqs-queue' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const eventJson = blueprint.testEvent(contextFor(blueprint, 'bp-pysqs'));
    const records = (JSON.parse(eventJson) as { Records: { messageId: string; eventSourceARN: string }[] }).Records;
    expect(records[0].eventSourceARN).toBe(Attributes!.QueueArn);
    expect(await invoke('bp-pysqs', eventJson)).toEqual({ batchItemFailures: [{ itemIdentifier: records[1].messageId }] });
  });

  it('scheduled: a cron rule targeting the function, with EventBridge’s permission, and a Scheduled Event', async () => {
    const blueprint = byId('scheduled');
    await createFromBlueprint(blueprint, 'bp-cron');
    const rule = await events<{ ScheduleExpression: string; State: string; Arn: string }>('DescribeRule', { Name: 'bp-cron-schedule' });
    expect(rule).toMatchObject({ ScheduleExpression: 'cron(0/15 * * * ? *)', State: 'ENABLED' });
    const { Targets } = await events<{ Targets: { Arn: string }[] }>('ListTargetsByRule', { Rule: 'bp-cron-schedule' });
    expect(Targets.map((t) => t.Arn)).toEqual([`arn:aws:lambda:${server.region}:${server.accountId}:function:bp-cron`]);
    expect(await policyStatements('bp-cron')).toEqual([expect.objectContaining({
      Principal: { Service: 'events.amazonaws.com' }, Action: 'lambda:InvokeFunction',
      Condition: { ArnLike: { 'AWS:SourceArn': rule.Arn } },
    })]);
    const eventJson = blueprint.testEvent(contextFor(blueprint, 'bp-cron'));
    const event = JSON.parse(eventJson) as { time: string; resources: string[] };
    expect(event.resources).toEqual([rule.Arn]);
    expect(await invoke('bp-cron', eventJson)).toMatchObject({ scheduledFor: event.time.replace('Z', '.000Z') });
  });

  it('async-dlq: a dead-letter queue and two retries', async () => {
    const blueprint = byId('async-dlq');
    await createFromBlueprint(blueprint, 'bp-async');
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'bp-async-dlq' }));
    expect(QueueUrl).toContain('/bp-async-dlq');
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'bp-async' }));
    expect(config.DeadLetterConfig?.TargetArn).toBe(`arn:aws:sqs:${server.region}:${server.accountId}:bp-async-dlq`);
    expect(await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'bp-async' }))).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 });
    expect(await invoke('bp-async', blueprint.testEvent(contextFor(blueprint, 'bp-async')))).toEqual({ processed: '1001' });
  });

  it('fetch: answers its default event (offline: the failure as data) and fetches a reachable page', async () => {
    const blueprint = byId('fetch');
    await createFromBlueprint(blueprint, 'bp-fetch');
    // These machines have no internet: example.com either answers or its failure is returned.
    const offline = await invoke('bp-fetch', blueprint.testEvent(contextFor(blueprint, 'bp-fetch'))) as { url: string; ok: boolean; status?: number; error?: string };
    expect(offline.url).toBe('https://example.com/');
    expect(offline.ok ? typeof offline.status : typeof offline.error).toBe(offline.ok ? 'number' : 'string');
    expect(await invoke('bp-fetch', JSON.stringify({ url: targetUrl }))).toEqual({
      url: targetUrl, ok: true, status: 200, contentType: 'text/html', length: 68, title: 'local target',
    });
  });
});
