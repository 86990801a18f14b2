// sendToQueueArn: the path by which async invocations deliver dead letters and destination
// records into a tenant's queue, without HTTP.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { isQueueArn, parseQueueArn, sendToQueueArn } from '../../../src/queues/deliver';
import { createSqsTenant } from './sqs-client';

describe('queue ARNs', () => {
  it('recognises and parses SQS queue ARNs only', () => {
    expect(isQueueArn('arn:aws:sqs:us-east-1:123456789012:dlq')).toBe(true);
    expect(parseQueueArn('arn:aws:sqs:eu-west-2:123456789012:my_q-1')).toEqual({ region: 'eu-west-2', accountId: '123456789012', name: 'my_q-1' });
    for (const arn of ['arn:aws:lambda:us-east-1:123456789012:function:f', 'arn:aws:sqs:us-east-1:1234:q', 'arn:aws:sqs:us-east-1:123456789012:', 'dlq']) {
      expect(isQueueArn(arn), arn).toBe(false);
      expect(parseQueueArn(arn), arn).toBeUndefined();
    }
  });
});

describe('sendToQueueArn', () => {
  it('delivers a message with attributes that the tenant then receives', async () => {
    const tenant = await createSqsTenant();
    const { QueueUrl } = await tenant.ok('CreateQueue', { QueueName: 'dlq' });
    const sent = await sendToQueueArn(env, tenant.accountId, 'us-east-1', `arn:aws:sqs:us-east-1:${tenant.accountId}:dlq`, '{"event":1}', {
      RequestID: { DataType: 'String', StringValue: 'req-1' },
      ErrorCode: { DataType: 'Number', StringValue: '200' },
    });
    expect(sent).toEqual({ ok: true, messageId: expect.any(String) });
    const { Messages } = await tenant.ok('ReceiveMessage', { QueueUrl, MessageAttributeNames: ['All'], AttributeNames: ['SenderId'] });
    expect(Messages[0]).toMatchObject({
      MessageId: sent.ok && sent.messageId,
      Body: '{"event":1}',
      MessageAttributes: { RequestID: { DataType: 'String', StringValue: 'req-1' }, ErrorCode: { DataType: 'Number', StringValue: '200' } },
      Attributes: { SenderId: tenant.accountId },
    });
  });

  it('refuses another account\'s or region\'s queue, a missing queue and a malformed ARN', async () => {
    const owner = await createSqsTenant('owner');
    const other = await createSqsTenant('other');
    await owner.ok('CreateQueue', { QueueName: 'dlq' });
    const ownerArn = `arn:aws:sqs:us-east-1:${owner.accountId}:dlq`;
    expect(await sendToQueueArn(env, other.accountId, 'us-east-1', ownerArn, 'x')).toEqual({ ok: false, reason: 'not-found' });
    expect(await sendToQueueArn(env, owner.accountId, 'eu-west-1', ownerArn, 'x')).toEqual({ ok: false, reason: 'not-found' });
    expect(await sendToQueueArn(env, owner.accountId, 'us-east-1', `arn:aws:sqs:us-east-1:${owner.accountId}:gone`, 'x')).toEqual({ ok: false, reason: 'not-found' });
    expect(await sendToQueueArn(env, owner.accountId, 'us-east-1', 'arn:aws:sns:us-east-1:123456789012:topic', 'x')).toEqual({ ok: false, reason: 'invalid-arn' });
    expect(await owner.ok('ReceiveMessage', { QueueUrl: owner.url('dlq') })).toEqual({});
  });

  it('reports a message the queue refuses (too large) as invalid-message', async () => {
    const tenant = await createSqsTenant();
    await tenant.ok('CreateQueue', { QueueName: 'small', Attributes: { MaximumMessageSize: '1024' } });
    const sent = await sendToQueueArn(env, tenant.accountId, 'us-east-1', `arn:aws:sqs:us-east-1:${tenant.accountId}:small`, 'x'.repeat(2000));
    expect(sent).toEqual({ ok: false, reason: 'invalid-message' });
  });
});
