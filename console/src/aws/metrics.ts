// faasbox's metrics and billing APIs as the Monitor tab, the designer and the Billing page read
// them: GET /api/metrics/statistics (docs/METRICS.md), GET /api/billing/statement and
// /api/billing/invocations (docs/BILLING.md). Every call is signed by restJson.
import { signal } from '@preact/signals';
import { restJson } from './client';

/** The metric names faasbox records (src/records/metric-catalog.ts). */
export type MetricName =
  | 'Invocations' | 'Errors' | 'Throttles' | 'Duration' | 'ColdStarts' | 'InitDuration'
  | 'ConcurrentExecutions' | 'DeadLetterErrors' | 'DestinationDeliveryFailures'
  | 'AsyncEventsReceived' | 'AsyncEventsDropped' | 'AsyncEventAge';

/** Standard statistics, or a percentile such as p50 (Duration, InitDuration, AsyncEventAge only). */
export type Statistic = 'SampleCount' | 'Sum' | 'Average' | 'Minimum' | 'Maximum' | `p${number}`;

export interface MetricQuery {
  metric: MetricName;
  functionName?: string;
  startMs: number;
  endMs: number;
  periodSeconds: number;
  statistics: Statistic[];
}

/** One period with data: its start (epoch ms) and the statistics asked for, percentiles included. */
export interface MetricPoint {
  timestampMs: number;
  values: Partial<Record<Statistic, number>>;
}

interface StatisticsAnswer {
  Datapoints: ({ Timestamp: string; ExtendedStatistics?: Record<string, number> } & Record<string, unknown>)[];
}

/** GetMetricStatistics-shaped query; periods without data are absent, as in CloudWatch. */
export async function metricStatistics(query: MetricQuery): Promise<MetricPoint[]> {
  const params = new URLSearchParams({
    MetricName: query.metric,
    StartTime: String(Math.floor(query.startMs / 1000)),
    EndTime: String(Math.ceil(query.endMs / 1000)),
    Period: String(query.periodSeconds),
    Statistics: query.statistics.join(','),
  });
  if (query.functionName !== undefined) params.set('FunctionName', query.functionName);
  const answer = await restJson<StatisticsAnswer>('GET', `/api/metrics/statistics?${params}`);
  return answer.Datapoints.map((d) => {
    const values: MetricPoint['values'] = {};
    for (const statistic of query.statistics) {
      const value = statistic.startsWith('p') ? d.ExtendedStatistics?.[statistic] : d[statistic];
      if (typeof value === 'number') values[statistic] = value;
    }
    return { timestampMs: Date.parse(d.Timestamp), values };
  });
}

/** Sum of one statistic over all points (0 without points). */
export function total(points: MetricPoint[], statistic: Statistic = 'Sum'): number {
  return points.reduce((sum, p) => sum + (p.values[statistic] ?? 0), 0);
}

/**
 * Bumped whenever the Monitor tab has read fresh data, so the designer's edge counts refresh
 * with it rather than on a clock of their own only.
 */
export const monitorRefreshed = signal(0);

// ---- billing ----

export interface Prices {
  Currency: string;
  PricePerMillionRequests: string;
  PricePerGBSecond: string;
  FreeTierRequests: number;
  FreeTierGBSeconds: string;
  BilledDurationGranularityMs: number;
}

/** Usage and cost of the account or one function in a month (money rounded to the cent; Exact unrounded). */
export interface UsageTotals {
  Requests: number;
  GBSeconds: number;
  FreeTierRequestsUsed: number;
  FreeTierGBSecondsUsed: number;
  BillableRequests: number;
  BillableGBSeconds: number;
  RequestCost: number;
  DurationCost: number;
  Cost: number;
  Exact: { GBSeconds: string; FreeTierGBSecondsUsed: string; BillableGBSeconds: string; RequestCost: string; DurationCost: string; Cost: string };
}

export interface Statement {
  Month: string;
  Prices: Prices;
  Account: UsageTotals;
  Functions: (UsageTotals & { FunctionName: string })[];
}

export function billingStatement(month: string, functionName?: string): Promise<Statement> {
  const params = new URLSearchParams({ Month: month, ...(functionName !== undefined ? { FunctionName: functionName } : {}) });
  return restJson('GET', `/api/billing/statement?${params}`);
}

/** The usage record of one invocation (exact decimals as strings), as docs/BILLING.md shows it on the wire. */
export interface UsageRecord {
  RequestId: string;
  FunctionName: string;
  Timestamp: string;
  BilledDurationMs: number;
  MemorySizeMB: number;
  GBSeconds: string;
  FreeTierRequest: boolean;
  FreeTierGBSeconds: string;
  /** Request and duration at list price, before the free tier. */
  ListCost: string;
  /** What the invocation added to the bill after the free tier. */
  Cost: string;
}

const INVOCATIONS_PAGE = 1000;

/**
 * The usage records of one function in one month, read page by page in recording order. Records
 * only ever get appended, so a reader remembers where it stopped: `more()` reads what was recorded
 * since (it re-reads the last, partial page, whose end has no marker to resume from).
 */
export class MonthUsageReader {
  private complete: UsageRecord[] = [];
  private partial: UsageRecord[] = [];
  private resumeMarker: string | undefined;

  constructor(readonly functionName: string, readonly month: string) {}

  get records(): UsageRecord[] {
    return this.complete.concat(this.partial);
  }

  async more(): Promise<UsageRecord[]> {
    for (;;) {
      const params = new URLSearchParams({ Month: this.month, FunctionName: this.functionName, MaxItems: String(INVOCATIONS_PAGE) });
      if (this.resumeMarker !== undefined) params.set('Marker', this.resumeMarker);
      const page = await restJson<{ Invocations: UsageRecord[]; NextMarker?: string }>('GET', `/api/billing/invocations?${params}`);
      if (page.NextMarker === undefined) {
        this.partial = page.Invocations;
        return this.records;
      }
      this.complete.push(...page.Invocations);
      this.partial = [];
      this.resumeMarker = page.NextMarker;
    }
  }
}

/** YYYY-MM of a time, in UTC (billing months are UTC calendar months). */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** The UTC months from `startMs` to `endMs`, oldest first. */
export function monthsBetween(startMs: number, endMs: number): string[] {
  const months: string[] = [];
  const date = new Date(Date.UTC(new Date(startMs).getUTCFullYear(), new Date(startMs).getUTCMonth(), 1));
  while (date.getTime() <= endMs) {
    months.push(monthOf(date.getTime()));
    date.setUTCMonth(date.getUTCMonth() + 1);
  }
  return months;
}

/** US dollars for display: cents for sums of a cent or more, else enough digits to show the figure. */
export function formatUsd(amount: number): string {
  if (amount === 0) return '$0.00';
  if (Math.abs(amount) >= 0.01) return `$${amount.toFixed(2)}`;
  const digits = Math.min(20, Math.ceil(-Math.log10(Math.abs(amount))) + 2);
  return `$${amount.toFixed(digits).replace(/0+$/, '')}`;
}
