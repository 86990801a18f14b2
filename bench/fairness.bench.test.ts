// CPU fairness between tenants of one isolate: a healthy tenant's warm invocation latency, alone
// and while hostile neighbours compute without end, with guests pausing after each slice of CPU
// (the default) beside the same with pauses off (the behaviour before), in one run. Also what
// pausing costs a guest that computes for long.
import { it } from 'vitest';
import { EnvironmentPool, type EnvironmentSpec } from '../sandbox';
// @ts-expect-error plain JS helper shared with the HTTP benchmark
import { summarize } from './stats.mjs';

const EVENT_1KB = JSON.stringify({ message: 'hello', items: Array.from({ length: 20 }, (_, i) => ({ i, name: `item-${i}` })) });
const capabilities = { fetch: (r: Request) => fetch(r), maxFetchRequests: 0, maxFetchBodyBytes: 0 };
const HEALTHY = 'exports.handler = async (event) => ({ echoed: event, count: event.items.length });';

/** Neighbours that never finish by themselves; each runs until its timeout, again and again. */
const NEIGHBOURS = {
  'endless sync loop': 'for (;;) {}',
  'promise flood': 'await new Promise(() => { const spin = () => { Promise.resolve().then(spin); }; spin(); });',
  'loop around a built-in (indexOf, 10 KB)': 'const text = "x".repeat(1e4); for (;;) text.indexOf("y");',
};
const NEIGHBOUR_TIMEOUT_MS = 2_000;
/** Healthy invocations are started on a fixed schedule; latency counts from the planned start. */
const SAMPLES = 150;
const INTERVAL_MS = 20;

function spec(key: string, source: string, timeoutMs = 30_000): EnvironmentSpec {
  return {
    environmentKey: key, files: { 'index.js': source }, handler: 'index.handler', runtime: 'nodejs22.x',
    memorySizeMb: 128, memoryLimitBytes: 64 << 20, timeoutMs, environmentVariables: {},
    functionName: 'bench', functionVersion: '$LATEST', logGroupName: '/aws/lambda/bench', region: 'us-east-1',
  };
}

function input(eventJson = EVENT_1KB) {
  return { requestId: crypto.randomUUID(), eventJson, invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench' };
}

/**
 * Healthy latencies (ms) while `neighbours` run in the same pool. Open loop: invocation i is due
 * at start + i * INTERVAL_MS, and its latency runs from then, so time spent waiting for a blocked
 * event loop counts (a closed loop would hide it).
 */
async function healthyLatencies(pauseGuests: boolean, neighbours: string[]): Promise<number[]> {
  const pool = new EnvironmentPool({ budgetBytes: 512 << 20, pauseGuests });
  const healthy = spec(`healthy-${pauseGuests}`, HEALTHY);
  await pool.invoke(healthy, input(), capabilities); // warm
  let running = true;
  const loops = neighbours.map(async (source, n) => {
    const hostile = spec(`hostile-${n}`, `exports.handler = async () => { ${source} };`, NEIGHBOUR_TIMEOUT_MS);
    // Each invocation a request of its own: the event loop turns between them.
    while (running) {
      await pool.invoke(hostile, input('{}'), capabilities);
      await scheduler.wait(0);
    }
  });
  await scheduler.wait(50); // the neighbours are busy
  const startMs = performance.now();
  const latencies = await Promise.all(Array.from({ length: SAMPLES }, (_, i) => new Promise<number>((resolve) => {
    const dueMs = startMs + i * INTERVAL_MS;
    setTimeout(async () => {
      await pool.invoke(healthy, input(), capabilities);
      resolve(performance.now() - dueMs);
    }, i * INTERVAL_MS);
  })));
  running = false;
  await Promise.all(loops);
  pool.dispose();
  return latencies;
}

/** Wall time (ms) of one guest computation alone in its pool. */
async function computeMs(pauseGuests: boolean, source: string): Promise<number> {
  const pool = new EnvironmentPool({ budgetBytes: 128 << 20, pauseGuests });
  const fn = spec(`compute-${pauseGuests}`, source);
  await pool.invoke(fn, input('{"n":1}'), capabilities); // warm
  const startMs = performance.now();
  await pool.invoke(fn, input('{"n":27}'), capabilities);
  const elapsedMs = performance.now() - startMs;
  pool.dispose();
  return elapsedMs;
}

const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(10);

it('a healthy tenant beside hostile neighbours: guests that pause against guests that do not', async () => {
  const scenarios: [string, string[]][] = [
    ['no neighbours', []],
    ...Object.entries(NEIGHBOURS).map(([name, source]): [string, string[]] => [name, [source]]),
    ['all three neighbours at once', Object.values(NEIGHBOURS)],
  ];
  await healthyLatencies(true, []); // warms the isolate's WASM code, not reported
  console.log(`\nHealthy warm invocation (echo, 1 KB JSON), ${SAMPLES} started every ${INTERVAL_MS} ms; neighbours time out after ${NEIGHBOUR_TIMEOUT_MS} ms and start again`);
  console.log(`  ${'neighbours'.padEnd(42)} ${'pauses off (before)'.padEnd(26)} ${'pauses on (after)'.padEnd(26)} p99 ratio`);
  for (const [label, neighbours] of scenarios) {
    const before = summarize(await healthyLatencies(false, neighbours));
    const after = summarize(await healthyLatencies(true, neighbours));
    console.log(`  ${label.padEnd(42)} p50 ${ms(before.median)} p99 ${ms(before.p99)}  p50 ${ms(after.median)} p99 ${ms(after.p99)}  ${(after.p99 / before.p99).toFixed(3)}x`);
  }

  const fib = 'const fib = (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2)); exports.handler = async (event) => fib(event.n);';
  const runs = 5;
  const off: number[] = [];
  const on: number[] = [];
  for (let i = 0; i < runs; i++) {
    off.push(await computeMs(false, fib));
    on.push(await computeMs(true, fib));
  }
  const [offS, onS] = [summarize(off), summarize(on)];
  console.log(`\nWhat pausing costs a guest that computes alone: fib(27), median of ${runs}`);
  console.log(`  pauses off ${ms(offS.median)}   pauses on ${ms(onS.median)}   ratio ${(onS.median / offS.median).toFixed(2)}x`);
});
