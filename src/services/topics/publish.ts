// Publishing to a topic: the one fan-out that Publish, PublishBatch, a function's dead-letter
// topic and its destination topics share. Each subscription whose filter policy passes gets the
// message: a function as an asynchronous invocation (so its retries and DLQ apply), a queue as
// SNS's envelope or the raw message, an HTTP(S) endpoint as a queued POST with SNS's retries
// (./http-delivery.ts). A delivery SNS could not make goes to the subscription's dead-letter
// queue (RedrivePolicy), if any; none throws.
import { topicStore } from '../../bindings';
import type { Caller } from '../../function-names';
import type { FunctionRecord } from '../../records/function';
import type { SubscriptionRecord, TopicRecord } from '../../records/topics';
import { sendToQueueArn } from '../../queues/deliver';
import { messageMatches, type PublishedAttribute } from '../../topics/filter-policy';
import { httpEnvelope, lambdaEvent, sqsEnvelope, type Notification } from '../../topics/notifications';
import { retryDelays } from '../../topics/delivery-policy';
import { queueHttpDelivery } from './http-delivery';
import { topicArn } from '../../topics/names';
import { parseFunctionArn, serviceMayInvoke } from '../service-invoke';

/** The service principal a function's resource policy must allow for SNS to invoke it. */
export const SNS_SERVICE = 'sns.amazonaws.com';

/** Queues an asynchronous invocation (src/invoke/async-events.ts's enqueueEvent, handed in so that the invocation path can publish too). */
export type EnqueueEvent = (caller: Caller, record: FunctionRecord, requestId: string, eventJson: string, options: { qualifier?: string }) => Promise<void>;

/** One message to publish: the text (or, with MessageStructure json, the per-protocol document), subject, attributes. */
export interface PublishedMessage {
  message: string;
  subject?: string;
  attributes: Record<string, PublishedAttribute>;
  /** MessageStructure json: `message` is `{"default": ..., "sqs": ..., "lambda": ...}`, already checked. */
  perProtocol?: boolean;
}

/**
 * Publishes `published` to topic `topicName` of `caller`'s account; the new message id, or
 * undefined when the topic does not exist. Resolves once every delivery is queued.
 * @example await publishToTopic(env, caller, 'orders', { message: 'hi', attributes: {} }, enqueue)
 */
export async function publishToTopic(env: Env, caller: Caller, topicName: string, published: PublishedMessage, enqueue: EnqueueEvent): Promise<string | undefined> {
  const found = await topicStore(env, caller.accountId).topicForPublish(topicName);
  if (!found) return undefined;
  const messageId = crypto.randomUUID();
  const arn = topicArn(caller.region, caller.accountId, topicName);
  const documents = published.perProtocol ? (JSON.parse(published.message) as Record<string, string>) : undefined;
  const base = { messageId, topicArn: arn, subject: published.subject, timestamp: new Date().toISOString(), attributes: published.attributes };
  await Promise.all(found.subscriptions.map(async (subscription) => {
    const message = documents ? (documents[subscription.protocol] ?? documents.default!) : published.message;
    if (!passesFilter(subscription, message, published.attributes)) return;
    const notification: Notification = { ...base, message };
    if (subscription.protocol === 'http' || subscription.protocol === 'https') {
      await deliverToEndpoint(env, caller, found.topic, subscription, notification);
      return;
    }
    const delivered = subscription.protocol === 'lambda'
      ? await deliverToFunction(env, caller, subscription, notification, enqueue)
      : await deliverToQueue(env, caller, subscription, notification);
    if (!delivered) await deadLetter(env, caller, subscription, notification);
  }));
  return messageId;
}

function passesFilter(subscription: SubscriptionRecord, message: string, attributes: Record<string, PublishedAttribute>): boolean {
  const policy = subscription.attributes.FilterPolicy;
  if (!policy) return true;
  const scope = subscription.attributes.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes';
  return messageMatches(policy, scope, message, attributes);
}

/**
 * Invokes the subscribed function asynchronously, as SNS does, when its resource policy lets
 * sns.amazonaws.com lambda:InvokeFunction for this topic (AWS accepts the subscription either way
 * and fails the delivery otherwise). False when it was not invoked.
 */
async function deliverToFunction(env: Env, caller: Caller, subscription: SubscriptionRecord, notification: Notification, enqueue: EnqueueEvent): Promise<boolean> {
  const address = parseFunctionArn(subscription.endpoint);
  if (!address || address.accountId !== caller.accountId) return false;
  const found = await serviceMayInvoke(env, subscription.endpoint, caller.region, SNS_SERVICE, { arn: notification.topicArn, accountId: caller.accountId });
  if (found.status !== 'allowed') return false;
  await enqueue(caller, found.record, crypto.randomUUID(), JSON.stringify(lambdaEvent(notification, caller.region, subscription.arn)), { qualifier: address.qualifier });
  return true;
}

/** Sends the envelope (or, RawMessageDelivery, the message with its attributes) to the subscribed queue. */
async function deliverToQueue(env: Env, caller: Caller, subscription: SubscriptionRecord, notification: Notification): Promise<boolean> {
  const raw = subscription.attributes.RawMessageDelivery?.toLowerCase() === 'true';
  const body = raw ? notification.message : sqsEnvelope(notification, caller.region, subscription.arn);
  return (await sendToQueueArn(env, caller.accountId, caller.region, subscription.endpoint, body, raw ? notification.attributes : undefined)).ok;
}

/** Queues the POST of SNS's envelope (or, RawMessageDelivery, the message) to the subscribed URL; its retries and dead letter happen in the queue's consumer. */
async function deliverToEndpoint(env: Env, caller: Caller, topic: TopicRecord, subscription: SubscriptionRecord, notification: Notification): Promise<void> {
  const raw = subscription.attributes.RawMessageDelivery?.toLowerCase() === 'true';
  const origin = subscription.linkOrigin ?? '';
  const body = raw ? notification.message : httpEnvelope(notification, caller.region, subscription.arn, origin, topic.attributes.SignatureVersion ?? '1');
  await queueHttpDelivery(env, caller, {
    subscriptionArn: subscription.arn, endpoint: subscription.endpoint, messageType: 'Notification', messageId: notification.messageId, topicArn: notification.topicArn,
    body, raw, retryDelays: retryDelays(subscription.attributes.DeliveryPolicy, topic.attributes.DeliveryPolicy),
    ...(redriveTarget(subscription) !== undefined && { deadLetterArn: redriveTarget(subscription) }),
  });
}

/** A message no delivery took goes to the subscription's dead-letter queue (its RedrivePolicy), as SNS's envelope. */
async function deadLetter(env: Env, caller: Caller, subscription: SubscriptionRecord, notification: Notification): Promise<void> {
  const target = redriveTarget(subscription);
  if (!target) return;
  await sendToQueueArn(env, caller.accountId, caller.region, target, sqsEnvelope(notification, caller.region, subscription.arn));
}

function redriveTarget(subscription: SubscriptionRecord): string | undefined {
  try {
    const policy = JSON.parse(subscription.attributes.RedrivePolicy ?? 'null') as { deadLetterTargetArn?: unknown } | null;
    return typeof policy?.deadLetterTargetArn === 'string' ? policy.deadLetterTargetArn : undefined;
  } catch {
    return undefined;
  }
}
