// Execution roles (docs/IAM.md, "Execution roles"): whether Lambda may assume a function's role
// (CreateFunction, UpdateFunctionConfiguration), what the role lets the platform do for the function
// at run time (logs, traces, destinations, dead-letter queues, queue triggers), and what
// FAASBOX_UNKNOWN_ROLES lets a function whose role does not exist do.
import { iamStore } from '../../bindings';
import { readConfig } from '../../config';
import { invalidParameter } from '../../errors';
import { evaluate } from '../../iam/evaluate';
import { unknownRolePolicies } from '../../iam/unknown-roles';
import { parsePolicyDocument, PolicyDocumentError, type NamedPolicy } from '../../iam/policy-document';
import { assumedRoleArn, parseRoleArn, type Principal } from '../../iam/principal';
import { rolePermissions } from './authorize';

/** The service principal a role's trust policy must let sts:AssumeRole for Lambda to run a function with it. */
export const LAMBDA_SERVICE = 'lambda.amazonaws.com';

/** Lambda's InvalidParameterValueException message for a role it cannot assume. */
export const ROLE_CANNOT_BE_ASSUMED = 'The role defined for the function cannot be assumed by Lambda.';

/** What a function's execution role lets the platform do on the function's behalf. No I/O once made. */
export interface ExecutionRole {
  roleArn: string;
  /** The role exists in the function's account (otherwise FAASBOX_UNKNOWN_ROLES decided what it may do). */
  exists: boolean;
  allows(action: string, resource: string): boolean;
}

/**
 * The execution role `roleArn` of a function in `accountId`, its policies read through authorize.ts's
 * isolate cache (so a changed policy decides new invocations within FAASBOX_IAM_POLICY_CACHE_SECONDS).
 * A role that does not exist (or is another account's) may do what FAASBOX_UNKNOWN_ROLES says:
 * nothing (refuse), AWSLambdaBasicExecutionRole's document (basic-execution), anything in its account (allow-all).
 * @example (await executionRole(env, '123456789012', record.role)).allows('xray:PutTraceSegments', '*')
 */
export async function executionRole(env: Env, accountId: string, roleArn: string): Promise<ExecutionRole> {
  const permissions = await rolePermissions(env, accountId, roleArn);
  if (permissions.exists) return { roleArn, exists: true, allows: (action, resource) => permissions.allows(action, resource) };
  switch (readConfig(env).unknownRoles) {
    case 'refuse':
      return { roleArn, exists: false, allows: () => false };
    case 'allow-all':
      return { roleArn, exists: false, allows: (_action, resource) => resourceAccount(resource) === undefined || resourceAccount(resource) === accountId };
    case 'basic-execution': {
      const basic = unknownRolePolicies('basic-execution')![0]!;
      const principal = rolePrincipal(accountId, roleArn);
      return { roleArn, exists: false, allows: (action, resource) => evaluate({ action, resource, principal }, [basic]).decision === 'allowed' };
    }
  }
}

/**
 * Refuses, with Lambda's 400 InvalidParameterValueException, a role Lambda cannot assume: one that
 * does not exist in `accountId` (another account's role included) or whose trust policy does not
 * let lambda.amazonaws.com sts:AssumeRole. With FAASBOX_UNKNOWN_ROLES other than refuse, a role that
 * does not exist is accepted (its permissions are the setting's); one that exists must still trust Lambda.
 */
export async function checkExecutionRole(env: Env, accountId: string, roleArn: string): Promise<void> {
  const parsed = parseRoleArn(roleArn);
  const role = parsed && parsed.accountId === accountId ? await iamStore(env, accountId).getRole(parsed.roleName) : undefined;
  if (!role) {
    if (readConfig(env).unknownRoles === 'refuse') throw invalidParameter(ROLE_CANNOT_BE_ASSUMED);
    return;
  }
  if (!trustsLambda(accountId, role.arn, role.assumeRolePolicyDocument)) throw invalidParameter(ROLE_CANNOT_BE_ASSUMED);
}

/** Whether a role's trust policy (`trustPolicyText`, as stored) lets Lambda's service principal sts:AssumeRole. */
function trustsLambda(accountId: string, roleArn: string, trustPolicyText: string): boolean {
  let trust: NamedPolicy;
  try {
    trust = { name: 'AssumeRolePolicyDocument', document: parsePolicyDocument(trustPolicyText, 'trust') };
  } catch (error) {
    // IAM checked it when it was stored; a document it cannot read again trusts no one.
    if (error instanceof PolicyDocumentError) return false;
    throw error;
  }
  const request = { action: 'sts:AssumeRole', resource: roleArn, principal: { kind: 'service', service: LAMBDA_SERVICE } as const, resourceAccountId: accountId };
  return evaluate(request, [], trust).decision === 'allowed';
}

/**
 * Refuses, with Lambda's message, a configuration whose role may not do `actions` on `resource` (a
 * dead-letter queue, a queue trigger's queue): the first action it lacks is named, as Lambda names it.
 * `service` is the message's service name (`SQS`).
 */
export async function checkRoleAllows(env: Env, accountId: string, roleArn: string, actions: readonly string[], resource: string, service: string): Promise<void> {
  const role = await executionRole(env, accountId, roleArn);
  const missing = actions.find((action) => !role.allows(action, resource));
  if (missing) throw invalidParameter(`The provided execution role does not have permissions to call ${missing.split(':')[1]} on ${service}`);
}

/** The permissions an SQS queue trigger's role needs on its queue, in the order Lambda checks them. */
export const QUEUE_TRIGGER_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'] as const;

/**
 * The first of QUEUE_TRIGGER_ACTIONS `role` may not do on `queueArn`, or undefined: a queue trigger
 * whose role lost one stops polling (docs/QUEUES.md).
 */
export function missingQueueTriggerAction(role: ExecutionRole, queueArn: string): string | undefined {
  return QUEUE_TRIGGER_ACTIONS.find((action) => !role.allows(action, queueArn));
}

/** The action that delivers to a destination or dead-letter target (a queue, a function, a bus, a topic): by the target ARN's service. */
export function deliveryAction(targetArn: string): string {
  const service = targetArn.split(':')[2];
  return service === 'sqs' ? 'sqs:SendMessage' : service === 'lambda' ? 'lambda:InvokeFunction' : service === 'events' ? 'events:PutEvents' : service === 'sns' ? 'sns:Publish' : `${service}:*`;
}

/** The log stream ARN a function's lines are written to, as logs:CreateLogStream and logs:PutLogEvents name it. */
export function logStreamArn(region: string, accountId: string, logGroupName: string, logStreamName = '*'): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}:log-stream:${logStreamName}`;
}

/** The log group ARN the console names when a role may not write to it. */
export function logGroupArn(region: string, accountId: string, logGroupName: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}:*`;
}

/**
 * Why a function's lines are not written, or undefined when its role may write them: the role must
 * allow logs:CreateLogStream and logs:PutLogEvents on its log group's streams.
 */
export function logsDeniedMessage(role: ExecutionRole, region: string, accountId: string, logGroupName: string): string | undefined {
  const streams = logStreamArn(region, accountId, logGroupName);
  const missing = ['logs:CreateLogStream', 'logs:PutLogEvents'].find((action) => !role.allows(action, streams));
  return missing && `No logs: the execution role ${role.roleArn} does not allow ${missing} on ${logGroupArn(region, accountId, logGroupName)}`;
}

/** The session a role's policies see as their principal (aws:PrincipalArn...), for a role that exists nowhere. */
function rolePrincipal(accountId: string, roleArn: string): Principal {
  const roleName = parseRoleArn(roleArn)?.roleName ?? 'unknown';
  return {
    kind: 'assumed-role', accountId, arn: assumedRoleArn(accountId, roleName, roleName),
    roleName, roleId: '', roleArn, sessionName: roleName, expiresAt: Number.MAX_SAFE_INTEGER,
  };
}

/** The account field of an ARN (`arn:aws:sqs:us-east-1:123456789012:q` -> 123456789012); undefined for `*` or an ARN with none. */
function resourceAccount(resource: string): string | undefined {
  const account = resource.split(':')[4];
  return account === undefined || account === '' || account === '*' ? undefined : account;
}
