// Hostile functions end with the right reason, are retired, and never hurt the next invocation.
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentPool, type InvocationReport } from '../../../sandbox';
import allocBombArray from '../../fixtures/functions/alloc-bomb-array.js?raw';
import allocBombObject from '../../fixtures/functions/alloc-bomb-object.js?raw';
import allocBombFlatString from '../../fixtures/functions/alloc-bomb-flat-string.js?raw';
import allocBombMap from '../../fixtures/functions/alloc-bomb-map.js?raw';
import allocBombNestedArray from '../../fixtures/functions/alloc-bomb-nested-array.js?raw';
import allocBombWeakref from '../../fixtures/functions/alloc-bomb-weakref.js?raw';
import allocBombString from '../../fixtures/functions/alloc-bomb-string.js?raw';
import consoleFlood from '../../fixtures/functions/console-flood.js?raw';
import deepRecursion from '../../fixtures/functions/deep-recursion.js?raw';
import deepCRecursion from '../../fixtures/functions/deep-c-recursion.js?raw';
import echo from '../../fixtures/functions/echo.js?raw';
import hostAllocBuffer from '../../fixtures/functions/host-alloc-buffer.js?raw';
import hostAllocTextDecoder from '../../fixtures/functions/host-alloc-text-decoder.js?raw';
import hostAllocTextEncoder from '../../fixtures/functions/host-alloc-text-encoder.js?raw';
import hugeResult from '../../fixtures/functions/huge-result.js?raw';
import infiniteLoop from '../../fixtures/functions/infinite-loop.js?raw';
import neverResolves from '../../fixtures/functions/never-resolves.js?raw';
import promiseChain from '../../fixtures/functions/promise-chain.js?raw';
import callbackBuiltins from '../../fixtures/functions/callback-builtins.js?raw';
import timerLeftRunning from '../../fixtures/functions/timer-left-running.js?raw';
import { capabilities, inputFor, LONG_BUILTIN_CALLS, MORE_LONG_BUILTIN_CALLS, payloadOf, QUICK_BUILTIN_EVENT, specFor } from './support';

const MIB = 1024 * 1024;
const pool = new EnvironmentPool({ budgetBytes: 512 * MIB });
afterAll(() => pool.dispose());

const healthy = specFor({ 'index.js': echo }, { environmentKey: 'tenant-test/healthy/$LATEST/rev1' });

async function expectHealthyAfter(): Promise<void> {
  const report = await pool.invoke(healthy, inputFor({ ping: true }), capabilities());
  expect(payloadOf(report)).toMatchObject({ event: { ping: true } });
}

function failureOf(report: InvocationReport) {
  if (report.result.kind !== 'failure') throw new Error(`expected failure, got ${JSON.stringify(report.result).slice(0, 300)}`);
  return report.result;
}

describe('timeouts', () => {
  for (const [name, source, event] of [
    ['an endless synchronous loop', infiniteLoop, {}],
    ['an endless promise chain', promiseChain, {}],
    ['a promise that never resolves', neverResolves, {}],
    // Built-ins that call back into guest code: the callback's loop is the interpreter's.
    ['a sort comparator that never returns', callbackBuiltins, { kind: 'sort' }],
    ['a JSON.parse reviver that never returns', callbackBuiltins, { kind: 'reviver' }],
  ] as const) {
    it(`stops ${name} at the deadline and retires the environment`, async () => {
      const spec = specFor({ 'index.js': source }, { timeoutMs: 1000 });
      const input = inputFor(event);
      const report = await pool.invoke(spec, input, capabilities());
      expect(failureOf(report)).toEqual({
        kind: 'failure',
        reason: 'timeout',
        error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${input.requestId} Error: Task timed out after 1.00 seconds`, trace: [] },
      });
      // The clock runs here, so the deadline stops it (the step budget is for a frozen clock:
      // timeout-clocks.test.ts), and only once it was reached.
      expect(report.timedOutBy).toBe('deadline');
      expect(report.durationMs).toBeGreaterThanOrEqual(spec.timeoutMs);
      const again = await pool.invoke(spec, inputFor(), capabilities());
      expect(again.initDurationMs).toBeTypeOf('number'); // a new environment: the old one was retired
      await expectHealthyAfter();
    });
  }
});

describe('timeouts inside one long built-in call (loop checks of the instrumented QuickJS)', () => {
  for (const [name, source, event] of [...LONG_BUILTIN_CALLS, ...MORE_LONG_BUILTIN_CALLS]) {
    it(`stops ${name} at the deadline and retires the environment`, async () => {
      const spec = specFor({ 'index.js': source }, { timeoutMs: 2000 });
      const input = inputFor(event);
      const report = await pool.invoke(spec, input, capabilities());
      expect(failureOf(report)).toEqual({
        kind: 'failure',
        reason: 'timeout',
        error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${input.requestId} Error: Task timed out after 2.00 seconds`, trace: [] },
      });
      expect(report.timedOutBy).toBe('deadline');
      const again = await pool.invoke(spec, inputFor(QUICK_BUILTIN_EVENT), capabilities());
      expect(again.initDurationMs).toBeTypeOf('number'); // a new environment: the old one was retired
      await expectHealthyAfter();
    });
  }
});

describe('memory', () => {
  for (const [name, source] of [
    ['an array bomb', allocBombArray],
    ['a string bomb', allocBombFlatString],
    ['an object bomb', allocBombObject],
    // These three fill memory so far that QuickJS throws `null`, not its "out of memory" error.
    ['a Map bomb', allocBombMap],
    ['a WeakRef bomb', allocBombWeakref],
    ['a nested array bomb', allocBombNestedArray],
  ] as const) {
    it(`ends ${name} with out-of-memory at the cap and retires the environment`, async () => {
      const spec = specFor({ 'index.js': source }, { memoryLimitBytes: 32 * MIB });
      const input = inputFor();
      const report = await pool.invoke(spec, input, capabilities());
      expect(failureOf(report)).toMatchObject({
        reason: 'out-of-memory',
        error: { errorType: 'Runtime.OutOfMemory', errorMessage: `RequestId: ${input.requestId} Error: Runtime exited with error: out of memory` },
      });
      expect(report.maxMemoryUsedBytes).toBeLessThanOrEqual(32 * MIB);
      const again = await pool.invoke(spec, inputFor(), capabilities());
      expect(again.initDurationMs).toBeTypeOf('number');
      await expectHealthyAfter();
    });
  }

  // What the host builds for the guest (UTF-8 results, decoded text) counts against the guest's
  // cap as if the guest had allocated it: past it, out of memory, even when the guest catches.
  for (const [name, source] of [
    ['a 42 MB TextEncoder result', hostAllocTextEncoder],
    ['a 24 MB TextDecoder result', hostAllocTextDecoder],
    ['a 40 MB Buffer.from', hostAllocBuffer],
  ] as const) {
    it(`ends ${name} in a 64 MiB guest with out-of-memory and retires the environment`, async () => {
      const spec = specFor({ 'index.js': source }, { memoryLimitBytes: 64 * MIB });
      const input = inputFor();
      const report = await pool.invoke(spec, input, capabilities());
      expect(failureOf(report)).toMatchObject({
        reason: 'out-of-memory',
        error: { errorType: 'Runtime.OutOfMemory', errorMessage: `RequestId: ${input.requestId} Error: Runtime exited with error: out of memory` },
      });
      expect(report.maxMemoryUsedBytes).toBeLessThanOrEqual(64 * MIB);
      const again = await pool.invoke(spec, inputFor(), capabilities());
      expect(again.initDurationMs).toBeTypeOf('number');
      await expectHealthyAfter();
    });
  }

  it('reports a function that throws null with memory to spare as a function error, not out of memory', async () => {
    const report = await pool.invoke(specFor({ 'index.js': 'exports.handler = async () => { throw null; };' }), inputFor(), capabilities());
    expect(failureOf(report)).toMatchObject({ reason: 'function-error', error: { errorType: 'object', errorMessage: 'null' } });
  });

  it('stops a doubling string at QuickJS maximum string length, as an ordinary error', async () => {
    // Concatenation builds ropes that take almost no memory; the guest gets InternalError
    // "string too long" (Node would say RangeError: Invalid string length), never a host fault.
    const report = await pool.invoke(specFor({ 'index.js': allocBombString }), inputFor(), capabilities());
    expect(failureOf(report)).toMatchObject({ reason: 'function-error', error: { errorType: 'InternalError', errorMessage: 'string too long' } });
    await expectHealthyAfter();
  });

  it('turns deep recursion into a catchable guest error, reported as Lambda reports a stack overflow', async () => {
    const report = await pool.invoke(specFor({ 'index.js': deepRecursion }), inputFor(), capabilities());
    const failure = failureOf(report);
    expect(failure).toMatchObject({ reason: 'function-error', error: { errorType: 'RangeError', errorMessage: 'Maximum call stack size exceeded' } });
    expect(failure.error.trace.slice(0, 2)).toEqual(['RangeError: Maximum call stack size exceeded', expect.stringContaining('at down (/var/task/index.js:')]);
    await expectHealthyAfter();
  });

  for (const [name, kind] of [['String() of a 100,000-deep array', 'nested'], ['endless async recursion', 'async']] as const) {
    // Whichever stack runs out first (QuickJS's own check, or the WASM stack inside C code, which
    // retires the environment), the function sees what Node.js reports, every time.
    it(`reports ${name}, which can exhaust the WASM stack in C code, as Node's RangeError`, async () => {
      const spec = specFor({ 'index.js': deepCRecursion });
      for (let attempt = 0; attempt < 2; attempt++) {
        const report = await pool.invoke(spec, inputFor({ kind }), capabilities());
        expect(failureOf(report)).toMatchObject({
          kind: 'failure',
          reason: 'function-error',
          error: { errorType: 'RangeError', errorMessage: 'Maximum call stack size exceeded', trace: expect.arrayContaining(['RangeError: Maximum call stack size exceeded']) },
        });
      }
      await expectHealthyAfter();
    });
  }
});

describe('output limits', () => {
  it('rejects a 7 MB result as ResponseSizeTooLarge', async () => {
    const report = await pool.invoke(specFor({ 'index.js': hugeResult }, { memoryLimitBytes: 64 * MIB }), inputFor(), capabilities());
    expect(failureOf(report)).toEqual({
      kind: 'failure',
      reason: 'response-too-large',
      error: { errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).', trace: [] },
    });
    await expectHealthyAfter();
  });

  it('caps a console flood with one truncation marker', async () => {
    const report = await pool.invoke(specFor({ 'index.js': consoleFlood }), inputFor(), capabilities());
    expect(payloadOf(report)).toBe('flooded');
    const bytes = report.console.reduce((sum, r) => sum + r.message.length, 0);
    expect(bytes).toBeLessThanOrEqual(256 * 1024);
    const last = report.console.at(-1)!;
    expect(last.message).toMatch(/^\[faasbox\] log output truncated: \d+ bytes dropped$/);
    expect(report.console.filter((r) => r.message.startsWith('[faasbox]'))).toHaveLength(1);
    await expectHealthyAfter();
  });

  it('cuts a single huge console line', async () => {
    const report = await pool.invoke(specFor({ 'index.js': 'exports.handler = async () => { console.log("y".repeat(200000)); };' }), inputFor(), capabilities());
    expect(report.console[0].message.length).toBeLessThan(70 * 1024);
    expect(report.console[0].message).toMatch(/characters truncated\]$/);
  });
});

describe('work left running', () => {
  it('never runs a timer left by one invocation in the next', async () => {
    const spec = specFor({ 'index.js': timerLeftRunning });
    const first = await pool.invoke(spec, inputFor({ start: true }), capabilities());
    expect(payloadOf(first)).toEqual({ ticks: 0 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await pool.invoke(spec, inputFor({}), capabilities());
    expect(second.initDurationMs).toBeUndefined(); // warm
    expect(payloadOf(second)).toEqual({ ticks: 0 });
    expect(second.console).toEqual([]);
    await expectHealthyAfter();
  });

  it('retires an environment whose microtasks never stop after the result', async () => {
    const source = 'exports.handler = async () => { const spin = () => Promise.resolve().then(spin); spin(); return "early"; };';
    const spec = specFor({ 'index.js': source });
    expect(payloadOf(await pool.invoke(spec, inputFor(), capabilities()))).toBe('early');
    const again = await pool.invoke(spec, inputFor(), capabilities());
    expect(again.initDurationMs).toBeTypeOf('number');
    await expectHealthyAfter();
  });
});
