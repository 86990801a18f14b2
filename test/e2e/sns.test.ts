// End to end: SNS topics on the shared `wrangler dev`, driven by @aws-sdk/client-sns (Query
// protocol), boto3 and the AWS CLI v2. A topic fans out to a function (allowed by its resource
// policy; its OnSuccess destination queue shows the SNS event it got) and to a queue with a
// filter policy; a failing function's dead-letter topic reaches a queue.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CreateTopicCommand, GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTopicsCommand,
  NotFoundException, InvalidParameterException, PublishBatchCommand, PublishCommand, SetSubscriptionAttributesCommand, SNSClient, SubscribeCommand,
} from '@aws-sdk/client-sns';
import { AddPermissionCommand, CreateFunctionCommand, InvokeCommand, LambdaClient, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { useDevServer } from './support/harness';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer({ shared: true });
let sns: SNSClient;
let lambda: LambdaClient;
let sqs: SQSClient;

beforeAll(() => {
  sns = server.client(SNSClient);
  lambda = server.client(LambdaClient);
  sqs = server.client(SQSClient);
});

async function queue(name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  return { url: QueueUrl!, arn: `arn:aws:sqs:${server.region}:${server.accountId}:${name}` };
}

/** Receives until `count` messages arrived (or 30 s passed). */
async function receive(url: string, count: number): Promise<{ Body?: string; MessageAttributes?: Record<string, { StringValue?: string }> }[]> {
  const got: { Body?: string }[] = [];
  const deadline = Date.now() + 30_000;
  while (got.length < count && Date.now() < deadline) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
    got.push(...Messages);
  }
  return got;
}

describe('@aws-sdk/client-sns', () => {
  it('fans a topic out to a function and to a queue with a filter policy', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'sdk-orders', Attributes: { DisplayName: 'Orders' }, Tags: [{ Key: 'team', Value: 'shop' }] }));
    expect(TopicArn).toBe(`arn:aws:sns:${server.region}:${server.accountId}:sdk-orders`);
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({ DisplayName: 'Orders', Owner: server.accountId, TopicArn, SubscriptionsConfirmed: '0' });
    expect((await sns.send(new ListTopicsCommand({}))).Topics).toContainEqual({ TopicArn });

    const records = await queue('sdk-fn-records');
    const big = await queue('sdk-big-orders');
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'sdk-subscriber', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler',
      Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async (event) => event.Records[0].Sns.Message;' }) },
    }));
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'sdk-subscriber', DestinationConfig: { OnSuccess: { Destination: records.arn } } }));
    await lambda.send(new AddPermissionCommand({ FunctionName: 'sdk-subscriber', StatementId: 'sns', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: TopicArn }));
    const functionArn = `arn:aws:lambda:${server.region}:${server.accountId}:function:sdk-subscriber`;
    const fnSub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: functionArn, ReturnSubscriptionArn: true }));
    const queueSub = await sns.send(new SubscribeCommand({
      TopicArn, Protocol: 'sqs', Endpoint: big.arn, Attributes: { FilterPolicy: JSON.stringify({ total: [{ numeric: ['>=', 100] }] }) },
    }));
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: queueSub.SubscriptionArn, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' }));
    expect((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: queueSub.SubscriptionArn }))).Attributes).toMatchObject({
      Protocol: 'sqs', Endpoint: big.arn, RawMessageDelivery: 'true', FilterPolicyScope: 'MessageAttributes', PendingConfirmation: 'false',
    });
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions).toHaveLength(2);

    const small = await sns.send(new PublishCommand({ TopicArn, Message: 'small order', Subject: 'order', MessageAttributes: { total: { DataType: 'Number', StringValue: '5' } } }));
    expect(small.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const batch = await sns.send(new PublishBatchCommand({
      TopicArn,
      PublishBatchRequestEntries: [
        { Id: 'large', Message: 'large order', MessageAttributes: { total: { DataType: 'Number', StringValue: '250' } } },
        { Id: 'empty', Message: '' },
      ],
    }));
    expect(batch.Successful?.map((s) => s.Id)).toEqual(['large']);
    expect(batch.Failed).toEqual([{ Id: 'empty', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message', SenderFault: true }]);

    // The queue's filter passes only the large order; the function gets both.
    expect((await receive(big.url, 1)).map((m) => m.Body)).toEqual(['large order']);
    const invocations = (await receive(records.url, 2)).map((m) => JSON.parse(m.Body!) as { requestPayload: { Records: { EventSubscriptionArn: string; Sns: Record<string, unknown> }[] }; responsePayload: string });
    expect(invocations.map((r) => r.responsePayload).sort()).toEqual(['large order', 'small order']);
    const smallEvent = invocations.find((r) => r.responsePayload === 'small order')!.requestPayload.Records[0]!;
    expect(smallEvent.EventSubscriptionArn).toBe(fnSub.SubscriptionArn);
    expect(smallEvent.Sns).toMatchObject({ Type: 'Notification', MessageId: small.MessageId, TopicArn, Subject: 'order', MessageAttributes: { total: { Type: 'Number', Value: '5' } } });
  });

  it('maps SNS\'s errors to the SDK\'s exception classes', async () => {
    const missing = await sns.send(new GetTopicAttributesCommand({ TopicArn: `arn:aws:sns:${server.region}:${server.accountId}:nope` })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundException);
    expect(missing).toMatchObject({ message: 'Topic does not exist', $metadata: { httpStatusCode: 404 } });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'sdk-errors' }));
    const email = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'someone@example.com' })).catch((e: unknown) => e);
    expect(email).toBeInstanceOf(InvalidParameterException);
  });

  it('sends a failed event to the function\'s dead-letter topic', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'sdk-dlq' }));
    const letters = await queue('sdk-dlq-letters');
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: letters.arn }));
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'sdk-broken', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', DeadLetterConfig: { TargetArn: TopicArn },
      Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => { throw new Error("corrupt image"); };' }) },
    }));
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'sdk-broken', MaximumRetryAttempts: 0 }));
    await lambda.send(new InvokeCommand({ FunctionName: 'sdk-broken', InvocationType: 'Event', Payload: JSON.stringify({ key: 'photo.jpg' }) }));
    const [letter] = await receive(letters.url, 1);
    const envelope = JSON.parse(letter!.Body!) as { Message: string; MessageAttributes: Record<string, { Value: string }> };
    expect(JSON.parse(envelope.Message)).toEqual({ key: 'photo.jpg' });
    expect(envelope.MessageAttributes.ErrorMessage!.Value).toBe('corrupt image');
  });
});

describe('boto3 and the AWS CLI v2', () => {
  it('creates, subscribes, publishes and lists with boto3', () => {
    const script = `
import boto3, json, sys
sns = boto3.client('sns', endpoint_url=sys.argv[1])
sqs = boto3.client('sqs', endpoint_url=sys.argv[1])
arn = sns.create_topic(Name='py-topic', Attributes={'DisplayName': 'Py'})['TopicArn']
url = sqs.create_queue(QueueName='py-sns-q')['QueueUrl']
queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['QueueArn'])['Attributes']['QueueArn']
sub = sns.subscribe(TopicArn=arn, Protocol='sqs', Endpoint=queue_arn, Attributes={'RawMessageDelivery': 'true', 'FilterPolicy': '{"color": ["red"]}'})['SubscriptionArn']
sns.publish(TopicArn=arn, Message='blue one', MessageAttributes={'color': {'DataType': 'String', 'StringValue': 'blue'}})
sns.publish(TopicArn=arn, Message='red one', MessageAttributes={'color': {'DataType': 'String', 'StringValue': 'red'}})
got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=2).get('Messages', [])
attrs = sns.get_topic_attributes(TopicArn=arn)['Attributes']
subs = sns.list_subscriptions_by_topic(TopicArn=arn)['Subscriptions']
try:
    sns.publish(TopicArn=arn + '-missing', Message='x')
    missing = None
except sns.exceptions.NotFoundException as e:
    missing = e.response['Error']['Code']
print(json.dumps({'arn': arn, 'sub': sub, 'bodies': [m['Body'] for m in got], 'attrs': attrs, 'subs': subs, 'missing': missing}))
`;
    const result = JSON.parse(server.boto3(script, server.endpoint));
    expect(result.arn).toBe(`arn:aws:sns:${server.region}:${server.accountId}:py-topic`);
    expect(result.bodies).toEqual(['red one']);
    expect(result.attrs).toMatchObject({ DisplayName: 'Py', SubscriptionsConfirmed: '1' });
    expect(result.subs).toEqual([{ SubscriptionArn: result.sub, Owner: server.accountId, Protocol: 'sqs', Endpoint: `arn:aws:sqs:${server.region}:${server.accountId}:py-sns-q`, TopicArn: result.arn }]);
    expect(result.missing).toBe('NotFound');
  });

  it('creates a topic and publishes with aws sns', () => {
    const created = JSON.parse(server.aws('sns', 'create-topic', '--name', 'cli-topic', '--output', 'json')) as { TopicArn: string };
    expect(created.TopicArn).toBe(`arn:aws:sns:${server.region}:${server.accountId}:cli-topic`);
    const published = JSON.parse(server.aws('sns', 'publish', '--topic-arn', created.TopicArn, '--message', 'hello from the CLI', '--output', 'json')) as { MessageId: string };
    expect(published.MessageId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
