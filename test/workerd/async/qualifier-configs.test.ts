// Async settings per qualifier inside workerd, through the real queue: an event runs by the config
// of exactly the qualifier it was invoked with ($LATEST's, a version's, an alias's), the config API
// keeps one per qualifier, and an event refused at reserved concurrency 0 says so in its record.
import { describe, expect, it } from 'vitest';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { eventually, metricTotal } from '../support/observe';
import { sqsApi } from '../support/aws-json-client';

const CONFIG = '/2019-09-25/functions';

async function createQueue(tenant: Tenant, name: string) {
  const { QueueUrl } = await sqsApi.call<{ QueueUrl: string }>(tenant, 'CreateQueue', { QueueName: name });
  return { url: QueueUrl, arn: `arn:aws:sqs:us-east-1:${tenant.accountId}:${name}` };
}

async function receiveOne(tenant: Tenant, url: string): Promise<Record<string, unknown>> {
  const received = await eventually(() => sqsApi.call<{ Messages?: { Body: string }[] }>(tenant, 'ReceiveMessage', { QueueUrl: url }), (r) => (r.Messages ?? []).length > 0);
  return JSON.parse(received.Messages![0].Body) as Record<string, unknown>;
}

async function publishWithAlias(tenant: Tenant, name: string, alias: string) {
  expect((await tenant.send('POST', `/2015-03-31/functions/${name}/versions`, {})).status).toBe(201);
  expect((await tenant.send('POST', `/2015-03-31/functions/${name}/aliases`, { Name: alias, FunctionVersion: '1' })).status).toBe(201);
}

const invokeEvent = (tenant: Tenant, name: string, qualifier?: string, payload: unknown = {}) =>
  tenant.send('POST', `/2015-03-31/functions/${name}/invocations${qualifier ? `?Qualifier=${qualifier}` : ''}`, payload, { 'X-Amz-Invocation-Type': 'Event' });

describe('an async event runs by its qualifier\'s config', () => {
  it('retries an event invoked through an alias as the alias\'s config says, not $LATEST\'s', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'fails', 'exports.handler = async () => { throw new Error("always"); };');
    await publishWithAlias(tenant, 'fails', 'live');
    expect((await tenant.send('PUT', `${CONFIG}/fails/event-invoke-config`, { MaximumRetryAttempts: 0 })).status).toBe(200);
    expect((await tenant.send('PUT', `${CONFIG}/fails/event-invoke-config?Qualifier=live`, { MaximumRetryAttempts: 2 })).status).toBe(200);
    expect((await invokeEvent(tenant, 'fails', 'live')).status).toBe(202);
    await eventually(() => metricTotal(tenant.accountId, 'fails', 'AsyncEventsDropped'), (n) => n === 1);
    await eventually(() => metricTotal(tenant.accountId, 'fails', 'Invocations'), (n) => n >= 3);
    expect(await metricTotal(tenant.accountId, 'fails', 'Invocations')).toBe(3);
    // Unqualified: $LATEST's config, no retry.
    await invokeEvent(tenant, 'fails');
    await eventually(() => metricTotal(tenant.accountId, 'fails', 'AsyncEventsDropped'), (n) => n === 2);
    await eventually(() => metricTotal(tenant.accountId, 'fails', 'Invocations'), (n) => n >= 4);
    expect(await metricTotal(tenant.accountId, 'fails', 'Invocations')).toBe(4);
  });

  it('delivers to a version\'s own destination the record of that version', async () => {
    const tenant = await createTenant();
    const done = await createQueue(tenant, 'v1-done');
    await deploy(tenant, 'doubler', 'exports.handler = async (event) => ({ doubled: event.n * 2 });');
    await publishWithAlias(tenant, 'doubler', 'live');
    const put = await tenant.send('PUT', `${CONFIG}/doubler:1/event-invoke-config`, { DestinationConfig: { OnSuccess: { Destination: done.arn } } });
    expect(await put.json()).toMatchObject({ FunctionArn: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:doubler:1`, DestinationConfig: { OnSuccess: { Destination: done.arn }, OnFailure: {} } });
    const requestId = (await invokeEvent(tenant, 'doubler', '1', { n: 4 })).headers.get('x-amzn-requestid');
    expect(await receiveOne(tenant, done.url)).toMatchObject({
      requestContext: { requestId, functionArn: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:doubler:1`, condition: 'Success' },
      responseContext: { executedVersion: '1' },
      responsePayload: { doubled: 8 },
    });
    // The alias pointing at version 1 has no config of its own: nothing is delivered for it.
    await invokeEvent(tenant, 'doubler', 'live', { n: 5 });
    await eventually(() => metricTotal(tenant.accountId, 'doubler', 'Invocations'), (n) => n === 2);
    const after = await sqsApi.call<{ Messages?: unknown[] }>(tenant, 'ReceiveMessage', { QueueUrl: done.url });
    expect(after.Messages ?? []).toEqual([]);
  });

  it('records an event refused at reserved concurrency 0 with condition ZeroReservedConcurrency and no response', async () => {
    const tenant = await createTenant();
    const failures = await createQueue(tenant, 'zero-failures');
    await deploy(tenant, 'closed', 'exports.handler = async () => 1;');
    await tenant.send('PUT', `${CONFIG}/closed/event-invoke-config`, { DestinationConfig: { OnFailure: { Destination: failures.arn } } });
    await tenant.send('PUT', '/2017-10-31/functions/closed/concurrency', { ReservedConcurrentExecutions: 0 });
    const requestId = (await invokeEvent(tenant, 'closed', undefined, { hello: 1 })).headers.get('x-amzn-requestid');
    const record = await receiveOne(tenant, failures.url);
    expect(record).toEqual({
      version: '1.0',
      timestamp: expect.any(String),
      requestContext: { requestId, functionArn: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:closed:$LATEST`, condition: 'ZeroReservedConcurrency', approximateInvokeCount: 0 },
      requestPayload: { hello: 1 },
    });
  });
});

describe('event invoke configs per qualifier', () => {
  it('keeps one config per qualifier, lists them in Lambda\'s order with paging, and drops an alias\'s with it', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'cfg', 'exports.handler = async () => 1;');
    await publishWithAlias(tenant, 'cfg', 'live');
    for (const qualifier of ['live', '1', '$LATEST']) {
      expect((await tenant.send('PUT', `${CONFIG}/cfg/event-invoke-config?Qualifier=${qualifier}`, { MaximumRetryAttempts: 1 })).status).toBe(200);
    }
    const arn = `arn:aws:lambda:us-east-1:${tenant.accountId}:function:cfg`;
    const all = (await (await tenant.send('GET', `${CONFIG}/cfg/event-invoke-config/list`)).json()) as { FunctionEventInvokeConfigs: { FunctionArn: string }[] };
    expect(all.FunctionEventInvokeConfigs.map((c) => c.FunctionArn)).toEqual([`${arn}:$LATEST`, `${arn}:1`, `${arn}:live`]);
    const first = (await (await tenant.send('GET', `${CONFIG}/cfg/event-invoke-config/list?MaxItems=2`)).json()) as { FunctionEventInvokeConfigs: { FunctionArn: string }[]; NextMarker: string };
    expect(first.FunctionEventInvokeConfigs.map((c) => c.FunctionArn)).toEqual([`${arn}:$LATEST`, `${arn}:1`]);
    const second = (await (await tenant.send('GET', `${CONFIG}/cfg/event-invoke-config/list?MaxItems=2&Marker=${encodeURIComponent(first.NextMarker)}`)).json()) as Record<string, unknown>;
    expect(second).toEqual({ FunctionEventInvokeConfigs: [expect.objectContaining({ FunctionArn: `${arn}:live` })] });

    // Update merges, Put replaces; each touches only its qualifier.
    expect(await (await tenant.send('POST', `${CONFIG}/cfg/event-invoke-config?Qualifier=1`, { MaximumEventAgeInSeconds: 120 })).json()).toMatchObject({ MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 120 });
    const replaced = (await (await tenant.send('PUT', `${CONFIG}/cfg/event-invoke-config?Qualifier=1`, { MaximumEventAgeInSeconds: 300 })).json()) as Record<string, unknown>;
    expect(replaced.MaximumRetryAttempts).toBeUndefined();
    expect(await (await tenant.send('GET', `${CONFIG}/cfg/event-invoke-config`)).json()).toMatchObject({ FunctionArn: `${arn}:$LATEST`, MaximumRetryAttempts: 1 });

    // Deleting the alias takes its config: a new alias of the same name starts without one.
    expect((await tenant.send('DELETE', '/2015-03-31/functions/cfg/aliases/live')).status).toBe(204);
    await tenant.send('POST', '/2015-03-31/functions/cfg/aliases', { Name: 'live', FunctionVersion: '1' });
    const gone = await tenant.send('GET', `${CONFIG}/cfg/event-invoke-config?Qualifier=live`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ Message: `The function ${arn}:live doesn't have an EventInvokeConfig` });
  });

  it('refuses what Lambda refuses, in its words', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'cfg', 'exports.handler = async () => 1;');
    const arn = `arn:aws:lambda:us-east-1:${tenant.accountId}:function`;
    const errorOf = async (response: Response) => ({ status: response.status, type: response.headers.get('x-amzn-errortype'), body: (await response.json()) as Record<string, string> });
    expect(await errorOf(await tenant.send('POST', `${CONFIG}/cfg/event-invoke-config`, { MaximumRetryAttempts: 1 }))).toMatchObject({
      status: 404, type: 'ResourceNotFoundException', body: { Message: `The function ${arn}:cfg:$LATEST doesn't have an EventInvokeConfig` },
    });
    expect(await errorOf(await tenant.send('PUT', `${CONFIG}/cfg/event-invoke-config`, {}))).toMatchObject({
      status: 400, type: 'InvalidParameterValueException', body: { message: 'You must specify at least one of error handling or destination setting.' },
    });
    expect(await errorOf(await tenant.send('PUT', `${CONFIG}/cfg/event-invoke-config?Qualifier=nope`, { MaximumRetryAttempts: 1 }))).toMatchObject({
      status: 404, body: { Message: "The function doesn't exist." },
    });
    const toMissing = await errorOf(await tenant.send('PUT', `${CONFIG}/cfg/event-invoke-config`, { DestinationConfig: { OnFailure: { Destination: `${arn}:ghost` } } }));
    expect(toMissing).toMatchObject({ status: 400, type: 'InvalidParameterValueException', body: { message: `The destination ARN ${arn}:ghost is invalid.` } });
    const toItself = await errorOf(await tenant.send('PUT', `${CONFIG}/cfg/event-invoke-config`, { DestinationConfig: { OnSuccess: { Destination: `${arn}:cfg` } } }));
    expect(toItself).toMatchObject({ status: 400, body: { message: "You can't specify the function as a destination for itself." } });
  });
});
