// Python on MicroPython inside workerd: (1) what the loop checks of the instrumented module
// (scripts/micropython-instrument.mjs) cost normal Python code, beside the same module without
// them, alternated round by round; (2) cold start and warm invocation of Lambda's Python hello
// world beside the JavaScript echo on QuickJS, in one run. It prints figures; it asserts nothing.
import { it } from 'vitest';
import { EnvironmentPool, type EnvironmentSpec, type InvocationInput } from '../sandbox';
import { PythonEnvironment } from '../sandbox/host/python/python-environment';
import plainModule from '../sandbox/host/python/micropython.plain.wasm';
import instrumentedModule from '../sandbox/host/python/micropython.instrumented.wasm';
// @ts-expect-error plain JS helper shared with the HTTP benchmark
import { summarize, printTable } from './stats.mjs';

const ROUNDS = 7;
const WORKLOADS: Record<string, string> = {
  'fib(22)': 'def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\ndef run():\n    return fib(22)\n',
  'list and dict work': 'def run():\n    total = 0\n    for k in range(300):\n        d = {i: i * 2 for i in range(100)}\n        total += sum(sorted(d.values(), reverse=True))\n    return total\n',
  // Small strings: this port's GC collects only between calls into it (docs/PYTHON.md), so all of an invocation's garbage stays until it ends.
  'string building': "def run():\n    s = ''\n    for i in range(20000):\n        s += str(i)\n        if len(s) > 1000:\n            s = ''\n    return len(s)\n",
  'JSON round trip': "import json\n\ndef run():\n    o = {'items': [{'i': i, 'name': 'item-' + str(i)} for i in range(1000)]}\n    for k in range(10):\n        o = json.loads(json.dumps(o))\n    return len(o['items'])\n",
};

const HELLO = "import json\n\ndef lambda_handler(event, context):\n    return {'statusCode': 200, 'body': json.dumps('Hello from Lambda!')}\n";
const ECHO = 'exports.handler = async (event) => ({ echoed: event, count: event.items.length });';
const EVENT_1KB = JSON.stringify({ message: 'hello', items: Array.from({ length: 20 }, (_, i) => ({ i, name: `item-${i}` })) });
const capabilities = { fetch: (r: Request) => fetch(r), maxFetchRequests: 0, maxFetchBodyBytes: 0 };

function spec(key: string, python: boolean, source: string): EnvironmentSpec {
  return {
    environmentKey: key, files: python ? { 'app.py': source } : { 'index.js': source }, handler: python ? 'app.lambda_handler' : 'index.handler',
    runtime: python ? 'python3.13' : 'nodejs22.x', memorySizeMb: 128, memoryLimitBytes: 64 << 20, timeoutMs: 60_000, environmentVariables: {},
    functionName: 'bench', functionVersion: '$LATEST', logGroupName: '/aws/lambda/bench', region: 'us-east-1',
  };
}

const input = (eventJson = '{}'): InvocationInput => ({ requestId: crypto.randomUUID(), eventJson, invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench' });

/** Milliseconds per call of `fn` over `batch` calls (the Workers clock advances only across I/O). */
async function time(fn: () => Promise<unknown>, batch = 1): Promise<number> {
  await scheduler.wait(0);
  const t = performance.now();
  for (let i = 0; i < batch; i++) await fn();
  await scheduler.wait(0);
  return (performance.now() - t) / batch;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

it('instrumented MicroPython against the same module without loop checks, same workloads', async () => {
  console.log(`\nPython loop checks' cost: median of ${ROUNDS} rounds, each workload in a warm environment of each module, alternated`);
  for (const [name, source] of Object.entries(WORKLOADS)) {
    const handlerSource = `${source}\ndef lambda_handler(event, context):\n    return run()\n`;
    const [plain, instrumented] = await Promise.all([plainModule, instrumentedModule].map((module, i) =>
      PythonEnvironment.create(spec(`loop-${name}-${i}`, true, handlerSource), {}, module)));
    // Init and warm-up of both modules' code; a workload that fails is a broken benchmark.
    for (const environment of [plain, instrumented]) {
      const { report } = await environment.invoke(input(), capabilities);
      if (report.result.kind !== 'success') throw new Error(`${name} failed: ${JSON.stringify(report.result)}`);
    }
    const plainMs: number[] = [];
    const instrumentedMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      plainMs.push(await time(() => plain.invoke(input(), capabilities)));
      instrumentedMs.push(await time(() => instrumented.invoke(input(), capabilities)));
    }
    const [p, i] = [median(plainMs), median(instrumentedMs)];
    console.log(`  ${name.padEnd(20)} plain ${p.toFixed(1).padStart(7)} ms  instrumented ${i.toFixed(1).padStart(7)} ms  ratio ${(i / p).toFixed(3)}`);
    plain.release();
    instrumented.release();
  }
});

it("Lambda's Python hello world beside the JavaScript echo: cold start and warm invocation", async () => {
  const pool = new EnvironmentPool({ budgetBytes: 256 << 20 });
  const coldPython: number[] = [];
  const coldJs: number[] = [];
  for (let i = 0; i < 30; i++) {
    coldPython.push(await time(() => pool.invoke(spec(`cold-py-${i}`, true, HELLO), input(), capabilities)));
    coldJs.push(await time(() => pool.invoke(spec(`cold-js-${i}`, false, ECHO), input(EVENT_1KB), capabilities)));
  }
  printTable('Cold start: new environment + module load + first call', [
    ['Python hello world (MicroPython)', summarize(coldPython)],
    ['JavaScript echo, 1 KB JSON (QuickJS)', summarize(coldJs)],
  ]);
  const pythonSpec = spec('warm-py', true, HELLO);
  const jsSpec = spec('warm-js', false, ECHO);
  await pool.invoke(pythonSpec, input(), capabilities);
  await pool.invoke(jsSpec, input(EVENT_1KB), capabilities);
  const warmPython: number[] = [];
  const warmJs: number[] = [];
  for (let i = 0; i < 40; i++) {
    warmPython.push(await time(() => pool.invoke(pythonSpec, input(), capabilities), 50));
    warmJs.push(await time(() => pool.invoke(jsSpec, input(EVENT_1KB), capabilities), 50));
  }
  printTable('Warm invocation (40 batches of 50 calls)', [
    ['Python hello world (MicroPython)', summarize(warmPython)],
    ['JavaScript echo, 1 KB JSON (QuickJS)', summarize(warmJs)],
  ]);
  pool.dispose();
});
