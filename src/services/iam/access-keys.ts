// IAM users' access keys and deleting a user: operations across the AccountDirectory (where keys
// are found before their account is known) and the account's IamStore (where the users are).
import { accountDirectory, iamStore } from '../../bindings';
import { readConfig } from '../../config';
import { IamQueryError } from '../../iam/query-errors';
import type { AccessKeyMetadata, AccessKeyRecord, AccessKeyStatus } from '../../records/account';
import { IAM_LIMITS, type UserRecord } from '../../records/iam';

const noSuchUser = (userName: string) => new IamQueryError('NoSuchEntity', `The user with name ${userName} cannot be found.`);
const noSuchKey = (accessKeyId: string) => new IamQueryError('NoSuchEntity', `The Access Key with id ${accessKeyId} cannot be found.`);

/**
 * A new access key of user `userName` (undefined: of the account itself, as IAM's CreateAccessKey
 * by the root). At most two per user (LimitExceeded). A user deleted meanwhile takes its new key
 * with it: the key is made, then the user checked again.
 */
export async function createAccessKey(env: Env, accountId: string, userName: string | undefined): Promise<{ key: AccessKeyRecord; user?: UserRecord }> {
  const directory = accountDirectory(env);
  const configuredAccount = accountId === readConfig(env).adminAccountId;
  if (userName === undefined) {
    const key = configuredAccount ? undefined : await directory.createAccessKey(accountId);
    if (!key) throw new IamQueryError('InvalidInput', 'The admin account\'s own keys are configured (FAASBOX_ACCESS_KEY_ID), not made through IAM: name a UserName.');
    return { key };
  }
  const store = iamStore(env, accountId);
  const user = await store.getUser(userName);
  if (!user) throw noSuchUser(userName);
  const created = await directory.createUserAccessKey(accountId, { userName: user.userName, userId: user.userId, path: user.path }, IAM_LIMITS.accessKeysPerUser, configuredAccount);
  if (!created) throw noSuchUser(userName);
  if (!created.ok) throw new IamQueryError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${IAM_LIMITS.accessKeysPerUser}`);
  if (!(await store.getUser(userName))) {
    await directory.deleteUserAccessKey(accountId, user.userName, created.value.accessKeyId);
    throw noSuchUser(userName);
  }
  return { key: created.value, user };
}

/** The keys of user `userName` (undefined: the account's own), oldest first. */
export async function listAccessKeys(env: Env, accountId: string, userName: string | undefined): Promise<AccessKeyMetadata[]> {
  if (userName !== undefined && !(await iamStore(env, accountId).getUser(userName))) throw noSuchUser(userName);
  return accountDirectory(env).listUserAccessKeys(accountId, userName);
}

export async function updateAccessKey(env: Env, accountId: string, userName: string | undefined, accessKeyId: string, status: AccessKeyStatus): Promise<void> {
  if (userName !== undefined && !(await iamStore(env, accountId).getUser(userName))) throw noSuchUser(userName);
  if (!(await accountDirectory(env).setAccessKeyStatus(accountId, userName, accessKeyId, status))) throw noSuchKey(accessKeyId);
}

export async function deleteAccessKey(env: Env, accountId: string, userName: string | undefined, accessKeyId: string): Promise<void> {
  if (userName !== undefined && !(await iamStore(env, accountId).getUser(userName))) throw noSuchUser(userName);
  if (!(await accountDirectory(env).deleteUserAccessKey(accountId, userName, accessKeyId))) throw noSuchKey(accessKeyId);
}

/** Deletes a user: refused while it has access keys (then policies, by the store), as IAM refuses it. */
export async function deleteUser(env: Env, accountId: string, userName: string): Promise<void> {
  const store = iamStore(env, accountId);
  if (!(await store.getUser(userName))) throw noSuchUser(userName);
  if ((await accountDirectory(env).listUserAccessKeys(accountId, userName)).length > 0) {
    throw new IamQueryError('DeleteConflict', 'Cannot delete entity, must delete access keys first.');
  }
  const deleted = await store.deleteUser(userName);
  if (!deleted.ok) throw new IamQueryError(deleted.error, deleted.message);
}
