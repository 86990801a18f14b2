// Authorization (contract 3 of issue 12). This small version holds only what execution roles need,
// rolePermissions; engineer "authz"'s file (branch iam-authz) replaces it whole at merge.
import { iamStore } from '../../bindings';
import { evaluate, type AuthorizationRequest } from '../../iam/evaluate';
import { assumedRoleArn, parseRoleArn, type Principal } from '../../iam/principal';
import type { NamedPolicy } from '../../iam/policy-document';

/** What a function's execution role may do, decided without I/O once its policies are read. */
export interface RolePermissions {
  /** The role exists in the function's account (FAASBOX_UNKNOWN_ROLES decides what one that does not may do). */
  exists: boolean;
  allows(action: string, resource: string, context?: AuthorizationRequest['context']): boolean;
}

/** Ephemeral, per isolate: a role's policies for at most this long, so a changed policy decides within it. */
const ROLE_CACHE_MS = 2_000;
const roleCache = new Map<string, { policies: NamedPolicy[] | undefined; expiresAtMs: number }>();

/**
 * The permissions of the execution role `roleArn` of a function in `accountId`, its policies
 * cached briefly in the isolate. A role of another account, or one that does not exist, allows nothing.
 */
export async function rolePermissions(env: Env, accountId: string, roleArn: string): Promise<RolePermissions> {
  const role = parseRoleArn(roleArn);
  if (!role || role.accountId !== accountId) return { exists: false, allows: () => false };
  const key = `${accountId}/${role.roleName}`;
  let cached = roleCache.get(key);
  if (!cached || cached.expiresAtMs <= Date.now()) {
    cached = { policies: await iamStore(env, accountId).identityPolicies({ kind: 'role', name: role.roleName }), expiresAtMs: Date.now() + ROLE_CACHE_MS };
    roleCache.set(key, cached);
  }
  const policies = cached.policies;
  if (policies === undefined) return { exists: false, allows: () => false };
  const principal: Principal = {
    kind: 'assumed-role', accountId, arn: assumedRoleArn(accountId, role.roleName, role.roleName),
    roleName: role.roleName, roleId: '', roleArn, sessionName: role.roleName, expiresAt: Number.MAX_SAFE_INTEGER,
  };
  return {
    exists: true,
    allows: (action, resource, context) => evaluate({ action, resource, principal, resourceAccountId: accountId, ...(context ? { context } : {}) }, policies).decision === 'allowed',
  };
}
