// Dead-letter queues and failure destinations through the tenant's own queues, and the
// conservation of async events: every event ends succeeded, dead-lettered or counted as dropped.
import { describe, expect, it } from 'vitest';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { ROLE, zipBase64 } from '../support/zip';
import { eventually, metricTotal } from '../support/observe';
import { drain } from '../support/sqs-client';
import { sqsApi } from '../support/aws-json-client';



async function createQueue(tenant: Tenant, name: string) {
  const { QueueUrl } = await sqsApi.call<{ QueueUrl: string }>(tenant, 'CreateQueue', { QueueName: name });
  return { url: QueueUrl, arn: `arn:aws:sqs:us-east-1:${tenant.accountId}:${name}` };
}

const invokeEvent = (tenant: Tenant, name: string, payload: unknown = {}) =>
  tenant.send('POST', `/2015-03-31/functions/${name}/invocations`, payload, { 'X-Amz-Invocation-Type': 'Event' });

describe('dead-letter queue and OnFailure destination', () => {
  it('delivers an exhausted event to the DLQ with Lambda\'s attributes and to the OnFailure queue with the invocation record', async () => {
    const tenant = await createTenant();
    const dlq = await createQueue(tenant, 'dlq');
    const failures = await createQueue(tenant, 'failures');
    await deploy(tenant, 'broken', 'exports.handler = async () => { throw new TypeError("broken on purpose"); };', { DeadLetterConfig: { TargetArn: dlq.arn } });
    await tenant.send('PUT', '/2019-09-25/functions/broken/event-invoke-config', { MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: failures.arn } } });
    const requestId = (await invokeEvent(tenant, 'broken', { order: 7 })).headers.get('x-amzn-requestid');

    const dead = await eventually(() => sqsApi.call<{ Messages?: { Body: string; MessageAttributes: Record<string, { StringValue: string }> }[] }>(tenant, 'ReceiveMessage', { QueueUrl: dlq.url, MessageAttributeNames: ['All'] }), (r) => (r.Messages ?? []).length > 0);
    expect(JSON.parse(dead.Messages![0].Body)).toEqual({ order: 7 });
    expect(dead.Messages![0].MessageAttributes).toMatchObject({
      RequestID: { StringValue: requestId },
      ErrorCode: { StringValue: '200' },
      ErrorMessage: { StringValue: 'broken on purpose' },
    });
    const failed = await eventually(() => sqsApi.call<{ Messages?: { Body: string }[] }>(tenant, 'ReceiveMessage', { QueueUrl: failures.url }), (r) => (r.Messages ?? []).length > 0);
    expect(JSON.parse(failed.Messages![0].Body)).toMatchObject({
      version: '1.0',
      requestContext: { requestId, condition: 'RetriesExhausted', approximateInvokeCount: 2 },
      requestPayload: { order: 7 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'TypeError', errorMessage: 'broken on purpose' },
    });
    expect(await metricTotal(tenant.accountId, 'broken', 'Invocations')).toBe(2);
    expect(await metricTotal(tenant.accountId, 'broken', 'AsyncEventsDropped')).toBe(0);
  });

  it('sends events of a function with reserved concurrency 0 straight to its DLQ, unrun', async () => {
    const tenant = await createTenant();
    const dlq = await createQueue(tenant, 'zero-dlq');
    await deploy(tenant, 'zero', 'exports.handler = async () => 1;', { DeadLetterConfig: { TargetArn: dlq.arn } });
    await tenant.send('PUT', '/2017-10-31/functions/zero/concurrency', { ReservedConcurrentExecutions: 0 });
    const sync = await tenant.send('POST', '/2015-03-31/functions/zero/invocations', {});
    expect(await sync.json()).toMatchObject({ message: 'Rate Exceeded.' });
    await invokeEvent(tenant, 'zero', { hello: 'dlq' });
    const dead = await eventually(() => sqsApi.call<{ Messages?: { Body: string }[] }>(tenant, 'ReceiveMessage', { QueueUrl: dlq.url }), (r) => (r.Messages ?? []).length > 0);
    expect(JSON.parse(dead.Messages![0].Body)).toEqual({ hello: 'dlq' });
    expect(await metricTotal(tenant.accountId, 'zero', 'Invocations')).toBe(0);
  });

  it('counts a dead letter that cannot be delivered (its queue was deleted) and never loses the count', async () => {
    const tenant = await createTenant();
    const dlq = await createQueue(tenant, 'gone');
    await deploy(tenant, 'orphan', 'exports.handler = async () => { throw new Error("x"); };', { DeadLetterConfig: { TargetArn: dlq.arn } });
    await tenant.send('PUT', '/2019-09-25/functions/orphan/event-invoke-config', { MaximumRetryAttempts: 0 });
    await sqsApi.call(tenant, 'DeleteQueue', { QueueUrl: dlq.url });
    await invokeEvent(tenant, 'orphan');
    await eventually(() => metricTotal(tenant.accountId, 'orphan', 'DeadLetterErrors'), (n) => n === 1);
    expect(await metricTotal(tenant.accountId, 'orphan', 'AsyncEventsDropped')).toBe(1);
  });

  it('refuses a DLQ or destination in another account', async () => {
    const tenant = await createTenant();
    const response = await tenant.send('POST', '/2015-03-31/functions', {
      FunctionName: 'x', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipBase64({ 'index.js': '' }) },
      DeadLetterConfig: { TargetArn: 'arn:aws:sqs:us-east-1:999999999999:theirs' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
  });
});

describe('conservation', () => {
  it('accounts for every one of 1,000 events to a function that fails at random', async () => {
    const tenant = await createTenant();
    const dlq = await createQueue(tenant, 'lost-and-found');
    const ok = await createQueue(tenant, 'succeeded');
    await deploy(tenant, 'flaky', 'exports.handler = async (event) => { if (Math.random() < 0.4) throw new Error("flaky " + event.i); return event.i; };', {
      DeadLetterConfig: { TargetArn: dlq.arn },
    });
    await tenant.send('PUT', '/2019-09-25/functions/flaky/event-invoke-config', { MaximumRetryAttempts: 1, DestinationConfig: { OnSuccess: { Destination: ok.arn } } });
    // A thousand: enough for every path (success, retry, dead letter) many times over; 2,000 took two minutes of a loaded 2-core machine.
    const EVENTS = 1000;
    const sent = new Set<string>();
    for (let batch = 0; batch < EVENTS / 50; batch++) {
      const responses = await Promise.all(Array.from({ length: 50 }, (_, j) => invokeEvent(tenant, 'flaky', { i: batch * 50 + j })));
      for (const response of responses) {
        expect(response.status).toBe(202);
        sent.add(response.headers.get('x-amzn-requestid')!);
      }
    }
    expect(sent.size).toBe(EVENTS);
    const succeeded = new Set<string>();
    const deadLettered = new Set<string>();
    await eventually(async () => {
      for (const m of await drain(tenant, ok.url, 300)) succeeded.add(JSON.parse(m.Body).requestContext.requestId);
      for (const m of await drain(tenant, dlq.url, 300)) deadLettered.add(m.MessageAttributes!.RequestID.StringValue!);
      return succeeded.size + deadLettered.size;
    }, (n) => n >= EVENTS, 240_000);
    const dropped = await metricTotal(tenant.accountId, 'flaky', 'AsyncEventsDropped');
    const missing = [...sent].filter((id) => !succeeded.has(id) && !deadLettered.has(id));
    // At least once: an event may appear twice, never nowhere.
    expect(missing).toEqual([]);
    expect(dropped).toBe(0);
    expect([...succeeded].every((id) => sent.has(id)) && [...deadLettered].every((id) => sent.has(id))).toBe(true);
    // With 40% failures and one retry, about 16% end in the DLQ.
    expect(deadLettered.size).toBeGreaterThan(EVENTS * 0.05);
    expect(succeeded.size).toBeGreaterThan(EVENTS * 0.6);
    expect(await metricTotal(tenant.accountId, 'flaky', 'AsyncEventsReceived')).toBe(EVENTS);
  }, 300_000);
});
