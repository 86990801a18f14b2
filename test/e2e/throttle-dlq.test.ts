// The classic throttle test, end to end as a user runs it: reserved concurrency 0 answers
// "Rate Exceeded", an async event goes to the function's dead-letter queue, and the SQS client
// reads it from there.
import { beforeAll, expect, it } from 'vitest';
import {
  CreateFunctionCommand, GetAccountSettingsCommand, InvokeCommand, LambdaClient, PutFunctionConcurrencyCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { useDevServer } from './support/harness';
import { ROLE, zipOf } from './support/bundles';
import { receiveDelivered } from './support/queues';

const server = useDevServer({ shared: true });
let lambda: LambdaClient;
let sqs: SQSClient;

beforeAll(() => {
  lambda = server.client(LambdaClient);
  sqs = server.client(SQSClient);
});

it('reserved concurrency 0: sync calls get Rate Exceeded, async events land in the DLQ', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'throttled-dlq' }));
  await lambda.send(new CreateFunctionCommand({
    FunctionName: 'throttled', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler',
    Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => "ran";' }) },
    DeadLetterConfig: { TargetArn: `arn:aws:sqs:${server.region}:${server.accountId}:throttled-dlq` },
  }));
  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'throttled', ReservedConcurrentExecutions: 0 }));
  const settings = await lambda.send(new GetAccountSettingsCommand({}));
  expect(settings.AccountLimit).toMatchObject({ ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 });

  const error = await lambda.send(new InvokeCommand({ FunctionName: 'throttled' })).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TooManyRequestsException);
  expect(error).toMatchObject({ message: 'Rate Exceeded.', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', $metadata: { httpStatusCode: 429 } });

  const accepted = await lambda.send(new InvokeCommand({ FunctionName: 'throttled', InvocationType: 'Event', Payload: new TextEncoder().encode('{"order":42}') }));
  expect(accepted.StatusCode).toBe(202);
  const messages = await receiveDelivered(sqs, QueueUrl!);
  expect(messages).toHaveLength(1);
  expect(JSON.parse(messages[0].Body!)).toEqual({ order: 42 });
  expect(messages[0].MessageAttributes?.RequestID?.StringValue).toBe(accepted.$metadata.requestId);
});
