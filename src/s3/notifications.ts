// S3 event notifications without I/O (docs/S3.md, "Event notifications"): reading and checking a
// PutBucketNotificationConfiguration document (event types, key filters, overlaps, ARNs), the
// GetBucketNotificationConfiguration document, which configurations an event matches, and the
// records S3 sends (an event's, and s3:TestEvent).
import type { NotificationDestination, NotificationFilterRule, NotificationRule } from '../records/s3';
import { invalidArgument, malformedXml, notImplemented, S3Error } from './errors';
import { xmlBlocks, xmlDocument, xmlTexts, type XmlElement } from './xml';

/** The three kinds of configuration: their XML element, the element naming the ARN, the ARN's service. */
const KINDS: readonly { destination: NotificationDestination; element: string; arnElement: string; service: string }[] = [
  { destination: 'topic', element: 'TopicConfiguration', arnElement: 'Topic', service: 'sns' },
  { destination: 'queue', element: 'QueueConfiguration', arnElement: 'Queue', service: 'sqs' },
  { destination: 'function', element: 'CloudFunctionConfiguration', arnElement: 'CloudFunction', service: 'lambda' },
];

/** The event types faasbox takes, as S3 names them; the ones its operations produce are in `eventName`. */
export const NOTIFICATION_EVENTS = [
  's3:ObjectCreated:*', 's3:ObjectCreated:Put', 's3:ObjectCreated:Post', 's3:ObjectCreated:Copy', 's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*', 's3:ObjectRemoved:Delete', 's3:ObjectRemoved:DeleteMarkerCreated',
] as const;

/** Event types S3 has that faasbox's S3 never produces (no tagging, ACLs, restores, lifecycle, replication). */
const UNSUPPORTED_EVENT = /^s3:(ReducedRedundancyLostObject|ObjectRestore:|Replication:|LifecycleExpiration:|LifecycleTransition|IntelligentTiering|ObjectTagging:|ObjectAcl:)/;

/** The S3 operations that send notifications, each with the event it sends. */
export type ObjectEventName = 'ObjectCreated:Put' | 'ObjectCreated:Copy' | 'ObjectCreated:CompleteMultipartUpload' | 'ObjectRemoved:Delete';

/** Filter rule values are keys or parts of keys: S3 takes at most 1024 bytes. */
const FILTER_VALUE_MAX_CHARS = 1024;

const OVERLAP = 'Configurations overlap. Configurations on the same bucket cannot share a common event type.';
const AMBIGUOUS = 'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.';

/**
 * The configurations of a PutBucketNotificationConfiguration document, checked as S3 checks them
 * before it looks at any destination: MalformedXML for a document it cannot read, InvalidArgument
 * for an ARN of the wrong service, an unknown event type, a bad filter rule, or two
 * configurations that could both take one event. `newId` names configurations given without Id.
 * @example parseNotificationConfiguration('<NotificationConfiguration/>', () => 'id') // []
 */
export function parseNotificationConfiguration(document: string, newId: () => string): NotificationRule[] {
  const body = document.replace(/^\s*<\?xml[^>]*\?>/, '').trim();
  if (/^<NotificationConfiguration(?:\s[^>]*)?\/>$/.test(body)) return [];
  const root = xmlBlocks(body, 'NotificationConfiguration')[0];
  if (root === undefined) throw malformedXml();
  if (/<EventBridgeConfiguration[\s/>]/.test(root)) throw notImplemented('EventBridgeConfiguration (faasbox has no EventBridge delivery of S3 events)');
  const rules: NotificationRule[] = [];
  let rest = root;
  for (const kind of KINDS) {
    for (const block of xmlBlocks(root, kind.element)) rules.push(parseConfiguration(block, kind, newId));
    rest = rest.replace(new RegExp(`<${kind.element}(?:\\s[^>]*)?>[\\s\\S]*?</${kind.element}>`, 'g'), '');
  }
  if (rest.trim() !== '') throw malformedXml();
  checkOverlaps(rules);
  return rules;
}

function parseConfiguration(block: string, kind: (typeof KINDS)[number], newId: () => string): NotificationRule {
  const known = ['Id', kind.arnElement, 'Event', 'Filter'];
  let rest = block;
  for (const name of known) rest = rest.replace(new RegExp(`<${name}(?:\\s[^>]*)?(?:/>|>[\\s\\S]*?</${name}>)`, 'g'), '');
  if (rest.trim() !== '') throw malformedXml();
  const arns = xmlTexts(block, kind.arnElement).map((a) => a.trim());
  if (arns.length !== 1) throw malformedXml();
  const arn = arns[0];
  if (!new RegExp(`^arn:aws:${kind.service}:`).test(arn)) throw invalidArgument('The ARN could not be parsed', kind.arnElement, arn);
  const events = xmlTexts(block, 'Event').map((e) => e.trim());
  if (events.length === 0) throw malformedXml();
  for (const event of events) checkEvent(event);
  const id = xmlTexts(block, 'Id')[0]?.trim() || newId();
  return { id, destination: kind.destination, arn, events: [...new Set(events)], filterRules: parseFilter(block) };
}

function checkEvent(event: string): void {
  if ((NOTIFICATION_EVENTS as readonly string[]).includes(event)) return;
  if (UNSUPPORTED_EVENT.test(event)) {
    throw invalidArgument(`faasbox does not support notifications of ${event}: its S3 sends only s3:ObjectCreated:* and s3:ObjectRemoved:* events`, 'Event', event);
  }
  throw invalidArgument('The event is not supported for notifications', 'Event', event);
}

function parseFilter(block: string): NotificationFilterRule[] {
  const filter = xmlBlocks(block, 'Filter')[0];
  if (filter === undefined) return [];
  const key = xmlBlocks(filter, 'S3Key')[0];
  if (key === undefined) return [];
  const rules: NotificationFilterRule[] = [];
  for (const rule of xmlBlocks(key, 'FilterRule')) {
    const name = xmlTexts(rule, 'Name')[0];
    const value = xmlTexts(rule, 'Value')[0] ?? (/<Value\s*\/>/.test(rule) ? '' : undefined);
    if (name === undefined || value === undefined) throw malformedXml();
    const lower = name.trim().toLowerCase();
    if (lower !== 'prefix' && lower !== 'suffix') throw invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule.Name', name);
    if (rules.some((r) => r.name.toLowerCase() === lower)) throw invalidArgument(`Cannot specify more than one ${lower} rule in a filter.`, 'FilterRule.Name', name);
    if (value.length > FILTER_VALUE_MAX_CHARS) throw invalidArgument('The filter rule value is too long.', 'FilterRule.Value', value);
    rules.push({ name: lower === 'prefix' ? 'Prefix' : 'Suffix', value });
  }
  return rules;
}

const ruleValue = (rule: NotificationRule, name: NotificationFilterRule['name']) => rule.filterRules.find((r) => r.name === name)?.value ?? '';

/** Whether `a` and `b` name a common event type (`s3:ObjectCreated:*` shares each of its own). */
function shareEventType(a: NotificationRule, b: NotificationRule): boolean {
  const family = (event: string) => event.slice(0, event.lastIndexOf(':'));
  return a.events.some((x) => b.events.some((y) => x === y || (family(x) === family(y) && (x.endsWith(':*') || y.endsWith(':*')))));
}

/** S3 refuses two configurations that one event could match: a common event type with overlapping prefixes and suffixes. */
function checkOverlaps(rules: NotificationRule[]): void {
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const [a, b] = [rules[i], rules[j]];
      if (!shareEventType(a, b)) continue;
      const [pa, pb, sa, sb] = [ruleValue(a, 'Prefix'), ruleValue(b, 'Prefix'), ruleValue(a, 'Suffix'), ruleValue(b, 'Suffix')];
      const prefixesOverlap = pa.startsWith(pb) || pb.startsWith(pa);
      const suffixesOverlap = sa.endsWith(sb) || sb.endsWith(sa);
      if (!prefixesOverlap || !suffixesOverlap) continue;
      throw new S3Error(400, 'InvalidArgument', a.filterRules.length === 0 && b.filterRules.length === 0 ? OVERLAP : AMBIGUOUS);
    }
  }
}

/** The GetBucketNotificationConfiguration document: topics, queues, then functions, each as stored. */
export function notificationConfigurationDocument(rules: readonly NotificationRule[]): string {
  const element: XmlElement = {};
  for (const kind of KINDS) {
    element[kind.element] = rules.filter((r) => r.destination === kind.destination).map((rule) => ({
      Id: rule.id,
      [kind.arnElement]: rule.arn,
      Event: rule.events,
      Filter: rule.filterRules.length === 0 ? undefined : { S3Key: { FilterRule: rule.filterRules.map((r) => ({ Name: r.name, Value: r.value })) } },
    }));
  }
  return xmlDocument('NotificationConfiguration', element);
}

/** Whether `rule` takes `eventName` (e.g. `ObjectCreated:Put`) for `key`: one of its event types and both its filters. */
export function ruleMatches(rule: NotificationRule, eventName: ObjectEventName, key: string): boolean {
  const family = eventName.slice(0, eventName.indexOf(':'));
  const typed = rule.events.includes(`s3:${eventName}`) || rule.events.includes(`s3:${family}:*`);
  return typed && key.startsWith(ruleValue(rule, 'Prefix')) && key.endsWith(ruleValue(rule, 'Suffix'));
}

/**
 * A key as S3's event records carry it: form-URL-encoded (spaces as `+`; letters, digits, `.`,
 * `-`, `_`, `*` and `/` as they are, everything else as %XX of its UTF-8 bytes).
 * @example eventKey('photos/my cat (1).jpg') // 'photos/my+cat+%281%29.jpg'
 */
export function eventKey(key: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(key)) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-_*/]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** What one event says, before a configuration names it. */
export interface ObjectEvent {
  eventName: ObjectEventName;
  bucket: string;
  /** The bucket's region. */
  region: string;
  /** The bucket owner's account. */
  ownerAccountId: string;
  key: string;
  /** Created objects: size in bytes and the ETag without quotes. */
  object?: { size: number; eTag: string };
  /** ISO 8601 with milliseconds. */
  eventTime: string;
  /** Who made the request, as S3's userIdentity.principalId. */
  principalId: string;
  sourceIPAddress: string;
  requestId: string;
  /** Orders events of one key: a later event of a key has a greater sequencer (hex). */
  sequencer: string;
}

/**
 * The record S3 sends for `event` to configuration `configurationId` (eventVersion 2.1), in S3's
 * member order; delivered as `{"Records": [record]}`.
 */
export function eventRecord(event: ObjectEvent, configurationId: string) {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: event.region,
    eventTime: event.eventTime,
    eventName: event.eventName,
    userIdentity: { principalId: event.principalId },
    requestParameters: { sourceIPAddress: event.sourceIPAddress },
    responseElements: { 'x-amz-request-id': event.requestId, 'x-amz-id-2': event.requestId },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: { name: event.bucket, ownerIdentity: { principalId: event.ownerAccountId }, arn: `arn:aws:s3:::${event.bucket}` },
      object: { key: eventKey(event.key), ...(event.object && { size: event.object.size, eTag: event.object.eTag }), sequencer: event.sequencer },
    },
  };
}

/** The message S3 sends to a queue or topic when a configuration names it (s3:TestEvent). */
export function testEvent(bucket: string, requestId: string, time = new Date()): string {
  return JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: time.toISOString(), Bucket: bucket, RequestId: requestId, HostId: requestId });
}

/** Each destination failure of a Put, numbered as S3 numbers them (ArgumentName1, ArgumentValue1, ...). */
export function destinationsRefused(failures: readonly { name: string; value: string }[]): S3Error {
  const fields: Record<string, string> = {};
  failures.forEach((failure, i) => {
    fields[`ArgumentName${i + 1}`] = failure.name;
    fields[`ArgumentValue${i + 1}`] = failure.value;
  });
  return new S3Error(400, 'InvalidArgument', 'Unable to validate the following destination configurations', fields);
}
