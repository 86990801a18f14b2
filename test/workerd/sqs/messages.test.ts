// Messages over the JSON protocol: send and receive with the MD5s clients verify, attributes,
// visibility timeout and redelivery, delays, long polling, deletion and the message checks.
import { describe, expect, it } from 'vitest';
import { createSqsTenant, type SqsTenant } from './sqs-client';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whichever comes first: `answer`, or the end of `seconds` of waiting from now ('waited'). */
async function firstOf<T>(answer: Promise<T>, seconds: number): Promise<T | 'waited'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<'waited'>((resolve) => { timer = setTimeout(() => resolve('waited'), seconds * 1000); });
  try {
    return await Promise.race([answer, waited]);
  } finally {
    clearTimeout(timer);
  }
}

async function tenantWithQueue(attributes: Record<string, string> = {}): Promise<{ tenant: SqsTenant; QueueUrl: string }> {
  const tenant = await createSqsTenant();
  const { QueueUrl } = await tenant.ok('CreateQueue', { QueueName: 'q', Attributes: attributes });
  return { tenant, QueueUrl };
}

describe('SendMessage and ReceiveMessage', () => {
  it('round-trips a body with its MD5 and the system attributes', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue();
    const sentAt = Date.now();
    const sent = await tenant.ok('SendMessage', { QueueUrl, MessageBody: 'héllo 🌍' });
    expect(sent).toEqual({ MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/), MD5OfMessageBody: 'a4115cc10566f0181d01df50100b37ff' });
    const { Messages } = await tenant.ok('ReceiveMessage', { QueueUrl, MessageSystemAttributeNames: ['All'] });
    expect(Messages).toEqual([{
      MessageId: sent.MessageId,
      ReceiptHandle: expect.stringMatching(/^[A-Za-z0-9_-]{64}$/),
      MD5OfBody: 'a4115cc10566f0181d01df50100b37ff',
      Body: 'héllo 🌍',
      Attributes: {
        SenderId: tenant.accessKeyId,
        SentTimestamp: expect.stringMatching(/^\d+$/),
        ApproximateReceiveCount: '1',
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
      },
    }]);
    expect(Number(Messages[0].Attributes.SentTimestamp)).toBeGreaterThanOrEqual(sentAt - 1000);
  });

  it('returns message attributes with AWS\'s MD5OfMessageAttributes, filtered by name', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue();
    const MessageAttributes = {
      color: { DataType: 'String', StringValue: 'blue' },
      count: { DataType: 'Number', StringValue: '3' },
      blob: { DataType: 'Binary', BinaryValue: 'AAEC' },
    };
    const sent = await tenant.ok('SendMessage', { QueueUrl, MessageBody: 'hello', MessageAttributes });
    // Reference value computed independently (Python, from AWS's documented algorithm).
    expect(sent.MD5OfMessageAttributes).toBe('8d5483c8806fdc55849a00062d4bfc72');
    expect(sent.MD5OfMessageBody).toBe('5d41402abc4b2a76b9719d911017c592');
    const all = (await tenant.ok('ReceiveMessage', { QueueUrl, MessageAttributeNames: ['All'], VisibilityTimeout: 0 })).Messages[0];
    expect(all.MessageAttributes).toEqual(MessageAttributes);
    expect(all.MD5OfMessageAttributes).toBe('8d5483c8806fdc55849a00062d4bfc72');
    expect(all.Attributes).toBeUndefined();
    const some = (await tenant.ok('ReceiveMessage', { QueueUrl, MessageAttributeNames: ['color'], AttributeNames: ['ApproximateReceiveCount'], VisibilityTimeout: 0 })).Messages[0];
    expect(some.MessageAttributes).toEqual({ color: MessageAttributes.color });
    expect(some.Attributes).toEqual({ ApproximateReceiveCount: '2' });
    const none = (await tenant.ok('ReceiveMessage', { QueueUrl })).Messages[0];
    expect(none.MessageAttributes).toBeUndefined();
    expect(none.MD5OfMessageAttributes).toBeUndefined();
  });

  it('receives up to MaxNumberOfMessages, oldest first, and answers {} when empty', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue();
    for (let i = 0; i < 12; i++) await tenant.ok('SendMessage', { QueueUrl, MessageBody: `m${i}` });
    const first = await tenant.ok('ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10 });
    expect(first.Messages.map((m: { Body: string }) => m.Body)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
    const rest = await tenant.ok('ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10 });
    expect(rest.Messages.map((m: { Body: string }) => m.Body)).toEqual(['m10', 'm11']);
    expect(await tenant.ok('ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10 })).toEqual({});
  });

  it('refuses MaxNumberOfMessages outside 1-10, WaitTimeSeconds over 20 and DelaySeconds over 900', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue();
    for (const input of [{ MaxNumberOfMessages: 0 }, { MaxNumberOfMessages: 11 }, { WaitTimeSeconds: 21 }, { VisibilityTimeout: -1 }]) {
      const response = await tenant.call('ReceiveMessage', { QueueUrl, ...input });
      expect(response.headers.get('x-amzn-errortype'), JSON.stringify(input)).toBe('InvalidParameterValue');
    }
    const delayed = await tenant.call('SendMessage', { QueueUrl, MessageBody: 'x', DelaySeconds: 901 });
    expect(delayed.headers.get('x-amzn-errortype')).toBe('InvalidParameterValue');
  });
});

describe('message checks', () => {
  it('refuses a body over MaximumMessageSize, counting attributes too', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue({ MaximumMessageSize: '1024' });
    expect((await tenant.call('SendMessage', { QueueUrl, MessageBody: 'x'.repeat(1024) })).status).toBe(200);
    const tooLong = await tenant.call('SendMessage', { QueueUrl, MessageBody: 'x'.repeat(1025) });
    expect(tooLong.headers.get('x-amzn-errortype')).toBe('InvalidParameterValue');
    expect(((await tooLong.json()) as { message: string }).message).toMatch(/shorter than 1024 bytes/);
    const withAttributes = await tenant.call('SendMessage', { QueueUrl, MessageBody: 'x'.repeat(1015), MessageAttributes: { a: { DataType: 'String', StringValue: 'abcd' } } });
    expect(withAttributes.headers.get('x-amzn-errortype')).toBe('InvalidParameterValue');
  });

  it('refuses an empty body, invalid characters and malformed attributes', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue();
    const cases: [Record<string, unknown>, string][] = [
      [{ MessageBody: '' }, 'MissingParameter'],
      [{}, 'MissingParameter'],
      [{ MessageBody: 'bad \u0001 char' }, 'InvalidMessageContents'],
      [{ MessageBody: 'x', MessageAttributes: { a: { DataType: 'Date', StringValue: 'x' } } }, 'InvalidParameterValue'],
      [{ MessageBody: 'x', MessageAttributes: { a: { DataType: 'Number', StringValue: 'ten' } } }, 'InvalidParameterValue'],
      [{ MessageBody: 'x', MessageAttributes: { a: { DataType: 'String' } } }, 'InvalidParameterValue'],
      [{ MessageBody: 'x', MessageAttributes: { a: { StringValue: 'x' } } }, 'InvalidParameterValue'],
      [{ MessageBody: 'x', MessageAttributes: { a: null } }, 'InvalidParameterValue'],
      [{ MessageBody: 'x', MessageAttributes: { a: { DataType: 'Binary', BinaryValue: '%%%' } } }, 'InvalidParameterValue'],
      [{ MessageBody: 'x', MessageAttributes: ['a'] }, 'InvalidParameterValue'],
      [{ MessageBody: 'x', MessageAttributes: { 'AWS.reserved': { DataType: 'String', StringValue: 'x' } } }, 'InvalidParameterValue'],
      [{ MessageBody: 'x', MessageAttributes: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }])) }, 'InvalidParameterValue'],
    ];
    for (const [input, code] of cases) {
      const response = await tenant.call('SendMessage', { QueueUrl, ...input });
      expect(response.headers.get('x-amzn-errortype'), JSON.stringify(input).slice(0, 80)).toBe(code);
    }
    expect(await tenant.ok('ReceiveMessage', { QueueUrl })).toEqual({});
  });
});

describe('visibility timeout', () => {
  it('hides a received message until its timeout, then redelivers it with a new handle and a higher count', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue({ VisibilityTimeout: '1' });
    await tenant.ok('SendMessage', { QueueUrl, MessageBody: 'retry me' });
    const first = (await tenant.ok('ReceiveMessage', { QueueUrl, AttributeNames: ['All'] })).Messages[0];
    expect(await tenant.ok('ReceiveMessage', { QueueUrl })).toEqual({});
    await sleep(1100);
    const second = (await tenant.ok('ReceiveMessage', { QueueUrl, AttributeNames: ['All'] })).Messages[0];
    expect(second.MessageId).toBe(first.MessageId);
    expect(second.ReceiptHandle).not.toBe(first.ReceiptHandle);
    expect(second.Attributes.ApproximateReceiveCount).toBe('2');
    expect(second.Attributes.ApproximateFirstReceiveTimestamp).toBe(first.Attributes.ApproximateFirstReceiveTimestamp);
  });

  it('takes a per-receive VisibilityTimeout over the queue\'s', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue({ VisibilityTimeout: '600' });
    await tenant.ok('SendMessage', { QueueUrl, MessageBody: 'x' });
    await tenant.ok('ReceiveMessage', { QueueUrl, VisibilityTimeout: 0 });
    const again = await tenant.ok('ReceiveMessage', { QueueUrl, AttributeNames: ['ApproximateReceiveCount'] });
    expect(again.Messages[0].Attributes.ApproximateReceiveCount).toBe('2');
    expect(await tenant.ok('ReceiveMessage', { QueueUrl })).toEqual({});
  });
});

describe('DelaySeconds', () => {
  it('keeps a delayed message invisible until its delay has passed', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue();
    await tenant.ok('SendMessage', { QueueUrl, MessageBody: 'later', DelaySeconds: 1 });
    expect(await tenant.ok('ReceiveMessage', { QueueUrl })).toEqual({});
    await sleep(1100);
    expect((await tenant.ok('ReceiveMessage', { QueueUrl })).Messages[0].Body).toBe('later');
  });

  it('applies the queue\'s DelaySeconds when the message sets none', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue({ DelaySeconds: '1' });
    await tenant.ok('SendMessage', { QueueUrl, MessageBody: 'queued' });
    await tenant.ok('SendMessage', { QueueUrl, MessageBody: 'now', DelaySeconds: 0 });
    expect((await tenant.ok('ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10 })).Messages.map((m: { Body: string }) => m.Body)).toEqual(['now']);
  });
});

describe('long polling', () => {
  it('returns as soon as a message arrives', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue();
    const waitSeconds = 10;
    const first = firstOf(tenant.ok('ReceiveMessage', { QueueUrl, WaitTimeSeconds: waitSeconds }), waitSeconds);
    await sleep(400);
    await tenant.ok('SendMessage', { QueueUrl, MessageBody: 'arrived' });
    // The answer comes before its wait is over, with the message.
    expect(await first).toMatchObject({ Messages: [{ Body: 'arrived' }] });
  });

  it('waits the whole WaitTimeSeconds (or the queue\'s ReceiveMessageWaitTimeSeconds) when nothing comes', async () => {
    const queueWaitSeconds = 1;
    const { tenant, QueueUrl } = await tenantWithQueue({ ReceiveMessageWaitTimeSeconds: String(queueWaitSeconds) });
    const startedAtMs = Date.now();
    expect(await tenant.ok('ReceiveMessage', { QueueUrl })).toEqual({});
    // The queue's wait was reached (less one tick of each isolate's millisecond clock).
    expect(Date.now() - startedAtMs).toBeGreaterThanOrEqual(queueWaitSeconds * 1000 - 10);
    // WaitTimeSeconds 0 answers at once: before the queue's own (now longest) wait could end.
    await tenant.ok('SetQueueAttributes', { QueueUrl, Attributes: { ReceiveMessageWaitTimeSeconds: '20' } });
    expect(await firstOf(tenant.ok('ReceiveMessage', { QueueUrl, WaitTimeSeconds: 0 }), 20)).toEqual({});
  });
});

describe('DeleteMessage', () => {
  it('deletes by the current receipt handle; a stale handle succeeds without effect', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue();
    await tenant.ok('SendMessage', { QueueUrl, MessageBody: 'x' });
    const first = (await tenant.ok('ReceiveMessage', { QueueUrl, VisibilityTimeout: 0 })).Messages[0];
    const second = (await tenant.ok('ReceiveMessage', { QueueUrl, VisibilityTimeout: 0 })).Messages[0];
    expect(await tenant.ok('DeleteMessage', { QueueUrl, ReceiptHandle: first.ReceiptHandle })).toEqual({});
    expect((await tenant.ok('ReceiveMessage', { QueueUrl, VisibilityTimeout: 0 })).Messages).toHaveLength(1);
    const third = (await tenant.ok('ReceiveMessage', { QueueUrl })).Messages[0];
    expect(second.ReceiptHandle).not.toBe(third.ReceiptHandle);
    expect(await tenant.ok('DeleteMessage', { QueueUrl, ReceiptHandle: third.ReceiptHandle })).toEqual({});
    expect(await tenant.ok('DeleteMessage', { QueueUrl, ReceiptHandle: third.ReceiptHandle })).toEqual({});
    const { Attributes } = await tenant.ok('GetQueueAttributes', { QueueUrl, AttributeNames: ['All'] });
    expect([Attributes.ApproximateNumberOfMessages, Attributes.ApproximateNumberOfMessagesNotVisible]).toEqual(['0', '0']);
  });

  it('refuses a malformed receipt handle with ReceiptHandleIsInvalid', async () => {
    const { tenant, QueueUrl } = await tenantWithQueue();
    const response = await tenant.call('DeleteMessage', { QueueUrl, ReceiptHandle: 'not-a-handle' });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('ReceiptHandleIsInvalid');
    expect(response.headers.get('x-amzn-query-error')).toBe('ReceiptHandleIsInvalid;Sender');
  });
});
