// Function URL operations that other operations share: forgetting a function's, an alias's or an
// account's URLs in the account's registry, the global url-id index and this isolate's cache.
import { accountDirectory, functionRegistry } from '../bindings';
import { forgetCachedUrl } from '../function-urls/targets';

/**
 * DeleteFunction: drop the function's URLs and policies, then their ids from the index and the
 * cache. Called before the function itself is deleted (which drops any left again), so a failure
 * in between can leave a function without its URL, never a URL without its function.
 */
export async function forgetFunctionUrls(env: Env, accountId: string, functionName: string): Promise<void> {
  await forgetUrlIds(env, accountId, await functionRegistry(env, accountId).forgetFunctionUrls(functionName));
}

/** Drops url-ids the account's registry no longer holds from the global index and this isolate's cache. */
export async function forgetUrlIds(env: Env, accountId: string, urlIds: string[]): Promise<void> {
  if (urlIds.length === 0) return;
  await accountDirectory(env).forgetFunctionUrls(accountId, urlIds);
  urlIds.forEach(forgetCachedUrl);
}

export async function forgetAccountFunctionUrls(env: Env, accountId: string): Promise<void> {
  await functionRegistry(env, accountId).forgetAllFunctionUrls();
  await accountDirectory(env).forgetAccountFunctionUrls(accountId);
}
