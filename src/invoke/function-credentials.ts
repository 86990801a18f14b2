// A function's own AWS credentials: each new execution environment gets a session of the
// function's execution role as Lambda's AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN (session name: the function's name, as Lambda's). Nothing here is ever
// logged: the values go to the sandbox only.
import { iamStore } from '../bindings';
import { mintSessionCredentials } from '../iam/session-token';
import { parseRoleArn, roleArn } from '../iam/principal';
import { FUNCTION_CREDENTIALS_SECONDS } from '../limits';

/** The role a function's session acts as. */
interface ExecutionRole {
  accountId: string;
  roleName: string;
  roleId: string;
  roleArn: string;
  placeholderRole?: true;
}

/**
 * The variables a new environment of `functionName` (in `accountId`, with role ARN `roleArnText`)
 * gets, valid for FUNCTION_CREDENTIALS_SECONDS. A role ARN that does not parse (only an old
 * record can hold one) gets none.
 */
export async function functionCredentialVariables(env: Env, accountId: string, functionName: string, roleArnText: string): Promise<Record<string, string>> {
  const role = await executionRole(env, accountId, roleArnText);
  if (!role) return {};
  const credentials = await mintSessionCredentials(env, role, functionName, FUNCTION_CREDENTIALS_SECONDS);
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
  };
}

/**
 * The session's role, as the account's IamStore has it (its id and ARN with its path). Always one
 * of the function's own account: a role ARN naming another account (accepted only when
 * FAASBOX_UNKNOWN_ROLES is not `refuse`) is read as the role of that name here, so a function's
 * credentials never act in another account. A role the account does not have (FAASBOX_UNKNOWN_ROLES
 * again, or deleted since) still gets a session, with a stable derived id, marked a placeholder's:
 * FAASBOX_UNKNOWN_ROLES decides what it may do while the role does not exist.
 */
async function executionRole(env: Env, accountId: string, roleArnText: string): Promise<ExecutionRole | undefined> {
  const parsed = parseRoleArn(roleArnText);
  if (!parsed) return undefined;
  const stored = await iamStore(env, accountId).getRole(parsed.roleName);
  if (stored) return { accountId, roleName: stored.roleName, roleId: stored.roleId, roleArn: stored.arn };
  return { accountId, roleName: parsed.roleName, roleId: await derivedRoleId(accountId, parsed.roleName), roleArn: roleArn(accountId, parsed.roleName, parsed.path), placeholderRole: true };
}

const ROLE_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A stable id in IAM's shape (AROA + 17 characters) for a role the account does not have. */
async function derivedRoleId(accountId: string, roleName: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`role-id:${accountId}:${roleName}`)));
  return 'AROA' + Array.from(digest.subarray(0, 17), (byte) => ROLE_ID_ALPHABET[byte % 32]).join('');
}
