// End to end: tenant queues on a real `wrangler dev`, driven by @aws-sdk/client-sqs (JSON
// protocol; it verifies the body MD5s) and by boto3 1.26 (Query protocol), as tenants would.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand,
  ListQueuesCommand, PurgeQueueCommand, QueueDoesNotExist, ReceiveMessageCommand, SendMessageCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import { useDevServer } from './support/harness';

const server = useDevServer({ shared: true });
let sqs: SQSClient;

beforeAll(() => {
  sqs = server.client(SQSClient);
});

describe('@aws-sdk/client-sqs', () => {
  it('creates a queue, sends, receives (MD5 verified by the SDK) and deletes', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'sdk-queue', Attributes: { VisibilityTimeout: '5' } }));
    expect(QueueUrl).toBe(`${server.endpoint}/${server.accountId}/sdk-queue`);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'sdk-queue' }))).QueueUrl).toBe(QueueUrl);
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'sdk-' }))).QueueUrls).toEqual([QueueUrl]);

    const sent = await sqs.send(new SendMessageCommand({
      QueueUrl, MessageBody: 'héllo from the SDK 🌍',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' }, n: { DataType: 'Number', StringValue: '42' } },
    }));
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);

    const { Messages } = await sqs.send(new ReceiveMessageCommand({
      QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'],
    }));
    expect(Messages).toHaveLength(1);
    const [message] = Messages!;
    expect(message).toMatchObject({
      MessageId: sent.MessageId,
      Body: 'héllo from the SDK 🌍',
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' }, n: { DataType: 'Number', StringValue: '42' } },
      Attributes: { ApproximateReceiveCount: '1', SenderId: server.accessKeyId },
    });
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));

    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(Attributes).toMatchObject({
      QueueArn: `arn:aws:sqs:${server.region}:${server.accountId}:sdk-queue`,
      VisibilityTimeout: '5',
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'to purge' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
  });

  it('long polling returns when a message arrives', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'sdk-poll' }));
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'late' }));
    // An empty answer would mean the poll ran out its wait: the message sent during it is in the answer.
    expect((await polling).Messages?.[0].Body).toBe('late');
  });

  it('throws QueueDoesNotExist, by name and by class', async () => {
    const error = await sqs.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueDoesNotExist);
    expect(error).toMatchObject({ name: 'QueueDoesNotExist', message: 'The specified queue does not exist.', $metadata: { httpStatusCode: 400 } });
    const other = await sqs.send(new SendMessageCommand({ QueueUrl: `${server.endpoint}/999999999999/foreign`, MessageBody: 'x' })).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(QueueDoesNotExist);
  });
});

describe('boto3 (Query protocol)', () => {
  it('creates a queue, sends, receives and deletes', () => {
    const script = `
import boto3, json, sys
client = boto3.client('sqs', endpoint_url=sys.argv[1])
url = client.create_queue(QueueName='py-queue')['QueueUrl']
sent = client.send_message(QueueUrl=url, MessageBody='from python', MessageAttributes={'k': {'DataType': 'String', 'StringValue': 'v'}})
got = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, AttributeNames=['All'], MessageAttributeNames=['All'])['Messages']
client.delete_message(QueueUrl=url, ReceiptHandle=got[0]['ReceiptHandle'])
after = client.receive_message(QueueUrl=url).get('Messages', [])
attrs = client.get_queue_attributes(QueueUrl=url, AttributeNames=['ApproximateNumberOfMessages'])['Attributes']
try:
    client.get_queue_url(QueueName='missing')
    missing = False
except client.exceptions.QueueDoesNotExist:
    missing = True
print(json.dumps({'url': url, 'sent': sent['MessageId'], 'md5': sent['MD5OfMessageBody'], 'got': got, 'after': after, 'attrs': attrs, 'missing': missing}))
`;
    const result = JSON.parse(server.boto3(script, server.endpoint));
    expect(result.url).toBe(`${server.endpoint}/${server.accountId}/py-queue`);
    expect(result.md5).toBe('fca899faf9ffa43c174a8e1237e222e2');
    expect(result.got).toHaveLength(1);
    expect(result.got[0]).toMatchObject({
      MessageId: result.sent,
      Body: 'from python',
      MD5OfBody: result.md5,
      Attributes: { ApproximateReceiveCount: '1' },
      MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
    });
    expect(result.after).toEqual([]);
    expect(result.attrs).toEqual({ ApproximateNumberOfMessages: '0' });
    expect(result.missing).toBe(true);
  });
});
