// STS AssumeRole: temporary credentials of a role whose trust policy allows the caller, and whose
// caller's own identity policies (a user's, a role session's) allow sts:AssumeRole on it. The
// role may be in another account: its trust policy must then name the caller or its account.
import { iamStore } from '../../bindings';
import { currentIdentityPolicies } from './authorize';
import { evaluate } from '../../iam/evaluate';
import { parsePolicyDocument } from '../../iam/policy-document';
import { assumedRoleArn, parseRoleArn } from '../../iam/principal';
import { IamQueryError, iamValidation } from '../../iam/query-errors';
import { mintSessionCredentials, type SessionCredentials } from '../../iam/session-token';
import { ROLE_SESSION_DEFAULT_SECONDS } from '../../records/iam';
import type { AuthenticatedCaller } from '../../auth/authenticate';

/** STS's shortest session, and the longest of a session assumed with another role session's credentials (role chaining). */
const SESSION_MIN_SECONDS = 900;
const CHAINED_SESSION_MAX_SECONDS = 3_600;

export interface AssumedRole {
  credentials: SessionCredentials;
  /** `<role id>:<session name>`. */
  assumedRoleId: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  arn: string;
}

export async function assumeRole(env: Env, caller: AuthenticatedCaller, roleArn: string, sessionName: string, durationSeconds?: number): Promise<AssumedRole> {
  const principal = caller.principal;
  const target = parseRoleArn(roleArn);
  if (!target) throw iamValidation(roleArn, 'roleArn', 'Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+');
  const duration = durationSeconds ?? ROLE_SESSION_DEFAULT_SECONDS;
  if (duration < SESSION_MIN_SECONDS) throw iamValidation(String(duration), 'durationSeconds', `Member must have value greater than or equal to ${SESSION_MIN_SECONDS}`);
  // AWS answers an unknown role as it answers a role that does not trust the caller.
  const denied = () => new IamQueryError('AccessDenied', `User: ${principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  const role = await iamStore(env, target.accountId).getRole(target.roleName);
  if (!role || role.arn !== roleArn) throw denied();
  // A caller whose user or role is gone (or made again under its name) is trusted by nothing.
  const identity = await currentIdentityPolicies(env, principal);
  if (identity === undefined) throw denied();
  const decision = evaluate(
    { action: 'sts:AssumeRole', resource: role.arn, principal, resourceAccountId: target.accountId, context: { 'sts:RoleSessionName': sessionName } },
    identity,
    { name: 'AssumeRolePolicyDocument', document: parsePolicyDocument(role.assumeRolePolicyDocument, 'trust') },
  );
  if (decision.decision !== 'allowed') throw denied();
  if (principal.kind === 'assumed-role' && duration > CHAINED_SESSION_MAX_SECONDS) {
    throw new IamQueryError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (duration > role.maxSessionDurationSeconds) throw new IamQueryError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  const credentials = await mintSessionCredentials(env, { accountId: target.accountId, roleName: role.roleName, roleId: role.roleId, roleArn: role.arn }, sessionName, duration);
  return { credentials, assumedRoleId: `${role.roleId}:${sessionName}`, arn: assumedRoleArn(target.accountId, role.roleName, sessionName) };
}
