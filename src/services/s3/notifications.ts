// S3 event notifications (docs/S3.md, "Event notifications"): storing a bucket's configuration
// once every destination is checked as S3 checks it (a function whose resource policy lets
// s3.amazonaws.com invoke it for the bucket; a queue or topic of the bucket owner's account, which
// gets s3:TestEvent), and delivering each object event to the configurations it matches: a function
// as an asynchronous invocation (its retries, DLQ and destinations apply), a queue as the message
// body, a topic as a Publish. Every delivery is queued before the S3 request answers.
import { queueStore, s3BucketRegistry, topicStore } from '../../bindings';
import { sendToQueueArn } from '../../queues/deliver';
import { parseQueueArn } from '../../queues/names';
import type { BucketRecord, NotificationRule } from '../../records/s3';
import { destinationsRefused, eventRecord, parseNotificationConfiguration, ruleMatches, testEvent, type ObjectEvent, type ObjectEventName } from '../../s3/notifications';
import { noSuchBucket } from '../../s3/errors';
import { parseTopicArn } from '../../topics/names';
import { serviceMayInvoke } from '../service-invoke';
import { publishToTopic, type EnqueueEvent } from '../topics/publish';
import { existingKeys } from './objects';

/** The service principal a function's resource policy must allow for S3 to invoke it. */
export const S3_SERVICE = 's3.amazonaws.com';

/** The subject of every message S3 publishes to a topic. */
const TOPIC_SUBJECT = 'Amazon S3 Notification';

/** The sequencer of the next event in this isolate: time first, so later events sort after earlier ones. */
let sequence = 0;
/** S3's sequencer: a hex string that grows for later events of a key (here: of any key). */
export function nextSequencer(nowMs = Date.now()): string {
  sequence = (sequence + 1) % 0x10000;
  return (nowMs.toString(16) + sequence.toString(16).padStart(4, '0')).toUpperCase().padStart(18, '0');
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A configuration ID for one given without: 32 random letters and digits. */
function newConfigurationId(): string {
  return [...crypto.getRandomValues(new Uint8Array(32))].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

/**
 * PutBucketNotificationConfiguration: replaces `bucket`'s whole configuration with `document`'s.
 * Unless `skipDestinationValidation`, each destination is checked first and every failure is
 * reported in one InvalidArgument (ArgumentName1/ArgumentValue1...), as S3 reports them; queues
 * and topics that pass got s3:TestEvent.
 */
export async function putNotificationConfiguration(
  env: Env, bucket: BucketRecord, document: string, options: { requestId: string; skipDestinationValidation: boolean; enqueue: EnqueueEvent },
): Promise<void> {
  const rules = parseNotificationConfiguration(document, newConfigurationId);
  if (!options.skipDestinationValidation) {
    const failures = (await Promise.all(rules.map((rule) => checkDestination(env, bucket, rule, options.requestId, options.enqueue)))).filter((f) => f !== undefined);
    if (failures.length > 0) throw destinationsRefused(failures);
  }
  if (!(await s3BucketRegistry(env).setNotifications(bucket.name, bucket.accountId, rules))) throw noSuchBucket(bucket.name);
}

/** Why S3 could not validate a destination, in its words; undefined when it can deliver there. */
async function checkDestination(env: Env, bucket: BucketRecord, rule: NotificationRule, requestId: string, enqueue: EnqueueEvent): Promise<{ name: string; value: string } | undefined> {
  switch (rule.destination) {
    case 'function': {
      const found = await serviceMayInvoke(env, rule.arn, bucket.region, S3_SERVICE, { arn: `arn:aws:s3:::${bucket.name}`, accountId: bucket.accountId });
      if (found.status === 'not-found') return { name: rule.arn, value: 'The destination Lambda does not exist' };
      if (found.status === 'denied') return { name: `${rule.arn}, null`, value: `Not authorized to invoke function [${rule.arn}]` };
      return undefined;
    }
    case 'queue': {
      const address = parseQueueArn(rule.arn);
      if (!address || address.region !== bucket.region || !(await queueStore(env, address.accountId).getQueue(address.name))) {
        return { name: rule.arn, value: 'The destination queue does not exist' };
      }
      // faasbox queues have no queue policies: only the bucket owner's own queues take S3's messages.
      const sent = address.accountId === bucket.accountId && (await sendToQueueArn(env, bucket.accountId, bucket.region, rule.arn, testEvent(bucket.name, requestId))).ok;
      return sent ? undefined : { name: rule.arn, value: 'Permissions on the destination queue do not allow S3 to publish notifications from this bucket' };
    }
    case 'topic': {
      const address = parseTopicArn(rule.arn);
      if (!address || address.region !== bucket.region || !(await topicStore(env, address.accountId).getTopic(address.name))) {
        return { name: rule.arn, value: 'The destination topic does not exist' };
      }
      // A topic's Policy is stored, not enforced (docs/SNS.md): only the bucket owner's own topics take S3's messages.
      if (address.accountId !== bucket.accountId) {
        return { name: rule.arn, value: 'Permissions on the destination topic do not allow S3 to publish notifications from this bucket' };
      }
      // Every subscriber of the topic gets the test message, as from S3.
      await publishToTopic(env, { accountId: address.accountId, region: address.region }, address.name, { message: testEvent(bucket.name, requestId), subject: TOPIC_SUBJECT, attributes: {} }, enqueue);
      return undefined;
    }
  }
}

/**
 * Delivers `events` of `bucket` to every configuration each matches, one record per event and
 * configuration; resolves once each delivery is queued. A destination that no longer exists or no
 * longer lets S3 in does not get the event (S3 drops it too); a platform failure throws, so that
 * the request fails rather than lose a delivery.
 */
export async function notifyObjectEvents(env: Env, bucket: BucketRecord, events: readonly ObjectEvent[], enqueue: EnqueueEvent): Promise<void> {
  const rules = bucket.notifications ?? [];
  if (rules.length === 0) return;
  const deliveries: Promise<unknown>[] = [];
  for (const event of events) {
    for (const rule of rules) {
      if (ruleMatches(rule, event.eventName, event.key)) deliveries.push(deliver(env, bucket, rule, JSON.stringify({ Records: [eventRecord(event, rule.id)] }), enqueue));
    }
  }
  await Promise.all(deliveries);
}

async function deliver(env: Env, bucket: BucketRecord, rule: NotificationRule, message: string, enqueue: EnqueueEvent): Promise<void> {
  switch (rule.destination) {
    case 'function': {
      const found = await serviceMayInvoke(env, rule.arn, bucket.region, S3_SERVICE, { arn: `arn:aws:s3:::${bucket.name}`, accountId: bucket.accountId });
      if (found.status !== 'allowed') return;
      const { address } = found;
      await enqueue({ accountId: address.accountId, region: address.region }, found.record, crypto.randomUUID(), message, { qualifier: address.qualifier });
      return;
    }
    case 'queue':
      await sendToQueueArn(env, bucket.accountId, bucket.region, rule.arn, message);
      return;
    case 'topic': {
      const address = parseTopicArn(rule.arn);
      if (!address || address.accountId !== bucket.accountId) return;
      await publishToTopic(env, { accountId: address.accountId, region: address.region }, address.name, { message, subject: TOPIC_SUBJECT, attributes: {} }, enqueue);
    }
  }
}

/**
 * Of `keys` about to be deleted, those whose deletion a configuration of `bucket` would report and
 * that exist (S3 reports the removal of an object, not of a key that was never there). No lookup
 * when no configuration takes `eventName`.
 */
export async function keysToNotify(env: Env, bucket: BucketRecord, eventName: ObjectEventName, keys: readonly string[]): Promise<string[]> {
  const rules = bucket.notifications ?? [];
  const wanted = keys.filter((key) => rules.some((rule) => ruleMatches(rule, eventName, key)));
  return wanted.length === 0 ? [] : existingKeys(env, bucket, wanted);
}
