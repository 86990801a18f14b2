// PlaygroundRegistry: the platform's one registry of playground sandboxes (global: creation limits
// count across every sandbox). It keeps the live sandboxes (account, key id, times, the session
// token's hash, the client address's hash), per-address creation counts per UTC day and per minute,
// the proofs of work already used until they expire, and ONE alarm at the earliest end. At the alarm
// (and at the Worker's every-minute sweep, which catches a lost alarm) every due sandbox is ended.
import { DurableObject } from 'cloudflare:workers';
import { readConfig } from '../config';
import { fail, ok, type Ok } from '../records/result';
import type { AdmissionRefusal, CreationLimit, CreationLimits, SandboxRecord } from '../records/playground';
import type { Sql } from './storage/rows';
import { defineSchema, openStorage } from './storage/schema';

/** A creation admitted but not yet registered counts as live this long (its account is being made). */
const RESERVATION_TTL_MS = 60_000;
/** When ending a sandbox failed, the alarm tries again after this long. */
const ENDING_RETRY_MS = 10_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const SCHEMA = defineSchema({
  version: 1,
  description: 'sandboxes, reservations, creation counts and used proofs of work',
  up: `
    -- session_hash: SHA-256 of the cookie's token; address_hash: HMAC of the client address. Never the clear values.
    CREATE TABLE sandboxes (account_id TEXT PRIMARY KEY, access_key_id TEXT NOT NULL, created_ms INTEGER NOT NULL,
      last_active_ms INTEGER NOT NULL, session_hash TEXT NOT NULL UNIQUE, address_hash TEXT NOT NULL);
    CREATE INDEX sandboxes_by_address ON sandboxes (address_hash);
    -- Creations admitted whose account is being made: counted as live until registered or stale.
    CREATE TABLE reservations (ticket TEXT PRIMARY KEY, address_hash TEXT NOT NULL, reserved_ms INTEGER NOT NULL);
    -- period: 'day' (UTC) or 'minute'; period_start_ms: its first millisecond.
    CREATE TABLE creations (address_hash TEXT NOT NULL, period TEXT NOT NULL, period_start_ms INTEGER NOT NULL,
      count INTEGER NOT NULL, PRIMARY KEY (address_hash, period, period_start_ms));
    CREATE TABLE used_proofs (proof_id TEXT PRIMARY KEY, expires_ms INTEGER NOT NULL);`,
}, {
  version: 2,
  description: 'shares made per sandbox (its quota: src/limits.ts PLAYGROUND_SHARES_PER_SANDBOX)',
  // Idempotent, as every step: the column is added only when it is not there yet.
  up: (sql) => {
    if (sql.exec("SELECT 1 FROM pragma_table_info('sandboxes') WHERE name = 'shares'").toArray().length === 0) {
      sql.exec('ALTER TABLE sandboxes ADD COLUMN shares INTEGER NOT NULL DEFAULT 0');
    }
  },
});

interface SandboxRow {
  account_id: string;
  access_key_id: string;
  created_ms: number;
  last_active_ms: number;
  ends_ms: number;
  idle_ms: number;
  [key: string]: SqlStorageValue;
}

/** What registering a created sandbox needs. */
export interface SandboxRegistration {
  accountId: string;
  accessKeyId: string;
  sessionHash: string;
  addressHash: string;
}

/**
 * The registry's state and rules. Ending a sandbox's account (deleteAccount) is an operation,
 * which src/index.ts hands to the deployed subclass, so no object imports an operation.
 */
export abstract class PlaygroundRegistryObject extends DurableObject<Env> {
  /** Deletes the sandbox's account with everything it owns; must be idempotent (it may run again after a failure). */
  protected abstract endAccount(accountId: string): Promise<void>;

  private readonly db: Sql;
  /** Endings in progress, by account (ephemeral): the alarm, the sweep and an explicit end share one. */
  private readonly ending = new Map<string, Promise<void>>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = openStorage(ctx, SCHEMA);
  }

  /**
   * Admits one creation or says why not, in order: the proof was used before (it is recorded as used
   * either way: a proof works once), then the limits (docs/PLAYGROUND.md): live per address, created
   * per address this UTC day, created per address this minute, live in all. Synchronous, so two
   * creations never both take the last place; the admitted one holds a reservation `ticket` until
   * register or release. The limits come from the Worker's configuration with the request.
   */
  admit(proof: { proofId: string; expiresAtMs: number }, addressHash: string, limits: CreationLimits, nowMs: number): Ok<{ ticket: string }> | AdmissionRefusal {
    this.prune(nowMs);
    if (this.db.exists('SELECT 1 FROM used_proofs WHERE proof_id = ?', proof.proofId)) return fail('proof-used');
    this.db.run('INSERT INTO used_proofs VALUES (?, ?)', proof.proofId, proof.expiresAtMs);

    const dayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
    const minuteStart = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
    const refuse = (limit: CreationLimit, allowed: number, retryAtMs: number) =>
      fail('limit', { limit, allowed, retryAfterSeconds: Math.max(1, Math.ceil((retryAtMs - nowMs) / 1000)) });

    const liveHere = this.liveCount(nowMs, addressHash);
    if (liveHere >= limits.livePerAddress) {
      return refuse('live-per-address', limits.livePerAddress, this.earliestEndMs(nowMs, addressHash) ?? nowMs + RESERVATION_TTL_MS);
    }
    if (this.created(addressHash, 'day', dayStart) >= limits.dailyPerAddress) {
      return refuse('daily-per-address', limits.dailyPerAddress, dayStart + DAY_MS);
    }
    if (this.created(addressHash, 'minute', minuteStart) >= limits.burstPerAddress) {
      return refuse('burst-per-address', limits.burstPerAddress, minuteStart + MINUTE_MS);
    }
    if (this.liveCount(nowMs) >= limits.liveMax) {
      return refuse('live-max', limits.liveMax, this.earliestEndMs(nowMs) ?? nowMs + RESERVATION_TTL_MS);
    }

    for (const [period, start] of [['day', dayStart], ['minute', minuteStart]] as const) {
      this.db.run(`INSERT INTO creations VALUES (?, ?, ?, 1)
        ON CONFLICT (address_hash, period, period_start_ms) DO UPDATE SET count = count + 1`, addressHash, period, start);
    }
    const ticket = crypto.randomUUID();
    this.db.run('INSERT INTO reservations VALUES (?, ?, ?)', ticket, addressHash, nowMs);
    return ok({ ticket });
  }

  /** Registers the sandbox made for `ticket` (its reservation ends) and arms the alarm at its end. */
  async register(ticket: string, sandbox: SandboxRegistration, nowMs: number): Promise<SandboxRecord> {
    this.db.run('DELETE FROM reservations WHERE ticket = ?', ticket);
    this.db.run('INSERT INTO sandboxes (account_id, access_key_id, created_ms, last_active_ms, session_hash, address_hash) VALUES (?, ?, ?, ?, ?, ?)',
      sandbox.accountId, sandbox.accessKeyId, nowMs, nowMs, sandbox.sessionHash, sandbox.addressHash);
    await this.arm(nowMs);
    return this.sandbox(sandbox.accountId, nowMs)!;
  }

  /** Gives back the place `ticket` held (making its account failed); its creation stays counted. */
  release(ticket: string): void {
    this.db.run('DELETE FROM reservations WHERE ticket = ?', ticket);
  }

  /** The live sandbox whose session token hashes to `sessionHash`. */
  sessionSandbox(sessionHash: string, nowMs: number): SandboxRecord | undefined {
    return this.rows(nowMs, 'session_hash = ?', sessionHash)[0];
  }

  /** The live sandbox of account `accountId`. */
  sandbox(accountId: string, nowMs: number): SandboxRecord | undefined {
    return this.rows(nowMs, 'account_id = ?', accountId)[0];
  }

  /** Every live sandbox, oldest first. */
  listSandboxes(nowMs: number): SandboxRecord[] {
    return this.rows(nowMs);
  }

  /**
   * The sandbox was active at `nowMs`: its idle end moves on (the alarm fires early at worst and
   * re-arms). A sandbox already due stays due: a request that slipped in before its alarm ran
   * (its keys live until then) never brings it back.
   */
  async recordActivity(accountId: string, nowMs: number): Promise<void> {
    const { idleMs, maxMs } = this.endsAfter();
    this.db.run('UPDATE sandboxes SET last_active_ms = MAX(last_active_ms, ?) WHERE account_id = ? AND MIN(last_active_ms + ?, created_ms + ?) > ?',
      nowMs, accountId, idleMs, maxMs, nowMs);
  }

  /** Counts one more share made by the sandbox of `accountId`, unless it has made `max`: false then (or when it is no sandbox here). */
  takeShare(accountId: string, max: number): boolean {
    return this.db.run('UPDATE sandboxes SET shares = shares + 1 WHERE account_id = ? AND shares < ?', accountId, max) > 0;
  }

  /**
   * Ends account `accountId`'s sandbox now (its session or the admin ended it): false when the
   * registry has no sandbox of it. Safe to repeat and to run beside the alarm.
   */
  async endSandbox(accountId: string): Promise<boolean> {
    if (!this.db.exists('SELECT 1 FROM sandboxes WHERE account_id = ?', accountId)) return false;
    await this.end(accountId);
    await this.arm(Date.now());
    return true;
  }

  /**
   * Ends every sandbox due at `nowMs` (the alarm, and the Worker's every-minute sweep for a lost
   * alarm), then re-arms. A sandbox whose ending failed stays and is tried again ENDING_RETRY_MS later.
   * Resolves to the accounts ended.
   */
  async endDue(nowMs: number): Promise<string[]> {
    this.prune(nowMs);
    const { idleMs, maxMs } = this.endsAfter();
    const due = this.db.all<{ account_id: string }>(
      'SELECT account_id FROM sandboxes WHERE MIN(last_active_ms + ?, created_ms + ?) <= ?', idleMs, maxMs, nowMs).map((r) => r.account_id);
    const results = await Promise.allSettled(due.map((accountId) => this.end(accountId)));
    const ended = due.filter((_, i) => results[i].status === 'fulfilled');
    results.forEach((result, i) => {
      if (result.status === 'rejected') console.error(`ending sandbox ${due[i]} failed (retried):`, result.reason);
    });
    await this.arm(nowMs);
    return ended;
  }

  override async alarm(): Promise<void> {
    await this.endDue(Date.now());
  }

  /** Ends one sandbox: its account first, then its row (so a failure leaves the row to retry). */
  private end(accountId: string): Promise<void> {
    let ending = this.ending.get(accountId);
    if (!ending) {
      ending = (async () => {
        try {
          await this.endAccount(accountId);
          this.db.run('DELETE FROM sandboxes WHERE account_id = ?', accountId);
        } finally {
          this.ending.delete(accountId);
        }
      })();
      this.ending.set(accountId, ending);
    }
    return ending;
  }

  /** One alarm at the earliest end; ENDING_RETRY_MS from now when an ending failed; none without sandboxes. */
  private async arm(nowMs: number): Promise<void> {
    const { idleMs, maxMs } = this.endsAfter();
    const earliest = this.db.single<{ at: number | null }>('SELECT MIN(MIN(last_active_ms + ?, created_ms + ?)) AS at FROM sandboxes', idleMs, maxMs).at;
    if (earliest === null) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    // Still due after endDue: its ending failed; tried again shortly rather than at once in a loop.
    const at = earliest > nowMs ? earliest : nowMs + ENDING_RETRY_MS;
    if ((await this.ctx.storage.getAlarm()) !== at) await this.ctx.storage.setAlarm(at);
  }

  private endsAfter() {
    const config = readConfig(this.env);
    return { idleMs: config.playgroundIdleSeconds * 1000, maxMs: config.playgroundMaxSeconds * 1000 };
  }

  /** Live sandboxes (end after `nowMs`) matching `where`. */
  private rows(nowMs: number, where = '1 = 1', ...bindings: SqlStorageValue[]): SandboxRecord[] {
    const { idleMs, maxMs } = this.endsAfter();
    return this.db.all<SandboxRow>(`
      SELECT account_id, access_key_id, created_ms, last_active_ms, MIN(last_active_ms + ?, created_ms + ?) AS ends_ms,
        last_active_ms + ? AS idle_ms
      FROM sandboxes WHERE ${where} AND MIN(last_active_ms + ?, created_ms + ?) > ? ORDER BY created_ms, account_id`,
    idleMs, maxMs, idleMs, ...bindings, idleMs, maxMs, nowMs).map((r) => ({
      accountId: r.account_id,
      accessKeyId: r.access_key_id,
      createdMs: r.created_ms,
      lastActiveMs: r.last_active_ms,
      endsMs: r.ends_ms,
      endsBecause: r.ends_ms === r.idle_ms ? 'idle' : 'max',
    }));
  }

  /** Live sandboxes and reservations (of one address, or all). */
  private liveCount(nowMs: number, addressHash?: string): number {
    const { idleMs, maxMs } = this.endsAfter();
    const byAddress = addressHash === undefined ? '' : 'AND address_hash = ?';
    const address = addressHash === undefined ? [] : [addressHash];
    const sandboxes = this.db.single<{ n: number }>(
      `SELECT COUNT(*) AS n FROM sandboxes WHERE MIN(last_active_ms + ?, created_ms + ?) > ? ${byAddress}`, idleMs, maxMs, nowMs, ...address).n;
    const reserved = this.db.single<{ n: number }>(`SELECT COUNT(*) AS n FROM reservations WHERE 1 = 1 ${byAddress}`, ...address).n;
    return sandboxes + reserved;
  }

  /** The earliest end of a live sandbox (of one address, or of all). */
  private earliestEndMs(nowMs: number, addressHash?: string): number | undefined {
    const live = this.rows(nowMs, addressHash === undefined ? '1 = 1' : 'address_hash = ?', ...(addressHash === undefined ? [] : [addressHash]));
    return live.length === 0 ? undefined : Math.min(...live.map((s) => s.endsMs));
  }

  private created(addressHash: string, period: 'day' | 'minute', startMs: number): number {
    return this.db.one<{ count: number }>('SELECT count FROM creations WHERE address_hash = ? AND period = ? AND period_start_ms = ?',
      addressHash, period, startMs)?.count ?? 0;
  }

  /** Forgets what can no longer refuse anything: expired proofs, stale reservations, past periods. */
  private prune(nowMs: number): void {
    this.db.run('DELETE FROM used_proofs WHERE expires_ms < ?', nowMs);
    this.db.run('DELETE FROM reservations WHERE reserved_ms < ?', nowMs - RESERVATION_TTL_MS);
    this.db.run("DELETE FROM creations WHERE (period = 'day' AND period_start_ms < ?) OR (period = 'minute' AND period_start_ms < ?)",
      Math.floor(nowMs / DAY_MS) * DAY_MS, Math.floor(nowMs / MINUTE_MS) * MINUTE_MS);
  }
}
