// Confirming HTTP(S) subscriptions: the SubscriptionConfirmation sent to a new endpoint, and the
// confirmation itself, by the signed ConfirmSubscription or by the public SubscribeURL (the token
// alone, as in SNS); the public UnsubscribeURL of a notification (docs/SECURITY.md).
import { topicStore } from '../../bindings';
import type { Caller } from '../../function-names';
import type { SubscriptionRecord } from '../../records/topics';
import { accountExists } from '../accounts';
import { retryDelays } from '../../topics/delivery-policy';
import { invalidSnsParameter, SnsError } from '../../topics/errors';
import { confirmationBody } from '../../topics/notifications';
import { parseSubscriptionArn, topicArn, type TopicAddress } from '../../topics/names';
import { queueHttpDelivery } from './http-delivery';

/** Queues the SubscriptionConfirmation of a pending HTTP(S) subscription (with the delivery policy's retries). */
export async function sendConfirmation(env: Env, caller: Caller, subscription: SubscriptionRecord): Promise<void> {
  const token = subscription.confirmation?.token;
  if (token === undefined) return;
  const topic = await topicStore(env, caller.accountId).getTopic(subscription.topicName);
  const arn = topicArn(caller.region, caller.accountId, subscription.topicName);
  const messageId = crypto.randomUUID();
  const body = confirmationBody({ messageId, topicArn: arn, token, timestamp: new Date().toISOString() }, caller.region, subscription.linkOrigin ?? '', topic?.attributes.SignatureVersion ?? '1');
  await queueHttpDelivery(env, caller, {
    subscriptionArn: subscription.arn, endpoint: subscription.endpoint, messageType: 'SubscriptionConfirmation', messageId, topicArn: arn,
    body, raw: false, retryDelays: retryDelays(subscription.attributes.DeliveryPolicy, topic?.attributes.DeliveryPolicy),
  });
}

/**
 * Confirms the subscription of `topic` that `token` was sent to; SNS's `Invalid parameter: Token`
 * when there is none (a wrong token, another topic's, an unsubscribed one).
 */
export async function confirmSubscription(env: Env, topic: TopicAddress, token: string, how: { authenticated: boolean; authenticateOnUnsubscribe: boolean }): Promise<SubscriptionRecord> {
  if (!(await accountExists(env, topic.accountId))) throw invalidSnsParameter('Token');
  const confirmed = await topicStore(env, topic.accountId).confirmSubscription(topic.name, token, how.authenticated, how.authenticateOnUnsubscribe);
  if (!confirmed) throw invalidSnsParameter('Token');
  return confirmed;
}

/**
 * The public UnsubscribeURL: removes an HTTP(S) subscription named by its ARN (an unguessable
 * UUID that only the endpoint and the account see), unless it was confirmed with
 * AuthenticateOnUnsubscribe, which leaves only the signed Unsubscribe.
 */
export async function unsubscribeByLink(env: Env, subscriptionArn: string): Promise<void> {
  const address = parseSubscriptionArn(subscriptionArn);
  if (!address || !(await accountExists(env, address.accountId))) throw invalidSnsParameter('SubscriptionArn');
  const store = topicStore(env, address.accountId);
  const subscription = await store.getSubscription(subscriptionArn);
  if (!subscription || (subscription.protocol !== 'http' && subscription.protocol !== 'https')) throw new SnsError('NotFound', 'Subscription does not exist');
  if (subscription.confirmation?.authenticateOnUnsubscribe) {
    throw new SnsError('AuthorizationError', 'This subscription was confirmed with AuthenticateOnUnsubscribe: unsubscribing needs a signed Unsubscribe request');
  }
  await store.unsubscribe(subscriptionArn);
}
