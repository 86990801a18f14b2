// Execution roles (project workerd-iam: unknown roles refused, as a deployment): Lambda's refusals at
// CreateFunction / UpdateFunctionConfiguration and for dead-letter queues and queue triggers, and
// what the role decides at run time: log lines, traces, destinations, dead letters, queue polling.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, type Tenant } from '../support/signed-client';
import { zipBase64 } from '../support/zip';
import { eventually, metricTotal } from '../support/observe';
import { sqsApi } from '../support/aws-json-client';
import { segmentsOf } from '../support/xray-client';
import { createMapping, createQueue } from '../triggers/support';
import { checkExecutionRole, executionRole } from '../../../src/services/iam/execution-role';

const TRUST_LAMBDA = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const TRUST_EC2 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const CANNOT_ASSUME = 'The role defined for the function cannot be assumed by Lambda.';
const HANDLER = `exports.handler = async (event) => { console.log('hello from', JSON.stringify(event)); return { ok: true }; };`;

/** One IAM Query API call (signed as `iam`); throws with the answer on anything but 200. */
async function iam(tenant: Tenant, action: string, params: Record<string, string> = {}): Promise<string> {
  const body = new URLSearchParams({ Action: action, Version: '2010-05-08', ...params }).toString();
  const response = await tenant.as('iam').send('POST', '/', body, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${action} failed: ${response.status} ${text}`);
  return text;
}

/** An inline policy allowing `actions` on `resource`. */
const allowing = (actions: string[], resource = '*') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] });
const QUEUE_TRIGGER = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];

/** A role of `tenant` trusting `trust`, with `attached` managed policies; its ARN. */
async function createRole(tenant: Tenant, name: string, attached: string[] = [], trust = TRUST_LAMBDA): Promise<string> {
  await iam(tenant, 'CreateRole', { RoleName: name, AssumeRolePolicyDocument: trust });
  for (const arn of attached) await iam(tenant, 'AttachRolePolicy', { RoleName: name, PolicyArn: arn });
  return `arn:aws:iam::${tenant.accountId}:role/${name}`;
}

function createFunction(tenant: Tenant, name: string, role: string, extra: Record<string, unknown> = {}): Promise<Response> {
  return tenant.send('POST', '/2015-03-31/functions', {
    FunctionName: name, Runtime: 'nodejs22.x', Role: role, Handler: 'index.handler', Code: { ZipFile: zipBase64({ 'index.js': HANDLER }) }, ...extra,
  });
}

async function deployWith(tenant: Tenant, name: string, role: string, extra: Record<string, unknown> = {}): Promise<void> {
  const response = await createFunction(tenant, name, role, extra);
  if (response.status !== 201) throw new Error(`CreateFunction ${name}: ${response.status} ${await response.text()}`);
}

/** Lambda's 400 InvalidParameterValueException: its message. */
async function invalidParameter(response: Response): Promise<string> {
  expect(response.status).toBe(400);
  const body = (await response.json()) as { Type?: string; message?: string; Message?: string };
  expect(response.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
  return body.message ?? body.Message ?? '';
}

function invoke(tenant: Tenant, name: string, headers: Record<string, string> = {}): Promise<Response> {
  return tenant.send('POST', `/2015-03-31/functions/${name}/invocations`, { n: 1 }, { 'x-amz-log-type': 'Tail', ...headers });
}

function logEvents(tenant: Tenant, name: string) {
  return env.LOGS.get(env.LOGS.idFromName(tenant.accountId)).readEvents(`/aws/lambda/${name}`);
}

describe('execution roles at CreateFunction and UpdateFunctionConfiguration', () => {
  it("refuses a role that does not exist, another account's role and one that does not trust Lambda, with Lambda's message", async () => {
    const tenant = await createTenant();
    expect(await invalidParameter(await createFunction(tenant, 'missing', `arn:aws:iam::${tenant.accountId}:role/nobody`))).toBe(CANNOT_ASSUME);
    const other = await createTenant();
    const othersRole = await createRole(other, 'theirs', [BASIC]);
    expect(await invalidParameter(await createFunction(tenant, 'foreign', othersRole))).toBe(CANNOT_ASSUME);
    const ec2Role = await createRole(tenant, 'ec2-only', [BASIC], TRUST_EC2);
    expect(await invalidParameter(await createFunction(tenant, 'untrusted', ec2Role))).toBe(CANNOT_ASSUME);

    const good = await createRole(tenant, 'lambda-basic', [BASIC]);
    await deployWith(tenant, 'fn', good);
    const update = (role: string) => tenant.send('PUT', '/2015-03-31/functions/fn/configuration', { Role: role });
    expect(await invalidParameter(await update(ec2Role))).toBe(CANNOT_ASSUME);
    expect(await invalidParameter(await update(`arn:aws:iam::${tenant.accountId}:role/nobody`))).toBe(CANNOT_ASSUME);
    const other2 = await createRole(tenant, 'second', [BASIC]);
    const updated = await update(other2);
    expect(updated.status).toBe(200);
    expect(((await updated.json()) as { Role: string }).Role).toBe(other2);
  });

  it('refuses a dead-letter queue the role may not send to, and accepts it once the role may', async () => {
    const tenant = await createTenant();
    const dlq = await createQueue(tenant, 'dlq');
    const role = await createRole(tenant, 'basic', [BASIC]);
    const withDlq = { DeadLetterConfig: { TargetArn: dlq.arn } };
    expect(await invalidParameter(await createFunction(tenant, 'fn', role, withDlq))).toBe('The provided execution role does not have permissions to call SendMessage on SQS');
    await deployWith(tenant, 'fn', role);
    const update = () => tenant.send('PUT', '/2015-03-31/functions/fn/configuration', withDlq);
    expect(await invalidParameter(await update())).toBe('The provided execution role does not have permissions to call SendMessage on SQS');
    await iam(tenant, 'PutRolePolicy', { RoleName: 'basic', PolicyName: 'dlq', PolicyDocument: allowing(['sqs:SendMessage'], dlq.arn) });
    await eventually(async () => (await update()).status, (status) => status === 200);
  });

  it('refuses a queue trigger without sqs:ReceiveMessage, DeleteMessage and GetQueueAttributes, naming the first missing', async () => {
    const tenant = await createTenant();
    const queue = await createQueue(tenant, 'jobs');
    await createRole(tenant, 'consumer', [BASIC]);
    await deployWith(tenant, 'fn', `arn:aws:iam::${tenant.accountId}:role/consumer`);
    const create = () => tenant.send('POST', '/2015-03-31/event-source-mappings/', { FunctionName: 'fn', EventSourceArn: queue.arn });
    expect(await invalidParameter(await create())).toBe('The provided execution role does not have permissions to call ReceiveMessage on SQS');
    await iam(tenant, 'PutRolePolicy', { RoleName: 'consumer', PolicyName: 'receive', PolicyDocument: allowing(['sqs:ReceiveMessage'], queue.arn) });
    const second = await eventually(async () => invalidParameter(await create()), (message) => !message.includes('ReceiveMessage'));
    expect(second).toBe('The provided execution role does not have permissions to call DeleteMessage on SQS');
    await iam(tenant, 'PutRolePolicy', { RoleName: 'consumer', PolicyName: 'receive', PolicyDocument: allowing(QUEUE_TRIGGER, queue.arn) });
    await eventually(async () => (await create()).status, (status) => status === 202);
  });
});

describe('what the role decides at run time', () => {
  it('writes log lines only while the role allows logs:CreateLogStream and logs:PutLogEvents, and says why not', async () => {
    const tenant = await createTenant();
    const role = await createRole(tenant, 'logger', [BASIC]);
    await deployWith(tenant, 'fn', role);
    const first = await invoke(tenant, 'fn');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-faasbox-logs-denied')).toBeNull();
    const firstId = first.headers.get('x-amzn-requestid')!;
    await eventually(() => logEvents(tenant, 'fn'), (events) => events.some((e) => e.message.startsWith(`REPORT RequestId: ${firstId}`)));

    await iam(tenant, 'DetachRolePolicy', { RoleName: 'logger', PolicyArn: BASIC });
    // Within the policy cache's seconds a new invocation runs without the permission.
    const denied = await eventually(() => invoke(tenant, 'fn'), (response) => response.headers.get('x-faasbox-logs-denied') !== null);
    expect(denied.status).toBe(200);
    expect(await denied.json()).toEqual({ ok: true });
    expect(denied.headers.get('x-faasbox-logs-denied')).toBe(
      `No logs: the execution role ${role} does not allow logs:CreateLogStream on arn:aws:logs:us-east-1:${tenant.accountId}:log-group:/aws/lambda/fn:*`,
    );
    // The caller's own log tail still has the lines; the log group never gets them.
    const deniedId = denied.headers.get('x-amzn-requestid')!;
    expect(atob(denied.headers.get('x-amz-log-result')!)).toContain(`REPORT RequestId: ${deniedId}`);

    await iam(tenant, 'AttachRolePolicy', { RoleName: 'logger', PolicyArn: BASIC });
    const again = await eventually(() => invoke(tenant, 'fn'), (response) => response.headers.get('x-faasbox-logs-denied') === null);
    const againId = again.headers.get('x-amzn-requestid')!;
    const events = await eventually(() => logEvents(tenant, 'fn'), (all) => all.some((e) => e.message.startsWith(`REPORT RequestId: ${againId}`)));
    expect(events.filter((e) => e.message.includes(deniedId))).toEqual([]);
  });

  it('records no trace of an Active function whose role lacks xray:PutTraceSegments', async () => {
    const tenant = await createTenant();
    const untraced = await createRole(tenant, 'no-xray', [BASIC]);
    const traced = await createRole(tenant, 'xray', [BASIC]);
    await iam(tenant, 'PutRolePolicy', { RoleName: 'xray', PolicyName: 'traces', PolicyDocument: allowing(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']) });
    await deployWith(tenant, 'silent', untraced, { TracingConfig: { Mode: 'Active' } });
    await deployWith(tenant, 'traced', traced, { TracingConfig: { Mode: 'Active' } });
    const root = `1-${Math.floor(Date.now() / 1000).toString(16)}-${crypto.randomUUID().replaceAll('-', '').slice(0, 24)}`;
    // Both invocations join one trace; once the traced one's segment is there, the other would be too.
    for (const name of ['silent', 'traced']) expect((await invoke(tenant, name, { 'x-amzn-trace-id': `Root=${root};Sampled=1` })).status).toBe(200);
    const segments = await segmentsOf(tenant, root, 1);
    expect(segments.map((s) => s.name)).toEqual(['traced']);
  });

  it('counts a DestinationDeliveryFailure when the role may not send to the OnSuccess queue', async () => {
    const tenant = await createTenant();
    const destination = await createQueue(tenant, 'results');
    await createRole(tenant, 'basic', [BASIC]);
    await deployWith(tenant, 'fn', `arn:aws:iam::${tenant.accountId}:role/basic`);
    const config = await tenant.send('PUT', '/2019-09-25/functions/fn/event-invoke-config', { DestinationConfig: { OnSuccess: { Destination: destination.arn } } });
    expect(config.status).toBe(200);
    expect((await tenant.send('POST', '/2015-03-31/functions/fn/invocations', { n: 1 }, { 'x-amz-invocation-type': 'Event' })).status).toBe(202);
    await eventually(() => metricTotal(tenant.accountId, 'fn', 'DestinationDeliveryFailures'), (n) => n === 1);
    const { Attributes } = await sqsApi.call<{ Attributes: Record<string, string> }>(tenant, 'GetQueueAttributes', { QueueUrl: destination.url, AttributeNames: ['All'] });
    expect(Attributes.ApproximateNumberOfMessages).toBe('0');
  });

  it('sends no dead letter once the role lost sqs:SendMessage on the queue, and counts a DeadLetterError', async () => {
    const tenant = await createTenant();
    const dlq = await createQueue(tenant, 'dead-letters');
    const role = await createRole(tenant, 'basic', [BASIC]);
    await iam(tenant, 'PutRolePolicy', { RoleName: 'basic', PolicyName: 'dlq', PolicyDocument: allowing(['sqs:SendMessage'], dlq.arn) });
    const failing = await tenant.send('POST', '/2015-03-31/functions', {
      FunctionName: 'fails', Runtime: 'nodejs22.x', Role: role, Handler: 'index.handler', DeadLetterConfig: { TargetArn: dlq.arn },
      Code: { ZipFile: zipBase64({ 'index.js': "exports.handler = async () => { throw new Error('boom'); };" }) },
    });
    expect(failing.status).toBe(201);
    expect((await tenant.send('PUT', '/2019-09-25/functions/fails/event-invoke-config', { MaximumRetryAttempts: 0 })).status).toBe(200);
    await iam(tenant, 'DeleteRolePolicy', { RoleName: 'basic', PolicyName: 'dlq' });
    // The configuration check reads the same cached policies: once it refuses the queue, so does delivery.
    await eventually(async () => (await tenant.send('PUT', '/2015-03-31/functions/fails/configuration', { DeadLetterConfig: { TargetArn: dlq.arn } })).status, (status) => status === 400);
    expect((await tenant.send('POST', '/2015-03-31/functions/fails/invocations', {}, { 'x-amz-invocation-type': 'Event' })).status).toBe(202);
    await eventually(() => metricTotal(tenant.accountId, 'fails', 'DeadLetterErrors'), (n) => n === 1);
    expect(await metricTotal(tenant.accountId, 'fails', 'AsyncEventsDropped')).toBe(1);
  });

  it("stops polling a queue trigger whose role lost its SQS permissions, with LastProcessingResult PROBLEM, and resumes once it has them", async () => {
    const tenant = await createTenant();
    const queue = await createQueue(tenant, 'jobs');
    await createRole(tenant, 'consumer', [BASIC]);
    await iam(tenant, 'PutRolePolicy', { RoleName: 'consumer', PolicyName: 'trigger', PolicyDocument: allowing(QUEUE_TRIGGER, queue.arn) });
    await deployWith(tenant, 'fn', `arn:aws:iam::${tenant.accountId}:role/consumer`);
    const mapping = await createMapping(tenant, { FunctionName: 'fn', EventSourceArn: queue.arn, BatchSize: 1 });
    await iam(tenant, 'DeleteRolePolicy', { RoleName: 'consumer', PolicyName: 'trigger' });
    const read = async () => (await (await tenant.send('GET', `/2015-03-31/event-source-mappings/${mapping.UUID}`)).json()) as { State: string; LastProcessingResult?: string };
    const stopped = await eventually(read, (m) => m.LastProcessingResult !== undefined);
    expect(stopped).toMatchObject({ State: 'Enabled', LastProcessingResult: 'PROBLEM: The provided execution role does not have permissions to call ReceiveMessage on SQS' });

    // Nothing is received while the role may not: the message stays visible.
    await sqsApi.call(tenant, 'SendMessage', { QueueUrl: queue.url, MessageBody: 'job' });
    const counts = async () => (await sqsApi.call<{ Attributes: Record<string, string> }>(tenant, 'GetQueueAttributes', { QueueUrl: queue.url, AttributeNames: ['All'] })).Attributes;
    expect((await counts()).ApproximateNumberOfMessages).toBe('1');

    await iam(tenant, 'PutRolePolicy', { RoleName: 'consumer', PolicyName: 'trigger', PolicyDocument: allowing(QUEUE_TRIGGER, queue.arn) });
    await eventually(counts, (a) => a.ApproximateNumberOfMessages === '0' && a.ApproximateNumberOfMessagesNotVisible === '0');
    expect((await read()).LastProcessingResult).toBe('OK');
  });
});

/** The Worker's env with another FAASBOX_UNKNOWN_ROLES (a new object: readConfig parses it anew). */
const withUnknownRoles = (setting: string) => ({ ...env, FAASBOX_UNKNOWN_ROLES: setting }) as unknown as Env;

describe('FAASBOX_UNKNOWN_ROLES', () => {
  const unknownRole = 'arn:aws:iam::123456789012:role/placeholder';

  it('refuse: an unknown role may do nothing and is refused', async () => {
    const refuse = withUnknownRoles('refuse');
    expect((await executionRole(refuse, '123456789012', unknownRole)).allows('logs:PutLogEvents', '*')).toBe(false);
    await expect(checkExecutionRole(refuse, '123456789012', unknownRole)).rejects.toThrow(CANNOT_ASSUME);
  });

  it("basic-execution: an unknown role is accepted with AWSLambdaBasicExecutionRole's permissions only", async () => {
    const basic = withUnknownRoles('basic-execution');
    await checkExecutionRole(basic, '123456789012', unknownRole);
    const role = await executionRole(basic, '123456789012', unknownRole);
    expect(role.exists).toBe(false);
    expect(role.allows('logs:CreateLogStream', 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn:log-stream:*')).toBe(true);
    expect(role.allows('logs:PutLogEvents', 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn:log-stream:*')).toBe(true);
    expect(role.allows('xray:PutTraceSegments', '*')).toBe(false);
    expect(role.allows('sqs:SendMessage', 'arn:aws:sqs:us-east-1:123456789012:q')).toBe(false);
  });

  it('allow-all: an unknown role may do anything in its account, nothing in another', async () => {
    const allowAll = withUnknownRoles('allow-all');
    await checkExecutionRole(allowAll, '123456789012', 'arn:aws:iam::000000000000:role/localstack-style');
    const role = await executionRole(allowAll, '123456789012', unknownRole);
    expect(role.allows('xray:PutTraceSegments', '*')).toBe(true);
    expect(role.allows('sqs:SendMessage', 'arn:aws:sqs:us-east-1:123456789012:q')).toBe(true);
    expect(role.allows('sqs:SendMessage', 'arn:aws:sqs:us-east-1:210987654321:q')).toBe(false);
  });

  it('a role that exists must trust Lambda whatever the setting', async () => {
    const tenant = await createTenant();
    const ec2Role = await createRole(tenant, 'ec2-only', [BASIC], TRUST_EC2);
    const allowAll = withUnknownRoles('allow-all');
    await expect(checkExecutionRole(allowAll, tenant.accountId, ec2Role)).rejects.toThrow(CANNOT_ASSUME);
  });
});
