// End to end: S3 event notifications and code from S3 on the shared `wrangler dev` (docs/S3.md),
// driven by Debian's AWS CLI v2, boto3 and the SDK: a suffix filter lets only matching keys reach
// a function (its log shows S3's record), removals fire, a queue and a topic get the records,
// S3's refusal of a function that does not allow it, create-function and update-function-code
// and a layer from S3, and a stranger account refused on the bucket and on its function.
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { useDevServer } from './support/harness';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer({ shared: true });
/** Another account on the same server: a stranger to `server`'s buckets and functions. */
const stranger = useDevServer({ shared: true });
let s3: S3Client;
let lambda: LambdaClient;
let logs: CloudWatchLogsClient;
let sqs: SQSClient;

const bucket = (name: string) => `${name}-${server.accountId}`;
const RECORDER = 'exports.handler = async (event) => { console.log("EVENT " + JSON.stringify(event)); };';

beforeAll(() => {
  s3 = server.client(S3Client, { forcePathStyle: true } as object);
  lambda = server.client(LambdaClient);
  logs = server.client(CloudWatchLogsClient);
  sqs = server.client(SQSClient);
});

/** The events function `name` logged, once at least `count` arrived (or 60 s passed). */
async function loggedEvents(name: string, count: number): Promise<any[]> {
  const deadline = Date.now() + 60_000;
  let events: any[] = [];
  while (Date.now() < deadline) {
    const found = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${name}`, filterPattern: 'EVENT' })).catch(() => ({ events: [] }));
    events = (found.events ?? []).filter((e) => e.message?.includes('EVENT ')).map((e) => JSON.parse(e.message!.slice(e.message!.indexOf('EVENT ') + 6)));
    if (events.length >= count) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return events;
}

/** Receives (and deletes) until `count` messages arrived (or 30 s passed). */
async function receive(url: string, count: number): Promise<string[]> {
  const bodies: string[] = [];
  const deadline = Date.now() + 30_000;
  while (bodies.length < count && Date.now() < deadline) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const m of Messages) {
      bodies.push(m.Body!);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
    }
  }
  return bodies;
}

const cliError = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return String((error as { stderr?: string }).stderr);
  }
  throw new Error('the command succeeded');
};

describe('notifications to a function (AWS CLI)', () => {
  it('fires only for keys the suffix filter matches, on upload and removal, with S3\'s record', async () => {
    const name = bucket('cli-photos');
    const functionArn = `arn:aws:lambda:${server.region}:${server.accountId}:function:cli-on-photo`;
    server.aws('s3', 'mb', `s3://${name}`);
    writeFileSync(join(server.workDir, 'recorder.zip'), zipOf({ 'index.js': RECORDER }));
    server.aws('lambda', 'create-function', '--function-name', 'cli-on-photo', '--runtime', 'nodejs22.x', '--role', ROLE, '--handler', 'index.handler', '--zip-file', 'fileb://recorder.zip');
    const configuration = {
      LambdaFunctionConfigurations: [{
        Id: 'jpg-to-fn', LambdaFunctionArn: functionArn, Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
        Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.jpg' }] } },
      }],
    };
    writeFileSync(join(server.workDir, 'notification.json'), JSON.stringify(configuration));
    const put = ['s3api', 'put-bucket-notification-configuration', '--bucket', name, '--notification-configuration', 'file://notification.json'];
    expect(cliError(() => server.aws(...put))).toContain(
      'An error occurred (InvalidArgument) when calling the PutBucketNotificationConfiguration operation: Unable to validate the following destination configurations',
    );
    server.aws('lambda', 'add-permission', '--function-name', 'cli-on-photo', '--statement-id', 's3', '--action', 'lambda:InvokeFunction',
      '--principal', 's3.amazonaws.com', '--source-arn', `arn:aws:s3:::${name}`, '--source-account', server.accountId);
    server.aws(...put);
    expect(JSON.parse(server.aws('s3api', 'get-bucket-notification-configuration', '--bucket', name))).toEqual({
      LambdaFunctionConfigurations: [{ ...configuration.LambdaFunctionConfigurations[0], Filter: { Key: { FilterRules: [{ Name: 'Suffix', Value: '.jpg' }] } } }],
    });

    writeFileSync(join(server.workDir, 'photo.jpg'), 'not really a jpeg');
    writeFileSync(join(server.workDir, 'notes.txt'), 'plain text');
    server.aws('s3', 'cp', 'photo.jpg', `s3://${name}/summer holiday/photo.jpg`);
    server.aws('s3', 'cp', 'notes.txt', `s3://${name}/notes.txt`);
    server.aws('s3', 'rm', `s3://${name}/summer holiday/photo.jpg`);
    server.aws('s3', 'rm', `s3://${name}/notes.txt`);
    const events = await loggedEvents('cli-on-photo', 2);
    expect(events).toHaveLength(2);
    const byName = Object.fromEntries(events.map((e) => [e.Records[0].eventName, e.Records[0]]));
    expect(Object.keys(byName).sort()).toEqual(['ObjectCreated:Put', 'ObjectRemoved:Delete']);
    expect(byName['ObjectCreated:Put']).toEqual({
      eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: server.region, eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      eventName: 'ObjectCreated:Put', userIdentity: { principalId: expect.stringMatching(/^AWS:/) }, requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': expect.any(String), 'x-amz-id-2': expect.any(String) },
      s3: {
        s3SchemaVersion: '1.0', configurationId: 'jpg-to-fn',
        bucket: { name, ownerIdentity: { principalId: server.accountId }, arn: `arn:aws:s3:::${name}` },
        object: { key: 'summer+holiday/photo.jpg', size: 17, eTag: createHash('md5').update('not really a jpeg').digest('hex'), sequencer: expect.stringMatching(/^[0-9A-F]+$/) },
      },
    });
    expect(byName['ObjectRemoved:Delete'].s3.object).toEqual({ key: 'summer+holiday/photo.jpg', sequencer: expect.stringMatching(/^[0-9A-F]+$/) });
  });
});

describe('notifications to a queue and a topic (SDK)', () => {
  it('sends {"Records": [...]} to the queue and publishes to the topic with S3\'s subject, after S3\'s test event', async () => {
    const name = bucket('sdk-fanout');
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    const direct = (await sqs.send(new CreateQueueCommand({ QueueName: 's3-direct' }))).QueueUrl!;
    const viaTopic = (await sqs.send(new CreateQueueCommand({ QueueName: 's3-via-topic' }))).QueueUrl!;
    const queueArn = (queue: string) => `arn:aws:sqs:${server.region}:${server.accountId}:${queue}`;
    const sns = server.client(SNSClient);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 's3-uploads' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('s3-via-topic') }));
    await s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket: name,
      NotificationConfiguration: {
        QueueConfigurations: [{ Id: 'uploads', QueueArn: queueArn('s3-direct'), Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }] } } }],
        TopicConfigurations: [{ Id: 'removals', TopicArn, Events: ['s3:ObjectRemoved:*'] }],
      },
    }));
    expect(JSON.parse((await receive(direct, 1))[0])).toMatchObject({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: name });
    const test = JSON.parse((await receive(viaTopic, 1))[0]);
    expect([test.Subject, JSON.parse(test.Message).Event]).toEqual(['Amazon S3 Notification', 's3:TestEvent']);

    await s3.send(new PutObjectCommand({ Bucket: name, Key: 'in/a.csv', Body: 'a,b' }));
    await s3.send(new PutObjectCommand({ Bucket: name, Key: 'out/b.csv', Body: 'c,d' }));
    server.aws('s3', 'rm', `s3://${name}/in/a.csv`);
    const queued = (await receive(direct, 1)).map((body) => JSON.parse(body).Records);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toHaveLength(1);
    expect(queued[0][0]).toMatchObject({ eventName: 'ObjectCreated:Put', s3: { configurationId: 'uploads', bucket: { name }, object: { key: 'in/a.csv', size: 3 } } });
    const published = JSON.parse((await receive(viaTopic, 1))[0]);
    expect(published).toMatchObject({ Type: 'Notification', TopicArn, Subject: 'Amazon S3 Notification' });
    expect(JSON.parse(published.Message).Records[0]).toMatchObject({ eventName: 'ObjectRemoved:Delete', s3: { configurationId: 'removals', object: { key: 'in/a.csv' } } });
  });
});

describe('S3\'s refusal (boto3)', () => {
  it('names each destination it could not validate', () => {
    const name = bucket('boto3-refused');
    const script = `
import boto3, json, sys
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=sys.argv[1], config=Config(signature_version='s3v4', s3={'addressing_style': 'path'}))
s3.create_bucket(Bucket=sys.argv[2])
try:
    s3.put_bucket_notification_configuration(Bucket=sys.argv[2], NotificationConfiguration={
        'LambdaFunctionConfigurations': [{'LambdaFunctionArn': sys.argv[3], 'Events': ['s3:ObjectCreated:*']}]})
    print(json.dumps({'error': None}))
except s3.exceptions.ClientError as e:
    print(json.dumps({'error': e.response['Error'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}))
`;
    const missing = `arn:aws:lambda:${server.region}:${server.accountId}:function:no-such-function`;
    const out = JSON.parse(server.boto3(script, server.endpoint, name, missing));
    expect(out.status).toBe(400);
    expect(out.error).toMatchObject({
      Code: 'InvalidArgument', Message: 'Unable to validate the following destination configurations',
      ArgumentName1: missing, ArgumentValue1: 'The destination Lambda does not exist',
    });
  });
});

describe('code from S3 (AWS CLI)', () => {
  it('creates a function, updates its code and publishes a layer from a bucket', async () => {
    const name = bucket('cli-builds');
    server.aws('s3', 'mb', `s3://${name}`);
    writeFileSync(join(server.workDir, 'v1.zip'), zipOf({ 'index.js': 'exports.handler = async () => "v1";' }));
    writeFileSync(join(server.workDir, 'v2.zip'), zipOf({ 'index.js': 'exports.handler = async () => "v2";' }));
    server.aws('s3', 'cp', 'v1.zip', `s3://${name}/builds/v1.zip`);
    server.aws('s3', 'cp', 'v2.zip', `s3://${name}/builds/v2.zip`);
    const created = JSON.parse(server.aws('lambda', 'create-function', '--function-name', 'from-s3', '--runtime', 'nodejs22.x', '--role', ROLE,
      '--handler', 'index.handler', '--code', `S3Bucket=${name},S3Key=builds/v1.zip`));
    expect(created.FunctionName).toBe('from-s3');
    const invoke = () => {
      server.aws('lambda', 'invoke', '--function-name', 'from-s3', 'out.json');
      return readFileSync(join(server.workDir, 'out.json'), 'utf8');
    };
    expect(invoke()).toBe('"v1"');
    server.aws('lambda', 'update-function-code', '--function-name', 'from-s3', '--s3-bucket', name, '--s3-key', 'builds/v2.zip');
    expect(invoke()).toBe('"v2"');
    const layer = JSON.parse(server.aws('lambda', 'publish-layer-version', '--layer-name', 'from-s3', '--content', `S3Bucket=${name},S3Key=builds/v1.zip`));
    expect(layer.Version).toBe(1);
    expect(cliError(() => server.aws('lambda', 'update-function-code', '--function-name', 'from-s3', '--s3-bucket', name, '--s3-key', 'builds/missing.zip'))).toContain(
      'An error occurred (InvalidParameterValueException) when calling the UpdateFunctionCode operation: Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.',
    );
  });
});

describe('another account', () => {
  it('is refused the bucket and code from it, and a bucket reaches its function only with its grant', async () => {
    const name = bucket('private');
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    await s3.send(new PutObjectCommand({ Bucket: name, Key: 'fn.zip', Body: zipOf({ 'index.js': RECORDER }) }));
    const theirS3 = stranger.client(S3Client, { forcePathStyle: true } as object);
    const read = await theirS3.send(new GetObjectCommand({ Bucket: name, Key: 'fn.zip' })).catch((e: S3ServiceException) => e);
    expect((read as S3ServiceException).name).toBe('AccessDenied');
    const theirLambda = stranger.client(LambdaClient);
    const fromOurs = await theirLambda.send(new CreateFunctionCommand({
      FunctionName: 'stolen', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { S3Bucket: name, S3Key: 'fn.zip' },
    })).catch((e: Error) => e);
    expect([(fromOurs as Error).name, (fromOurs as Error).message]).toEqual([
      'AccessDeniedException',
      `Your access has been denied by S3, please make sure your request credentials have permission to GetObject for ${name}/fn.zip. S3 Error Code: AccessDenied. S3 Error Message: Access Denied`,
    ]);

    await theirLambda.send(new CreateFunctionCommand({ FunctionName: 'their-recorder', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.js': RECORDER }) } }));
    const theirFunction = `arn:aws:lambda:${server.region}:${stranger.accountId}:function:their-recorder`;
    const notification = { Bucket: name, NotificationConfiguration: { LambdaFunctionConfigurations: [{ LambdaFunctionArn: theirFunction, Events: ['s3:ObjectCreated:*' as const] }] } };
    const refused = await s3.send(new PutBucketNotificationConfigurationCommand(notification)).catch((e: S3ServiceException) => e);
    expect((refused as S3ServiceException).name).toBe('InvalidArgument');
    await theirLambda.send(new AddPermissionCommand({
      FunctionName: 'their-recorder', StatementId: 'from-partner', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceArn: `arn:aws:s3:::${name}`, SourceAccount: server.accountId,
    }));
    await s3.send(new PutBucketNotificationConfigurationCommand(notification));
    await s3.send(new PutObjectCommand({ Bucket: name, Key: 'hello.txt', Body: 'hi' }));
    const theirLogs = stranger.client(CloudWatchLogsClient);
    const deadline = Date.now() + 60_000;
    let messages: string[] = [];
    while (messages.length === 0 && Date.now() < deadline) {
      const found = await theirLogs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/their-recorder', filterPattern: 'EVENT' })).catch(() => ({ events: [] }));
      messages = (found.events ?? []).map((e) => e.message ?? '').filter((m) => m.includes('EVENT '));
      if (messages.length === 0) await new Promise((r) => setTimeout(r, 500));
    }
    expect(JSON.parse(messages[0].slice(messages[0].indexOf('EVENT ') + 6)).Records[0].s3).toMatchObject({ bucket: { name, ownerIdentity: { principalId: server.accountId } }, object: { key: 'hello.txt' } });
  });
});
