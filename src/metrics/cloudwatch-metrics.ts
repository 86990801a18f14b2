// What CloudWatch's metric names, dimensions and statistics mean over faasbox's metric series:
// which stored series a Namespace/MetricName/Dimensions names (or none: AWS's answer for a metric
// with no data), which statistics can be read, how StartTime is rounded, and paging tokens.
// Pure; the operations are in src/api/cloudwatch.ts (docs/METRICS.md, "CloudWatch API").
import { isMetricName, METRICS, type MetricName } from '../records/metric-catalog';
import type { Datapoint } from './series';
import { MINUTE_RETENTION_MS } from './series';

/** The only namespace faasbox records; every other one answers as a namespace without data. */
export const LAMBDA_NAMESPACE = 'AWS/Lambda';
/** The dimension faasbox keeps; Resource and ExecutedVersion (per version or alias) are not recorded. */
export const FUNCTION_NAME_DIMENSION = 'FunctionName';

export interface Dimension {
  Name: string;
  Value: string;
}

/** A stored series: one function's (`functionName`) or the account's aggregate (none). */
export interface SeriesSelection {
  metric: MetricName;
  functionName?: string;
}

/**
 * The series that Namespace, MetricName and the exact set of Dimensions name, or undefined when
 * faasbox has none (another namespace, an unknown metric, a dimension it does not keep): CloudWatch
 * treats each combination of dimensions as its own metric, and one never published has no data.
 */
export function selectSeries(namespace: string, metricName: string, dimensions: readonly Dimension[]): SeriesSelection | undefined {
  if (namespace !== LAMBDA_NAMESPACE || !isMetricName(metricName)) return undefined;
  if (dimensions.length === 0) return { metric: metricName };
  if (dimensions.length === 1 && dimensions[0].Name === FUNCTION_NAME_DIMENSION && !METRICS[metricName].accountOnly) {
    return { metric: metricName, functionName: dimensions[0].Value };
  }
  return undefined;
}

export const STANDARD_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type StandardStatistic = (typeof STANDARD_STATISTICS)[number];

/** CloudWatch's percentile statistics: p0 .. p100 with up to two decimals (p50, p99, p99.9). */
const PERCENTILE = /^p(\d{1,2}(\.\d{1,2})?|100(\.0{1,2})?)$/;
/** CloudWatch's other extended statistics (trimmed mean, winsorized mean, trimmed count and sum, IQM, percentile rank): faasbox computes none. */
const OTHER_EXTENDED = /^(tm|wm|tc|ts|TM|WM|TC|TS|PR)(\d|\(|$)|^IQM$/;

export type StatisticKind = 'standard' | 'percentile' | 'unsupported' | 'invalid';

export function statisticKind(stat: string): StatisticKind {
  if ((STANDARD_STATISTICS as readonly string[]).includes(stat)) return 'standard';
  if (PERCENTILE.test(stat)) return 'percentile';
  return OTHER_EXTENDED.test(stat) ? 'unsupported' : 'invalid';
}

/** The percentile a `pNN` statistic asks for (p99.9 -> 99.9). */
export function percentileOf(stat: string): number {
  return Number(stat.slice(1));
}

/**
 * The value of `stat` in a datapoint, or undefined when faasbox has none: a percentile of a
 * metric that keeps no histogram (its samples' distribution was never stored).
 */
export function statisticValue(d: Datapoint, stat: string): number | undefined {
  switch (stat) {
    case 'SampleCount': return d.count;
    case 'Average': return d.sum / d.count;
    case 'Sum': return d.sum;
    case 'Minimum': return d.min;
    case 'Maximum': return d.max;
    default: return d.percentiles[percentileOf(stat)];
  }
}

/** Periods CloudWatch accepts: 1, 5, 10, 30 (high resolution) or a multiple of 60 seconds. */
export function isValidPeriod(seconds: number): boolean {
  return Number.isInteger(seconds) && seconds > 0 && ([1, 5, 10, 30].includes(seconds) || seconds % 60 === 0);
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** StartTime as CloudWatch rounds it: down to the minute under 15 days ago, 5 minutes under 63 days, else the hour. */
export function roundStartTime(startMs: number, nowMs: number): number {
  const age = nowMs - startMs;
  const unit = age < 15 * DAY_MS ? 60_000 : age < 63 * DAY_MS ? 300_000 : HOUR_MS;
  return Math.floor(startMs / unit) * unit;
}

/**
 * Whether faasbox's data can answer a period for data starting at `startMs` (CloudWatch returns no
 * datapoints for a period its resolution at that age does not allow): under 60 s only for the
 * last 3 hours; past 15 days faasbox keeps 1-hour points only, so only multiples of 3600 (where
 * CloudWatch would still answer multiples of 300 until 63 days: faasbox cannot, and answers none).
 */
export function periodAnswerable(periodSeconds: number, startMs: number, nowMs: number): boolean {
  if (periodSeconds < 60) return startMs >= nowMs - 3 * HOUR_MS;
  if (startMs < nowMs - MINUTE_RETENTION_MS) return periodSeconds % 3600 === 0;
  return true;
}

/** An opaque paging token of an offset into an answer. */
export function encodeOffsetToken(offset: number): string {
  return btoa(JSON.stringify({ offset }));
}

/** The offset of a token encodeOffsetToken made, or undefined for anything else. */
export function decodeOffsetToken(token: string): number | undefined {
  try {
    const { offset } = JSON.parse(atob(token)) as { offset?: unknown };
    return typeof offset === 'number' && Number.isSafeInteger(offset) && offset > 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}
