// The console's "S3 thumbnails" blueprint (s3-thumbnail) in Chromium against `wrangler dev`: the
// page creates the bucket (with a sample JPEG it draws), the dead-letter queue, the topic with the
// queue subscribed, a new role with the inline policies, the function (jpeg-js in its zip), its
// async settings, S3's permission and the bucket's notification; its default test succeeds on the
// Test tab and writes thumbnails/sample.jpg. Then, with the SDK: an uploaded JPEG gets its
// thumbnail through the notification, and a corrupt one reaches the queue through the topic with
// its error. A creation that fails half way removes what it made when asked. axe, CSP and console
// errors checked; screenshots of the form and the result.
import { beforeAll, describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import { GetBucketNotificationConfigurationCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateFunctionCommand, GetFunctionConfigurationCommand, GetFunctionEventInvokeConfigCommand, GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ListSubscriptionsByTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import type { Page } from 'playwright-core';
import { useDevServer } from './support/harness';
import { useConsoleBrowser } from './support/console-browser';
import { ROLE, zipOf } from './support/bundles';

const server = useDevServer({ shared: true });
const browser = useConsoleBrowser(server, { shared: true });
const NAME = 'photo-thumbs';
const wait = { timeout: 60_000 };
let lambda: LambdaClient;
let s3: S3Client;
let sqs: SQSClient;
/** The bucket name the form proposed (the function's name and random characters). */
let bucket: string;

beforeAll(() => {
  lambda = server.client(LambdaClient);
  s3 = server.client(S3Client, { forcePathStyle: true } as object);
  sqs = server.client(SQSClient);
});

/** A `width` x `height` JPEG of a colour gradient. */
function photo(width: number, height: number): Uint8Array {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([(i % width) * 255 / width, Math.floor(i / width) * 255 / height, 128, 255], i * 4);
  return jpeg.encode({ width, height, data }, 90).data;
}

async function dimensionsOf(key: string): Promise<{ width: number; height: number }> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  expect(object.ContentType).toBe('image/jpeg');
  const { width, height } = jpeg.decode(await object.Body!.transformToByteArray());
  return { width, height };
}

/** Whether `key` exists, asked every second until it does (a notification's invocation is asynchronous). */
async function appears(key: string): Promise<boolean> {
  for (let attempt = 0; attempt < 90; attempt++) {
    if (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(() => true, () => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return false;
}

/** A new page on Create function with the S3 thumbnails blueprint chosen and `name` typed: the page and the bucket name it proposes. */
async function blueprintForm(name: string): Promise<{ page: Page; bucketName: string }> {
  const page = await browser.page();
  await browser.open(page, '/console/create');
  await expect.poll(() => page.getByRole('heading', { name: 'Create function', level: 1 }).isVisible(), wait).toBe(true);
  await page.getByRole('radio', { name: /^Use a blueprint/ }).check();
  await page.getByRole('radio', { name: /^S3 thumbnails/ }).check();
  await page.getByLabel('Function name').fill(name);
  return { page, bucketName: await page.getByLabel('Bucket name').inputValue() };
}

describe('the S3 thumbnails blueprint', () => {
  it('creates the bucket, topic, queue, role and function from the page, and its default test succeeds', async () => {
    const form = await blueprintForm(NAME);
    const page = form.page;
    bucket = form.bucketName;
    expect(bucket).toMatch(new RegExp(`^${NAME}-[a-z0-9]{8}$`));
    expect(await page.getByLabel('Dead-letter topic name').inputValue()).toBe(`${NAME}-failures`);
    expect(await page.getByLabel('Memory (MB)').inputValue()).toBe('256');
    expect(await page.getByLabel('Timeout (seconds)').inputValue()).toBe('60');
    expect(await page.getByText('Also in the zip: node_modules/jpeg-js').isVisible()).toBe(true);
    expect(await page.locator('.create-summary .plan').textContent()).toContain(`Permission: S3 may invoke the function for ${bucket}`);

    // The form checks a bucket name as S3 does before anything is sent.
    await page.getByLabel('Bucket name').fill('Not_A_Bucket');
    await page.getByRole('button', { name: 'Create function' }).click();
    await expect.poll(() => page.getByText('The specified bucket is not valid (InvalidBucketName)', { exact: false }).isVisible()).toBe(true);
    await page.getByLabel('Bucket name').fill(bucket);
    await page.getByLabel('Bucket name').scrollIntoViewIfNeeded();
    await browser.screenshot(page, 'blueprint-thumbnail-form');
    await browser.expectAccessible(page, 's3-thumbnail form');

    await page.getByRole('button', { name: 'Create function' }).click();
    await expect.poll(() => page.url(), wait).toMatch(new RegExp(`/console/functions/${NAME}/test$`));
    const saved = page.getByLabel('Saved event');
    await expect.poll(() => saved.locator('option', { hasText: 'blueprint-default' }).count(), wait).toBe(1);
    await saved.selectOption({ label: 'blueprint-default' });
    const event = JSON.parse(await page.getByLabel('Event JSON').inputValue()) as { Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string; size: number; eTag: string } } }[] };
    expect(event.Records[0]).toMatchObject({ eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key: 'sample.jpg' } } });
    // The record names the sample the page uploaded, as S3 stored it.
    const sample = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'sample.jpg' }));
    expect(event.Records[0]!.s3.object).toMatchObject({ size: sample.ContentLength, eTag: sample.ETag!.replace(/"/g, '') });

    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const result = page.locator('section.test-result');
    await expect.poll(() => result.getByText('Succeeded').isVisible(), wait).toBe(true);
    expect(await result.locator('.result-body').textContent()).toContain('thumbnails/sample.jpg');
    await browser.screenshot(page, 'blueprint-thumbnail-test');
    await browser.expectAccessible(page, 's3-thumbnail test result');
    browser.expectClean(page);
    await page.context().close();

    // The sample is 320 x 240: its thumbnail 128 pixels wide.
    expect(await dimensionsOf('thumbnails/sample.jpg')).toEqual({ width: 128, height: 96 });
  });

  it('configured the function, its permission and the notification as the blueprint says', async () => {
    const topicArn = `arn:aws:sns:${server.region}:${server.accountId}:${NAME}-failures`;
    const functionArn = `arn:aws:lambda:${server.region}:${server.accountId}:function:${NAME}`;
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: NAME }));
    expect(config).toMatchObject({ Runtime: 'nodejs22.x', Handler: 'index.handler', MemorySize: 256, Timeout: 60, DeadLetterConfig: { TargetArn: topicArn } });
    expect(await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: NAME }))).toMatchObject({ MaximumRetryAttempts: 0 });
    const { Policy } = await lambda.send(new GetPolicyCommand({ FunctionName: NAME }));
    expect(JSON.parse(Policy!).Statement).toEqual([expect.objectContaining({
      Principal: { Service: 's3.amazonaws.com' }, Action: 'lambda:InvokeFunction',
      Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:s3:::${bucket}` }, StringEquals: { 'AWS:SourceAccount': server.accountId } },
    })]);
    const notification = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    expect(notification.LambdaFunctionConfigurations).toEqual([expect.objectContaining({
      Id: 'thumbnails', LambdaFunctionArn: functionArn, Events: ['s3:ObjectCreated:*'],
      Filter: { Key: { FilterRules: [{ Name: 'Suffix', Value: '.jpg' }] } },
    })]);
    const sns = server.client(SNSClient);
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect(Subscriptions).toEqual([expect.objectContaining({ Protocol: 'sqs', Endpoint: `arn:aws:sqs:${server.region}:${server.accountId}:${NAME}-dlq` })]);
    // The new role's inline policies: the bucket's objects and the topic, nothing wider.
    const roleName = config.Role!.split('/').pop()!;
    const iam = server.client(IAMClient);
    const objects = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: `objects-of-${bucket}` }));
    expect(JSON.parse(decodeURIComponent(objects.PolicyDocument!)).Statement).toEqual([{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::${bucket}/*` }]);
    const publish = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'publish-to-dead-letter-topic' }));
    expect(JSON.parse(decodeURIComponent(publish.PolicyDocument!)).Statement).toEqual([{ Effect: 'Allow', Action: 'sns:Publish', Resource: topicArn }]);
  });

  it('makes the thumbnail of a JPEG uploaded with the SDK, through the bucket notification', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'holiday.jpg', Body: photo(256, 512), ContentType: 'image/jpeg' }));
    expect(await appears('thumbnails/holiday.jpg')).toBe(true);
    expect(await dimensionsOf('thumbnails/holiday.jpg')).toEqual({ width: 128, height: 256 });
  });

  it('sends a corrupt upload at once to the topic, whose queue gets SNS envelope with the error', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'broken.jpg', Body: new TextEncoder().encode('this is not a JPEG'), ContentType: 'image/jpeg' }));
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: `${NAME}-dlq` }));
    let body: string | undefined;
    for (let attempt = 0; attempt < 60 && !body; attempt++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
      body = Messages[0]?.Body;
    }
    expect(body).toBeDefined();
    const envelope = JSON.parse(body!) as { Type: string; TopicArn: string; Message: string; MessageAttributes: Record<string, { Type: string; Value: string }> };
    expect(envelope).toMatchObject({ Type: 'Notification', TopicArn: `arn:aws:sns:${server.region}:${server.accountId}:${NAME}-failures` });
    expect(envelope.MessageAttributes.ErrorMessage).toEqual({ Type: 'String', Value: 'SOI not found' });
    const failed = JSON.parse(envelope.Message) as { Records: { eventName: string; s3: { object: { key: string } } }[] };
    expect(failed.Records[0]).toMatchObject({ eventName: 'ObjectCreated:Put', s3: { object: { key: 'broken.jpg' } } });
    await expect(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'thumbnails/broken.jpg' }))).rejects.toMatchObject({ name: 'NotFound' });
  });
});

describe('a failed S3 thumbnails creation', () => {
  it('removes the bucket with its sample, the topic, the queue and the role when asked', async () => {
    const taken = 'thumbs-taken';
    await lambda.send(new CreateFunctionCommand({ FunctionName: taken, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => 1;' }) } }));
    const { page, bucketName: failedBucket } = await blueprintForm(taken);
    await page.getByRole('button', { name: 'Create function' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent(), wait).toContain(`Function already exist: ${taken}`);
    expect(await page.getByText(new RegExp(`These exist now: Bucket ${failedBucket}; Sample image sample.jpg`)).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Remove what was created' }).click();
    // Bucket, sample image, queue, topic and role; the function's step failed and the rest were not attempted.
    await expect.poll(() => page.locator('.step.removed').count(), wait).toBe(5);
    await browser.screenshot(page, 'blueprint-thumbnail-removed');
    await expect(s3.send(new HeadBucketCommand({ Bucket: failedBucket }))).rejects.toMatchObject({ name: 'NotFound' });
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: `${taken}-dlq` }))).rejects.toThrow();
    const { Topics = [] } = await server.client(SNSClient).send(new ListTopicsCommand({}));
    expect(Topics.map((t) => t.TopicArn)).not.toContain(`arn:aws:sns:${server.region}:${server.accountId}:${taken}-failures`);
    browser.expectClean(page, (status) => status === 409);
    await page.context().close();
  });
});
