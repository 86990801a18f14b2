// The `versions`, `version_counters` and `aliases` tables of a FunctionRegistry (docs/VERSIONS.md).
// A version is an immutable snapshot of a FunctionRecord; an alias names a version, optionally
// with one more version and its share of traffic. Same object as $LATEST, so publishing, alias
// changes and deletes are atomic with it.
import type { FunctionRecord } from '../../records/function';
import { fail, ok } from '../../records/result';
import { isVersionNumber, type AliasRecord, type VersionRecord, type VersionsError, type VersionsResult } from '../../records/versions';
import { jsonColumn, type Sql } from '../storage/rows';

const version = jsonColumn<VersionRecord>('record');
const alias = jsonColumn<AliasRecord>('record');

/**
 * Lambda's rules for an alias's routing, checked on create and after every update: routing needs
 * a published primary version and a different additional one. Returns the error message, if any.
 */
export function routingProblem(record: Pick<AliasRecord, 'functionVersion' | 'additionalVersionWeights'>): string | undefined {
  const [additional] = Object.keys(record.additionalVersionWeights ?? {});
  if (additional === undefined) return undefined;
  if (additional === record.functionVersion) {
    return `Invalid function version ${additional}. Function version ${additional} is already included in routing configuration.`;
  }
  if (record.functionVersion === '$LATEST') return '$LATEST is not supported for an alias pointing to more than 1 version';
  return undefined;
}

export class VersionsTable {
  constructor(private readonly db: Sql) {}

  /** Whether `latest` is already the newest version (publishing it again returns that version). */
  isPublished(latest: FunctionRecord): boolean {
    return this.newest(latest.name)?.publishedFromRevisionId === latest.revisionId;
  }

  /**
   * $LATEST's RevisionId changed from `from` to `to` with no change of configuration or code (a tag
   * change): the newest version, if it was published from `from`, counts as published from `to`.
   */
  followRevision(name: string, from: string, to: string): void {
    const newest = this.newest(name);
    if (newest?.publishedFromRevisionId === from) this.replace({ ...newest, publishedFromRevisionId: to });
  }

  /** Published versions of function `name` (deleted ones not counted). */
  count(name: string): number {
    return this.db.one<{ n: number }>('SELECT COUNT(*) AS n FROM versions WHERE name = ?', name)?.n ?? 0;
  }

  /**
   * Publishes `latest` as the next version, or returns the newest version when `latest` has not
   * changed since it was published (as Lambda does). Async settings are not part of a version.
   */
  publish(latest: FunctionRecord, description: string | undefined): VersionRecord {
    const previous = this.newest(latest.name);
    if (previous && previous.publishedFromRevisionId === latest.revisionId) return previous;
    // Version numbers are never reused, even after the newest version is deleted.
    const counter = this.db.one<{ last_version: number }>('SELECT last_version FROM version_counters WHERE name = ?', latest.name);
    const number = (counter?.last_version ?? 0) + 1;
    // Tags belong to the function, not to a version (Lambda's GetFunction of a version shows the function's).
    const { eventInvokeConfig: _asyncSettings, tags: _functionTags, ...config } = latest;
    const record: VersionRecord = {
      ...config,
      version: String(number),
      description: description ?? latest.description,
      revisionId: crypto.randomUUID(),
      publishedFromRevisionId: latest.revisionId,
    };
    this.db.run('INSERT OR REPLACE INTO version_counters VALUES (?, ?)', latest.name, number);
    this.db.run('INSERT INTO versions VALUES (?, ?, ?, ?)', latest.name, number, record.codeKey, version.encode(record));
    return record;
  }

  private newest(name: string): VersionRecord | undefined {
    return version.one(this.db, 'SELECT record FROM versions WHERE name = ? ORDER BY version DESC LIMIT 1', name);
  }

  get(name: string, versionNumber: string): VersionRecord | undefined {
    if (!isVersionNumber(versionNumber)) return undefined;
    return version.one(this.db, 'SELECT record FROM versions WHERE name = ? AND version = ?', name, Number(versionNumber));
  }

  /** Rewrites a version's record in place: only its own settings (async config, runtime management) change. */
  replace(record: VersionRecord): void {
    this.db.run('UPDATE versions SET record = ? WHERE name = ? AND version = ?', version.encode(record), record.name, Number(record.version));
  }

  /** Versions in number order after `afterVersion` (0 for all), at most `limit`. */
  list(name: string, afterVersion: number, limit: number): VersionRecord[] {
    return version.all(this.db, 'SELECT record FROM versions WHERE name = ? AND version > ? ORDER BY version LIMIT ?', name, afterVersion, limit);
  }

  /**
   * Deletes a version no alias refers to. Returns the code key it leaves unused (not $LATEST's,
   * not another version's), which the caller deletes from R2.
   */
  delete(latest: FunctionRecord, versionNumber: string): VersionsResult<{ releasedCodeKey?: string }> {
    const record = this.get(latest.name, versionNumber);
    if (!record) return fail('version-not-found', { version: versionNumber });
    const referencing = this.aliases(latest.name)
      .filter((a) => a.functionVersion === versionNumber || a.additionalVersionWeights?.[versionNumber] !== undefined)
      .map((a) => a.name);
    if (referencing.length > 0) return fail('referenced', { aliases: referencing });
    this.db.run('DELETE FROM versions WHERE name = ? AND version = ?', latest.name, Number(versionNumber));
    return ok({ releasedCodeKey: this.codeKeyInUse(latest, record.codeKey) ? undefined : record.codeKey });
  }

  /** Whether $LATEST (`latest`) or any published version still runs the zip at `codeKey`. */
  codeKeyInUse(latest: FunctionRecord, codeKey: string): boolean {
    if (latest.codeKey === codeKey) return true;
    return this.db.exists('SELECT 1 FROM versions WHERE name = ? AND code_key = ? LIMIT 1', latest.name, codeKey);
  }

  /** Bytes of every published version's zip, for GetAccountSettings' TotalCodeSize. */
  totalCodeSize(): number {
    return version.all(this.db, 'SELECT record FROM versions').reduce((n, r) => n + r.codeSize, 0);
  }

  /** Code keys of every published version (account deletion). */
  codeKeys(): string[] {
    return this.db.all<{ code_key: string }>('SELECT code_key FROM versions').map((r) => r.code_key);
  }

  createAlias(functionName: string, record: AliasRecord): VersionsResult<AliasRecord> {
    if (this.getAlias(functionName, record.name)) return fail('alias-exists');
    const missing = this.missingVersion(functionName, record);
    if (missing) return missing;
    this.db.run('INSERT INTO aliases VALUES (?, ?, ?)', functionName, record.name, alias.encode(record));
    return ok(record);
  }

  getAlias(functionName: string, aliasName: string): AliasRecord | undefined {
    return alias.one(this.db, 'SELECT record FROM aliases WHERE name = ? AND alias = ?', functionName, aliasName);
  }

  /** Applies `changes` when `expectedRevisionId` (if given) matches; stamps a new RevisionId. */
  updateAlias(
    functionName: string,
    aliasName: string,
    changes: Partial<Pick<AliasRecord, 'functionVersion' | 'description' | 'additionalVersionWeights'>>,
    expectedRevisionId: string | undefined,
  ): VersionsResult<AliasRecord> {
    const current = this.getAlias(functionName, aliasName);
    if (!current) return fail('alias-not-found');
    if (expectedRevisionId !== undefined && expectedRevisionId !== current.revisionId) return fail('precondition');
    const record: AliasRecord = { ...current, ...changes, revisionId: crypto.randomUUID() };
    if (record.additionalVersionWeights && Object.keys(record.additionalVersionWeights).length === 0) delete record.additionalVersionWeights;
    const problem = routingProblem(record);
    if (problem) return fail('invalid', { message: problem });
    const missing = this.missingVersion(functionName, record);
    if (missing) return missing;
    this.db.run('UPDATE aliases SET record = ? WHERE name = ? AND alias = ?', alias.encode(record), functionName, aliasName);
    return ok(record);
  }

  /** Rewrites an alias's record in place, its RevisionId unchanged (its async config is not part of it). */
  replaceAlias(functionName: string, record: AliasRecord): void {
    this.db.run('UPDATE aliases SET record = ? WHERE name = ? AND alias = ?', alias.encode(record), functionName, record.name);
  }

  deleteAlias(functionName: string, aliasName: string): boolean {
    const existed = this.getAlias(functionName, aliasName) !== undefined;
    this.db.run('DELETE FROM aliases WHERE name = ? AND alias = ?', functionName, aliasName);
    return existed;
  }

  /** Aliases in name order; only those whose primary version is `functionVersion` when given. */
  aliases(functionName: string, functionVersion?: string): AliasRecord[] {
    return alias.all(this.db, 'SELECT record FROM aliases WHERE name = ? ORDER BY alias', functionName)
      .filter((a) => functionVersion === undefined || a.functionVersion === functionVersion);
  }

  /** Removes every version and alias of a function (DeleteFunction), or of all (account deletion). */
  deleteFunction(name?: string): void {
    for (const table of ['versions', 'version_counters', 'aliases']) {
      if (name === undefined) this.db.run(`DELETE FROM ${table}`);
      else this.db.run(`DELETE FROM ${table} WHERE name = ?`, name);
    }
  }

  private missingVersion(functionName: string, record: AliasRecord): VersionsError | undefined {
    for (const v of [record.functionVersion, ...Object.keys(record.additionalVersionWeights ?? {})]) {
      if (v !== '$LATEST' && !this.get(functionName, v)) return fail('version-not-found', { version: v });
    }
    return undefined;
  }
}
