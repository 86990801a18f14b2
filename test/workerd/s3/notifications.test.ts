// S3 event notifications in workerd (docs/S3.md, "Event notifications"): the configuration's XML
// round trip and S3's refusals (ARNs, events, filter rules, overlaps, destinations S3 cannot
// validate, each numbered), deliveries of S3's event record to a function (an asynchronous
// invocation), a queue (with s3:TestEvent first) and a topic, another account's function only
// with a grant, and the configuration gone with its bucket. Then code and layers read from S3.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sqsApi } from '../support/aws-json-client';
import { policyOf, userWithPolicy, xmlValue } from '../support/iam-client';
import { eventually } from '../support/observe';
import { createTenant, deploy, signedClient, type TestClient, type Tenant } from '../support/signed-client';
import { drain } from '../support/sqs-client';
import { ROLE, zipBase64 } from '../support/zip';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const s3 = (tenant: TestClient) => tenant.as('s3');
const errorFields = (text: string) => Object.fromEntries([...text.matchAll(/<(Code|Message|ArgumentName\d*|ArgumentValue\d*)>([^<]*)<\/\1>/g)].map((m) => [m[1], m[2]]));

async function bucketOf(tenant: Tenant, name: string): Promise<string> {
  const bucket = `${name}-${tenant.accountId}`;
  expect((await s3(tenant).send('PUT', `/${bucket}`)).status).toBe(200);
  return bucket;
}

const configuration = (...configs: string[]) => `<NotificationConfiguration xmlns="${XMLNS}">${configs.join('')}</NotificationConfiguration>`;
const filter = (rules: Record<string, string>) =>
  `<Filter><S3Key>${Object.entries(rules).map(([name, value]) => `<FilterRule><Name>${name}</Name><Value>${value}</Value></FilterRule>`).join('')}</S3Key></Filter>`;
const functionConfig = (arn: string, events: string[], rules: Record<string, string> = {}, id?: string) =>
  `<CloudFunctionConfiguration>${id ? `<Id>${id}</Id>` : ''}<CloudFunction>${arn}</CloudFunction>${events.map((e) => `<Event>${e}</Event>`).join('')}${Object.keys(rules).length ? filter(rules) : ''}</CloudFunctionConfiguration>`;
const queueConfig = (arn: string, events: string[], id = 'queue') => `<QueueConfiguration><Id>${id}</Id><Queue>${arn}</Queue>${events.map((e) => `<Event>${e}</Event>`).join('')}</QueueConfiguration>`;
const topicConfig = (arn: string, events: string[], id = 'topic') => `<TopicConfiguration><Id>${id}</Id><Topic>${arn}</Topic>${events.map((e) => `<Event>${e}</Event>`).join('')}</TopicConfiguration>`;

async function putConfiguration(tenant: Tenant, bucket: string, document: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await s3(tenant).send('PUT', `/${bucket}?notification`, document, headers);
  return { status: response.status, text: await response.text() };
}

/** A function that logs each event it gets; `grant` lets s3.amazonaws.com invoke it (for `sourceArn`, from `sourceAccount`). */
async function recordingFunction(tenant: Tenant, name: string, grant?: { sourceArn?: string; sourceAccount?: string }): Promise<string> {
  await deploy(tenant, name, 'exports.handler = async (event) => { console.log("EVENT " + JSON.stringify(event)); };');
  if (grant) {
    const added = await tenant.send('POST', `/2015-03-31/functions/${name}/policy`, {
      StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com',
      ...(grant.sourceArn && { SourceArn: grant.sourceArn }), ...(grant.sourceAccount && { SourceAccount: grant.sourceAccount }),
    });
    expect(added.status).toBe(201);
  }
  return `arn:aws:lambda:us-east-1:${tenant.accountId}:function:${name}`;
}

async function loggedEvents(tenant: Tenant, name: string, count: number): Promise<any[]> {
  const logs = env.LOGS.get(env.LOGS.idFromName(tenant.accountId));
  const read = async () => (await logs.readEvents(`/aws/lambda/${name}`)).filter((x) => x.message.includes('EVENT '));
  const events = await eventually(read, (e) => e.length >= count);
  return events.map((x) => JSON.parse(x.message.slice(x.message.indexOf('EVENT ') + 6)));
}

async function createQueue(tenant: Tenant, name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqsApi.call<{ QueueUrl: string }>(tenant, 'CreateQueue', { QueueName: name });
  return { url: QueueUrl, arn: `arn:aws:sqs:us-east-1:${tenant.accountId}:${name}` };
}

async function sns(tenant: Tenant, action: string, params: Record<string, string>): Promise<string> {
  const body = new URLSearchParams({ Action: action, Version: '2010-03-31', ...params }).toString();
  const response = await tenant.as('sns').send('POST', '/', body, { 'content-type': 'application/x-www-form-urlencoded' });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${action}: ${response.status} ${text}`);
  return text;
}

describe('PutBucketNotificationConfiguration and GetBucketNotificationConfiguration', () => {
  it('stores the whole configuration, answers it as S3 does, and an empty one clears it', async () => {
    const tenant = await createTenant();
    const bucket = await bucketOf(tenant, 'config');
    const fn = await recordingFunction(tenant, 'config-fn', { sourceArn: `arn:aws:s3:::${bucket}` });
    const queue = await createQueue(tenant, 'config-queue');
    const empty = await (await s3(tenant).send('GET', `/${bucket}?notification`)).text();
    expect(empty).toBe(`<?xml version="1.0" encoding="UTF-8"?>\n<NotificationConfiguration xmlns="${XMLNS}"></NotificationConfiguration>`);

    const put = await putConfiguration(tenant, bucket, configuration(
      functionConfig(fn, ['s3:ObjectCreated:*'], { prefix: 'images/', suffix: '.jpg' }),
      queueConfig(queue.arn, ['s3:ObjectRemoved:*']),
    ));
    expect(put.status).toBe(200);
    const got = await (await s3(tenant).send('GET', `/${bucket}?notification`)).text();
    const id = /<CloudFunctionConfiguration><Id>([^<]+)<\/Id>/.exec(got)?.[1];
    expect(id).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(got).toBe(`<?xml version="1.0" encoding="UTF-8"?>\n<NotificationConfiguration xmlns="${XMLNS}">`
      + `<QueueConfiguration><Id>queue</Id><Queue>${queue.arn}</Queue><Event>s3:ObjectRemoved:*</Event></QueueConfiguration>`
      + `<CloudFunctionConfiguration><Id>${id}</Id><CloudFunction>${fn}</CloudFunction><Event>s3:ObjectCreated:*</Event>`
      + '<Filter><S3Key><FilterRule><Name>Prefix</Name><Value>images/</Value></FilterRule><FilterRule><Name>Suffix</Name><Value>.jpg</Value></FilterRule></S3Key></Filter>'
      + '</CloudFunctionConfiguration></NotificationConfiguration>');
    // The queue got S3's test event when the configuration named it.
    const [test] = await drain(tenant, queue.url);
    expect(JSON.parse(test.Body)).toEqual({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: expect.stringMatching(/Z$/), Bucket: bucket, RequestId: expect.any(String), HostId: expect.any(String) });

    // Put replaces the whole configuration.
    expect((await putConfiguration(tenant, bucket, configuration(queueConfig(queue.arn, ['s3:ObjectCreated:Put'])))).status).toBe(200);
    expect(await (await s3(tenant).send('GET', `/${bucket}?notification`)).text()).not.toContain('CloudFunctionConfiguration');
    const notDeleted = await s3(tenant).send('DELETE', `/${bucket}?notification`);
    expect([notDeleted.status, errorFields(await notDeleted.text()).Code]).toEqual([405, 'MethodNotAllowed']);
    expect((await putConfiguration(tenant, bucket, `<NotificationConfiguration xmlns="${XMLNS}"/>`)).status).toBe(200);
    expect(await (await s3(tenant).send('GET', `/${bucket}?notification`)).text()).toBe(empty);
  });

  it('refuses bad ARNs, events, filter rules and overlapping configurations in S3\'s words', async () => {
    const tenant = await createTenant();
    const bucket = await bucketOf(tenant, 'refusals');
    const fn = await recordingFunction(tenant, 'refusals-fn', {});
    const cases: [string, Record<string, string>][] = [
      [functionConfig('not-an-arn', ['s3:ObjectCreated:*']), { Code: 'InvalidArgument', Message: 'The ARN could not be parsed', ArgumentName: 'CloudFunction', ArgumentValue: 'not-an-arn' }],
      [queueConfig('arn:aws:sns:us-east-1:123456789012:t', ['s3:ObjectCreated:*']), { Code: 'InvalidArgument', Message: 'The ARN could not be parsed', ArgumentName: 'Queue', ArgumentValue: 'arn:aws:sns:us-east-1:123456789012:t' }],
      [functionConfig(fn, ['s3:ObjectMangled:*']), { Code: 'InvalidArgument', Message: 'The event is not supported for notifications', ArgumentName: 'Event', ArgumentValue: 's3:ObjectMangled:*' }],
      [functionConfig(fn, ['s3:ObjectTagging:Put']), {
        Code: 'InvalidArgument', Message: 'faasbox does not support notifications of s3:ObjectTagging:Put: its S3 sends only s3:ObjectCreated:* and s3:ObjectRemoved:* events',
        ArgumentName: 'Event', ArgumentValue: 's3:ObjectTagging:Put',
      }],
      [functionConfig(fn, ['s3:ObjectCreated:*'], { infix: 'x' }), { Code: 'InvalidArgument', Message: 'filter rule name must be either prefix or suffix', ArgumentName: 'FilterRule.Name', ArgumentValue: 'infix' }],
      [functionConfig(fn, ['s3:ObjectCreated:*'], { prefix: 'a', Prefix: 'b' }), {
        Code: 'InvalidArgument', Message: 'Cannot specify more than one prefix rule in a filter.', ArgumentName: 'FilterRule.Name', ArgumentValue: 'Prefix',
      }],
      [functionConfig(fn, ['s3:ObjectCreated:*'], {}, 'a') + functionConfig(fn, ['s3:ObjectCreated:Put'], {}, 'b'), {
        Code: 'InvalidArgument', Message: 'Configurations overlap. Configurations on the same bucket cannot share a common event type.',
      }],
      [functionConfig(fn, ['s3:ObjectCreated:*'], { prefix: 'img/' }, 'a') + functionConfig(fn, ['s3:ObjectCreated:Put'], { prefix: 'img/cats/', suffix: '.jpg' }, 'b'), {
        Code: 'InvalidArgument', Message: 'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.',
      }],
      ['<NotificationConfiguration><Bogus/></NotificationConfiguration>', { Code: 'MalformedXML', Message: 'The XML you provided was not well-formed or did not validate against our published schema' }],
      ['<NotificationConfiguration><EventBridgeConfiguration/></NotificationConfiguration>', {
        Code: 'NotImplemented', Message: 'A header or query you provided implies functionality that is not implemented: EventBridgeConfiguration (faasbox has no EventBridge delivery of S3 events)',
      }],
    ];
    for (const [document, expected] of cases) {
      const refused = await putConfiguration(tenant, bucket, document.startsWith('<NotificationConfiguration') ? document : configuration(document));
      expect(refused.status, document).toBe(expected.Code === 'NotImplemented' ? 501 : 400);
      expect(errorFields(refused.text), document).toEqual(expected);
    }
    const malformed = ['', 'not xml', '<NotificationConfiguration>', configuration('<CloudFunctionConfiguration></CloudFunctionConfiguration>'),
      configuration(`<QueueConfiguration><Queue>a</Queue><Queue>b</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>`),
      configuration(`<CloudFunctionConfiguration><CloudFunction>${fn}</CloudFunction></CloudFunctionConfiguration>`),
      configuration(`<CloudFunctionConfiguration><CloudFunction>${fn}</CloudFunction><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix</Name></FilterRule></S3Key></Filter></CloudFunctionConfiguration>`),
      configuration(`<CloudFunctionConfiguration><CloudFunction>${fn}</CloudFunction><Event>s3:ObjectCreated:*</Event><InvocationRole>r</InvocationRole></CloudFunctionConfiguration>`)];
    for (const document of malformed) {
      const refused = await putConfiguration(tenant, bucket, document);
      expect([refused.status, errorFields(refused.text).Code], document).toEqual([400, 'MalformedXML']);
    }
    // Different prefixes, or the same suffix for different event types, do not overlap.
    const fine = await putConfiguration(tenant, bucket, configuration(
      functionConfig(fn, ['s3:ObjectCreated:*'], { prefix: 'a/', suffix: '.jpg' }, 'a'), functionConfig(fn, ['s3:ObjectCreated:*'], { prefix: 'b/', suffix: '.jpg' }, 'b'),
      functionConfig(fn, ['s3:ObjectRemoved:*'], { suffix: '.jpg' }, 'c'),
    ), { 'x-amz-skip-destination-validation': 'true' });
    expect(fine.status).toBe(200);
  });

  it('refuses destinations S3 cannot validate, each numbered: no permission, missing function, queue, topic, another account\'s queue', async () => {
    const tenant = await createTenant();
    const other = await createTenant('other');
    const bucket = await bucketOf(tenant, 'destinations');
    const ungranted = await recordingFunction(tenant, 'ungranted');
    const otherBucketOnly = await recordingFunction(tenant, 'other-bucket-only', { sourceArn: 'arn:aws:s3:::someone-elses' });
    const otherQueue = await createQueue(other, 'theirs');
    const missingFn = `arn:aws:lambda:us-east-1:${tenant.accountId}:function:missing`;
    const missingQueue = `arn:aws:sqs:us-east-1:${tenant.accountId}:missing`;
    const missingTopic = `arn:aws:sns:us-east-1:${tenant.accountId}:missing`;
    const refused = await putConfiguration(tenant, bucket, configuration(
      functionConfig(ungranted, ['s3:ObjectCreated:Put'], {}, 'a'), functionConfig(otherBucketOnly, ['s3:ObjectCreated:Copy'], {}, 'b'),
      functionConfig(missingFn, ['s3:ObjectRemoved:Delete'], {}, 'c'), queueConfig(missingQueue, ['s3:ObjectCreated:Post'], 'd'),
      topicConfig(missingTopic, ['s3:ObjectCreated:CompleteMultipartUpload'], 'e'), queueConfig(otherQueue.arn, ['s3:ObjectRemoved:DeleteMarkerCreated'], 'f'),
    ));
    expect(refused.status).toBe(400);
    expect(errorFields(refused.text)).toEqual({
      Code: 'InvalidArgument', Message: 'Unable to validate the following destination configurations',
      ArgumentName1: missingTopic, ArgumentValue1: 'The destination topic does not exist',
      ArgumentName2: missingQueue, ArgumentValue2: 'The destination queue does not exist',
      ArgumentName3: otherQueue.arn, ArgumentValue3: 'Permissions on the destination queue do not allow S3 to publish notifications from this bucket',
      ArgumentName4: `${ungranted}, null`, ArgumentValue4: `Not authorized to invoke function [${ungranted}]`,
      ArgumentName5: `${otherBucketOnly}, null`, ArgumentValue5: `Not authorized to invoke function [${otherBucketOnly}]`,
      ArgumentName6: missingFn, ArgumentValue6: 'The destination Lambda does not exist',
    });
    expect(await (await s3(tenant).send('GET', `/${bucket}?notification`)).text()).not.toMatch(/<(Topic|Queue|CloudFunction)Configuration>/);
    // Another account gets AccessDenied on the bucket; an IAM user needs s3:PutBucketNotification.
    expect((await putConfiguration(other, bucket, configuration())).status).toBe(403);
    expect((await s3(other).send('GET', `/${bucket}?notification`)).status).toBe(403);
    const user = await userWithPolicy(tenant, 'reader', policyOf({ Effect: 'Allow', Action: 's3:GetBucketNotification', Resource: '*' }));
    expect((await s3(user).send('GET', `/${bucket}?notification`)).status).toBe(200);
    const denied = await s3(user).send('PUT', `/${bucket}?notification`, configuration());
    expect([denied.status, errorFields(await denied.text()).Code]).toEqual([403, 'AccessDenied']);
  });
});

describe('deliveries', () => {
  it('invokes a function asynchronously with S3\'s record, only for keys its filter matches, on create, copy and delete', async () => {
    const tenant = await createTenant();
    const bucket = await bucketOf(tenant, 'photos');
    const fn = await recordingFunction(tenant, 'on-photo', { sourceArn: `arn:aws:s3:::${bucket}`, sourceAccount: tenant.accountId });
    const put = await putConfiguration(tenant, bucket, configuration(functionConfig(fn, ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'], { suffix: '.jpg' }, 'photos-to-fn')));
    expect(put.status).toBe(200);
    const created = await s3(tenant).send('PUT', `/${bucket}/my%20cat%20%281%29.jpg`, 'meow');
    expect(created.status, await created.clone().text()).toBe(200);
    const requestId = created.headers.get('x-amz-request-id');
    expect((await s3(tenant).send('PUT', `/${bucket}/notes.txt`, 'not a photo')).status).toBe(200);
    const [event] = await loggedEvents(tenant, 'on-photo', 1);
    expect(event).toEqual({
      Records: [{
        eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'us-east-1', eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        eventName: 'ObjectCreated:Put', userIdentity: { principalId: `AWS:${tenant.accountId}` }, requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': requestId, 'x-amz-id-2': requestId },
        s3: {
          s3SchemaVersion: '1.0', configurationId: 'photos-to-fn',
          bucket: { name: bucket, ownerIdentity: { principalId: tenant.accountId }, arn: `arn:aws:s3:::${bucket}` },
          object: { key: 'my+cat+%281%29.jpg', size: 4, eTag: created.headers.get('etag')!.replace(/"/g, ''), sequencer: expect.stringMatching(/^[0-9A-F]{18}$/) },
        },
      }],
    });
    const copied = await s3(tenant).send('PUT', `/${bucket}/copy.jpg`, undefined, { 'x-amz-copy-source': `/${bucket}/my%20cat%20%281%29.jpg` });
    expect(copied.status).toBe(200);
    expect((await s3(tenant).send('DELETE', `/${bucket}/copy.jpg`)).status).toBe(204);
    expect((await s3(tenant).send('DELETE', `/${bucket}/never-there.jpg`)).status).toBe(204);
    const batch = `<Delete><Object><Key>my cat (1).jpg</Key></Object><Object><Key>notes.txt</Key></Object></Delete>`;
    expect((await s3(tenant).send('POST', `/${bucket}?delete`, batch)).status).toBe(200);
    const events = await loggedEvents(tenant, 'on-photo', 4);
    const seen = events.map((e) => `${e.Records[0].eventName} ${e.Records[0].s3.object.key}`).sort();
    expect(seen).toEqual(['ObjectCreated:Copy copy.jpg', 'ObjectCreated:Put my+cat+%281%29.jpg', 'ObjectRemoved:Delete copy.jpg', 'ObjectRemoved:Delete my+cat+%281%29.jpg']);
    const removed = events.find((e) => e.Records[0].eventName === 'ObjectRemoved:Delete').Records[0].s3.object;
    expect(Object.keys(removed)).toEqual(['key', 'sequencer']);
  });

  it('sends records to a queue as {"Records": [...]} and to a topic as a Publish with S3\'s subject', async () => {
    const tenant = await createTenant();
    const bucket = await bucketOf(tenant, 'fanout');
    const direct = await createQueue(tenant, 'direct');
    const viaTopic = await createQueue(tenant, 'via-topic');
    const topicArn = xmlValue(await sns(tenant, 'CreateTopic', { Name: 'uploads' }), 'TopicArn');
    await sns(tenant, 'Subscribe', { TopicArn: topicArn, Protocol: 'sqs', Endpoint: viaTopic.arn });
    expect((await putConfiguration(tenant, bucket, configuration(
      queueConfig(direct.arn, ['s3:ObjectCreated:Put'], 'to-queue'), topicConfig(topicArn, ['s3:ObjectRemoved:Delete'], 'to-topic'),
    ))).status).toBe(200);
    const [test] = await drain(tenant, viaTopic.url);
    expect(JSON.parse(test.Body)).toMatchObject({ Type: 'Notification', TopicArn: topicArn, Subject: 'Amazon S3 Notification' });
    expect(JSON.parse(JSON.parse(test.Body).Message).Event).toBe('s3:TestEvent');
    await drain(tenant, direct.url);

    expect((await s3(tenant).send('PUT', `/${bucket}/a.txt`, 'hello')).status).toBe(200);
    expect((await s3(tenant).send('DELETE', `/${bucket}/a.txt`)).status).toBe(204);
    const [queued] = await drain(tenant, direct.url);
    const record = JSON.parse(queued.Body).Records[0];
    expect([record.eventName, record.s3.configurationId, record.s3.object.key, record.s3.object.size]).toEqual(['ObjectCreated:Put', 'to-queue', 'a.txt', 5]);
    // A multipart upload reports itself once, when it completes (and only to an event type that names it).
    expect((await putConfiguration(tenant, bucket, configuration(queueConfig(direct.arn, ['s3:ObjectCreated:CompleteMultipartUpload'], 'multipart')))).status).toBe(200);
    await drain(tenant, direct.url);
    const uploadId = xmlValue(await (await s3(tenant).send('POST', `/${bucket}/big.bin?uploads`)).text(), 'UploadId');
    const part = await s3(tenant).send('PUT', `/${bucket}/big.bin?partNumber=1&uploadId=${encodeURIComponent(uploadId)}`, 'one part');
    const complete = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.headers.get('etag')}</ETag></Part></CompleteMultipartUpload>`;
    const completed = await s3(tenant).send('POST', `/${bucket}/big.bin?uploadId=${encodeURIComponent(uploadId)}`, complete);
    expect(completed.status).toBe(200);
    expect((await s3(tenant).send('PUT', `/${bucket}/small.bin`, 'not multipart')).status).toBe(200);
    const multipart = (await drain(tenant, direct.url)).map((m) => JSON.parse(m.Body).Records[0]);
    expect(multipart.map((r) => [r.eventName, r.s3.object.key, r.s3.object.size])).toEqual([['ObjectCreated:CompleteMultipartUpload', 'big.bin', 8]]);
    expect(`"${multipart[0].s3.object.eTag}"`).toBe(xmlValue(await completed.text(), 'ETag').replace(/&quot;/g, '"'));
    const [published] = await drain(tenant, viaTopic.url);
    const envelope = JSON.parse(published.Body);
    expect(envelope.Subject).toBe('Amazon S3 Notification');
    expect(JSON.parse(envelope.Message).Records[0]).toMatchObject({ eventName: 'ObjectRemoved:Delete', s3: { configurationId: 'to-topic', object: { key: 'a.txt' } } });
  });

  it('reaches another account\'s function only when its policy grants S3 this bucket, and goes with its bucket', async () => {
    const owner = await createTenant();
    const other = await createTenant('other');
    const bucket = await bucketOf(owner, 'cross');
    const theirs = await recordingFunction(other, 'theirs', { sourceArn: `arn:aws:s3:::${bucket}`, sourceAccount: owner.accountId });
    const ungranted = await recordingFunction(other, 'ungranted', { sourceArn: 'arn:aws:s3:::another-bucket' });
    const refused = await putConfiguration(owner, bucket, configuration(functionConfig(ungranted, ['s3:ObjectCreated:*'])));
    expect(errorFields(refused.text)).toMatchObject({ ArgumentName1: `${ungranted}, null`, ArgumentValue1: `Not authorized to invoke function [${ungranted}]` });
    expect((await putConfiguration(owner, bucket, configuration(functionConfig(theirs, ['s3:ObjectCreated:*'])))).status).toBe(200);
    expect((await s3(owner).send('PUT', `/${bucket}/x`, 'x')).status).toBe(200);
    const [event] = await loggedEvents(other, 'theirs', 1);
    expect(event.Records[0].s3.bucket).toEqual({ name: bucket, ownerIdentity: { principalId: owner.accountId }, arn: `arn:aws:s3:::${bucket}` });

    expect((await s3(owner).send('DELETE', `/${bucket}/x`)).status).toBe(204);
    expect((await s3(owner).send('DELETE', `/${bucket}`)).status).toBe(204);
    expect((await s3(owner).send('PUT', `/${bucket}`)).status).toBe(200);
    expect(await (await s3(owner).send('GET', `/${bucket}?notification`)).text()).not.toContain('CloudFunctionConfiguration');

    // Deleting the account deletes its buckets' configurations: the name, taken again, starts with none.
    expect((await putConfiguration(owner, bucket, configuration(functionConfig(theirs, ['s3:ObjectCreated:*'])))).status).toBe(200);
    expect((await signedClient().send('DELETE', `/api/admin/accounts/${owner.accountId}`)).status).toBe(204);
    const next = await createTenant('next');
    expect((await s3(next).send('PUT', `/${bucket}`)).status).toBe(200);
    expect(await (await s3(next).send('GET', `/${bucket}?notification`)).text()).not.toContain('CloudFunctionConfiguration');
  });
});

describe('code from S3', () => {
  const source = (text: string) => zipBase64({ 'index.js': `exports.handler = async () => ${JSON.stringify(text)};` });
  const bytes = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const invoke = async (tenant: Tenant, name: string) => (await tenant.send('POST', `/2015-03-31/functions/${name}/invocations`, {})).json();

  it('creates and updates a function and publishes a layer from the caller\'s bucket', async () => {
    const tenant = await createTenant();
    const bucket = await bucketOf(tenant, 'builds');
    // One zip for the bucket and the direct upload: zips made a second apart differ in their timestamps.
    const one = source('one');
    const uploaded = await s3(tenant).send('PUT', `/${bucket}/v1.zip`, bytes(one));
    expect(uploaded.status, await uploaded.text()).toBe(200);
    expect((await s3(tenant).send('PUT', `/${bucket}/v2.zip`, bytes(source('two')))).status).toBe(200);
    const created = await tenant.send('POST', '/2015-03-31/functions', {
      FunctionName: 'from-s3', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { S3Bucket: bucket, S3Key: 'v1.zip', S3ObjectVersion: 'null' },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    expect(await invoke(tenant, 'from-s3')).toBe('one');
    const updated = await tenant.send('PUT', '/2015-03-31/functions/from-s3/code', { S3Bucket: bucket, S3Key: 'v2.zip' });
    expect(updated.status).toBe(200);
    expect(await invoke(tenant, 'from-s3')).toBe('two');
    const layer = await tenant.send('POST', '/2018-10-31/layers/from-s3/versions', { Content: { S3Bucket: bucket, S3Key: 'v1.zip' } });
    expect(layer.status).toBe(201);
    const direct = await tenant.send('POST', '/2018-10-31/layers/direct/versions', { Content: { ZipFile: one } });
    expect(((await layer.json()) as any).Content.CodeSha256).toBe(((await direct.json()) as any).Content.CodeSha256);
  });

  it('answers in Lambda\'s words for a missing key or bucket, another account\'s bucket, a version, and a missing permission', async () => {
    const tenant = await createTenant();
    const other = await createTenant('other');
    const bucket = await bucketOf(tenant, 'code-errors');
    expect((await s3(tenant).send('PUT', `/${bucket}/fn.zip`, bytes(source('x')))).status).toBe(200);
    const create = (client: TestClient, code: Record<string, string>) => client.send('POST', '/2015-03-31/functions', {
      FunctionName: 'nope', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: code,
    });
    const answer = async (response: Promise<Response>) => {
      const r = await response;
      const body = (await r.json()) as { message?: string; Message?: string };
      return [r.status, r.headers.get('x-amzn-errortype'), body.message ?? body.Message];
    };
    expect(await answer(create(tenant, { S3Bucket: bucket, S3Key: 'missing.zip' }))).toEqual([
      400, 'InvalidParameterValueException', 'Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.',
    ]);
    expect(await answer(create(tenant, { S3Bucket: `no-such-${tenant.accountId}`, S3Key: 'fn.zip' }))).toEqual([
      400, 'InvalidParameterValueException', 'Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist',
    ]);
    const deniedMessage = `Your access has been denied by S3, please make sure your request credentials have permission to GetObject for ${bucket}/fn.zip. S3 Error Code: AccessDenied. S3 Error Message: Access Denied`;
    expect(await answer(create(other, { S3Bucket: bucket, S3Key: 'fn.zip' }))).toEqual([403, 'AccessDeniedException', deniedMessage]);
    const user = await userWithPolicy(tenant, 'deployer', policyOf({ Effect: 'Allow', Action: ['lambda:*', 'iam:PassRole'], Resource: '*' }));
    expect(await answer(create(user, { S3Bucket: bucket, S3Key: 'fn.zip' }))).toEqual([403, 'AccessDeniedException', deniedMessage]);
    expect(await answer(create(tenant, { S3Bucket: bucket, S3Key: 'fn.zip', S3ObjectVersion: '3HL4kqtJlcpXroDTDmJ' }))).toEqual([
      400, 'InvalidParameterValueException', "faasbox's S3 keeps no object versions: Code.S3ObjectVersion is not supported (leave it out, or give null).",
    ]);
    expect(await answer(create(tenant, { S3Bucket: bucket }))).toEqual([
      400, 'InvalidParameterValueException', 'Code.S3Bucket and Code.S3Key are both required to read the package from S3.',
    ]);
    expect(await answer(create(tenant, { S3Bucket: bucket, S3Key: 'fn.zip', ZipFile: source('x') }))).toEqual([
      400, 'InvalidParameterValueException', 'Please provide only one source for function code: Code.ZipFile, or Code.S3Bucket and Code.S3Key.',
    ]);
    const layer = await other.send('POST', '/2018-10-31/layers/theirs/versions', { Content: { S3Bucket: bucket, S3Key: 'fn.zip' } });
    expect(layer.status).toBe(403);
  });
});
