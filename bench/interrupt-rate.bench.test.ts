// Interrupt-handler calls and loop checks per second of guest work, the figures behind the step
// budgets (sandbox/host/limits.ts INTERRUPT_CALLS_PER_SECOND, LOOP_CHECKS_PER_SECOND), and the
// most calls that saw one clock reading.
import { it } from 'vitest';
import { newWasmInstance } from '../sandbox/host/wasm-instance';
import { INTERRUPT_CALLS_PER_SECOND, LOOP_CHECKS_PER_SECOND, MIN_INTERRUPT_CALLS } from '../sandbox/host/limits';

const RUN_MS = 1000;
const WORKLOADS = {
  'empty loop': 'for (;;) {}',
  'calls and properties': 'const o = { n: 0 }; const f = (x) => x + 1; for (;;) { o.n = f(o.n); }',
  'string building': 'let s = ""; for (let i = 0; ; i++) { s += i; if (s.length > 1e5) s = ""; }',
  'array work': 'for (;;) { const a = []; for (let i = 0; i < 100; i++) a.push(i * 2); a.sort((x, y) => y - x); }',
  // Built-ins that never return to the interpreter: only loop checks reach the host.
  'BigInt to decimal': 'for (;;) (3n ** 650000n).toString();',
  'indexOf, array-like': 'Array.prototype.indexOf.call({ length: 2 ** 53 - 1 }, 1);',
};

it('interrupt calls per second by workload, beside the step budget rate', async () => {
  console.log(`\nInterrupt calls per second of guest work (${RUN_MS} ms each; budget rate ${INTERRUPT_CALLS_PER_SECOND}/s, floor ${MIN_INTERRUPT_CALLS} calls)`);
  for (const [name, source] of Object.entries(WORKLOADS)) {
    const instance = await newWasmInstance(32 * 1024 * 1024);
    const runtime = instance.module.newRuntime();
    const context = runtime.newContext();
    let calls = 0;
    let loopChecks = 0;
    let callsWithClockStill = 0;
    let mostCallsWithClockStill = 0;
    let clockSeenMs = -1;
    const startedAtMs = Date.now();
    runtime.setInterruptHandler(() => false); // turns interrupt calls on; the instance's gate answers them
    instance.decideInterrupts((_canPause, source) => {
      if (source === 'loop') {
        loopChecks++;
        return Date.now() - startedAtMs >= RUN_MS;
      }
      calls++;
      const nowMs = Date.now();
      if (nowMs === clockSeenMs) mostCallsWithClockStill = Math.max(mostCallsWithClockStill, ++callsWithClockStill);
      else [clockSeenMs, callsWithClockStill] = [nowMs, 0];
      return nowMs - startedAtMs >= RUN_MS;
    });
    let trapped = false;
    try {
      const result = context.evalCode(source);
      (result.error ?? result.value).dispose();
    } catch {
      trapped = true; // a loop check stopped a built-in: the instance is dropped, not disposed
    }
    const elapsedMs = Date.now() - startedAtMs;
    if (!trapped) {
      context.dispose();
      runtime.dispose();
    }
    const rate = (calls / elapsedMs) * 1000;
    // Where the clock is frozen, a loop of this workload runs this many of its timeouts.
    const timeoutsBeforeBudget = INTERRUPT_CALLS_PER_SECOND / rate;
    const loopRate = (loopChecks / elapsedMs) * 1000;
    const loopTimeouts = LOOP_CHECKS_PER_SECOND / loopRate;
    console.log(`  ${name.padEnd(24)} ${Math.round(rate).toString().padStart(7)} calls/s  ${Math.round(loopRate).toString().padStart(7)} loop checks/s  frozen clock: stopped after ${Math.min(timeoutsBeforeBudget, loopTimeouts).toFixed(1)}x its timeout  most calls on one clock reading: ${mostCallsWithClockStill}`);
  }
});
