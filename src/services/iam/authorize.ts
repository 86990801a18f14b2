// Authorization of every call (docs/IAM.md, "How a call is authorized"): the caller's identity
// policies (read from the account's IamStore, cached briefly in the isolate), the resource's
// policy when the operation has one, and src/iam/evaluate.ts's decision. The account's root keys
// skip every lookup, so their path costs nothing more than before IAM.
import { iamStore } from '../../bindings';
import { readConfig } from '../../config';
import { AccessDeniedError } from '../../iam/access-denied';
import { accessDeniedMessage, evaluate, type AuthorizationRequest, type EvaluationResult } from '../../iam/evaluate';
import type { NamedPolicy } from '../../iam/policy-document';
import { unknownRolePolicies } from '../../iam/unknown-roles';
import { assumedRoleArn, parseRoleArn, type Principal } from '../../iam/principal';

/** Whose policies: an IAM user or a role, by name within its account (and by id when a key or session names one). */
interface PolicyHolder {
  accountId: string;
  kind: 'user' | 'role';
  name: string;
  /** The UserId or RoleId the key or session was issued for; another entity of the same name has none of its policies. */
  id?: string;
}

/**
 * Ephemeral, per isolate: policies read at most FAASBOX_IAM_POLICY_CACHE_SECONDS ago, so a changed
 * policy takes effect within that time everywhere. `undefined`: no such user or role (deleted),
 * which has no permissions at all.
 */
const policyCache = new Map<string, { policies: NamedPolicy[] | undefined; expiresAtMs: number }>();
const POLICY_CACHE_MAX_ENTRIES = 1_000;

async function holderPolicies(env: Env, holder: PolicyHolder): Promise<NamedPolicy[] | undefined> {
  const key = `${holder.accountId}/${holder.kind}/${holder.name}/${holder.id ?? ''}`;
  const nowMs = Date.now();
  const cached = policyCache.get(key);
  if (cached && cached.expiresAtMs > nowMs) return cached.policies;
  const policies = await iamStore(env, holder.accountId).identityPolicies({ kind: holder.kind, name: holder.name, ...(holder.id ? { id: holder.id } : {}) });
  const ttlMs = readConfig(env).iamPolicyCacheSeconds * 1000;
  if (ttlMs > 0) {
    policyCache.delete(key);
    if (policyCache.size >= POLICY_CACHE_MAX_ENTRIES) policyCache.delete(policyCache.keys().next().value!);
    policyCache.set(key, { policies, expiresAtMs: nowMs + ttlMs });
  }
  return policies;
}

/** The user or role whose policies apply to `principal`; undefined for a root principal (it has none). */
function holderOf(principal: Principal): PolicyHolder | undefined {
  if (principal.kind === 'user') return { accountId: principal.accountId, kind: 'user', name: principal.userName, id: principal.userId };
  // A placeholder role's session (src/iam/principal.ts) had no role to bind to: a role made since under its name governs it.
  if (principal.kind === 'assumed-role') return { accountId: principal.accountId, kind: 'role', name: principal.roleName, ...(principal.placeholderRole ? {} : { id: principal.roleId }) };
  return undefined;
}

/**
 * The identity policies of `principal` (a user's, or a session's role's: inline and attached),
 * cached in the isolate for at most FAASBOX_IAM_POLICY_CACHE_SECONDS. A root principal, a deleted
 * user and a role that no longer exists (or was made again under its name since) have none.
 */
export async function identityPoliciesOf(env: Env, principal: Principal): Promise<NamedPolicy[]> {
  return (await currentIdentityPolicies(env, principal)) ?? [];
}

/**
 * As identityPoliciesOf, but undefined for a user or a session's role that no longer exists (or
 * is another one of the same name now): such a principal may do nothing, not even what a
 * resource policy naming its ARN would allow. A root principal has none ([]).
 */
export async function currentIdentityPolicies(env: Env, principal: Principal): Promise<NamedPolicy[] | undefined> {
  const holder = holderOf(principal);
  const policies = holder ? await holderPolicies(env, holder) : [];
  // A function's session of a placeholder role may do what FAASBOX_UNKNOWN_ROLES gives such a role while it does not exist.
  if (policies === undefined && principal.kind === 'assumed-role' && principal.placeholderRole) return unknownRolePolicies(readConfig(env).unknownRoles);
  return policies;
}

/** What the evaluator answers for a principal that no longer exists: nothing allows it anything. */
const NO_IDENTITY: EvaluationResult = { decision: 'implicitDeny', reason: 'no-identity-allow', matched: [] };

/**
 * Allows `caller` the request, or throws AccessDeniedError with AWS's message. The root of the
 * resource's account passes at once (no lookup: faasbox's resource policies only allow). Anyone
 * else is evaluated against their identity policies and, when `resourcePolicy` is given (a
 * function's policy for Invoke), that policy, read only when it can matter.
 */
export async function authorize(
  env: Env,
  caller: { principal: Principal },
  request: Omit<AuthorizationRequest, 'principal'>,
  resourcePolicy?: () => Promise<NamedPolicy | undefined>,
): Promise<void> {
  const { principal } = caller;
  const resourceAccountId = request.resourceAccountId ?? principal.accountId;
  if (principal.kind === 'root' && resourceAccountId === principal.accountId) return;
  const identity = await currentIdentityPolicies(env, principal);
  const result = identity === undefined
    ? NO_IDENTITY
    : evaluate({ ...request, principal, resourceAccountId }, identity, resourcePolicy && (await resourcePolicy()));
  if (result.decision !== 'allowed') throw new AccessDeniedError(accessDeniedMessage(principal.arn, request.action, request.resource, result));
}

/** What a function's execution role may do, decided without I/O once its policies are read. */
export interface RolePermissions {
  /** The role exists in the function's account (FAASBOX_UNKNOWN_ROLES decides what one that does not may do). */
  exists: boolean;
  allows(action: string, resource: string, context?: AuthorizationRequest['context']): boolean;
}

/**
 * The permissions of the execution role `roleArn` of a function in `accountId`, its policies
 * cached as identityPoliciesOf's. A role of another account, or one that does not exist, allows nothing.
 */
export async function rolePermissions(env: Env, accountId: string, roleArn: string): Promise<RolePermissions> {
  const role = parseRoleArn(roleArn);
  if (!role || role.accountId !== accountId) return { exists: false, allows: () => false };
  const policies = await holderPolicies(env, { accountId, kind: 'role', name: role.roleName });
  if (policies === undefined) return { exists: false, allows: () => false };
  // The role's own session as the principal its policies' conditions see (aws:PrincipalArn...).
  const principal: Principal = {
    kind: 'assumed-role', accountId, arn: assumedRoleArn(accountId, role.roleName, role.roleName),
    roleName: role.roleName, roleId: '', roleArn, sessionName: role.roleName, expiresAt: Number.MAX_SAFE_INTEGER,
  };
  return {
    exists: true,
    allows: (action, resource, context) => evaluate({ action, resource, principal, resourceAccountId: accountId, ...(context ? { context } : {}) }, policies).decision === 'allowed',
  };
}
