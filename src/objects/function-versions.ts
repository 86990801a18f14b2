// Published versions and aliases of an account's functions: tables in the FunctionRegistry's own
// SQLite storage (same object, so publishing, alias changes and deletes are atomic with $LATEST).
// A version is an immutable snapshot of a FunctionRecord; an alias names a version, optionally
// with one more version and its share of traffic.
import type { FunctionRecord } from './function-registry';

/** A published version: the $LATEST record as it was, numbered. Never changed after publishing. */
export interface VersionRecord extends FunctionRecord {
  version: string;
  /** $LATEST's RevisionId it was cut from: publishing an unchanged $LATEST returns this version. */
  publishedFromRevisionId: string;
}

export interface AliasRecord {
  name: string;
  /** '$LATEST' or a version number. */
  functionVersion: string;
  description: string;
  /** RoutingConfig.AdditionalVersionWeights: one other version and its share of traffic (0..1). */
  additionalVersionWeights?: Record<string, number>;
  revisionId: string;
}

export type VersionsError =
  | { error: 'not-found' }
  | { error: 'version-not-found'; version: string }
  | { error: 'alias-not-found' }
  | { error: 'alias-exists' }
  | { error: 'precondition' }
  | { error: 'invalid'; message: string }
  | { error: 'code-sha-mismatch'; given: string; current: string }
  | { error: 'referenced'; aliases: string[] };

export type VersionsResult<T> = { ok: true; value: T } | ({ ok: false } & VersionsError);

export const isVersionNumber = (qualifier: string) => /^[0-9]+$/.test(qualifier);

/**
 * Lambda's rules for an alias's routing, checked on create and after every update: routing needs
 * a published primary version and a different additional one. Returns the error message, if any.
 */
export function routingProblem(alias: Pick<AliasRecord, 'functionVersion' | 'additionalVersionWeights'>): string | undefined {
  const [additional] = Object.keys(alias.additionalVersionWeights ?? {});
  if (additional === undefined) return undefined;
  if (additional === alias.functionVersion) {
    return `Invalid function version ${additional}. Function version ${additional} is already included in routing configuration.`;
  }
  if (alias.functionVersion === '$LATEST') return '$LATEST is not supported for an alias pointing to more than 1 version';
  return undefined;
}

/**
 * The version an invocation of `alias` runs: the additional version with probability equal to its
 * weight, otherwise the primary. `random` is uniform in [0, 1).
 */
export function pickAliasVersion(alias: AliasRecord, random: number): string {
  const [entry] = Object.entries(alias.additionalVersionWeights ?? {});
  return entry && random < entry[1] ? entry[0] : alias.functionVersion;
}

/** A uniform number in [0, 1) from the platform's cryptographic random source. */
export function cryptoRandom(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32;
}

/** The versions and aliases tables; owned by one FunctionRegistry. */
export class FunctionVersions {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS versions (
      name TEXT NOT NULL, version INTEGER NOT NULL, code_key TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (name, version))`);
    // Version numbers are never reused, even after the newest version is deleted.
    sql.exec('CREATE TABLE IF NOT EXISTS version_counters (name TEXT PRIMARY KEY, last_version INTEGER NOT NULL)');
    sql.exec('CREATE TABLE IF NOT EXISTS aliases (name TEXT NOT NULL, alias TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (name, alias))');
  }

  /**
   * Publishes `latest` as the next version, or returns the newest version when `latest` has not
   * changed since it was published (as Lambda does). Async settings are not part of a version.
   */
  publish(latest: FunctionRecord, description: string | undefined): VersionRecord {
    const newest = this.sql
      .exec<{ record: string }>('SELECT record FROM versions WHERE name = ? ORDER BY version DESC LIMIT 1', latest.name)
      .toArray()[0];
    const previous = newest && (JSON.parse(newest.record) as VersionRecord);
    if (previous && previous.publishedFromRevisionId === latest.revisionId) return previous;
    const counter = this.sql.exec<{ last_version: number }>('SELECT last_version FROM version_counters WHERE name = ?', latest.name).toArray()[0];
    const number = (counter?.last_version ?? 0) + 1;
    const { eventInvokeConfig: _asyncSettings, ...config } = latest;
    const record: VersionRecord = {
      ...config,
      version: String(number),
      description: description ?? latest.description,
      revisionId: crypto.randomUUID(),
      publishedFromRevisionId: latest.revisionId,
    };
    this.sql.exec('INSERT OR REPLACE INTO version_counters VALUES (?, ?)', latest.name, number);
    this.sql.exec('INSERT INTO versions VALUES (?, ?, ?, ?)', latest.name, number, record.codeKey, JSON.stringify(record));
    return record;
  }

  get(name: string, version: string): VersionRecord | undefined {
    if (!isVersionNumber(version)) return undefined;
    const row = this.sql.exec<{ record: string }>('SELECT record FROM versions WHERE name = ? AND version = ?', name, Number(version)).toArray()[0];
    return row && (JSON.parse(row.record) as VersionRecord);
  }

  /** Versions in number order after `afterVersion` (0 for all), at most `limit`. */
  list(name: string, afterVersion: number, limit: number): VersionRecord[] {
    return this.sql
      .exec<{ record: string }>('SELECT record FROM versions WHERE name = ? AND version > ? ORDER BY version LIMIT ?', name, afterVersion, limit)
      .toArray()
      .map((r) => JSON.parse(r.record) as VersionRecord);
  }

  /**
   * Deletes a version no alias refers to. Returns the code key it leaves unused (not $LATEST's,
   * not another version's), which the caller deletes from R2.
   */
  delete(latest: FunctionRecord, version: string): VersionsResult<{ releasedCodeKey?: string }> {
    const record = this.get(latest.name, version);
    if (!record) return { ok: false, error: 'version-not-found', version };
    const referencing = this.aliases(latest.name)
      .filter((a) => a.functionVersion === version || a.additionalVersionWeights?.[version] !== undefined)
      .map((a) => a.name);
    if (referencing.length > 0) return { ok: false, error: 'referenced', aliases: referencing };
    this.sql.exec('DELETE FROM versions WHERE name = ? AND version = ?', latest.name, Number(version));
    return { ok: true, value: { releasedCodeKey: this.codeKeyInUse(latest, record.codeKey) ? undefined : record.codeKey } };
  }

  /** Whether $LATEST (`latest`) or any published version still runs the zip at `codeKey`. */
  codeKeyInUse(latest: FunctionRecord, codeKey: string): boolean {
    if (latest.codeKey === codeKey) return true;
    return this.sql.exec('SELECT 1 FROM versions WHERE name = ? AND code_key = ? LIMIT 1', latest.name, codeKey).toArray().length > 0;
  }

  /** Bytes of every published version's zip, for GetAccountSettings' TotalCodeSize. */
  totalCodeSize(): number {
    return this.sql
      .exec<{ record: string }>('SELECT record FROM versions')
      .toArray()
      .reduce((n, r) => n + (JSON.parse(r.record) as VersionRecord).codeSize, 0);
  }

  createAlias(functionName: string, alias: AliasRecord): VersionsResult<AliasRecord> {
    if (this.getAlias(functionName, alias.name)) return { ok: false, error: 'alias-exists' };
    const missing = this.missingVersion(functionName, alias);
    if (missing) return missing;
    this.sql.exec('INSERT INTO aliases VALUES (?, ?, ?)', functionName, alias.name, JSON.stringify(alias));
    return { ok: true, value: alias };
  }

  getAlias(functionName: string, aliasName: string): AliasRecord | undefined {
    const row = this.sql.exec<{ record: string }>('SELECT record FROM aliases WHERE name = ? AND alias = ?', functionName, aliasName).toArray()[0];
    return row && (JSON.parse(row.record) as AliasRecord);
  }

  /** Applies `changes` when `expectedRevisionId` (if given) matches; stamps a new RevisionId. */
  updateAlias(
    functionName: string,
    aliasName: string,
    changes: Partial<Pick<AliasRecord, 'functionVersion' | 'description' | 'additionalVersionWeights'>>,
    expectedRevisionId: string | undefined,
  ): VersionsResult<AliasRecord> {
    const current = this.getAlias(functionName, aliasName);
    if (!current) return { ok: false, error: 'alias-not-found' };
    if (expectedRevisionId !== undefined && expectedRevisionId !== current.revisionId) return { ok: false, error: 'precondition' };
    const alias: AliasRecord = { ...current, ...changes, revisionId: crypto.randomUUID() };
    if (alias.additionalVersionWeights && Object.keys(alias.additionalVersionWeights).length === 0) delete alias.additionalVersionWeights;
    const problem = routingProblem(alias);
    if (problem) return { ok: false, error: 'invalid', message: problem };
    const missing = this.missingVersion(functionName, alias);
    if (missing) return missing;
    this.sql.exec('UPDATE aliases SET record = ? WHERE name = ? AND alias = ?', JSON.stringify(alias), functionName, aliasName);
    return { ok: true, value: alias };
  }

  deleteAlias(functionName: string, aliasName: string): boolean {
    const existed = this.getAlias(functionName, aliasName) !== undefined;
    this.sql.exec('DELETE FROM aliases WHERE name = ? AND alias = ?', functionName, aliasName);
    return existed;
  }

  /** Aliases in name order; only those whose primary version is `functionVersion` when given. */
  aliases(functionName: string, functionVersion?: string): AliasRecord[] {
    return this.sql
      .exec<{ record: string }>('SELECT record FROM aliases WHERE name = ? ORDER BY alias', functionName)
      .toArray()
      .map((r) => JSON.parse(r.record) as AliasRecord)
      .filter((a) => functionVersion === undefined || a.functionVersion === functionVersion);
  }

  /** Removes every version and alias of a function (DeleteFunction), or of all (account deletion). */
  deleteFunction(name?: string): void {
    for (const table of ['versions', 'version_counters', 'aliases']) {
      if (name === undefined) this.sql.exec(`DELETE FROM ${table}`);
      else this.sql.exec(`DELETE FROM ${table} WHERE name = ?`, name);
    }
  }

  private missingVersion(functionName: string, alias: AliasRecord): ({ ok: false } & VersionsError) | undefined {
    for (const version of [alias.functionVersion, ...Object.keys(alias.additionalVersionWeights ?? {})]) {
      if (version !== '$LATEST' && !this.get(functionName, version)) return { ok: false, error: 'version-not-found', version };
    }
    return undefined;
  }
}
