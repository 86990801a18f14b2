// Concurrency inside workerd: reservations and their rules, throttles in Lambda's shape, the
// exact limit under concurrent load, and slots that come back on every path.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, deploy, signedClient, type Tenant } from '../support/signed-client';



const invoke = (tenant: Tenant, name: string, payload: unknown = {}) => tenant.send('POST', `/2015-03-31/functions/${name}/invocations`, payload);
const limiter = (accountId: string) => env.CONCURRENCY.get(env.CONCURRENCY.idFromName(accountId));
const SLOW = 'exports.handler = (event) => new Promise((resolve) => setTimeout(() => resolve("done"), event.ms ?? 400));';

async function settled(accountId: string) {
  // Releases are written after the response (waitUntil): wait for them.
  for (let i = 0; i < 100; i++) {
    const snapshot = await limiter(accountId).snapshot();
    if (snapshot.concurrentExecutions === 0) return snapshot;
    await new Promise((r) => setTimeout(r, 20));
  }
  return limiter(accountId).snapshot();
}

describe('reserved concurrency', () => {
  it('follows Lambda\'s rules: at least 100 unreserved, Get/Put/Delete, shown in GetFunction and account settings', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'r1', 'exports.handler = async () => 1;');
    const tooMuch = await tenant.send('PUT', '/2017-10-31/functions/r1/concurrency', { ReservedConcurrentExecutions: 901 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
    expect(((await tooMuch.json()) as { message: string }).message).toMatch(/below its minimum value of \[100\]/);
    const ok = await tenant.send('PUT', '/2017-10-31/functions/r1/concurrency', { ReservedConcurrentExecutions: 900 });
    expect(await ok.json()).toEqual({ ReservedConcurrentExecutions: 900 });
    expect(await (await tenant.send('GET', '/2019-09-30/functions/r1/concurrency')).json()).toEqual({ ReservedConcurrentExecutions: 900 });
    const fn = (await (await tenant.send('GET', '/2015-03-31/functions/r1')).json()) as { Concurrency: unknown };
    expect(fn.Concurrency).toEqual({ ReservedConcurrentExecutions: 900 });
    const settings = (await (await tenant.send('GET', '/2016-08-19/account-settings/')).json()) as { AccountLimit: Record<string, number> };
    expect(settings.AccountLimit).toMatchObject({ ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 100 });
    const negative = await tenant.send('PUT', '/2017-10-31/functions/r1/concurrency', { ReservedConcurrentExecutions: -1 });
    expect(negative.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect((await tenant.send('DELETE', '/2017-10-31/functions/r1/concurrency')).status).toBe(204);
    expect(await (await tenant.send('GET', '/2019-09-30/functions/r1/concurrency')).json()).toEqual({});
  });

  it('reserved concurrency 0 throttles every synchronous call with Lambda\'s 429', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'zero', 'exports.handler = async () => 1;');
    await tenant.send('PUT', '/2017-10-31/functions/zero/concurrency', { ReservedConcurrentExecutions: 0 });
    const response = await invoke(tenant, 'zero');
    expect(response.status).toBe(429);
    expect(response.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toEqual({ Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', Type: 'User', message: 'Rate Exceeded.' });
  });
});

describe('the limit under load', () => {
  it('never runs more than the reservation at once, and every counter returns to zero', async () => {
    const tenant = await createTenant();
    await deploy(tenant, 'slow', SLOW, { Timeout: 10 });
    await tenant.send('PUT', '/2017-10-31/functions/slow/concurrency', { ReservedConcurrentExecutions: 3 });
    const responses = await Promise.all(Array.from({ length: 12 }, () => invoke(tenant, 'slow', { ms: 500 })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
    for (const r of responses.filter((r) => r.status === 429)) {
      expect(((await r.json()) as { Reason: string }).Reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
    }
    const after = await settled(tenant.accountId);
    expect(after).toMatchObject({ concurrentExecutions: 0, unreservedConcurrentExecutions: 0, activeByFunction: {} });
    expect((await invoke(tenant, 'slow', { ms: 1 })).status).toBe(200);
  });

  it('throttles the unreserved pool at the account limit with ConcurrentInvocationLimitExceeded', async () => {
    const tenant = await createTenant();
    const limit = await signedClient().send('PUT', `/api/admin/accounts/${tenant.accountId}/settings`, { ConcurrentExecutions: 2 });
    expect(limit.status).toBe(200);
    await deploy(tenant, 'a', SLOW, { Timeout: 10 });
    await deploy(tenant, 'b', SLOW, { Timeout: 10 });
    const responses = await Promise.all([invoke(tenant, 'a'), invoke(tenant, 'b'), invoke(tenant, 'a'), invoke(tenant, 'b'), invoke(tenant, 'a')]);
    const throttled = responses.filter((r) => r.status === 429);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(2);
    expect(throttled).toHaveLength(3);
    expect(((await throttled[0].json()) as { Reason: string }).Reason).toBe('ConcurrentInvocationLimitExceeded');
    expect(await settled(tenant.accountId)).toMatchObject({ concurrentExecutions: 0 });
  });
});

describe('slots come back', () => {
  it('after errors, timeouts and out-of-memory', async () => {
    const tenant = await createTenant();
    const cases: [string, string, number][] = [
      ['throws', 'exports.handler = async () => { throw new Error("no"); };', 3],
      ['times-out', 'exports.handler = () => new Promise(() => {});', 1],
      ['oom', 'exports.handler = async () => { const a = []; for (;;) a.push(new Array(1024).fill(1)); };', 10],
    ];
    for (const [name, source, timeout] of cases) {
      await deploy(tenant, name, source, { Timeout: timeout });
      await tenant.send('PUT', `/2017-10-31/functions/${name}/concurrency`, { ReservedConcurrentExecutions: 1 });
      for (let i = 0; i < 2; i++) {
        const response = await invoke(tenant, name);
        expect(response.status, `${name} call ${i}`).toBe(200);
        expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
        await settled(tenant.accountId);
      }
    }
    expect(await settled(tenant.accountId)).toMatchObject({ concurrentExecutions: 0 });
  });

  it('after an invocation that never released its lease (a crashed Worker), once the lease expires', async () => {
    const tenant = await createTenant();
    const stub = limiter(tenant.accountId);
    await stub.putReservation('crashy', 1);
    const lost = await stub.acquire('crashy', 150);
    expect(lost.ok).toBe(true);
    expect((await stub.acquire('crashy', 150)).ok).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    const next = await stub.acquire('crashy', 150);
    expect(next.ok).toBe(true);
    if (next.ok) await stub.release(next.value.leaseId);
    expect(await stub.snapshot()).toMatchObject({ concurrentExecutions: 0 });
  });

  it('survives the object being rebuilt: leases are persisted before they are granted', async () => {
    const tenant = await createTenant();
    const stub = limiter(tenant.accountId);
    await stub.putReservation('persisted', 1);
    const grant = await stub.acquire('persisted', 60_000);
    expect(grant.ok).toBe(true);
    const { runInDurableObject } = await import('cloudflare:test');
    const rows = await runInDurableObject(stub, (_instance, state) => state.storage.sql.exec('SELECT COUNT(*) AS n FROM leases').toArray());
    expect(rows[0].n).toBe(1);
    if (grant.ok) expect(await stub.release(grant.value.leaseId)).toBe(true);
    expect(await stub.release('not-a-lease')).toBe(false);
  });
});
