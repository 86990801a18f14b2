// The isolate's admission slots (src/invoke/admission.ts) against a real ConcurrencyLimiter: a
// finished invocation's slot serves the function's next invocation without a new lease, goes back
// after its idle time, and never lets more run than the limiter granted.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { admit, finish, type Slot } from '../../../src/invoke/admission';
import { concurrencyLimiter } from '../../../src/bindings';

/** A fresh account's id, and a waitUntil whose promises the test drains. */
function account() {
  const pending: Promise<unknown>[] = [];
  return { accountId: `slots-${crypto.randomUUID()}`, waitUntil: (p: Promise<unknown>) => void pending.push(p), drain: () => Promise.all(pending.splice(0)) };
}

function slotOf(admission: Awaited<ReturnType<typeof admit>>): Slot {
  if (!admission.ok) throw new Error(`not admitted: ${admission.error}`);
  return admission.value;
}

describe('admission slots kept in the isolate', () => {
  it('reuse an idle slot of the same function without a new lease, then give it back', async () => {
    const { accountId, waitUntil, drain } = account();
    // The object started first: a slot is reused only while its lease, counted from before the
    // acquire's round trip, still covers the invocation (a first start under load can take seconds).
    await concurrencyLimiter(env, accountId).snapshot();
    const first = slotOf(await admit(env, waitUntil, accountId, 'f', 1_000));
    expect(first.reused).toBe(false);
    expect(finish(env, waitUntil, first)).toBeUndefined();
    const second = slotOf(await admit(env, waitUntil, accountId, 'f', 1_000));
    expect(second).toMatchObject({ reused: true, lease: { leaseId: first.lease.leaseId } });
    // Running or idle, the limiter counts the slot: one lease for both invocations.
    expect(await concurrencyLimiter(env, accountId).snapshot()).toMatchObject({ concurrentExecutions: 1, activeByFunction: { f: 1 } });
    finish(env, waitUntil, second);
    await drain();
    expect(await concurrencyLimiter(env, accountId).snapshot()).toMatchObject({ concurrentExecutions: 0, activeByFunction: {} });
  });

  it('keep to the reservation: never more slots than it allows, however many are idle', async () => {
    const { accountId, waitUntil, drain } = account();
    expect((await concurrencyLimiter(env, accountId).putReservation('r', 2)).ok).toBe(true);
    const held = [slotOf(await admit(env, waitUntil, accountId, 'r', 10_000)), slotOf(await admit(env, waitUntil, accountId, 'r', 10_000))];
    expect(await admit(env, waitUntil, accountId, 'r', 10_000)).toMatchObject({ ok: false, error: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
    finish(env, waitUntil, held[0]);
    const again = slotOf(await admit(env, waitUntil, accountId, 'r', 10_000));
    expect(again.reused).toBe(true);
    expect(await admit(env, waitUntil, accountId, 'r', 10_000)).toMatchObject({ ok: false, error: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
    finish(env, waitUntil, again);
    finish(env, waitUntil, held[1]);
    await drain();
    expect(await concurrencyLimiter(env, accountId).snapshot()).toMatchObject({ concurrentExecutions: 0 });
  });

  it('retire idle slots when this isolate changes the limits: a reservation of 0 throttles the very next invocation', async () => {
    const { accountId, waitUntil, drain } = account();
    finish(env, waitUntil, slotOf(await admit(env, waitUntil, accountId, 'z', 10_000)));
    expect((await concurrencyLimiter(env, accountId).putReservation('z', 0)).ok).toBe(true);
    expect(await admit(env, waitUntil, accountId, 'z', 10_000)).toMatchObject({ ok: false, error: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
    await drain();
    expect(await concurrencyLimiter(env, accountId).snapshot()).toMatchObject({ concurrentExecutions: 0 });
  });

  it('give the account\'s idle slots back before a throttle: at an account limit of 1, another function runs next', async () => {
    const { accountId, waitUntil, drain } = account();
    await concurrencyLimiter(env, accountId).setAccountLimit(1);
    finish(env, waitUntil, slotOf(await admit(env, waitUntil, accountId, 'a', 10_000)));
    const b = slotOf(await admit(env, waitUntil, accountId, 'b', 10_000));
    expect(b.reused).toBe(false);
    expect(await concurrencyLimiter(env, accountId).snapshot()).toMatchObject({ concurrentExecutions: 1, activeByFunction: { b: 1 } });
    finish(env, waitUntil, b);
    await drain();
    expect(await concurrencyLimiter(env, accountId).snapshot()).toMatchObject({ concurrentExecutions: 0 });
  });

  it('take a new lease when an idle slot\'s lease could not cover the invocation', async () => {
    const { accountId, waitUntil, drain } = account();
    const short = slotOf(await admit(env, waitUntil, accountId, 'g', 1_000));
    finish(env, waitUntil, short);
    // The idle lease runs about 1 s + ADMISSION_SLOT_REUSE_MS: not the 60 s this invocation may take.
    const long = slotOf(await admit(env, waitUntil, accountId, 'g', 60_000));
    expect(long.reused).toBe(false);
    expect(long.lease.leaseId).not.toBe(short.lease.leaseId);
    finish(env, waitUntil, long);
    await drain();
    expect(await concurrencyLimiter(env, accountId).snapshot()).toMatchObject({ concurrentExecutions: 0 });
  });
});
