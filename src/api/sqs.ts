// The SQS-compatible queue API on POST /: the JSON protocol (`X-Amz-Target: AmazonSQS.<Op>`)
// and the older Query protocol (form-encoded, `Version=2012-11-05`), both onto one set of
// operations over the caller's QueueStore. Other services' requests pass through untouched.
import type { Context } from 'hono';
import type { AppContext } from '../protocols/request-context';
import type { AuthenticatedCaller } from '../auth/authenticate';
import type { QueueStore } from '../objects/queue-store';
import type { ReceivedMessage } from '../records/queues';
import { RECEIVE_MAX_MESSAGES, VISIBILITY_TIMEOUT_MAX_SECONDS } from '../records/queues';
import { queueStore } from '../bindings';
import { AwsJsonError } from '../errors';
import { queueDoesNotExist, requestThrottled, sqsError, SqsError } from '../queues/errors';
import { DELAY_MAX_SECONDS, type MessageAttributes } from '../queues/messages';
import { parseQueueArn, parseQueueUrl, queueArn, queueUrl } from '../queues/names';
import type { AwsJsonService } from '../protocols/aws-json';
import { member, OPTIONAL_STRING, optionalIntegerOrText, STRING_LIST, STRING_MAP } from '../protocols/input-members';
import { SQS_ERROR_STYLE, SQS_XMLNS, sqsQueryCodec, type AwsQueryService } from '../protocols/aws-query';
import { settingsAttributes } from '../queues/settings';
import { readConfig } from '../config';
import { quotaMessage } from '../playground/quota-messages';
import { checkAccess, coralAccessDenied, type ServiceAccess } from '../protocols/operation-access';
import { SQS_TAGS_PER_QUEUE_MAX, TAG_KEY_MAX_CHARS, TAG_VALUE_MAX_CHARS } from '../limits';
import { tagProblem } from '../records/tags';

/** Longest ReceiveMessage long poll, and how often it asks the QueueStore again. */
export const RECEIVE_WAIT_MAX_SECONDS = 20;
const RECEIVE_POLL_INTERVAL_MS = 150;
const LIST_QUEUES_MAX_RESULTS = 1000;

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

interface OperationContext {
  caller: AuthenticatedCaller;
  store: DurableObjectStub<QueueStore>;
  env: Env;
  /** Origin of the request, the host part of every QueueUrl answered. */
  origin: string;
  signal: AbortSignal;
}

const OPERATIONS: Record<string, (ctx: OperationContext, input: Input) => Promise<Output>> = {
  async CreateQueue(ctx, input) {
    const name = requiredString(input, 'QueueName');
    const attributes = stringMap(input, 'Attributes');
    checkRedriveTargetAccount(ctx, attributes);
    const tags = stringMap(input, 'tags');
    checkQueueTags(name, tags);
    // SQS's tag on create: sqs:TagQueue too, on the new queue.
    if (Object.keys(tags).length > 0) await checkAccess(ctx.env, ctx.caller, { action: 'sqs:TagQueue', resource: namedQueueArn(ctx, input) }, ACCESS.denied);
    const created = await ctx.store.createQueue(name, attributes, queueCountLimit(ctx), tags);
    if (!created.ok) throw sqsError(created);
    return { QueueUrl: queueUrl(ctx.origin, ctx.caller.accountId, name) };
  },

  async GetQueueUrl(ctx, input) {
    const name = requiredString(input, 'QueueName');
    const owner = optionalString(input, 'QueueOwnerAWSAccountId');
    if ((owner !== undefined && owner !== ctx.caller.accountId) || !(await ctx.store.getQueue(name))) throw queueDoesNotExist();
    return { QueueUrl: queueUrl(ctx.origin, ctx.caller.accountId, name) };
  },

  async ListQueues(ctx, input) {
    const maxResults = integer(input, 'MaxResults', 1, LIST_QUEUES_MAX_RESULTS);
    const page = await ctx.store.listQueues(optionalString(input, 'QueueNamePrefix') ?? '', maxResults ?? LIST_QUEUES_MAX_RESULTS, optionalString(input, 'NextToken') ?? '');
    // SQS omits QueueUrls when there are none, and pages only when MaxResults was given.
    return {
      QueueUrls: page.names.length > 0 ? page.names.map((name) => queueUrl(ctx.origin, ctx.caller.accountId, name)) : undefined,
      NextToken: maxResults !== undefined ? page.nextToken : undefined,
    };
  },

  async SendMessage(ctx, input) {
    const name = queueName(ctx, input);
    if (typeof input.MessageBody !== 'string') throw new SqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
    const attributes = input.MessageAttributes ?? {};
    if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) throw new SqsError('InvalidParameterValue', 'MessageAttributes must be a map.');
    const sent = await ctx.store.sendMessage(name, {
      body: input.MessageBody,
      messageAttributes: attributes as MessageAttributes,
      delaySeconds: integer(input, 'DelaySeconds', 0, DELAY_MAX_SECONDS),
      senderId: ctx.caller.accessKeyId,
    }, heldMessagesLimit(ctx));
    if (!sent.ok) throw sqsError(sent);
    return { MessageId: sent.value.messageId, MD5OfMessageBody: sent.value.md5OfMessageBody, MD5OfMessageAttributes: sent.value.md5OfMessageAttributes };
  },

  async ReceiveMessage(ctx, input) {
    const name = queueName(ctx, input);
    const max = integer(input, 'MaxNumberOfMessages', 1, RECEIVE_MAX_MESSAGES) ?? 1;
    const visibilityTimeout = integer(input, 'VisibilityTimeout', 0, VISIBILITY_TIMEOUT_MAX_SECONDS);
    const systemNames = [...stringList(input, 'AttributeNames'), ...stringList(input, 'MessageSystemAttributeNames')];
    const attributeNames = stringList(input, 'MessageAttributeNames');
    const waitSeconds = integer(input, 'WaitTimeSeconds', 0, RECEIVE_WAIT_MAX_SECONDS) ?? (await ctx.store.getQueue(name))?.settings.receiveWaitTimeSeconds ?? 0;
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      const received = await ctx.store.receiveMessages(name, max, visibilityTimeout);
      if (!received.ok) throw sqsError(received);
      const remainingMs = deadline - Date.now();
      if (received.value.length > 0 || remainingMs <= 0 || ctx.signal.aborted) {
        return { Messages: received.value.length > 0 ? received.value.map((m) => renderMessage(m, systemNames, attributeNames)) : undefined };
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(RECEIVE_POLL_INTERVAL_MS, remainingMs)));
    }
  },

  async DeleteMessage(ctx, input) {
    const name = queueName(ctx, input);
    const deleted = await ctx.store.deleteMessage(name, requiredString(input, 'ReceiptHandle'));
    if (!deleted.ok) throw sqsError(deleted);
    return {};
  },

  async GetQueueAttributes(ctx, input) {
    const name = queueName(ctx, input);
    const requested = stringList(input, 'AttributeNames');
    const found = await ctx.store.getAttributes(name);
    if (!found.ok) throw sqsError(found);
    const { queue, counts } = found.value;
    const all: Record<string, string> = {
      QueueArn: queueArn(ctx.caller.region, ctx.caller.accountId, queue.name),
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      CreatedTimestamp: String(Math.floor(queue.createdAtMs / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.modifiedAtMs / 1000)),
      ...settingsAttributes(queue.settings),
    };
    const attributes: Record<string, string> = {};
    for (const attribute of requested) {
      if (attribute === 'All') Object.assign(attributes, all);
      else if (attribute in all) attributes[attribute] = all[attribute];
      else if (!UNSET_ATTRIBUTES.has(attribute)) throw new SqsError('InvalidAttributeName', `Unknown Attribute ${attribute}.`);
    }
    return { Attributes: Object.keys(attributes).length > 0 ? attributes : undefined };
  },

  async SetQueueAttributes(ctx, input) {
    const name = queueName(ctx, input);
    const attributes = stringMap(input, 'Attributes');
    checkRedriveTargetAccount(ctx, attributes);
    const updated = await ctx.store.setAttributes(name, attributes);
    if (!updated.ok) throw sqsError(updated);
    return {};
  },

  async PurgeQueue(ctx, input) {
    if (!(await ctx.store.purgeQueue(queueName(ctx, input)))) throw queueDoesNotExist();
    return {};
  },

  async DeleteQueue(ctx, input) {
    if (!(await ctx.store.deleteQueue(queueName(ctx, input)))) throw queueDoesNotExist();
    return {};
  },

  async TagQueue(ctx, input) {
    const name = queueName(ctx, input);
    if (input.Tags === undefined) throw new SqsError('MissingParameter', 'The request must contain the parameter Tags.');
    const tags = stringMap(input, 'Tags');
    checkQueueTags(name, tags);
    const changed = await ctx.store.changeTags(name, tags, [], SQS_TAGS_PER_QUEUE_MAX);
    if (!changed.ok) throw sqsError(changed);
    return {};
  },

  async UntagQueue(ctx, input) {
    const name = queueName(ctx, input);
    if (input.TagKeys === undefined) throw new SqsError('MissingParameter', 'The request must contain the parameter TagKeys.');
    const changed = await ctx.store.changeTags(name, {}, stringList(input, 'TagKeys'), SQS_TAGS_PER_QUEUE_MAX);
    if (!changed.ok) throw sqsError(changed);
    return {};
  },

  async ListQueueTags(ctx, input) {
    const queue = await ctx.store.getQueue(queueName(ctx, input));
    if (!queue) throw queueDoesNotExist();
    // SQS omits Tags when the queue has none.
    return { Tags: queue.tags };
  },
};

/**
 * SQS's rules for the tags of one request (TagQueue, CreateQueue): at most 50, keys of 1 to 128
 * characters, values of at most 256, letters, digits, spaces and `_ . : / = + - @`, no `aws:` key.
 */
function checkQueueTags(queue: string, tags: Record<string, string>): void {
  if (Object.keys(tags).length > SQS_TAGS_PER_QUEUE_MAX) throw new SqsError('InvalidParameterValue', `Too many tags added for queue ${queue}.`);
  for (const [key, value] of Object.entries(tags)) {
    const problem = tagProblem(key, value, TAG_KEY_MAX_CHARS, TAG_VALUE_MAX_CHARS);
    if (problem === 'key') throw new SqsError('InvalidParameterValue', `Value ${key} for parameter TagKey is invalid. Reason: a tag key is 1 to ${TAG_KEY_MAX_CHARS} characters of letters, digits, spaces and _ . : / = + - @.`);
    if (problem === 'reserved-key') throw new SqsError('InvalidParameterValue', `Value ${key} for parameter TagKey is invalid. Reason: the aws: prefix is reserved for AWS use.`);
    if (problem === 'value') throw new SqsError('InvalidParameterValue', `Value ${value} for parameter TagValue is invalid. Reason: a tag value is 0 to ${TAG_VALUE_MAX_CHARS} characters of letters, digits, spaces and _ . : / = + - @.`);
  }
}

/** SQS attributes that exist but that a faasbox queue never has (or, RedrivePolicy, may not have): asked for, they are just absent. */
const UNSET_ATTRIBUTES = new Set([
  'Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled',
  'FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit',
]);

/** The message system attributes a standard queue has. */
const SYSTEM_ATTRIBUTES = ['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp'] as const;

function renderMessage(message: ReceivedMessage, systemNames: string[], attributeNames: string[]): Output {
  const system: Record<(typeof SYSTEM_ATTRIBUTES)[number], string> = {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentAtMs),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAtMs),
  };
  const chosenSystem = SYSTEM_ATTRIBUTES.filter((name) => systemNames.includes('All') || systemNames.includes(name));
  const chosenAttributes = Object.keys(message.messageAttributes).filter((name) =>
    attributeNames.some((pattern) =>
      pattern === 'All' || pattern === '.*' || pattern === name || (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1))),
    ),
  );
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    Attributes: chosenSystem.length > 0 ? Object.fromEntries(chosenSystem.map((name) => [name, system[name]])) : undefined,
    MD5OfMessageAttributes: chosenAttributes.length > 0 ? message.md5OfMessageAttributes : undefined,
    MessageAttributes: chosenAttributes.length > 0 ? Object.fromEntries(chosenAttributes.map((name) => [name, message.messageAttributes[name]])) : undefined,
  };
}

/** The queue ARN a QueueUrl names, or `*` when it names none (the operation refuses it). */
const urlQueueArn = (ctx: OperationContext, input: Input): string => {
  const parsed = typeof input.QueueUrl === 'string' ? parseQueueUrl(input.QueueUrl) : undefined;
  return parsed ? queueArn(ctx.caller.region, parsed.accountId, parsed.name) : '*';
};
const namedQueueArn = (ctx: OperationContext, input: Input): string =>
  queueArn(ctx.caller.region, ctx.caller.accountId, typeof input.QueueName === 'string' ? input.QueueName : '');

/** IAM's sqs:<Op> on the queue's ARN (ListQueues: the account's queue ARN prefix, as SQS names it). */
const ACCESS: ServiceAccess<OperationContext, Input> = {
  prefix: 'sqs',
  resources: {
    CreateQueue: namedQueueArn,
    GetQueueUrl: namedQueueArn,
    ListQueues: (ctx) => queueArn(ctx.caller.region, ctx.caller.accountId, ''),
    SendMessage: urlQueueArn,
    ReceiveMessage: urlQueueArn,
    DeleteMessage: urlQueueArn,
    GetQueueAttributes: urlQueueArn,
    SetQueueAttributes: urlQueueArn,
    PurgeQueue: urlQueueArn,
    DeleteQueue: urlQueueArn,
    TagQueue: urlQueueArn,
    UntagQueue: urlQueueArn,
    ListQueueTags: urlQueueArn,
  },
  denied: coralAccessDenied('application/x-amz-json-1.0'),
};

/** A RedrivePolicy may only name a queue of the caller's account and region: others do not exist. */
/** A playground sandbox's queue count (SQS's OverLimit past it); undefined for every other caller. */
function queueCountLimit(ctx: OperationContext): { max: number; message: string } | undefined {
  if (!ctx.caller.playground) return undefined;
  const config = readConfig(ctx.env);
  return { max: config.playgroundQueues, message: quotaMessage(config, 'queues') };
}

/** A playground sandbox's messages held per queue, sent, in flight or delayed (OverLimit past it); undefined for every other caller. */
function heldMessagesLimit(ctx: OperationContext): { max: number; message: string } | undefined {
  if (!ctx.caller.playground) return undefined;
  const config = readConfig(ctx.env);
  return { max: config.playgroundQueueMessages, message: quotaMessage(config, 'queue-messages') };
}

function checkRedriveTargetAccount(ctx: OperationContext, attributes: Record<string, string>): void {
  if (!attributes.RedrivePolicy) return;
  let arn: unknown;
  try {
    arn = (JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn?: unknown } | null)?.deadLetterTargetArn;
  } catch {
    return; // the store answers a malformed policy
  }
  const target = typeof arn === 'string' ? parseQueueArn(arn) : undefined;
  if (target && (target.accountId !== ctx.caller.accountId || target.region !== ctx.caller.region)) {
    throw new SqsError('InvalidParameterValue', `Value ${attributes.RedrivePolicy} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`);
  }
}

/** The queue a QueueUrl names; a URL of another account is a queue that does not exist. */
function queueName(ctx: OperationContext, input: Input): string {
  const url = requiredString(input, 'QueueUrl');
  const parsed = parseQueueUrl(url);
  if (!parsed) throw new SqsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`);
  if (parsed.accountId !== ctx.caller.accountId) throw queueDoesNotExist();
  return parsed.name;
}


function optionalString(input: Input, name: string): string | undefined {
  return member(input, name, OPTIONAL_STRING, () => new SqsError('InvalidParameterValue', `Value for parameter ${name} must be a string.`));
}

function requiredString(input: Input, name: string): string {
  const value = optionalString(input, name);
  if (value === undefined || value === '') throw new SqsError('MissingParameter', `The request must contain the parameter ${name}.`);
  return value;
}

/** An integer parameter in [min, max]; the Query protocol sends it as a string. */
function integer(input: Input, name: string, min: number, max: number): number | undefined {
  return member(input, name, optionalIntegerOrText(min, max), (raw) =>
    new SqsError('InvalidParameterValue', `Value ${String(raw)} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}, if provided.`));
}

function stringList(input: Input, name: string): string[] {
  return member(input, name, STRING_LIST.nullish().transform((v) => v ?? []), () => new SqsError('InvalidParameterValue', `${name} must be a list of strings.`));
}

function stringMap(input: Input, name: string): Record<string, string> {
  return member(input, name, STRING_MAP.nullish().transform((v) => v ?? {}), () => new SqsError('InvalidParameterValue', `${name} must be a map of strings.`));
}

/** What every operation gets: the caller's own QueueStore, never one named in the request. */
function operationContext(c: Context<AppContext>): OperationContext {
  const caller = c.get('caller');
  return { caller, store: queueStore(c.env, caller.accountId), origin: new URL(c.req.url).origin, signal: c.req.raw.signal, env: c.env };
}

/** SQS on the JSON protocol's dispatch table (src/app.ts). */
export const sqsJsonService: AwsJsonService<OperationContext> = {
  targetPrefix: 'AmazonSQS.',
  contentType: 'application/x-amz-json-1.0',
  signingName: 'sqs',
  // Refused signatures come from AWS's front end, not SQS: its namespace and the REST statuses.
  signatureError: (e) => new AwsJsonError(e.code, e.message, { contentType: 'application/x-amz-json-1.0', typePrefix: 'com.amazon.coral.service#', status: e.status }),
  throttled: requestThrottled,
  operations: OPERATIONS,
  access: ACCESS,
  error: (failure, operation) => {
    if (failure === 'unknown-operation') return unknownOperation(operation);
    return new SqsError('SerializationException', failure === 'not-json' ? 'Request body is not valid JSON' : 'Request body must be a JSON object');
  },
  context: operationContext,
};

/** The same operations on SQS's older Query protocol (form-encoded, `Version=2012-11-05`). */
export const sqsQueryService: AwsQueryService<OperationContext> = {
  version: '2012-11-05',
  signingName: 'sqs',
  xmlns: SQS_XMLNS,
  errorStyle: SQS_ERROR_STYLE,
  codec: sqsQueryCodec,
  operations: OPERATIONS,
  access: ACCESS,
  unknownOperation,
  throttled: requestThrottled,
  context: operationContext,
};

function unknownOperation(name: string): SqsError {
  return new SqsError('UnknownOperation', `Unknown or unsupported operation: ${name || '(none)'}`);
}
