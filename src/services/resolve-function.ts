// The one place a qualifier ($LATEST, a version number or an alias) becomes the function
// snapshot to run. Sync and async Invoke, destinations, schedules, queue triggers, function URLs
// and GetFunction all resolve through here.
import { functionRegistry, objectWrites } from '../bindings';
import { readConfig } from '../config';
import { FUNCTION_CACHE_MAX_ENTRIES } from '../limits';
import { pickResolution, type ResolutionPlan, type ResolvedFunction } from '../records/function';
import { cryptoRandom } from '../records/random';

export type { ResolvedFunction };

interface CachedPlan {
  plan: ResolutionPlan | undefined;
  /** objectWrites('functions', account) when it was read: any write through this isolate since drops it. */
  writes: number;
  expiresAtMs: number;
}

/** Invocations' resolution plans, least recently used first (a Map keeps insertion order). */
const plans = new Map<string, CachedPlan>();

/**
 * Resolves `qualifier` of function `name` in the account's registry. For an alias with
 * RoutingConfig, an invocation (`routing: 'weighted'`, the default) gets the additional version
 * with its weight's probability (crypto random); `'primary'` always takes the alias's
 * FunctionVersion. Undefined when the function, version or alias does not exist.
 *
 * An invocation (`'weighted'`) reuses what this isolate read for the same qualifier within
 * FAASBOX_FUNCTION_CACHE_SECONDS, unless this isolate has written to the account's registry since
 * (bindings.ts, objectWrites): no round trip for a hot function. `'primary'` (the API's reads and
 * checks) reads the registry every time (one RPC).
 * @example const resolved = await resolveFunction(env, accountId, 'fn', 'live');
 */
export async function resolveFunction(
  env: Env,
  accountId: string,
  name: string,
  qualifier?: string,
  routing: 'weighted' | 'primary' = 'weighted',
): Promise<ResolvedFunction | undefined> {
  if (routing === 'primary') return functionRegistry(env, accountId).resolve(name, qualifier, routing);
  const plan = await cachedPlan(env, accountId, name, qualifier);
  return plan && pickResolution(plan, routing, cryptoRandom);
}

async function cachedPlan(env: Env, accountId: string, name: string, qualifier: string | undefined): Promise<ResolutionPlan | undefined> {
  const ttlMs = readConfig(env).functionCacheSeconds * 1000;
  if (ttlMs === 0) return functionRegistry(env, accountId).resolutionPlan(name, qualifier);
  const key = `${accountId}/${name}:${qualifier ?? '$LATEST'}`;
  // Read before the registry is: a write that starts meanwhile moves the count, and the plan read is not kept past it.
  const writes = objectWrites('functions', accountId);
  const cached = plans.get(key);
  if (cached && cached.writes === writes && cached.expiresAtMs > Date.now()) {
    plans.delete(key);
    plans.set(key, cached);
    return cached.plan;
  }
  const plan = await functionRegistry(env, accountId).resolutionPlan(name, qualifier);
  plans.delete(key);
  // Only what exists is kept: a function created through another isolate is invocable at once.
  if (plan) {
    if (plans.size >= FUNCTION_CACHE_MAX_ENTRIES) plans.delete(plans.keys().next().value!);
    plans.set(key, { plan, writes, expiresAtMs: Date.now() + ttlMs });
  }
  return plan;
}
