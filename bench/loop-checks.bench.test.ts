// What the loop checks of the instrumented QuickJS module (scripts/quickjs-instrument.mjs) cost
// normal guest code: the same workloads on the package's own module and on the instrumented one,
// alternated round by round in one run.
import { it } from 'vitest';
import plainModule from '@jitl/quickjs-wasmfile-release-sync/wasm';
import { newWasmInstance } from '../sandbox/host/wasm-instance';

const ROUNDS = 7;
const WORKLOADS = {
  'fib(25)': 'const fib = (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2)); fib(25);',
  'array work': 'for (let k = 0; k < 2000; k++) { const a = []; for (let i = 0; i < 100; i++) a.push(i * 2); a.sort((x, y) => y - x); }',
  'string building': 'let s = ""; for (let i = 0; i < 300000; i++) { s += i; if (s.length > 1e5) s = ""; }',
  'JSON round trip': 'const o = { items: Array.from({ length: 2000 }, (_, i) => ({ i, name: "item-" + i })) }; for (let k = 0; k < 20; k++) JSON.parse(JSON.stringify(o));',
};

async function runMs(module: WebAssembly.Module | undefined, source: string): Promise<number> {
  const instance = await newWasmInstance(64 * 1024 * 1024, module);
  const runtime = instance.module.newRuntime();
  const context = runtime.newContext();
  runtime.setInterruptHandler(() => false); // interrupt calls on, as in an environment
  const startedAt = performance.now();
  const result = context.evalCode(source);
  const elapsedMs = performance.now() - startedAt;
  (result.error ?? result.value).dispose();
  context.dispose();
  runtime.dispose();
  return elapsedMs;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

it('instrumented QuickJS against the package module, same workloads', async () => {
  console.log(`\nLoop checks' cost: median of ${ROUNDS} rounds, each workload on a new instance of each module, alternated`);
  for (const [name, source] of Object.entries(WORKLOADS)) {
    const plain: number[] = [];
    const instrumented: number[] = [];
    await runMs(plainModule, source); // warm both modules' code up first (tier-up)
    await runMs(undefined, source);
    for (let round = 0; round < ROUNDS; round++) {
      plain.push(await runMs(plainModule, source));
      instrumented.push(await runMs(undefined, source));
    }
    const [p, i] = [median(plain), median(instrumented)];
    console.log(`  ${name.padEnd(18)} package ${p.toFixed(1).padStart(7)} ms  instrumented ${i.toFixed(1).padStart(7)} ms  ratio ${(i / p).toFixed(3)}`);
  }
});
