// The MetricsStore directly, with known values at known times: statistics, percentiles within
// the histogram's documented error, merging over periods and functions, rollup and retention.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { RELATIVE_ERROR } from '../../../src/metrics/histogram';
import { SCHEMA_TABLE } from '../../../src/objects/storage/schema';
import type { MetricSample } from '../../../src/records/metrics';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** A fixed minute, so the test does not depend on the clock. */
const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

const store = (name: string) => env.METRICS.get(env.METRICS.idFromName(`store-test/${name}`));
const durations = (functionName: string, values: number[]): MetricSample[] => values.map((value) => ({ functionName, metric: 'Duration', value }));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const query = (functionName: string | undefined, startMs: number, endMs: number, periodMs: number) =>
  ({ metric: 'Duration' as const, functionName, startMs, endMs, periodMs, percentiles: [50, 99] });

describe('MetricsStore statistics', () => {
  it('reads p50 and p99 of known durations within the documented relative error, and exact count/sum/min/max', async () => {
    const metrics = store('percentiles');
    await metrics.record(durations('f', range(1, 100)), T0 + 5_000);
    const [point] = await metrics.statistics(query('f', T0, T0 + MINUTE, MINUTE));
    expect(point).toMatchObject({ timestampMs: T0, count: 100, sum: 5050, min: 1, max: 100 });
    expect(Math.abs(point.percentiles[50] - 50) / 50).toBeLessThanOrEqual(RELATIVE_ERROR);
    expect(Math.abs(point.percentiles[99] - 99) / 99).toBeLessThanOrEqual(RELATIVE_ERROR);
  });

  it('returns a single sample exactly (percentiles are clamped to the exact min and max)', async () => {
    const metrics = store('single');
    await metrics.record(durations('f', [12.34]), T0);
    const [point] = await metrics.statistics(query('f', T0, T0 + MINUTE, MINUTE));
    expect(point.percentiles).toEqual({ 50: 12.34, 99: 12.34 });
  });

  it('merges minutes into a longer period and functions into the account level', async () => {
    const metrics = store('merge');
    await metrics.record(durations('f', range(1, 50)), T0);
    await metrics.record(durations('f', range(51, 100)), T0 + MINUTE);
    await metrics.record(durations('g', [1000]), T0 + MINUTE);
    const perMinute = await metrics.statistics(query('f', T0, T0 + 2 * MINUTE, MINUTE));
    expect(perMinute.map((p) => [p.timestampMs, p.count, p.min, p.max])).toEqual([[T0, 50, 1, 50], [T0 + MINUTE, 50, 51, 100]]);
    const [merged] = await metrics.statistics(query('f', T0, T0 + 2 * MINUTE, 2 * MINUTE));
    expect(merged).toMatchObject({ count: 100, sum: 5050, min: 1, max: 100 });
    expect(Math.abs(merged.percentiles[50] - 50) / 50).toBeLessThanOrEqual(RELATIVE_ERROR);
    expect(Math.abs(merged.percentiles[99] - 99) / 99).toBeLessThanOrEqual(RELATIVE_ERROR);
    const [account] = await metrics.statistics(query(undefined, T0, T0 + 2 * MINUTE, 2 * MINUTE));
    expect(account).toMatchObject({ count: 101, sum: 6050, min: 1, max: 1000 });
    expect(account.percentiles[99]).toBeCloseTo(100, -1);
  });

  it('keeps account-level concurrency apart from the per-function series', async () => {
    const metrics = store('account-level');
    await metrics.record([
      { functionName: 'f', metric: 'ConcurrentExecutions', value: 2 },
      { functionName: '', metric: 'ConcurrentExecutions', value: 7 },
      { functionName: '', metric: 'UnreservedConcurrentExecutions', value: 5 },
    ], T0);
    const read = (functionName: string | undefined, metric: 'ConcurrentExecutions' | 'UnreservedConcurrentExecutions') =>
      metrics.statistics({ metric, functionName, startMs: T0, endMs: T0 + MINUTE, periodMs: MINUTE, percentiles: [] });
    expect((await read('f', 'ConcurrentExecutions'))[0].max).toBe(2);
    expect((await read(undefined, 'ConcurrentExecutions'))[0].max).toBe(7);
    expect((await read(undefined, 'UnreservedConcurrentExecutions'))[0].max).toBe(5);
  });
});

describe('MetricsStore retention', () => {
  it('keeps 1-minute points for 15 days, then rolls them into 1-hour points with their histograms', async () => {
    const metrics = store('rollup');
    await metrics.record(durations('f', range(1, 50)), T0 + 10 * MINUTE);
    await metrics.record(durations('f', range(51, 100)), T0 + 20 * MINUTE);
    await metrics.record(durations('f', [7]), T0 + HOUR + MINUTE);
    expect(await metrics.rollUp(T0 + 14 * DAY)).toEqual({ minutesRolledUp: 0, hoursDeleted: 0 });
    expect(await metrics.statistics(query('f', T0, T0 + HOUR, MINUTE))).toHaveLength(2);

    // 15 days and a bit after the first hour: only that whole hour is rolled up.
    expect(await metrics.rollUp(T0 + 15 * DAY + HOUR + 30 * MINUTE)).toEqual({ minutesRolledUp: 2, hoursDeleted: 0 });
    const hourly = await metrics.statistics(query('f', T0, T0 + 2 * HOUR, HOUR));
    expect(hourly.map((p) => [p.timestampMs, p.count, p.sum, p.min, p.max])).toEqual([[T0, 100, 5050, 1, 100], [T0 + HOUR, 1, 7, 7, 7]]);
    expect(Math.abs(hourly[0].percentiles[50] - 50) / 50).toBeLessThanOrEqual(RELATIVE_ERROR);
    expect(Math.abs(hourly[0].percentiles[99] - 99) / 99).toBeLessThanOrEqual(RELATIVE_ERROR);
    // Rolling up again changes nothing.
    expect(await metrics.rollUp(T0 + 15 * DAY + HOUR + 30 * MINUTE)).toEqual({ minutesRolledUp: 0, hoursDeleted: 0 });
    expect((await metrics.statistics(query('f', T0, T0 + HOUR, HOUR)))[0].count).toBe(100);

    // After 455 days the hourly points go too; the Prometheus counters stay.
    expect(await metrics.rollUp(T0 + 456 * DAY + 2 * HOUR)).toEqual({ minutesRolledUp: 1, hoursDeleted: 2 });
    expect(await metrics.statistics(query('f', T0, T0 + 2 * HOUR, HOUR))).toEqual([]);
    expect(await metrics.total('f', 'Duration')).toBe(5057);
  });

  it('writes a batch of invocations once, however often it is retried, billing each invocation once', async () => {
    const metrics = store('batch');
    const entries = ['r1', 'r2', 'r3'].map((requestId) => ({
      samples: [{ functionName: 'f', metric: 'Invocations' as const, value: 1 }], atMs: T0,
      usage: { requestId, functionName: 'f', billedDurationMs: 10, memorySizeMb: 128 },
    }));
    expect(await metrics.recordBatch('b-1', entries)).toBe(true);
    // A retry of a write that had in fact been applied (its answer was lost).
    expect(await metrics.recordBatch('b-1', entries)).toBe(false);
    expect(await metrics.total('f', 'Invocations')).toBe(3);
    const { records } = await metrics.invocations({ functionName: 'f', afterId: 0, maxItems: 10 });
    expect(records.map((r) => r.RequestId).sort()).toEqual(['r1', 'r2', 'r3']);
    expect(await metrics.recordBatch('b-2', entries.slice(0, 1))).toBe(true);
    expect(await metrics.total('f', 'Invocations')).toBe(4);
  });

  it('sets its rollup alarm on the first write, and the alarm re-arms itself', async () => {
    const metrics = store('alarm');
    await metrics.record(durations('f', [1]), Date.now());
    const armed = await runInDurableObject(metrics, (_instance, state) => state.storage.getAlarm());
    expect(armed).toBeGreaterThan(Date.now());
    expect(await runDurableObjectAlarm(metrics)).toBe(true);
    expect(await runInDurableObject(metrics, (_instance, state) => state.storage.getAlarm())).toBeGreaterThan(Date.now());
    // The fresh minute survived the alarm's rollup.
    expect(await metrics.total('f', 'Duration')).toBe(1);
  });

  it('adopts the points of the first MetricsStore schema when it starts', async () => {
    const metrics = store('legacy');
    await runInDurableObject(metrics, (_instance, state) => {
      state.storage.sql.exec(`CREATE TABLE points (function_name TEXT NOT NULL, metric TEXT NOT NULL, minute INTEGER NOT NULL, count INTEGER NOT NULL,
        sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, PRIMARY KEY (function_name, metric, minute))`);
      state.storage.sql.exec("INSERT INTO points VALUES ('f', 'Invocations', ?, 4, 4, 1, 1), ('f', 'Invocations', ?, 2, 2, 1, 1)", T0, T0 + MINUTE);
      // Storage of that schema predates schema versions: migration 1 runs on it when the store starts.
      state.storage.sql.exec(`DROP TABLE ${SCHEMA_TABLE}`);
    });
    await evictDurableObject(metrics);
    expect(await metrics.total('f', 'Invocations')).toBe(6);
    const [point] = await metrics.statistics({ metric: 'Invocations', functionName: 'f', startMs: T0, endMs: T0 + 2 * MINUTE, periodMs: 2 * MINUTE, percentiles: [] });
    expect(point).toMatchObject({ count: 6, sum: 6 });
    expect(await runInDurableObject(metrics, (_instance, state) => state.storage.sql.exec("SELECT name FROM sqlite_master WHERE name = 'points'").toArray())).toEqual([]);
  });
});
