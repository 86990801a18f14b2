// The queue poller: the SQS event a function receives, what returns to the queue after a
// function error, a partial batch response or a malformed one, throttles, and disabling.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createTenant, deploy, type Tenant } from '../support/signed-client';
import { eventually, metricTotal } from '../support/observe';
import { sqsApi } from '../support/aws-json-client';
import { createMapping, createQueue, logLines, queueCounts, sendAll, type TestQueue } from './support';

const BASE = '/2015-03-31/event-source-mappings';

/** Logs each record as `seen <body> <receive count>` and returns what `reply(event)` computes. */
const recorder = (reply: string) => `
exports.handler = async (event) => {
  for (const r of event.Records) console.log('seen ' + r.body + ' ' + r.attributes.ApproximateReceiveCount);
  ${reply}
};`;

/** `seen` lines as [body, receiveCount] pairs. */
async function seen(tenant: Tenant, functionName: string): Promise<[string, number][]> {
  return (await logLines(tenant, functionName, 'seen ')).map((line) => {
    const [, body, count] = line.split(' ');
    return [body, Number(count)];
  });
}

const empty = (tenant: Tenant, queue: TestQueue) => eventually(() => queueCounts(tenant, queue), (c) => c.visible + c.inFlight + c.delayed === 0);

/** A queue and a disabled mapping: messages sent before enabling arrive in one batch. */
async function disabledMapping(tenant: Tenant, source: string, mapping: Record<string, unknown> = {}, queueAttributes: Record<string, string> = { VisibilityTimeout: '1' }) {
  const queue = await createQueue(tenant, 'jobs', queueAttributes);
  await deploy(tenant, 'fn', source, { Timeout: 1 });
  const { UUID } = await createMapping(tenant, { FunctionName: 'fn', EventSourceArn: queue.arn, Enabled: false, ...mapping });
  const enable = async () => expect((await tenant.send('PUT', `${BASE}/${UUID}`, { Enabled: true })).status).toBe(202);
  return { queue, uuid: UUID, enable };
}

describe('the SQS event', () => {
  it('delivers Lambda\'s SQS record shape and deletes the batch after success', async () => {
    const tenant = await createTenant();
    const { queue, enable } = await disabledMapping(tenant, 'exports.handler = async (event) => { console.log("event " + JSON.stringify(event)); };');
    const sent = await sqsApi.call<{ MessageId: string; MD5OfMessageBody: string; MD5OfMessageAttributes: string }>(tenant, 'SendMessage', {
      QueueUrl: queue.url, MessageBody: '{"order":42}',
      MessageAttributes: { color: { DataType: 'String', StringValue: 'blue' }, blob: { DataType: 'Binary', BinaryValue: btoa('raw') } },
    });
    const before = Date.now();
    await enable();
    await empty(tenant, queue);
    const [line] = await eventually(() => logLines(tenant, 'fn', 'event '), (lines) => lines.length === 1);
    const event = JSON.parse(line.slice('event '.length)) as { Records: Record<string, any>[] };
    expect(event.Records).toHaveLength(1);
    const record = event.Records[0];
    expect(record).toEqual({
      messageId: sent.MessageId,
      receiptHandle: expect.any(String),
      body: '{"order":42}',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        SenderId: tenant.accessKeyId,
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
      },
      messageAttributes: {
        color: { stringValue: 'blue', stringListValues: [], binaryListValues: [], dataType: 'String' },
        blob: { binaryValue: btoa('raw'), stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
      md5OfMessageAttributes: sent.MD5OfMessageAttributes,
      md5OfBody: sent.MD5OfMessageBody,
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: 'us-east-1',
    });
    expect(Number(record.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(before);
    expect(await metricTotal(tenant.accountId, 'fn', 'Invocations')).toBe(1);
  });

  it('gathers up to BatchSize messages within the batching window', async () => {
    const tenant = await createTenant();
    const { queue, enable } = await disabledMapping(tenant, recorder('return null;'), { BatchSize: 25, MaximumBatchingWindowInSeconds: 1 }, { VisibilityTimeout: '5' });
    await sendAll(tenant, queue, Array.from({ length: 25 }, (_, i) => `m${i}`));
    await enable();
    await empty(tenant, queue);
    await eventually(() => seen(tenant, 'fn'), (s) => s.length >= 25);
    // 25 messages, up to 10 per receive, one invocation (metrics land in the isolate's next batch, after the log lines).
    await eventually(() => metricTotal(tenant.accountId, 'fn', 'Invocations'), (n) => n >= 1);
    expect(await metricTotal(tenant.accountId, 'fn', 'Invocations')).toBe(1);
  });

  it('keeps the batching window open for messages sent after the first one arrived', async () => {
    const tenant = await createTenant();
    const queue = await createQueue(tenant, 'jobs', { VisibilityTimeout: '5' });
    await deploy(tenant, 'fn', recorder('return null;'), { Timeout: 1 });
    await createMapping(tenant, { FunctionName: 'fn', EventSourceArn: queue.arn, MaximumBatchingWindowInSeconds: 3 });
    await sendAll(tenant, queue, ['first']);
    // Wait until the poller holds 'first' (its window is open), then send two more.
    await eventually(() => queueCounts(tenant, queue), (c) => c.inFlight === 1);
    await sendAll(tenant, queue, ['second', 'third']);
    await empty(tenant, queue);
    expect((await eventually(() => seen(tenant, 'fn'), (s) => s.length >= 3)).map(([b]) => b).sort()).toEqual(['first', 'second', 'third']);
    expect(await metricTotal(tenant.accountId, 'fn', 'Invocations')).toBe(1);
  });
});

describe('failures', () => {
  it('returns the whole batch to the queue after a function error', async () => {
    const tenant = await createTenant();
    const { queue, enable } = await disabledMapping(tenant, recorder('if (event.Records.some((r) => r.attributes.ApproximateReceiveCount === "1")) throw new Error("first delivery fails");'));
    await sendAll(tenant, queue, ['a', 'b', 'c', 'd', 'e']);
    await enable();
    await empty(tenant, queue);
    const lines = await eventually(() => seen(tenant, 'fn'), (s) => s.length >= 10);
    expect(lines.filter(([, n]) => n === 1).map(([b]) => b).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(lines.filter(([, n]) => n === 2).map(([b]) => b).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await metricTotal(tenant.accountId, 'fn', 'Errors')).toBe(1);
  });

  it('with ReportBatchItemFailures returns only the listed messages', async () => {
    const tenant = await createTenant();
    const { queue, enable } = await disabledMapping(tenant, recorder(`
      return { batchItemFailures: event.Records.filter((r) => ['b', 'd'].includes(r.body) && r.attributes.ApproximateReceiveCount === '1').map((r) => ({ itemIdentifier: r.messageId })) };`),
    { FunctionResponseTypes: ['ReportBatchItemFailures'] });
    await sendAll(tenant, queue, ['a', 'b', 'c', 'd']);
    await enable();
    await empty(tenant, queue);
    const lines = await eventually(() => seen(tenant, 'fn'), (s) => s.length >= 6);
    expect(lines.filter(([, n]) => n === 1).map(([b]) => b).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(lines.filter(([, n]) => n === 2).map(([b]) => b).sort()).toEqual(['b', 'd']);
  });

  it('fails the whole batch on a malformed partial failure reply, as Lambda does', async () => {
    const tenant = await createTenant();
    const { queue, enable } = await disabledMapping(tenant, recorder(`
      if (event.Records[0].attributes.ApproximateReceiveCount === '1') return { batchItemFailures: [{ itemIdentifier: 'not-a-message-of-this-batch' }] };
      if (event.Records[0].attributes.ApproximateReceiveCount === '2') return { batchItemFailures: [{ itemIdentifier: '' }] };
      return { batchItemFailures: [] };`),
    { FunctionResponseTypes: ['ReportBatchItemFailures'] });
    await sendAll(tenant, queue, ['a', 'b', 'c']);
    await enable();
    await empty(tenant, queue);
    const lines = await eventually(() => seen(tenant, 'fn'), (s) => s.length >= 9);
    for (const count of [1, 2, 3]) expect(lines.filter(([, n]) => n === count).map(([b]) => b).sort()).toEqual(['a', 'b', 'c']);
  });

  it('leaves messages untouched while the function has reserved concurrency 0, and delivers them once it has some', async () => {
    const tenant = await createTenant();
    const { queue, enable } = await disabledMapping(tenant, recorder('return null;'));
    await tenant.send('PUT', '/2017-10-31/functions/fn/concurrency', { ReservedConcurrentExecutions: 0 });
    await sendAll(tenant, queue, ['a', 'b']);
    await enable();
    // Several polls pass (the backoff is capped at 1 s in tests): nothing is received.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await queueCounts(tenant, queue)).toEqual({ visible: 2, inFlight: 0, delayed: 0 });
    await tenant.send('DELETE', '/2017-10-31/functions/fn/concurrency');
    await empty(tenant, queue);
    expect((await eventually(() => seen(tenant, 'fn'), (s) => s.length >= 2)).map(([, n]) => n)).toEqual([1, 1]);
  });

  /**
   * A function with reserved concurrency 1 whose only slot a synchronous call holds for
   * `holdMs` while its mapping starts on a queue holding one message 'a': the poller is throttled.
   */
  async function startThrottled(tenant: Tenant, timeoutSeconds: number, visibilityTimeoutSeconds: number, holdMs: number) {
    await deploy(tenant, 'fn', `
      exports.handler = async (event) => {
        if (event.hold) { await new Promise((r) => setTimeout(r, ${holdMs})); return 'held'; }
        for (const r of event.Records) console.log('seen ' + r.body + ' ' + r.attributes.ApproximateReceiveCount);
      };`, { Timeout: timeoutSeconds });
    const queue = await createQueue(tenant, 'jobs', { VisibilityTimeout: String(visibilityTimeoutSeconds) });
    await tenant.send('PUT', '/2017-10-31/functions/fn/concurrency', { ReservedConcurrentExecutions: 1 });
    const { UUID } = await createMapping(tenant, { FunctionName: 'fn', EventSourceArn: queue.arn, Enabled: false });
    await sendAll(tenant, queue, ['a']);
    const held = tenant.send('POST', '/2015-03-31/functions/fn/invocations', { hold: true });
    const limiter = env.CONCURRENCY.get(env.CONCURRENCY.idFromName(tenant.accountId));
    await eventually(() => limiter.snapshot(), (s) => s.activeByFunction.fn === 1);
    await tenant.send('PUT', `${BASE}/${UUID}`, { Enabled: true });
    await eventually(() => metricTotal(tenant.accountId, 'fn', 'Throttles'), (n) => n >= 1);
    return { queue, held };
  }

  it('retries a throttled batch while it stays hidden, so the throttle costs no receive', async () => {
    const tenant = await createTenant();
    const { queue, held } = await startThrottled(tenant, 5, 20, 4000);
    expect(await (await held).json()).toBe('held');
    await empty(tenant, queue);
    expect(await eventually(() => seen(tenant, 'fn'), (s) => s.length >= 1)).toEqual([['a', 1]]);
  });

  it('hands a throttled batch back to the queue at once when the visibility timeout leaves no room to retry', async () => {
    const tenant = await createTenant();
    // Visibility timeout = function timeout = 60 s: no retry fits, so the message is visible
    // again long before its 60 s would have passed.
    const { queue, held } = await startThrottled(tenant, 60, 60, 3000);
    await eventually(() => queueCounts(tenant, queue), (c) => c.visible === 1);
    expect(await (await held).json()).toBe('held');
    await empty(tenant, queue);
    const lines = await eventually(() => seen(tenant, 'fn'), (s) => s.length >= 1);
    // Each throttled receive counted, as in Lambda.
    expect(lines[0][1]).toBeGreaterThanOrEqual(2);
  });
});

describe('Enabled', () => {
  it('stops polling a disabled mapping and resumes when it is enabled again', async () => {
    const tenant = await createTenant();
    const { queue, uuid, enable } = await disabledMapping(tenant, recorder('return null;'));
    await enable();
    await sendAll(tenant, queue, ['before']);
    await empty(tenant, queue);
    expect((await tenant.send('PUT', `${BASE}/${uuid}`, { Enabled: false })).status).toBe(202);
    await sendAll(tenant, queue, ['x', 'y', 'z']);
    // Longer than two idle polls of an enabled mapping.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await queueCounts(tenant, queue)).toEqual({ visible: 3, inFlight: 0, delayed: 0 });
    await enable();
    await empty(tenant, queue);
    expect((await eventually(() => seen(tenant, 'fn'), (s) => s.length >= 4)).map(([b]) => b).sort()).toEqual(['before', 'x', 'y', 'z']);
  });

  it('stops polling a deleted mapping', async () => {
    const tenant = await createTenant();
    const { queue, uuid, enable } = await disabledMapping(tenant, recorder('return null;'));
    await enable();
    expect((await tenant.send('DELETE', `${BASE}/${uuid}`)).status).toBe(202);
    await sendAll(tenant, queue, ['x']);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await queueCounts(tenant, queue)).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });
});

describe('a mapping to an alias', () => {
  it('invokes the version the alias points to, and an unknown alias is not found', async () => {
    const tenant = await createTenant();
    const queue = await createQueue(tenant, 'jobs', { VisibilityTimeout: '5' });
    const versioned = (tag: string) => `exports.handler = async (event) => { for (const r of event.Records) console.log('seen ' + r.body + ' ${tag}-' + process.env.AWS_LAMBDA_FUNCTION_VERSION); };`;
    await deploy(tenant, 'fn', versioned('one'), { Timeout: 1 });
    expect((await tenant.send('POST', '/2015-03-31/functions/fn/versions', {})).status).toBe(201);
    const { zipBase64 } = await import('../support/zip');
    expect((await tenant.send('PUT', '/2015-03-31/functions/fn/code', { ZipFile: zipBase64({ 'index.js': versioned('two') }) })).status).toBe(200);
    expect((await tenant.send('POST', '/2015-03-31/functions/fn/aliases', { Name: 'live', FunctionVersion: '1' })).status).toBe(201);

    const missing = await tenant.send('POST', `${BASE}/`, { FunctionName: 'fn:nope', EventSourceArn: queue.arn });
    expect(missing.status).toBe(404);
    const mapping = await createMapping(tenant, { FunctionName: 'fn:live', EventSourceArn: queue.arn });
    expect(mapping.FunctionArn).toBe(`arn:aws:lambda:us-east-1:${tenant.accountId}:function:fn:live`);
    await sendAll(tenant, queue, ['a', 'b']);
    await empty(tenant, queue);
    const lines = await eventually(() => logLines(tenant, 'fn', 'seen '), (found) => found.length === 2);
    expect(lines.sort()).toEqual(['seen a one-1', 'seen b one-1']);
  });
});
