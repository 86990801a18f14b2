// AccountDirectory: the one index of tenant accounts and their access keys. Keys must be found by
// access key id before the account is known, so this index is global (one object, name
// "directory"); everything an account owns lives in per-account objects instead.
import { DurableObject } from 'cloudflare:workers';
import type { AccessKeyRecord, AccountRecord } from '../records/account';
import type { FunctionUrlIndexEntry } from '../records/function-url';
import { randomChars } from '../records/random';
import { defineSchema, openStorage } from './storage/schema';
import type { Sql } from './storage/rows';

const SCHEMA = defineSchema({
  version: 1,
  description: 'accounts, access keys, scheduled accounts and the url-id index (the schema before versioning)',
  up: `
    CREATE TABLE IF NOT EXISTS accounts (
      account_id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS access_keys (
      access_key_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, secret TEXT NOT NULL, created_at TEXT NOT NULL);
    -- Accounts with enabled schedule rules: the ScheduleStores the cron trigger nudges.
    CREATE TABLE IF NOT EXISTS scheduled_accounts (account_id TEXT PRIMARY KEY);
    -- The url-id index: a request to <url-id>.lambda-url... arrives before its account is known.
    CREATE TABLE IF NOT EXISTS function_url_ids (
      url_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, function_name TEXT NOT NULL, qualifier TEXT NOT NULL);`,
});

type AccountRow = { account_id: string; name: string; created_at: string };
type KeyRow = { access_key_id: string; account_id: string; secret: string; created_at: string };
type UrlIdRow = { url_id: string; account_id: string; function_name: string; qualifier: string };

export class AccountDirectory extends DurableObject<Env> {
  private readonly db: Sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = openStorage(ctx, SCHEMA);
  }

  /** Creates an account with a fresh random 12-digit id and one access key. */
  createAccount(name: string): { account: AccountRecord; key: AccessKeyRecord } {
    let accountId: string;
    do accountId = randomDigits(12);
    while (accountId.startsWith('0') || this.db.exists('SELECT 1 FROM accounts WHERE account_id = ?', accountId));
    const account = { accountId, name, createdAt: new Date().toISOString() };
    this.db.run('INSERT INTO accounts VALUES (?, ?, ?)', accountId, name, account.createdAt);
    return { account, key: this.createAccessKey(accountId)! };
  }

  listAccounts(): AccountRecord[] {
    return this.db
      .all<AccountRow>('SELECT * FROM accounts ORDER BY created_at, account_id')
      .map((r) => ({ accountId: r.account_id, name: r.name, createdAt: r.created_at }));
  }

  getAccount(accountId: string): AccountRecord | undefined {
    return this.listAccounts().find((a) => a.accountId === accountId);
  }

  /**
   * Removes every row about the account: the account, its keys, its url-ids and its entry in the
   * scheduled accounts. Returns false when there was no such account (the rest is removed anyway).
   */
  deleteAccount(accountId: string): boolean {
    const deleted = this.db.run('DELETE FROM accounts WHERE account_id = ?', accountId) > 0;
    this.db.run('DELETE FROM access_keys WHERE account_id = ?', accountId);
    this.db.run('DELETE FROM function_url_ids WHERE account_id = ?', accountId);
    this.db.run('DELETE FROM scheduled_accounts WHERE account_id = ?', accountId);
    return deleted;
  }

  /** A new key pair for an existing account; undefined when the account does not exist. */
  createAccessKey(accountId: string): AccessKeyRecord | undefined {
    if (!this.db.exists('SELECT 1 FROM accounts WHERE account_id = ?', accountId)) return undefined;
    const key = {
      accessKeyId: 'AKIA' + randomChars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
      accountId,
      secretAccessKey: randomChars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
      createdAt: new Date().toISOString(),
    };
    this.db.run('INSERT INTO access_keys VALUES (?, ?, ?, ?)', key.accessKeyId, accountId, key.secretAccessKey, key.createdAt);
    return key;
  }

  /** Keys of an account without their secrets. */
  listAccessKeys(accountId: string): Omit<AccessKeyRecord, 'secretAccessKey'>[] {
    return this.db
      .all<{ access_key_id: string; created_at: string }>('SELECT access_key_id, created_at FROM access_keys WHERE account_id = ? ORDER BY created_at', accountId)
      .map((r) => ({ accessKeyId: r.access_key_id, accountId, createdAt: r.created_at }));
  }

  deleteAccessKey(accountId: string, accessKeyId: string): boolean {
    return this.db.run('DELETE FROM access_keys WHERE account_id = ? AND access_key_id = ?', accountId, accessKeyId) > 0;
  }

  /** The key with its secret, for signature verification only. */
  findAccessKey(accessKeyId: string): AccessKeyRecord | undefined {
    const row = this.db.one<KeyRow>('SELECT * FROM access_keys WHERE access_key_id = ?', accessKeyId);
    return row && { accessKeyId: row.access_key_id, accountId: row.account_id, secretAccessKey: row.secret, createdAt: row.created_at };
  }

  /** Kept by each account's ScheduleStore: whether it has enabled rules the cron must nudge. */
  setScheduled(accountId: string, scheduled: boolean): void {
    if (scheduled) this.db.run('INSERT OR IGNORE INTO scheduled_accounts VALUES (?)', accountId);
    else this.db.run('DELETE FROM scheduled_accounts WHERE account_id = ?', accountId);
  }

  listScheduledAccounts(): string[] {
    return this.db.all<{ account_id: string }>('SELECT account_id FROM scheduled_accounts').map((r) => r.account_id);
  }

  // --- The url-id index: a request to `<url-id>.lambda-url...` arrives before its account is
  // known, so, like keys, url-ids are found here. The URL's configuration stays in the account's
  // FunctionRegistry.

  /** Reserves `urlId` for the function; false when the id is taken (the caller draws another). */
  registerFunctionUrl(entry: FunctionUrlIndexEntry): boolean {
    return this.db.run(
      'INSERT OR IGNORE INTO function_url_ids VALUES (?, ?, ?, ?)', entry.urlId, entry.accountId, entry.functionName, entry.qualifier,
    ) > 0;
  }

  findFunctionUrl(urlId: string): FunctionUrlIndexEntry | undefined {
    const row = this.db.one<UrlIdRow>('SELECT * FROM function_url_ids WHERE url_id = ?', urlId);
    return row && { urlId: row.url_id, accountId: row.account_id, functionName: row.function_name, qualifier: row.qualifier };
  }

  /** Removes url-ids of `accountId` (a deleted URL or function); ids of other accounts are left alone. */
  forgetFunctionUrls(accountId: string, urlIds: string[]): void {
    for (const urlId of urlIds) this.db.run('DELETE FROM function_url_ids WHERE url_id = ? AND account_id = ?', urlId, accountId);
  }

  forgetAccountFunctionUrls(accountId: string): void {
    this.db.run('DELETE FROM function_url_ids WHERE account_id = ?', accountId);
  }
}

function randomDigits(length: number): string {
  return randomChars(length, '0123456789');
}
