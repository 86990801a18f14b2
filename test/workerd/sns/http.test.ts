// HTTP(S) subscriptions in workerd against the local HTTP target (support/http-target.ts): the
// SubscriptionConfirmation SNS posts, confirming by token (signed ConfirmSubscription) and by the
// public SubscribeURL, notifications (envelope, raw, filter policy), retries after failures, the
// dead letter after the last retry, the egress rules at delivery, and the public UnsubscribeURL.
import { describe, expect, inject, it } from 'vitest';
import { env, exports } from 'cloudflare:workers';
import { createTenant, type Tenant } from '../support/signed-client';
import { sqsApi } from '../support/aws-json-client';
import { sns, snsOk } from '../support/sns-client';
import { drain } from '../support/sqs-client';
import { xmlValue } from '../support/iam-client';
import { retryDelays } from '../../../src/topics/delivery-policy';

const target = () => inject('httpTargetUrl');

const attributeParams = (attributes: Record<string, string>, prefix = 'Attributes') =>
  Object.fromEntries(Object.entries(attributes).flatMap(([key, value], i) => [[`${prefix}.entry.${i + 1}.key`, key], [`${prefix}.entry.${i + 1}.value`, value]]));

/** One request the target's `/hook/<key>` received. */
interface Received {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The requests `/hook/<key>` has received, once `count` have arrived. */
async function inbox(key: string, count: number): Promise<Received[]> {
  const response = await fetch(`${target()}/inbox/${key}?count=${count}`);
  return response.json();
}

/** A tenant, a topic and an http subscription of `/hook/<key>` (plus `query`), its Subscribe answer and the confirmation it was sent. */
async function subscribed(key: string, attributes: Record<string, string> = {}, query = '') {
  const tenant = await createTenant();
  const topicArn = xmlValue(await snsOk(tenant, 'CreateTopic', { Name: `t-${key}` }), 'TopicArn');
  const answer = await snsOk(tenant, 'Subscribe', { TopicArn: topicArn, Protocol: 'http', Endpoint: `${target()}/hook/${key}${query}`, ...attributeParams(attributes) });
  return { tenant, topicArn, answer };
}

/** Confirms with the token of the confirmation body; the subscription ARN. */
async function confirm(tenant: Tenant, topicArn: string, confirmation: Received, extra: Record<string, string> = {}): Promise<string> {
  const token = JSON.parse(confirmation.body).Token as string;
  return xmlValue(await snsOk(tenant, 'ConfirmSubscription', { TopicArn: topicArn, Token: token, ...extra }), 'SubscriptionArn');
}

const listed = async (tenant: Tenant, topicArn: string) => [...(await snsOk(tenant, 'ListSubscriptionsByTopic', { TopicArn: topicArn })).matchAll(/<SubscriptionArn>([^<]*)<\/SubscriptionArn>/g)].map((m) => m[1]);

describe('http subscriptions', () => {
  it('answers pending confirmation, posts SNS\'s SubscriptionConfirmation, and confirms with ConfirmSubscription', async () => {
    const key = crypto.randomUUID();
    const { tenant, topicArn, answer } = await subscribed(key);
    expect(xmlValue(answer, 'SubscriptionArn')).toBe('pending confirmation');
    expect(await listed(tenant, topicArn)).toEqual(['PendingConfirmation']);
    expect(await snsOk(tenant, 'GetTopicAttributes', { TopicArn: topicArn })).toMatch(/<key>SubscriptionsPending<\/key>\s*<value>1<\/value>/);

    const [confirmation] = await inbox(key, 1);
    expect(confirmation!.method).toBe('POST');
    expect(confirmation!.headers).toMatchObject({
      'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'SubscriptionConfirmation', 'x-amz-sns-topic-arn': topicArn,
      'user-agent': 'Amazon Simple Notification Service Agent',
    });
    const body = JSON.parse(confirmation!.body);
    expect(Object.keys(body).sort()).toEqual(['Message', 'MessageId', 'Signature', 'SignatureVersion', 'SigningCertURL', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type']);
    expect(body).toMatchObject({ Type: 'SubscriptionConfirmation', TopicArn: topicArn, SignatureVersion: '1', MessageId: confirmation!.headers['x-amz-sns-message-id'] });
    expect(body.Message).toBe(`You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`);
    expect(body.SubscribeURL).toBe(`http://faasbox.test/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${body.Token}`);

    // Nothing reaches a pending subscription.
    await snsOk(tenant, 'Publish', { TopicArn: topicArn, Message: 'before' });
    const wrong = await sns(tenant, 'ConfirmSubscription', { TopicArn: topicArn, Token: 'ab'.repeat(128) });
    expect([wrong.status, xmlValue(wrong.text, 'Code'), xmlValue(wrong.text, 'Message')]).toEqual([400, 'InvalidParameter', 'Invalid parameter: Token']);
    const arn = await confirm(tenant, topicArn, confirmation!);
    expect(arn).toMatch(new RegExp(`^${topicArn}:[0-9a-f-]{36}$`));
    expect(await confirm(tenant, topicArn, confirmation!)).toBe(arn);
    expect(await listed(tenant, topicArn)).toEqual([arn]);
    const attributes = await snsOk(tenant, 'GetSubscriptionAttributes', { SubscriptionArn: arn });
    expect(attributes).toMatch(/<key>PendingConfirmation<\/key>\s*<value>false<\/value>/);
    expect(attributes).toMatch(/<key>ConfirmationWasAuthenticated<\/key>\s*<value>true<\/value>/);

    await snsOk(tenant, 'Publish', {
      TopicArn: topicArn, Message: 'after', Subject: 'Hello',
      'MessageAttributes.entry.1.Name': 'color', 'MessageAttributes.entry.1.Value.DataType': 'String', 'MessageAttributes.entry.1.Value.StringValue': 'red',
    });
    const [, notification] = await inbox(key, 2);
    expect(notification!.headers).toMatchObject({
      'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification', 'x-amz-sns-topic-arn': topicArn, 'x-amz-sns-subscription-arn': arn,
    });
    const sent = JSON.parse(notification!.body);
    expect(Object.keys(sent).sort()).toEqual(['Message', 'MessageAttributes', 'MessageId', 'Signature', 'SignatureVersion', 'SigningCertURL', 'Subject', 'Timestamp', 'TopicArn', 'Type', 'UnsubscribeURL']);
    expect(sent).toMatchObject({
      Type: 'Notification', TopicArn: topicArn, Subject: 'Hello', Message: 'after', MessageAttributes: { color: { Type: 'String', Value: 'red' } },
      MessageId: notification!.headers['x-amz-sns-message-id'],
      UnsubscribeURL: `http://faasbox.test/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(arn)}`,
    });
  });

  it('confirms by the public SubscribeURL, delivers the raw message with RawMessageDelivery, and applies the filter policy', async () => {
    const key = crypto.randomUUID();
    const { tenant, topicArn } = await subscribed(key, { RawMessageDelivery: 'true', FilterPolicy: '{"color":["red"]}' });
    const [confirmation] = await inbox(key, 1);
    const body = JSON.parse(confirmation!.body);
    const badToken = await exports.default.fetch(body.SubscribeURL.replace(/Token=\w+/, 'Token=00'));
    expect([badToken.status, xmlValue(await badToken.text(), 'Code')]).toEqual([400, 'InvalidParameter']);
    const visited = await exports.default.fetch(body.SubscribeURL);
    const text = await visited.text();
    expect(visited.status, text).toBe(200);
    const arn = xmlValue(text, 'SubscriptionArn');
    expect(text).toContain('<ConfirmSubscriptionResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">');
    expect(await snsOk(tenant, 'GetSubscriptionAttributes', { SubscriptionArn: arn })).toMatch(/<key>ConfirmationWasAuthenticated<\/key>\s*<value>false<\/value>/);

    const color = (value: string) => ({ 'MessageAttributes.entry.1.Name': 'color', 'MessageAttributes.entry.1.Value.DataType': 'String', 'MessageAttributes.entry.1.Value.StringValue': value });
    await snsOk(tenant, 'Publish', { TopicArn: topicArn, Message: 'blue one', ...color('blue') });
    await snsOk(tenant, 'Publish', { TopicArn: topicArn, Message: 'red one', ...color('red') });
    const [, delivered] = await inbox(key, 2);
    expect(delivered!.body).toBe('red one');
    expect(delivered!.headers).toMatchObject({ 'x-amz-sns-message-type': 'Notification', 'x-amz-sns-rawdelivery': 'true', 'x-amz-sns-subscription-arn': arn });
  });

  it('retries a failed delivery by the delivery policy, and dead-letters the notification after the last retry', async () => {
    // The first two posts (the confirmation's) answer 500: the third try gets through.
    const key = crypto.randomUUID();
    const policy = JSON.stringify({ healthyRetryPolicy: { numRetries: 3, numNoDelayRetries: 3 } });
    const { tenant, topicArn } = await subscribed(key, { DeliveryPolicy: policy }, '?fail=2');
    const tries = await inbox(key, 3);
    expect(new Set(tries.map((t) => t.headers['x-amz-sns-message-id'])).size).toBe(1);
    const arn = await confirm(tenant, topicArn, tries[2]!);

    // Every post of this one fails: one try and one retry, then the dead-letter queue.
    const failing = crypto.randomUUID();
    const { QueueUrl } = await sqsApi.call<{ QueueUrl: string }>(tenant, 'CreateQueue', { QueueName: 'dead-letters' });
    const other = await snsOk(tenant, 'Subscribe', {
      TopicArn: topicArn, Protocol: 'http', Endpoint: `${target()}/hook/${failing}?fail=100`, ReturnSubscriptionArn: 'true',
      ...attributeParams({ DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { numRetries: 1, numNoDelayRetries: 1 } }), RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:${tenant.accountId}:dead-letters` }) }),
    });
    expect(xmlValue(other, 'SubscriptionArn')).toMatch(new RegExp(`^${topicArn}:`));
    const failedConfirmations = await inbox(failing, 2);
    await confirm(tenant, topicArn, failedConfirmations[0]!);
    await snsOk(tenant, 'Publish', { TopicArn: topicArn, Message: 'to both' });
    expect(JSON.parse((await inbox(key, 4))[3]!.body).Message).toBe('to both');
    const posts = await inbox(failing, 4);
    expect(posts.slice(2).map((p) => JSON.parse(p.body).Message)).toEqual(['to both', 'to both']);
    const dead = await drain(tenant, QueueUrl);
    expect(dead.map((m) => JSON.parse(m.Body).Message)).toEqual(['to both']);
    expect(arn).not.toBe(xmlValue(other, 'SubscriptionArn'));
  });

  it('accepts a loopback endpoint at Subscribe, as SNS does, and refuses it at delivery by the egress rules', async () => {
    const tenant = await createTenant();
    const topicArn = xmlValue(await snsOk(tenant, 'CreateTopic', { Name: 'inside' }), 'TopicArn');
    const { QueueUrl } = await sqsApi.call<{ QueueUrl: string }>(tenant, 'CreateQueue', { QueueName: 'refused' });
    const answer = await snsOk(tenant, 'Subscribe', {
      TopicArn: topicArn, Protocol: 'http', Endpoint: 'http://127.0.0.1:1/admin', ReturnSubscriptionArn: 'true',
      ...attributeParams({ DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { numRetries: 0 } }), RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:${tenant.accountId}:refused` }) }),
    });
    const arn = xmlValue(answer, 'SubscriptionArn');
    // The confirmation never left: the token is read from the store, as the endpoint never could.
    const token = (await env.TOPICS.get(env.TOPICS.idFromName(tenant.accountId)).getSubscription(arn))!.confirmation!.token;
    await snsOk(tenant, 'ConfirmSubscription', { TopicArn: topicArn, Token: token });
    await snsOk(tenant, 'Publish', { TopicArn: topicArn, Message: 'kept inside' });
    const dead = await drain(tenant, QueueUrl);
    expect(dead.map((m) => JSON.parse(m.Body).Message)).toEqual(['kept inside']);
  });

  it('unsubscribes by the public UnsubscribeURL unless confirmed with AuthenticateOnUnsubscribe', async () => {
    for (const authenticate of [false, true]) {
      const key = crypto.randomUUID();
      const { tenant, topicArn } = await subscribed(key);
      const [confirmation] = await inbox(key, 1);
      const arn = await confirm(tenant, topicArn, confirmation!, authenticate ? { AuthenticateOnUnsubscribe: 'true' } : {});
      await snsOk(tenant, 'Publish', { TopicArn: topicArn, Message: 'bye' });
      const [, notification] = await inbox(key, 2);
      const visited = await exports.default.fetch(JSON.parse(notification!.body).UnsubscribeURL);
      const text = await visited.text();
      if (authenticate) {
        expect([visited.status, xmlValue(text, 'Code')]).toEqual([403, 'AuthorizationError']);
        expect(await listed(tenant, topicArn)).toEqual([arn]);
      } else {
        expect(visited.status, text).toBe(200);
        expect(text).toContain('<UnsubscribeResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">');
        expect(await listed(tenant, topicArn)).toEqual([]);
      }
    }
  });

  it('refuses an endpoint that does not match its protocol or is no URL, and a retry policy SNS would refuse', async () => {
    const tenant = await createTenant();
    const topicArn = xmlValue(await snsOk(tenant, 'CreateTopic', { Name: 'strict' }), 'TopicArn');
    for (const [protocol, endpoint, message] of [
      ['https', 'http://example.com/hook', 'Invalid parameter: Endpoint must match the specified protocol'],
      ['http', 'ftp://example.com/', 'Invalid parameter: Endpoint must match the specified protocol'],
      ['http', 'http://', 'Invalid parameter: Endpoint Reason: not a valid URL'],
    ] as const) {
      const refused = await sns(tenant, 'Subscribe', { TopicArn: topicArn, Protocol: protocol, Endpoint: endpoint });
      expect([refused.status, xmlValue(refused.text, 'Code'), xmlValue(refused.text, 'Message')]).toEqual([400, 'InvalidParameter', message]);
    }
    const policies: [string, string][] = [
      ['[1]', 'Invalid parameter: DeliveryPolicy: Invalid JSON'],
      ['{"healthyRetryPolicy":{"numRetries":500}}', 'Invalid parameter: DeliveryPolicy: healthyRetryPolicy.numRetries must be an integer from 0 to 100'],
      ['{"healthyRetryPolicy":{"minDelayTarget":30,"maxDelayTarget":10}}', 'Invalid parameter: DeliveryPolicy: healthyRetryPolicy.minDelayTarget must not be greater than maxDelayTarget'],
      ['{"healthyRetryPolicy":{"numRetries":1,"numNoDelayRetries":2}}', 'Invalid parameter: DeliveryPolicy: healthyRetryPolicy: numNoDelayRetries, numMinDelayRetries and numMaxDelayRetries together must not exceed numRetries'],
      ['{"healthyRetryPolicy":{"backoffFunction":"random"}}', 'Invalid parameter: DeliveryPolicy: healthyRetryPolicy.backoffFunction must be one of linear, arithmetic, geometric, exponential'],
    ];
    for (const [policy, message] of policies) {
      const refused = await sns(tenant, 'Subscribe', { TopicArn: topicArn, Protocol: 'https', Endpoint: 'https://example.com/hook', ...attributeParams({ DeliveryPolicy: policy }) });
      expect([refused.status, xmlValue(refused.text, 'Code'), xmlValue(refused.text, 'Message')]).toEqual([400, 'InvalidParameter', message]);
    }
    const topicPolicy = await sns(tenant, 'SetTopicAttributes', { TopicArn: topicArn, AttributeName: 'DeliveryPolicy', AttributeValue: '{"http":{"defaultHealthyRetryPolicy":{"numRetries":-1}}}' });
    expect([topicPolicy.status, xmlValue(topicPolicy.text, 'Message')]).toEqual([400, 'Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy.numRetries must be an integer from 0 to 100']);
  });

  it('delivers a message too large for a queue message through R2', async () => {
    const key = crypto.randomUUID();
    const { tenant, topicArn } = await subscribed(key, { RawMessageDelivery: 'true' });
    const [confirmation] = await inbox(key, 1);
    await confirm(tenant, topicArn, confirmation!);
    const large = 'x'.repeat(200_000);
    await snsOk(tenant, 'Publish', { TopicArn: topicArn, Message: large });
    expect((await inbox(key, 2))[1]!.body).toBe(large);
  });
});

describe('delivery policy', () => {
  it('spaces retries as SNS\'s phases say: immediate, at the minimum, backoff, at the maximum', () => {
    expect(retryDelays(undefined, undefined)).toEqual([20, 20, 20]);
    const policy = { healthyRetryPolicy: { numRetries: 8, numNoDelayRetries: 1, numMinDelayRetries: 2, numMaxDelayRetries: 1, minDelayTarget: 10, maxDelayTarget: 40 } };
    expect(retryDelays(JSON.stringify(policy), undefined)).toEqual([0, 10, 10, 18, 25, 33, 40, 40]);
    // The topic's http default applies where the subscription sets nothing; the subscription wins.
    const topic = JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 2, minDelayTarget: 5, maxDelayTarget: 5 } } });
    expect(retryDelays(undefined, topic)).toEqual([5, 5]);
    expect(retryDelays(JSON.stringify({ healthyRetryPolicy: { numRetries: 1 } }), topic)).toEqual([5]);
    expect(retryDelays('not json', undefined)).toEqual([20, 20, 20]);
    expect(retryDelays(JSON.stringify({ healthyRetryPolicy: { numRetries: 1000, numNoDelayRetries: 1000 } }), undefined)).toHaveLength(100);
  });
});
