// The function page's Monitor tab: graphs of the metrics faasbox records for the function
// (GET /api/metrics/statistics) and of its cost per period (each invocation's usage record, GET
// /api/billing/invocations), over 1 h .. 1 w, refreshed every 30 s unless turned off; the figures
// of each graph as text; the latest invocations, each linking to its logs and trace.
import { useEffect, useRef, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import '../../styles/monitor.css';
import type { FunctionTabProps } from './tab-props';
import {
  formatUsd, metricStatistics, monitorRefreshed, monthsBetween, MonthUsageReader, total,
  type MetricName, type MetricPoint, type Statistic, type UsageRecord,
} from '../../aws/metrics';
import { TimeSeriesChart, type ChartSeries } from '../../charts/TimeSeriesChart';
import { ErrorBanner } from '../../components/ErrorBanner';
import { CliHint } from '../../components/CliHint';
import { awsCli, shellQuote } from '../../cli';
import { formatMs } from '../../format';
import { functionLogGroup } from '../../aws/logs';
import { region } from '../../session';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const REFRESH_MS = 30_000;
const RECENT_INVOCATIONS = 10;

/** The ranges Lambda's Monitor tab offers, each with a period that gives 36..60 points. */
const RANGES = [
  { id: '1h', label: '1 h', words: 'the last hour', ms: HOUR_MS, periodSeconds: 60 },
  { id: '3h', label: '3 h', words: 'the last 3 hours', ms: 3 * HOUR_MS, periodSeconds: 300 },
  { id: '12h', label: '12 h', words: 'the last 12 hours', ms: 12 * HOUR_MS, periodSeconds: 900 },
  { id: '1d', label: '1 d', words: 'the last day', ms: 24 * HOUR_MS, periodSeconds: 1800 },
  { id: '1w', label: '1 w', words: 'the last week', ms: 7 * 24 * HOUR_MS, periodSeconds: 10800 },
] as const;
type Range = (typeof RANGES)[number];

const COLORS = { blue: '#3b82f6', orange: '#f59e0b', red: '#e03131', green: '#2f9e44', purple: '#8b5cf6', pink: '#d6409f', teal: '#0ca678' };

/** What each graph reads: metric, statistics. */
const QUERIES: [MetricName, Statistic[]][] = [
  ['Invocations', ['Sum']],
  ['Errors', ['Sum']],
  ['Duration', ['Average', 'Maximum', 'p50', 'p99']],
  ['Throttles', ['Sum']],
  ['ConcurrentExecutions', ['Maximum']],
  ['AsyncEventsReceived', ['Sum']],
  ['AsyncEventsDropped', ['Sum']],
  ['DestinationDeliveryFailures', ['Sum']],
  ['DeadLetterErrors', ['Sum']],
];

interface MonitorData {
  range: Range;
  startMs: number;
  endMs: number;
  /** Period starts, epoch seconds. */
  timestamps: number[];
  points: Record<MetricName, MetricPoint[]>;
  /** Duration over the whole range (one period), for the figures. */
  durationOverall?: MetricPoint;
  listCost: number[];
  cost: number[];
  records: UsageRecord[];
  readAt: number;
}

export function MonitorTab({ name, details }: FunctionTabProps) {
  const [range, setRange] = useState<Range>(RANGES[0]);
  const [autoRefresh, setAutoRefresh] = useState(true);
  const [data, setData] = useState<MonitorData>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const readers = useRef(new Map<string, MonthUsageReader>());
  const [refreshes, setRefreshes] = useState(0);

  useEffect(() => { readers.current = new Map(); }, [name]);

  useEffect(() => {
    let current = true;
    setLoading(true);
    read(name, range, readers.current).then(
      (fresh) => { if (current) { setData(fresh); setError(undefined); monitorRefreshed.value++; } },
      (failure: unknown) => { if (current) setError(failure); },
    ).finally(() => { if (current) setLoading(false); });
    return () => { current = false; };
  }, [name, range, refreshes]);

  useEffect(() => {
    if (!autoRefresh) return;
    const timer = setInterval(() => { if (!document.hidden) setRefreshes((n) => n + 1); }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [autoRefresh, name, range]);

  return (
    <div class="monitor">
      <div class="monitor-toolbar">
        <div class="range-picker" role="group" aria-label="Time range">
          {RANGES.map((r) => (
            <button key={r.id} type="button" class={r.id === range.id ? 'button small selected' : 'button small'} aria-pressed={r.id === range.id} onClick={() => setRange(r)}>{r.label}</button>
          ))}
        </div>
        <label class="auto-refresh">
          <input type="checkbox" checked={autoRefresh} onChange={(e) => setAutoRefresh(e.currentTarget.checked)} />
          Auto-refresh every 30 s
        </label>
        <button type="button" class="button small" onClick={() => setRefreshes((n) => n + 1)} disabled={loading}>Refresh</button>
        <span class="muted monitor-status" role="status">
          {loading ? 'Loading…' : data ? `Updated ${new Date(data.readAt).toLocaleTimeString()}` : ''}
        </span>
      </div>
      <ErrorBanner error={error} />
      {data && <MonitorBody name={name} data={data} tracing={details.Configuration.TracingConfig?.Mode === 'Active'} />}
      {!data && !error && <p class="muted">Loading metrics…</p>}
      <CliHint label="Copy as curl (the Invocations graph)" command={data ? curlOf(name, data) : ''} />
      <CliHint label="Copy as CLI (this range's logs)" command={awsCli('logs', 'filter-log-events', ['--log-group-name', functionLogGroup(name, details.Configuration), '--start-time', String(data?.startMs ?? Date.now() - range.ms)])} />
    </div>
  );
}

function MonitorBody({ name, data, tracing }: { name: string; data: MonitorData; tracing: boolean }) {
  const { range, points } = data;
  const counts = (metric: MetricName, statistic: Statistic = 'Sum') => seriesOf(data, points[metric], statistic, 0);
  const gaps = (metric: MetricName, statistic: Statistic) => seriesOf(data, points[metric], statistic, null);
  const invocations = total(points.Invocations);
  const errors = total(points.Errors);
  const throttles = total(points.Throttles);
  if (invocations === 0 && throttles === 0) {
    return (
      <div class="empty monitor-empty">
        <p><strong>No invocations in {range.words}.</strong></p>
        <p class="muted">
          The graphs fill in once the function runs (metrics are kept per minute). Invoke it from the <a href={`/console/functions/${encodeURIComponent(name)}/test`}>Test tab</a>
          {range.id === RANGES[RANGES.length - 1].id ? '.' : ', or choose a longer range.'}
        </p>
      </div>
    );
  }
  const invocationSeries = counts('Invocations');
  const errorSeries = counts('Errors');
  const successRate = invocationSeries.map((n, i) => (n ? (100 * (n - (errorSeries[i] ?? 0))) / n : null));
  const overall = data.durationOverall?.values ?? {};
  const maxConcurrency = Math.max(0, ...points.ConcurrentExecutions.map((p) => p.values.Maximum ?? 0));
  const asyncFailures = { dropped: total(points.AsyncEventsDropped), destination: total(points.DestinationDeliveryFailures), dlq: total(points.DeadLetterErrors) };
  const asyncEvents = total(points.AsyncEventsReceived);
  const listCost = data.listCost.reduce((a, b) => a + b, 0);
  const cost = data.cost.reduce((a, b) => a + b, 0);
  const count = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
  const ms = (v: number) => (v === 0 ? '0 ms' : formatMs(v));
  const percent = (v: number) => `${Math.round(v * 10) / 10} %`;
  const chart = (label: string, series: ChartSeries[], format: (v: number) => string, extra: Partial<Parameters<typeof TimeSeriesChart>[0]> = {}) => (
    <TimeSeriesChart label={label} timestamps={data.timestamps} series={series} range={[data.startMs / 1000, data.endMs / 1000]} format={format} integer={format === count} {...extra} />
  );

  return (
    <>
      <div class="monitor-grid">
        <Graph id="invocations" title="Invocations" figures={[['Total', count(invocations)]]}>
          {chart(`Invocations per ${periodWords(range)}`, [{ label: 'Invocations', values: invocationSeries, color: COLORS.blue, bars: true }], count)}
        </Graph>
        <Graph id="duration" title="Duration" figures={overall.Average === undefined ? [] : [['Average', ms(overall.Average)], ['p50', ms(overall.p50 ?? 0)], ['p99', ms(overall.p99 ?? 0)], ['Maximum', ms(overall.Maximum ?? 0)]]}>
          {chart('Duration: average, p50, p99 and maximum per period', [
            { label: 'Average', values: gaps('Duration', 'Average'), color: COLORS.blue },
            { label: 'p50', values: gaps('Duration', 'p50'), color: COLORS.green },
            { label: 'p99', values: gaps('Duration', 'p99'), color: COLORS.orange },
            { label: 'Maximum', values: gaps('Duration', 'Maximum'), color: COLORS.pink },
          ], ms)}
        </Graph>
        <Graph id="errors" title="Errors and success rate" figures={[['Errors', count(errors)], ['Success rate', invocations ? percent((100 * (invocations - errors)) / invocations) : '–']]}>
          {chart('Errors per period and success rate', [
            { label: 'Errors', values: errorSeries, color: COLORS.red, bars: true },
            { label: 'Success rate', values: successRate, color: COLORS.green, scale: 'right' },
          ], count, { rightRange: [0, 100], rightFormat: percent })}
        </Graph>
        <Graph id="throttles" title="Throttles" figures={[['Total', count(throttles)]]} note={throttles === 0 ? `No throttles in ${range.words}.` : undefined}>
          {chart('Throttles per period', [{ label: 'Throttles', values: counts('Throttles'), color: COLORS.orange, bars: true }], count)}
        </Graph>
        <Graph id="concurrency" title="Concurrent executions" figures={[['Maximum', count(maxConcurrency)]]}>
          {chart('Concurrent executions, maximum per period', [{ label: 'Maximum', values: counts('ConcurrentExecutions', 'Maximum'), color: COLORS.purple, bars: true }], count)}
        </Graph>
        <Graph id="async" title="Async delivery failures" figures={[['Async events', count(asyncEvents)], ['Dropped', count(asyncFailures.dropped)], ['Destination failures', count(asyncFailures.destination)], ['DeadLetterErrors', count(asyncFailures.dlq)]]}
          note={asyncFailures.dropped + asyncFailures.destination + asyncFailures.dlq === 0 ? `No async delivery failures in ${range.words}${asyncEvents === 0 ? ' (no async events either)' : ''}.` : undefined}>
          {chart('Async delivery failures per period', [
            { label: 'AsyncEventsDropped', values: counts('AsyncEventsDropped'), color: COLORS.red, bars: true },
            { label: 'DestinationDeliveryFailures', values: counts('DestinationDeliveryFailures'), color: COLORS.orange, bars: true },
            { label: 'DeadLetterErrors', values: counts('DeadLetterErrors'), color: COLORS.purple, bars: true },
          ], count)}
        </Graph>
        <Graph id="cost" title="Cost" figures={[['At list price', formatUsd(listCost)], ['After the free tier', formatUsd(cost)]]}
          note="From each invocation's usage record: requests and GB-seconds at the configured prices.">
          {chart('Cost per period at list price and after the free tier', [
            { label: 'List price', values: data.listCost, color: COLORS.teal, bars: true },
            { label: 'After free tier', values: data.cost, color: COLORS.red },
          ], formatUsd)}
        </Graph>
      </div>
      <RecentInvocations records={data.records} tracing={tracing} />
    </>
  );
}

/** One graph with its title and its figures as text (what a screen reader and a test read). */
function Graph({ id, title, figures, note, children }: { id: string; title: string; figures: [string, string][]; note?: string; children: preact.ComponentChildren }) {
  return (
    <figure class="graph" aria-labelledby={`graph-${id}`} data-graph={id}>
      <figcaption>
        <h3 id={`graph-${id}`}>{title}</h3>
        <dl class="figures">
          {figures.map(([term, value]) => <div key={term}><dt>{term}</dt><dd>{value}</dd></div>)}
        </dl>
      </figcaption>
      {children}
      {note && <p class="muted graph-note">{note}</p>}
    </figure>
  );
}

function RecentInvocations({ records, tracing }: { records: UsageRecord[]; tracing: boolean }) {
  const latest = records.slice(-RECENT_INVOCATIONS).reverse();
  return (
    <section class="recent" aria-labelledby="recent-title">
      <h3 id="recent-title">Latest invocations</h3>
      <p class="muted">Each request id opens its log lines, REPORT figures and cost{tracing ? ', and its trace (tracing is Active)' : ' (turn on Active tracing in the configuration for traces)'}.</p>
      {latest.length === 0 ? <p class="muted">None in this range.</p> : (
        <table class="table">
          <thead><tr><th scope="col">Request ID</th><th scope="col">Time</th><th scope="col">Billed duration</th><th scope="col">Memory</th><th scope="col">Cost at list price</th></tr></thead>
          <tbody>
            {latest.map((r, i) => (
              <tr key={`${r.RequestId}-${i}`}>
                <td><a class="mono" href={`/console/invocations/${encodeURIComponent(r.RequestId)}`}>{r.RequestId}</a></td>
                <td>{new Date(r.Timestamp).toLocaleString()}</td>
                <td>{r.BilledDurationMs} ms</td>
                <td>{r.MemorySizeMB} MB</td>
                <td>{formatUsd(Number(r.ListCost))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Reads every graph's data for `range` ending now. */
async function read(name: string, range: Range, readers: Map<string, MonthUsageReader>): Promise<MonitorData> {
  const periodMs = range.periodSeconds * 1000;
  const endMs = Date.now();
  const startMs = Math.floor((endMs - range.ms) / periodMs) * periodMs;
  const query = (metric: MetricName, statistics: Statistic[], periodSeconds: number = range.periodSeconds) =>
    metricStatistics({ metric, functionName: name, startMs, endMs, periodSeconds, statistics });
  const wholeRangeSeconds = Math.ceil((endMs - startMs) / MINUTE_MS) * 60;
  const months = monthsBetween(startMs, endMs);
  const [answers, overall, usage] = await Promise.all([
    Promise.all(QUERIES.map(([metric, statistics]) => query(metric, statistics))),
    query('Duration', ['Average', 'Maximum', 'p50', 'p99'], wholeRangeSeconds),
    Promise.all(months.map((month) => {
      let reader = readers.get(month);
      if (!reader) readers.set(month, (reader = new MonthUsageReader(name, month)));
      return reader.more();
    })),
  ]);
  const timestamps: number[] = [];
  for (let t = startMs; t < endMs; t += periodMs) timestamps.push(t / 1000);
  const records = usage.flat().filter((r) => { const t = Date.parse(r.Timestamp); return t >= startMs && t < endMs; });
  const listCost = timestamps.map(() => 0);
  const cost = timestamps.map(() => 0);
  for (const r of records) {
    const i = Math.floor((Date.parse(r.Timestamp) - startMs) / periodMs);
    listCost[i] += Number(r.ListCost);
    cost[i] += Number(r.Cost);
  }
  return {
    range, startMs, endMs, timestamps,
    points: Object.fromEntries(QUERIES.map(([metric], i) => [metric, answers[i]])) as MonitorData['points'],
    durationOverall: overall[0],
    listCost, cost, records, readAt: endMs,
  };
}

/** One value per period; `missing` for a period without data (0 for counts, null for gaps). */
function seriesOf(data: MonitorData, points: MetricPoint[], statistic: Statistic, missing: 0 | null): (number | null)[] {
  const values: (number | null)[] = data.timestamps.map(() => missing);
  const periodMs = data.range.periodSeconds * 1000;
  for (const p of points) {
    const i = Math.round((p.timestampMs - data.startMs) / periodMs);
    if (i >= 0 && i < values.length) values[i] = p.values[statistic] ?? missing;
  }
  return values;
}

function periodWords(range: Range): string {
  const [n, unit] = range.periodSeconds < 3600 ? [range.periodSeconds / 60, 'minute'] : [range.periodSeconds / 3600, 'hour'];
  return n === 1 ? unit : `${n} ${unit}s`;
}

/** The curl command for the Invocations graph, its parameters sorted (curl signs them as written). */
function curlOf(name: string, data: MonitorData): string {
  const params = new URLSearchParams({
    EndTime: String(Math.ceil(data.endMs / 1000)), FunctionName: name, MetricName: 'Invocations',
    Period: String(data.range.periodSeconds), StartTime: String(Math.floor(data.startMs / 1000)), Statistics: 'Sum',
  });
  return ['curl', '-s', '--aws-sigv4', `aws:amz:${region}:lambda`, '--user', '$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY', `${location.origin}/api/metrics/statistics?${params}`]
    .map((w) => (w.startsWith('$') ? `"${w}"` : shellQuote(w))).join(' ');
}
