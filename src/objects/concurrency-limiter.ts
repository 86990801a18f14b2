// ConcurrencyLimiter: one object per account, the single owner of that account's concurrency.
// It holds the account limit, each function's reservation and every running invocation's
// lease. Leases are persisted before they are granted (SQLite) and carry a deadline: a Worker
// that dies mid-invocation leaves a lease that the alarm sweep frees, so no slot is ever lost.
import { DurableObject } from 'cloudflare:workers';
import { readConfig } from '../config';
import type { ConcurrencySnapshot, LeaseGrant, ReservationResult } from '../records/concurrency';
import { MIN_UNRESERVED_CONCURRENCY } from '../records/concurrency';
import { fail, ok } from '../records/result';
import type { Sql } from './storage/rows';
import { defineSchema, openStorage } from './storage/schema';

const SCHEMA = defineSchema({
  version: 1,
  description: 'settings, reservations and leases (the schema before versioning)',
  up: `
    CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS reservations (function_name TEXT PRIMARY KEY, reserved INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS leases (lease_id TEXT PRIMARY KEY, function_name TEXT NOT NULL,
      from_reservation INTEGER NOT NULL, expires_at INTEGER NOT NULL);`,
});

type LeaseRow = { function_name: string; from_reservation: number };

export class ConcurrencyLimiter extends DurableObject<Env> {
  private readonly db: Sql;
  // Cached from SQLite when the object starts; every change writes SQLite first.
  private accountLimit = 0;
  private readonly reservations = new Map<string, number>();
  private readonly activeByFunction = new Map<string, number>();
  private unreservedActive = 0;
  /** When the sweep alarm is set for; kept at or before the earliest lease deadline. Ephemeral. */
  private alarmAtMs: number | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = openStorage(ctx, SCHEMA, () => this.load());
  }

  /** Fills the caches from SQLite (at start, and empty again after deleteAll). */
  private load(): void {
    const limit = this.db.one<{ value: number }>("SELECT value FROM settings WHERE key = 'account_limit'");
    this.accountLimit = limit?.value ?? readConfig(this.env).accountConcurrency;
    this.reservations.clear();
    this.activeByFunction.clear();
    this.unreservedActive = 0;
    for (const r of this.db.all<{ function_name: string; reserved: number }>('SELECT * FROM reservations')) this.reservations.set(r.function_name, r.reserved);
    for (const l of this.db.all<LeaseRow>('SELECT function_name, from_reservation FROM leases')) this.count(l.function_name, l.from_reservation === 1, +1);
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
    const lease = this.db.one<LeaseRow>('SELECT function_name, from_reservation FROM leases WHERE lease_id = ?', leaseId);
    if (!lease) return false;
    this.db.run('DELETE FROM leases WHERE lease_id = ?', leaseId);
    this.count(lease.function_name, lease.from_reservation === 1, -1);
    return true;
  }

  /** Sets a reservation, keeping at least 100 executions unreserved; returns the error otherwise. */
  putReservation(functionName: string, reserved: number): ReservationResult {
    let reservedByOthers = 0;
    for (const [name, value] of this.reservations) if (name !== functionName) reservedByOthers += value;
    const unreservedAfter = this.accountLimit - reservedByOthers - reserved;
    if (unreservedAfter < MIN_UNRESERVED_CONCURRENCY) return fail('unreserved-below-minimum', { unreservedAfter });
    this.db.run('INSERT OR REPLACE INTO reservations VALUES (?, ?)', functionName, reserved);
    this.reservations.set(functionName, reserved);
    return ok(null);
  }

  getReservation(functionName: string): number | undefined {
    return this.reservations.get(functionName);
  }

  deleteReservation(functionName: string): void {
    this.db.run('DELETE FROM reservations WHERE function_name = ?', functionName);
    this.reservations.delete(functionName);
  }

  /** The account's limit (admin setting). Reservations that no longer fit are kept, as Lambda does. */
  setAccountLimit(limit: number): void {
    this.db.run("INSERT OR REPLACE INTO settings VALUES ('account_limit', ?)", limit);
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

  /**
   * Removes every row of the account (account deletion): its limit, reservations and leases,
   * and the sweep alarm. The object starts again from the platform's default limit.
   */
  async deleteAll(): Promise<void> {
    // The alarm first: the synchronous rest then runs with no request in between.
    await this.ctx.storage.deleteAlarm();
    this.alarmAtMs = undefined;
    for (const table of ['settings', 'reservations', 'leases']) this.db.run(`DELETE FROM ${table}`);
    this.load();
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
      if (active >= reserved) return fail('ReservedFunctionConcurrentInvocationLimitExceeded');
    } else if (this.unreservedActive >= this.unreservedLimit()) {
      return fail('ConcurrentInvocationLimitExceeded');
    }
    const leaseId = crypto.randomUUID();
    const expiresAt = Date.now() + leaseMs;
    this.db.run('INSERT INTO leases VALUES (?, ?, ?, ?)', leaseId, functionName, reserved !== undefined ? 1 : 0, expiresAt);
    this.count(functionName, reserved !== undefined, +1);
    this.scheduleSweep(expiresAt);
    return ok({
      leaseId,
      concurrentExecutions: [...this.activeByFunction.values()].reduce((a, b) => a + b, 0),
      unreservedConcurrentExecutions: this.unreservedActive,
      functionConcurrentExecutions: this.activeByFunction.get(functionName) ?? 0,
    });
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
    const expired = this.db.all<LeaseRow & { lease_id: string }>('SELECT lease_id, function_name, from_reservation FROM leases WHERE expires_at <= ?', Date.now());
    for (const lease of expired) {
      this.db.run('DELETE FROM leases WHERE lease_id = ?', lease.lease_id);
      this.count(lease.function_name, lease.from_reservation === 1, -1);
    }
    return expired.length;
  }

  /**
   * Keeps one alarm at or before the earliest lease deadline. The cached time spares acquire a
   * storage read: the alarm only moves earlier, and the alarm handler re-arms it.
   */
  private scheduleSweep(candidateMs?: number): void {
    const next = candidateMs ?? this.db.one<{ t: number | null }>('SELECT MIN(expires_at) AS t FROM leases')?.t ?? undefined;
    if (next === undefined || next === null) return;
    if (this.alarmAtMs !== undefined && this.alarmAtMs <= next) return;
    this.alarmAtMs = next;
    void this.ctx.storage.setAlarm(next);
  }
}
