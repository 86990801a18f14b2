// Cold start inside workerd, every figure in one run beside its baseline: a new environment whose
// platform bootstrap runs on the invocation's path (the behaviour before spares), the same from a
// spare bootstrapped off the path, the parts of a bootstrap alone, a Dynamic Worker Loader worker
// running the same echo (cold: a new id; warm: the same id again), and a plain in-Worker function.
// Then the memory a burst of 50 cold invocations of 50 functions holds at its peak. Nothing is
// asserted about time.
import { it } from 'vitest';
import { env } from 'cloudflare:workers';
import { EnvironmentPool, type EnvironmentSpec } from '../sandbox';
// @ts-expect-error plain JS helper shared with the HTTP benchmark
import { summarize, printTable } from './stats.mjs';

const MIB = 1024 * 1024;
const ECHO_SOURCE = 'exports.handler = async (event) => ({ echoed: event, count: event.items.length });';
const LOADER_ECHO_SOURCE = `import { WorkerEntrypoint } from 'cloudflare:workers';
const handler = async (event) => ({ echoed: event, count: event.items.length });
export default class extends WorkerEntrypoint {
  async invoke(eventJson) { return JSON.stringify(await handler(JSON.parse(eventJson))); }
}`;
/** An echo whose module does some work at load: what SnapStart saves beyond the platform's own bootstrap. */
const HEAVY_INIT_SOURCE = `const table = new Map(); for (let i = 0; i < 3000; i++) table.set('k' + i, { i, s: String(i).repeat(4) });
const config = JSON.parse(JSON.stringify(Array.from(table.values())));
${ECHO_SOURCE}`;
const plainEcho = async (event: { items: unknown[] }) => ({ echoed: event, count: event.items.length });
const EVENT_1KB = JSON.stringify({ message: 'hello', items: Array.from({ length: 20 }, (_, i) => ({ i, name: `item-${i}` })) });
const capabilities = { fetch: (r: Request) => fetch(r), maxFetchRequests: 0, maxFetchBodyBytes: 0 };
const input = () => ({ requestId: crypto.randomUUID(), eventJson: EVENT_1KB, invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench' });

let counter = 0;
function spec(source = ECHO_SOURCE, key = `cold-${++counter}`, snapStart = false): EnvironmentSpec {
  return {
    ...(snapStart && { snapStart }),
    environmentKey: key, files: { 'index.js': source }, handler: 'index.handler', runtime: 'nodejs22.x',
    memorySizeMb: 128, memoryLimitBytes: 64 * MIB, timeoutMs: 30_000, environmentVariables: {},
    functionName: 'bench', functionVersion: '$LATEST', logGroupName: '/aws/lambda/bench', region: 'us-east-1',
  };
}

/** The Worker Loader binding (vitest.bench.config.ts `workerLoaders`), absent where it is not configured. */
interface WorkerLoader {
  get(id: string, code: () => Promise<{ compatibilityDate: string; mainModule: string; modules: Record<string, string> }>): {
    getEntrypoint(): { invoke(eventJson: string): Promise<string> };
  };
}
const loader = (env as unknown as { LOADER?: WorkerLoader }).LOADER;
const loaderCode = async () => ({ compatibilityDate: '2026-11-01', mainModule: 'index.js', modules: { 'index.js': LOADER_ECHO_SOURCE } });

/**
 * Milliseconds per call of `fn`, timed over `batch` calls: the Workers clock has 1 ms resolution
 * and advances only across I/O, so a single fast call reads 0 or 1 ms.
 */
async function time(fn: () => Promise<unknown>, batch = 1): Promise<number> {
  await scheduler.wait(0);
  const t = performance.now();
  for (let i = 0; i < batch; i++) await fn();
  await scheduler.wait(0);
  return (performance.now() - t) / batch;
}

const BATCH = 10;
const ROUNDS = 40;

it('cold start: bootstrap on the path, from a spare, the loader, beside a plain function', async () => {
  const before = new EnvironmentPool({ budgetBytes: 512 * MIB });
  const after = new EnvironmentPool({ budgetBytes: 512 * MIB, spareEnvironments: BATCH });
  // Every invocation of a SnapStart key is a cold start here: environments retire after each use (age 0).
  const snap = new EnvironmentPool({ budgetBytes: 512 * MIB, spareEnvironments: BATCH, maxEnvironmentAgeMs: 0 });
  const rows: Record<string, number[]> = {
    before: [], after: [], afterSingle: [], beforeSingle: [], restore: [], restoreSingle: [], heavyInit: [], heavyRestore: [], loaderCold: [], loaderWarm: [], plain: [],
  };
  await after.prepareSpares(64 * MIB);
  await snap.prepareSpares(64 * MIB);
  const echoKey = 'snap-echo';
  const heavyKey = 'snap-heavy';
  await snap.invoke(spec(ECHO_SOURCE, echoKey, true), input(), capabilities); // the snapshot, taken once
  await snap.invoke(spec(HEAVY_INIT_SOURCE, heavyKey, true), input(), capabilities);
  await snap.prepareSpares();
  for (let round = 0; round < ROUNDS; round++) {
    // Alternated round by round; each figure a batch of BATCH new functions.
    rows.before.push(await time(() => before.invoke(spec(), input(), capabilities), BATCH));
    await after.prepareSpares(); // off the measured path, as after a response (waitUntil)
    rows.after.push(await time(() => after.invoke(spec(), input(), capabilities), BATCH));
    await after.prepareSpares();
    rows.beforeSingle.push(await time(() => before.invoke(spec(), input(), capabilities)));
    rows.afterSingle.push(await time(() => after.invoke(spec(), input(), capabilities)));
    await after.prepareSpares();
    rows.restore.push(await time(() => snap.invoke(spec(ECHO_SOURCE, echoKey, true), input(), capabilities), BATCH));
    await snap.prepareSpares();
    rows.restoreSingle.push(await time(() => snap.invoke(spec(ECHO_SOURCE, echoKey, true), input(), capabilities)));
    await snap.prepareSpares();
    rows.heavyRestore.push(await time(() => snap.invoke(spec(HEAVY_INIT_SOURCE, heavyKey, true), input(), capabilities), BATCH));
    await snap.prepareSpares();
    rows.heavyInit.push(await time(() => after.invoke(spec(HEAVY_INIT_SOURCE), input(), capabilities), BATCH));
    await after.prepareSpares();
    if (loader) {
      const id = `loader-${round}-${crypto.randomUUID()}`;
      rows.loaderCold.push(await time(() => loader.get(id, loaderCode).getEntrypoint().invoke(EVENT_1KB)));
      rows.loaderWarm.push(await time(() => loader.get(id, loaderCode).getEntrypoint().invoke(EVENT_1KB), BATCH));
    }
    rows.plain.push(await time(async () => JSON.stringify(await plainEcho(JSON.parse(EVENT_1KB))), 1000));
  }
  const { snapshotBytes, snapshots } = snap.stats();
  before.dispose();
  after.dispose();
  snap.dispose();
  const plain = summarize(rows.plain);
  printTable(`Cold start: new environment + module load + first call (echo, 1 KB JSON; ${ROUNDS} batches of ${BATCH})`, [
    ['SnapStart: a spare restored from the snapshot', summarize(rows.restore)],
    ['from a spare (bootstrap off the path)', summarize(rows.after)],
    ['bootstrap on the path (before)', summarize(rows.before)],
    ['plain in-Worker function, same work', plain],
  ]);
  printTable(`Cold start, single samples (1 ms clock: p99 in whole ms), n=${ROUNDS}`, [
    ['SnapStart restore', summarize(rows.restoreSingle)],
    ['from a spare', summarize(rows.afterSingle)],
    ['bootstrap on the path (before)', summarize(rows.beforeSingle)],
    ['plain in-Worker function, same work', plain],
  ]);
  printTable(`Cold start of a module with work at load (3,000-entry table), ${ROUNDS} batches of ${BATCH}`, [
    ['SnapStart: a spare restored from the snapshot', summarize(rows.heavyRestore)],
    ['from a spare, init runs', summarize(rows.heavyInit)],
  ]);
  console.log(`SnapStart snapshots kept: ${snapshots}, ${(snapshotBytes / 1024).toFixed(0)} KiB together (echo and the 3,000-entry table)`);
  if (loader) {
    printTable('Anchor: the same echo in a Dynamic Worker Loader worker (RPC to its entrypoint)', [
      ['faasbox SnapStart restore', summarize(rows.restore)],
      ['faasbox cold start from a spare', summarize(rows.after)],
      ['faasbox cold start, bootstrap on the path', summarize(rows.before)],
      [`loader warm (same id again, batches of ${BATCH})`, summarize(rows.loaderWarm)],
      ['loader cold (new id, single samples)', summarize(rows.loaderCold)],
    ]);
  } else {
    console.log('\nAnchor skipped: no LOADER binding (vitest.bench.config.ts workerLoaders)');
  }
});

it('cold start parts: a WASM instance, the platform bootstrap, a spare assigned and run', async () => {
  const pool = new EnvironmentPool({ budgetBytes: 512 * MIB, spareEnvironments: BATCH });
  const bootstrap: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const spares = new EnvironmentPool({ budgetBytes: 512 * MIB, spareEnvironments: BATCH });
    bootstrap.push(await time(async () => {
      await spares.prepareSpares(64 * MIB);
    }) / BATCH);
    spares.dispose();
  }
  pool.dispose();
  const plain: number[] = [];
  for (let round = 0; round < ROUNDS; round++) plain.push(await time(async () => JSON.stringify(await plainEcho(JSON.parse(EVENT_1KB))), 1000));
  printTable(`Platform bootstrap alone (WASM instance + runtime + context + guest bootstrap), ${ROUNDS} batches of ${BATCH}`, [
    ['bootstrap of one spare', summarize(bootstrap)],
    ['plain in-Worker function (echo)', summarize(plain)],
  ]);
});

it('memory held: a burst of 50 concurrent cold invocations of 50 functions', async () => {
  for (const budgetMb of [512, 80]) {
    const pool = new EnvironmentPool({ budgetBytes: budgetMb * MIB, spareEnvironments: 1 });
    await pool.prepareSpares(64 * MIB);
    const started = performance.now();
    const reports = await Promise.all(Array.from({ length: 50 }, () => pool.invoke(spec(), input(), capabilities)));
    const elapsed = performance.now() - started;
    const { peak } = pool.stats();
    const ok = reports.filter((r) => r.result.kind === 'success').length;
    console.log(`\nBurst of 50 cold invocations, 50 functions, pool budget ${budgetMb} MiB (64 MiB caps): ${ok}/50 succeeded in ${elapsed.toFixed(0)} ms; ` +
      `peak WASM memory held ${(peak.totalMemoryBytes / MIB).toFixed(0)} MiB, peak charged ${(peak.reservedBytes / MIB).toFixed(0)} MiB, peak environments ${peak.environments}`);
    pool.dispose();
  }
});
