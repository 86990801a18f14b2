// Admission of one invocation: a slot of the account's ConcurrencyLimiter, held by a lease with a
// deadline. A slot is taken from the limiter (one RPC) or reused from this isolate's idle slots of
// the same function, so a hot function's invocations make no RPC at all; a finished invocation's
// slot waits ADMISSION_SLOT_IDLE_MS for the next one and then goes back. Exact by construction:
// the limiter counts every slot an isolate holds, running or idle, so no more invocations run than
// it granted leases; an isolate that dies leaves leases that its sweep frees at their deadlines
// (docs/SCALING.md, "Slots kept in the isolate").
import { concurrencyLimiter, objectWrites } from '../bindings';
import { ADMISSION_CLOCK_MARGIN_MS, ADMISSION_SLOT_IDLE_MS, ADMISSION_SLOT_REUSE_MS } from '../limits';
import type { BilledFigures, Lease, QuotaRefusal, ThrottleReason } from '../records/concurrency';
import { ok, type Result } from '../records/result';

type WaitUntil = (p: Promise<unknown>) => void;

/** A slot an invocation runs in: its lease and what this isolate knows of it. */
export interface Slot {
  readonly accountId: string;
  readonly functionName: string;
  /** The lease's figures are the limiter's when it was granted (a reused slot keeps them). */
  readonly lease: Lease;
  /** objectWrites('concurrency', account) when it was granted: a change of limits since retires it. */
  readonly limiterWrites: number;
  /** The lease's deadline as this isolate reckons it (the clock before it asked): never later than the limiter's. */
  readonly expiresAtMs: number;
  /** Whether it came from this isolate's idle slots, without an RPC. */
  readonly reused: boolean;
}

/** A slot, or why the limiter refused one (as LeaseGrant says it). */
export type Admission = Result<Slot, ThrottleReason | 'sandbox-quota', { 'sandbox-quota': { refusal: QuotaRefusal } }>;

/** Idle slots of this isolate by account and function, the most recently finished last. */
const idle = new Map<string, Slot[]>();

const slotKey = (accountId: string, functionName: string) => `${accountId}/${functionName}`;

/**
 * A slot for one invocation of `functionName` whose lease must cover `leaseMs` from now: an idle
 * one of this isolate when one is fit (same limits since, enough of its lease left), otherwise one
 * from the limiter. A throttle first gives this isolate's idle slots of the account back and asks
 * once more, so capacity parked here never throttles an invocation of this isolate.
 */
export async function admit(env: Env, waitUntil: WaitUntil, accountId: string, functionName: string, leaseMs: number): Promise<Admission> {
  const reused = takeIdle(env, waitUntil, accountId, functionName, leaseMs);
  if (reused) return ok(reused);
  let grant = await acquire(env, accountId, functionName, leaseMs);
  if (!grant.ok && grant.error !== 'sandbox-quota') {
    const released = releaseIdleOfAccount(env, accountId);
    if (released.length > 0) {
      await Promise.all(released);
      grant = await acquire(env, accountId, functionName, leaseMs);
    }
  }
  return grant;
}

/**
 * The invocation in `slot` is over: its slot waits for the function's next invocation in this
 * isolate, or goes back at once (a sandbox's, whose release carries its billed figures and which
 * its caller waits for; one whose limits changed; one whose lease is nearly out). Answers the
 * release when there is one. Every release goes through `waitUntil`, so none outlives its request unmade.
 */
export function finish(env: Env, waitUntil: WaitUntil, slot: Slot, billed?: BilledFigures): Promise<unknown> | undefined {
  if (slot.lease.sandbox || slot.limiterWrites !== objectWrites('concurrency', slot.accountId) || slot.expiresAtMs - Date.now() <= ADMISSION_CLOCK_MARGIN_MS) {
    const released = release(env, slot, billed);
    waitUntil(released);
    return released;
  }
  const key = slotKey(slot.accountId, slot.functionName);
  const slots = idle.get(key) ?? [];
  slots.push(slot);
  idle.set(key, slots);
  const idleWait = scheduler.wait(ADMISSION_SLOT_IDLE_MS).then(() => (unpark(slot) ? release(env, slot) : undefined));
  idleWaits.add(idleWait);
  waitUntil(idleWait);
  return undefined;
}

/** The promises finish() hands waitUntil for a slot's idle wait: time, not work (the benchmarks leave them out of what they drain). */
const idleWaits = new WeakSet<Promise<unknown>>();

export function isIdleWait(promise: Promise<unknown>): boolean {
  return idleWaits.has(promise);
}

/** Gives a slot back that the invocation could not use (its environment never ran it): at once. */
export function giveBack(env: Env, waitUntil: WaitUntil, slot: Slot): Promise<unknown> {
  const released = release(env, slot);
  waitUntil(released);
  return released;
}

/** How many idle slots this isolate holds for the account (the benchmark and tests read it). */
export function idleSlots(accountId: string): number {
  let n = 0;
  for (const [key, slots] of idle) if (key.startsWith(`${accountId}/`)) n += slots.length;
  return n;
}

async function acquire(env: Env, accountId: string, functionName: string, leaseMs: number): Promise<Admission> {
  const limiterWrites = objectWrites('concurrency', accountId);
  const askedAtMs = Date.now();
  // The lease runs ADMISSION_SLOT_REUSE_MS past the invocation's own, the time its slot may be reused in.
  const grant = await concurrencyLimiter(env, accountId).acquire(functionName, leaseMs + ADMISSION_SLOT_REUSE_MS);
  if (!grant.ok) return grant;
  return ok({ accountId, functionName, lease: grant.value, limiterWrites, expiresAtMs: askedAtMs + leaseMs + ADMISSION_SLOT_REUSE_MS, reused: false });
}

function takeIdle(env: Env, waitUntil: WaitUntil, accountId: string, functionName: string, leaseMs: number): Slot | undefined {
  const slots = idle.get(slotKey(accountId, functionName));
  const writes = objectWrites('concurrency', accountId);
  while (slots && slots.length > 0) {
    const slot = slots.pop()!;
    if (slots.length === 0) idle.delete(slotKey(accountId, functionName));
    if (slot.limiterWrites === writes && slot.expiresAtMs - Date.now() >= leaseMs + ADMISSION_CLOCK_MARGIN_MS) return { ...slot, reused: true };
    waitUntil(release(env, slot));
  }
  return undefined;
}

/** Takes every idle slot of the account out of this isolate and answers their releases. */
function releaseIdleOfAccount(env: Env, accountId: string): Promise<unknown>[] {
  const releases: Promise<unknown>[] = [];
  for (const [key, slots] of idle) {
    if (!key.startsWith(`${accountId}/`)) continue;
    idle.delete(key);
    for (const slot of slots) releases.push(release(env, slot));
  }
  return releases;
}

/** Removes `slot` from the idle slots; false when an invocation took it meanwhile (or it went back). */
function unpark(slot: Slot): boolean {
  const key = slotKey(slot.accountId, slot.functionName);
  const slots = idle.get(key);
  // By identity: a slot reused and parked again is a new object, with a timer of its own.
  const at = slots ? slots.indexOf(slot) : -1;
  if (at < 0) return false;
  slots!.splice(at, 1);
  if (slots!.length === 0) idle.delete(key);
  return true;
}

function release(env: Env, slot: Slot, billed?: BilledFigures): Promise<unknown> {
  const { leaseId } = slot.lease;
  return concurrencyLimiter(env, slot.accountId).release(leaseId, billed)
    .catch((error: unknown) => console.error(`lease ${leaseId} not released (the sweep will free it):`, error));
}
