// The hostile corpus in Python: endless loops, memory bombs, deep recursion, an output flood and
// the port's `js` module, each contained in its own environment, which is retired when it hit a
// limit, while the next invocation runs fine.
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentPool, type EnvironmentSpec, type InvocationReport } from '../../../sandbox';
import hostile from '../../fixtures/functions/python/hostile.py?raw';
import { capabilities, clockFrozenDuringSyncWork, inputFor, payloadOf, specFor } from './support';

const MIB = 1024 * 1024;
const pool = new EnvironmentPool({ budgetBytes: 512 * MIB });
afterAll(() => pool.dispose());

const spec = (handler: string, overrides: Partial<EnvironmentSpec> = {}) =>
  specFor({ 'hostile.py': hostile }, { runtime: 'python3.13', handler: `hostile.${handler}`, memoryLimitBytes: 48 * MIB, ...overrides });

/**
 * Runs `handler`, then `fine` of the same files in an environment of its own: answers the first
 * report and whether its environment was kept (is idle in the pool) afterwards.
 */
async function thenFine(handler: string, overrides: Partial<EnvironmentSpec> = {}): Promise<[InvocationReport, boolean]> {
  const before = pool.stats().environments;
  const first = await pool.invoke(spec(handler, overrides), inputFor(), capabilities());
  const kept = pool.stats().environments > before;
  const next = await pool.invoke(spec('fine', overrides), inputFor(), capabilities());
  expect(payloadOf(next)).toEqual({ fine: true });
  return [first, kept];
}

describe('hostile Python code', () => {
  it('stops `while True: pass` at its timeout and retires the environment', async () => {
    const [report, kept] = await thenFine('spin', { timeoutMs: 1000 });
    expect(report.result).toMatchObject({ kind: 'failure', reason: 'timeout', error: { errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/Task timed out after 1\.00 seconds$/) } });
    expect(report.timedOutBy).toBe('deadline');
    expect(kept).toBe(false);
  });

  it('stops a loop that catches the timeout interrupt (the trap that follows it)', async () => {
    const [report] = await thenFine('spin_swallowing', { timeoutMs: 1000 });
    expect(report.result).toMatchObject({ kind: 'failure', reason: 'timeout' });
  });

  it('stops an endless loop on a clock that stands still, by the step budget', async () => {
    const frozen = new EnvironmentPool({ budgetBytes: 512 * MIB, clock: clockFrozenDuringSyncWork() });
    try {
      // The shortest budget (MIN_LOOP_CHECKS): the budget allows for machines far faster than this one.
      const report = await frozen.invoke(spec('spin', { timeoutMs: 100 }), inputFor(), capabilities());
      expect(report.result).toMatchObject({ kind: 'failure', reason: 'timeout' });
      expect(report.timedOutBy).toBe('step-budget');
    } finally {
      frozen.dispose();
    }
  });

  it("contains `'a' * 10**9` as out of memory", async () => {
    const [report, kept] = await thenFine('string_bomb');
    expect(report.result).toMatchObject({ kind: 'failure', reason: 'out-of-memory', error: { errorType: 'Runtime.OutOfMemory' } });
    expect(kept).toBe(false);
  });

  it('stops list growth at the memory cap', async () => {
    const [report] = await thenFine('list_growth');
    expect(report.result).toMatchObject({ kind: 'failure', reason: 'out-of-memory' });
    expect(report.maxMemoryUsedBytes).toBeLessThanOrEqual(48 * MIB);
  });

  it("reports deep recursion as MicroPython's RuntimeError, a function error that keeps the environment", async () => {
    const [report, kept] = await thenFine('recursion');
    expect(report.result).toMatchObject({ kind: 'failure', reason: 'function-error' });
    expect(kept).toBe(true);
    if (report.result.kind === 'failure') expect(report.result.error.reply).toMatchObject({ errorType: 'RuntimeError', errorMessage: 'maximum recursion depth exceeded' });
  });

  it('caps an output flood and marks the cut', async () => {
    const [report] = await thenFine('output_flood');
    expect(payloadOf(report)).toBe('flooded');
    expect(report.console.at(-1)).toMatchObject({ marker: true, message: expect.stringMatching(/^\[faasbox\] log output truncated: \d+ bytes dropped$/) });
    expect(report.console.length).toBeLessThan(1000);
  });

  it("refuses the port's js module (the host's JavaScript) and retires the environment", async () => {
    const [report, kept] = await thenFine('js_module');
    expect(report.result).toMatchObject({ kind: 'failure', reason: 'runtime-exit' });
    expect(kept).toBe(false);
  });
});
