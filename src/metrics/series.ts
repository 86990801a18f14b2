// The SQLite tables of one account's metric series, used only inside its MetricsStore: points
// (count, sum, min, max) at 1-minute and, past MINUTE_RETENTION_MS, 1-hour resolution; histogram
// buckets beside them for metrics with percentiles; and monotonic counters for Prometheus.
import { bucketOf, percentile } from './histogram';
import { ACCOUNT_LEVEL, ACCOUNT_LEVEL_METRICS, METRICS, type MetricName } from '../records/metric-catalog';
import type { MetricSample } from '../records/metrics';

export type { MetricSample } from '../records/metrics';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** 1-minute points are kept this long, then rolled up into 1-hour points (CloudWatch: 15 days). */
export const MINUTE_RETENTION_MS = 15 * DAY_MS;
/** 1-hour points are kept this long (CloudWatch: 455 days). */
export const HOUR_RETENTION_MS = 455 * DAY_MS;
/** Durable Object SQLite binds at most 100 values per statement. */
const MAX_BOUND_VALUES = 100;

export interface StatisticsQuery {
  metric: MetricName;
  /** Absent: the account level (the account's own series, or the sum over its functions). */
  functionName?: string;
  /** [startMs, endMs), in datapoints of periodMs aligned to startMs. */
  startMs: number;
  endMs: number;
  periodMs: number;
  /** Percentiles to compute, e.g. [50, 99]. */
  percentiles: number[];
}

export interface Datapoint {
  timestampMs: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** By percentile (50 -> p50); absent when the metric keeps no histogram. */
  percentiles: Record<number, number>;
}

export interface CounterTotal {
  functionName: string;
  metric: MetricName;
  count: number;
  sum: number;
}

export interface RecentSummary {
  functionName: string;
  metric: MetricName;
  count: number;
  max: number;
  p50?: number;
  p99?: number;
}

type PointRow = { start_ms: number; count: number; sum: number; min: number; max: number };
type BucketRow = { start_ms: number; bucket: number; count: number };

export class MetricSeries {
  /** `sql` is the MetricsStore's, whose schema (objects/metrics-store.ts) makes these tables. */
  constructor(private readonly sql: SqlStorage) {}

  /**
   * Adds samples observed at `atMs` to their minute's point, histogram and counters: multi-row
   * upserts, one per table for an invocation's samples (this runs once per invocation).
   */
  record(samples: MetricSample[], atMs: number): void {
    const minute = Math.floor(atMs / MINUTE_MS) * MINUTE_MS;
    this.upsertRows('INSERT INTO series_points VALUES', `ON CONFLICT DO UPDATE SET count = count + excluded.count, sum = sum + excluded.sum,
      min = MIN(min, excluded.min), max = MAX(max, excluded.max)`, samples.map((s) => [s.functionName, s.metric, 60, minute, 1, s.value, s.value, s.value]));
    this.upsertRows('INSERT INTO series_buckets VALUES', 'ON CONFLICT DO UPDATE SET count = count + excluded.count',
      samples.filter((s) => METRICS[s.metric].histogram).map((s) => [s.functionName, s.metric, 60, minute, bucketOf(s.value), 1]));
    this.upsertRows('INSERT INTO counters VALUES', 'ON CONFLICT DO UPDATE SET count = count + excluded.count, sum = sum + excluded.sum',
      samples.map((s) => [s.functionName, s.metric, 1, s.value]));
  }

  /** `insert (row), (row)... onConflict`, in as few statements as Durable Object SQLite's 100 bound values allow. */
  private upsertRows(insert: string, onConflict: string, rows: SqlStorageValue[][]): void {
    if (rows.length === 0) return;
    const perStatement = Math.floor(MAX_BOUND_VALUES / rows[0].length);
    const placeholders = `(${rows[0].map(() => '?').join(', ')})`;
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      this.sql.exec(`${insert} ${chunk.map(() => placeholders).join(', ')} ${onConflict}`, ...chunk.flat());
    }
  }

  /** Non-empty datapoints of the query, in time order (1-minute and rolled-up 1-hour points alike). */
  statistics(query: StatisticsQuery): Datapoint[] {
    const [scope, ...scopeArgs] = this.scope(query);
    const args = [query.metric, query.startMs, query.endMs, ...scopeArgs];
    const datapoints = new Map<number, Datapoint>();
    const slot = (startMs: number) => query.startMs + Math.floor((startMs - query.startMs) / query.periodMs) * query.periodMs;
    const points = this.sql.exec<PointRow>(
      `SELECT start_ms, SUM(count) AS count, SUM(sum) AS sum, MIN(min) AS min, MAX(max) AS max FROM series_points
       WHERE metric = ? AND start_ms >= ? AND start_ms < ? AND ${scope} GROUP BY start_ms`, ...args);
    for (const p of points) {
      const at = slot(p.start_ms);
      const d = datapoints.get(at);
      if (!d) datapoints.set(at, { timestampMs: at, count: p.count, sum: p.sum, min: p.min, max: p.max, percentiles: {} });
      else Object.assign(d, { count: d.count + p.count, sum: d.sum + p.sum, min: Math.min(d.min, p.min), max: Math.max(d.max, p.max) });
    }
    if (METRICS[query.metric].histogram && query.percentiles.length > 0) {
      const buckets = new Map<number, BucketRow[]>();
      for (const b of this.sql.exec<BucketRow>(
        `SELECT start_ms, bucket, SUM(count) AS count FROM series_buckets
         WHERE metric = ? AND start_ms >= ? AND start_ms < ? AND ${scope} GROUP BY start_ms, bucket`, ...args)) {
        const at = slot(b.start_ms);
        buckets.set(at, [...(buckets.get(at) ?? []), b]);
      }
      for (const d of datapoints.values()) {
        for (const p of query.percentiles) d.percentiles[p] = percentile(buckets.get(d.timestampMs) ?? [], p, d.min, d.max) ?? d.max;
      }
    }
    return [...datapoints.values()].sort((a, b) => a.timestampMs - b.timestampMs);
  }

  /** Each function (ACCOUNT_LEVEL for the account's own) and metric with a point starting at or after `sinceMs` (CloudWatch's ListMetrics). */
  seriesSince(sinceMs: number): { functionName: string; metric: MetricName }[] {
    return this.sql
      .exec<{ function_name: string; metric: MetricName }>(
        'SELECT DISTINCT function_name, metric FROM series_points WHERE start_ms >= ? ORDER BY metric, function_name', sinceMs)
      .toArray()
      .map((r) => ({ functionName: r.function_name, metric: r.metric }));
  }

  /** Every counter of the account since its first sample (monotonic: rollups and retention never lower them). */
  counters(): CounterTotal[] {
    return this.sql
      .exec<{ function_name: string; metric: MetricName; count: number; sum: number }>('SELECT * FROM counters ORDER BY function_name, metric')
      .toArray()
      .map((r) => ({ functionName: r.function_name, metric: r.metric, count: r.count, sum: r.sum }));
  }

  /** Per function and metric: count, maximum and (with a histogram) p50/p99 of minutes starting at or after `sinceMs`. */
  recent(sinceMs: number): RecentSummary[] {
    const rows = this.sql.exec<{ function_name: string; metric: MetricName; count: number; min: number; max: number }>(
      `SELECT function_name, metric, SUM(count) AS count, MIN(min) AS min, MAX(max) AS max FROM series_points
       WHERE period_s = 60 AND start_ms >= ? GROUP BY function_name, metric ORDER BY function_name, metric`, sinceMs).toArray();
    return rows.map((r) => {
      const summary: RecentSummary = { functionName: r.function_name, metric: r.metric, count: r.count, max: r.max };
      if (METRICS[r.metric].histogram) {
        const buckets = this.sql.exec<BucketRow>(
          'SELECT start_ms, bucket, count FROM series_buckets WHERE function_name = ? AND metric = ? AND period_s = 60 AND start_ms >= ?',
          r.function_name, r.metric, sinceMs).toArray();
        summary.p50 = percentile(buckets, 50, r.min, r.max);
        summary.p99 = percentile(buckets, 99, r.min, r.max);
      }
      return summary;
    });
  }

  /**
   * Rolls 1-minute points of whole hours older than MINUTE_RETENTION_MS into 1-hour points (and
   * their histograms), and deletes 1-hour points older than HOUR_RETENTION_MS. Idempotent.
   */
  rollUp(nowMs: number): { minutesRolledUp: number; hoursDeleted: number } {
    const cutoff = Math.floor((nowMs - MINUTE_RETENTION_MS) / HOUR_MS) * HOUR_MS;
    this.sql.exec(
      `INSERT INTO series_points SELECT function_name, metric, 3600, (start_ms / ${HOUR_MS}) * ${HOUR_MS} AS hour,
         SUM(count), SUM(sum), MIN(min), MAX(max) FROM series_points WHERE period_s = 60 AND start_ms < ? GROUP BY function_name, metric, hour
       ON CONFLICT DO UPDATE SET count = count + excluded.count, sum = sum + excluded.sum, min = MIN(min, excluded.min), max = MAX(max, excluded.max)`,
      cutoff,
    );
    this.sql.exec(
      `INSERT INTO series_buckets SELECT function_name, metric, 3600, (start_ms / ${HOUR_MS}) * ${HOUR_MS} AS hour, bucket, SUM(count)
         FROM series_buckets WHERE period_s = 60 AND start_ms < ? GROUP BY function_name, metric, hour, bucket
       ON CONFLICT DO UPDATE SET count = count + excluded.count`,
      cutoff,
    );
    const minutesRolledUp = this.deleteBefore(60, cutoff);
    const hoursDeleted = this.deleteBefore(3600, nowMs - HOUR_RETENTION_MS);
    return { minutesRolledUp, hoursDeleted };
  }

  /** Deletes points (and their buckets) of one resolution starting before `beforeMs`; returns how many points. */
  private deleteBefore(periodS: 60 | 3600, beforeMs: number): number {
    const count = this.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM series_points WHERE period_s = ? AND start_ms < ?', periodS, beforeMs).one().n;
    this.sql.exec('DELETE FROM series_points WHERE period_s = ? AND start_ms < ?', periodS, beforeMs);
    this.sql.exec('DELETE FROM series_buckets WHERE period_s = ? AND start_ms < ?', periodS, beforeMs);
    return count;
  }

  /** The WHERE clause choosing the query's series: one function, the account's own, or all functions. */
  private scope(query: StatisticsQuery): [string, ...string[]] {
    if (query.functionName !== undefined) return ['function_name = ?', query.functionName];
    if (ACCOUNT_LEVEL_METRICS.has(query.metric)) return ['function_name = ?', ACCOUNT_LEVEL];
    return ['function_name != ?', ACCOUNT_LEVEL];
  }
}
