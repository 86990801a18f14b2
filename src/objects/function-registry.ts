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
}

/** Lambda's LastModified format: `2026-11-26T19:11:20.562+0000`. */
export function lambdaTimestamp(date = new Date()): string {
  return date.toISOString().replace('Z', '+0000');
}
