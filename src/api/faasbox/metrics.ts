// The metrics API of the caller's own MetricsStore: GetMetricStatistics-shaped JSON at
// GET /api/metrics/statistics, and the Prometheus exposition at GET /api/metrics/prometheus
// (SigV4, or Basic credentials for scrapers: src/auth/basic-auth.ts). docs/METRICS.md.
import { Hono, type Context } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import { LambdaError, validationError } from '../../errors';
import { isMetricName, METRICS, type MetricName } from '../../records/metric-catalog';
import { MINUTE_RETENTION_MS, type Datapoint } from '../../metrics/series';
import { PROMETHEUS_CONTENT_TYPE, RECENT_WINDOW_MINUTES, renderPrometheus } from '../../metrics/prometheus';
import { optionalFunctionName, requiredParam } from './query-params';
import { metricsStore } from '../../bindings';

const STANDARD_STATISTICS = ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'] as const;
type StandardStatistic = (typeof STANDARD_STATISTICS)[number];
/** Percentile statistics: p0.1 .. p100 (p50, p99, ...). */
const PERCENTILE_PATTERN = /^p(\d{1,2}(\.\d+)?|100)$/;
/** CloudWatch answers at most this many datapoints per request. */
const MAX_DATAPOINTS = 1440;
const MINUTE_MS = 60_000;

export const metricsRoutes = new Hono<AppContext>();


metricsRoutes.get('/api/metrics/statistics', async (c) => {
  const metric = requiredParam(c, 'MetricName');
  if (!isMetricName(metric)) throw validationError(metric, 'MetricName', `Member must satisfy enum value set: [${Object.keys(METRICS).join(', ')}]`);
  const functionName = optionalFunctionName(c);
  if (functionName !== undefined && METRICS[metric].accountOnly) throw invalidCombination(`${metric} is an account-level metric: omit FunctionName.`);
  const startMs = Math.floor(timeParam(c, 'StartTime') / MINUTE_MS) * MINUTE_MS;
  const endMs = timeParam(c, 'EndTime');
  if (endMs <= startMs) throw invalidCombination('The parameter StartTime must be less than the parameter EndTime.');
  const period = requiredParam(c, 'Period');
  const periodSeconds = Number(period);
  if (!/^\d+$/.test(period) || periodSeconds < 60 || periodSeconds % 60 !== 0) throw validationError(period, 'Period', 'Member must be a multiple of 60 and at least 60');
  if (startMs < Date.now() - MINUTE_RETENTION_MS && periodSeconds % 3600 !== 0) {
    throw invalidCombination('Data older than 15 days is kept at 1-hour resolution: the Period must be a multiple of 3600.');
  }
  if ((endMs - startMs) / (periodSeconds * 1000) > MAX_DATAPOINTS) throw invalidCombination(`You have requested up to ${Math.ceil((endMs - startMs) / (periodSeconds * 1000))} datapoints, which exceeds the limit of ${MAX_DATAPOINTS}.`);
  const statistics = statisticsParam(c, metric);
  const percentiles = statistics.filter((s) => s.startsWith('p')).map((s) => Number(s.slice(1)));
  const datapoints = await metricsStore(c.env, c.get('caller').accountId).statistics({ metric, functionName, startMs, endMs, periodMs: periodSeconds * 1000, percentiles });
  return c.json({ Label: metric, Datapoints: datapoints.map((d) => renderDatapoint(d, statistics, METRICS[metric].unit)) });
});

metricsRoutes.get('/api/metrics/prometheus', async (c) => {
  const sinceMs = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - (RECENT_WINDOW_MINUTES - 1) * MINUTE_MS;
  const { counters, recent } = await metricsStore(c.env, c.get('caller').accountId).scrape(sinceMs);
  return c.body(renderPrometheus(counters, recent), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
});

/** One datapoint with the requested statistics; percentiles under ExtendedStatistics, as CloudWatch. */
function renderDatapoint(d: Datapoint, statistics: string[], unit: string) {
  const values: Record<StandardStatistic, number> = { SampleCount: d.count, Sum: d.sum, Average: d.sum / d.count, Minimum: d.min, Maximum: d.max };
  const out: Record<string, unknown> = { Timestamp: new Date(d.timestampMs).toISOString() };
  const extended: Record<string, number> = {};
  for (const s of statistics) {
    if (s.startsWith('p')) extended[s] = d.percentiles[Number(s.slice(1))];
    else out[s] = values[s as StandardStatistic];
  }
  if (Object.keys(extended).length > 0) out.ExtendedStatistics = extended;
  out.Unit = unit;
  return out;
}

/** `Statistics` (and CloudWatch's `ExtendedStatistics`), repeated or comma-separated. */
function statisticsParam(c: Context<AppContext>, metric: MetricName): string[] {
  const values = [...(c.req.queries('Statistics') ?? []), ...(c.req.queries('ExtendedStatistics') ?? [])].flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (values.length === 0) throw validationError('null', 'Statistics', 'Member must not be null');
  for (const s of values) {
    if (PERCENTILE_PATTERN.test(s)) {
      if (!METRICS[metric].histogram) throw invalidCombination(`Percentiles are kept for Duration, InitDuration and AsyncEventAge, not ${metric}.`);
    } else if (!(STANDARD_STATISTICS as readonly string[]).includes(s)) {
      throw validationError(s, 'Statistics', `Member must satisfy enum value set: [${STANDARD_STATISTICS.join(', ')}] or be a percentile such as p50 or p99`);
    }
  }
  return [...new Set(values)];
}

/** A time as ISO 8601 or epoch seconds (both are what the AWS CLI accepts), in epoch ms. */
function timeParam(c: Context<AppContext>, name: string): number {
  const raw = requiredParam(c, name);
  const ms = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) * 1000 : Date.parse(raw);
  if (!Number.isFinite(ms)) throw validationError(raw, name, 'Member must be an ISO 8601 time or epoch seconds');
  return ms;
}

function invalidCombination(message: string): LambdaError {
  return new LambdaError(400, 'InvalidParameterCombinationException', message);
}
