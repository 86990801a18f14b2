// End to end: functions on a real `wrangler dev` call faasbox's services with the preinstalled AWS
// SDK for JavaScript v3 (docs/SDK.md), not bundled, with their role's credentials from the
// environment: S3 objects (and IAM's refusal where the role lacks the permission), an SQS message,
// an SNS publish, a Lambda invoke, a CloudWatch Logs call and a multipart lib-storage Upload; by
// import and by require; a function's own copy of a client wins.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { useDevServer } from './support/harness';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer({ shared: true });
let lambda: LambdaClient;
let s3: S3Client;
let sqs: SQSClient;

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'functions');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
/** Bucket names are global: this file's carry its account id. */
const bucket = (name: string) => `${name}-${server.accountId}`;

beforeAll(() => {
  lambda = server.client(LambdaClient);
  s3 = server.client(S3Client, { forcePathStyle: true } as object);
  sqs = server.client(SQSClient);
});

async function createFunction(name: string, files: Record<string, string>, handler: string, role = ROLE): Promise<void> {
  // The SDK's first import is a cold start of its own (docs/SDK.md, "Costs"): a timeout to match.
  await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Role: role, Handler: handler, Timeout: 60, MemorySize: 128, Code: { ZipFile: zipOf(files) } }));
}

/** Invokes `name` with `event` (RequestResponse) and answers its parsed payload; a function error fails the test. */
async function invoke(name: string, event: unknown): Promise<Record<string, unknown>> {
  const answer = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(event), LogType: 'Tail' }));
  const payload = JSON.parse(new TextDecoder().decode(answer.Payload));
  if (answer.FunctionError) throw new Error(`${name} failed: ${JSON.stringify(payload)}\n${Buffer.from(answer.LogResult ?? '', 'base64').toString()}`);
  return payload;
}

const CALLS = { 'index.mjs': fixture('aws-sdk-calls.mjs') };

describe('the preinstalled @aws-sdk/client-s3 in a function', () => {
  it('puts, gets (as a string and as bytes) and lists objects by import, with the role credentials', async () => {
    const name = bucket('sdk-fn');
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    await createFunction('sdk-calls', CALLS, 'index.handler');
    expect(await invoke('sdk-calls', { op: 's3', bucket: name })).toEqual({
      text: 'hello from a function',
      contentType: 'text/plain',
      bytes: [0, 1, 2, 253, 254, 255],
      keys: ['notes/bytes.bin', 'notes/hello.txt'],
    });
    // What the function wrote is there for any S3 client.
    expect(await (await s3.send(new GetObjectCommand({ Bucket: name, Key: 'notes/hello.txt' }))).Body!.transformToString()).toBe('hello from a function');
  });

  it('works by require from CommonJS, found at /var/runtime/node_modules', async () => {
    const name = bucket('sdk-require');
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    await createFunction('sdk-require', { 'index.js': fixture('aws-sdk-require.js') }, 'index.handler');
    expect(await invoke('sdk-require', { bucket: name, key: 'r.txt' })).toEqual({ text: 'required, not bundled', resolved: '/var/runtime/node_modules/@aws-sdk/client-s3/index.js' });
    // Again in the warm environment: the SDK's streams still run after an invocation ended.
    expect(await invoke('sdk-require', { bucket: name, key: 'again.txt' })).toEqual({ text: 'required, not bundled', resolved: '/var/runtime/node_modules/@aws-sdk/client-s3/index.js' });
  });

  it("is refused by IAM where the function's role lacks the permission, with S3's AccessDenied", async () => {
    const name = bucket('sdk-denied');
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    const iam = server.client(IAMClient);
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const roleArn = (await iam.send(new CreateRoleCommand({ RoleName: 'sdk-reader', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
    await iam.send(new PutRolePolicyCommand({
      RoleName: 'sdk-reader', PolicyName: 'read',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }] }),
    }));
    await createFunction('sdk-denied', CALLS, 'index.handler', roleArn);
    const answer = await invoke('sdk-denied', { op: 's3Put', bucket: name, key: 'no.txt' });
    expect(answer).toEqual({
      error: {
        name: 'AccessDenied',
        message: `User: arn:aws:sts::${server.accountId}:assumed-role/sdk-reader/sdk-denied is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::${name}/no.txt because no identity-based policy allows the s3:PutObject action`,
        status: 403,
      },
    });
  });

  it("loses to the function's own copy under node_modules/@aws-sdk/client-s3", async () => {
    await createFunction('sdk-own-copy', {
      'index.mjs': "import { S3Client } from '@aws-sdk/client-s3'; export const handler = async () => ({ origin: new S3Client().origin });",
      'node_modules/@aws-sdk/client-s3/package.json': '{"name":"@aws-sdk/client-s3","type":"module","main":"index.js"}',
      'node_modules/@aws-sdk/client-s3/index.js': "export class S3Client { origin = 'bundled by the function'; }",
    }, 'index.handler');
    expect(await invoke('sdk-own-copy', {})).toEqual({ origin: 'bundled by the function' });
  });
});

describe('the other preinstalled clients in a function', () => {
  it('sends an SQS message, publishes to an SNS topic and invokes another function', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'sdk-inbox' }));
    const sns = server.client(SNSClient);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'sdk-news' }));
    const { QueueUrl: newsUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'sdk-news-copy' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:${server.region}:${server.accountId}:sdk-news-copy`, Attributes: { RawMessageDelivery: 'true' } }));
    await createFunction('sdk-others', CALLS, 'index.handler');
    await createFunction('sdk-echo', { 'index.js': 'exports.handler = async (event) => ({ echoed: event });' }, 'index.handler');

    const messageId = expect.stringMatching(/^[0-9a-f-]{36}$/);
    expect(await invoke('sdk-others', { op: 'sqs', queueUrl: QueueUrl, body: 'queued by the SDK' })).toEqual({ messageId });
    expect(await invoke('sdk-others', { op: 'sns', topicArn: TopicArn, message: 'published by the SDK' })).toEqual({ messageId });
    expect(await receiveBodies(QueueUrl!, 1)).toEqual(['queued by the SDK']);
    expect(await receiveBodies(newsUrl!, 1)).toEqual(['published by the SDK']);

    expect(await invoke('sdk-others', { op: 'lambda', functionName: 'sdk-echo', payload: { n: 7 } })).toEqual({ statusCode: 200, executedVersion: '$LATEST', payload: { echoed: { n: 7 } } });
  });

  it("describes the function's own log group with the CloudWatch Logs client", async () => {
    await createFunction('sdk-logs', CALLS, 'index.handler');
    // The first invocation writes the function's log group. (A DescribeLogGroups made during that
    // first invocation, while the group is being made, does not return: a LogStore matter of its own.)
    await invoke('sdk-logs', { op: 'none' });
    expect(await invoke('sdk-logs', { op: 'logs', prefix: '/aws/lambda/sdk-logs' })).toEqual({ names: ['/aws/lambda/sdk-logs'] });
  });

  it('uploads a body of more than 5 MB with lib-storage as a multipart upload', async () => {
    const name = bucket('sdk-upload');
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    await createFunction('sdk-upload', CALLS, 'index.handler');
    const answer = await invoke('sdk-upload', { op: 'upload', bucket: name, key: 'big.bin', megabytes: 6 });
    expect(answer).toMatchObject({ key: 'big.bin', parts: 2 });
    expect(answer.eTag).toMatch(/^"[0-9a-f]{32}-2"$/);
    const head = await s3.send(new HeadObjectCommand({ Bucket: name, Key: 'big.bin' }));
    expect(head.ContentLength).toBe(6 * 1024 * 1024);
    expect(head.ETag).toBe(answer.eTag);
  });
});

async function receiveBodies(url: string, count: number): Promise<string[]> {
  const bodies: string[] = [];
  for (let attempt = 0; attempt < 30 && bodies.length < count; attempt++) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    bodies.push(...Messages.map((m) => m.Body!));
  }
  return bodies;
}
