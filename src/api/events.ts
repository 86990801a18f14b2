// The EventBridge-compatible rules API on POST / (AWS JSON 1.1, `X-Amz-Target: AWSEvents.<Op>`,
// SigV4 service `events`): schedule rules and their function targets, over the caller's own
// ScheduleStore. Other services' requests pass through untouched. docs/SCHEDULES.md.
import type { AuthenticatedCaller } from '../auth/authenticate';
import { AwsJsonError } from '../errors';
import type { AwsJsonService, JsonInput, JsonOutput } from '../protocols/aws-json';
import { member, OPTIONAL_LIST, OPTIONAL_STRING, optionalInteger } from '../protocols/input-members';
import { jsonAccessDenied, type ServiceAccess } from '../protocols/operation-access';
import { TARGETS_PER_RULE_MAX, type RuleRecord, type RuleState, type TargetRecord } from '../records/schedules';
import { scheduleStore } from '../bindings';
import { ruleArn } from '../schedules/scheduled-event';
import { parseScheduleExpression, SCHEDULE_EXPRESSION_MAX_CHARS } from '../schedules/schedule-expression';
import { scheduleQuotaRefusal } from '../services/playground/quotas';

const TARGET_PREFIX = 'AWSEvents.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** EventBridge's patterns and sizes for rule names, target ids and descriptions. */
const NAME_PATTERN = /^[.\-_A-Za-z0-9]{1,64}$/;
const NAME_PATTERN_TEXT = '[\\.\\-_A-Za-z0-9]+';
const DESCRIPTION_MAX_CHARS = 512;
const INPUT_MAX_CHARS = 8192;
const PUT_TARGETS_MAX = 10;
const REMOVE_TARGETS_MAX = 100;
const LIST_LIMIT_MAX = 100;
const FUNCTION_NAME_PATTERN = /^[a-zA-Z0-9-_]{1,64}$/;
/** A version number, $LATEST or an alias name, as Lambda's qualifiers. */
const QUALIFIER_PATTERN = /^(\$LATEST|[a-zA-Z0-9-_]{1,128})$/;

type Input = JsonInput;
type Output = JsonOutput;

interface OperationContext {
  caller: AuthenticatedCaller;
  store: ReturnType<typeof scheduleStore>;
  env: Env;
}

type EventsErrorCode = 'ResourceNotFoundException' | 'ValidationException' | 'LimitExceededException' | 'UnknownOperationException' | 'SerializationException' | 'ThrottlingException';

/**
 * An EventBridge error in the JSON 1.1 shape: HTTP 400, `x-amzn-ErrorType` and
 * `{"__type": code, "message"}`.
 * @example throw new EventsError('ResourceNotFoundException', 'Rule nightly does not exist on EventBus default.')
 */
export class EventsError extends AwsJsonError {
  constructor(code: EventsErrorCode, message: string) {
    super(code, message, { contentType: CONTENT_TYPE });
  }
}

const ruleNotFound = (name: string) => new EventsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus default.`);
const invalid = (message: string) => new EventsError('ValidationException', message);
const constraintFailed = (value: unknown, member: string, constraint: string) =>
  invalid(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`);

const OPERATIONS: Record<string, (ctx: OperationContext, input: Input) => Promise<Output>> = {
  async PutRule(ctx, input) {
    const name = ruleName(input, 'Name');
    checkEventBus(ctx, input);
    if (input.EventPattern !== undefined && input.EventPattern !== null) throw invalid('EventPattern is not supported by faasbox; only ScheduleExpression rules are.');
    const scheduleExpression = optionalString(input, 'ScheduleExpression', 'scheduleExpression');
    if (scheduleExpression === undefined) throw invalid('Parameter(s) ScheduleExpression or EventPattern must be specified.');
    if (scheduleExpression.length > SCHEDULE_EXPRESSION_MAX_CHARS) {
      throw constraintFailed(scheduleExpression, 'scheduleExpression', `Member must have length less than or equal to ${SCHEDULE_EXPRESSION_MAX_CHARS}`);
    }
    const schedule = parseScheduleExpression(scheduleExpression);
    if ('error' in schedule) throw invalid('Parameter ScheduleExpression is not valid.');
    const refusal = await scheduleQuotaRefusal(ctx.env, ctx.caller, name, schedule);
    if (refusal) throw new EventsError(refusal.code, refusal.message);
    const state = optionalString(input, 'State', 'state') ?? 'ENABLED';
    if (state !== 'ENABLED' && state !== 'DISABLED') throw constraintFailed(state, 'state', 'Member must satisfy enum value set: [ENABLED, DISABLED]');
    const description = optionalString(input, 'Description', 'description');
    if (description !== undefined && description.length > DESCRIPTION_MAX_CHARS) {
      throw constraintFailed(description, 'description', `Member must have length less than or equal to ${DESCRIPTION_MAX_CHARS}`);
    }
    await ctx.store.putRule(ctx.caller, { name, scheduleExpression, state, description }, Date.now());
    return { RuleArn: ruleArn(ctx.caller, name) };
  },

  async DescribeRule(ctx, input) {
    const name = ruleName(input, 'Name');
    checkEventBus(ctx, input);
    const rule = await ctx.store.getRule(name);
    if (!rule) throw ruleNotFound(name);
    return { ...renderRule(ctx, rule), CreatedBy: ctx.caller.accountId };
  },

  async ListRules(ctx, input) {
    checkEventBus(ctx, input);
    const prefix = optionalString(input, 'NamePrefix', 'namePrefix') ?? '';
    const limit = integer(input, 'Limit', 'limit', 1, LIST_LIMIT_MAX) ?? LIST_LIMIT_MAX;
    const offset = offsetToken(input);
    const page = await ctx.store.listRules(prefix, offset, limit);
    return { Rules: page.rules.map((rule) => renderRule(ctx, rule)), NextToken: page.more ? String(offset + limit) : undefined };
  },

  async DeleteRule(ctx, input) {
    const name = ruleName(input, 'Name');
    checkEventBus(ctx, input);
    // Deleting a rule that does not exist succeeds, as in EventBridge.
    const deleted = await ctx.store.deleteRule(name);
    if (!deleted.ok && deleted.error === 'has-targets') throw invalid("Rule can't be deleted since it has targets.");
    return {};
  },

  EnableRule: (ctx, input) => setState(ctx, input, 'ENABLED'),
  DisableRule: (ctx, input) => setState(ctx, input, 'DISABLED'),

  async PutTargets(ctx, input) {
    const rule = ruleName(input, 'Rule');
    checkEventBus(ctx, input);
    const entries = list(input, 'Targets', 'targets', 1, PUT_TARGETS_MAX);
    const accepted: TargetRecord[] = [];
    const failed: Output[] = [];
    entries.forEach((entry, i) => {
      const target = entry as Input;
      const id = string(target, 'Id', `targets.${i + 1}.member.id`);
      if (!NAME_PATTERN.test(id)) throw constraintFailed(id, `targets.${i + 1}.member.id`, `Member must satisfy regular expression pattern: ${NAME_PATTERN_TEXT}`);
      const arn = string(target, 'Arn', `targets.${i + 1}.member.arn`);
      const problem = targetProblem(ctx.caller, target, arn);
      if (problem) failed.push({ TargetId: id, ErrorCode: 'ValidationException', ErrorMessage: problem });
      else accepted.push({ id, arn, functionName: arn.split(':').slice(6).join(':'), input: optionalString(target, 'Input', `targets.${i + 1}.member.input`) });
    });
    const outcome = await ctx.store.putTargets(rule, accepted);
    if (!outcome.ok && outcome.error === 'missing') throw ruleNotFound(rule);
    if (!outcome.ok && outcome.error === 'limit') {
      throw new EventsError('LimitExceededException', `The requested resource exceeds the maximum number allowed: a rule has at most ${TARGETS_PER_RULE_MAX} targets.`);
    }
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  },

  async ListTargetsByRule(ctx, input) {
    const rule = ruleName(input, 'Rule');
    checkEventBus(ctx, input);
    const limit = integer(input, 'Limit', 'limit', 1, LIST_LIMIT_MAX) ?? LIST_LIMIT_MAX;
    const offset = offsetToken(input);
    const targets = await ctx.store.listTargets(rule);
    if (!targets) throw ruleNotFound(rule);
    const page = targets.slice(offset, offset + limit);
    return {
      Targets: page.map((t) => ({ Id: t.id, Arn: t.arn, ...(t.input !== undefined ? { Input: t.input } : {}) })),
      NextToken: offset + limit < targets.length ? String(offset + limit) : undefined,
    };
  },

  async RemoveTargets(ctx, input) {
    const rule = ruleName(input, 'Rule');
    checkEventBus(ctx, input);
    const ids = list(input, 'Ids', 'ids', 1, REMOVE_TARGETS_MAX);
    if (!ids.every((id) => typeof id === 'string')) throw constraintFailed(ids, 'ids', 'Member must be a list of strings');
    if (!(await ctx.store.removeTargets(rule, ids as string[]))) throw ruleNotFound(rule);
    return { FailedEntryCount: 0, FailedEntries: [] };
  },
};

/** The rule a request names (`Name`, or `Rule` for targets) as its ARN on the default bus. */
const ruleResource = (member: 'Name' | 'Rule') => (ctx: OperationContext, input: Input): string =>
  ruleArn(ctx.caller, typeof input[member] === 'string' ? input[member] : '');

/** IAM's events:<Op> on the rule's ARN (ListRules: `*`). */
const ACCESS: ServiceAccess<OperationContext, Input> = {
  prefix: 'events',
  resources: {
    PutRule: ruleResource('Name'),
    DescribeRule: ruleResource('Name'),
    DeleteRule: ruleResource('Name'),
    EnableRule: ruleResource('Name'),
    DisableRule: ruleResource('Name'),
    PutTargets: ruleResource('Rule'),
    ListTargetsByRule: ruleResource('Rule'),
    RemoveTargets: ruleResource('Rule'),
  },
  denied: jsonAccessDenied(CONTENT_TYPE),
};

/** EventBridge on the JSON protocol's dispatch table (src/app.ts). */
export const eventsService: AwsJsonService<OperationContext> = {
  targetPrefix: TARGET_PREFIX,
  contentType: CONTENT_TYPE,
  signingName: 'events',
  // AWS's JSON 1.1 front end answers every refused signature with 400 (413 for a body too large).
  signatureError: (e) => new AwsJsonError(e.code, e.message, { contentType: CONTENT_TYPE, status: e.status === 413 ? 413 : 400 }),
  throttled: (e) => new EventsError('ThrottlingException', e.message),
  operations: OPERATIONS,
  access: ACCESS,
  error: (failure, operation) => failure === 'unknown-operation'
    ? new EventsError('UnknownOperationException', `Unknown or unsupported operation: ${operation || '(none)'}`)
    : new EventsError('SerializationException', 'Request body is not a valid JSON object'),
  // Tenants only ever reach their own account's ScheduleStore: the id comes from the signature.
  context: (c) => ({ caller: c.get('caller'), store: scheduleStore(c.env, c.get('caller').accountId), env: c.env }),
};

async function setState(ctx: OperationContext, input: Input, state: RuleState): Promise<Output> {
  const name = ruleName(input, 'Name');
  checkEventBus(ctx, input);
  if (!(await ctx.store.setRuleState(name, state, Date.now()))) throw ruleNotFound(name);
  return {};
}

function renderRule(ctx: OperationContext, rule: RuleRecord): Output {
  return {
    Name: rule.name,
    Arn: ruleArn(ctx.caller, rule.name),
    ScheduleExpression: rule.scheduleExpression,
    State: rule.state,
    Description: rule.description,
    EventBusName: 'default',
  };
}

/**
 * Why a target cannot be accepted, or undefined. Targets are functions of the caller's own
 * account and region, optionally qualified (a version or alias, resolved at each firing); Input,
 * when given, is JSON.
 */
function targetProblem(caller: AuthenticatedCaller, target: Input, arn: string): string | undefined {
  const parts = arn.split(':');
  if ((parts.length !== 7 && parts.length !== 8) || parts[0] !== 'arn' || parts[2] !== 'lambda' || parts[5] !== 'function'
    || !FUNCTION_NAME_PATTERN.test(parts[6]) || (parts.length === 8 && !QUALIFIER_PATTERN.test(parts[7]))) {
    return `Target Arn ${arn} is not supported: faasbox targets are function ARNs (arn:aws:lambda:${caller.region}:${caller.accountId}:function:NAME[:QUALIFIER]).`;
  }
  if (parts[3] !== caller.region || parts[4] !== caller.accountId) return `Target Arn ${arn} is not a function of this account and region.`;
  for (const unsupported of ['InputPath', 'InputTransformer']) {
    if (target[unsupported] !== undefined && target[unsupported] !== null) return `${unsupported} is not supported by faasbox; use Input.`;
  }
  const json = target.Input;
  if (json === undefined || json === null) return undefined;
  if (typeof json !== 'string' || json.length > INPUT_MAX_CHARS) return `Input must be a JSON string of at most ${INPUT_MAX_CHARS} characters.`;
  try {
    JSON.parse(json);
  } catch {
    return 'Input is not valid JSON text.';
  }
  return undefined;
}

/** Only the default event bus exists; it may be named or given by ARN. */
function checkEventBus(ctx: OperationContext, input: Input): void {
  const bus = optionalString(input, 'EventBusName', 'eventBusName');
  if (bus === undefined || bus === 'default' || bus === `arn:aws:events:${ctx.caller.region}:${ctx.caller.accountId}:event-bus/default`) return;
  throw new EventsError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
}

function ruleName(input: Input, key: string): string {
  const member = key.toLowerCase();
  const value = string(input, key, member);
  if (!NAME_PATTERN.test(value)) {
    throw constraintFailed(value, member, value.length > 64 ? 'Member must have length less than or equal to 64' : `Member must satisfy regular expression pattern: ${NAME_PATTERN_TEXT}`);
  }
  return value;
}

function optionalString(input: Input, key: string, name: string): string | undefined {
  return member(input, key, OPTIONAL_STRING, (value) => constraintFailed(value, name, 'Member must be a string'));
}

function string(input: Input, key: string, name: string): string {
  const value = optionalString(input, key, name);
  if (value === undefined) throw constraintFailed(null, name, 'Member must not be null');
  return value;
}

function list(input: Input, key: string, name: string, min: number, max: number): unknown[] {
  const value = member(input, key, OPTIONAL_LIST, (found) => constraintFailed(found, name, 'Member must be a list'));
  if (value === undefined) throw constraintFailed(null, name, 'Member must not be null');
  if (value.length < min || value.length > max) throw constraintFailed(`[${value.length} items]`, name, `Member must have length between ${min} and ${max}`);
  return value;
}

function integer(input: Input, key: string, name: string, min: number, max: number): number | undefined {
  return member(input, key, optionalInteger(min, max), (value) => constraintFailed(value, name, `Member must have value between ${min} and ${max}`));
}

function offsetToken(input: Input): number {
  const token = optionalString(input, 'NextToken', 'nextToken');
  if (token === undefined) return 0;
  if (!/^\d+$/.test(token)) throw invalid('The specified NextToken is invalid.');
  return Number(token);
}
