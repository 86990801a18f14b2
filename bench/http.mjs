// HTTP benchmark: faasbox Invoke (SigV4-signed, through wrangler dev) against a bare Worker route
// returning the same JSON, alternated request by request in one run. Prints medians, p99s and
// the ratio. Usage: node bench/http.mjs [requests]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaClient, CreateFunctionCommand, InvokeCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { zipSync, strToU8 } from 'fflate';
import { summarize, printTable } from './stats.mjs';
import { startWrangler, stopWrangler as stop } from '../scripts/wrangler-dev.mjs';

const REQUESTS = Number(process.argv[2] ?? 400);
const WARMUP = 30;

const state = mkdtempSync(join(tmpdir(), 'faasbox-bench-'));
const credentials = { accessKeyId: 'AKIABENCH00000000000', secretAccessKey: 'bench-secret' };
const faasbox = await startWrangler(['--persist-to', state, '--var', `FAASBOX_ACCESS_KEY_ID:${credentials.accessKeyId}`, '--var', `FAASBOX_SECRET_ACCESS_KEY:${credentials.secretAccessKey}`], 8797);
const bare = await startWrangler(['--config', 'bench/bare-worker/wrangler.toml'], 8798);
try {
  const lambda = new LambdaClient({ endpoint: 'http://127.0.0.1:8797', region: 'us-east-1', credentials, maxAttempts: 1 });
  const zip = zipSync({ 'index.js': strToU8('exports.handler = async (event) => ({ echoed: event });') });
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'echo', Runtime: 'nodejs22.x', Role: 'arn:aws:iam::123456789012:role/bench', Handler: 'index.handler', Code: { ZipFile: zip } }));
  const payload = JSON.stringify({ message: 'hello', items: Array.from({ length: 20 }, (_, i) => ({ i, name: `item-${i}` })) });
  const invoke = async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: strToU8(payload) }));
    if (out.FunctionError) throw new Error('function error');
  };
  const plain = async () => {
    const res = await fetch('http://127.0.0.1:8798/', { method: 'POST', body: payload });
    await res.arrayBuffer();
  };
  for (let i = 0; i < WARMUP; i++) { await invoke(); await plain(); }
  const invokeMs = [];
  const plainMs = [];
  for (let i = 0; i < REQUESTS; i++) {
    let t = performance.now();
    await invoke();
    invokeMs.push(performance.now() - t);
    t = performance.now();
    await plain();
    plainMs.push(performance.now() - t);
  }
  printTable('HTTP round trip (sequential, 1 KB JSON, wrangler dev on 127.0.0.1)', [
    ['faasbox Invoke (SigV4 + lookup + sandbox)', summarize(invokeMs)],
    ['bare Worker route, same JSON', summarize(plainMs)],
  ]);

  // Throughput with 8 callers at once: a hot function whose every call is throttled (reserved
  // concurrency 0), beside the plain invoke path of the echo function.
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'hot', Runtime: 'nodejs22.x', Role: 'arn:aws:iam::123456789012:role/bench', Handler: 'index.handler', Code: { ZipFile: zip } }));
  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'hot', ReservedConcurrentExecutions: 0 }));
  const throughput = async (call, seconds = 5, callers = 8) => {
    let done = 0;
    const end = performance.now() + seconds * 1000;
    await Promise.all(Array.from({ length: callers }, async () => {
      while (performance.now() < end) { await call(); done++; }
    }));
    return done / seconds;
  };
  const throttled = async () => {
    try {
      await lambda.send(new InvokeCommand({ FunctionName: 'hot', Payload: strToU8(payload) }));
      throw new Error('expected a throttle');
    } catch (error) {
      if (error.name !== 'TooManyRequestsException') throw error;
    }
  };
  const hotRate = await throughput(throttled);
  const plainRate = await throughput(invoke);
  console.log('\nThroughput, 8 concurrent callers for 5 s each (wrangler dev on 127.0.0.1)');
  console.log(`  throttled hot function (reserved 0, all 429)     ${hotRate.toFixed(0).padStart(6)} req/s  ratio ${(hotRate / plainRate).toFixed(2)}x`);
  console.log(`  plain invoke path (echo, admitted and run)        ${plainRate.toFixed(0).padStart(6)} req/s  (baseline)`);
  lambda.destroy();
} finally {
  await stop(faasbox);
  await stop(bare);
  rmSync(state, { recursive: true, force: true });
}
