// ConcurrencyLimiter: one object per account, the single owner of that account's concurrency.
// It holds the account limit, each function's reservation and every running invocation's
// lease. Leases are persisted before they are granted (SQLite) and carry a deadline: a Worker
// that dies mid-invocation leaves a lease that the alarm sweep frees, so no slot is ever lost.
import { DurableObject } from 'cloudflare:workers';
import { readConfig } from '../config';

/** Lambda keeps at least this many of an account's executions out of reservations. */
export const MIN_UNRESERVED_CONCURRENCY = 100;

export type ThrottleReason = 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded';

export type LeaseGrant =
  | { ok: true; leaseId: string; concurrentExecutions: number; unreservedConcurrentExecutions: number; functionConcurrentExecutions: number }
  | { ok: false; reason: ThrottleReason };

export interface ConcurrencySnapshot {
  accountLimit: number;
  unreservedLimit: number;
  concurrentExecutions: number;
  unreservedConcurrentExecutions: number;
  reservations: Record<string, number>;
  activeByFunction: Record<string, number>;
}

export class ConcurrencyLimiter extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  // Cached from SQLite in the constructor; every change writes SQLite first.
  private accountLimit: number;
  private readonly reservations = new Map<string, number>();
  private readonly activeByFunction = new Map<string, number>();
  private unreservedActive = 0;
  /** When the sweep alarm is set for; kept at or before the earliest lease deadline. Ephemeral. */
  private alarmAtMs: number | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec('CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value INTEGER NOT NULL)');
    this.sql.exec('CREATE TABLE IF NOT EXISTS reservations (function_name TEXT PRIMARY KEY, reserved INTEGER NOT NULL)');
    this.sql.exec(`CREATE TABLE IF NOT EXISTS leases (lease_id TEXT PRIMARY KEY, function_name TEXT NOT NULL,
      from_reservation INTEGER NOT NULL, expires_at INTEGER NOT NULL)`);
    const limit = this.sql.exec<{ value: number }>("SELECT value FROM settings WHERE key = 'account_limit'").toArray()[0];
    this.accountLimit = limit?.value ?? readConfig(env).accountConcurrency;
    for (const r of this.sql.exec<{ function_name: string; reserved: number }>('SELECT * FROM reservations')) this.reservations.set(r.function_name, r.reserved);
    for (const l of this.sql.exec<{ function_name: string; from_reservation: number }>('SELECT function_name, from_reservation FROM leases')) this.count(l.function_name, l.from_reservation === 1, +1);
    this.scheduleSweep();
  }

  /**
   * Takes a slot for one invocation of `functionName`, valid for `leaseMs`, or says why not.
   * A function with a reservation draws only on it; the others share the unreserved pool.
   */
  acquire(functionName: string, leaseMs: number): LeaseGrant {
    let grant = this.tryAcquire(functionName, leaseMs);
    if (!grant.ok && this.sweep() > 0) grant = this.tryAcquire(functionName, leaseMs);
    return grant;
  }

  /** Gives a slot back. Idempotent: a lease already swept or released is ignored. */
  release(leaseId: string): boolean {
    const lease = this.sql.exec<{ function_name: string; from_reservation: number }>('SELECT function_name, from_reservation FROM leases WHERE lease_id = ?', leaseId).toArray()[0];
    if (!lease) return false;
    this.sql.exec('DELETE FROM leases WHERE lease_id = ?', leaseId);
    this.count(lease.function_name, lease.from_reservation === 1, -1);
    return true;
  }

  /** Sets a reservation, keeping at least 100 executions unreserved; returns the error otherwise. */
  putReservation(functionName: string, reserved: number): { ok: true } | { ok: false; unreservedAfter: number } {
    let reservedByOthers = 0;
    for (const [name, value] of this.reservations) if (name !== functionName) reservedByOthers += value;
    const unreservedAfter = this.accountLimit - reservedByOthers - reserved;
    if (unreservedAfter < MIN_UNRESERVED_CONCURRENCY) return { ok: false, unreservedAfter };
    this.sql.exec('INSERT OR REPLACE INTO reservations VALUES (?, ?)', functionName, reserved);
    this.reservations.set(functionName, reserved);
    return { ok: true };
  }

  getReservation(functionName: string): number | undefined {
    return this.reservations.get(functionName);
  }

  deleteReservation(functionName: string): void {
    this.sql.exec('DELETE FROM reservations WHERE function_name = ?', functionName);
    this.reservations.delete(functionName);
  }

  /** The account's limit (admin setting). Reservations that no longer fit are kept, as Lambda does. */
  setAccountLimit(limit: number): void {
    this.sql.exec("INSERT OR REPLACE INTO settings VALUES ('account_limit', ?)", limit);
    this.accountLimit = limit;
  }

  snapshot(): ConcurrencySnapshot {
    this.sweep();
    return {
      accountLimit: this.accountLimit,
      unreservedLimit: this.unreservedLimit(),
      concurrentExecutions: [...this.activeByFunction.values()].reduce((a, b) => a + b, 0),
      unreservedConcurrentExecutions: this.unreservedActive,
      reservations: Object.fromEntries(this.reservations),
      activeByFunction: Object.fromEntries(this.activeByFunction),
    };
  }

  /** Frees leases past their deadline (their Workers died or lost the release). */
  override async alarm(): Promise<void> {
    this.alarmAtMs = undefined;
    this.sweep();
    this.scheduleSweep();
  }

  private tryAcquire(functionName: string, leaseMs: number): LeaseGrant {
    const reserved = this.reservations.get(functionName);
    const active = this.activeByFunction.get(functionName) ?? 0;
    if (reserved !== undefined) {
      if (active >= reserved) return { ok: false, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' };
    } else if (this.unreservedActive >= this.unreservedLimit()) {
      return { ok: false, reason: 'ConcurrentInvocationLimitExceeded' };
    }
    const leaseId = crypto.randomUUID();
    const expiresAt = Date.now() + leaseMs;
    this.sql.exec('INSERT INTO leases VALUES (?, ?, ?, ?)', leaseId, functionName, reserved !== undefined ? 1 : 0, expiresAt);
    this.count(functionName, reserved !== undefined, +1);
    this.scheduleSweep(expiresAt);
    return {
      ok: true,
      leaseId,
      concurrentExecutions: [...this.activeByFunction.values()].reduce((a, b) => a + b, 0),
      unreservedConcurrentExecutions: this.unreservedActive,
      functionConcurrentExecutions: this.activeByFunction.get(functionName) ?? 0,
    };
  }

  private unreservedLimit(): number {
    let reserved = 0;
    for (const value of this.reservations.values()) reserved += value;
    return Math.max(0, this.accountLimit - reserved);
  }

  private count(functionName: string, fromReservation: boolean, delta: 1 | -1): void {
    const next = (this.activeByFunction.get(functionName) ?? 0) + delta;
    if (next > 0) this.activeByFunction.set(functionName, next);
    else this.activeByFunction.delete(functionName);
    if (!fromReservation) this.unreservedActive += delta;
  }

  /** Deletes expired leases; returns how many. */
  private sweep(): number {
    const expired = this.sql
      .exec<{ lease_id: string; function_name: string; from_reservation: number }>('SELECT lease_id, function_name, from_reservation FROM leases WHERE expires_at <= ?', Date.now())
      .toArray();
    for (const lease of expired) {
      this.sql.exec('DELETE FROM leases WHERE lease_id = ?', lease.lease_id);
      this.count(lease.function_name, lease.from_reservation === 1, -1);
    }
    return expired.length;
  }

  /**
   * Keeps one alarm at or before the earliest lease deadline. The cached time spares acquire a
   * storage read: the alarm only moves earlier, and the alarm handler re-arms it.
   */
  private scheduleSweep(candidateMs?: number): void {
    const next = candidateMs ?? this.sql.exec<{ t: number | null }>('SELECT MIN(expires_at) AS t FROM leases').toArray()[0]?.t ?? undefined;
    if (next === undefined || next === null) return;
    if (this.alarmAtMs !== undefined && this.alarmAtMs <= next) return;
    this.alarmAtMs = next;
    void this.ctx.storage.setAlarm(next);
  }
}
