// SetQueueAttributes and the RedrivePolicy: a message received maxReceiveCount times moves to
// the queue's dead-letter queue on the next receive, as in SQS.
import { describe, expect, it } from 'vitest';
import { createSqsTenant, type SqsTenant } from './sqs-client';

const arnOf = (tenant: SqsTenant, name: string) => `arn:aws:sqs:us-east-1:${tenant.accountId}:${name}`;
const policy = (tenant: SqsTenant, dlq: string, maxReceiveCount: number | string) => JSON.stringify({ deadLetterTargetArn: arnOf(tenant, dlq), maxReceiveCount });

describe('SetQueueAttributes', () => {
  it('changes settings, reports them back, and keeps the ones not given', async () => {
    const tenant = await createSqsTenant();
    const { QueueUrl } = await tenant.ok('CreateQueue', { QueueName: 'q', Attributes: { DelaySeconds: '3' } });
    await tenant.ok('CreateQueue', { QueueName: 'dlq' });
    expect(await tenant.ok('SetQueueAttributes', { QueueUrl, Attributes: { VisibilityTimeout: '7', RedrivePolicy: policy(tenant, 'dlq', '4') } })).toEqual({});
    const { Attributes } = await tenant.ok('GetQueueAttributes', { QueueUrl, AttributeNames: ['All'] });
    expect(Attributes).toMatchObject({ VisibilityTimeout: '7', DelaySeconds: '3' });
    expect(JSON.parse(Attributes.RedrivePolicy)).toEqual({ deadLetterTargetArn: arnOf(tenant, 'dlq'), maxReceiveCount: 4 });
    await tenant.ok('SetQueueAttributes', { QueueUrl, Attributes: { RedrivePolicy: '' } });
    expect((await tenant.ok('GetQueueAttributes', { QueueUrl, AttributeNames: ['All'] })).Attributes.RedrivePolicy).toBeUndefined();
  });

  it('refuses a dead-letter queue that does not exist or belongs to another account, and malformed policies', async () => {
    const tenant = await createSqsTenant();
    const other = await createSqsTenant('other');
    await other.ok('CreateQueue', { QueueName: 'theirs' });
    const { QueueUrl } = await tenant.ok('CreateQueue', { QueueName: 'q' });
    const cases = [
      policy(tenant, 'missing', 3),
      JSON.stringify({ deadLetterTargetArn: arnOf(other, 'theirs'), maxReceiveCount: 3 }),
      policy(tenant, 'q', 0),
      policy(tenant, 'q', 1001),
      JSON.stringify({ deadLetterTargetArn: 'arn:aws:sns:us-east-1:123456789012:topic', maxReceiveCount: 3 }),
      'not json',
    ];
    for (const RedrivePolicy of cases) {
      const response = await tenant.call('SetQueueAttributes', { QueueUrl, Attributes: { RedrivePolicy } });
      expect(response.status, RedrivePolicy).toBe(400);
      expect(response.headers.get('x-amzn-errortype'), RedrivePolicy).toBe('InvalidParameterValue');
    }
    const created = await tenant.call('CreateQueue', { QueueName: 'q2', Attributes: { RedrivePolicy: policy(tenant, 'missing', 3) } });
    expect(created.headers.get('x-amzn-errortype')).toBe('InvalidParameterValue');
    const unknown = await tenant.call('SetQueueAttributes', { QueueUrl: tenant.url('nope'), Attributes: { VisibilityTimeout: '1' } });
    expect(unknown.headers.get('x-amzn-errortype')).toBe('QueueDoesNotExist');
  });

  it('works over the Query protocol too', async () => {
    const tenant = await createSqsTenant();
    await tenant.ok('CreateQueue', { QueueName: 'q' });
    const response = await tenant.query({ Action: 'SetQueueAttributes', QueueUrl: tenant.url('q'), 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '9' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<SetQueueAttributesResponse');
    expect((await tenant.ok('GetQueueAttributes', { QueueUrl: tenant.url('q'), AttributeNames: ['VisibilityTimeout'] })).Attributes).toEqual({ VisibilityTimeout: '9' });
  });
});

describe('RedrivePolicy', () => {
  it('hands a message out maxReceiveCount times, then moves it to the dead-letter queue with its id, body and attributes', async () => {
    const tenant = await createSqsTenant();
    const { QueueUrl: dlqUrl } = await tenant.ok('CreateQueue', { QueueName: 'dlq' });
    const { QueueUrl } = await tenant.ok('CreateQueue', { QueueName: 'work', Attributes: { RedrivePolicy: policy(tenant, 'dlq', 2) } });
    const sent = await tenant.ok('SendMessage', { QueueUrl, MessageBody: 'poison', MessageAttributes: { kind: { DataType: 'String', StringValue: 'bad' } } });
    for (const count of ['1', '2']) {
      const { Messages } = await tenant.ok('ReceiveMessage', { QueueUrl, VisibilityTimeout: 0, AttributeNames: ['ApproximateReceiveCount'] });
      expect(Messages).toHaveLength(1);
      expect(Messages[0].Attributes.ApproximateReceiveCount).toBe(count);
    }
    expect(await tenant.ok('ReceiveMessage', { QueueUrl })).toEqual({});
    const { Messages } = await tenant.ok('ReceiveMessage', { QueueUrl: dlqUrl, AttributeNames: ['All'], MessageAttributeNames: ['All'] });
    expect(Messages).toHaveLength(1);
    expect(Messages[0]).toMatchObject({ MessageId: sent.MessageId, Body: 'poison', MessageAttributes: { kind: { StringValue: 'bad' } } });
    expect(Messages[0].Attributes.ApproximateReceiveCount).toBe('1');
    const counts = (await tenant.ok('GetQueueAttributes', { QueueUrl, AttributeNames: ['All'] })).Attributes;
    expect([counts.ApproximateNumberOfMessages, counts.ApproximateNumberOfMessagesNotVisible]).toEqual(['0', '0']);
  });

  it('leaves messages in place while the dead-letter queue is gone', async () => {
    const tenant = await createSqsTenant();
    const { QueueUrl: dlqUrl } = await tenant.ok('CreateQueue', { QueueName: 'dlq' });
    const { QueueUrl } = await tenant.ok('CreateQueue', { QueueName: 'work', Attributes: { RedrivePolicy: policy(tenant, 'dlq', 1) } });
    await tenant.ok('SendMessage', { QueueUrl, MessageBody: 'm' });
    await tenant.ok('ReceiveMessage', { QueueUrl, VisibilityTimeout: 0 });
    await tenant.ok('DeleteQueue', { QueueUrl: dlqUrl });
    const { Messages } = await tenant.ok('ReceiveMessage', { QueueUrl, AttributeNames: ['ApproximateReceiveCount'] });
    expect(Messages[0].Attributes.ApproximateReceiveCount).toBe('2');
  });
});
