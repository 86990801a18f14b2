// Deliveries to HTTP(S) subscriptions: a SubscriptionConfirmation or a Notification POSTed to the
// endpoint, as SNS posts them. Each delivery travels through the ASYNC_EVENTS queue (so it outlives
// the request that published it) and is tried by that queue's consumer; a failure (a refused
// address, a network error, a timeout, an answer other than 2xx) is retried after the delivery
// policy's delays (src/topics/delivery-policy.ts) by queueing the next attempt, and past the last
// retry the body goes to the subscription's RedrivePolicy queue, if any. The publisher never waits
// for an endpoint.
import { egressRefusal } from '../../../sandbox';
import { topicStore } from '../../bindings';
import type { Caller } from '../../function-names';
import { platformEgressRules } from '../../invoke/invoke-function';
import { sendToQueueArn } from '../../queues/deliver';

/** SNS's timeout of one HTTP(S) delivery. */
const DELIVERY_TIMEOUT_MS = 15_000;
/** Bodies larger than this travel through R2, since a queue message holds at most 128 KB. */
const INLINE_BODY_MAX_BYTES = 96 * 1024;
/** The User-Agent SNS posts with. */
const SNS_USER_AGENT = 'Amazon Simple Notification Service Agent';

/** One queued HTTP(S) delivery. `attempt` counts the retries already made. */
export interface HttpDelivery {
  v: 1;
  kind: 'sns-http';
  accountId: string;
  region: string;
  subscriptionArn: string;
  endpoint: string;
  messageType: 'SubscriptionConfirmation' | 'Notification';
  messageId: string;
  topicArn: string;
  /** The body, or the R2 key holding it. */
  body: { inline: string } | { r2Key: string };
  /** RawMessageDelivery: the body is the message itself. */
  raw: boolean;
  /** Seconds to wait before each retry (their count is the number of retries). */
  retryDelays: number[];
  attempt: number;
  /** The subscription's RedrivePolicy queue. */
  deadLetterArn?: string;
}

/** What to deliver to one subscription. */
export type HttpDeliveryRequest = Omit<HttpDelivery, 'v' | 'kind' | 'accountId' | 'region' | 'body' | 'attempt'> & { body: string };

/** True for the queue messages this module owns. */
export function isHttpDelivery(message: unknown): message is HttpDelivery {
  return typeof message === 'object' && message !== null && (message as { kind?: unknown }).kind === 'sns-http';
}

/**
 * Queues the first attempt of a delivery; resolves once the queue has it.
 * @example await queueHttpDelivery(env, caller, { subscriptionArn, endpoint: 'https://example.com/hook', messageType: 'Notification', ... })
 */
export async function queueHttpDelivery(env: Env, caller: Caller, request: HttpDeliveryRequest): Promise<void> {
  let body: HttpDelivery['body'] = { inline: request.body };
  if (new TextEncoder().encode(request.body).byteLength > INLINE_BODY_MAX_BYTES) {
    const r2Key = `sns-http/${caller.accountId}/${request.messageId}/${crypto.randomUUID()}`;
    await env.CODE.put(r2Key, request.body);
    body = { r2Key };
  }
  const delivery: HttpDelivery = { ...request, v: 1, kind: 'sns-http', accountId: caller.accountId, region: caller.region, body, attempt: 0 };
  await env.ASYNC_EVENTS.send(delivery, { contentType: 'json' });
}

/**
 * The queue consumer's handling of one delivery: one POST, then the next attempt queued, the
 * dead letter sent, or (done) the stored body removed. A subscription removed meanwhile stops it.
 */
export async function attemptHttpDelivery(env: Env, delivery: HttpDelivery): Promise<void> {
  const subscription = await topicStore(env, delivery.accountId).getSubscription(delivery.subscriptionArn);
  if (!subscription) return dropBody(env, delivery);
  const body = await bodyText(env, delivery);
  if (body === undefined) return;
  if (await post(env, delivery, body)) return dropBody(env, delivery);
  const delay = delivery.retryDelays[delivery.attempt];
  if (delay !== undefined) {
    await env.ASYNC_EVENTS.send({ ...delivery, attempt: delivery.attempt + 1 }, { contentType: 'json', delaySeconds: delay });
    return;
  }
  console.warn(`sns: delivery ${delivery.messageId} to ${delivery.subscriptionArn} failed after ${delivery.attempt} retries`);
  if (delivery.deadLetterArn && delivery.messageType === 'Notification') {
    await sendToQueueArn(env, delivery.accountId, delivery.region, delivery.deadLetterArn, body);
  }
  await dropBody(env, delivery);
}

/** One POST of the body; true on a 2xx answer. The endpoint must pass the platform's egress rules, as a function's fetch must. */
async function post(env: Env, delivery: HttpDelivery, body: string): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(delivery.endpoint);
  } catch {
    return false;
  }
  const refusal = egressRefusal(url, platformEgressRules(env));
  if (refusal) {
    console.warn(`sns: delivery to ${delivery.subscriptionArn} refused: ${refusal.replace(/^faasbox: fetch/, 'delivery')}`);
    return false;
  }
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=UTF-8',
    'user-agent': SNS_USER_AGENT,
    'x-amz-sns-message-type': delivery.messageType,
    'x-amz-sns-message-id': delivery.messageId,
    'x-amz-sns-topic-arn': delivery.topicArn,
  };
  if (delivery.messageType === 'Notification') headers['x-amz-sns-subscription-arn'] = delivery.subscriptionArn;
  if (delivery.raw) headers['x-amz-sns-rawdelivery'] = 'true';
  try {
    // Redirects are not followed: a redirect could lead past the egress rules.
    const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
    await response.body?.cancel();
    return response.status >= 200 && response.status < 300;
  } catch {
    return false;
  }
}

async function bodyText(env: Env, delivery: HttpDelivery): Promise<string | undefined> {
  if ('inline' in delivery.body) return delivery.body.inline;
  return (await env.CODE.get(delivery.body.r2Key))?.text();
}

async function dropBody(env: Env, delivery: HttpDelivery): Promise<void> {
  if ('r2Key' in delivery.body) await env.CODE.delete(delivery.body.r2Key);
}
