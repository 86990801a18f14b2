// The one place a qualifier ($LATEST, a version number or an alias) becomes the function
// snapshot to run. Sync and async Invoke, destinations and GetFunction all resolve through here.
import type { FunctionRegistry } from '../objects/function-registry';
import type { ResolvedFunction } from '../records/function';

export type { ResolvedFunction };

/**
 * Resolves `qualifier` of function `name` in the account's registry (one RPC). For an alias with
 * RoutingConfig, an invocation (`routing: 'weighted'`, the default) gets the additional version
 * with its weight's probability (crypto random); `'primary'` always takes the alias's
 * FunctionVersion. Undefined when the function, version or alias does not exist.
 * @example const resolved = await resolveQualifier(functionRegistry(env, accountId), 'fn', 'live');
 */
export async function resolveQualifier(
  registry: DurableObjectStub<FunctionRegistry>,
  name: string,
  qualifier?: string,
  routing: 'weighted' | 'primary' = 'weighted',
): Promise<ResolvedFunction | undefined> {
  return registry.resolve(name, qualifier, routing);
}
