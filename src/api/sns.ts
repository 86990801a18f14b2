// The SNS API on POST / (Query protocol, `Version=2010-03-31`, signed for `sns`; current AWS SDKs,
// boto3 and the CLI all speak Query to SNS): topics, subscriptions of functions, queues and
// HTTP(S) endpoints, Publish
// and PublishBatch over the caller's TopicStore (docs/SNS.md).
import type { Context } from 'hono';
import type { AppContext } from '../protocols/request-context';
import type { AuthenticatedCaller } from '../auth/authenticate';
import type { JsonInput, JsonOutput } from '../protocols/aws-json';
import { memberListCodec, type AwsQueryService } from '../protocols/aws-query';
import type { ServiceAccess } from '../protocols/operation-access';
import { topicStore } from '../bindings';
import type { TopicStore } from '../objects/topic-store';
import { enqueueEvent } from '../invoke/async-events';
import { publishToTopic, type PublishedMessage } from '../services/topics/publish';
import { confirmSubscription, sendConfirmation } from '../services/topics/confirmation';
import type { SubscriptionProtocol, SubscriptionRecord, TopicRecord } from '../records/topics';
import { tagProblem } from '../records/tags';
import { TAG_KEY_MAX_CHARS, TAG_VALUE_MAX_CHARS } from '../limits';
import { invalidSnsParameter, SnsError, subscriptionNotFound, topicNotFound } from '../topics/errors';
import { filterPolicyProblem, type PublishedAttribute } from '../topics/filter-policy';
import { deliveryPolicyProblem } from '../topics/delivery-policy';
import { parseSubscriptionArn, parseTopicArn, TOPIC_NAME, topicArn, type TopicAddress } from '../topics/names';
import { parseQueueArn } from '../queues/names';

export const SNS_SIGNING_NAME = 'sns';
const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** SNS's limits: topics per account, tags per topic, message bytes (with attributes), attributes, subject, display name, batch entries. */
const TOPICS_PER_ACCOUNT_MAX = 100_000;
const TAGS_PER_TOPIC_MAX = 50;
const MESSAGE_MAX_BYTES = 262_144;
const MESSAGE_ATTRIBUTES_MAX = 10;
const SUBJECT_MAX_CHARS = 100;
const DISPLAY_NAME_MAX_CHARS = 100;
const BATCH_ENTRIES_MAX = 10;

/** Topic attributes faasbox keeps and shows (Policy is stored, not enforced; DeliveryPolicy sets HTTP(S) retries: docs/SNS.md). */
const TOPIC_ATTRIBUTES = new Set(['DisplayName', 'Policy', 'DeliveryPolicy', 'TracingConfig', 'SignatureVersion']);
/** Subscription attributes faasbox acts on. */
const SUBSCRIPTION_ATTRIBUTES = new Set(['FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'DeliveryPolicy']);

interface OperationContext {
  caller: AuthenticatedCaller;
  env: Env;
  store: DurableObjectStub<TopicStore>;
  waitUntil: (promise: Promise<unknown>) => void;
  /** The origin the request came to: SubscribeURL and UnsubscribeURL of HTTP(S) subscriptions point at it. */
  origin: string;
}

type Operation = (ctx: OperationContext, input: JsonInput) => Promise<JsonOutput>;

const OPERATIONS: Record<string, Operation> = {
  async CreateTopic(ctx, input) {
    const name = text(input, 'Name');
    if (name === undefined || !TOPIC_NAME.test(name)) {
      throw invalidSnsParameter(name?.endsWith('.fifo') ? 'Topic Name Reason: FIFO topics are not supported by faasbox' : 'Topic Name');
    }
    const attributes = stringMap(input, 'Attributes');
    for (const [key, value] of Object.entries(attributes)) checkTopicAttribute(key, value);
    const tags = tagList(input);
    const created = await ctx.store.createTopic(name, attributes, tags, TOPICS_PER_ACCOUNT_MAX);
    if (!created.ok) {
      if (created.error === 'limit') throw new SnsError('TopicLimitExceeded', 'Topic limit exceeded');
      throw invalidSnsParameter(created.error === 'different-tags' ? 'Tags Reason: Topic already exists with different tags' : 'Attributes Reason: Topic already exists with different attributes');
    }
    return { TopicArn: topicArn(ctx.caller.region, ctx.caller.accountId, name) };
  },

  async DeleteTopic(ctx, input) {
    // Deleting a topic that is not there succeeds, as in SNS.
    await ctx.store.deleteTopic(ownTopic(ctx, input, 'TopicArn').name);
    return {};
  },

  async ListTopics(ctx, input) {
    const page = await ctx.store.listTopics(text(input, 'NextToken') ?? '');
    return { Topics: page.items.map((topic) => ({ TopicArn: topicArn(ctx.caller.region, ctx.caller.accountId, topic.name) })), NextToken: page.nextToken };
  },

  async GetTopicAttributes(ctx, input) {
    const address = ownTopic(ctx, input, 'TopicArn');
    const topic = await ctx.store.getTopic(address.name);
    if (!topic) throw topicNotFound();
    return { Attributes: await topicAttributes(ctx, topic) };
  },

  async SetTopicAttributes(ctx, input) {
    const address = ownTopic(ctx, input, 'TopicArn');
    const name = text(input, 'AttributeName');
    if (name === undefined) throw invalidSnsParameter('AttributeName');
    const value = text(input, 'AttributeValue') ?? '';
    checkTopicAttribute(name, value);
    if (!(await ctx.store.updateTopic(address.name, { attribute: [name, value] }))) throw topicNotFound();
    return {};
  },

  async Subscribe(ctx, input) {
    const address = ownTopic(ctx, input, 'TopicArn');
    const protocol = subscriptionProtocol(text(input, 'Protocol'));
    const endpoint = text(input, 'Endpoint') ?? '';
    checkEndpoint(ctx, protocol, endpoint);
    const attributes = stringMap(input, 'Attributes');
    for (const [key, value] of Object.entries(attributes)) checkSubscriptionAttribute(ctx, protocol, key, value, attributes, 'Attributes Reason: ');
    const returnArn = text(input, 'ReturnSubscriptionArn');
    if (returnArn !== undefined && !['true', 'false'].includes(returnArn.toLowerCase())) throw invalidSnsParameter('ReturnSubscriptionArn');
    const arn = `${topicArn(address.region, address.accountId, address.name)}:${crypto.randomUUID()}`;
    const web = protocol === 'http' || protocol === 'https';
    const extra = web ? { confirmation: { token: newToken(), pending: true, authenticated: false, authenticateOnUnsubscribe: false }, linkOrigin: ctx.origin } : {};
    const subscribed = await ctx.store.subscribe(address.name, protocol, endpoint, attributes, arn, ctx.caller.principal.arn, extra);
    if (!subscribed.ok) {
      if (subscribed.error === 'no-topic') throw topicNotFound();
      throw invalidSnsParameter('Attributes Reason: Subscription already exists with different attributes');
    }
    const subscription = subscribed.value;
    if (!subscription.confirmation?.pending) return { SubscriptionArn: subscription.arn };
    // A pending subscription is sent its confirmation again on every Subscribe, as SNS does.
    await sendConfirmation(ctx.env, ctx.caller, subscription);
    return { SubscriptionArn: returnArn?.toLowerCase() === 'true' ? subscription.arn : 'pending confirmation' };
  },

  async ConfirmSubscription(ctx, input) {
    const address = ownTopic(ctx, input, 'TopicArn');
    const token = text(input, 'Token');
    if (token === undefined || token === '') throw invalidSnsParameter('Token');
    const flag = text(input, 'AuthenticateOnUnsubscribe');
    if (flag !== undefined && !['true', 'false'].includes(flag.toLowerCase())) throw invalidSnsParameter('AuthenticateOnUnsubscribe');
    const confirmed = await confirmSubscription(ctx.env, address, token, { authenticated: true, authenticateOnUnsubscribe: flag?.toLowerCase() === 'true' });
    return { SubscriptionArn: confirmed.arn };
  },

  async Unsubscribe(ctx, input) {
    const arn = ownSubscription(ctx, input);
    if (!(await ctx.store.unsubscribe(arn))) throw subscriptionNotFound();
    return {};
  },

  async ListSubscriptions(ctx, input) {
    const page = await ctx.store.listSubscriptions(undefined, text(input, 'NextToken') ?? '');
    return { Subscriptions: page.items.map((s) => subscriptionSummary(ctx, s)), NextToken: page.nextToken };
  },

  async ListSubscriptionsByTopic(ctx, input) {
    const address = ownTopic(ctx, input, 'TopicArn');
    if (!(await ctx.store.getTopic(address.name))) throw topicNotFound();
    const page = await ctx.store.listSubscriptions(address.name, text(input, 'NextToken') ?? '');
    return { Subscriptions: page.items.map((s) => subscriptionSummary(ctx, s)), NextToken: page.nextToken };
  },

  async GetSubscriptionAttributes(ctx, input) {
    const subscription = await ctx.store.getSubscription(ownSubscription(ctx, input));
    if (!subscription) throw subscriptionNotFound();
    const summary = { ...subscriptionSummary(ctx, subscription), SubscriptionArn: subscription.arn };
    const confirmation = subscription.confirmation;
    const attributes: Record<string, string> = {
      ...summary,
      ConfirmationWasAuthenticated: String(confirmation ? confirmation.authenticated : true),
      PendingConfirmation: String(confirmation?.pending ?? false),
      RawMessageDelivery: 'false',
      SubscriptionPrincipal: subscription.principalArn,
      ...subscription.attributes,
    };
    if (attributes.FilterPolicy && !attributes.FilterPolicyScope) attributes.FilterPolicyScope = 'MessageAttributes';
    return { Attributes: attributes };
  },

  async SetSubscriptionAttributes(ctx, input) {
    const arn = ownSubscription(ctx, input);
    const name = text(input, 'AttributeName');
    if (name === undefined) throw invalidSnsParameter('AttributeName');
    const value = text(input, 'AttributeValue') ?? '';
    const subscription = await ctx.store.getSubscription(arn);
    if (!subscription) throw subscriptionNotFound();
    if (value !== '') checkSubscriptionAttribute(ctx, subscription.protocol, name, value, { ...subscription.attributes, [name]: value }, '');
    else if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw invalidSnsParameter('AttributeName');
    await ctx.store.setSubscriptionAttribute(arn, name, value);
    return {};
  },

  async Publish(ctx, input) {
    const address = publishTarget(ctx, input);
    const problem = publishedMessage(input);
    if (typeof problem === 'string') throw invalidSnsParameter(problem);
    const messageId = await publishToTopic(ctx.env, ctx.caller, address.name, problem, enqueue(ctx));
    if (messageId === undefined) throw topicNotFound();
    return { MessageId: messageId };
  },

  async PublishBatch(ctx, input) {
    const address = ownTopic(ctx, input, 'TopicArn');
    const entries = input.PublishBatchRequestEntries;
    if (entries === undefined || (Array.isArray(entries) && entries.length === 0)) throw new SnsError('EmptyBatchRequest', "The batch request doesn't contain any entries.");
    if (!Array.isArray(entries) || !entries.every(isRecord)) throw invalidSnsParameter('PublishBatchRequestEntries');
    if (entries.length > BATCH_ENTRIES_MAX) throw new SnsError('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
    const ids = entries.map((entry) => entry.Id);
    if (!ids.every((id) => typeof id === 'string' && /^[A-Za-z0-9_-]{1,80}$/.test(id))) {
      throw new SnsError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    }
    if (new Set(ids).size !== ids.length) throw new SnsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
    const total = entries.reduce((sum, entry) => sum + (typeof entry.Message === 'string' ? utf8Bytes(entry.Message) : 0), 0);
    if (total > MESSAGE_MAX_BYTES) throw new SnsError('BatchRequestTooLong', 'The length of all the messages put together is more than the limit.');
    if (!(await ctx.store.getTopic(address.name))) throw topicNotFound();
    const successful: JsonOutput[] = [];
    const failed: JsonOutput[] = [];
    for (const entry of entries) {
      const message = publishedMessage(entry);
      if (typeof message === 'string') {
        failed.push({ Id: entry.Id, Code: 'InvalidParameter', Message: `Invalid parameter: ${message}`, SenderFault: true });
        continue;
      }
      const messageId = await publishToTopic(ctx.env, ctx.caller, address.name, message, enqueue(ctx));
      if (messageId === undefined) failed.push({ Id: entry.Id, Code: 'NotFound', Message: 'Topic does not exist', SenderFault: true });
      else successful.push({ Id: entry.Id, MessageId: messageId });
    }
    return { Successful: successful, Failed: failed };
  },

  async TagResource(ctx, input) {
    const address = ownTopic(ctx, input, 'ResourceArn');
    const tags = tagList(input);
    const topic = await ctx.store.getTopic(address.name);
    if (!topic) throw new SnsError('ResourceNotFound', 'Resource does not exist');
    if (Object.keys({ ...topic.tags, ...tags }).length > TAGS_PER_TOPIC_MAX) throw new SnsError('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded');
    await ctx.store.updateTopic(address.name, { addTags: tags });
    return {};
  },

  async UntagResource(ctx, input) {
    const address = ownTopic(ctx, input, 'ResourceArn');
    const keys = input.TagKeys;
    if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string')) throw invalidSnsParameter('TagKeys');
    if (!(await ctx.store.updateTopic(address.name, { removeTags: keys as string[] }))) throw new SnsError('ResourceNotFound', 'Resource does not exist');
    return {};
  },

  async ListTagsForResource(ctx, input) {
    const topic = await ctx.store.getTopic(ownTopic(ctx, input, 'ResourceArn').name);
    if (!topic) throw new SnsError('ResourceNotFound', 'Resource does not exist');
    return { Tags: Object.entries(topic.tags).map(([Key, Value]) => ({ Key, Value })) };
  },
};

/** The attributes GetTopicAttributes answers: SNS's computed ones, its defaults, then what was set. */
async function topicAttributes(ctx: OperationContext, topic: TopicRecord): Promise<Record<string, string>> {
  const arn = topicArn(ctx.caller.region, ctx.caller.accountId, topic.name);
  const counts = await ctx.store.subscriptionCounts(topic.name);
  return {
    Policy: defaultTopicPolicy(arn, ctx.caller.accountId),
    Owner: ctx.caller.accountId,
    SubscriptionsPending: String(counts.pending),
    TopicArn: arn,
    EffectiveDeliveryPolicy: EFFECTIVE_DELIVERY_POLICY,
    SubscriptionsConfirmed: String(counts.confirmed),
    DisplayName: '',
    SubscriptionsDeleted: '0',
    ...topic.attributes,
  };
}

/** The policy SNS gives a new topic: its own account may do everything on it. */
function defaultTopicPolicy(arn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [{
      Sid: '__default_statement_ID',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
      Resource: arn,
      Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
    }],
  });
}

const EFFECTIVE_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
});

function checkTopicAttribute(name: string, value: string): void {
  if (name === 'FifoTopic' || name === 'ContentBasedDeduplication') {
    if (value === 'false') return;
    throw invalidSnsParameter(`Attributes Reason: ${name}: FIFO topics are not supported by faasbox`);
  }
  if (!TOPIC_ATTRIBUTES.has(name)) throw invalidSnsParameter(`Attributes Reason: ${name} is not supported by faasbox (supported: ${[...TOPIC_ATTRIBUTES].join(', ')})`);
  if (name === 'DisplayName' && value.length > DISPLAY_NAME_MAX_CHARS) throw invalidSnsParameter('DisplayName Reason: DisplayName is longer than 100 characters');
  if (name === 'Policy' && value !== '' && !isJsonObject(value)) throw invalidSnsParameter(`${name}: Invalid JSON`);
  const deliveryProblem = name === 'DeliveryPolicy' && value !== '' ? deliveryPolicyProblem(value, 'topic') : undefined;
  if (deliveryProblem) throw invalidSnsParameter(`DeliveryPolicy: ${deliveryProblem}`);
  if (name === 'TracingConfig' && !['PassThrough', 'Active'].includes(value)) throw invalidSnsParameter('Attributes Reason: TracingConfig: Invalid value. Must be PassThrough or Active');
  if (name === 'SignatureVersion' && !['1', '2'].includes(value)) throw invalidSnsParameter('SignatureVersion');
}

function subscriptionProtocol(protocol: string | undefined): SubscriptionProtocol {
  if (protocol === undefined || protocol === '') throw invalidSnsParameter('Protocol');
  const lower = protocol.toLowerCase();
  if (lower === 'lambda' || lower === 'sqs' || lower === 'http' || lower === 'https') return lower;
  if (['email', 'email-json', 'sms', 'application', 'firehose'].includes(lower)) {
    throw invalidSnsParameter(`Protocol Reason: faasbox delivers to lambda, sqs, http and https endpoints only; ${lower} subscriptions are not supported`);
  }
  throw invalidSnsParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
}

/**
 * A function or queue ARN of the topic's account and region (other accounts' endpoints are not
 * supported), or a URL of the protocol's scheme. As in SNS any such URL is accepted here; the
 * egress rules apply when it is delivered to (docs/SNS.md).
 */
function checkEndpoint(ctx: OperationContext, protocol: SubscriptionProtocol, endpoint: string): void {
  const { region, accountId } = ctx.caller;
  if (protocol === 'http' || protocol === 'https') {
    if (!endpoint.toLowerCase().startsWith(`${protocol}://`)) throw invalidSnsParameter('Endpoint must match the specified protocol');
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || url.hostname === '' || url.username !== '' || url.password !== '') throw invalidSnsParameter('Endpoint Reason: not a valid URL');
    return;
  }
  if (protocol === 'sqs') {
    const queue = parseQueueArn(endpoint);
    if (!queue) throw invalidSnsParameter('SQS endpoint ARN');
    if (queue.accountId !== accountId || queue.region !== region) throw invalidSnsParameter('Endpoint Reason: faasbox subscribes queues of the topic\'s own account and region only');
    return;
  }
  const parts = endpoint.split(':');
  const isFunction = parts[0] === 'arn' && parts[1] === 'aws' && parts[2] === 'lambda' && parts[5] === 'function' && (parts.length === 7 || parts.length === 8) && parts[6] !== '';
  if (!isFunction) throw invalidSnsParameter('Lambda endpoint ARN');
  if (parts[3] !== region || parts[4] !== accountId) throw invalidSnsParameter('Endpoint Reason: faasbox subscribes functions of the topic\'s own account and region only');
}

/** One subscription attribute, checked as SNS checks it (`prefix`: Subscribe's `Attributes Reason: `). */
function checkSubscriptionAttribute(ctx: OperationContext, protocol: SubscriptionProtocol, name: string, value: string, all: Record<string, string>, prefix: string): void {
  if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw invalidSnsParameter('AttributeName');
  switch (name) {
    case 'RawMessageDelivery':
      if (!['true', 'false'].includes(value.toLowerCase())) throw invalidSnsParameter(`${prefix || 'Attributes Reason: '}RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      if (protocol === 'lambda' && value.toLowerCase() === 'true') throw invalidSnsParameter(`${prefix || 'Attributes Reason: '}Delivery protocol [lambda] does not support raw message delivery.`);
      return;
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody') throw invalidSnsParameter(`${prefix || 'Attributes Reason: '}FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`);
      if (all.FilterPolicy) checkFilterPolicy(all.FilterPolicy, value);
      return;
    case 'FilterPolicy':
      checkFilterPolicy(value, all.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes');
      return;
    case 'RedrivePolicy': {
      let target: unknown;
      try {
        target = (JSON.parse(value) as { deadLetterTargetArn?: unknown } | null)?.deadLetterTargetArn;
      } catch {
        throw invalidSnsParameter('RedrivePolicy: failed to parse JSON.');
      }
      const queue = typeof target === 'string' ? parseQueueArn(target) : undefined;
      if (!queue) throw invalidSnsParameter('RedrivePolicy: deadLetterTargetArn is an invalid arn');
      if (queue.accountId !== ctx.caller.accountId || queue.region !== ctx.caller.region) throw invalidSnsParameter('RedrivePolicy: faasbox dead-letter queues are queues of the topic\'s own account and region');
      return;
    }
    case 'DeliveryPolicy': {
      const problem = deliveryPolicyProblem(value, 'subscription');
      if (problem) throw invalidSnsParameter(`DeliveryPolicy: ${problem}`);
    }
  }
}

function checkFilterPolicy(policy: string, scope: 'MessageAttributes' | 'MessageBody'): void {
  const problem = filterPolicyProblem(policy, scope);
  if (problem) throw invalidSnsParameter(`FilterPolicy: ${problem}`);
}

/** A published message from Publish's input (or a batch entry's), or what is wrong with it (after `Invalid parameter: `). */
function publishedMessage(input: Record<string, unknown>): PublishedMessage | string {
  if (input.PhoneNumber !== undefined) return 'PhoneNumber Reason: SMS is not supported by faasbox';
  if (input.MessageGroupId !== undefined) return 'The request includes MessageGroupId parameter that is not valid for this topic type';
  if (input.MessageDeduplicationId !== undefined) return 'The request includes MessageDeduplicationId parameter that is not valid for this topic type';
  const message = input.Message;
  if (typeof message !== 'string' || message === '') return 'Empty message';
  const subject = input.Subject;
  if (subject !== undefined && (typeof subject !== 'string' || subject === '' || subject.length > SUBJECT_MAX_CHARS || /[\u0000-\u001f]/.test(subject))) return 'Subject';
  const structure = input.MessageStructure;
  if (structure !== undefined && structure !== 'json') return 'MessageStructure';
  if (structure === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return 'Message Structure - JSON message body failed to parse';
    }
    if (!isRecord(parsed) || !('default' in parsed)) return 'Message Structure - No default entry in JSON message body';
    if (!Object.values(parsed).every((value) => typeof value === 'string')) return 'Message Structure - JSON message body failed to parse';
  }
  const attributes = messageAttributes(input.MessageAttributes);
  if (typeof attributes === 'string') return attributes;
  const size = utf8Bytes(message) + Object.entries(attributes).reduce((sum, [name, a]) => sum + utf8Bytes(name) + utf8Bytes(a.DataType) + utf8Bytes(a.StringValue ?? a.BinaryValue ?? ''), 0);
  if (size > MESSAGE_MAX_BYTES) return 'Message too long';
  return { message, subject: subject as string | undefined, attributes, perProtocol: structure === 'json' };
}

/** MessageAttributes (`entry.N.Name`, `.Value.DataType/StringValue/BinaryValue`) as SNS checks them. */
function messageAttributes(raw: unknown): Record<string, PublishedAttribute> | string {
  const entries = mapEntries(raw);
  if (entries === undefined) return 'MessageAttributes';
  if (entries.length > MESSAGE_ATTRIBUTES_MAX) return `MessageAttributes Reason: Number of message attributes [${entries.length}] exceeds the allowed maximum [${MESSAGE_ATTRIBUTES_MAX}].`;
  const attributes: Record<string, PublishedAttribute> = {};
  for (const entry of entries) {
    const name = entry.Name;
    const value = entry.Value;
    if (typeof name !== 'string' || name === '__proto__' || !/^[A-Za-z0-9_.-]{1,256}$/.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || /^(aws|amazon)\./i.test(name)) {
      return `MessageAttributes Reason: ${String(name)} is not a valid message attribute name`;
    }
    if (!isRecord(value) || typeof value.DataType !== 'string' || value.DataType === '') return `The message attribute '${name}' must contain non-empty message attribute type.`;
    const type = value.DataType;
    const base = type.split('.')[0];
    if (!['String', 'Number', 'Binary'].includes(base!)) return `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`;
    const stringValue = typeof value.StringValue === 'string' ? value.StringValue : undefined;
    const binaryValue = typeof value.BinaryValue === 'string' ? value.BinaryValue : undefined;
    const given = base === 'Binary' ? binaryValue : stringValue;
    if (given === undefined || given === '') return `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`;
    if (base === 'Number' && !Number.isFinite(Number(given))) return `Could not cast message attribute '${name}' value to number.`;
    if (type === 'String.Array' && !isJsonArray(given)) return `The message attribute '${name}' with type 'String.Array' has an invalid value: must be a JSON array.`;
    attributes[name] = base === 'Binary' ? { DataType: type, BinaryValue: given } : { DataType: type, StringValue: given };
  }
  return attributes;
}

/** A Query map (`Name.entry.N.*`) as its entries in order; undefined when it is malformed; [] when absent. */
function mapEntries(raw: unknown): Record<string, unknown>[] | undefined {
  if (raw === undefined || raw === '') return [];
  if (!isRecord(raw)) return undefined;
  const entry = raw.entry;
  if (entry === undefined) return [];
  if (!isRecord(entry)) return undefined;
  const keys = Object.keys(entry).filter((key) => /^[1-9]\d*$/.test(key)).sort((a, b) => Number(a) - Number(b));
  const entries = keys.map((key) => entry[key]);
  return entries.every(isRecord) ? entries : undefined;
}

/** A `key`/`value` Query map of strings (Attributes). */
function stringMap(input: JsonInput, name: string): Record<string, string> {
  const entries = mapEntries(input[name]);
  if (entries === undefined) throw invalidSnsParameter(name);
  const map: Record<string, string> = {};
  for (const entry of entries) {
    // `__proto__` would be swallowed by the object, not stored: no attribute has that name.
    if (typeof entry.key !== 'string' || entry.key === '__proto__') throw invalidSnsParameter(name);
    map[entry.key] = typeof entry.value === 'string' ? entry.value : '';
  }
  return map;
}

/** `Tags.member.N.Key/Value`, checked as SNS checks tags. */
function tagList(input: JsonInput): Record<string, string> {
  const raw = input.Tags;
  if (raw === undefined || raw === '') return {};
  if (!Array.isArray(raw) || !raw.every(isRecord)) throw invalidSnsParameter('Tags');
  const tags: Record<string, string> = {};
  for (const tag of raw) {
    const key = typeof tag.Key === 'string' ? tag.Key : '';
    if (key === '__proto__') throw invalidSnsParameter('Tags Reason: invalid tag key');
    const value = typeof tag.Value === 'string' ? tag.Value : '';
    const problem = tagProblem(key, value, TAG_KEY_MAX_CHARS, TAG_VALUE_MAX_CHARS);
    if (problem === 'reserved-key') throw invalidSnsParameter('Tags Reason: Keys starting with "aws:" are reserved');
    if (problem) throw invalidSnsParameter(`Tags Reason: invalid tag ${problem === 'key' ? 'key' : 'value'}`);
    tags[key] = value;
  }
  if (Object.keys(tags).length > TAGS_PER_TOPIC_MAX) throw new SnsError('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded');
  return tags;
}

/**
 * The topic a member names, of the caller's own account and region. Another account's topic is
 * refused as SNS refuses it (its default policy lets only its owner in), another region's is not found.
 */
function ownTopic(ctx: OperationContext, input: JsonInput, member: string): TopicAddress {
  const arn = text(input, member);
  if (arn === undefined || arn === '') throw invalidSnsParameter(`${member} Reason: no value for required parameter`);
  const address = parseTopicArn(arn);
  if (!address) throw invalidSnsParameter(`${member} Reason: An ARN must have at least 6 elements, not ${arn.split(':').length}`);
  return checkOwnAddress(ctx, address, arn);
}

function checkOwnAddress(ctx: OperationContext, address: TopicAddress, arn: string): TopicAddress {
  if (address.accountId !== ctx.caller.accountId) {
    throw new SnsError('AuthorizationError', `User: ${ctx.caller.principal.arn} is not authorized to access this resource: ${arn}`);
  }
  if (address.region !== ctx.caller.region) throw topicNotFound();
  return address;
}

/** Publish's TopicArn or TargetArn (a topic's). */
function publishTarget(ctx: OperationContext, input: JsonInput): TopicAddress {
  const member = input.TopicArn !== undefined ? 'TopicArn' : input.TargetArn !== undefined ? 'TargetArn' : undefined;
  if (member === undefined) {
    if (input.PhoneNumber !== undefined) throw invalidSnsParameter('PhoneNumber Reason: SMS is not supported by faasbox');
    throw invalidSnsParameter('TopicArn or TargetArn Reason: no value for required parameter');
  }
  return ownTopic(ctx, input, member);
}

/** The subscription ARN of the input, of a topic of the caller's account. */
function ownSubscription(ctx: OperationContext, input: JsonInput): string {
  const arn = text(input, 'SubscriptionArn');
  if (arn === undefined || arn === '') throw invalidSnsParameter('SubscriptionArn Reason: no value for required parameter');
  const address = parseSubscriptionArn(arn);
  if (!address) throw invalidSnsParameter('SubscriptionArn Reason: An ARN must have at least 6 elements, not 1');
  checkOwnAddress(ctx, address, arn);
  return arn;
}

/** A subscription as the listings show it: one waiting for confirmation has `PendingConfirmation` as its ARN, as in SNS. */
function subscriptionSummary(ctx: OperationContext, subscription: SubscriptionRecord): Record<string, string> {
  return {
    SubscriptionArn: subscription.confirmation?.pending ? 'PendingConfirmation' : subscription.arn,
    Owner: ctx.caller.accountId,
    Protocol: subscription.protocol,
    Endpoint: subscription.endpoint,
    TopicArn: topicArn(ctx.caller.region, ctx.caller.accountId, subscription.topicName),
  };
}

function enqueue(ctx: OperationContext) {
  return (caller: { accountId: string; region: string }, record: Parameters<typeof enqueueEvent>[3], requestId: string, eventJson: string, options: { qualifier?: string }) =>
    enqueueEvent(ctx.env, ctx.waitUntil, caller, record, requestId, eventJson, options);
}

/** A confirmation token: 128 random bytes in hex (SNS's are long hex strings too). */
function newToken(): string {
  return [...crypto.getRandomValues(new Uint8Array(128))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function text(input: JsonInput, name: string): string | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidSnsParameter(name);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isJsonObject(text: string): boolean {
  try {
    return isRecord(JSON.parse(text));
  } catch {
    return false;
  }
}

function isJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}

/** The topic an input's ARN member names, for IAM (`*` when it names none: the operation refuses it). */
const arnOf = (member: string) => (_ctx: OperationContext, input: JsonInput): string => (typeof input[member] === 'string' ? (input[member] as string) : '*');
/** A subscription's topic ARN (IAM names subscription actions on their topic). */
const subscriptionTopicArn = (_ctx: OperationContext, input: JsonInput): string => {
  const address = typeof input.SubscriptionArn === 'string' ? parseSubscriptionArn(input.SubscriptionArn) : undefined;
  return address ? topicArn(address.region, address.accountId, address.name) : '*';
};

/** IAM's sns:<Op> on the topic's ARN (ListTopics and ListSubscriptions: `*`). */
const ACCESS: ServiceAccess<OperationContext, JsonInput> = {
  prefix: 'sns',
  resources: {
    CreateTopic: (ctx, input) => topicArn(ctx.caller.region, ctx.caller.accountId, typeof input.Name === 'string' ? input.Name : ''),
    DeleteTopic: arnOf('TopicArn'),
    GetTopicAttributes: arnOf('TopicArn'),
    SetTopicAttributes: arnOf('TopicArn'),
    Subscribe: arnOf('TopicArn'),
    ConfirmSubscription: arnOf('TopicArn'),
    ListSubscriptionsByTopic: arnOf('TopicArn'),
    Publish: (ctx, input) => arnOf(input.TopicArn !== undefined ? 'TopicArn' : 'TargetArn')(ctx, input),
    PublishBatch: arnOf('TopicArn'),
    Unsubscribe: subscriptionTopicArn,
    GetSubscriptionAttributes: subscriptionTopicArn,
    SetSubscriptionAttributes: subscriptionTopicArn,
    TagResource: arnOf('ResourceArn'),
    UntagResource: arnOf('ResourceArn'),
    ListTagsForResource: arnOf('ResourceArn'),
  },
  denied: (message) => new SnsError('AuthorizationError', message),
};

function operationContext(c: Context<AppContext>): OperationContext {
  const caller = c.get('caller');
  return { caller, env: c.env, store: topicStore(c.env, caller.accountId), waitUntil: (promise) => c.executionCtx.waitUntil(promise), origin: new URL(c.req.url).origin };
}

/** SNS on the Query protocol. */
export const snsQueryService: AwsQueryService<OperationContext> = {
  version: '2010-03-31',
  signingName: SNS_SIGNING_NAME,
  xmlns: SNS_XMLNS,
  errorStyle: { xmlns: SNS_XMLNS, detail: false },
  codec: memberListCodec({ maps: ['Attributes'], timestamps: [], resultAlways: { ListTopics: true, ListSubscriptions: true, ListSubscriptionsByTopic: true, ListTagsForResource: true } }),
  operations: OPERATIONS,
  access: ACCESS,
  unknownOperation: (action) => new SnsError('InvalidAction', `The action ${action || '(none)'} is not valid for this web service.`),
  throttled: () => new SnsError('Throttled', 'Rate exceeded'),
  context: operationContext,
};
