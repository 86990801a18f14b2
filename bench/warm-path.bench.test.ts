// The warm path as a caller waits for it: resolve the function (the isolate's cache of resolved
// functions, src/services/resolve-function.ts), admit it (the isolate's admission slots,
// src/invoke/admission.ts), run it in a warm environment, release the slot and record it (batched
// metrics, src/invoke/metrics-batch.ts; its log lines), beside the same path reading the registry on
// every call and beside the warm sandbox alone; then admission alone, the isolate's slots beside
// the ConcurrencyLimiter's acquire + release round trips. One run, interleaved batch by batch.
import { it } from 'vitest';
import { env } from 'cloudflare:workers';
import { zipSync, strToU8 } from 'fflate';
import { EnvironmentPool, type EnvironmentSpec } from '../sandbox';
import { invokeFunction } from '../src/invoke/invoke-function';
import { admit, finish } from '../src/invoke/admission';
import { resolveFunction } from '../src/services/resolve-function';
import { functionRegistry } from '../src/bindings';
import { codeKey } from '../src/code/bundle';
import { drainWork, time } from './timing';
// @ts-expect-error plain JS helper shared with the HTTP benchmark
import { summarize, printTable } from './stats.mjs';

const ACCOUNT = '310987654321';
const caller = { accountId: ACCOUNT, region: 'us-east-1' };
const SOURCE = 'exports.handler = async (event) => ({ echoed: event, count: event.items.length });';
const EVENT_1KB = JSON.stringify({ message: 'hello', items: Array.from({ length: 20 }, (_, i) => ({ i, name: `item-${i}` })) });
const uncachedEnv = { ...env, FAASBOX_FUNCTION_CACHE_SECONDS: '0' } as unknown as Env;

async function deploy(name: string): Promise<void> {
  const zip = zipSync({ 'index.js': strToU8(SOURCE) });
  const key = codeKey(ACCOUNT, name, name.padEnd(64, '0'));
  await env.CODE.put(key, zip);
  const created = await functionRegistry(env, ACCOUNT).create({
    name, runtime: 'nodejs22.x', handler: 'index.handler', role: `arn:aws:iam::${ACCOUNT}:role/bench`, description: '',
    timeoutSeconds: 30, memorySizeMb: 128, environment: {}, tracingMode: 'PassThrough', codeSha256: '', codeSize: zip.byteLength,
    codeKey: key, revisionId: crypto.randomUUID(), lastModified: new Date().toISOString(),
  });
  if (!created.ok) throw new Error(`bench function ${name} not created: ${created.error}`);
}

it('warm path: resolve, admit, run, release, record, as the caller waits for it', async () => {
  await deploy('bench-warm');
  const backlog: Promise<unknown>[] = [];
  const waitUntil = (p: Promise<unknown>) => void backlog.push(p);
  const warmPath = async (environment: Env) => {
    const resolved = await resolveFunction(environment, ACCOUNT, 'bench-warm');
    if (!resolved) throw new Error('bench function not found');
    const attempt = await invokeFunction(environment, waitUntil, { caller, record: resolved.record, requestId: crypto.randomUUID(), eventJson: EVENT_1KB });
    if (attempt.kind !== 'completed' || attempt.report.result.kind !== 'success') throw new Error(`bench invocation failed: ${JSON.stringify(attempt)}`);
  };
  const idle: Promise<unknown>[] = [];
  const pool = new EnvironmentPool({ budgetBytes: 256 << 20 });
  const sandboxSpec: EnvironmentSpec = {
    environmentKey: 'warm-path-baseline', files: { 'index.js': SOURCE }, handler: 'index.handler', runtime: 'nodejs22.x',
    memorySizeMb: 128, memoryLimitBytes: 64 << 20, timeoutMs: 30_000, environmentVariables: {},
    functionName: 'bench', functionVersion: '$LATEST', logGroupName: '/aws/lambda/bench', region: 'us-east-1',
  };
  const capabilities = { fetch: (r: Request) => fetch(r), maxFetchRequests: 0, maxFetchBodyBytes: 0 };
  const sandboxAlone = () => pool.invoke(sandboxSpec, { requestId: crypto.randomUUID(), eventJson: EVENT_1KB, invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:bench` }, capabilities);

  await warmPath(env); // cold start, not measured
  await sandboxAlone();
  await Promise.all(backlog.splice(0));

  const cached: number[] = [];
  const uncached: number[] = [];
  const whole: number[] = [];
  const sandbox: number[] = [];
  for (let i = 0; i < 30; i++) {
    // The caller's wait: the after-response writes drain between batches, as other requests would overlap them.
    cached.push(await time(() => warmPath(env), 20));
    await Promise.all(backlog.splice(0));
    uncached.push(await time(() => warmPath(uncachedEnv), 20));
    await Promise.all(backlog.splice(0));
    whole.push(await time(async () => {
      await warmPath(env);
      await drainWork(env, backlog, idle);
    }, 20));
    sandbox.push(await time(sandboxAlone, 20));
  }
  printTable('Warm path, caller latency: resolve + admit + run + release + record, recording on (30 batches of 20)', [
    ['isolate caches (function, slot), batched metrics', summarize(cached)],
    ['function read from the registry on every call', summarize(uncached)],
    ['whole work: after-response writes drained', summarize(whole)],
    ['warm sandbox alone (same echo, 1 KB)', summarize(sandbox)],
  ]);

  const limiter = env.CONCURRENCY.get(env.CONCURRENCY.idFromName(ACCOUNT));
  const slots: number[] = [];
  const roundTrips: number[] = [];
  const alone: number[] = [];
  for (let i = 0; i < 40; i++) {
    slots.push(await time(async () => {
      const admission = await admit(env, waitUntil, ACCOUNT, 'bench-admission', 60_000);
      if (admission.ok) finish(env, waitUntil, admission.value);
    }, 50));
    await Promise.all(backlog.splice(0));
    roundTrips.push(await time(async () => {
      const grant = await limiter.acquire('bench-rpc', 60_000);
      if (grant.ok) await limiter.release(grant.value.leaseId);
    }, 50));
    alone.push(await time(sandboxAlone, 50));
  }
  printTable('Admission per invocation: the isolate\'s slots beside the ConcurrencyLimiter\'s round trips (40 batches of 50)', [
    ['admit + finish (a slot kept in the isolate)', summarize(slots)],
    ['acquire + release (two Durable Object RPCs)', summarize(roundTrips)],
    ['warm sandbox invocation (echo, 1 KB)', summarize(alone)],
  ]);
  await Promise.all([...backlog.splice(0), ...idle]);
  pool.dispose();
});
