// Sandbox benchmarks inside workerd: cold start of a new environment and warm invocation
// latency, each beside a plain in-Worker JavaScript function doing the same work, in one run.
import { it } from 'vitest';
import { env } from 'cloudflare:workers';
import { EnvironmentPool, type EnvironmentSpec } from '../sandbox';
import { time } from './timing';
// @ts-expect-error plain JS helper shared with the HTTP benchmark
import { summarize, printTable } from './stats.mjs';

const ECHO_SOURCE = 'exports.handler = async (event) => ({ echoed: event, count: event.items.length });';
const FIB_SOURCE = 'const fib = (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2));\nexports.handler = async (event) => ({ fib: fib(event.n) });';
const plainEcho = async (event: { items: unknown[] }) => ({ echoed: event, count: event.items.length });
const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));
const plainFib = async (event: { n: number }) => ({ fib: fib(event.n) });

const EVENT_1KB = JSON.stringify({ message: 'hello', items: Array.from({ length: 20 }, (_, i) => ({ i, name: `item-${i}` })) });
const capabilities = { fetch: (r: Request) => fetch(r), maxFetchRequests: 0, maxFetchBodyBytes: 0 };

function spec(key: string, source: string): EnvironmentSpec {
  return {
    environmentKey: key, files: { 'index.js': source }, handler: 'index.handler', runtime: 'nodejs22.x',
    memorySizeMb: 128, memoryLimitBytes: 64 << 20, timeoutMs: 30_000, environmentVariables: {},
    functionName: 'bench', functionVersion: '$LATEST', logGroupName: '/aws/lambda/bench', region: 'us-east-1',
  };
}

async function plainCall(handler: (e: never) => Promise<unknown>, eventJson: string) {
  return JSON.stringify(await handler(JSON.parse(eventJson) as never));
}

it('cold start and warm invocation against plain in-Worker functions', async () => {
  const pool = new EnvironmentPool({ budgetBytes: 256 << 20 });
  const cold: number[] = [];
  const coldPlain: number[] = [];
  for (let i = 0; i < 60; i++) {
    const input = { requestId: crypto.randomUUID(), eventJson: EVENT_1KB, invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench' };
    cold.push(await time(() => pool.invoke(spec(`cold-${i}`, ECHO_SOURCE), input, capabilities)));
    coldPlain.push(await time(() => plainCall(plainEcho, EVENT_1KB), 1000));
  }
  // Spares and SnapStart: bench/cold-start.bench.test.ts.
  printTable('Cold start: new environment + module load + first call (echo, 1 KB JSON; baseline in batches of 1000)', [
    ['sandbox, new environment (no spares)', summarize(cold)],
    ['plain in-Worker function, same work', summarize(coldPlain)],
  ]);

  for (const [label, source, handler, eventJson] of [
    ['warm echo, 1 KB JSON', ECHO_SOURCE, plainEcho, EVENT_1KB],
    ['warm CPU-bound, fib(20)', FIB_SOURCE, plainFib, JSON.stringify({ n: 20 })],
  ] as const) {
    const warm: number[] = [];
    const plain: number[] = [];
    const warmSpec = spec(`warm-${label}`, source);
    const input = { requestId: crypto.randomUUID(), eventJson, invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench' };
    await pool.invoke(warmSpec, input, capabilities); // the cold start, not measured here
    // Each sample is the mean of a batch; median and p99 are over batches.
    for (let i = 0; i < 60; i++) {
      warm.push(await time(() => pool.invoke(warmSpec, { ...input, requestId: crypto.randomUUID() }, capabilities), 100));
      plain.push(await time(() => plainCall(handler as (e: never) => Promise<unknown>, eventJson), 100));
    }
    printTable(`Warm invocation: ${label} (60 batches of 100 calls)`, [
      ['sandbox, warm environment', summarize(warm)],
      ['plain in-Worker function, same work', summarize(plain)],
    ]);
  }
  pool.dispose();
});

it('admission: acquire plus release of a concurrency lease, beside a warm invocation', async () => {
  // Room for the warm environment beside its 64 MB cap: at 64 MB the pool evicted it before every call (a cold start each).
  const pool = new EnvironmentPool({ budgetBytes: 256 << 20 });
  const limiter = env.CONCURRENCY.get(env.CONCURRENCY.idFromName('bench-account'));
  const warmSpec = spec('admission-warm', ECHO_SOURCE);
  const input = { requestId: crypto.randomUUID(), eventJson: EVENT_1KB, invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench' };
  await pool.invoke(warmSpec, input, capabilities);
  const admission: number[] = [];
  const invocation: number[] = [];
  for (let i = 0; i < 40; i++) {
    admission.push(await time(async () => {
      const grant = await limiter.acquire('bench', 60_000);
      if (grant.ok) await limiter.release(grant.leaseId);
    }, 50));
    invocation.push(await time(() => pool.invoke(warmSpec, { ...input, requestId: crypto.randomUUID() }, capabilities), 50));
  }
  printTable('Admission per invocation: ConcurrencyLimiter acquire + release (two Durable Object RPCs, SQLite writes)', [
    ['acquire + release', summarize(admission)],
    ['warm sandbox invocation (echo, 1 KB)', summarize(invocation)],
  ]);
  pool.dispose();
});
