// The calls behind the Configuration tab, one per operation: function settings, concurrency,
// async invocation, function URLs, resource policies, queue mappings (Lambda's REST API),
// schedules (EventBridge rules and targets) and the queues a mapping can read (SQS).
import { ApiError, awsJson, restJson } from './client';
import { lambdaPath, type FunctionConfiguration } from './lambda';
import { region } from '../session';

const encode = encodeURIComponent;
const fn = (name: string) => `/functions/${encode(name)}`;

/** undefined when the API answered 404 (the resource does not exist), else the answer. */
async function orNone<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

// --- UpdateFunctionConfiguration ---------------------------------------------------------------

export interface ConfigurationChanges {
  Description?: string;
  MemorySize?: number;
  Timeout?: number;
  Role?: string;
  Environment?: { Variables: Record<string, string> };
  DeadLetterConfig?: { TargetArn: string };
}

export function updateFunctionConfiguration(name: string, changes: ConfigurationChanges): Promise<FunctionConfiguration> {
  return restJson('PUT', lambdaPath(`${fn(name)}/configuration`), changes);
}

// --- Reserved concurrency ----------------------------------------------------------------------

export async function getReservedConcurrency(name: string): Promise<number | undefined> {
  const answer = await restJson<{ ReservedConcurrentExecutions?: number }>('GET', `/2019-09-30${fn(name)}/concurrency`);
  return answer.ReservedConcurrentExecutions;
}

export function putReservedConcurrency(name: string, reserved: number): Promise<{ ReservedConcurrentExecutions: number }> {
  return restJson('PUT', `/2017-10-31${fn(name)}/concurrency`, { ReservedConcurrentExecutions: reserved });
}

export function deleteReservedConcurrency(name: string): Promise<void> {
  return restJson('DELETE', `/2017-10-31${fn(name)}/concurrency`);
}

export interface AccountSettings {
  AccountLimit: { ConcurrentExecutions: number; UnreservedConcurrentExecutions: number };
}

export function getAccountSettings(): Promise<AccountSettings> {
  return restJson('GET', '/2016-08-19/account-settings');
}

// --- Async invocation (FunctionEventInvokeConfig) ----------------------------------------------

export interface EventInvokeConfig {
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
  DestinationConfig?: { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } };
  LastModified?: number;
  /** Qualified: `:$LATEST`, `:<version>` or `:<alias>`, one config each. */
  FunctionArn?: string;
}

/** The unqualified function's ($LATEST's) config among a list of every qualifier's. */
export const latestConfigOf = (configs: EventInvokeConfig[]) => configs.find((c) => c.FunctionArn?.endsWith(':$LATEST'));

const invokeConfigPath = (name: string) => `/2019-09-25${fn(name)}/event-invoke-config`;

/**
 * The function's configuration, or undefined. Read through the list operation, which answers 200
 * either way: GetFunctionEventInvokeConfig's 404 for "none yet" would log as a browser console error.
 */
export async function getEventInvokeConfig(name: string): Promise<EventInvokeConfig | undefined> {
  const answer = await restJson<{ FunctionEventInvokeConfigs: EventInvokeConfig[] }>('GET', `${invokeConfigPath(name)}/list`);
  return latestConfigOf(answer.FunctionEventInvokeConfigs);
}

/** Put replaces the whole configuration; Update (POST) changes the fields given. */
export function putEventInvokeConfig(name: string, config: EventInvokeConfig, exists: boolean): Promise<EventInvokeConfig> {
  return restJson(exists ? 'POST' : 'PUT', invokeConfigPath(name), config);
}

export function deleteEventInvokeConfig(name: string): Promise<void> {
  return restJson('DELETE', invokeConfigPath(name));
}

// --- Function URL ------------------------------------------------------------------------------

export interface Cors {
  AllowCredentials?: boolean;
  AllowHeaders?: string[];
  AllowMethods?: string[];
  AllowOrigins?: string[];
  ExposeHeaders?: string[];
  MaxAge?: number;
}

export interface FunctionUrlConfig {
  FunctionUrl: string;
  FunctionArn: string;
  AuthType: 'NONE' | 'AWS_IAM';
  Cors?: Cors;
  CreationTime: string;
  LastModifiedTime?: string;
  InvokeMode?: string;
}

const urlPath = (name: string) => `/2021-10-31${fn(name)}/url`;

/** The unqualified function's URL, or undefined (from ListFunctionUrlConfigs, which answers 200 when there is none). */
export async function getFunctionUrl(name: string): Promise<FunctionUrlConfig | undefined> {
  const answer = await restJson<{ FunctionUrlConfigs: FunctionUrlConfig[] }>('GET', `/2021-10-31${fn(name)}/urls`);
  return answer.FunctionUrlConfigs.find((config) => config.FunctionArn.split(':').length === 7);
}

export function createFunctionUrl(name: string, config: { AuthType: string; Cors?: Cors }): Promise<FunctionUrlConfig> {
  return restJson('POST', urlPath(name), config);
}

export function updateFunctionUrl(name: string, config: { AuthType: string; Cors?: Cors }): Promise<FunctionUrlConfig> {
  return restJson('PUT', urlPath(name), config);
}

export function deleteFunctionUrl(name: string): Promise<void> {
  return restJson('DELETE', urlPath(name));
}

// --- Resource policy ---------------------------------------------------------------------------

export interface PolicyStatement {
  Sid: string;
  Effect: string;
  Principal: string | { AWS?: string; Service?: string };
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface Policy {
  statements: PolicyStatement[];
  revisionId: string;
}

/**
 * GetPolicy's statements; a function without a policy has none. Lambda answers that case with
 * 404 and there is no other read of the policy, so the browser logs one failed request for it.
 */
export async function getPolicy(name: string): Promise<Policy> {
  const answer = await orNone(restJson<{ Policy: string; RevisionId: string }>('GET', lambdaPath(`${fn(name)}/policy`)));
  if (!answer) return { statements: [], revisionId: '' };
  return { statements: (JSON.parse(answer.Policy) as { Statement: PolicyStatement[] }).Statement, revisionId: answer.RevisionId };
}

export interface AddPermissionInput {
  StatementId: string;
  Action: string;
  Principal: string;
  SourceArn?: string;
  SourceAccount?: string;
  FunctionUrlAuthType?: 'NONE' | 'AWS_IAM';
}

export function addPermission(name: string, input: AddPermissionInput): Promise<{ Statement: string }> {
  return restJson('POST', lambdaPath(`${fn(name)}/policy`), input);
}

export function removePermission(name: string, statementId: string): Promise<void> {
  return restJson('DELETE', lambdaPath(`${fn(name)}/policy/${encode(statementId)}`));
}

// --- Queue mappings (event source mappings) ----------------------------------------------------

export interface EventSourceMapping {
  UUID: string;
  EventSourceArn: string;
  FunctionArn: string;
  BatchSize: number;
  MaximumBatchingWindowInSeconds: number;
  State: string;
  FunctionResponseTypes?: string[];
  ScalingConfig?: { MaximumConcurrency?: number };
  LastModified: number;
}

export interface NewMapping {
  EventSourceArn: string;
  BatchSize?: number;
  MaximumBatchingWindowInSeconds?: number;
  FunctionResponseTypes?: string[];
  Enabled?: boolean;
}

export async function listEventSourceMappings(name: string): Promise<EventSourceMapping[]> {
  const all: EventSourceMapping[] = [];
  let marker = '';
  do {
    const query = new URLSearchParams({ FunctionName: name, ...(marker ? { Marker: marker } : {}) });
    const page = await restJson<{ EventSourceMappings: EventSourceMapping[]; NextMarker?: string }>('GET', lambdaPath(`/event-source-mappings/?${query}`));
    all.push(...page.EventSourceMappings);
    marker = page.NextMarker ?? '';
  } while (marker);
  return all;
}

export function createEventSourceMapping(name: string, mapping: NewMapping): Promise<EventSourceMapping> {
  return restJson('POST', lambdaPath('/event-source-mappings/'), { FunctionName: name, ...mapping });
}

export function setEventSourceMappingEnabled(uuid: string, enabled: boolean): Promise<EventSourceMapping> {
  return restJson('PUT', lambdaPath(`/event-source-mappings/${encode(uuid)}`), { Enabled: enabled });
}

export function deleteEventSourceMapping(uuid: string): Promise<EventSourceMapping> {
  return restJson('DELETE', lambdaPath(`/event-source-mappings/${encode(uuid)}`));
}

/** ARNs of the account's queues (ListQueues answers URLs: origin/<account>/<name>). */
export async function listQueueArns(): Promise<string[]> {
  const answer = await awsJson<{ QueueUrls?: string[] }>('sqs', 'ListQueues', {});
  return (answer.QueueUrls ?? []).map((url) => {
    const [account, queue] = new URL(url).pathname.split('/').filter(Boolean);
    return `arn:aws:sqs:${region}:${account}:${queue}`;
  });
}

// --- Schedules (EventBridge rules whose targets are this function) -----------------------------

export interface Schedule {
  Name: string;
  Arn: string;
  ScheduleExpression: string;
  State: 'ENABLED' | 'DISABLED';
  Description?: string;
  /** This function's targets on the rule, and how many targets the rule has in all. */
  targetIds: string[];
  targetCount: number;
}

interface Rule { Name: string; Arn: string; ScheduleExpression: string; State: 'ENABLED' | 'DISABLED'; Description?: string }
interface Target { Id: string; Arn: string }

/** A target ARN names `functionName` unqualified or with a version or alias. */
const targetsFunction = (arn: string, functionName: string) => arn.split(':')[6] === functionName;

/** Every rule with a target on this function (EventBridge has no reverse lookup here: each rule's targets are read). */
export async function listSchedules(functionName: string): Promise<Schedule[]> {
  const rules: Rule[] = [];
  let token: string | undefined;
  do {
    const page = await awsJson<{ Rules: Rule[]; NextToken?: string }>('events', 'ListRules', token ? { NextToken: token } : {});
    rules.push(...page.Rules);
    token = page.NextToken;
  } while (token);
  const withTargets = await Promise.all(rules.map(async (rule) => {
    const { Targets } = await awsJson<{ Targets: Target[] }>('events', 'ListTargetsByRule', { Rule: rule.Name });
    const mine = Targets.filter((t) => targetsFunction(t.Arn, functionName));
    return { ...rule, targetIds: mine.map((t) => t.Id), targetCount: Targets.length };
  }));
  return withTargets.filter((s) => s.targetIds.length > 0);
}

/** PutRule, then PutTargets with the function as target `targetId`; a refused target is an error. */
export async function putSchedule(rule: { Name: string; ScheduleExpression: string; Description?: string }, functionArn: string, targetId: string): Promise<void> {
  await awsJson('events', 'PutRule', { ...rule, State: 'ENABLED' });
  const answer = await awsJson<{ FailedEntryCount: number; FailedEntries: { ErrorCode: string; ErrorMessage: string }[] }>(
    'events', 'PutTargets', { Rule: rule.Name, Targets: [{ Id: targetId, Arn: functionArn }] },
  );
  const failed = answer.FailedEntries[0];
  if (failed) throw new ApiError(400, failed.ErrorCode, failed.ErrorMessage);
}

export function setScheduleEnabled(ruleName: string, enabled: boolean): Promise<unknown> {
  return awsJson('events', enabled ? 'EnableRule' : 'DisableRule', { Name: ruleName });
}

/** Removes this function's targets; the rule itself goes too when nothing else is left on it. */
export async function removeSchedule(schedule: Schedule): Promise<void> {
  await awsJson('events', 'RemoveTargets', { Rule: schedule.Name, Ids: schedule.targetIds });
  if (schedule.targetCount === schedule.targetIds.length) await awsJson('events', 'DeleteRule', { Name: schedule.Name });
}

// --- A function's egress rules (faasbox's own API: docs/SECURITY.md, "A function's own rules") --

export interface FunctionEgress {
  FunctionName: string;
  Version: string;
  Mode: 'allow-list' | 'deny-list';
  Allow: string[];
  Deny: string[];
  RevisionId?: string;
}

const egressPath = (name: string) => `/api${fn(name)}/egress`;

export function getFunctionEgress(name: string): Promise<FunctionEgress> {
  return restJson('GET', egressPath(name));
}

export function putFunctionEgress(name: string, rules: Pick<FunctionEgress, 'Mode' | 'Allow' | 'Deny'>): Promise<FunctionEgress> {
  return restJson('PUT', egressPath(name), rules);
}

export function deleteFunctionEgress(name: string): Promise<void> {
  return restJson('DELETE', egressPath(name));
}

// --- Tags (ListTags, TagResource, UntagResource on the unqualified function ARN) -----------------

const tagsPath = (functionArn: string) => `/2017-03-31/tags/${encode(functionArn)}`;

export async function listTags(functionArn: string): Promise<Record<string, string>> {
  const answer = await restJson<{ Tags?: Record<string, string> }>('GET', tagsPath(functionArn));
  return answer.Tags ?? {};
}

export function tagResource(functionArn: string, tags: Record<string, string>): Promise<void> {
  return restJson('POST', tagsPath(functionArn), { Tags: tags });
}

export function untagResource(functionArn: string, keys: string[]): Promise<void> {
  const query = new URLSearchParams();
  for (const key of keys) query.append('tagKeys', key);
  return restJson('DELETE', `${tagsPath(functionArn)}?${query}`);
}
