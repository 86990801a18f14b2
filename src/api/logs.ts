// The CloudWatch Logs-compatible read API on POST / (AWS JSON 1.1, `X-Amz-Target:
// Logs_20140328.<Op>`): log groups, streams and events of the caller's own LogStore, plus
// retention and group deletion. Other services' requests pass through untouched.
import type { AuthenticatedCaller } from '../auth/authenticate';
import { AwsJsonError } from '../errors';
import type { AwsJsonService, JsonInput, JsonOutput } from '../protocols/aws-json';
import { member, OPTIONAL_STRING, optionalInteger, STRING_LIST } from '../protocols/input-members';
import { jsonAccessDenied, type ServiceAccess } from '../protocols/operation-access';
import { logStore } from '../bindings';
import { parseFilterPattern } from '../logs/filter-pattern';
import type { LogStore } from '../objects/log-store';
import { RETENTION_DAYS, type ReadLogEvent } from '../records/logs';

const TARGET_PREFIX = 'Logs_20140328.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Page sizes CloudWatch allows: groups and streams up to 50, events up to 10,000. */
const DESCRIBE_LIMIT_MAX = 50;
const EVENTS_LIMIT_MAX = 10_000;

type Input = JsonInput;
type Output = JsonOutput;

interface OperationContext {
  caller: AuthenticatedCaller;
  store: DurableObjectStub<LogStore>;
}

/**
 * A CloudWatch Logs error in the JSON 1.1 shape: HTTP 400, `x-amzn-ErrorType` and
 * `{"__type": code, "message"}`.
 * @example throw new LogsError('ResourceNotFoundException', 'The specified log group does not exist.')
 */
export class LogsError extends AwsJsonError {
  constructor(code: 'ResourceNotFoundException' | 'InvalidParameterException' | 'UnknownOperationException' | 'SerializationException' | 'ThrottlingException', message: string) {
    super(code, message, { contentType: CONTENT_TYPE });
  }
}

const groupNotFound = () => new LogsError('ResourceNotFoundException', 'The specified log group does not exist.');
const streamNotFound = () => new LogsError('ResourceNotFoundException', 'The specified log stream does not exist.');
const invalid = (message: string) => new LogsError('InvalidParameterException', message);

const OPERATIONS: Record<string, (ctx: OperationContext, input: Input) => Promise<Output>> = {
  async DescribeLogGroups(ctx, input) {
    const prefix = optionalString(input, 'logGroupNamePrefix') ?? '';
    const limit = integer(input, 'limit', 1, DESCRIBE_LIMIT_MAX) ?? DESCRIBE_LIMIT_MAX;
    const offset = offsetToken(input);
    const page = await ctx.store.describeGroups(prefix, offset, limit);
    return {
      logGroups: page.groups.map((g) => ({
        logGroupName: g.logGroupName,
        creationTime: g.creationTime,
        retentionInDays: g.retentionInDays,
        metricFilterCount: 0,
        arn: `${groupArn(ctx.caller, g.logGroupName)}:*`,
        logGroupArn: groupArn(ctx.caller, g.logGroupName),
        storedBytes: g.storedBytes,
      })),
      nextToken: page.more ? String(offset + limit) : undefined,
    };
  },

  async DescribeLogStreams(ctx, input) {
    const logGroupName = requiredString(input, 'logGroupName');
    const prefix = optionalString(input, 'logStreamNamePrefix') ?? '';
    const orderBy = optionalString(input, 'orderBy') ?? 'LogStreamName';
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') throw invalid(`orderBy must be LogStreamName or LastEventTime, not '${orderBy}'`);
    if (orderBy === 'LastEventTime' && prefix) throw invalid('Cannot order by LastEventTime with a logStreamNamePrefix.');
    const limit = integer(input, 'limit', 1, DESCRIBE_LIMIT_MAX) ?? DESCRIBE_LIMIT_MAX;
    const offset = offsetToken(input);
    const page = await ctx.store.describeStreams(logGroupName, { prefix, orderBy, descending: input.descending === true, offset, limit });
    if (!page) throw groupNotFound();
    return {
      logStreams: page.streams.map((s) => ({ ...s, arn: `${groupArn(ctx.caller, logGroupName)}:log-stream:${s.logStreamName}`, storedBytes: 0 })),
      nextToken: page.more ? String(offset + limit) : undefined,
    };
  },

  async GetLogEvents(ctx, input) {
    const logGroupName = requiredString(input, 'logGroupName');
    const logStreamName = requiredString(input, 'logStreamName');
    const limit = integer(input, 'limit', 1, EVENTS_LIMIT_MAX) ?? EVENTS_LIMIT_MAX;
    const token = optionalString(input, 'nextToken');
    const match = token === undefined ? undefined : /^([fb])\/(\d+)$/.exec(token);
    if (token !== undefined && !match) throw invalid('The specified nextToken is invalid.');
    // Tokens are event ids: f/<n> reads forward after event n, b/<n> backward before it.
    const cursor: { afterId: number } | { beforeId: number } = match
      ? match[1] === 'f' ? { afterId: Number(match[2]) } : { beforeId: Number(match[2]) }
      : input.startFromHead === true ? { afterId: 0 } : { beforeId: Number.MAX_SAFE_INTEGER };
    const events = await ctx.store.getStreamEvents(logGroupName, logStreamName, { ...timeRange(input), limit, ...cursor });
    if (events === undefined) throw groupNotFound();
    if (events === 'NoStream') throw streamNotFound();
    let forward: number;
    let backward: number;
    if (events.length > 0) {
      forward = events[events.length - 1].id;
      backward = events[0].id;
    } else if ('afterId' in cursor) {
      forward = cursor.afterId;
      backward = cursor.afterId + 1;
    } else {
      forward = cursor.beforeId === Number.MAX_SAFE_INTEGER ? 0 : cursor.beforeId - 1;
      backward = cursor.beforeId;
    }
    return {
      events: events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      nextForwardToken: `f/${forward}`,
      nextBackwardToken: `b/${backward}`,
    };
  },

  async FilterLogEvents(ctx, input) {
    const logGroupName = optionalString(input, 'logGroupName') ?? groupNameFromIdentifier(ctx, input);
    const streamNames = input.logStreamNames === undefined ? undefined : stringList(input, 'logStreamNames');
    const streamPrefix = optionalString(input, 'logStreamNamePrefix');
    if (streamNames && streamPrefix !== undefined) throw invalid('logStreamNames and logStreamNamePrefix are mutually exclusive.');
    const limit = integer(input, 'limit', 1, EVENTS_LIMIT_MAX) ?? EVENTS_LIMIT_MAX;
    const terms = parseFilterPattern(optionalString(input, 'filterPattern') ?? '');
    if ('error' in terms) throw invalid(terms.error);
    const cursor = optionalString(input, 'nextToken');
    if (cursor !== undefined && !/^-?\d+\/\d+$/.test(cursor)) throw invalid('The specified nextToken is invalid.');
    const page = await ctx.store.filterEvents(logGroupName, { streamNames, streamPrefix, ...timeRange(input), limit, cursor }, terms);
    if (!page) throw groupNotFound();
    return {
      events: page.events.map((e: ReadLogEvent) => ({
        logStreamName: e.logStreamName, timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: String(e.id),
      })),
      searchedLogStreams: page.searchedLogStreams.map((logStreamName) => ({ logStreamName, searchedCompletely: page.cursor === undefined })),
      nextToken: page.cursor,
    };
  },

  async PutRetentionPolicy(ctx, input) {
    const logGroupName = requiredString(input, 'logGroupName');
    const days = input.retentionInDays;
    if (typeof days !== 'number' || !(RETENTION_DAYS as readonly number[]).includes(days)) {
      throw invalid(`1 validation error detected: Value '${String(days)}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
    }
    if (!(await ctx.store.setRetention(logGroupName, days))) throw groupNotFound();
    return {};
  },

  async DeleteRetentionPolicy(ctx, input) {
    if (!(await ctx.store.setRetention(requiredString(input, 'logGroupName'), undefined))) throw groupNotFound();
    return {};
  },

  async DeleteLogGroup(ctx, input) {
    if (!(await ctx.store.deleteGroup(requiredString(input, 'logGroupName')))) throw groupNotFound();
    return {};
  },
};

/** The log group a request names (`logGroupName`, or FilterLogEvents' `logGroupIdentifier`), as IAM's `log-group:<name>:*`. */
const groupResource = (ctx: OperationContext, input: Input): string => {
  const identifier = typeof input.logGroupIdentifier === 'string' ? input.logGroupIdentifier.replace(/:\*$/, '') : undefined;
  if (typeof input.logGroupName !== 'string' && identifier?.startsWith('arn:')) return `${identifier}:*`;
  return `${groupArn(ctx.caller, typeof input.logGroupName === 'string' ? input.logGroupName : (identifier ?? ''))}:*`;
};

/** IAM's logs:<Op> on the log group (`...:log-group:<name>:*`), a stream's events on the stream. */
const ACCESS: ServiceAccess<OperationContext, Input> = {
  prefix: 'logs',
  resources: {
    DescribeLogGroups: (ctx) => `${groupArn(ctx.caller, '*')}`,
    DescribeLogStreams: groupResource,
    GetLogEvents: (ctx, input) =>
      `${groupArn(ctx.caller, typeof input.logGroupName === 'string' ? input.logGroupName : '')}:log-stream:${typeof input.logStreamName === 'string' ? input.logStreamName : ''}`,
    FilterLogEvents: groupResource,
    PutRetentionPolicy: groupResource,
    DeleteRetentionPolicy: groupResource,
    DeleteLogGroup: groupResource,
  },
  denied: jsonAccessDenied(CONTENT_TYPE),
};

/** CloudWatch Logs on the JSON protocol's dispatch table (src/app.ts). */
export const logsService: AwsJsonService<OperationContext> = {
  targetPrefix: TARGET_PREFIX,
  contentType: CONTENT_TYPE,
  signingName: 'logs',
  // AWS's JSON 1.1 front end answers every refused signature with 400 (413 for a body too large).
  signatureError: (e) => new AwsJsonError(e.code, e.message, { contentType: CONTENT_TYPE, status: e.status === 413 ? 413 : 400 }),
  throttled: (e) => new LogsError('ThrottlingException', e.message),
  operations: OPERATIONS,
  access: ACCESS,
  error: (failure, operation) => failure === 'unknown-operation'
    ? new LogsError('UnknownOperationException', `Unknown or unsupported operation: ${operation || '(none)'}`)
    : new LogsError('SerializationException', 'Request body is not a valid JSON object'),
  // Tenants only ever reach their own account's LogStore: the id comes from the signature.
  context: (c) => ({ caller: c.get('caller'), store: logStore(c.env, c.get('caller').accountId) }),
};

function groupArn(caller: AuthenticatedCaller, logGroupName: string): string {
  return `arn:aws:logs:${caller.region}:${caller.accountId}:log-group:${logGroupName}`;
}

/** FilterLogEvents also accepts `logGroupIdentifier`: a name, or an ARN of the caller's group. */
function groupNameFromIdentifier(ctx: OperationContext, input: Input): string {
  const identifier = optionalString(input, 'logGroupIdentifier');
  if (identifier === undefined) throw invalid('Either logGroupName or logGroupIdentifier must be specified.');
  const prefix = groupArn(ctx.caller, '');
  if (!identifier.startsWith('arn:')) return identifier;
  if (!identifier.startsWith(prefix)) throw groupNotFound();
  return identifier.slice(prefix.length).replace(/:\*$/, '');
}

/** [startTime, endTime) in epoch milliseconds; CloudWatch's endTime is exclusive. */
function timeRange(input: Input): { startTime: number; endTime: number } {
  return {
    startTime: integer(input, 'startTime', 0, Number.MAX_SAFE_INTEGER) ?? 0,
    endTime: integer(input, 'endTime', 0, Number.MAX_SAFE_INTEGER) ?? Number.MAX_SAFE_INTEGER,
  };
}

function offsetToken(input: Input): number {
  const token = optionalString(input, 'nextToken');
  if (token === undefined) return 0;
  if (!/^\d+$/.test(token)) throw invalid('The specified nextToken is invalid.');
  return Number(token);
}

function optionalString(input: Input, key: string): string | undefined {
  return member(input, key, OPTIONAL_STRING, () => invalid(`${key} must be a string`));
}

function requiredString(input: Input, key: string): string {
  const value = optionalString(input, key);
  if (value === undefined || value === '') throw invalid(`1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`);
  return value;
}

function stringList(input: Input, key: string): string[] {
  return member(input, key, STRING_LIST, () => invalid(`${key} must be a list of strings`));
}

function integer(input: Input, key: string, min: number, max: number): number | undefined {
  return member(input, key, optionalInteger(min, max), (value) =>
    invalid(`1 validation error detected: Value '${String(value)}' at '${key}' failed to satisfy constraint: Member must be between ${min} and ${max}`));
}
