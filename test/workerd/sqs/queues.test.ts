// Queue lifecycle over the JSON protocol: create (idempotent), URL, listing, attributes, purge
// and delete, and the checks on names and attributes.
import { describe, expect, it } from 'vitest';
import { createSqsTenant } from './sqs-client';

describe('CreateQueue and GetQueueUrl', () => {
  it('creates a queue whose URL names the account and the queue', async () => {
    const tenant = await createSqsTenant();
    const created = await tenant.ok('CreateQueue', { QueueName: 'orders' });
    expect(created).toEqual({ QueueUrl: tenant.url('orders') });
    expect(await tenant.ok('GetQueueUrl', { QueueName: 'orders' })).toEqual({ QueueUrl: tenant.url('orders') });
  });

  it('returns the same queue when created again with the same attributes, and refuses different ones', async () => {
    const tenant = await createSqsTenant();
    await tenant.ok('CreateQueue', { QueueName: 'q', Attributes: { VisibilityTimeout: '10' } });
    expect(await tenant.ok('CreateQueue', { QueueName: 'q', Attributes: { VisibilityTimeout: '10' } })).toEqual({ QueueUrl: tenant.url('q') });
    const conflict = await tenant.call('CreateQueue', { QueueName: 'q', Attributes: { VisibilityTimeout: '11' } });
    expect(conflict.status).toBe(400);
    expect(conflict.headers.get('x-amzn-query-error')).toBe('QueueAlreadyExists;Sender');
    expect(await conflict.json()).toMatchObject({ __type: 'com.amazonaws.sqs#QueueNameExists' });
  });

  it('refuses invalid names, FIFO queues and unknown or out-of-range attributes', async () => {
    const tenant = await createSqsTenant();
    const cases: [unknown, string][] = [
      [{ QueueName: 'has space' }, 'InvalidParameterValue'],
      [{ QueueName: 'x'.repeat(81) }, 'InvalidParameterValue'],
      [{}, 'MissingParameter'],
      [{ QueueName: 'jobs.fifo' }, 'UnsupportedOperation'],
      [{ QueueName: 'jobs', Attributes: { FifoQueue: 'true' } }, 'UnsupportedOperation'],
      [{ QueueName: 'jobs', Attributes: { RedrivePolicy: '{}' } }, 'InvalidParameterValue'],
      [{ QueueName: 'jobs', Attributes: { Policy: '{}' } }, 'InvalidAttributeName'],
      [{ QueueName: 'jobs', Attributes: { DelaySeconds: '901' } }, 'InvalidAttributeValue'],
      [{ QueueName: 'jobs', Attributes: { MessageRetentionPeriod: '59' } }, 'InvalidAttributeValue'],
      [{ QueueName: 'jobs', Attributes: { VisibilityTimeout: 'soon' } }, 'InvalidAttributeValue'],
    ];
    for (const [input, code] of cases) {
      const response = await tenant.call('CreateQueue', input);
      expect(response.status, JSON.stringify(input)).toBe(400);
      expect(response.headers.get('x-amzn-errortype'), JSON.stringify(input)).toBe(code);
    }
    expect(await tenant.ok('ListQueues')).toEqual({});
  });

  it('accepts a name of exactly 80 characters', async () => {
    const tenant = await createSqsTenant();
    const name = 'a-_9'.repeat(20);
    expect((await tenant.ok('CreateQueue', { QueueName: name })).QueueUrl).toBe(tenant.url(name));
  });
});

describe('ListQueues', () => {
  it('lists by prefix, and pages only when MaxResults is given', async () => {
    const tenant = await createSqsTenant();
    for (const name of ['app-a', 'app-b', 'app-c', 'other']) await tenant.ok('CreateQueue', { QueueName: name });
    expect((await tenant.ok('ListQueues')).QueueUrls).toEqual(['app-a', 'app-b', 'app-c', 'other'].map(tenant.url));
    expect((await tenant.ok('ListQueues', { QueueNamePrefix: 'app-' })).QueueUrls).toEqual(['app-a', 'app-b', 'app-c'].map(tenant.url));
    const first = await tenant.ok('ListQueues', { QueueNamePrefix: 'app-', MaxResults: 2 });
    expect(first).toEqual({ QueueUrls: ['app-a', 'app-b'].map(tenant.url), NextToken: expect.any(String) });
    const second = await tenant.ok('ListQueues', { QueueNamePrefix: 'app-', MaxResults: 2, NextToken: first.NextToken });
    expect(second).toEqual({ QueueUrls: [tenant.url('app-c')] });
  });
});

describe('GetQueueAttributes', () => {
  it('reports defaults, the ARN, timestamps and message counts as strings', async () => {
    const tenant = await createSqsTenant();
    const before = Math.floor(Date.now() / 1000);
    const { QueueUrl } = await tenant.ok('CreateQueue', { QueueName: 'attrs' });
    await tenant.ok('SendMessage', { QueueUrl, MessageBody: 'one' });
    await tenant.ok('SendMessage', { QueueUrl, MessageBody: 'two' });
    await tenant.ok('SendMessage', { QueueUrl, MessageBody: 'later', DelaySeconds: 60 });
    await tenant.ok('ReceiveMessage', { QueueUrl });
    const { Attributes } = await tenant.ok('GetQueueAttributes', { QueueUrl, AttributeNames: ['All'] });
    expect(Attributes).toEqual({
      QueueArn: `arn:aws:sqs:us-east-1:${tenant.accountId}:attrs`,
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesNotVisible: '1',
      ApproximateNumberOfMessagesDelayed: '1',
      CreatedTimestamp: expect.stringMatching(/^\d+$/),
      LastModifiedTimestamp: expect.stringMatching(/^\d+$/),
      VisibilityTimeout: '30',
      MessageRetentionPeriod: '345600',
      DelaySeconds: '0',
      ReceiveMessageWaitTimeSeconds: '0',
      MaximumMessageSize: '262144',
    });
    expect(Number(Attributes.CreatedTimestamp)).toBeGreaterThanOrEqual(before);
  });

  it('returns only the names asked for, none without AttributeNames, and refuses unknown names', async () => {
    const tenant = await createSqsTenant();
    const { QueueUrl } = await tenant.ok('CreateQueue', { QueueName: 'q', Attributes: { DelaySeconds: '5' } });
    expect(await tenant.ok('GetQueueAttributes', { QueueUrl, AttributeNames: ['DelaySeconds', 'RedrivePolicy'] })).toEqual({ Attributes: { DelaySeconds: '5' } });
    expect(await tenant.ok('GetQueueAttributes', { QueueUrl })).toEqual({});
    const unknown = await tenant.call('GetQueueAttributes', { QueueUrl, AttributeNames: ['Colour'] });
    expect(unknown.headers.get('x-amzn-errortype')).toBe('InvalidAttributeName');
  });
});

describe('PurgeQueue and DeleteQueue', () => {
  it('purges every message but keeps the queue', async () => {
    const tenant = await createSqsTenant();
    const { QueueUrl } = await tenant.ok('CreateQueue', { QueueName: 'p' });
    for (let i = 0; i < 3; i++) await tenant.ok('SendMessage', { QueueUrl, MessageBody: `m${i}` });
    expect(await tenant.ok('PurgeQueue', { QueueUrl })).toEqual({});
    expect(await tenant.ok('ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10 })).toEqual({});
    expect((await tenant.ok('GetQueueUrl', { QueueName: 'p' })).QueueUrl).toBe(QueueUrl);
  });

  it('deletes the queue with its messages; it is then gone for every operation', async () => {
    const tenant = await createSqsTenant();
    const { QueueUrl } = await tenant.ok('CreateQueue', { QueueName: 'd' });
    await tenant.ok('SendMessage', { QueueUrl, MessageBody: 'x' });
    expect(await tenant.ok('DeleteQueue', { QueueUrl })).toEqual({});
    for (const [op, input] of [
      ['GetQueueUrl', { QueueName: 'd' }], ['DeleteQueue', { QueueUrl }], ['PurgeQueue', { QueueUrl }],
      ['SendMessage', { QueueUrl, MessageBody: 'x' }], ['ReceiveMessage', { QueueUrl }], ['GetQueueAttributes', { QueueUrl }],
    ] as const) {
      expect((await tenant.call(op, input)).headers.get('x-amzn-errortype'), op).toBe('QueueDoesNotExist');
    }
    // A new queue of the same name starts empty.
    await tenant.ok('CreateQueue', { QueueName: 'd' });
    expect(await tenant.ok('ReceiveMessage', { QueueUrl })).toEqual({});
  });
});
