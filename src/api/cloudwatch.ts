// The CloudWatch metrics API on POST / over the caller's own MetricsStore: GetMetricStatistics,
// GetMetricData (MetricStat queries) and ListMetrics for namespace AWS/Lambda, on the JSON 1.0
// protocol the current SDKs speak (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`) and the
// Query protocol of older clients (`Version=2010-08-01`), signed for `monitoring`. Other
// services' requests pass through untouched. docs/METRICS.md, "CloudWatch API".
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../protocols/request-context';
import type { AuthenticatedCaller } from '../auth/authenticate';
import type { MetricsStore } from '../objects/metrics-store';
import { metricsStore } from '../bindings';
import { AwsJsonError } from '../errors';
import type { AwsJsonService, JsonInput, JsonOutput } from '../protocols/aws-json';
import { memberListCodec, type AwsQueryService } from '../protocols/aws-query';
import { member } from '../protocols/input-members';
import { coralAccessDenied, type ServiceAccess } from '../protocols/operation-access';
import { ACCOUNT_LEVEL, ACCOUNT_LEVEL_METRICS, METRICS } from '../records/metric-catalog';
import type { Datapoint, StatisticsQuery } from '../metrics/series';
import {
  CLOUDWATCH_CONTENT_TYPE, CloudWatchError, cloudWatchThrottled, invalidCombination, invalidNextToken, invalidValue, missingParameter, validationFailed,
} from '../metrics/cloudwatch-errors';
import {
  decodeOffsetToken, encodeOffsetToken, FUNCTION_NAME_DIMENSION, isValidPeriod, LAMBDA_NAMESPACE, percentileOf, periodAnswerable, roundStartTime,
  selectSeries, STANDARD_STATISTICS, statisticKind, statisticValue, type Dimension, type SeriesSelection,
} from '../metrics/cloudwatch-metrics';

/** GetMetricStatistics answers at most this many datapoints (CloudWatch's limit). */
const STATISTICS_MAX_DATAPOINTS = 1440;
/** GetMetricData's default and largest MaxDatapoints, and its most queries per call. */
const METRIC_DATA_MAX_DATAPOINTS = 100_800;
const METRIC_DATA_MAX_QUERIES = 500;
/** ListMetrics answers 500 metrics a page, and only metrics with data in the last two weeks. */
const LIST_METRICS_PAGE = 500;
const LIST_METRICS_WINDOW_MS = 14 * 86_400_000;
const RECENTLY_ACTIVE_MS = 3 * 3_600_000;
/** A MetricDataQuery Id: a lowercase letter, then letters, digits and underscores. */
const QUERY_ID = /^[a-z][a-zA-Z0-9_]{0,254}$/;

type Input = JsonInput;
type Output = JsonOutput;

interface OperationContext {
  caller: AuthenticatedCaller;
  store: DurableObjectStub<MetricsStore>;
  nowMs: number;
}

/** Who refuses a malformed member: GetMetricData words its own as ValidationError, the others as InvalidParameterValue. */
type Refuse = (message: string) => CloudWatchError;

const OPERATIONS: Record<string, (ctx: OperationContext, input: Input) => Promise<Output>> = {
  async GetMetricStatistics(ctx, input) {
    const namespace = requiredString(input, 'Namespace', invalidValue);
    const metricName = requiredString(input, 'MetricName', invalidValue);
    const dimensions = dimensionList(input.Dimensions, 'Dimensions', invalidValue);
    const range = timeRange(ctx, input, invalidValue);
    const periodSeconds = period(input.Period, 'Period', invalidValue);
    const unit = optionalString(input, 'Unit', invalidValue);
    const statistics = stringList(input.Statistics, 'Statistics', invalidValue) ?? [];
    const extended = stringList(input.ExtendedStatistics, 'ExtendedStatistics', invalidValue) ?? [];
    if (statistics.length === 0 && extended.length === 0) throw invalidCombination('Must specify either Statistics or ExtendedStatistics');
    statistics.forEach((s, i) => {
      if (statisticKind(s) !== 'standard') {
        throw invalidValue(`The parameter Statistics.member.${i + 1} must be a value in the set [ ${STANDARD_STATISTICS.join(', ')} ].`);
      }
    });
    extended.forEach((s, i) => {
      const kind = statisticKind(s);
      if (kind === 'unsupported') throw unsupportedStatistic(s, `ExtendedStatistics.member.${i + 1}`);
      if (kind !== 'percentile') throw invalidValue(`The value ${s} for parameter ExtendedStatistics.member.${i + 1} is invalid.`);
    });
    const requested = Math.ceil((range.endMs - range.startMs) / (periodSeconds * 1000));
    if (requested > STATISTICS_MAX_DATAPOINTS) {
      throw invalidCombination(`You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`);
    }
    const selection = answerable(selectSeries(namespace, metricName, dimensions), unit, periodSeconds, range.startMs, ctx.nowMs);
    const datapoints = selection ? await ctx.store.statistics(storeQuery(selection, range, periodSeconds, extended)) : [];
    return {
      Label: metricName,
      Datapoints: datapoints.map((d) => renderDatapoint(d, statistics, extended, METRICS[selection!.metric].unit)),
    };
  },

  async GetMetricData(ctx, input) {
    const queries = metricDataQueries(ctx, input);
    const range = timeRange(ctx, input, validationFailed);
    const scanBy = optionalString(input, 'ScanBy', validationFailed) ?? 'TimestampDescending';
    if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') {
      throw validationFailed(`The value ${scanBy} for parameter ScanBy is invalid. It must be TimestampDescending or TimestampAscending.`);
    }
    const maxDatapoints = optionalInteger(input.MaxDatapoints, 'MaxDatapoints', validationFailed) ?? METRIC_DATA_MAX_DATAPOINTS;
    if (maxDatapoints < 1) throw validationFailed('The parameter MaxDatapoints must be greater than 0.');
    const token = optionalString(input, 'NextToken', validationFailed);
    const offset = token === undefined ? 0 : decodeOffsetToken(token);
    if (offset === undefined) throw invalidNextToken();

    const returned = queries.filter((q) => q.returnData);
    const asked = returned.map((q) => (q.forbidden ? undefined : answerable(q.selection, q.unit, q.periodSeconds, range.startMs, ctx.nowMs)));
    const storeQueries = returned.flatMap((q, i) => (asked[i] ? [storeQuery(asked[i], range, q.periodSeconds, [q.stat])] : []));
    const answers = storeQueries.length > 0 ? await ctx.store.statisticsOf(storeQueries) : [];
    let next = 0;
    const series = returned.map((q, i) => {
      const datapoints = asked[i] ? answers[next++] : [];
      const points = datapoints.flatMap((d) => {
        const value = statisticValue(d, q.stat);
        return value === undefined ? [] : [{ timestamp: d.timestampMs / 1000, value }];
      });
      if (scanBy === 'TimestampDescending') points.reverse();
      return { query: q, points };
    });
    return metricDataPage(series, offset, maxDatapoints);
  },

  async ListMetrics(ctx, input) {
    const namespace = optionalString(input, 'Namespace', invalidValue);
    const metricName = optionalString(input, 'MetricName', invalidValue);
    const filters = dimensionFilters(input.Dimensions);
    const recentlyActive = optionalString(input, 'RecentlyActive', invalidValue);
    if (recentlyActive !== undefined && recentlyActive !== 'PT3H') throw invalidValue(`The value ${recentlyActive} for parameter RecentlyActive is invalid. It must be PT3H.`);
    const includeLinked = optionalBoolean(input.IncludeLinkedAccounts, 'IncludeLinkedAccounts', invalidValue) ?? false;
    const owningAccount = optionalString(input, 'OwningAccount', invalidValue);
    const token = optionalString(input, 'NextToken', invalidValue);
    const offset = token === undefined ? 0 : decodeOffsetToken(token);
    if (offset === undefined) throw invalidNextToken();

    const ours = (namespace === undefined || namespace === LAMBDA_NAMESPACE) && (owningAccount === undefined || owningAccount === ctx.caller.accountId);
    const since = ctx.nowMs - (recentlyActive ? RECENTLY_ACTIVE_MS : LIST_METRICS_WINDOW_MS);
    const all = ours ? listedMetrics(await ctx.store.seriesSince(since)) : [];
    const matching = all.filter((m) =>
      (metricName === undefined || m.MetricName === metricName)
      && filters.every((f) => m.Dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value))));
    const page = matching.slice(offset, offset + LIST_METRICS_PAGE);
    return {
      Metrics: page,
      NextToken: offset + LIST_METRICS_PAGE < matching.length ? encodeOffsetToken(offset + LIST_METRICS_PAGE) : undefined,
      OwningAccounts: includeLinked ? page.map(() => ctx.caller.accountId) : undefined,
    };
  },
};

interface Metric {
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
}

/**
 * The metrics ListMetrics shows for the stored series: each function's under FunctionName, and
 * the account's undimensioned aggregate of each metric that has one (the account's own series of
 * the account-level metrics, the sum over functions of the others), in name order.
 */
function listedMetrics(series: { functionName: string; metric: keyof typeof METRICS }[]): Metric[] {
  const metrics: Metric[] = [];
  const aggregates = new Set<string>();
  for (const { functionName, metric } of series) {
    const accountRow = functionName === ACCOUNT_LEVEL;
    if (accountRow === ACCOUNT_LEVEL_METRICS.has(metric)) aggregates.add(metric);
    if (!accountRow && !METRICS[metric].accountOnly) {
      metrics.push({ Namespace: LAMBDA_NAMESPACE, MetricName: metric, Dimensions: [{ Name: FUNCTION_NAME_DIMENSION, Value: functionName }] });
    }
  }
  for (const metric of aggregates) metrics.push({ Namespace: LAMBDA_NAMESPACE, MetricName: metric, Dimensions: [] });
  const key = (m: Metric) => `${m.MetricName}\u0000${m.Dimensions[0]?.Value ?? ''}`;
  return metrics.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** One MetricStat query of GetMetricData, checked. */
interface MetricDataQuery {
  id: string;
  label: string;
  returnData: boolean;
  selection: SeriesSelection | undefined;
  periodSeconds: number;
  stat: string;
  unit: string | undefined;
  /** Another account's metric: CloudWatch answers StatusCode Forbidden without data. */
  forbidden: boolean;
}

function metricDataQueries(ctx: OperationContext, input: Input): MetricDataQuery[] {
  if (input.MetricDataQueries === undefined || input.MetricDataQueries === null) throw missingParameter('MetricDataQueries');
  const items = member(input, 'MetricDataQueries', z.union([z.array(z.unknown()), z.literal('').transform(() => [])]), () =>
    validationFailed('The parameter MetricDataQueries must be a list of MetricDataQuery structures.'));
  if (items.length === 0) throw validationFailed('The parameter MetricDataQueries must contain at least one query.');
  if (items.length > METRIC_DATA_MAX_QUERIES) throw validationFailed(`The collection MetricDataQueries must not have a size greater than ${METRIC_DATA_MAX_QUERIES}.`);
  const ids = new Set<string>();
  return items.map((item, i) => {
    const at = `MetricDataQueries.member.${i + 1}`;
    const query = structure(item, at, validationFailed);
    const id = requiredString(query, 'Id', validationFailed, at);
    if (!QUERY_ID.test(id)) throw validationFailed(`The value ${id} for parameter ${at}.Id is invalid. It must start with a lowercase letter and contain only letters, numbers and underscores.`);
    if (ids.has(id)) throw validationFailed(`The value ${id} for parameter ${at}.Id is not unique.`);
    ids.add(id);
    if (query.Expression !== undefined && query.Expression !== null) {
      throw invalidValue(`The parameter ${at}.Expression is not supported by faasbox: metric math and Metrics Insights queries are not evaluated here. Query each metric with MetricStat instead.`);
    }
    if (query.MetricStat === undefined || query.MetricStat === null) throw validationFailed(`The parameter ${at}.MetricStat is required (faasbox answers MetricStat queries only).`);
    const stat = structure(query.MetricStat, `${at}.MetricStat`, validationFailed);
    if (stat.Metric === undefined || stat.Metric === null) throw missingParameter(`${at}.MetricStat.Metric`);
    const metric = structure(stat.Metric, `${at}.MetricStat.Metric`, validationFailed);
    const namespace = requiredString(metric, 'Namespace', validationFailed, `${at}.MetricStat.Metric`);
    const metricName = requiredString(metric, 'MetricName', validationFailed, `${at}.MetricStat.Metric`);
    const dimensions = dimensionList(metric.Dimensions, `${at}.MetricStat.Metric.Dimensions`, validationFailed);
    const periodSeconds = period(stat.Period, `${at}.MetricStat.Period`, validationFailed);
    const statistic = requiredString(stat, 'Stat', validationFailed, `${at}.MetricStat`);
    const kind = statisticKind(statistic);
    if (kind === 'unsupported') throw unsupportedStatistic(statistic, `${at}.MetricStat.Stat`);
    if (kind === 'invalid') throw validationFailed(`The value ${statistic} for parameter ${at}.MetricStat.Stat is not a valid statistic.`);
    const accountId = optionalString(query, 'AccountId', validationFailed, at);
    return {
      id,
      label: optionalString(query, 'Label', validationFailed, at) ?? metricName,
      returnData: optionalBoolean(query.ReturnData, `${at}.ReturnData`, validationFailed) ?? true,
      selection: selectSeries(namespace, metricName, dimensions),
      periodSeconds,
      stat: statistic,
      unit: optionalString(stat, 'Unit', validationFailed, `${at}.MetricStat`),
      forbidden: accountId !== undefined && accountId !== ctx.caller.accountId,
    };
  });
}

/**
 * One page of GetMetricData's answer: the datapoints of all queries in order, `maxDatapoints`
 * from `offset` on. A query appears on each page that holds some of its datapoints (an empty one
 * on the page where its place falls), with StatusCode PartialData while more of it follows.
 */
function metricDataPage(series: { query: MetricDataQuery; points: { timestamp: number; value: number }[] }[], offset: number, maxDatapoints: number): Output {
  const total = series.reduce((n, s) => n + s.points.length, 0);
  if (offset > 0 && offset >= total) throw invalidNextToken();
  const end = offset + maxDatapoints;
  const results: Output[] = [];
  let at = 0;
  for (const { query, points } of series) {
    const from = at;
    const to = at + points.length;
    at = to;
    const onPage = points.length === 0 ? (from >= offset && from < end) || (from === total && end >= total) : from < end && to > offset;
    if (!onPage) continue;
    const slice = points.slice(Math.max(0, offset - from), Math.max(0, end - from));
    results.push({
      Id: query.id,
      Label: query.label,
      Timestamps: slice.map((p) => p.timestamp),
      Values: slice.map((p) => p.value),
      StatusCode: query.forbidden ? 'Forbidden' : to > end ? 'PartialData' : 'Complete',
    });
  }
  return { MetricDataResults: results, NextToken: end < total ? encodeOffsetToken(end) : undefined, Messages: [] };
}

/** The selection, unless faasbox's data cannot answer it (another Unit than the metric's, a period finer than its data at that age). */
function answerable(selection: SeriesSelection | undefined, unit: string | undefined, periodSeconds: number, startMs: number, nowMs: number): SeriesSelection | undefined {
  if (!selection) return undefined;
  if (unit !== undefined && unit !== METRICS[selection.metric].unit) return undefined;
  return periodAnswerable(periodSeconds, startMs, nowMs) ? selection : undefined;
}

function storeQuery(selection: SeriesSelection, range: { startMs: number; endMs: number }, periodSeconds: number, stats: string[]): StatisticsQuery {
  const percentiles = METRICS[selection.metric].histogram ? stats.filter((s) => statisticKind(s) === 'percentile').map(percentileOf) : [];
  return { metric: selection.metric, functionName: selection.functionName, startMs: range.startMs, endMs: range.endMs, periodMs: periodSeconds * 1000, percentiles };
}

/** A datapoint with the statistics asked for, in the model's member order; percentiles faasbox has under ExtendedStatistics. */
function renderDatapoint(d: Datapoint, statistics: string[], extended: string[], unit: string): Output {
  const out: Output = { Timestamp: d.timestampMs / 1000 };
  for (const s of STANDARD_STATISTICS) if (statistics.includes(s)) out[s] = statisticValue(d, s);
  out.Unit = unit;
  const percentiles: Record<string, number> = {};
  for (const s of extended) {
    const value = statisticValue(d, s);
    if (value !== undefined) percentiles[s] = value;
  }
  if (Object.keys(percentiles).length > 0) out.ExtendedStatistics = percentiles;
  return out;
}

/** StartTime (rounded as CloudWatch rounds it) and EndTime, in epoch ms; StartTime must come first. */
function timeRange(ctx: OperationContext, input: Input, refuse: Refuse): { startMs: number; endMs: number } {
  const startMs = timestamp(input.StartTime, 'StartTime', refuse);
  const endMs = timestamp(input.EndTime, 'EndTime', refuse);
  if (startMs === endMs) throw refuse('The parameter StartTime must not equal parameter EndTime.');
  if (startMs > endMs) throw refuse('The parameter StartTime must be less than the parameter EndTime.');
  return { startMs: roundStartTime(startMs, ctx.nowMs), endMs };
}

/** A timestamp as epoch seconds (the JSON protocol) or ISO 8601 text (the Query protocol; epoch seconds as text too), in epoch ms. */
function timestamp(value: unknown, name: string, refuse: Refuse): number {
  if (value === undefined || value === null || value === '') throw missingParameter(name);
  const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? (/^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value)) : NaN;
  if (!Number.isFinite(ms)) throw refuse(`The value ${String(value)} for parameter ${name} is invalid. It must be an ISO 8601 timestamp.`);
  return ms;
}

function period(value: unknown, name: string, refuse: Refuse): number {
  if (value === undefined || value === null || value === '') throw missingParameter(name);
  const seconds = optionalInteger(value, name, refuse)!;
  if (seconds < 1) throw refuse(`The parameter ${name} must be greater than 0.`);
  if (!isValidPeriod(seconds)) throw refuse(`The parameter ${name} must be 1, 5, 10, 30 or a multiple of 60.`);
  return seconds;
}

function unsupportedStatistic(stat: string, name: string): CloudWatchError {
  return invalidValue(`The value ${stat} for parameter ${name} is not supported by faasbox: it computes SampleCount, Average, Sum, Minimum, Maximum and percentiles (p50, p99...) only.`);
}

/** A list of `{Name, Value}`, both required (GetMetricStatistics' and MetricStat's Dimensions). */
function dimensionList(value: unknown, name: string, refuse: Refuse): Dimension[] {
  const items = list(value, name, refuse) ?? [];
  if (items.length > 30) throw refuse(`The collection ${name} must not have a size greater than 30.`);
  return items.map((item, i) => {
    const at = `${name}.member.${i + 1}`;
    const dimension = structure(item, at, refuse);
    return { Name: requiredString(dimension, 'Name', refuse, at), Value: requiredString(dimension, 'Value', refuse, at) };
  });
}

/** ListMetrics' dimension filters: a Name, and a Value or none (any value). */
function dimensionFilters(value: unknown): { Name: string; Value?: string }[] {
  const items = list(value, 'Dimensions', invalidValue) ?? [];
  if (items.length > 10) throw invalidValue('The collection Dimensions must not have a size greater than 10.');
  return items.map((item, i) => {
    const at = `Dimensions.member.${i + 1}`;
    const filter = structure(item, at, invalidValue);
    return { Name: requiredString(filter, 'Name', invalidValue, at), Value: optionalString(filter, 'Value', invalidValue, at) };
  });
}

/** A list, undefined when absent; the Query protocol's empty list (`Name=`) is []. */
function list(value: unknown, name: string, refuse: Refuse): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === '') return [];
  if (!Array.isArray(value)) throw refuse(`The parameter ${name} must be a list.`);
  return value;
}

function stringList(value: unknown, name: string, refuse: Refuse): string[] | undefined {
  const items = list(value, name, refuse);
  items?.forEach((item, i) => {
    if (typeof item !== 'string') throw refuse(`The value for parameter ${name}.member.${i + 1} must be a string.`);
  });
  return items as string[] | undefined;
}

function structure(value: unknown, name: string, refuse: Refuse): Input {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw refuse(`The parameter ${name} must be a structure.`);
  return value as Input;
}

const TEXT = z.string().nullish().transform((v) => v ?? undefined);

function optionalString(input: Input, name: string, refuse: Refuse, at?: string): string | undefined {
  const path = at ? `${at}.${name}` : name;
  return member(input, name, TEXT, () => refuse(`The value for parameter ${path} must be a string.`));
}

function requiredString(input: Input, name: string, refuse: Refuse, at?: string): string {
  const value = optionalString(input, name, refuse, at);
  if (value === undefined || value === '') throw missingParameter(at ? `${at}.${name}` : name);
  return value;
}

/** An integer, also as decimal text (the Query protocol sends every scalar as a string). */
const INTEGER = z.union([z.number(), z.string().regex(/^-?\d+$/).transform(Number)]).pipe(z.number().int().safe()).nullish().transform((v) => v ?? undefined);

function optionalInteger(value: unknown, name: string, refuse: Refuse): number | undefined {
  return member({ value }, 'value', INTEGER, () => refuse(`The value ${String(value)} for parameter ${name} is invalid. It must be an integer.`));
}

const BOOLEAN = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).nullish().transform((v) => v ?? undefined);

function optionalBoolean(value: unknown, name: string, refuse: Refuse): boolean | undefined {
  return member({ value }, 'value', BOOLEAN, () => refuse(`The value ${String(value)} for parameter ${name} is invalid. It must be true or false.`));
}

/** What every operation gets: the caller's own MetricsStore, never one named in the request. */
function operationContext(c: Context<AppContext>): OperationContext {
  const caller = c.get('caller');
  return { caller, store: metricsStore(c.env, caller.accountId), nowMs: Date.now() };
}

function unknownOperation(name: string): CloudWatchError {
  return new CloudWatchError('UnknownOperationException', `Unknown or unsupported operation: ${name || '(none)'}. faasbox's CloudWatch API answers GetMetricStatistics, GetMetricData and ListMetrics.`);
}

/** The SigV4 service CloudWatch's requests are signed for, on both protocols. */
export const CLOUDWATCH_SIGNING_NAME = 'monitoring';

/** IAM's cloudwatch:<Op>: CloudWatch's metric reads name no resource (`*`), as in AWS. */
const ACCESS: ServiceAccess<OperationContext, Input> = { prefix: 'cloudwatch', resources: {}, denied: coralAccessDenied(CLOUDWATCH_CONTENT_TYPE) };

/** CloudWatch on the JSON protocol's dispatch table (src/app.ts). */
export const cloudWatchJsonService: AwsJsonService<OperationContext> = {
  targetPrefix: 'GraniteServiceVersion20100801.',
  contentType: CLOUDWATCH_CONTENT_TYPE,
  signingName: CLOUDWATCH_SIGNING_NAME,
  // Refused signatures come from AWS's front end, not CloudWatch: its namespace and the REST statuses.
  signatureError: (e) => new AwsJsonError(e.code, e.message, { contentType: CLOUDWATCH_CONTENT_TYPE, typePrefix: 'com.amazon.coral.service#', status: e.status }),
  throttled: cloudWatchThrottled,
  operations: OPERATIONS,
  access: ACCESS,
  error: (failure, operation) => {
    if (failure === 'unknown-operation') return unknownOperation(operation);
    return new CloudWatchError('SerializationException', failure === 'not-json' ? 'Request body is not valid JSON' : 'Request body must be a JSON object');
  },
  context: operationContext,
};

const CLOUDWATCH_XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

/** The same operations on CloudWatch's Query protocol (form-encoded, `Version=2010-08-01`). */
export const cloudWatchQueryService: AwsQueryService<OperationContext> = {
  version: '2010-08-01',
  signingName: CLOUDWATCH_SIGNING_NAME,
  xmlns: CLOUDWATCH_XMLNS,
  errorStyle: { xmlns: CLOUDWATCH_XMLNS, detail: false },
  codec: memberListCodec({
    maps: ['ExtendedStatistics'],
    timestamps: ['Timestamp', 'Timestamps'],
    resultAlways: { GetMetricStatistics: true, GetMetricData: true, ListMetrics: true },
  }),
  operations: OPERATIONS,
  access: ACCESS,
  unknownOperation,
  throttled: cloudWatchThrottled,
  context: operationContext,
};
