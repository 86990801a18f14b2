// Timeouts under each kind of clock: one that runs (local workerd), one frozen during synchronous
// work (production Workers), one that ticks far more rarely than any machine's interrupt calls.
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentPool, type InvocationReport } from '../../../sandbox';
import echo from '../../fixtures/functions/echo.js?raw';
import infiniteLoop from '../../fixtures/functions/infinite-loop.js?raw';
import neverResolves from '../../fixtures/functions/never-resolves.js?raw';
import promiseChain from '../../fixtures/functions/promise-chain.js?raw';
import { capabilities, clockFrozenDuringSyncWork, clockTickingEveryReads, inputFor, LONG_BUILTIN_CALLS, payloadOf, QUICK_BUILTIN_EVENT, specFor } from './support';

const MIB = 1024 * 1024;
const pools: EnvironmentPool[] = [];
afterAll(() => { for (const pool of pools) pool.dispose(); });

function poolWith(clock?: () => number, pauseGuests?: boolean): EnvironmentPool {
  const pool = new EnvironmentPool({ budgetBytes: 256 * MIB, clock, pauseGuests });
  pools.push(pool);
  return pool;
}

/** Synchronous workloads with very different interrupt-call rates (built-ins work between calls). */
const WORKLOADS = {
  'an empty loop': 'for (;;) {}',
  'calls and property writes': 'const o = { n: 0 }; const f = (x) => x + 1; for (;;) { o.n = f(o.n); }',
  'string building': 'let s = ""; for (let i = 0; ; i++) { s += i; if (s.length > 1e5) s = ""; }',
  'array work': 'for (;;) { const a = []; for (let i = 0; i < 100; i++) a.push(i * 2); a.sort((x, y) => y - x); }',
};

function expectTimedOut(report: InvocationReport, by: InvocationReport['timedOutBy']): void {
  expect(report.result).toMatchObject({ kind: 'failure', reason: 'timeout', error: { errorType: 'Sandbox.Timedout' } });
  expect(report.timedOutBy).toBe(by);
}

async function expectRetiredAndHealthy(pool: EnvironmentPool, spec: ReturnType<typeof specFor>, event: unknown = {}): Promise<void> {
  const again = await pool.invoke(spec, inputFor(event), capabilities());
  expect(again.initDurationMs).toBeTypeOf('number'); // a new environment: the old one was retired
  const healthy = await pool.invoke(specFor({ 'index.js': echo }), inputFor({ ping: true }), capabilities());
  expect(payloadOf(healthy)).toMatchObject({ event: { ping: true } });
}

describe('a clock that runs', () => {
  const pool = poolWith();
  for (const [name, loop] of Object.entries(WORKLOADS)) {
    it(`stops ${name} by the deadline, never by the step budget`, async () => {
      const spec = specFor({ 'index.js': `exports.handler = async () => { ${loop} };` }, { timeoutMs: 300 });
      const report = await pool.invoke(spec, inputFor(), capabilities());
      expectTimedOut(report, 'deadline');
      expect(report.durationMs).toBeGreaterThanOrEqual(spec.timeoutMs); // the deadline was reached
    });
  }
});

describe('a clock that ticks once per 1,000 interrupt calls (a machine ~50x faster than any measured)', () => {
  it('still stops an endless loop by the deadline: the budget counts only calls with the clock standing still', async () => {
    // 5 ms of this clock are 5,000 calls; the step budget of so short a timeout is 2,000 calls,
    // so a budget that counted every call would fire first.
    const pool = poolWith(clockTickingEveryReads(1_000));
    const spec = specFor({ 'index.js': infiniteLoop }, { timeoutMs: 5 });
    const report = await pool.invoke(spec, inputFor(), capabilities());
    expectTimedOut(report, 'deadline');
    expect(report.durationMs).toBeGreaterThanOrEqual(spec.timeoutMs);
  });
});

describe('a clock frozen during synchronous work (production Workers)', () => {
  it('stops an endless synchronous loop that cannot pause by the step budget and retires the environment', async () => {
    // Without pauses (no JSPI, or guest code run inside a host call) the clock never moves.
    const pool = poolWith(clockFrozenDuringSyncWork(), false);
    const spec = specFor({ 'index.js': infiniteLoop }, { timeoutMs: 100 });
    const input = inputFor();
    const report = await pool.invoke(spec, input, capabilities());
    expect(report.result).toEqual({
      kind: 'failure',
      reason: 'timeout',
      error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${input.requestId} Error: Task timed out after 0.10 seconds`, trace: [] },
    });
    expect(report.timedOutBy).toBe('step-budget');
    await expectRetiredAndHealthy(pool, spec);
  });

  // One long built-in call makes no interrupt calls: the loop checks' own budget stops it.
  for (const [name, source, event] of LONG_BUILTIN_CALLS) {
    it(`stops ${name}, which cannot pause, by the step budget and retires the environment`, async () => {
      const pool = poolWith(clockFrozenDuringSyncWork(), false);
      const spec = specFor({ 'index.js': source }, { timeoutMs: 100 });
      const report = await pool.invoke(spec, inputFor(event), capabilities());
      expectTimedOut(report, 'step-budget');
      await expectRetiredAndHealthy(pool, spec, QUICK_BUILTIN_EVENT);
    });
  }

  for (const [name, source] of [
    // Each pause of a guest that computes for long is such a wait (fairness.test.ts).
    ['an endless synchronous loop that pauses', infiniteLoop],
    ['an endless promise chain', promiseChain],
    ['a promise that never resolves', neverResolves],
  ] as const) {
    it(`stops ${name} by the deadline: the host's waits let the clock move`, async () => {
      const pool = poolWith(clockFrozenDuringSyncWork());
      const spec = specFor({ 'index.js': source }, { timeoutMs: 300 });
      const report = await pool.invoke(spec, inputFor(), capabilities());
      expectTimedOut(report, 'deadline');
      expect(report.durationMs).toBeGreaterThanOrEqual(spec.timeoutMs);
      await expectRetiredAndHealthy(pool, spec);
    });
  }

  it('lets a handler that finishes in time succeed, and reports no timeout', async () => {
    const pool = poolWith(clockFrozenDuringSyncWork());
    const source = 'exports.handler = async () => { let n = 0; for (let i = 0; i < 1e5; i++) n += i; await new Promise((r) => setTimeout(r, 5)); return n; };';
    const report = await pool.invoke(specFor({ 'index.js': source }), inputFor(), capabilities());
    expect(payloadOf(report)).toBe(4999950000);
    expect(report.timedOutBy).toBeUndefined();
  });
});
