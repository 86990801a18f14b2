// FunctionRegistry: one object per account, holding that account's function configurations.
// The account is the coordination atom for names, listing and RevisionId guards; code bundles
// live in R2 under the account's prefix. Every method is atomic (single-threaded object).
import { DurableObject } from 'cloudflare:workers';

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

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec('CREATE TABLE IF NOT EXISTS functions (name TEXT PRIMARY KEY, record TEXT NOT NULL)');
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
   * LastModified. Returns the previous record too, so the caller can release replaced code.
   */
  update(
    name: string,
    changes: Partial<Omit<FunctionRecord, 'name' | 'revisionId' | 'lastModified'>>,
    expectedRevisionId?: string,
  ): RegistryResult<{ record: FunctionRecord; previous: FunctionRecord }> {
    const previous = this.read(name);
    if (!previous) return { ok: false, error: 'not-found' };
    if (expectedRevisionId !== undefined && expectedRevisionId !== previous.revisionId) return { ok: false, error: 'precondition' };
    const record: FunctionRecord = { ...previous, ...changes, revisionId: crypto.randomUUID(), lastModified: lambdaTimestamp() };
    this.sql.exec('UPDATE functions SET record = ? WHERE name = ?', JSON.stringify(record), name);
    return { ok: true, value: { record, previous } };
  }

  /** Removes the function; returns the removed record so the caller can delete its code. */
  delete(name: string): FunctionRecord | undefined {
    const record = this.read(name);
    if (record) this.sql.exec('DELETE FROM functions WHERE name = ?', name);
    return record;
  }

  /** Number of functions and the bytes of their zips, for GetAccountSettings. */
  usage(): { functionCount: number; totalCodeSize: number } {
    const records = this.sql.exec<{ record: string }>('SELECT record FROM functions').toArray().map((r) => JSON.parse(r.record) as FunctionRecord);
    return { functionCount: records.length, totalCodeSize: records.reduce((n, r) => n + r.codeSize, 0) };
  }

  /** Removes every function of the account (account deletion); returns their code keys. */
  deleteAll(): string[] {
    const keys = this.sql.exec<{ record: string }>('SELECT record FROM functions').toArray().map((r) => (JSON.parse(r.record) as FunctionRecord).codeKey);
    this.sql.exec('DELETE FROM functions');
    return keys;
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
