// What recording costs a warm invocation: the shared invocation path (admission, sandbox, lease
// release) with its log lines, metrics, billing usage and trace written, beside the same path
// with recording off, interleaved in one run. Two figures: the caller's latency (recording runs
// after the answer, through waitUntil) and the whole work per invocation (the waitUntil'd writes
// drained before the next call).
import { it } from 'vitest';
import { env } from 'cloudflare:workers';
import { zipSync, strToU8 } from 'fflate';
import { invokeFunction } from '../src/invoke/invoke-function';
import type { FunctionRecord } from '../src/records/function';
import { codeKey } from '../src/code/bundle';
import { drainWork, time } from './timing';
// @ts-expect-error plain JS helper shared with the HTTP benchmark
import { summarize, printTable } from './stats.mjs';

const ACCOUNT = '210987654321';
const caller = { accountId: ACCOUNT, region: 'us-east-1' };
const SOURCE = 'exports.handler = async (event) => { console.log("order", event.items.length); return { count: event.items.length }; };';
const EVENT_1KB = JSON.stringify({ message: 'hello', items: Array.from({ length: 20 }, (_, i) => ({ i, name: `item-${i}` })) });

async function deployDirectly(name: string, tracingMode: FunctionRecord['tracingMode']): Promise<FunctionRecord> {
  const zip = zipSync({ 'index.js': strToU8(SOURCE) });
  const key = codeKey(ACCOUNT, name, name.padEnd(64, '0'));
  await env.CODE.put(key, zip);
  return {
    name, runtime: 'nodejs22.x', handler: 'index.handler', role: 'arn:aws:iam::210987654321:role/bench', description: '',
    timeoutSeconds: 30, memorySizeMb: 128, environment: {}, tracingMode, codeSha256: '', codeSize: zip.byteLength,
    codeKey: key, revisionId: crypto.randomUUID(), lastModified: new Date().toISOString(),
  };
}

it('recording overhead on a warm invocation, against the same path with recording off', async () => {
  const plain = await deployDirectly('bench-plain', 'PassThrough');
  const traced = await deployDirectly('bench-traced', 'Active');
  const backlog: Promise<unknown>[] = [];

  /** One invocation, which must succeed (a failed cold start is not what this measures); its waitUntil'd work goes to `sink`. */
  const invoke = async (record: FunctionRecord, recording: boolean, sink: Promise<unknown>[]) => {
    const attempt = await invokeFunction(env, (p) => sink.push(p), { caller, record, requestId: crypto.randomUUID(), eventJson: EVENT_1KB, recording });
    if (attempt.kind !== 'completed' || attempt.report.result.kind !== 'success') throw new Error(`bench invocation failed: ${JSON.stringify(attempt)}`);
  };
  /** Slots' idle waits (admission.ts): time, not work; left to run and awaited at the end. */
  const idle: Promise<unknown>[] = [];
  /** One invocation with its after-response work drained (the metrics batch written now): the whole cost. */
  const whole = async (record: FunctionRecord, recording: boolean) => {
    const pending: Promise<unknown>[] = [];
    await invoke(record, recording, pending);
    await drainWork(env, pending, idle);
  };

  for (const record of [plain, traced]) await whole(record, true); // cold starts, not measured

  const latencyOn: number[] = [];
  const latencyOff: number[] = [];
  const wholeOn: number[] = [];
  const wholeTraced: number[] = [];
  const wholeOff: number[] = [];
  for (let i = 0; i < 30; i++) {
    // Latency: the caller's wait; the writes drain between batches, as other requests would overlap them.
    latencyOn.push(await time(() => invoke(plain, true, backlog), 20));
    await Promise.all(backlog.splice(0));
    latencyOff.push(await time(() => invoke(plain, false, backlog), 20));
    await Promise.all(backlog.splice(0));
    wholeOn.push(await time(() => whole(plain, true), 20));
    wholeTraced.push(await time(() => whole(traced, true), 20));
    wholeOff.push(await time(() => whole(plain, false), 20));
  }
  // Where the whole-work difference goes: each after-response write alone, as the path makes it.
  const logs = env.LOGS.get(env.LOGS.idFromName(ACCOUNT));
  const metrics = env.METRICS.get(env.METRICS.idFromName(ACCOUNT));
  const lines = [
    { timestamp: Date.now(), message: 'START RequestId: x Version: $LATEST', platform: true },
    { timestamp: Date.now(), message: `${new Date().toISOString()}\tx\tINFO\torder 20` },
    { timestamp: Date.now(), message: 'END RequestId: x', platform: true },
    { timestamp: Date.now(), message: 'REPORT RequestId: x\tDuration: 0.31 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 17 MB\t', platform: true },
  ];
  const samples = (['Invocations', 'Errors', 'ColdStarts', 'Duration', 'ConcurrentExecutions'] as const).map((metric) => ({ functionName: 'bench-plain', metric, value: 1 }));
  const accountSamples = (['ConcurrentExecutions', 'UnreservedConcurrentExecutions'] as const).map((metric) => ({ functionName: '', metric, value: 1 }));
  const logWrite: number[] = [];
  const metricsWrite: number[] = [];
  for (let i = 0; i < 30; i++) {
    logWrite.push(await time(() => logs.append('/aws/lambda/bench-plain', '2026/11/27/[$LATEST]bench', lines), 20));
    metricsWrite.push(await time(() => metrics.record([...samples, ...accountSamples], Date.now(), { requestId: crypto.randomUUID(), functionName: 'bench-plain', billedDurationMs: 1, memorySizeMb: 128 }), 20));
  }
  printTable('Recording, each write alone (one Durable Object RPC each; 30 batches of 20)', [
    ['LogStore.append (START, 1 line, END, REPORT)', summarize(logWrite)],
    ['MetricsStore.record (7 samples + billing usage)', summarize(metricsWrite)],
  ]);

  printTable('Recording, caller latency: warm invocation incl. admission (30 batches of 20)', [
    ['recording on (logs, metrics, billing)', summarize(latencyOn)],
    ['recording off', summarize(latencyOff)],
  ]);
  printTable('Recording, whole work per invocation: after-response writes drained (30 batches of 20)', [
    ['recording on, TracingConfig Active (+ trace)', summarize(wholeTraced)],
    ['recording on (logs, metrics, billing)', summarize(wholeOn)],
    ['recording off', summarize(wholeOff)],
  ]);
  await Promise.all([...backlog.splice(0), ...idle]);
});
