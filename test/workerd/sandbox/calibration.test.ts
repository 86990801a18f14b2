// Measures interrupt-handler calls per second of guest work (limits.ts INTERRUPT_CALLS_PER_SECOND)
// and checks the budget never fires before the clock deadline here.
import { expect, it } from 'vitest';
import { newWasmInstance } from '../../../sandbox/host/wasm-instance';
import { INTERRUPT_CALLS_PER_SECOND } from '../../../sandbox/host/limits';

const WORKLOADS = {
  'empty loop': 'for (;;) {}',
  'calls and properties': 'const o = { n: 0 }; const f = (x) => x + 1; for (;;) { o.n = f(o.n); }',
  'string building': 'let s = ""; for (let i = 0; ; i++) { s += i; if (s.length > 1e5) s = ""; }',
  'array work': 'for (;;) { const a = []; for (let i = 0; i < 100; i++) a.push(i * 2); a.sort((x, y) => y - x); }',
};

it('measures interrupt calls per second below the configured budget rate', async () => {
  const rates: Record<string, number> = {};
  for (const [name, source] of Object.entries(WORKLOADS)) {
    const { module } = await newWasmInstance(32 * 1024 * 1024);
    const runtime = module.newRuntime();
    const context = runtime.newContext();
    let calls = 0;
    const startedAt = Date.now();
    runtime.setInterruptHandler(() => ++calls > 0 && Date.now() - startedAt >= 300);
    const result = context.evalCode(source);
    const elapsedMs = Date.now() - startedAt;
    if (result.error) result.error.dispose();
    else result.value.dispose();
    context.dispose();
    runtime.dispose();
    rates[name] = Math.round((calls / elapsedMs) * 1000);
  }
  console.log('interrupt calls per second:', JSON.stringify(rates));
  for (const rate of Object.values(rates)) expect(rate).toBeLessThan(INTERRUPT_CALLS_PER_SECOND);
});
