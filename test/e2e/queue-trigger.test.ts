// End to end: a queue trigger on a real `wrangler dev`. @aws-sdk/client-lambda maps a queue to a
// function, @aws-sdk/client-sqs sends to it, and the function's log (read with
// @aws-sdk/client-cloudwatch-logs) shows the SQS event it received; a poisoned message ends in
// the queue's dead-letter queue. The AWS CLI v2 runs the README's commands.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CreateEventSourceMappingCommand, CreateFunctionCommand, DeleteEventSourceMappingCommand, GetEventSourceMappingCommand, LambdaClient,
  ListEventSourceMappingsCommand, ResourceNotFoundException, UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { SQSEvent } from 'aws-lambda';
import { useDevServer } from './support/harness';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer({ shared: true });
let lambda: LambdaClient;
let sqs: SQSClient;
let cwl: CloudWatchLogsClient;

beforeAll(() => {
  lambda = server.client(LambdaClient);
  sqs = server.client(SQSClient);
  cwl = server.client(CloudWatchLogsClient);
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const logLines = async (functionName: string, term: string) =>
  ((await cwl.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName}`, filterPattern: `"${term}"` })).catch(() => ({ events: [] }))).events ?? [])
    .map((e) => e.message!.split('\t').slice(3).join('\t').trim());

describe('@aws-sdk/client-lambda and @aws-sdk/client-sqs', () => {
  it('feeds a function from a queue: the function receives the SQS event, poison goes to the DLQ', async () => {
    const arn = (name: string) => `arn:aws:sqs:${server.region}:${server.accountId}:${name}`;
    const { QueueUrl: dlqUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'orders-dlq' }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '2' } }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('orders-dlq'), maxReceiveCount: 2 }) } }));
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'order-consumer', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Timeout: 2,
      Code: { ZipFile: zipOf({ 'index.js': `exports.handler = async (event) => {
        console.log('event ' + JSON.stringify(event));
        return { batchItemFailures: event.Records.filter((r) => r.body === 'poison').map((r) => ({ itemIdentifier: r.messageId })) };
      };` }) },
    }));

    const created = await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: 'order-consumer', EventSourceArn: arn('orders'), BatchSize: 5, FunctionResponseTypes: ['ReportBatchItemFailures'],
    }));
    expect(created.$metadata.httpStatusCode).toBe(202);
    expect(created).toMatchObject({ State: 'Creating', BatchSize: 5, EventSourceArn: arn('orders'), FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(created.LastModified).toBeInstanceOf(Date);
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State).toBe('Enabled');
    expect((await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'order-consumer' }))).EventSourceMappings?.map((m) => m.UUID)).toEqual([created.UUID]);

    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"order":1}', MessageAttributes: { source: { DataType: 'String', StringValue: 'e2e' } } }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison' }));

    const lines = await until(() => logLines('order-consumer', 'event '), (l) => l.some((line) => line.includes(sent.MessageId!)));
    const events = lines.map((line) => JSON.parse(line.slice('event '.length)) as SQSEvent);
    const record = events.flatMap((e) => e.Records).find((r) => r.messageId === sent.MessageId)!;
    expect(record).toMatchObject({
      body: '{"order":1}', md5OfBody: sent.MD5OfMessageBody, eventSource: 'aws:sqs', eventSourceARN: arn('orders'), awsRegion: server.region,
      attributes: { ApproximateReceiveCount: '1', SenderId: server.accessKeyId },
      messageAttributes: { source: { stringValue: 'e2e', dataType: 'String' } },
    });

    const dead = await until(() => sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 1 })), (r) => (r.Messages ?? []).length > 0);
    expect(dead.Messages?.map((m) => m.Body)).toEqual(['poison']);
    const counts = await until(() => sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] })),
      (r) => r.Attributes?.ApproximateNumberOfMessages === '0' && r.Attributes?.ApproximateNumberOfMessagesNotVisible === '0');
    expect(counts.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });

    expect((await lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: false }))).State).toBe('Disabling');
    expect((await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }))).State).toBe('Deleting');
    const gone = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID })).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('AWS CLI v2', () => {
  it('runs the README\'s queue trigger commands', () => {
    const aws = (...args: string[]) => JSON.parse(server.aws('--output', 'json', ...args) || '{}');
    aws('sqs', 'create-queue', '--queue-name', 'cli-jobs');
    aws('sqs', 'create-queue', '--queue-name', 'cli-jobs-dlq');
    aws('sqs', 'set-queue-attributes', '--queue-url', `${server.endpoint}/${server.accountId}/cli-jobs`,
      '--attributes', JSON.stringify({ RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${server.region}:${server.accountId}:cli-jobs-dlq`, maxReceiveCount: '5' }) }));
    const attributes = aws('sqs', 'get-queue-attributes', '--queue-url', `${server.endpoint}/${server.accountId}/cli-jobs`, '--attribute-names', 'RedrivePolicy');
    expect(JSON.parse(attributes.Attributes.RedrivePolicy)).toMatchObject({ maxReceiveCount: 5 });
    const created = aws('lambda', 'create-event-source-mapping', '--function-name', 'order-consumer',
      '--event-source-arn', `arn:aws:sqs:${server.region}:${server.accountId}:cli-jobs`, '--batch-size', '10', '--function-response-types', 'ReportBatchItemFailures');
    expect(created).toMatchObject({ State: 'Creating', FunctionResponseTypes: ['ReportBatchItemFailures'] });
    const listed = aws('lambda', 'list-event-source-mappings', '--function-name', 'order-consumer');
    expect(listed.EventSourceMappings.map((m: { UUID: string }) => m.UUID)).toContain(created.UUID);
    expect(aws('lambda', 'delete-event-source-mapping', '--uuid', created.UUID).State).toBe('Deleting');
  });
});
