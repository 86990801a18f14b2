// MetricsStore: one object per account, holding that account's metric series (src/metrics/series.ts)
// and billing usage (src/billing/usage-ledger.ts). The invocation path writes both after the
// response, several invocations of an isolate in ONE call (recordBatch); an hourly alarm rolls old minutes up into hours and expires data.
import { DurableObject } from 'cloudflare:workers';
import { MetricSeries, type CounterTotal, type Datapoint, type RecentSummary, type StatisticsQuery } from '../metrics/series';
import { UsageLedger, type UsageQuery, type UsageRecord } from '../billing/usage-ledger';
import { billingConfig, type BillingConfig } from '../billing/prices';
import { pricesShown, statementLine, type StatementLine } from '../billing/statement';
import type { InvocationUsage, MetricName, MetricSample, MetricsEntry } from '../records/metrics';
import type { Sql } from './storage/rows';
import { defineSchema, openStorage } from './storage/schema';

const ROLLUP_INTERVAL_MS = 3_600_000;

/** The tables of metrics/series.ts (points, histogram buckets, counters) and billing/usage-ledger.ts. */
const SCHEMA = defineSchema({
  version: 1,
  description: 'metric series, counters and billing usage (the schema before versioning)',
  up: (sql) => {
    sql.exec(`CREATE TABLE IF NOT EXISTS series_points (function_name TEXT NOT NULL, metric TEXT NOT NULL, period_s INTEGER NOT NULL,
      start_ms INTEGER NOT NULL, count INTEGER NOT NULL, sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL,
      PRIMARY KEY (function_name, metric, period_s, start_ms))`);
    sql.exec(`CREATE TABLE IF NOT EXISTS series_buckets (function_name TEXT NOT NULL, metric TEXT NOT NULL, period_s INTEGER NOT NULL,
      start_ms INTEGER NOT NULL, bucket INTEGER NOT NULL, count INTEGER NOT NULL,
      PRIMARY KEY (function_name, metric, period_s, start_ms, bucket))`);
    // By time, for the account-level queries (all functions), the Prometheus window and the rollup.
    sql.exec('CREATE INDEX IF NOT EXISTS series_points_by_time ON series_points (start_ms)');
    sql.exec('CREATE INDEX IF NOT EXISTS series_buckets_by_time ON series_buckets (start_ms)');
    sql.exec(`CREATE TABLE IF NOT EXISTS counters (function_name TEXT NOT NULL, metric TEXT NOT NULL, count INTEGER NOT NULL,
      sum REAL NOT NULL, PRIMARY KEY (function_name, metric))`);
    // Points of the first MetricsStore schema (a `points` table of minutes) move into series_points once.
    if (sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'points'").toArray().length > 0) {
      sql.exec('INSERT OR IGNORE INTO series_points SELECT function_name, metric, 60, minute, count, sum, min, max FROM points');
      sql.exec('INSERT OR IGNORE INTO counters SELECT function_name, metric, SUM(count), SUM(sum) FROM points GROUP BY function_name, metric');
      sql.exec('DROP TABLE points');
    }
    sql.exec(`CREATE TABLE IF NOT EXISTS usage_invocations (id INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL,
      function_name TEXT NOT NULL, month TEXT NOT NULL, at_ms INTEGER NOT NULL, billed_ms INTEGER NOT NULL, memory_mb INTEGER NOT NULL,
      mb_ms INTEGER NOT NULL, free_requests INTEGER NOT NULL, free_mb_ms INTEGER NOT NULL)`);
    sql.exec('CREATE INDEX IF NOT EXISTS usage_by_function ON usage_invocations (function_name, month, id)');
    sql.exec('CREATE INDEX IF NOT EXISTS usage_by_month ON usage_invocations (month, id)');
    sql.exec('CREATE INDEX IF NOT EXISTS usage_by_request ON usage_invocations (request_id)');
    sql.exec(`CREATE TABLE IF NOT EXISTS usage_months (month TEXT NOT NULL, function_name TEXT NOT NULL, requests INTEGER NOT NULL,
      mb_ms INTEGER NOT NULL, free_requests INTEGER NOT NULL, free_mb_ms INTEGER NOT NULL, PRIMARY KEY (month, function_name))`);
  },
}, {
  version: 2,
  description: 'batches of invocations written (recordBatch), so a retried batch is counted once',
  up: 'CREATE TABLE IF NOT EXISTS applied_batches (batch_id TEXT PRIMARY KEY, at_ms INTEGER NOT NULL)',
});

/** How long a written batch's id is kept against a retry of it: far longer than any retry waits. */
const BATCH_IDS_KEPT_MS = 3_600_000;


export interface Statement {
  Month: string;
  Prices: ReturnType<typeof pricesShown>;
  Account: StatementLine;
  Functions: (StatementLine & { FunctionName: string })[];
}

export class MetricsStore extends DurableObject<Env> {
  private readonly db: Sql;
  private readonly series: MetricSeries;
  private readonly ledger: UsageLedger;
  /** Parsed from env once per object; a malformed price fails the write, loudly, not silently. */
  private config: BillingConfig | undefined;
  /** Whether this instance has made sure the rollup alarm is set. Ephemeral: checked again after a restart. */
  private alarmEnsured = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = openStorage(ctx, SCHEMA);
    this.series = new MetricSeries(this.db.sql);
    this.ledger = new UsageLedger(this.db.sql);
  }

  /**
   * Adds metric samples observed at `atMs` and, for a completed invocation, its usage record.
   * The one write per invocation (src/invoke/invoke-function.ts recordMetrics).
   */
  async record(samples: MetricSample[], atMs: number, usage?: InvocationUsage): Promise<void> {
    this.series.record(samples, atMs);
    if (usage) this.ledger.record(usage, atMs, this.billing());
    await this.ensureAlarm();
  }

  /**
   * Adds a batch of entries, several invocations' (src/invoke/metrics-batch.ts), in one
   * transaction. `batchId` makes it idempotent: a batch retried after a failure that had in fact
   * been written is not counted twice (ids are kept an hour). Answers whether it was written now.
   */
  async recordBatch(batchId: string, entries: MetricsEntry[]): Promise<boolean> {
    const written = this.ctx.storage.transactionSync(() => {
      if (this.db.one('SELECT 1 AS seen FROM applied_batches WHERE batch_id = ?', batchId)) return false;
      for (const { samples, atMs, usage } of entries) {
        this.series.record(samples, atMs);
        if (usage) this.ledger.record(usage, atMs, this.billing());
      }
      this.db.run('INSERT INTO applied_batches VALUES (?, ?)', batchId, Date.now());
      return true;
    });
    await this.ensureAlarm();
    return written;
  }

  private async ensureAlarm(): Promise<void> {
    if (!this.alarmEnsured) {
      this.alarmEnsured = true;
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + ROLLUP_INTERVAL_MS);
    }
  }

  statistics(query: StatisticsQuery): Datapoint[] {
    return this.series.statistics(query);
  }

  /** Several queries in one call (CloudWatch's GetMetricData), answers in the same order. */
  statisticsOf(queries: StatisticsQuery[]): Datapoint[][] {
    return queries.map((query) => this.series.statistics(query));
  }

  /** Functions and metrics with data since `sinceMs` (CloudWatch's ListMetrics). */
  seriesSince(sinceMs: number): { functionName: string; metric: MetricName }[] {
    return this.series.seriesSince(sinceMs);
  }

  /** Monotonic counters and the recent window's summaries, for the Prometheus exposition. */
  scrape(recentSinceMs: number): { counters: CounterTotal[]; recent: RecentSummary[] } {
    return { counters: this.series.counters(), recent: this.series.recent(recentSinceMs) };
  }

  /** Sum of a metric's samples over all time (tests). */
  total(functionName: string, metric: MetricName): number {
    return this.series.counters().find((c) => c.functionName === functionName && c.metric === metric)?.sum ?? 0;
  }

  /** The month's statement: the account's totals and each function's (or only `functionName`'s). */
  statement(month: string, functionName?: string): Statement {
    const config = this.billing();
    const totals = this.ledger.totals(month);
    const zero = { requests: 0n, mbMs: 0n, freeRequests: 0n, freeMbMs: 0n };
    const account = totals.find((t) => t.functionName === '') ?? zero;
    const functions = functionName === undefined
      ? totals.filter((t) => t.functionName !== '')
      : [totals.find((t) => t.functionName === functionName) ?? { ...zero, functionName }];
    return {
      Month: month,
      Prices: pricesShown(this.env, config),
      Account: statementLine(account, config),
      Functions: functions.map((t) => ({ FunctionName: t.functionName, ...statementLine(t, config) })),
    };
  }

  invocations(query: UsageQuery): { records: UsageRecord[]; nextMarker?: number } {
    return this.ledger.invocations(query, this.billing());
  }

  /** Rolls minutes older than 15 days into hours and expires old data; `nowMs` is a parameter for tests. */
  rollUp(nowMs: number): { minutesRolledUp: number; hoursDeleted: number } {
    this.ledger.expire(nowMs);
    this.db.run('DELETE FROM applied_batches WHERE at_ms < ?', nowMs - BATCH_IDS_KEPT_MS);
    return this.series.rollUp(nowMs);
  }

  /** Removes every metric point, counter and usage record of the account (account deletion), and the rollup alarm. */
  async deleteAll(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    this.alarmEnsured = false;
    for (const table of ['series_points', 'series_buckets', 'counters', 'usage_invocations', 'usage_months', 'applied_batches']) this.db.run(`DELETE FROM ${table}`);
  }

  override async alarm(): Promise<void> {
    this.rollUp(Date.now());
    await this.ctx.storage.setAlarm(Date.now() + ROLLUP_INTERVAL_MS);
  }

  private billing(): BillingConfig {
    this.config ??= billingConfig(this.env);
    return this.config;
  }
}
