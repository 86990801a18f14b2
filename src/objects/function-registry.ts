// FunctionRegistry: one object per account, holding that account's function configurations.
// The account is the coordination atom for names, listing and RevisionId guards; code bundles
// live in R2 under the account's prefix. Every method is atomic (single-threaded object).
// Published versions and aliases live in the same object (objects/function-versions.ts).
import { DurableObject } from 'cloudflare:workers';
import {
  cryptoRandom, FunctionVersions, isVersionNumber, pickAliasVersion, routingProblem,
  type AliasRecord, type VersionRecord, type VersionsResult,
} from './function-versions';

/** A function's stored configuration; the API layer renders it as Lambda's FunctionConfiguration. */
export interface FunctionRecord {
  name: string;
  runtime: string;
  handler: string;
  role: string;
  description: string;
  timeoutSeconds: number;
  memorySizeMb: number;
  environment: Record<string, string>;
  tracingMode: 'Active' | 'PassThrough';
  codeSha256: string;
  codeSize: number;
  /** R2 key of the zip this configuration runs. */
  codeKey: string;
  revisionId: string;
  lastModified: string;
  /** DeadLetterConfig.TargetArn: a faasbox queue of the same account. */
  deadLetterTargetArn?: string;
  /** Per-function async settings (Put/UpdateFunctionEventInvokeConfig). */
  eventInvokeConfig?: EventInvokeConfig;
  /** The published version number of a snapshot; absent on $LATEST. */
  version?: string;
}

/** What a qualifier names: the snapshot to run, the version it is, and the alias that chose it. */
export interface ResolvedFunction {
  record: FunctionRecord;
  executedVersion: string;
  alias?: string;
}

export interface EventInvokeConfig {
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  /** Destination ARNs: a queue or a function of the same account. */
  onSuccess?: string;
  onFailure?: string;
  /** Epoch seconds, as Lambda reports it. */
  lastModified: number;
}

export type RegistryResult<T> = { ok: true; value: T } | { ok: false; error: 'not-found' | 'conflict' | 'precondition' };

export class FunctionRegistry extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly versions: FunctionVersions;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec('CREATE TABLE IF NOT EXISTS functions (name TEXT PRIMARY KEY, record TEXT NOT NULL)');
    this.versions = new FunctionVersions(this.sql);
  }

  create(record: FunctionRecord): RegistryResult<FunctionRecord> {
    if (this.read(record.name)) return { ok: false, error: 'conflict' };
    this.sql.exec('INSERT INTO functions VALUES (?, ?)', record.name, JSON.stringify(record));
    return { ok: true, value: record };
  }

  get(name: string): FunctionRecord | undefined {
    return this.read(name);
  }

  /** Functions in name order after `marker`, at most `maxItems`, and the marker of the next page. */
  list(marker: string | undefined, maxItems: number): { functions: FunctionRecord[]; nextMarker?: string } {
    const rows = this.sql
      .exec<{ record: string }>('SELECT record FROM functions WHERE name > ? ORDER BY name LIMIT ?', marker ?? '', maxItems + 1)
      .toArray()
      .map((r) => JSON.parse(r.record) as FunctionRecord);
    const functions = rows.slice(0, maxItems);
    return { functions, nextMarker: rows.length > maxItems ? functions[functions.length - 1].name : undefined };
  }

  /**
   * Applies `changes` when `expectedRevisionId` (if given) matches, stamping a new RevisionId and
   * LastModified. Returns the previous record, and the code key the change left unused by $LATEST
   * and every published version, which the caller deletes from R2.
   */
  update(
    name: string,
    changes: Partial<Omit<FunctionRecord, 'name' | 'revisionId' | 'lastModified'>>,
    expectedRevisionId?: string,
  ): RegistryResult<{ record: FunctionRecord; previous: FunctionRecord; releasedCodeKey?: string }> {
    const previous = this.read(name);
    if (!previous) return { ok: false, error: 'not-found' };
    if (expectedRevisionId !== undefined && expectedRevisionId !== previous.revisionId) return { ok: false, error: 'precondition' };
    const record: FunctionRecord = { ...previous, ...changes, revisionId: crypto.randomUUID(), lastModified: lambdaTimestamp() };
    this.sql.exec('UPDATE functions SET record = ? WHERE name = ?', JSON.stringify(record), name);
    const released = this.versions.codeKeyInUse(record, previous.codeKey) ? undefined : previous.codeKey;
    return { ok: true, value: { record, previous, releasedCodeKey: released } };
  }

  /**
   * Removes the function with its versions, aliases, URL configs and policies in one step, so
   * none of them can outlive it and come back with a new function of the same name. Returns
   * the removed $LATEST record.
   */
  delete(name: string): FunctionRecord | undefined {
    const record = this.read(name);
    if (record) this.sql.exec('DELETE FROM functions WHERE name = ?', name);
    this.versions.deleteFunction(name);
    this.forgetFunctionUrls(name);
    return record;
  }

  /** Number of functions and the bytes of their zips (every version's), for GetAccountSettings. */
  usage(): { functionCount: number; totalCodeSize: number } {
    const records = this.sql.exec<{ record: string }>('SELECT record FROM functions').toArray().map((r) => JSON.parse(r.record) as FunctionRecord);
    return { functionCount: records.length, totalCodeSize: records.reduce((n, r) => n + r.codeSize, this.versions.totalCodeSize()) };
  }

  /** Removes every function of the account (account deletion); returns their code keys. */
  deleteAll(): string[] {
    const keys = this.sql.exec<{ record: string }>('SELECT record FROM functions').toArray().map((r) => (JSON.parse(r.record) as FunctionRecord).codeKey);
    this.sql.exec('DELETE FROM functions');
    this.versions.deleteFunction();
    return keys;
  }

  /**
   * The record a qualifier names: $LATEST (none or `$LATEST`), a published version, or an alias.
   * `routing: 'weighted'` picks an alias's version by its weights (an invocation);
   * `'primary'` takes its FunctionVersion (GetFunction). Undefined when nothing matches.
   */
  resolve(name: string, qualifier: string | undefined, routing: 'weighted' | 'primary'): ResolvedFunction | undefined {
    const latest = this.read(name);
    if (!latest) return undefined;
    let version = qualifier ?? '$LATEST';
    let alias: string | undefined;
    if (version !== '$LATEST' && !isVersionNumber(version)) {
      const record = this.versions.getAlias(name, version);
      if (!record) return undefined;
      alias = record.name;
      version = routing === 'weighted' ? pickAliasVersion(record, cryptoRandom()) : record.functionVersion;
    }
    const record = version === '$LATEST' ? latest : this.versions.get(name, version);
    return record && { record, executedVersion: version, ...(alias !== undefined && { alias }) };
  }

  /** Whether $LATEST or a published version of `name` runs the zip at `codeKey`. */
  codeKeyInUse(name: string, codeKey: string): boolean {
    const latest = this.read(name);
    return latest !== undefined && this.versions.codeKeyInUse(latest, codeKey);
  }

  /** PublishVersion: snapshots $LATEST after the RevisionId and CodeSha256 guards. */
  publishVersion(name: string, guards: { revisionId?: string; codeSha256?: string; description?: string }): VersionsResult<VersionRecord> {
    const latest = this.read(name);
    if (!latest) return { ok: false, error: 'not-found' };
    if (guards.revisionId !== undefined && guards.revisionId !== latest.revisionId) return { ok: false, error: 'precondition' };
    if (guards.codeSha256 !== undefined && guards.codeSha256 !== latest.codeSha256) return { ok: false, error: 'code-sha-mismatch', given: guards.codeSha256, current: latest.codeSha256 };
    return { ok: true, value: this.versions.publish(latest, guards.description) };
  }

  /** ListVersionsByFunction: $LATEST first, then versions in order; `marker` is the last version seen. */
  listVersions(name: string, marker: string | undefined, maxItems: number): VersionsResult<{ versions: FunctionRecord[]; nextMarker?: string }> {
    const latest = this.read(name);
    if (!latest) return { ok: false, error: 'not-found' };
    const head = marker === undefined ? [latest] : [];
    const after = marker === undefined || !isVersionNumber(marker) ? 0 : Number(marker);
    const rows = [...head, ...this.versions.list(name, after, maxItems + 1)];
    const versions = rows.slice(0, maxItems);
    return { ok: true, value: { versions, nextMarker: rows.length > maxItems ? (versions[versions.length - 1].version ?? '$LATEST') : undefined } };
  }

  /** DeleteFunction with a version Qualifier. */
  deleteVersion(name: string, version: string): VersionsResult<{ releasedCodeKey?: string }> {
    const latest = this.read(name);
    if (!latest) return { ok: false, error: 'not-found' };
    return this.versions.delete(latest, version);
  }

  createAlias(name: string, alias: AliasRecord): VersionsResult<AliasRecord> {
    if (!this.read(name)) return { ok: false, error: 'not-found' };
    const problem = routingProblem(alias);
    if (problem) return { ok: false, error: 'invalid', message: problem };
    return this.versions.createAlias(name, alias);
  }

  getAlias(name: string, aliasName: string): VersionsResult<AliasRecord> {
    if (!this.read(name)) return { ok: false, error: 'not-found' };
    const alias = this.versions.getAlias(name, aliasName);
    return alias ? { ok: true, value: alias } : { ok: false, error: 'alias-not-found' };
  }

  updateAlias(
    name: string,
    aliasName: string,
    changes: Partial<Pick<AliasRecord, 'functionVersion' | 'description' | 'additionalVersionWeights'>>,
    expectedRevisionId?: string,
  ): VersionsResult<AliasRecord> {
    if (!this.read(name)) return { ok: false, error: 'not-found' };
    return this.versions.updateAlias(name, aliasName, changes, expectedRevisionId);
  }

  /**
   * Removes an alias with its URL config and policy (as Lambda does), so a later alias of the
   * same name starts without them. Returns the url-ids to drop from the global index.
   */
  deleteAlias(name: string, aliasName: string): VersionsResult<{ forgottenUrlIds: string[] }> {
    if (!this.read(name)) return { ok: false, error: 'not-found' };
    if (!this.versions.deleteAlias(name, aliasName)) return { ok: false, error: 'alias-not-found' };
    const sql = this.urlSql();
    const forgottenUrlIds = sql.exec<{ url_id: string }>('SELECT url_id FROM function_urls WHERE function_name = ? AND qualifier = ?', name, aliasName).toArray().map((r) => r.url_id);
    sql.exec('DELETE FROM function_urls WHERE function_name = ? AND qualifier = ?', name, aliasName);
    sql.exec('DELETE FROM function_policies WHERE function_name = ? AND qualifier = ?', name, aliasName);
    return { ok: true, value: { forgottenUrlIds } };
  }

  /** ListAliases in name order after `marker` (an alias name). */
  listAliases(name: string, functionVersion: string | undefined, marker: string | undefined, maxItems: number): VersionsResult<{ aliases: AliasRecord[]; nextMarker?: string }> {
    if (!this.read(name)) return { ok: false, error: 'not-found' };
    const rows = this.versions.aliases(name, functionVersion).filter((a) => marker === undefined || a.name > marker);
    const aliases = rows.slice(0, maxItems);
    return { ok: true, value: { aliases, nextMarker: rows.length > maxItems ? aliases[aliases.length - 1].name : undefined } };
  }

  private read(name: string): FunctionRecord | undefined {
    const row = this.sql.exec<{ record: string }>('SELECT record FROM functions WHERE name = ?', name).toArray()[0];
    return row && (JSON.parse(row.record) as FunctionRecord);
  }

  // --- Function URLs and resource policies (docs/FUNCTION-URLS.md). Their tables are made on
  // first use so this block stays self-contained. `qualifier` is '' for the unqualified function.

  private urlTablesReady = false;

  private urlSql(): SqlStorage {
    if (!this.urlTablesReady) {
      this.sql.exec(`CREATE TABLE IF NOT EXISTS function_urls (
        function_name TEXT NOT NULL, qualifier TEXT NOT NULL, url_id TEXT NOT NULL UNIQUE, config TEXT NOT NULL,
        PRIMARY KEY (function_name, qualifier))`);
      this.sql.exec(`CREATE TABLE IF NOT EXISTS function_policies (
        function_name TEXT NOT NULL, qualifier TEXT NOT NULL, policy TEXT NOT NULL, PRIMARY KEY (function_name, qualifier))`);
      this.urlTablesReady = true;
    }
    return this.sql;
  }

  /** Stores a new URL config; conflict when the function (and qualifier) already has one. */
  createFunctionUrl(config: FunctionUrlRecord): RegistryResult<FunctionUrlRecord> {
    if (!this.read(config.functionName)) return { ok: false, error: 'not-found' };
    if (this.getFunctionUrl(config.functionName, config.qualifier)) return { ok: false, error: 'conflict' };
    this.urlSql().exec('INSERT INTO function_urls VALUES (?, ?, ?, ?)', config.functionName, config.qualifier, config.urlId, JSON.stringify(config));
    return { ok: true, value: config };
  }

  getFunctionUrl(functionName: string, qualifier: string): FunctionUrlRecord | undefined {
    const row = this.urlSql()
      .exec<{ config: string }>('SELECT config FROM function_urls WHERE function_name = ? AND qualifier = ?', functionName, qualifier)
      .toArray()[0];
    return row && (JSON.parse(row.config) as FunctionUrlRecord);
  }

  updateFunctionUrl(
    functionName: string,
    qualifier: string,
    changes: Partial<Pick<FunctionUrlRecord, 'authType' | 'cors' | 'invokeMode'>>,
  ): FunctionUrlRecord | undefined {
    const current = this.getFunctionUrl(functionName, qualifier);
    if (!current) return undefined;
    const config: FunctionUrlRecord = { ...current, ...changes, lastModifiedTime: new Date().toISOString() };
    this.urlSql().exec('UPDATE function_urls SET config = ? WHERE function_name = ? AND qualifier = ?', JSON.stringify(config), functionName, qualifier);
    return config;
  }

  /** Removes the URL config; returns it so the caller can drop its url-id from the global index. */
  deleteFunctionUrl(functionName: string, qualifier: string): FunctionUrlRecord | undefined {
    const config = this.getFunctionUrl(functionName, qualifier);
    if (config) this.urlSql().exec('DELETE FROM function_urls WHERE function_name = ? AND qualifier = ?', functionName, qualifier);
    return config;
  }

  /**
   * The function's URL configs in qualifier order after `marker`, and the next page's marker.
   * Markers are opaque (`q:` + the last qualifier), since the unqualified URL's qualifier is ''.
   */
  listFunctionUrls(functionName: string, marker: string | undefined, maxItems: number): { configs: FunctionUrlRecord[]; nextMarker?: string } {
    const after = marker?.startsWith('q:') ? marker.slice(2) : undefined;
    const rows = this.urlSql()
      .exec<{ config: string }>(
        'SELECT config FROM function_urls WHERE function_name = ? AND (? IS NULL OR qualifier > ?) ORDER BY qualifier LIMIT ?',
        functionName, after ?? null, after ?? null, maxItems + 1,
      )
      .toArray()
      .map((r) => JSON.parse(r.config) as FunctionUrlRecord);
    const configs = rows.slice(0, maxItems);
    return { configs, nextMarker: rows.length > maxItems ? `q:${configs[configs.length - 1].qualifier}` : undefined };
  }

  /**
   * Everything a URL request needs in one call: the URL config (only if it still carries
   * `urlId`: a deleted and re-created URL has a new id), its resource policy and the function's
   * $LATEST record. Undefined when the URL or the function is gone.
   */
  functionUrlTarget(functionName: string, qualifier: string, urlId: string): FunctionUrlTarget | undefined {
    const url = this.getFunctionUrl(functionName, qualifier);
    const latest = this.read(functionName);
    if (!url || url.urlId !== urlId || !latest) return undefined;
    return { url, policy: this.readPolicy(functionName, qualifier), latest };
  }

  /** Adds a statement to the resource policy; conflict on a duplicate Sid, precondition on a stale RevisionId. */
  addPermission(functionName: string, qualifier: string, statement: PolicyStatement, expectedRevisionId?: string): RegistryResult<ResourcePolicy> {
    if (!this.read(functionName)) return { ok: false, error: 'not-found' };
    const current = this.readPolicy(functionName, qualifier);
    if (expectedRevisionId !== undefined && expectedRevisionId !== current?.revisionId) return { ok: false, error: 'precondition' };
    if (current?.statements.some((s) => s.Sid === statement.Sid)) return { ok: false, error: 'conflict' };
    return { ok: true, value: this.writePolicy(functionName, qualifier, [...(current?.statements ?? []), statement]) };
  }

  /** Removes the statement `sid`; not-found when there is no such statement. */
  removePermission(functionName: string, qualifier: string, sid: string, expectedRevisionId?: string): RegistryResult<ResourcePolicy | undefined> {
    const current = this.readPolicy(functionName, qualifier);
    if (!current || !current.statements.some((s) => s.Sid === sid)) return { ok: false, error: 'not-found' };
    if (expectedRevisionId !== undefined && expectedRevisionId !== current.revisionId) return { ok: false, error: 'precondition' };
    return { ok: true, value: this.writePolicy(functionName, qualifier, current.statements.filter((s) => s.Sid !== sid)) };
  }

  getPolicy(functionName: string, qualifier: string): ResourcePolicy | undefined {
    return this.readPolicy(functionName, qualifier);
  }

  /** Drops a function's URL configs and policies (DeleteFunction); returns the url-ids to unindex. */
  forgetFunctionUrls(functionName: string): string[] {
    const sql = this.urlSql();
    const ids = sql.exec<{ url_id: string }>('SELECT url_id FROM function_urls WHERE function_name = ?', functionName).toArray().map((r) => r.url_id);
    sql.exec('DELETE FROM function_urls WHERE function_name = ?', functionName);
    sql.exec('DELETE FROM function_policies WHERE function_name = ?', functionName);
    return ids;
  }

  /** Drops every URL config and policy of the account (account deletion). */
  forgetAllFunctionUrls(): void {
    this.urlSql().exec('DELETE FROM function_urls');
    this.sql.exec('DELETE FROM function_policies');
  }

  private readPolicy(functionName: string, qualifier: string): ResourcePolicy | undefined {
    qualifier = policyQualifier(qualifier);
    const row = this.urlSql()
      .exec<{ policy: string }>('SELECT policy FROM function_policies WHERE function_name = ? AND qualifier = ?', functionName, qualifier)
      .toArray()[0];
    return row && (JSON.parse(row.policy) as ResourcePolicy);
  }

  /** Stores the statements under a new RevisionId; no statements means no policy (GetPolicy 404). */
  private writePolicy(functionName: string, qualifier: string, statements: PolicyStatement[]): ResourcePolicy {
    qualifier = policyQualifier(qualifier);
    const policy: ResourcePolicy = { statements, revisionId: crypto.randomUUID() };
    if (statements.length === 0) {
      this.urlSql().exec('DELETE FROM function_policies WHERE function_name = ? AND qualifier = ?', functionName, qualifier);
    } else {
      this.urlSql().exec('INSERT OR REPLACE INTO function_policies VALUES (?, ?, ?)', functionName, qualifier, JSON.stringify(policy));
    }
    return policy;
  }
}

/** $LATEST and the unqualified function share one policy, as they are one and the same code. */
function policyQualifier(qualifier: string): string {
  return qualifier === '$LATEST' ? '' : qualifier;
}

/** A function URL's configuration (Create/UpdateFunctionUrlConfig). */
export interface FunctionUrlRecord {
  /** 32 lowercase alphanumerics: the host label `<url-id>.lambda-url.<region>.<domain>`. */
  urlId: string;
  functionName: string;
  /** The Qualifier it was created with; '' for the unqualified function. */
  qualifier: string;
  authType: 'NONE' | 'AWS_IAM';
  cors?: CorsConfig;
  invokeMode: 'BUFFERED';
  /** ISO 8601, as Lambda reports CreationTime and LastModifiedTime. */
  creationTime: string;
  lastModifiedTime: string;
}

/** Lambda's Cors structure, stored as given. */
export interface CorsConfig {
  AllowCredentials?: boolean;
  AllowHeaders?: string[];
  AllowMethods?: string[];
  AllowOrigins?: string[];
  ExposeHeaders?: string[];
  MaxAge?: number;
}

/** One statement of a function's resource policy, in IAM's JSON shape. */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: '*' | { AWS: string } | { Service: string };
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface ResourcePolicy {
  statements: PolicyStatement[];
  revisionId: string;
}

export interface FunctionUrlTarget {
  url: FunctionUrlRecord;
  policy: ResourcePolicy | undefined;
  /** The function's $LATEST record; recordForUrl picks what actually runs. */
  latest: FunctionRecord;
}

/** Lambda's LastModified format: `2026-11-26T19:11:20.562+0000`. */
export function lambdaTimestamp(date = new Date()): string {
  return date.toISOString().replace('Z', '+0000');
}
