// ConcurrencyLimiter: one object per account, the single owner of that account's concurrency.
// It holds the account limit, each function's reservation and every running invocation's
// lease. Leases are persisted before they are granted (SQLite) and carry a deadline: a Worker
// that dies mid-invocation leaves a lease that the alarm sweep frees, so no slot is ever lost.
// Of a playground sandbox it also holds the invocation quotas and their counts (invocations a
// minute and in all, list cost so far): every invocation, from any source, is admitted here.
import { DurableObject } from 'cloudflare:workers';
import { readConfig } from '../config';
import type { BilledFigures, ConcurrencySnapshot, LeaseGrant, QuotaRefusal, ReservationResult, SandboxInvocationQuotas, SandboxInvocationUsage } from '../records/concurrency';
import { minimumUnreserved } from '../records/concurrency';
import { durationCost, formatExact, parseDecimal, requestCost, type Fixed } from '../billing/money';
import { billingConfig } from '../billing/prices';
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
}, {
  version: 2,
  description: 'a playground sandbox\'s invocation quotas and counts (docs/PLAYGROUND-QUOTAS.md)',
  // One row, only in a sandbox's limiter; cost_used is exact money (billing/money.ts units) as text.
  up: `
    CREATE TABLE IF NOT EXISTS sandbox (id INTEGER PRIMARY KEY CHECK (id = 1),
      invocations_per_minute INTEGER NOT NULL, invocations_total INTEGER NOT NULL, cost_cap_usd TEXT NOT NULL,
      invocations INTEGER NOT NULL DEFAULT 0, minute_start_ms INTEGER NOT NULL DEFAULT 0,
      minute_invocations INTEGER NOT NULL DEFAULT 0, cost_used TEXT NOT NULL DEFAULT '0');`,
});

const MINUTE_MS = 60_000;

type SandboxRow = {
  invocations_per_minute: number; invocations_total: number; cost_cap_usd: string;
  invocations: number; minute_start_ms: number; minute_invocations: number; cost_used: string;
};

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
  /** The sandbox's quotas and counts (cached from SQLite); undefined for every other account. */
  private sandbox: SandboxRow | undefined;
  /** The clock of the per-minute window, in ms since the epoch; tests move it (runInDurableObject) instead of waiting a minute. */
  now: () => number = () => Date.now();

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
    this.sandbox = this.db.one<SandboxRow>('SELECT * FROM sandbox WHERE id = 1');
    this.scheduleSweep();
  }

  /**
   * Takes a slot for one invocation of `functionName`, valid for `leaseMs`, or says why not.
   * A function with a reservation draws only on it; the others share the unreserved pool. In a
   * sandbox its quotas come first (a refusal is not a throttle and takes no slot), and a granted
   * slot counts one invocation.
   */
  acquire(functionName: string, leaseMs: number): LeaseGrant {
    const refusal = this.quotaRefusal();
    if (refusal) return fail('sandbox-quota', { refusal });
    let grant = this.tryAcquire(functionName, leaseMs);
    if (!grant.ok && this.sweep() > 0) grant = this.tryAcquire(functionName, leaseMs);
    if (grant.ok) this.countInvocation();
    return grant;
  }

  /**
   * Gives a slot back. Idempotent for the slot: a lease already swept or released is ignored.
   * `billed` (a completed invocation's figures, given once per lease) adds its list price to a
   * sandbox's cost, whether or not the lease was swept meanwhile.
   */
  release(leaseId: string, billed?: BilledFigures): boolean {
    if (billed && this.sandbox) this.addCost(billed);
    const lease = this.db.one<LeaseRow>('SELECT function_name, from_reservation FROM leases WHERE lease_id = ?', leaseId);
    if (!lease) return false;
    this.db.run('DELETE FROM leases WHERE lease_id = ?', leaseId);
    this.count(lease.function_name, lease.from_reservation === 1, -1);
    return true;
  }

  /**
   * Sets a reservation, keeping at least min(100, account limit) executions unreserved (Lambda's
   * rule: an account with a small limit, like a sandbox's, may still reserve 0); returns the error otherwise.
   */
  putReservation(functionName: string, reserved: number): ReservationResult {
    let reservedByOthers = 0;
    for (const [name, value] of this.reservations) if (name !== functionName) reservedByOthers += value;
    const unreservedAfter = this.accountLimit - reservedByOthers - reserved;
    const minimum = minimumUnreserved(this.accountLimit);
    if (unreservedAfter < minimum) return fail('unreserved-below-minimum', { unreservedAfter, minimum });
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

  /**
   * Makes this account a playground sandbox with `quotas` (services/playground/quotas.ts,
   * initialiseSandbox); counts already made are kept.
   */
  setSandboxQuotas(quotas: SandboxInvocationQuotas): void {
    parseDecimal(quotas.costCapUsd, 'costCapUsd');
    this.db.run(
      `INSERT INTO sandbox (id, invocations_per_minute, invocations_total, cost_cap_usd) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET invocations_per_minute = excluded.invocations_per_minute,
         invocations_total = excluded.invocations_total, cost_cap_usd = excluded.cost_cap_usd`,
      quotas.invocationsPerMinute, quotas.invocationsTotal, quotas.costCapUsd,
    );
    this.sandbox = this.db.one<SandboxRow>('SELECT * FROM sandbox WHERE id = 1');
  }

  /** A sandbox's quotas with its counts now; undefined for an account that is not one. */
  sandboxUsage(): SandboxInvocationUsage | undefined {
    const row = this.sandbox;
    if (!row) return undefined;
    const inWindow = row.minute_start_ms === minuteStart(this.now());
    return {
      invocationsPerMinute: row.invocations_per_minute,
      invocationsTotal: row.invocations_total,
      costCapUsd: row.cost_cap_usd,
      invocationsThisMinute: inWindow ? row.minute_invocations : 0,
      invocations: row.invocations,
      costUsedUsd: formatExact(BigInt(row.cost_used)),
      costExceeded: BigInt(row.cost_used) >= capOf(row),
    };
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
    for (const table of ['settings', 'reservations', 'leases', 'sandbox']) this.db.run(`DELETE FROM ${table}`);
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
      sandbox: this.sandbox !== undefined,
    });
  }

  /**
   * Which sandbox quota refuses the next invocation, if any, in this order: the cost cap (the
   * invocation that crossed it ran; none after it), the total, the current minute's count.
   */
  private quotaRefusal(): QuotaRefusal | undefined {
    const row = this.sandbox;
    if (!row) return undefined;
    if (BigInt(row.cost_used) >= capOf(row)) return { quota: 'cost-cap' };
    if (row.invocations >= row.invocations_total) return { quota: 'invocations-total' };
    const nowMs = this.now();
    const window = minuteStart(nowMs);
    if (row.minute_start_ms === window && row.minute_invocations >= row.invocations_per_minute) {
      return { quota: 'invocations-per-minute', retryAfterSeconds: Math.max(1, Math.ceil((window + MINUTE_MS - nowMs) / 1000)) };
    }
    return undefined;
  }

  /** One admitted invocation of a sandbox, counted in its fixed UTC minute and in all. */
  private countInvocation(): void {
    const row = this.sandbox;
    if (!row) return;
    const window = minuteStart(this.now());
    row.minute_invocations = row.minute_start_ms === window ? row.minute_invocations + 1 : 1;
    row.minute_start_ms = window;
    row.invocations += 1;
    this.db.run('UPDATE sandbox SET invocations = ?, minute_start_ms = ?, minute_invocations = ? WHERE id = 1', row.invocations, row.minute_start_ms, row.minute_invocations);
  }

  /** Adds a completed invocation's list price (one request and its GB-seconds, no free tier) to the sandbox's cost. */
  private addCost(billed: BilledFigures): void {
    const row = this.sandbox!;
    const prices = billingConfig(this.env);
    const cost: Fixed = requestCost(1n, prices.pricePerMillionRequests)
      + durationCost(BigInt(billed.memorySizeMb) * BigInt(billed.billedDurationMs), prices.pricePerGbSecond);
    row.cost_used = String(BigInt(row.cost_used) + cost);
    this.db.run('UPDATE sandbox SET cost_used = ? WHERE id = 1', row.cost_used);
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

function minuteStart(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

function capOf(row: SandboxRow): Fixed {
  return parseDecimal(row.cost_cap_usd, 'cost_cap_usd');
}
