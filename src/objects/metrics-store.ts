// MetricsStore: one object per account, holding that account's metric series (src/metrics/series.ts)
// and billing usage (src/billing/usage-ledger.ts). The invocation path writes both in ONE call per
// invocation, after the response; an hourly alarm rolls old minutes up into hours and expires data.
import { DurableObject } from 'cloudflare:workers';
import { MetricSeries, type CounterTotal, type Datapoint, type MetricSample, type RecentSummary, type StatisticsQuery } from '../metrics/series';
import type { MetricName } from '../metrics/catalog';
import { UsageLedger, type InvocationUsage, type UsageQuery, type UsageRecord } from '../billing/usage-ledger';
import { billingConfig, type BillingConfig } from '../billing/prices';
import { pricesShown, statementLine, type StatementLine } from '../billing/statement';

export type { MetricName } from '../metrics/catalog';
export type { MetricSample } from '../metrics/series';
export type { InvocationUsage } from '../billing/usage-ledger';

const ROLLUP_INTERVAL_MS = 3_600_000;

export interface Statement {
  Month: string;
  Prices: ReturnType<typeof pricesShown>;
  Account: StatementLine;
  Functions: (StatementLine & { FunctionName: string })[];
}

export class MetricsStore extends DurableObject<Env> {
  private readonly series: MetricSeries;
  private readonly ledger: UsageLedger;
  /** Parsed from env once per object; a malformed price fails the write, loudly, not silently. */
  private config: BillingConfig | undefined;
  /** Whether this instance has made sure the rollup alarm is set. Ephemeral: checked again after a restart. */
  private alarmEnsured = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.series = new MetricSeries(ctx.storage.sql);
    this.ledger = new UsageLedger(ctx.storage.sql);
  }

  /**
   * Adds metric samples observed at `atMs` and, for a completed invocation, its usage record.
   * The one write per invocation (src/invoke/invoke-function.ts recordMetrics).
   */
  async record(samples: MetricSample[], atMs: number, usage?: InvocationUsage): Promise<void> {
    this.series.record(samples, atMs);
    if (usage) this.ledger.record(usage, atMs, this.billing());
    if (!this.alarmEnsured) {
      this.alarmEnsured = true;
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + ROLLUP_INTERVAL_MS);
    }
  }

  statistics(query: StatisticsQuery): Datapoint[] {
    return this.series.statistics(query);
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
    return this.series.rollUp(nowMs);
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
