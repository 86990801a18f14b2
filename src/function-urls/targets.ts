// Which function a URL request runs: url-id -> (account, function, qualifier) from the global
// index, cached briefly in this isolate; then the account's current URL config, policy and record.
import { accountDirectory, functionRegistry } from '../bindings';
import type { FunctionUrlIndexEntry } from '../records/function-url';
import type { FunctionRecord } from '../records/function';
import type { FunctionUrlTarget } from '../records/function-url';
import { URL_ID_PATTERN } from './hosts';
import { resolveFunction } from '../services/resolve-function';

/**
 * How long this isolate trusts an index lookup. Only the url-id -> function mapping is cached and
 * it never changes while the id exists (ids are never reused); whether the URL still exists, its
 * AuthType, Cors and policy are read from the account's FunctionRegistry on every request, so
 * Update/Delete take effect at once. Misses are cached too, so a flood of unknown ids does not
 * reach the one global index.
 */
const INDEX_CACHE_TTL_MS = 5_000;
const INDEX_CACHE_MAX_ENTRIES = 1_000;

/** Ephemeral, per isolate: lost with the isolate, rebuilt from the AccountDirectory. */
const indexCache = new Map<string, { entry: FunctionUrlIndexEntry | undefined; expiresAtMs: number }>();

export interface UrlTarget extends FunctionUrlTarget {
  accountId: string;
  /** The account is a playground sandbox: its URL's rate limit and response headers apply (serve.ts). */
  playground: boolean;
}

/** The live URL config behind `urlId`, or undefined for an unknown or deleted URL. */
export async function findUrlTarget(env: Env, urlId: string): Promise<UrlTarget | undefined> {
  if (!URL_ID_PATTERN.test(urlId)) return undefined;
  const entry = await lookupIndex(env, urlId);
  if (!entry) return undefined;
  const target = await functionRegistry(env, entry.accountId).functionUrlTarget(entry.functionName, entry.qualifier, urlId);
  return target && { ...target, accountId: entry.accountId, playground: entry.playground === true };
}

/**
 * The FunctionRecord a URL request runs: the ONE place where a URL's qualifier is resolved.
 * Unqualified and $LATEST URLs run $LATEST; an alias URL picks its version (weighted, as Invoke).
 */
export async function recordForUrl(env: Env, target: UrlTarget): Promise<FunctionRecord | undefined> {
  const { qualifier } = target.url;
  if (qualifier === '' || qualifier === '$LATEST') return target.latest;
  return (await resolveFunction(env, target.accountId, target.latest.name, qualifier))?.record;
}

/** Drops a cached lookup (this isolate deleted the URL); other isolates age out within the TTL. */
export function forgetCachedUrl(urlId: string): void {
  indexCache.delete(urlId);
}

async function lookupIndex(env: Env, urlId: string): Promise<FunctionUrlIndexEntry | undefined> {
  const nowMs = Date.now();
  const cached = indexCache.get(urlId);
  if (cached && cached.expiresAtMs > nowMs) return cached.entry;
  const entry = await accountDirectory(env).findFunctionUrl(urlId);
  if (indexCache.size >= INDEX_CACHE_MAX_ENTRIES) indexCache.delete(indexCache.keys().next().value!);
  indexCache.set(urlId, { entry, expiresAtMs: nowMs + INDEX_CACHE_TTL_MS });
  return entry;
}
