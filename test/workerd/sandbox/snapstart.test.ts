// SnapStart in the pool: the first cold start of a key snapshots its initialised environment, later
// cold starts of that key restore it, with their own random sources, clocks, log stream and
// cold-start variables; snapshots never cross keys.
import { describe, expect, it } from 'vitest';
import { EnvironmentPool } from '../../../sandbox';
import { capabilities, inputFor, payloadOf, specFor } from './support';

const MIB = 1024 * 1024;

/** Module state made by init, and what each invocation reads of its environment. */
const SOURCE = `
const initRandom = Math.random();
const initBytes = Array.from(crypto.getRandomValues(new Uint8Array(8)));
const loadedAtMs = Date.now();
globalThis.madeByInit = { answer: 42, list: Array.from({ length: 100 }, (_, i) => i * i) };
let invocations = 0;
exports.handler = async (event, context) => {
  if (event.waitMs) await new Promise((resolve) => setTimeout(resolve, event.waitMs));
  return {
    invocations: ++invocations, initRandom, initBytes, loadedAtMs, madeByInit,
    random: [Math.random(), Math.random()], bytes: Array.from(crypto.getRandomValues(new Uint8Array(8))),
    nowMs: Date.now(), stream: process.env.AWS_LAMBDA_LOG_STREAM_NAME, contextStream: context.logStreamName,
    credential: process.env.SESSION_CREDENTIAL,
  };
};`;

interface Seen {
  invocations: number; initRandom: number; initBytes: number[]; loadedAtMs: number; madeByInit: { answer: number; list: number[] };
  random: number[]; bytes: number[]; nowMs: number; stream: string; contextStream: string; credential: string;
}

function snapStartSpec(overrides = {}) {
  let sessions = 0;
  return specFor({ 'index.js': SOURCE }, { snapStart: true, coldStartVariables: async () => ({ SESSION_CREDENTIAL: `session-${++sessions}` }), ...overrides });
}

describe('SnapStart snapshots', () => {
  it('restores the initialised environment: module state from init, its own random sources, clock, log stream and credentials', async () => {
    const pool = new EnvironmentPool({ budgetBytes: 512 * MIB, spareEnvironments: 2 });
    const spec = snapStartSpec();
    const first = await pool.invoke(spec, inputFor({}), capabilities());
    expect(first.initDurationMs).toBeTypeOf('number');
    expect(first.restoreDurationMs).toBeUndefined();
    expect(pool.stats()).toMatchObject({ snapshots: 1 });
    expect(pool.stats().snapshotBytes).toBeGreaterThan(0);
    const original = payloadOf(first) as Seen;

    // Two more cold starts while the first environment is kept busy: both are new environments, from spares.
    await pool.prepareSpares(32 * MIB);
    const busyFirst = pool.invoke(spec, inputFor({ waitMs: 200 }), capabilities());
    const beforeMs = Date.now();
    const [b, c] = await Promise.all([pool.invoke(spec, inputFor({ waitMs: 50 }), capabilities()), pool.invoke(spec, inputFor({ waitMs: 50 }), capabilities())]);
    await busyFirst;
    for (const report of [b, c]) {
      expect(report.restoreDurationMs).toBeTypeOf('number');
      expect(report.initDurationMs).toBeUndefined();
    }
    const [restoredB, restoredC] = [payloadOf(b) as Seen, payloadOf(c) as Seen];
    for (const restored of [restoredB, restoredC]) {
      // Init did not run again: what it made is the snapshot's, and this environment's first invocation is 1.
      expect(restored.invocations).toBe(1);
      expect(restored.madeByInit).toEqual(original.madeByInit);
      expect(restored.initRandom).toBe(original.initRandom);
      expect(restored.initBytes).toEqual(original.initBytes);
      expect(restored.loadedAtMs).toBe(original.loadedAtMs);
      // The clock is current, not the snapshot's.
      expect(restored.nowMs).toBeGreaterThanOrEqual(beforeMs);
      // Random sources after the restore are this environment's own.
      expect(restored.random).not.toEqual(original.random);
      expect(restored.bytes).not.toEqual(original.bytes);
      expect(restored.credential).not.toBe(original.credential);
    }
    expect(restoredB.random).not.toEqual(restoredC.random);
    expect(restoredB.bytes).not.toEqual(restoredC.bytes);
    expect(restoredB.credential).not.toBe(restoredC.credential);
    expect(new Set([original.stream, restoredB.stream, restoredC.stream]).size).toBe(3);
    expect(restoredB.stream).toBe(b.logStreamName);
    expect(restoredB.contextStream).toBe(b.logStreamName);
    expect(restoredC.stream).toBe(c.logStreamName);
    for (const value of [...restoredB.random, ...restoredC.random]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }

    // A restored environment stays warm as any other.
    const warm = await pool.invoke(spec, inputFor({}), capabilities());
    expect(warm.initDurationMs).toBeUndefined();
    expect(warm.restoreDurationMs).toBeUndefined();
    expect((payloadOf(warm) as Seen).invocations).toBeGreaterThan(1);
    pool.dispose();
  });

  it('never shares a snapshot across keys, and takes none without snapStart', async () => {
    const pool = new EnvironmentPool({ budgetBytes: 512 * MIB, spareEnvironments: 1 });
    const one = snapStartSpec();
    await pool.invoke(one, inputFor({}), capabilities());
    // The same code under another key (another tenant, version or revision): init runs, its own snapshot.
    const other = await pool.invoke(snapStartSpec(), inputFor({}), capabilities());
    expect(other.initDurationMs).toBeTypeOf('number');
    expect(pool.stats().snapshots).toBe(2);
    const plain = specFor({ 'index.js': SOURCE });
    await pool.invoke(plain, inputFor({}), capabilities());
    expect(pool.stats().snapshots).toBe(2);
    pool.dispose();
  });

  it('a function whose init grew the memory is not snapshotted: its cold starts run init', async () => {
    const pool = new EnvironmentPool({ budgetBytes: 512 * MIB, spareEnvironments: 1 });
    const spec = snapStartSpec({ files: { 'index.js': 'globalThis.big = new Array(1.5e6).fill(7); exports.handler = async () => big.length;' }, memoryLimitBytes: 64 * MIB });
    const first = await pool.invoke(spec, inputFor({}), capabilities());
    expect(payloadOf(first)).toBe(1.5e6);
    expect(first.maxMemoryUsedBytes).toBeGreaterThan(16 * MIB);
    expect(pool.stats().snapshots).toBe(0);
    // Another cold start of it (the first one is busy): init again, no restore.
    await pool.prepareSpares(64 * MIB);
    const [, second] = await Promise.all([pool.invoke(spec, inputFor({}), capabilities()), pool.invoke(spec, inputFor({}), capabilities())]);
    expect(second.initDurationMs).toBeTypeOf('number');
    expect(second.restoreDurationMs).toBeUndefined();
    pool.dispose();
  });

  it('drops the least recently used snapshots past the snapshot budget', async () => {
    const probe = new EnvironmentPool({ budgetBytes: 512 * MIB });
    await probe.invoke(snapStartSpec(), inputFor({}), capabilities());
    const oneBytes = probe.stats().snapshotBytes;
    probe.dispose();
    const pool = new EnvironmentPool({ budgetBytes: 512 * MIB, snapshotBudgetBytes: Math.floor(oneBytes * 2.5) });
    for (let i = 0; i < 4; i++) await pool.invoke(snapStartSpec(), inputFor({}), capabilities());
    expect(pool.stats().snapshots).toBe(2);
    expect(pool.stats().snapshotBytes).toBeLessThanOrEqual(Math.floor(oneBytes * 2.5));
    pool.dispose();
  });
});
