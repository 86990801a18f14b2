// AccountDirectory: the one index of tenant accounts and their access keys. Keys must be found by
// access key id before the account is known, so this index is global (one object, name
// "directory"); everything an account owns lives in per-account objects instead.
import { DurableObject } from 'cloudflare:workers';

export interface AccountRecord {
  accountId: string;
  name: string;
  createdAt: string;
}

export interface AccessKeyRecord {
  accessKeyId: string;
  accountId: string;
  secretAccessKey: string;
  createdAt: string;
}

export class AccountDirectory extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS accounts (
      account_id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS access_keys (
      access_key_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, secret TEXT NOT NULL, created_at TEXT NOT NULL)`);
    // Accounts with enabled schedule rules: the ScheduleStores the cron trigger nudges.
    this.sql.exec('CREATE TABLE IF NOT EXISTS scheduled_accounts (account_id TEXT PRIMARY KEY)');
  }

  /** Creates an account with a fresh random 12-digit id and one access key. */
  createAccount(name: string): { account: AccountRecord; key: AccessKeyRecord } {
    let accountId: string;
    do accountId = randomDigits(12);
    while (accountId.startsWith('0') || this.sql.exec('SELECT 1 FROM accounts WHERE account_id = ?', accountId).toArray().length > 0);
    const account = { accountId, name, createdAt: new Date().toISOString() };
    this.sql.exec('INSERT INTO accounts VALUES (?, ?, ?)', accountId, name, account.createdAt);
    return { account, key: this.createAccessKey(accountId)! };
  }

  listAccounts(): AccountRecord[] {
    return this.sql
      .exec<{ account_id: string; name: string; created_at: string }>('SELECT * FROM accounts ORDER BY created_at, account_id')
      .toArray()
      .map((r) => ({ accountId: r.account_id, name: r.name, createdAt: r.created_at }));
  }

  getAccount(accountId: string): AccountRecord | undefined {
    return this.listAccounts().find((a) => a.accountId === accountId);
  }

  /** Removes the account and all its keys. Returns false when there was no such account. */
  deleteAccount(accountId: string): boolean {
    const deleted = this.sql.exec('DELETE FROM accounts WHERE account_id = ?', accountId).rowsWritten > 0;
    this.sql.exec('DELETE FROM access_keys WHERE account_id = ?', accountId);
    return deleted;
  }

  /** A new key pair for an existing account; undefined when the account does not exist. */
  createAccessKey(accountId: string): AccessKeyRecord | undefined {
    if (this.sql.exec('SELECT 1 FROM accounts WHERE account_id = ?', accountId).toArray().length === 0) return undefined;
    const key = {
      accessKeyId: 'AKIA' + randomChars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
      accountId,
      secretAccessKey: randomChars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
      createdAt: new Date().toISOString(),
    };
    this.sql.exec('INSERT INTO access_keys VALUES (?, ?, ?, ?)', key.accessKeyId, accountId, key.secretAccessKey, key.createdAt);
    return key;
  }

  /** Keys of an account without their secrets. */
  listAccessKeys(accountId: string): Omit<AccessKeyRecord, 'secretAccessKey'>[] {
    return this.sql
      .exec<{ access_key_id: string; created_at: string }>('SELECT access_key_id, created_at FROM access_keys WHERE account_id = ? ORDER BY created_at', accountId)
      .toArray()
      .map((r) => ({ accessKeyId: r.access_key_id, accountId, createdAt: r.created_at }));
  }

  deleteAccessKey(accountId: string, accessKeyId: string): boolean {
    return this.sql.exec('DELETE FROM access_keys WHERE account_id = ? AND access_key_id = ?', accountId, accessKeyId).rowsWritten > 0;
  }

  /** The key with its secret, for signature verification only. */
  findAccessKey(accessKeyId: string): AccessKeyRecord | undefined {
    const row = this.sql
      .exec<{ access_key_id: string; account_id: string; secret: string; created_at: string }>('SELECT * FROM access_keys WHERE access_key_id = ?', accessKeyId)
      .toArray()[0];
    return row && { accessKeyId: row.access_key_id, accountId: row.account_id, secretAccessKey: row.secret, createdAt: row.created_at };
  }

  /** Kept by each account's ScheduleStore: whether it has enabled rules the cron must nudge. */
  setScheduled(accountId: string, scheduled: boolean): void {
    if (scheduled) this.sql.exec('INSERT OR IGNORE INTO scheduled_accounts VALUES (?)', accountId);
    else this.sql.exec('DELETE FROM scheduled_accounts WHERE account_id = ?', accountId);
  }

  listScheduledAccounts(): string[] {
    return this.sql.exec<{ account_id: string }>('SELECT account_id FROM scheduled_accounts').toArray().map((r) => r.account_id);
  }

  // --- The url-id index: a request to `<url-id>.lambda-url...` arrives before its account is
  // known, so, like keys, url-ids are found here. The URL's configuration stays in the account's
  // FunctionRegistry. Made on first use so this block stays self-contained.

  private urlIndexReady = false;

  private urlIndex(): SqlStorage {
    if (!this.urlIndexReady) {
      this.sql.exec(`CREATE TABLE IF NOT EXISTS function_url_ids (
        url_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, function_name TEXT NOT NULL, qualifier TEXT NOT NULL)`);
      this.urlIndexReady = true;
    }
    return this.sql;
  }

  /** Reserves `urlId` for the function; false when the id is taken (the caller draws another). */
  registerFunctionUrl(entry: FunctionUrlIndexEntry): boolean {
    return this.urlIndex().exec(
      'INSERT OR IGNORE INTO function_url_ids VALUES (?, ?, ?, ?)', entry.urlId, entry.accountId, entry.functionName, entry.qualifier,
    ).rowsWritten > 0;
  }

  findFunctionUrl(urlId: string): FunctionUrlIndexEntry | undefined {
    const row = this.urlIndex()
      .exec<{ url_id: string; account_id: string; function_name: string; qualifier: string }>('SELECT * FROM function_url_ids WHERE url_id = ?', urlId)
      .toArray()[0];
    return row && { urlId: row.url_id, accountId: row.account_id, functionName: row.function_name, qualifier: row.qualifier };
  }

  /** Removes url-ids of `accountId` (a deleted URL or function); ids of other accounts are left alone. */
  forgetFunctionUrls(accountId: string, urlIds: string[]): void {
    for (const urlId of urlIds) this.urlIndex().exec('DELETE FROM function_url_ids WHERE url_id = ? AND account_id = ?', urlId, accountId);
  }

  forgetAccountFunctionUrls(accountId: string): void {
    this.urlIndex().exec('DELETE FROM function_url_ids WHERE account_id = ?', accountId);
  }
}

export interface FunctionUrlIndexEntry {
  urlId: string;
  accountId: string;
  functionName: string;
  /** '' for the unqualified function. */
  qualifier: string;
}

export function randomChars(length: number, alphabet: string): string {
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

function randomDigits(length: number): string {
  return randomChars(length, '0123456789');
}
