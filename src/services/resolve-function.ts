// The one place a qualifier ($LATEST, a version number or an alias) becomes the function
// snapshot to run. Sync and async Invoke, destinations, schedules, queue triggers, function URLs
// and GetFunction all resolve through here.
import { functionRegistry } from '../bindings';
import type { ResolvedFunction } from '../records/function';

export type { ResolvedFunction };

/**
 * Resolves `qualifier` of function `name` in the account's registry (one RPC). For an alias with
 * RoutingConfig, an invocation (`routing: 'weighted'`, the default) gets the additional version
 * with its weight's probability (crypto random); `'primary'` always takes the alias's
 * FunctionVersion. Undefined when the function, version or alias does not exist.
 * @example const resolved = await resolveFunction(env, accountId, 'fn', 'live');
 */
export async function resolveFunction(
  env: Env,
  accountId: string,
  name: string,
  qualifier?: string,
  routing: 'weighted' | 'primary' = 'weighted',
): Promise<ResolvedFunction | undefined> {
  return functionRegistry(env, accountId).resolve(name, qualifier, routing);
}
