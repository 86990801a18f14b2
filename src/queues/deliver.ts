// Delivery into tenant queues from inside faasbox: dead letters and destination records of
// asynchronous invocations. The same QueueStore and checks as SendMessage, without HTTP.
import { queueStore } from '../bindings';
import { isQueueArn, parseQueueArn } from './names';
import type { MessageAttributes } from '../records/queues';

export { isQueueArn, parseQueueArn };

/** The QueueStore of one account: all its queues live in that one object. */

/**
 * Sends `body` to the queue named by `queueArn`, on behalf of `accountId` in `region`.
 * Never throws for a refused delivery; the reasons:
 * 1. `invalid-arn`: `queueArn` is not an SQS queue ARN.
 * 2. `not-found`: the ARN names another account or region, or no such queue exists.
 * 3. `invalid-message`: the queue refused the message (larger than its MaximumMessageSize,
 *    invalid characters or attributes).
 * 4. `kms-access-denied`: the message could not be encrypted at rest (no FAASBOX_ENCRYPTION_KEY).
 * @example await sendToQueueArn(env, '123456789012', 'us-east-1', 'arn:aws:sqs:us-east-1:123456789012:dlq', '{"a":1}')
 */
export async function sendToQueueArn(
  env: Env,
  accountId: string,
  region: string,
  queueArn: string,
  body: string,
  messageAttributes?: MessageAttributes,
): Promise<{ ok: true; messageId: string } | { ok: false; reason: 'not-found' | 'invalid-arn' | 'invalid-message' | 'kms-access-denied' }> {
  const address = parseQueueArn(queueArn);
  if (!address) return { ok: false, reason: 'invalid-arn' };
  if (address.accountId !== accountId || address.region !== region) return { ok: false, reason: 'not-found' };
  const sent = await queueStore(env, accountId).sendMessage(address.name, { body, messageAttributes, senderId: accountId });
  if (sent.ok) return { ok: true, messageId: sent.value.messageId };
  if (sent.error === 'QueueDoesNotExist') return { ok: false, reason: 'not-found' };
  return { ok: false, reason: sent.error === 'KmsAccessDenied' ? 'kms-access-denied' : 'invalid-message' };
}
