// Account operations: create an account with its first key, and delete one with everything it
// owns, in every Durable Object and in R2.
import { accountDirectory, eventSourceMappings, functionRegistry, scheduleStore } from '../bindings';
import { deleteCodePrefix } from './functions';
import { forgetAccountFunctionUrls } from './function-urls';

/**
 * Deletes account `accountId`: false when there is none. Its keys go first, so nothing can be
 * created while its data is removed; then every per-account object is emptied and its code
 * deleted from R2.
 */
export async function deleteAccount(env: Env, accountId: string): Promise<boolean> {
  if (!(await accountDirectory(env).deleteAccount(accountId))) return false;
  await functionRegistry(env, accountId).deleteAll();
  await forgetAccountFunctionUrls(env, accountId);
  await scheduleStore(env, accountId).deleteAll();
  await eventSourceMappings(env, accountId).deleteAll();
  await deleteCodePrefix(env.CODE, `code/${accountId}/`);
  return true;
}
