// AccountDirectory: the one index of tenant accounts and their access keys. Keys must be found by
// access key id before the account is known, so this index is global (one object, name
// "directory"); everything an account owns lives in per-account objects instead. Secret keys are
// stored sealed under their account's data key (src/crypto/envelope.ts).
import { DurableObject } from 'cloudflare:workers';
import { accountCipher, SealError } from '../crypto/envelope';
import type { AccessKeyMetadata, AccessKeyRecord, AccessKeyStatus, AccessKeyUser, AccountRecord } from '../records/account';
import { fail, ok, type Result } from '../records/result';
import type { FunctionUrlIndexEntry } from '../records/function-url';
import { randomChars } from '../records/random';
import { defineSchema, openStorage } from './storage/schema';
import type { Sql } from './storage/rows';

/** Secret access keys are sealed under their account's data key (docs/SECURITY.md), bound to the key id. */
const sealSecret = (env: Env, accountId: string, accessKeyId: string, secret: string) => accountCipher(env, accountId).seal(secret, `access-key:${accessKeyId}`);
const openSecret = (env: Env, accountId: string, accessKeyId: string, sealed: string) => accountCipher(env, accountId).open(sealed, `access-key:${accessKeyId}`);
/** Secrets are drawn from base64's alphabet, which has no '.': a sealed text (fbx1.…) is never one. */
const isSealed = (secret: string) => secret.startsWith('fbx1.');

const schema = (env: Env) => defineSchema({
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
}, {
  version: 2,
  description: 'secret access keys encrypted at rest',
  // Idempotent: only secrets still in clear are sealed.
  async prepare(sql) {
    const rows = sql.exec<KeyRow>('SELECT * FROM access_keys').toArray().filter((r) => !isSealed(r.secret));
    const sealed = await Promise.all(rows.map((r) => sealSecret(env, r.account_id, r.access_key_id, r.secret)));
    return (db) => rows.forEach((r, i) => db.exec('UPDATE access_keys SET secret = ? WHERE access_key_id = ?', sealed[i], r.access_key_id));
  },
}, {
  version: 3,
  description: 'playground sandbox accounts flagged (docs/PLAYGROUND.md)',
  // Idempotent, as every step: the column is added only when it is not there yet.
  up: (sql) => {
    if (sql.exec("SELECT 1 FROM pragma_table_info('accounts') WHERE name = 'playground'").toArray().length === 0) {
      sql.exec('ALTER TABLE accounts ADD COLUMN playground INTEGER NOT NULL DEFAULT 0');
    }
  },
}, {
  version: 4,
  description: "IAM users' access keys: the user a key belongs to (NULL: the account's own key) and its status",
  up: (sql) => {
    const columns = new Set(sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('access_keys')").toArray().map((c) => c.name));
    for (const [name, ddl] of [['user_name', 'user_name TEXT'], ['user_id', 'user_id TEXT'], ['user_path', 'user_path TEXT'], ['status', "status TEXT NOT NULL DEFAULT 'Active'"]]) {
      if (!columns.has(name!)) sql.exec(`ALTER TABLE access_keys ADD COLUMN ${ddl}`);
    }
  },
});

type AccountRow = { account_id: string; name: string; created_at: string; playground: number };
type KeyRow = {
  access_key_id: string; account_id: string; secret: string; created_at: string;
  user_name: string | null; user_id: string | null; user_path: string | null; status: AccessKeyStatus;
};
/** The columns a new key is written with. */
const INSERT_KEY = 'INSERT INTO access_keys (access_key_id, account_id, secret, created_at, user_name, user_id, user_path) VALUES (?, ?, ?, ?, ?, ?, ?)';
type UrlIdRow = { url_id: string; account_id: string; function_name: string; qualifier: string };

export class AccountDirectory extends DurableObject<Env> {
  private readonly db: Sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = openStorage(ctx, schema(env));
  }

  /**
   * Creates an account with a fresh random 12-digit id and one access key; `playground` flags a
   * playground sandbox (its quotas apply to every request of its keys).
   */
  async createAccount(name: string, options: { playground?: boolean } = {}): Promise<{ account: AccountRecord; key: AccessKeyRecord }> {
    for (;;) {
      const accountId = randomDigits(12);
      if (accountId.startsWith('0')) continue;
      const key = await this.newAccessKey(accountId);
      // Synchronous from here: the id is checked and taken with no request in between.
      if (this.db.exists('SELECT 1 FROM accounts WHERE account_id = ?', accountId)) continue;
      const account = { accountId, name, createdAt: new Date().toISOString(), playground: options.playground === true };
      this.db.run('INSERT INTO accounts (account_id, name, created_at, playground) VALUES (?, ?, ?, ?)', accountId, name, account.createdAt, account.playground ? 1 : 0);
      this.db.run(INSERT_KEY, key.record.accessKeyId, accountId, key.sealed, key.record.createdAt, null, null, null);
      return { account, key: key.record };
    }
  }

  listAccounts(): AccountRecord[] {
    return this.db
      .all<AccountRow>('SELECT * FROM accounts ORDER BY created_at, account_id')
      .map(accountRecord);
  }

  getAccount(accountId: string): AccountRecord | undefined {
    const row = this.db.one<AccountRow>('SELECT * FROM accounts WHERE account_id = ?', accountId);
    return row && accountRecord(row);
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

  /** A new key pair for an existing account (its secret stored sealed); undefined when the account does not exist. */
  async createAccessKey(accountId: string): Promise<AccessKeyRecord | undefined> {
    const key = await this.newAccessKey(accountId);
    if (!this.db.exists('SELECT 1 FROM accounts WHERE account_id = ?', accountId)) return undefined;
    this.db.run(INSERT_KEY, key.record.accessKeyId, accountId, key.sealed, key.record.createdAt, null, null, null);
    return key.record;
  }

  /**
   * A new key pair of IAM user `user` of `accountId`, refused past `maxPerUser` keys of that
   * user (IAM's quota); undefined when the account does not exist. `configuredAccount`: the
   * admin account, which lives in the Worker's configuration rather than in this directory.
   */
  async createUserAccessKey(accountId: string, user: AccessKeyUser, maxPerUser: number, configuredAccount = false): Promise<Result<AccessKeyRecord, 'limit-exceeded'> | undefined> {
    const key = await this.newAccessKey(accountId);
    // Synchronous from here: the count and the insert have no request in between, and a key of
    // an account deleted meanwhile is never written.
    if (!configuredAccount && !this.db.exists('SELECT 1 FROM accounts WHERE account_id = ?', accountId)) return undefined;
    if (this.listUserAccessKeys(accountId, user.userName).length >= maxPerUser) return fail('limit-exceeded');
    this.db.run(INSERT_KEY, key.record.accessKeyId, accountId, key.sealed, key.record.createdAt, user.userName, user.userId, user.path);
    return ok(key.record);
  }

  /** The keys of IAM user `userName` of the account (undefined: the account's own keys), oldest first, without secrets. */
  listUserAccessKeys(accountId: string, userName: string | undefined): AccessKeyMetadata[] {
    return this.db
      .all<KeyRow>(`SELECT * FROM access_keys WHERE account_id = ? AND ${ownerCondition(userName)} ORDER BY created_at`,
        ...(userName === undefined ? [accountId] : [accountId, userName]))
      .map((r) => ({ accessKeyId: r.access_key_id, status: r.status, createdAt: r.created_at, ...(r.user_name !== null ? { userName: r.user_name } : {}) }));
  }

  /** Sets a key's status (an Inactive key no longer authenticates); false when the user (or the account, undefined) has no such key. */
  setAccessKeyStatus(accountId: string, userName: string | undefined, accessKeyId: string, status: AccessKeyStatus): boolean {
    return this.db.run(`UPDATE access_keys SET status = ? WHERE account_id = ? AND access_key_id = ? AND ${ownerCondition(userName)}`,
      status, accountId, accessKeyId, ...(userName === undefined ? [] : [userName])) > 0;
  }

  /** Deletes a key of the user (or of the account itself, undefined); false when there is no such key. */
  deleteUserAccessKey(accountId: string, userName: string | undefined, accessKeyId: string): boolean {
    return this.db.run(`DELETE FROM access_keys WHERE account_id = ? AND access_key_id = ? AND ${ownerCondition(userName)}`,
      accountId, accessKeyId, ...(userName === undefined ? [] : [userName])) > 0;
  }

  /** A fresh key pair and its secret sealed; nothing stored yet. Throws SealError without a root key. */
  private async newAccessKey(accountId: string): Promise<{ record: AccessKeyRecord; sealed: string }> {
    const record = {
      accessKeyId: 'AKIA' + randomChars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
      accountId,
      secretAccessKey: randomChars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
      createdAt: new Date().toISOString(),
    };
    return { record, sealed: await sealSecret(this.env, accountId, record.accessKeyId, record.secretAccessKey) };
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

  /**
   * The key with its secret, decrypted for signature verification only. A secret that cannot be
   * decrypted fails closed: no key (the caller answers 403), and the platform log says why.
   * `configuredAccountId`: the admin account, whose IAM users' keys are here although the account
   * itself lives in the Worker's configuration, not in this directory.
   */
  async findAccessKey(accessKeyId: string, configuredAccountId?: string): Promise<(AccessKeyRecord & { playground: boolean; user?: AccessKeyUser }) | undefined> {
    // An Inactive key is no key to authentication (IAM answers InvalidClientTokenId for it).
    const row = this.db.one<KeyRow & { playground: number | null }>(
      `SELECT k.*, a.playground FROM access_keys k LEFT JOIN accounts a USING (account_id)
       WHERE k.access_key_id = ? AND k.status = 'Active' AND (a.account_id IS NOT NULL OR k.account_id = ?)`, accessKeyId, configuredAccountId ?? null);
    if (!row) return undefined;
    try {
      const secretAccessKey = await openSecret(this.env, row.account_id, row.access_key_id, row.secret);
      const user = row.user_name !== null ? { user: { userName: row.user_name, userId: row.user_id!, path: row.user_path ?? '/' } } : {};
      return { accessKeyId: row.access_key_id, accountId: row.account_id, secretAccessKey, createdAt: row.created_at, playground: row.playground === 1, ...user };
    } catch (error) {
      if (!(error instanceof SealError)) throw error;
      console.error(`access key ${accessKeyId} of ${row.account_id} refused: its secret is not decrypted: ${error.message}`);
      return undefined;
    }
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

  /** The URL's index entry, with whether its account is a playground sandbox. */
  findFunctionUrl(urlId: string): FunctionUrlIndexEntry | undefined {
    const row = this.db.one<UrlIdRow & { playground: number | null }>(
      'SELECT u.*, a.playground FROM function_url_ids u LEFT JOIN accounts a USING (account_id) WHERE u.url_id = ?', urlId);
    return row && { urlId: row.url_id, accountId: row.account_id, functionName: row.function_name, qualifier: row.qualifier, playground: row.playground === 1 };
  }

  /** How many function URLs the account has (a sandbox's quota). */
  countFunctionUrls(accountId: string): number {
    return this.db.single<{ n: number }>('SELECT COUNT(*) AS n FROM function_url_ids WHERE account_id = ?', accountId).n;
  }

  /** Removes url-ids of `accountId` (a deleted URL or function); ids of other accounts are left alone. */
  forgetFunctionUrls(accountId: string, urlIds: string[]): void {
    for (const urlId of urlIds) this.db.run('DELETE FROM function_url_ids WHERE url_id = ? AND account_id = ?', urlId, accountId);
  }

  forgetAccountFunctionUrls(accountId: string): void {
    this.db.run('DELETE FROM function_url_ids WHERE account_id = ?', accountId);
  }
}

/** Which keys a user name selects: that IAM user's (names compare case-insensitively, as IAM's), or the account's own. */
function ownerCondition(userName: string | undefined): string {
  return userName === undefined ? 'user_name IS NULL' : 'lower(user_name) = lower(?)';
}

function accountRecord(r: AccountRow): AccountRecord {
  return { accountId: r.account_id, name: r.name, createdAt: r.created_at, playground: r.playground === 1 };
}

function randomDigits(length: number): string {
  return randomChars(length, '0123456789');
}
