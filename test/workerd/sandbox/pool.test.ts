// Warm reuse, concurrency, eviction, retirement and leaks of the environment pool.
import { describe, expect, it } from 'vitest';
import { EnvironmentPool, type InvocationReport } from '../../../sandbox';
import { Environment } from '../../../sandbox/host/environment';
import echo from '../../fixtures/functions/echo.js?raw';
import { capabilities, inputFor, payloadOf, specFor } from './support';

const MIB = 1024 * 1024;

describe('EnvironmentPool', () => {
  it('reuses a warm environment: globals persist, initDuration only on the cold start', async () => {
    const pool = new EnvironmentPool({ budgetBytes: 512 * MIB });
    const spec = specFor({ 'index.js': echo });
    const cold = await pool.invoke(spec, inputFor(), capabilities());
    const warm = await pool.invoke(spec, inputFor(), capabilities());
    expect(cold.initDurationMs).toBeTypeOf('number');
    expect(warm.initDurationMs).toBeUndefined();
    expect(payloadOf(warm)).toMatchObject({ invocations: 2 });
    expect(warm.logStreamName).toBe(cold.logStreamName);
    expect(pool.stats()).toEqual({
      environments: 1, busy: 0, waiting: 0, totalMemoryBytes: 16 * MIB, reservedBytes: 16 * MIB, spares: 0, snapshots: 0, snapshotBytes: 0,
      peak: { totalMemoryBytes: 16 * MIB, reservedBytes: 32 * MIB, environments: 1 }, // busy at its 32 MiB cap
    });
    pool.dispose();
  });

  it('gives a concurrent invocation of the same key its own environment', async () => {
    const pool = new EnvironmentPool({ budgetBytes: 512 * MIB });
    const spec = specFor({ 'index.js': 'let n = 0; exports.handler = async () => { n++; await new Promise((r) => setTimeout(r, 50)); return n; };' });
    const [a, b] = await Promise.all([pool.invoke(spec, inputFor(), capabilities()), pool.invoke(spec, inputFor(), capabilities())]);
    expect([payloadOf(a), payloadOf(b)]).toEqual([1, 1]);
    expect(a.logStreamName).not.toBe(b.logStreamName);
    expect(pool.stats().environments).toBe(2);
    pool.dispose();
  });

  it('evicts the least recently used idle environment over budget', async () => {
    // 16 MiB caps: a busy environment is charged its cap, so each invocation needs 16 MiB of room.
    const pool = new EnvironmentPool({ budgetBytes: 40 * MIB });
    const small = { memoryLimitBytes: 16 * MIB };
    const first = specFor({ 'index.js': echo }, small);
    const second = specFor({ 'index.js': echo }, small);
    const third = specFor({ 'index.js': echo }, small);
    await pool.invoke(first, inputFor(), capabilities());
    await pool.invoke(second, inputFor(), capabilities());
    await pool.invoke(first, inputFor(), capabilities()); // first is now the most recent
    await pool.invoke(third, inputFor(), capabilities());
    expect(pool.stats()).toMatchObject({ environments: 2, totalMemoryBytes: 32 * MIB });
    expect((await pool.invoke(first, inputFor(), capabilities())).initDurationMs).toBeUndefined();
    expect((await pool.invoke(second, inputFor(), capabilities())).initDurationMs).toBeTypeOf('number');
    pool.dispose();
  });

  it('never lets parallel invocations take the WASM total past the budget: the rest wait their turn', async () => {
    // Each invocation grows its 32 MiB environment to about 28 MiB, then reports the pool's
    // accounting from inside its fetch; ten of them at once would need about 280 MiB.
    const budgetBytes = 96 * MIB;
    const pool = new EnvironmentPool({ budgetBytes });
    const seen: { totalMemoryBytes: number; reservedBytes: number; waiting: number }[] = [];
    const caps = capabilities({
      fetch: async () => {
        seen.push(pool.stats());
        return new Response('ok');
      },
    });
    const spec = specFor({ 'index.js': 'exports.handler = async () => { const big = new Uint8Array(10 * 1024 * 1024).fill(1); await fetch("https://example.com/"); return big.length; };' });
    const reports = await Promise.all(Array.from({ length: 10 }, () => pool.invoke(spec, inputFor(), caps)));
    expect(reports.map(payloadOf)).toEqual(Array(10).fill(10 * MIB));
    expect(seen).toHaveLength(10);
    for (const stats of seen) {
      expect(stats.totalMemoryBytes).toBeLessThanOrEqual(budgetBytes);
      expect(stats.reservedBytes).toBeLessThanOrEqual(budgetBytes);
    }
    expect(Math.max(...seen.map((s) => s.waiting))).toBeGreaterThan(0);
    expect(pool.stats()).toMatchObject({ busy: 0, waiting: 0 });
    expect(pool.stats().totalMemoryBytes).toBeLessThanOrEqual(budgetBytes);
    pool.dispose();
  });

  it('throttles an invocation that may not wait when the budget is full, and admits it once there is room', async () => {
    const pool = new EnvironmentPool({ budgetBytes: 40 * MIB });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const caps = capabilities({ fetch: async () => { await held; return new Response('ok'); } });
    const spec = specFor({ 'index.js': 'exports.handler = async () => (await fetch("https://example.com/")).status;' });
    const busy = pool.invoke(spec, inputFor(), caps); // 32 MiB of the 40 charged while it runs
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(pool.stats().busy).toBe(1);
    expect(await pool.invokeWithin(specFor({ 'index.js': echo }), inputFor(), capabilities(), 0)).toEqual({ throttled: 'pool-budget' });
    expect(pool.stats()).toMatchObject({ busy: 1, waiting: 0 });
    const waiting = pool.invokeWithin(specFor({ 'index.js': echo }), inputFor(), capabilities(), Infinity);
    expect(pool.stats().waiting).toBe(1);
    release();
    expect(payloadOf(await busy)).toBe(200);
    expect(payloadOf((await waiting) as InvocationReport)).toMatchObject({ invocations: 1 });
    pool.dispose();
  });

  it('retires an environment that grew past maxRetainedEnvironmentBytes', async () => {
    const pool = new EnvironmentPool({ budgetBytes: 512 * MIB, maxRetainedEnvironmentBytes: 20 * MIB });
    const spec = specFor({ 'index.js': 'exports.handler = async (e) => { if (e.grow) globalThis.big = new Array(2e6).fill(1); return 1; };' });
    await pool.invoke(spec, inputFor({ grow: true }), capabilities());
    expect(pool.stats().environments).toBe(0);
    await pool.invoke(spec, inputFor({}), capabilities());
    expect(pool.stats().environments).toBe(1);
    pool.dispose();
  });

  it('dispose() empties the pool', async () => {
    const pool = new EnvironmentPool({ budgetBytes: 512 * MIB });
    await pool.invoke(specFor({ 'index.js': echo }), inputFor(), capabilities());
    pool.dispose();
    expect(pool.stats()).toMatchObject({ environments: 0, busy: 0, waiting: 0, totalMemoryBytes: 0, reservedBytes: 0, spares: 0 });
  });

  it('dispose() drops the spares too', async () => {
    const pool = new EnvironmentPool({ budgetBytes: 512 * MIB, spareEnvironments: 2 });
    expect(await pool.prepareSpares(32 * MIB)).toBe(2);
    expect(pool.stats()).toMatchObject({ environments: 0, spares: 2, totalMemoryBytes: 32 * MIB, reservedBytes: 32 * MIB });
    pool.dispose();
    expect(pool.stats()).toMatchObject({ spares: 0, totalMemoryBytes: 0 });
    expect(await pool.prepareSpares()).toBe(0);
  });
});

describe('EnvironmentPool spares', () => {
  it('a spare bootstrapped before the invocation takes its cold start; Init Duration and age run from then', async () => {
    // A clock only the test moves: the spare is made a minute before the invocation that takes it.
    let nowMs = Date.UTC(2026, 11, 2);
    const pool = new EnvironmentPool({ budgetBytes: 512 * MIB, spareEnvironments: 1, clock: () => nowMs, maxEnvironmentAgeMs: 30_000 });
    expect(await pool.prepareSpares(32 * MIB)).toBe(1);
    nowMs += 60_000;
    const spec = specFor({ 'index.js': echo });
    const cold = await pool.invoke(spec, inputFor(), capabilities());
    expect(payloadOf(cold)).toMatchObject({ invocations: 1 });
    // Nothing moved the clock while it ran: the minute the spare waited is not its function's init.
    expect(cold.initDurationMs).toBe(0);
    expect(pool.stats()).toMatchObject({ environments: 1, spares: 0 });
    // Its age counts from the take, so the 30 s limit has not retired it: it is warm.
    const warm = await pool.invoke(spec, inputFor(), capabilities());
    expect(warm.initDurationMs).toBeUndefined();
    expect(payloadOf(warm)).toMatchObject({ invocations: 2 });
    expect(warm.logStreamName).toBe(cold.logStreamName);
    pool.dispose();
  });

  it('the spares serve cold starts of their cap only and are rebuilt for the latest cold start\'s cap', async () => {
    const pool = new EnvironmentPool({ budgetBytes: 512 * MIB, spareEnvironments: 1 });
    expect(await pool.prepareSpares(64 * MIB)).toBe(1);
    await pool.invoke(specFor({ 'index.js': echo }), inputFor(), capabilities()); // 32 MiB cap: bootstraps its own
    expect(pool.stats()).toMatchObject({ environments: 1, spares: 1 });
    expect(await pool.prepareSpares()).toBe(1); // the 64 MiB spare replaced by a 32 MiB one
    await pool.invoke(specFor({ 'index.js': echo }), inputFor(), capabilities());
    expect(pool.stats()).toMatchObject({ environments: 2, spares: 0 });
    pool.dispose();
  });

  it('a cold start takes a spare without counting it twice; spares give way to an invocation that needs their room', async () => {
    const pool = new EnvironmentPool({ budgetBytes: 48 * MIB, spareEnvironments: 2 });
    expect(await pool.prepareSpares(32 * MIB)).toBe(2); // 2 x 16 MiB
    // 32 MiB charged for the one that takes a spare, 16 for the other spare: 48.
    expect(payloadOf(await pool.invoke(specFor({ 'index.js': echo }), inputFor(), capabilities()))).toMatchObject({ invocations: 1 });
    expect(pool.stats()).toMatchObject({ environments: 1, spares: 1, peak: { reservedBytes: 48 * MIB } });
    // Another function's cold start: 32 MiB charged beside the idle one's 16; the spare goes (taken).
    expect(payloadOf(await pool.invoke(specFor({ 'index.js': echo }), inputFor(), capabilities()))).toMatchObject({ invocations: 1 });
    expect(pool.stats()).toMatchObject({ environments: 2, spares: 0, peak: { reservedBytes: 48 * MIB } });
    // A warm invocation charges its cap in place of its idle size: nothing is evicted for it.
    const warmSpec = specFor({ 'index.js': echo });
    await pool.invoke(warmSpec, inputFor(), capabilities());
    expect(pool.stats().environments).toBe(2);
    expect(payloadOf(await pool.invoke(warmSpec, inputFor(), capabilities()))).toMatchObject({ invocations: 2 });
    expect(pool.stats().environments).toBe(2);
    expect(pool.stats().peak.reservedBytes).toBeLessThanOrEqual(48 * MIB);
    pool.dispose();
  });

  it('a burst of 50 concurrent cold invocations of 50 functions stays inside the budget: each waits its turn or is throttled', async () => {
    // A production-sized pool (FAASBOX_POOL_BUDGET_MB's default) at the default 64 MiB ceiling.
    const budgetBytes = 80 * MIB;
    const pool = new EnvironmentPool({ budgetBytes, spareEnvironments: 1 });
    await pool.prepareSpares(64 * MIB);
    const specs = Array.from({ length: 50 }, () => specFor({ 'index.js': echo }, { memoryLimitBytes: 64 * MIB }));
    const reports = await Promise.all(specs.map((spec) => pool.invoke(spec, inputFor(), capabilities())));
    expect(reports.map((r) => r.result.kind)).toEqual(Array(50).fill('success'));
    const { peak } = pool.stats();
    expect(peak.reservedBytes).toBeLessThanOrEqual(budgetBytes);
    expect(peak.totalMemoryBytes).toBeLessThanOrEqual(budgetBytes);
    // One busy at its 64 MiB cap and one 16 MiB environment beside it (a spare or an idle one).
    expect(peak.environments).toBeLessThanOrEqual(2);

    // Callers that may not wait are refused instead, with the pool's throttle, never crashed.
    const refused = new EnvironmentPool({ budgetBytes, spareEnvironments: 1 });
    const outcomes = await Promise.all(specs.map((spec) => refused.invokeWithin(spec, inputFor(), capabilities(), 0)));
    const throttled = outcomes.filter((o) => 'throttled' in o);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled).toEqual(Array(throttled.length).fill({ throttled: 'pool-budget' }));
    expect(outcomes.length - throttled.length).toBeGreaterThan(0);
    expect(refused.stats().peak.reservedBytes).toBeLessThanOrEqual(budgetBytes);
    pool.dispose();
    refused.dispose();
  });
});

describe('Environment', () => {
  it('a spare belongs to one function, once, of its own cap', async () => {
    const spare = await Environment.bootstrap(32 * MIB);
    expect(spare.isAssigned).toBe(false);
    expect(() => spare.assign(specFor({ 'index.js': echo }, { memoryLimitBytes: 64 * MIB }))).toThrow(/cap differs/);
    spare.assign(specFor({ 'index.js': echo }));
    expect(() => spare.assign(specFor({ 'index.js': echo }))).toThrow(/already belongs/);
    const { report } = await spare.invoke(inputFor(), capabilities());
    expect(payloadOf(report)).toMatchObject({ invocations: 1 });
    expect(spare.dispose()).toBe(true);
  });

  it('leaks nothing across warm invocations and disposes cleanly', async () => {
    const env = await Environment.create(specFor({ 'index.js': 'exports.handler = async (e) => { console.log("x", e); await new Promise((r) => setTimeout(r, 0)); return { ok: true, url: new URL("/a?b=1", "https://x.test").href }; };' }));
    for (let i = 0; i < 50; i++) expect((await env.invoke(inputFor({ i }), capabilities())).retire).toBe(false);
    expect(env.memoryBytes).toBe(16 * MIB);
    // JS_FreeRuntime garbage-collects, then asserts no object is left: a leaked handle aborts it.
    expect(env.dispose()).toBe(true);
  });
});
