// Asynchronous invocation inside workerd, through the real local queue: 202 at once, retries,
// event age, throttles with backoff, reserved concurrency 0, destinations, and counted drops.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { eventually, metricTotal } from '../support/observe';



const invokeEvent = (tenant: Tenant, name: string, payload: unknown = {}) =>
  tenant.send('POST', `/2015-03-31/functions/${name}/invocations`, payload, { 'X-Amz-Invocation-Type': 'Event' });

describe('InvocationType Event', () => {
  it('answers 202 at once with an empty body, runs the event later and counts it', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'later', 'exports.handler = async (event) => { console.log("ran", event.n); return 1; };');
    const response = await invokeEvent(tenant, 'later', { n: 5 });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    await eventually(() => metricTotal(tenant.accountId, 'later', 'Invocations'), (n) => n === 1);
    expect(await metricTotal(tenant.accountId, 'later', 'AsyncEventsReceived')).toBe(1);
    const logs = env.LOGS.get(env.LOGS.idFromName(tenant.accountId));
    const events = await eventually(() => logs.readEvents('/aws/lambda/later'), (e) => e.some((x) => x.message.startsWith('REPORT')));
    expect(events.some((e) => e.message.includes(`${response.headers.get('x-amzn-requestid')}\tINFO\tran 5`))).toBe(true);
  });

  it('checks the 1 MB async payload limit', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'big', 'exports.handler = async () => 1;');
    const response = await invokeEvent(tenant, 'big', { data: 'x'.repeat(1024 * 1024) });
    expect(response.status).toBe(413);
    expect(response.headers.get('x-amzn-errortype')).toBe('RequestTooLargeException');
  });

  it('carries payloads too large for a queue message through R2', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'large', 'exports.handler = async (event) => { console.log("length", event.data.length); };');
    expect((await invokeEvent(tenant, 'large', { data: 'y'.repeat(500_000) })).status).toBe(202);
    const logs = env.LOGS.get(env.LOGS.idFromName(tenant.accountId));
    await eventually(() => logs.readEvents('/aws/lambda/large'), (e) => e.some((x) => x.message.endsWith('INFO\tlength 500000')));
  });

  it('retries a failing event MaximumRetryAttempts times, then counts it dropped when it has nowhere to go', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'fails', 'exports.handler = async () => { throw new Error("always"); };');
    await tenant.send('PUT', '/2019-09-25/functions/fails/event-invoke-config', { MaximumRetryAttempts: 1 });
    await invokeEvent(tenant, 'fails');
    await eventually(() => metricTotal(tenant.accountId, 'fails', 'AsyncEventsDropped'), (n) => n === 1);
    expect(await metricTotal(tenant.accountId, 'fails', 'Invocations')).toBe(2);
    expect(await metricTotal(tenant.accountId, 'fails', 'Errors')).toBe(2);
  });

  it('retries a throttled event with backoff until it runs', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'busy', 'exports.handler = (event) => new Promise((r) => setTimeout(() => r("ok"), event.ms ?? 0));', { Timeout: 10 });
    await tenant.send('PUT', '/2017-10-31/functions/busy/concurrency', { ReservedConcurrentExecutions: 1 });
    const occupying = tenant.send('POST', '/2015-03-31/functions/busy/invocations', { ms: 1500 });
    await new Promise((r) => setTimeout(r, 100));
    await invokeEvent(tenant, 'busy', { ms: 0 });
    await eventually(() => metricTotal(tenant.accountId, 'busy', 'Invocations'), (n) => n === 2);
    expect(await metricTotal(tenant.accountId, 'busy', 'Throttles')).toBeGreaterThanOrEqual(1);
    expect((await occupying).status).toBe(200);
  });

  it('sends events for a function with reserved concurrency 0 to failure handling without running it', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'closed', 'exports.handler = async () => 1;');
    await tenant.send('PUT', '/2017-10-31/functions/closed/concurrency', { ReservedConcurrentExecutions: 0 });
    await invokeEvent(tenant, 'closed');
    await eventually(() => metricTotal(tenant.accountId, 'closed', 'AsyncEventsDropped'), (n) => n === 1);
    expect(await metricTotal(tenant.accountId, 'closed', 'Invocations')).toBe(0);
  });

  it('drops an event past its maximum age without running it', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'stale', 'exports.handler = async () => 1;');
    await tenant.send('PUT', '/2019-09-25/functions/stale/event-invoke-config', { MaximumEventAgeInSeconds: 60 });
    // An event that waited two minutes in the queue (as after a long outage).
    await env.ASYNC_EVENTS.send({ v: 1, accountId: tenant.accountId, region: 'us-east-1', functionName: 'stale', requestId: crypto.randomUUID(),
      payload: { inline: '{}' }, receivedAtMs: Date.now() - 120_000, retries: 0, throttles: 0 }, { contentType: 'json' });
    await eventually(() => metricTotal(tenant.accountId, 'stale', 'AsyncEventsDropped'), (n) => n === 1);
    expect(await metricTotal(tenant.accountId, 'stale', 'Invocations')).toBe(0);
  });

  it('delivers the invocation record to a function destination on success', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'source', 'exports.handler = async (event) => ({ doubled: event.n * 2 });');
    await deploy(tenant, 'sink', 'exports.handler = async (record) => { console.log("record", JSON.stringify(record)); };');
    const config = await tenant.send('PUT', '/2019-09-25/functions/source/event-invoke-config', {
      DestinationConfig: { OnSuccess: { Destination: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:sink` } },
    });
    expect(config.status).toBe(200);
    const requestId = (await invokeEvent(tenant, 'source', { n: 21 })).headers.get('x-amzn-requestid');
    const logs = env.LOGS.get(env.LOGS.idFromName(tenant.accountId));
    const events = await eventually(() => logs.readEvents('/aws/lambda/sink'), (e) => e.some((x) => x.message.includes('\tINFO\trecord ')));
    const record = JSON.parse(events.find((x) => x.message.includes('\tINFO\trecord '))!.message.split('\tINFO\trecord ')[1]);
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: { requestId, functionArn: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:source:$LATEST`, condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { n: 21 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { doubled: 42 },
    });
  });
});

describe('event invoke config API', () => {
  it('puts, updates, gets, lists and deletes with Lambda\'s validation', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'cfg', 'exports.handler = async () => 1;');
    const missing = await tenant.send('GET', '/2019-09-25/functions/cfg/event-invoke-config');
    expect(missing.status).toBe(404);
    const put = (await (await tenant.send('PUT', '/2019-09-25/functions/cfg/event-invoke-config', { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 3600 })).json()) as Record<string, unknown>;
    expect(put).toMatchObject({ FunctionArn: `arn:aws:lambda:us-east-1:${tenant.accountId}:function:cfg:$LATEST`, MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 3600 });
    expect(typeof put.LastModified).toBe('number');
    const updated = (await (await tenant.send('POST', '/2019-09-25/functions/cfg/event-invoke-config', { MaximumRetryAttempts: 2 })).json()) as Record<string, unknown>;
    expect(updated).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 });
    const list = (await (await tenant.send('GET', '/2019-09-25/functions/cfg/event-invoke-config/list')).json()) as { FunctionEventInvokeConfigs: unknown[] };
    expect(list.FunctionEventInvokeConfigs).toHaveLength(1);
    for (const bad of [{ MaximumRetryAttempts: 3 }, { MaximumEventAgeInSeconds: 59 }, { MaximumEventAgeInSeconds: 21601 }]) {
      const response = await tenant.send('PUT', '/2019-09-25/functions/cfg/event-invoke-config', bad);
      expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
    }
    const sns = await tenant.send('PUT', '/2019-09-25/functions/cfg/event-invoke-config', { DestinationConfig: { OnFailure: { Destination: 'arn:aws:sns:us-east-1:123456789012:topic' } } });
    expect(sns.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
    expect((await tenant.send('DELETE', '/2019-09-25/functions/cfg/event-invoke-config')).status).toBe(204);
    expect((await tenant.send('GET', '/2019-09-25/functions/cfg/event-invoke-config')).status).toBe(404);
  });
});
