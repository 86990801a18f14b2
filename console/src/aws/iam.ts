// The IAM calls the console makes (Query protocol on POST /, signed for `iam` in the platform's
// region): listing roles for "Use an existing role", and the execution role "Create a new role"
// makes beside a new function, with the policies its blueprint needs. Answers are IAM's XML, read
// as text (query.ts).
import { awsCli } from '../cli';
import { ApiError } from './client';
import { awsQuery, elementText } from './query';

/** The trust policy of every execution role: Lambda may assume it. */
export const LAMBDA_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export const BASIC_EXECUTION_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
export const SQS_QUEUE_EXECUTION_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole';

/** A role as ListRoles names it. */
export interface RoleSummary {
  roleName: string;
  arn: string;
}

const iamQuery = (action: string, params: Record<string, string> = {}) => awsQuery('iam', action, params);

/** Every role of the account (ListRoles, page after page), by name. */
export async function listRoles(): Promise<RoleSummary[]> {
  const roles: RoleSummary[] = [];
  let marker: string | undefined;
  do {
    const xml = await iamQuery('ListRoles', marker ? { Marker: marker } : {});
    for (const [, member] of xml.matchAll(/<member>([\s\S]*?)<\/member>/g)) {
      const roleName = elementText(member!, 'RoleName');
      const arn = elementText(member!, 'Arn');
      if (roleName && arn) roles.push({ roleName, arn });
    }
    marker = elementText(xml, 'IsTruncated') === 'true' ? elementText(xml, 'Marker') : undefined;
  } while (marker);
  return roles.sort((a, b) => a.roleName.localeCompare(b.roleName));
}

/** What a new execution role gets: AWS managed policies to attach and inline policies to put. */
export interface ExecutionRolePolicies {
  managed: string[];
  /** `summary` says what the policy allows, for the form ("sqs:SendMessage on the dead-letter queue"). */
  inline: { name: string; document: string; summary: string }[];
}

/** The path Lambda's console gives the roles it creates. */
export const SERVICE_ROLE_PATH = '/service-role/';

/** `arn:aws:iam::<account>:role/service-role/<name>`. */
export const serviceRoleArn = (accountId: string, roleName: string) => `arn:aws:iam::${accountId}:role${SERVICE_ROLE_PATH}${roleName}`;

/**
 * `<function>-role-<8 random letters and digits>`, as Lambda's console names the role it creates
 * (the function's part shortened so the whole stays within IAM's 64 characters).
 */
export function newRoleName(functionName: string, suffix: string): string {
  return `${(functionName || 'function').slice(0, 64 - 6 - suffix.length)}-role-${suffix}`;
}

/** Eight random lowercase letters and digits. */
export function randomRoleSuffix(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => alphabet[b % alphabet.length]).join('');
}

/** The step that creates `roleName` with `policies`, its CLI commands, and its undo (everything removed again). */
export function roleCreation(roleName: string, policies: ExecutionRolePolicies) {
  const nameParam = { RoleName: roleName };
  return {
    cli: [
      awsCli('iam', 'create-role', ['--role-name', roleName, '--path', SERVICE_ROLE_PATH, '--assume-role-policy-document', LAMBDA_TRUST_POLICY]),
      ...policies.managed.map((arn) => awsCli('iam', 'attach-role-policy', ['--role-name', roleName, '--policy-arn', arn])),
      ...policies.inline.map((p) => awsCli('iam', 'put-role-policy', ['--role-name', roleName, '--policy-name', p.name, '--policy-document', p.document])),
    ].join('\n'),
    run: async (): Promise<string> => {
      const xml = await iamQuery('CreateRole', { ...nameParam, Path: SERVICE_ROLE_PATH, AssumeRolePolicyDocument: LAMBDA_TRUST_POLICY });
      for (const arn of policies.managed) await iamQuery('AttachRolePolicy', { ...nameParam, PolicyArn: arn });
      for (const p of policies.inline) await iamQuery('PutRolePolicy', { ...nameParam, PolicyName: p.name, PolicyDocument: p.document });
      return elementText(xml, 'Arn') ?? roleName;
    },
    undo: async (): Promise<void> => {
      // IAM refuses to delete a role that still has policies (DeleteConflict): those go first.
      for (const arn of policies.managed) await iamQuery('DetachRolePolicy', { ...nameParam, PolicyArn: arn }).catch(ignoreMissing);
      for (const p of policies.inline) await iamQuery('DeleteRolePolicy', { ...nameParam, PolicyName: p.name }).catch(ignoreMissing);
      await iamQuery('DeleteRole', nameParam);
    },
  };
}

/** A policy the role never got (its step failed half way) is no reason to stop removing it. */
function ignoreMissing(error: unknown): void {
  if (!(error instanceof ApiError && error.code === 'NoSuchEntity')) throw error;
}
