// A function's own egress rules (docs/SECURITY.md, "A function's own rules"; faasbox's analogue of
// Lambda's VpcConfig): read, replace and remove them on $LATEST, where they are a field of its
// configuration (so PublishVersion snapshots them), and turn the stored text into the sandbox's
// patterns for an invocation. Failures are thrown as Lambda's errors.
import { formatEgressPattern, parseEgressPattern, type EgressPattern, type FunctionEgressRules } from '../../sandbox';
import { functionNotFound, invalidParameter } from '../errors';
import { functionArn, type Caller } from '../function-names';
import { FUNCTION_EGRESS_ENTRIES_MAX, FUNCTION_EGRESS_ENTRY_MAX_CHARS } from '../limits';
import type { FunctionEgress, FunctionRecord } from '../records/function';
import { updateFunctionConfiguration } from './functions';
import { resolveFunction } from './resolve-function';

/** The record whose rules a GET reads: $LATEST, a version, or an alias's primary version. */
export async function functionEgressOf(env: Env, caller: Caller, name: string, qualifier?: string): Promise<FunctionRecord> {
  const resolved = await resolveFunction(env, caller.accountId, name, qualifier, 'primary');
  if (!resolved) throw functionNotFound(functionArn(caller, name, qualifier));
  return resolved.record;
}

/**
 * Replaces $LATEST's rules (`undefined`: removes them), as a configuration change: a new
 * RevisionId and LastModified, so the next PublishVersion publishes them. `revisionId`, when
 * given, must be the current one.
 */
export async function putFunctionEgress(env: Env, caller: Caller, name: string, egress: FunctionEgress | undefined, revisionId?: string): Promise<FunctionRecord> {
  return updateFunctionConfiguration(env, caller, name, { egress }, revisionId);
}

/**
 * The normal text of each entry of the list `member` (Allow or Deny), or InvalidParameterValueException
 * naming the first entry that is none and why. Duplicates are kept once.
 * @example normalEgressEntries('Allow', ['API.example.com', '*.example.org:443']) // ['api.example.com', '*.example.org:443']
 */
export function normalEgressEntries(member: 'Allow' | 'Deny', entries: readonly string[]): string[] {
  if (entries.length > FUNCTION_EGRESS_ENTRIES_MAX) {
    throw invalidParameter(`${member} has ${entries.length} entries, over the limit of ${FUNCTION_EGRESS_ENTRIES_MAX}.`);
  }
  const normal = entries.map((entry, i) => {
    const shown = entry.length > FUNCTION_EGRESS_ENTRY_MAX_CHARS ? `${entry.slice(0, 40)}...` : entry;
    if (entry.length > FUNCTION_EGRESS_ENTRY_MAX_CHARS) throw invalidParameter(`${member}[${i}] '${shown}' is longer than ${FUNCTION_EGRESS_ENTRY_MAX_CHARS} characters.`);
    const pattern = parseEgressPattern(entry);
    if ('problem' in pattern) throw invalidParameter(`${member}[${i}] '${shown}' is not an egress entry: ${pattern.problem}.`);
    return formatEgressPattern(pattern);
  });
  return [...new Set(normal)];
}

/**
 * The sandbox's form of stored rules. Entries were normalised when stored, so each parses; were
 * one not to, the rules fail closed (nothing reachable) rather than run without it.
 */
export function functionEgressRules(egress: FunctionEgress): FunctionEgressRules {
  const parse = (entries: readonly string[]) => entries.map(parseEgressPattern);
  const allow = parse(egress.allow);
  const deny = parse(egress.deny);
  const patterns = (list: ReturnType<typeof parse>) => list.filter((p): p is EgressPattern => !('problem' in p));
  if (patterns(allow).length !== allow.length || patterns(deny).length !== deny.length) return { allowListOnly: true, allow: [], deny: [] };
  return { allowListOnly: egress.mode === 'allow-list', allow: patterns(allow), deny: patterns(deny) };
}
