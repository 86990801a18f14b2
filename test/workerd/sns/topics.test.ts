// The SNS API in workerd, on its Query protocol: topics, subscriptions, Publish and PublishBatch,
// delivery to queues (envelope, raw, filter policies) and functions (SNS's event, as async
// invocations allowed by the function's resource policy), topics as dead-letter targets and
// destinations, errors in SNS's shape, isolation between accounts, IAM, account deletion.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, deploy, signedClient, type Tenant } from '../support/signed-client';
import { sqsApi } from '../support/aws-json-client';
import { sns, snsOk } from '../support/sns-client';
import { drain } from '../support/sqs-client';
import { eventually } from '../support/observe';
import { policyOf, roleWithPolicy, userWithPolicy, xmlValue } from '../support/iam-client';
import { ROLE, zipBase64 } from '../support/zip';
import aws4fetchSource from '../../../node_modules/aws4fetch/dist/aws4fetch.esm.mjs?raw';
import signerSource from '../../fixtures/functions/signs-own-api-calls.mjs?raw';

const errorCode = (text: string) => xmlValue(text, 'Code');
/** An error's Message with the XML character references undone. */
const errorMessage = (text: string) => xmlValue(text, 'Message').replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

async function createTopic(tenant: Tenant, name: string, params: Record<string, string> = {}): Promise<string> {
  return xmlValue(await snsOk(tenant, 'CreateTopic', { Name: name, ...params }), 'TopicArn');
}

async function createQueue(tenant: Tenant, name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqsApi.call<{ QueueUrl: string }>(tenant, 'CreateQueue', { QueueName: name });
  return { url: QueueUrl, arn: `arn:aws:sqs:us-east-1:${tenant.accountId}:${name}` };
}

const subscribe = async (tenant: Tenant, topicArn: string, protocol: string, endpoint: string, attributes: Record<string, string> = {}) => {
  const params: Record<string, string> = { TopicArn: topicArn, Protocol: protocol, Endpoint: endpoint };
  Object.entries(attributes).forEach(([key, value], i) => {
    params[`Attributes.entry.${i + 1}.key`] = key;
    params[`Attributes.entry.${i + 1}.value`] = value;
  });
  return xmlValue(await snsOk(tenant, 'Subscribe', params), 'SubscriptionArn');
};

/** A function that logs the event it gets, allowed to be invoked by SNS for `topicArn`. */
async function recordingFunction(tenant: Tenant, name: string, topicArn?: string): Promise<string> {
  await deploy(tenant, name, 'exports.handler = async (event) => { console.log("EVENT " + JSON.stringify(event)); };');
  if (topicArn) {
    const added = await tenant.send('POST', `/2015-03-31/functions/${name}/policy`, { StatementId: 'sns', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: topicArn });
    expect(added.status).toBe(201);
  }
  return `arn:aws:lambda:us-east-1:${tenant.accountId}:function:${name}`;
}

async function loggedEvents(tenant: Tenant, name: string, count: number): Promise<any[]> {
  const logs = env.LOGS.get(env.LOGS.idFromName(tenant.accountId));
  const events = await eventually(() => logs.readEvents(`/aws/lambda/${name}`), (e) => e.filter((x) => x.message.includes('EVENT ')).length >= count);
  return events.filter((x) => x.message.includes('EVENT ')).map((x) => JSON.parse(x.message.slice(x.message.indexOf('EVENT ') + 6)));
}

describe('topics', () => {
  it('creates a topic idempotently, shows its attributes, sets DisplayName, lists and deletes', async () => {
    const tenant = await createTenant();
    const arn = await createTopic(tenant, 'orders', { 'Attributes.entry.1.key': 'DisplayName', 'Attributes.entry.1.value': 'Orders' });
    expect(arn).toBe(`arn:aws:sns:us-east-1:${tenant.accountId}:orders`);
    expect(await createTopic(tenant, 'orders')).toBe(arn);
    const different = await sns(tenant, 'CreateTopic', { Name: 'orders', 'Attributes.entry.1.key': 'DisplayName', 'Attributes.entry.1.value': 'Other' });
    expect([different.status, errorCode(different.text)]).toEqual([400, 'InvalidParameter']);
    expect(different.text).toContain('<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">');

    await snsOk(tenant, 'SetTopicAttributes', { TopicArn: arn, AttributeName: 'DisplayName', AttributeValue: 'Renamed' });
    const attributes = await snsOk(tenant, 'GetTopicAttributes', { TopicArn: arn });
    for (const key of ['Policy', 'Owner', 'TopicArn', 'EffectiveDeliveryPolicy', 'SubscriptionsConfirmed', 'SubscriptionsPending', 'SubscriptionsDeleted']) {
      expect(attributes).toContain(`<key>${key}</key>`);
    }
    expect(attributes).toContain('<entry><key>DisplayName</key><value>Renamed</value></entry>');
    expect(attributes).toContain(`<entry><key>Owner</key><value>${tenant.accountId}</value></entry>`);

    const listed = await snsOk(tenant, 'ListTopics');
    expect(listed).toContain(`<Topics><member><TopicArn>${arn}</TopicArn></member></Topics>`);
    await snsOk(tenant, 'DeleteTopic', { TopicArn: arn });
    await snsOk(tenant, 'DeleteTopic', { TopicArn: arn });
    const gone = await sns(tenant, 'GetTopicAttributes', { TopicArn: arn });
    expect([gone.status, errorCode(gone.text), xmlValue(gone.text, 'Message')]).toEqual([404, 'NotFound', 'Topic does not exist']);
    expect(await snsOk(tenant, 'ListTopics')).toContain('<Topics/>');
  });

  it('pages ListTopics by 100 with NextToken', async () => {
    const tenant = await createTenant();
    for (let i = 0; i < 101; i++) await createTopic(tenant, `t${String(i).padStart(3, '0')}`);
    const first = await snsOk(tenant, 'ListTopics');
    expect(first.match(/<TopicArn>/g)).toHaveLength(100);
    const next = xmlValue(first, 'NextToken');
    expect(next).not.toBe('');
    const second = await snsOk(tenant, 'ListTopics', { NextToken: next });
    expect(second.match(/<TopicArn>/g)).toHaveLength(1);
    expect(second).toContain(':t100</TopicArn>');
    expect(second).not.toContain('<NextToken>');
  });

  it('refuses bad names, FIFO topics, unknown attributes and bad tags with InvalidParameter', async () => {
    const tenant = await createTenant();
    const refusals: Record<string, string>[] = [{ Name: 'has space' }, { Name: 'x.fifo' }, { Name: 'a', 'Attributes.entry.1.key': 'FifoTopic', 'Attributes.entry.1.value': 'true' },
      { Name: 'a', 'Attributes.entry.1.key': 'Bogus', 'Attributes.entry.1.value': '1' }, { Name: 'a', 'Tags.member.1.Key': 'aws:x', 'Tags.member.1.Value': 'v' }, {},
      { Name: 'a', 'Attributes.entry.1.key': '__proto__', 'Attributes.entry.1.value': '1' }, { Name: 'a', Attributes: 'not-a-map' }, { Name: 'a', Tags: 'x' }];
    for (const params of refusals) {
      const refused = await sns(tenant, 'CreateTopic', params);
      expect([refused.status, errorCode(refused.text)]).toEqual([400, 'InvalidParameter']);
      expect(xmlValue(refused.text, 'Message')).toMatch(/^Invalid parameter: /);
    }
    const unknown = await sns(tenant, 'Frobnicate');
    expect([unknown.status, errorCode(unknown.text)]).toEqual([400, 'InvalidAction']);
  });

  it('tags topics', async () => {
    const tenant = await createTenant();
    const arn = await createTopic(tenant, 'tagged', { 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'a' });
    await snsOk(tenant, 'TagResource', { ResourceArn: arn, 'Tags.member.1.Key': 'env', 'Tags.member.1.Value': 'prod' });
    await snsOk(tenant, 'UntagResource', { ResourceArn: arn, 'TagKeys.member.1': 'team' });
    expect(await snsOk(tenant, 'ListTagsForResource', { ResourceArn: arn })).toContain('<Tags><member><Key>env</Key><Value>prod</Value></member></Tags>');
  });
});

describe('subscriptions', () => {
  it('subscribes queues and functions, lists, shows attributes, sets them and unsubscribes', async () => {
    const tenant = await createTenant();
    const topic = await createTopic(tenant, 'subs');
    const queue = await createQueue(tenant, 'subs-q');
    const fn = await recordingFunction(tenant, 'subs-fn');
    const queueSub = await subscribe(tenant, topic, 'sqs', queue.arn);
    expect(queueSub).toMatch(new RegExp(`^${topic}:[0-9a-f-]{36}$`));
    expect(await subscribe(tenant, topic, 'sqs', queue.arn)).toBe(queueSub);
    const fnSub = await subscribe(tenant, topic, 'lambda', fn);
    const byTopic = await snsOk(tenant, 'ListSubscriptionsByTopic', { TopicArn: topic });
    expect(byTopic.match(/<SubscriptionArn>/g)).toHaveLength(2);
    expect(await snsOk(tenant, 'ListSubscriptions')).toContain(`<Protocol>lambda</Protocol><Endpoint>${fn}</Endpoint>`);
    expect(await snsOk(tenant, 'GetTopicAttributes', { TopicArn: topic })).toContain('<entry><key>SubscriptionsConfirmed</key><value>2</value></entry>');

    await snsOk(tenant, 'SetSubscriptionAttributes', { SubscriptionArn: queueSub, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' });
    await snsOk(tenant, 'SetSubscriptionAttributes', { SubscriptionArn: queueSub, AttributeName: 'FilterPolicy', AttributeValue: '{"k":["v"]}' });
    const attributes = await snsOk(tenant, 'GetSubscriptionAttributes', { SubscriptionArn: queueSub });
    for (const pair of [['RawMessageDelivery', 'true'], ['PendingConfirmation', 'false'], ['Protocol', 'sqs'], ['FilterPolicyScope', 'MessageAttributes'], ['TopicArn', topic]]) {
      expect(attributes).toContain(`<entry><key>${pair[0]}</key><value>${pair[1]}</value></entry>`);
    }
    await snsOk(tenant, 'Unsubscribe', { SubscriptionArn: fnSub });
    const gone = await sns(tenant, 'GetSubscriptionAttributes', { SubscriptionArn: fnSub });
    expect([gone.status, errorCode(gone.text)]).toEqual([404, 'NotFound']);
    // Deleting the topic takes its subscriptions with it.
    await snsOk(tenant, 'DeleteTopic', { TopicArn: topic });
    expect(await snsOk(tenant, 'ListSubscriptions')).toContain('<Subscriptions/>');
  });

  it('refuses email, unknown protocols, bad endpoints and bad attributes with InvalidParameter', async () => {
    const tenant = await createTenant();
    const topic = await createTopic(tenant, 'strict');
    const queue = await createQueue(tenant, 'strict-q');
    const fn = `arn:aws:lambda:us-east-1:${tenant.accountId}:function:f`;
    const cases: [string, string, Record<string, string>, RegExp][] = [
      ['email', 'someone@example.com', {}, /email subscriptions are not supported/],
      ['carrier-pigeon', 'x', {}, /does not support this protocol string: carrier-pigeon/],
      ['sqs', 'not-an-arn', {}, /SQS endpoint ARN/],
      ['sqs', 'arn:aws:sqs:us-east-1:111111111111:other', {}, /own account/],
      ['lambda', 'arn:aws:lambda:us-east-1:111111111111:function:f', {}, /own account/],
      ['lambda', fn, { RawMessageDelivery: 'true' }, /does not support raw message delivery/],
      ['sqs', queue.arn, { RawMessageDelivery: 'yes' }, /Must be true or false/],
      ['sqs', queue.arn, { FilterPolicy: '{"a":"b"}' }, /FilterPolicy: "a" must be an object or an array/],
      ['sqs', queue.arn, { FilterPolicyScope: 'Everything' }, /FilterPolicyScope/],
      ['sqs', queue.arn, { RedrivePolicy: '{"deadLetterTargetArn":"nope"}' }, /RedrivePolicy/],
    ];
    for (const [protocol, endpoint, attributes, message] of cases) {
      const params: Record<string, string> = { TopicArn: topic, Protocol: protocol, Endpoint: endpoint };
      Object.entries(attributes).forEach(([key, value], i) => Object.assign(params, { [`Attributes.entry.${i + 1}.key`]: key, [`Attributes.entry.${i + 1}.value`]: value }));
      const refused = await sns(tenant, 'Subscribe', params);
      expect([refused.status, errorCode(refused.text)], refused.text).toEqual([400, 'InvalidParameter']);
      expect(errorMessage(refused.text)).toMatch(message);
    }
    const confirm = await sns(tenant, 'ConfirmSubscription', { TopicArn: topic, Token: 'abc' });
    expect([confirm.status, errorCode(confirm.text)]).toEqual([400, 'InvalidParameter']);
  });
});

describe('Publish', () => {
  it('delivers SNS\'s envelope to a queue, the raw message with attributes to a raw one, and applies filter policies', async () => {
    const tenant = await createTenant();
    const topic = await createTopic(tenant, 'fanout');
    const envelopeQueue = await createQueue(tenant, 'envelope');
    const rawQueue = await createQueue(tenant, 'raw');
    const filteredQueue = await createQueue(tenant, 'filtered');
    const bodyFilteredQueue = await createQueue(tenant, 'body-filtered');
    const envelopeSub = await subscribe(tenant, topic, 'sqs', envelopeQueue.arn);
    await subscribe(tenant, topic, 'sqs', rawQueue.arn, { RawMessageDelivery: 'true' });
    await subscribe(tenant, topic, 'sqs', filteredQueue.arn, { FilterPolicy: JSON.stringify({ kind: ['big'], n: [{ numeric: ['>', 10] }] }) });
    await subscribe(tenant, topic, 'sqs', bodyFilteredQueue.arn, { FilterPolicy: '{"status":["paid"]}', FilterPolicyScope: 'MessageBody' });

    const published = await snsOk(tenant, 'Publish', {
      TopicArn: topic, Message: '{"status":"paid"}', Subject: 'Hello',
      'MessageAttributes.entry.1.Name': 'kind', 'MessageAttributes.entry.1.Value.DataType': 'String', 'MessageAttributes.entry.1.Value.StringValue': 'big',
      'MessageAttributes.entry.2.Name': 'n', 'MessageAttributes.entry.2.Value.DataType': 'Number', 'MessageAttributes.entry.2.Value.StringValue': '5',
    });
    const messageId = xmlValue(published, 'MessageId');
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);

    const [envelope] = await drain(tenant, envelopeQueue.url, 300);
    const body = JSON.parse(envelope!.Body);
    expect(body).toMatchObject({
      Type: 'Notification', MessageId: messageId, TopicArn: topic, Subject: 'Hello', Message: '{"status":"paid"}', SignatureVersion: '1',
      MessageAttributes: { kind: { Type: 'String', Value: 'big' }, n: { Type: 'Number', Value: '5' } },
    });
    expect(body.UnsubscribeURL).toContain(encodeURIComponent(envelopeSub));
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['Timestamp', 'Signature', 'SigningCertURL']));

    const [raw] = await drain(tenant, rawQueue.url, 300);
    expect(raw!.Body).toBe('{"status":"paid"}');
    expect(raw!.MessageAttributes).toEqual({ kind: { DataType: 'String', StringValue: 'big' }, n: { DataType: 'Number', StringValue: '5' } });
    // n is 5, not above 10: the attribute filter refuses it; the body filter passes it.
    expect(await drain(tenant, filteredQueue.url, 300)).toEqual([]);
    expect(await drain(tenant, bodyFilteredQueue.url, 300)).toHaveLength(1);
  });

  it('sends each protocol its entry of a MessageStructure json message', async () => {
    const tenant = await createTenant();
    const topic = await createTopic(tenant, 'structured');
    const queue = await createQueue(tenant, 'structured-q');
    await subscribe(tenant, topic, 'sqs', queue.arn, { RawMessageDelivery: 'true' });
    await snsOk(tenant, 'Publish', { TopicArn: topic, MessageStructure: 'json', Message: JSON.stringify({ default: 'd', sqs: 'for queues' }) });
    await snsOk(tenant, 'Publish', { TopicArn: topic, MessageStructure: 'json', Message: JSON.stringify({ default: 'only default' }) });
    expect((await drain(tenant, queue.url, 300)).map((m) => m.Body).sort()).toEqual(['for queues', 'only default']);
  });

  it('invokes a subscribed function asynchronously with SNS\'s event, only when its resource policy allows sns.amazonaws.com', async () => {
    const tenant = await createTenant();
    const topic = await createTopic(tenant, 'to-fn');
    const allowed = await recordingFunction(tenant, 'allowed', topic);
    const notAllowed = await recordingFunction(tenant, 'not-allowed');
    const subscription = await subscribe(tenant, topic, 'lambda', allowed);
    await subscribe(tenant, topic, 'lambda', notAllowed);
    const messageId = xmlValue(await snsOk(tenant, 'Publish', {
      TopicArn: topic, Message: 'hi',
      'MessageAttributes.entry.1.Name': 'bin', 'MessageAttributes.entry.1.Value.DataType': 'Binary', 'MessageAttributes.entry.1.Value.BinaryValue': 'AQID',
    }), 'MessageId');
    const [event] = await loggedEvents(tenant, 'allowed', 1);
    expect(event).toEqual({
      Records: [{
        EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: subscription,
        Sns: {
          Type: 'Notification', MessageId: messageId, TopicArn: topic, Subject: null, Message: 'hi', Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          SignatureVersion: '1', Signature: expect.any(String), SigningCertUrl: expect.any(String), UnsubscribeUrl: expect.stringContaining(encodeURIComponent(subscription)),
          MessageAttributes: { bin: { Type: 'Binary', Value: 'AQID' } },
        },
      }],
    });
    const logs = env.LOGS.get(env.LOGS.idFromName(tenant.accountId));
    expect(await logs.readEvents('/aws/lambda/not-allowed')).toEqual([]);
  });

  it('refuses bad messages and a missing topic in SNS\'s words', async () => {
    const tenant = await createTenant();
    const topic = await createTopic(tenant, 'strict-pub');
    const cases: [Record<string, string>, string][] = [
      [{ TopicArn: topic }, 'Invalid parameter: Empty message'],
      [{ TopicArn: topic, Message: 'x'.repeat(262_145) }, 'Invalid parameter: Message too long'],
      [{ TopicArn: topic, Message: 'm', Subject: 'line\nbreak' }, 'Invalid parameter: Subject'],
      [{ TopicArn: topic, Message: '{"sqs":"x"}', MessageStructure: 'json' }, 'Invalid parameter: Message Structure - No default entry in JSON message body'],
      [{ TopicArn: topic, Message: 'not json', MessageStructure: 'json' }, 'Invalid parameter: Message Structure - JSON message body failed to parse'],
      [{ TopicArn: topic, Message: 'm', 'MessageAttributes.entry.1.Name': 'n', 'MessageAttributes.entry.1.Value.DataType': 'Number', 'MessageAttributes.entry.1.Value.StringValue': 'abc' },
        "Invalid parameter: Could not cast message attribute 'n' value to number."],
      [{ TopicArn: topic, Message: 'm', 'MessageAttributes.entry.1.Name': 'n', 'MessageAttributes.entry.1.Value.DataType': 'Date', 'MessageAttributes.entry.1.Value.StringValue': 'x' },
        "Invalid parameter: The message attribute 'n' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."],
      [{ Message: 'm' }, 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter'],
    ];
    for (const [params, message] of cases) {
      const refused = await sns(tenant, 'Publish', params);
      expect([refused.status, errorCode(refused.text), errorMessage(refused.text)]).toEqual([400, 'InvalidParameter', message]);
    }
    const missing = await sns(tenant, 'Publish', { TopicArn: `${topic}-gone`, Message: 'm' });
    expect([missing.status, errorCode(missing.text)]).toEqual([404, 'NotFound']);
  });
});

describe('Publish from inside a function', () => {
  it('publishes with the role\'s credentials through the internal endpoint', async () => {
    const tenant = await createTenant();
    const topic = await createTopic(tenant, 'from-fn');
    const queue = await createQueue(tenant, 'from-fn-q');
    await subscribe(tenant, topic, 'sqs', queue.arn, { RawMessageDelivery: 'true' });
    const created = await tenant.send('POST', '/2015-03-31/functions', {
      FunctionName: 'publisher', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Timeout: 10,
      Code: { ZipFile: zipBase64({ 'index.mjs': signerSource, 'aws4fetch.mjs': aws4fetchSource }) },
    });
    expect(created.status).toBe(201);
    const body = new URLSearchParams({ Action: 'Publish', Version: '2010-03-31', TopicArn: topic, Message: 'from inside' }).toString();
    const response = await tenant.send('POST', '/2015-03-31/functions/publisher/invocations', {
      calls: [{ method: 'POST', path: '/', service: 'sns', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
    });
    const seen = (await response.json()) as { results: { status: number; body: string }[] };
    expect(seen.results[0]!.status, seen.results[0]!.body).toBe(200);
    expect(seen.results[0]!.body).toContain('<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>');
    expect((await drain(tenant, queue.url, 300)).map((m) => m.Body)).toEqual(['from inside']);
  });
});

describe('PublishBatch', () => {
  it('publishes up to 10 entries, reports bad ones as failed, and refuses malformed batches', async () => {
    const tenant = await createTenant();
    const topic = await createTopic(tenant, 'batch');
    const queue = await createQueue(tenant, 'batch-q');
    await subscribe(tenant, topic, 'sqs', queue.arn, { RawMessageDelivery: 'true' });
    const entries = (list: { Id: string; Message?: string }[]) => Object.fromEntries(list.flatMap((entry, i) => [
      [`PublishBatchRequestEntries.member.${i + 1}.Id`, entry.Id],
      ...(entry.Message === undefined ? [] : [[`PublishBatchRequestEntries.member.${i + 1}.Message`, entry.Message]]),
    ]));
    const answer = await snsOk(tenant, 'PublishBatch', { TopicArn: topic, ...entries([{ Id: 'a', Message: 'one' }, { Id: 'b' }, { Id: 'c', Message: 'three' }]) });
    expect(answer.match(/<member><Id>[ac]<\/Id><MessageId>[0-9a-f-]{36}<\/MessageId><\/member>/g)).toHaveLength(2);
    expect(answer).toContain('<Failed><member><Id>b</Id><Code>InvalidParameter</Code><Message>Invalid parameter: Empty message</Message><SenderFault>true</SenderFault></member></Failed>');
    expect((await drain(tenant, queue.url, 300)).map((m) => m.Body).sort()).toEqual(['one', 'three']);

    const eleven = entries(Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, Message: 'm' })));
    const cases: [Record<string, string>, string][] = [
      [{ TopicArn: topic }, 'EmptyBatchRequest'],
      [{ TopicArn: topic, ...eleven }, 'TooManyEntriesInBatchRequest'],
      [{ TopicArn: topic, ...entries([{ Id: 'same', Message: 'm' }, { Id: 'same', Message: 'n' }]) }, 'BatchEntryIdsNotDistinct'],
      [{ TopicArn: topic, ...entries([{ Id: 'no spaces', Message: 'm' }]) }, 'InvalidBatchEntryId'],
    ];
    for (const [params, code] of cases) {
      const refused = await sns(tenant, 'PublishBatch', params);
      expect([refused.status, errorCode(refused.text)]).toEqual([400, code]);
    }
  });
});

describe('topics as a function\'s dead-letter target and destination', () => {
  it('publishes a failed event with RequestID, ErrorCode and ErrorMessage, and a success\'s invocation record', async () => {
    const tenant = await createTenant();
    const dlqTopic = await createTopic(tenant, 'dead-letters');
    const doneTopic = await createTopic(tenant, 'done');
    const dlq = await createQueue(tenant, 'dead-letters-q');
    const done = await createQueue(tenant, 'done-q');
    await subscribe(tenant, dlqTopic, 'sqs', dlq.arn, { RawMessageDelivery: 'true' });
    await subscribe(tenant, doneTopic, 'sqs', done.arn, { RawMessageDelivery: 'true' });
    await deploy(tenant, 'fails', 'exports.handler = async (e) => { if (e.fail) throw new Error("broken"); return "fine"; };', { DeadLetterConfig: { TargetArn: dlqTopic } });
    const config = await tenant.send('PUT', '/2019-09-25/functions/fails/event-invoke-config', { MaximumRetryAttempts: 0, DestinationConfig: { OnSuccess: { Destination: doneTopic } } });
    expect(config.status).toBe(200);
    const failed = await tenant.send('POST', '/2015-03-31/functions/fails/invocations', { fail: true }, { 'X-Amz-Invocation-Type': 'Event' });
    await tenant.send('POST', '/2015-03-31/functions/fails/invocations', { fail: false }, { 'X-Amz-Invocation-Type': 'Event' });

    const [letter] = await eventually(() => drain(tenant, dlq.url, 300), (m) => m.length > 0);
    expect(JSON.parse(letter!.Body)).toEqual({ fail: true });
    expect(letter!.MessageAttributes).toEqual({
      RequestID: { DataType: 'String', StringValue: failed.headers.get('x-amzn-requestid') },
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: 'broken' },
    });
    const [record] = await eventually(() => drain(tenant, done.url, 300), (m) => m.length > 0);
    expect(JSON.parse(record!.Body)).toMatchObject({ requestContext: { condition: 'Success' }, requestPayload: { fail: false }, responsePayload: 'fine' });
  });

  it('refuses a dead-letter topic the execution role may not publish to', async () => {
    const tenant = await createTenant();
    const topic = await createTopic(tenant, 'locked');
    const role = await roleWithPolicy(tenant.as('iam'), tenant.accountId, 'no-sns');
    const response = await tenant.send('POST', '/2015-03-31/functions', {
      FunctionName: 'x', Runtime: 'nodejs22.x', Role: role.roleArn, Handler: 'index.handler', Code: { ZipFile: zipBase64({ 'index.js': 'exports.handler = async () => 1;' }) },
      DeadLetterConfig: { TargetArn: topic },
    });
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
    expect(((await response.json()) as { message: string }).message).toBe('The provided execution role does not have permissions to call Publish on SNS');
  });

  it('refuses another account\'s topic as a dead-letter target', async () => {
    const tenant = await createTenant();
    const response = await tenant.send('POST', '/2015-03-31/functions', {
      FunctionName: 'x', Runtime: 'nodejs22.x', Role: 'arn:aws:iam::123456789012:role/r', Handler: 'index.handler', Code: { ZipFile: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==' },
      DeadLetterConfig: { TargetArn: 'arn:aws:sns:us-east-1:111111111111:theirs' },
    });
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
  });
});

describe('isolation and IAM', () => {
  it('refuses another account\'s topic with AuthorizationError and keeps listings apart', async () => {
    const owner = await createTenant();
    const other = await createTenant();
    const topic = await createTopic(owner, 'private');
    for (const [action, params] of [['GetTopicAttributes', { TopicArn: topic }], ['Publish', { TopicArn: topic, Message: 'm' }], ['DeleteTopic', { TopicArn: topic }],
      ['Subscribe', { TopicArn: topic, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${other.accountId}:q` }]] as const) {
      const refused = await sns(other, action, params);
      expect([refused.status, errorCode(refused.text)]).toEqual([403, 'AuthorizationError']);
    }
    expect(await snsOk(other, 'ListTopics')).toContain('<Topics/>');
    expect(await snsOk(owner, 'GetTopicAttributes', { TopicArn: topic })).toContain('<key>TopicArn</key>');
  });

  it('asks IAM for sns:<Action> on the topic', async () => {
    const owner = await createTenant();
    const topic = await createTopic(owner, 'guarded');
    const publisher = await userWithPolicy(owner, 'publisher', policyOf({ Effect: 'Allow', Action: 'sns:Publish', Resource: topic }));
    expect((await sns(publisher, 'Publish', { TopicArn: topic, Message: 'm' })).status).toBe(200);
    const denied = await sns(publisher, 'DeleteTopic', { TopicArn: topic });
    expect([denied.status, errorCode(denied.text)]).toEqual([403, 'AuthorizationError']);
    expect(xmlValue(denied.text, 'Message')).toContain('sns:DeleteTopic');
  });

  it('refuses a request signed for another service', async () => {
    const tenant = await createTenant();
    const body = new URLSearchParams({ Action: 'ListTopics', Version: '2010-03-31' }).toString();
    const response = await tenant.as('sqs').send('POST', '/', body, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(403);
  });

  it('deletes an account\'s topics with the account', async () => {
    const tenant = await createTenant();
    await createTopic(tenant, 'doomed');
    expect((await signedClient().send('DELETE', `/api/admin/accounts/${tenant.accountId}`)).status).toBeLessThan(300);
    const store = env.TOPICS.get(env.TOPICS.idFromName(tenant.accountId));
    expect((await store.listTopics('')).items).toEqual([]);
  });
});
