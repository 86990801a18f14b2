// S3BucketRegistry: the platform's one registry of S3 bucket names (global, because bucket names
// are global in S3: a name taken by any account is taken for all), with each bucket's owner
// account, region, creation time and event notification configuration. The objects themselves
// live in R2 (services/s3/objects.ts).
import { DurableObject } from 'cloudflare:workers';
import { fail, ok, type Result } from '../records/result';
import type { BucketRecord, NotificationRule } from '../records/s3';
import { jsonColumn, type Sql } from './storage/rows';
import { defineSchema, openStorage } from './storage/schema';

const SCHEMA = defineSchema({
  version: 1,
  description: 'bucket names with their owner account, region and creation time',
  up: `
    CREATE TABLE IF NOT EXISTS buckets (name TEXT PRIMARY KEY, account_id TEXT NOT NULL, region TEXT NOT NULL, created_at_ms INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS buckets_by_account ON buckets (account_id, name);`,
}, {
  version: 2,
  description: "each bucket's event notification configuration (JSON, NULL: none)",
  up: 'ALTER TABLE buckets ADD COLUMN notifications TEXT',
});

type BucketRow = { name: string; account_id: string; region: string; created_at_ms: number; notifications: string | null };

const notificationsColumn = jsonColumn<NotificationRule[]>('notifications');

const record = (row: BucketRow): BucketRecord => ({
  name: row.name, accountId: row.account_id, region: row.region, createdAtMs: row.created_at_ms,
  ...(row.notifications !== null && { notifications: notificationsColumn.decode(row) }),
});

export class S3BucketRegistry extends DurableObject<Env> {
  private readonly db: Sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = openStorage(ctx, SCHEMA);
  }

  /** Registers `name` for `accountId`: 'owned-by-you' when that account has it, 'taken' when another has. */
  create(name: string, accountId: string, region: string, nowMs = Date.now()): Result<BucketRecord, 'owned-by-you' | 'taken'> {
    const existing = this.get(name);
    if (existing) return fail(existing.accountId === accountId ? 'owned-by-you' : 'taken');
    this.db.run('INSERT INTO buckets (name, account_id, region, created_at_ms) VALUES (?, ?, ?, ?)', name, accountId, region, nowMs);
    return ok({ name, accountId, region, createdAtMs: nowMs });
  }

  /** The bucket called `name`, of whichever account. */
  get(name: string): BucketRecord | undefined {
    const row = this.db.one<BucketRow>('SELECT * FROM buckets WHERE name = ?', name);
    return row && record(row);
  }

  /** The buckets of `accountId`, by name. */
  list(accountId: string): BucketRecord[] {
    return this.db.all<BucketRow>('SELECT * FROM buckets WHERE account_id = ? ORDER BY name', accountId).map(record);
  }

  /** Replaces the notification configuration of bucket `name` of `accountId` (empty: none); false when that account has no such bucket. */
  setNotifications(name: string, accountId: string, rules: NotificationRule[]): boolean {
    const encoded = rules.length === 0 ? null : notificationsColumn.encode(rules);
    return this.db.run('UPDATE buckets SET notifications = ? WHERE name = ? AND account_id = ?', encoded, name, accountId) > 0;
  }

  /** Forgets bucket `name` of `accountId` (its notification configuration with it); false when that account has no such bucket. */
  delete(name: string, accountId: string): boolean {
    return this.db.run('DELETE FROM buckets WHERE name = ? AND account_id = ?', name, accountId) > 0;
  }

  /** Forgets every bucket of `accountId` (its account is being deleted); the names it held. */
  deleteAccount(accountId: string): string[] {
    const names = this.list(accountId).map((b) => b.name);
    this.db.run('DELETE FROM buckets WHERE account_id = ?', accountId);
    return names;
  }
}
