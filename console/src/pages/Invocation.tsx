// The invocation page (/console/invocations/<request id>?function=<name>): the invocation's log
// lines (FilterLogEvents on its request id), the result when this tab saw it, the REPORT figures,
// its cost (billing API) and, for a traced function, the trace as a waterfall (X-Ray API).
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { getFunctionConfiguration, type FunctionConfiguration } from '../aws/lambda';
import { billingPrices, invocationUsage, rememberedResult, type InvocationUsage, type Prices } from '../aws/invoke';
import { filterLogEvents, functionLogGroup, type FilteredLogEvent } from '../aws/logs';
import { findInvocationTrace, type InvocationTrace, type SegmentDocument } from '../aws/invocation-trace';
import { awsCli } from '../cli';
import { CliHint } from '../components/CliHint';
import { ErrorBanner } from '../components/ErrorBanner';
import { parseReport, type ReportFigures } from '../logs/log-line';
import { CostView, OutcomeView, SummaryView } from './function/test-result';
import { formatMs } from '../format';
import '../styles/test.css';

/** Log lines, usage and trace are written just after the response: look again this many times, a second apart. */
const LOOKS = 8;
const LOOK_PAUSE_MS = 1000;

interface Loaded {
  functionName?: string;
  config?: FunctionConfiguration;
  events?: FilteredLogEvent[];
  usage?: InvocationUsage[];
  prices?: Prices;
  trace?: InvocationTrace | null;
  errors: { part: string; error: unknown }[];
}

export function Invocation({ requestId }: { requestId: string }) {
  const { query } = useLocation();
  const remembered = rememberedResult(requestId);
  const [loaded, setLoaded] = useState<Loaded>({ errors: [] });
  const [round, setRound] = useState(0);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const errors: Loaded['errors'] = [];
      const attempt = async <T,>(part: string, work: () => Promise<T>): Promise<T | undefined> => {
        try {
          return await work();
        } catch (error) {
          errors.push({ part, error });
          return undefined;
        }
      };
      for (let look = 0; look < LOOKS && !cancelled; look++) {
        const usage = await attempt('cost', () => invocationUsage(requestId));
        const functionName = query.function || remembered?.functionName || usage?.[0]?.FunctionName;
        const config = functionName ? await attempt('function', () => getFunctionConfiguration(functionName)) : undefined;
        const events = functionName ? await attempt('logs', () => filterLogEvents(functionLogGroup(functionName, config), `"${requestId}"`)) : undefined;
        const prices = usage?.length ? await attempt('prices', () => billingPrices()) : undefined;
        const atMs = events?.[0]?.timestamp ?? (usage?.[0] ? Date.parse(usage[0].Timestamp) : remembered?.invokedAtMs);
        const traced = config?.TracingConfig?.Mode === 'Active';
        const trace = traced && config && atMs !== undefined ? (await attempt('trace', () => findInvocationTrace(requestId, config.FunctionArn, atMs))) ?? null : undefined;
        if (cancelled) return;
        setLoaded({ functionName, config, events, usage, prices, trace, errors: errors.splice(0) });
        const complete = events?.some((e) => e.message.startsWith('REPORT ')) && (usage?.length ?? 0) > 0 && (!traced || trace);
        if (complete || !functionName && look > 2) break;
        await new Promise((resolve) => setTimeout(resolve, LOOK_PAUSE_MS));
      }
    })();
    return () => { cancelled = true; };
  }, [requestId, query.function, round]);

  // A link to #logs or #trace scrolls there once the part is drawn.
  useEffect(() => {
    const id = location.hash.slice(1);
    if (id) document.getElementById(id)?.scrollIntoView({ block: 'start' });
  }, [loaded.events !== undefined, loaded.trace !== undefined]);

  const { functionName, config, events, usage, prices, trace } = loaded;
  const reports = (events ?? []).map((e) => parseReport(e.message)).filter((r): r is ReportFigures => r !== undefined && r.requestId === requestId);
  const streams = [...new Set((events ?? []).map((e) => e.logStreamName))];
  const group = functionName ? functionLogGroup(functionName, config) : undefined;
  return (
    <section class="invocation" aria-labelledby="invocation-title">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href="/console/functions">Functions</a>
        {functionName && <> › <a href={`/console/functions/${encodeURIComponent(functionName)}/test`}>{functionName}</a></>}
        {' › '}<span>Invocation</span>
      </nav>
      <div class="page-head">
        <h1 id="invocation-title">Invocation <span class="mono request-id">{requestId}</span></h1>
        <button type="button" class="button small" onClick={() => setRound((r) => r + 1)}>Refresh</button>
      </div>
      {loaded.errors.map((e) => <ErrorBanner key={e.part} error={e.error} />)}
      {!functionName && usage !== undefined && <p class="banner error" role="alert">No function is known for this request id: open it from a function's page, or add <code>?function=&lt;name&gt;</code>.</p>}

      {remembered && functionName && (
        <div class="card">
          <h2>Result</h2>
          <p class="hint">As this tab received it.</p>
          <OutcomeView invocation={remembered.invocation} functionName={functionName} />
        </div>
      )}

      <div class="card">
        <h2>Summary</h2>
        {functionName && (reports.length > 0 ? reports.map((report, i) => (
          <Fragment key={i}>
            {reports.length > 1 && <h3>Attempt {i + 1}</h3>}
            <SummaryView requestId={requestId} functionName={functionName} report={report} codeSha256={i === 0 ? config?.CodeSha256 : undefined} />
          </Fragment>
        )) : <p class="muted" role="status">{events === undefined ? 'Loading…' : 'No REPORT line yet: the invocation may still be running or queued.'}</p>)}
      </div>

      <div class="card">
        <h2>Cost</h2>
        {usage === undefined ? <p class="muted">Loading…</p>
          : usage.length === 0 ? <p class="muted">No usage recorded for this request id (yet): throttled requests are not billed.</p>
          : prices && usage.map((u, i) => (
            <Fragment key={i}>
              {usage.length > 1 && <h3>Attempt {i + 1}</h3>}
              <CostView usage={u} prices={prices} />
            </Fragment>
          ))}
      </div>

      <div class="card" id="logs">
        <h2>Log lines</h2>
        {streams.length > 0 && <p class="hint">Log group <span class="mono">{group}</span>, stream{streams.length > 1 ? 's' : ''} {streams.map((s) => <span key={s} class="mono">{s} </span>)}</p>}
        {events === undefined ? <p class="muted">Loading…</p>
          : events.length === 0 ? <p class="muted">No log line holds this request id yet.</p>
          : <pre class="code-block invocation-log" tabIndex={0} aria-label="Log lines of the invocation">{events.map((e) => (/^\d{4}-\d\d-\d\dT/.test(e.message) ? e.message : `${new Date(e.timestamp).toISOString()}\t${e.message}`)).join('\n')}</pre>}
        {group && <CliHint command={awsCli('logs', 'filter-log-events', ['--log-group-name', group, '--filter-pattern', `"${requestId}"`])} />}
        {group && streams[0] && <CliHint label="Copy the whole stream as CLI" command={awsCli('logs', 'get-log-events', ['--log-group-name', group, '--log-stream-name', streams[0], '--start-from-head'])} />}
      </div>

      {config && (
        <div class="card" id="trace">
          <h2>Trace</h2>
          {config.TracingConfig?.Mode !== 'Active' ? <p class="muted">{functionName} is not traced (TracingConfig PassThrough): set Active tracing in its configuration to record a trace of each invocation.</p>
            : trace === undefined ? <p class="muted">Loading…</p>
            : trace === null ? <p class="muted">No trace found for this request id yet.</p>
            : <Waterfall trace={trace} />}
        </div>
      )}
    </section>
  );
}

interface WaterfallRow { segment: SegmentDocument; depth: number }

function rowsOf(segments: SegmentDocument[], depth = 0): WaterfallRow[] {
  return [...segments].sort((a, b) => a.start_time - b.start_time).flatMap((segment) => [{ segment, depth }, ...rowsOf(segment.subsegments ?? [], depth + 1)]);
}

/** Segments and subsegments on one time axis: where each started and how long it took. */
function Waterfall({ trace }: { trace: InvocationTrace }) {
  const rows = rowsOf(trace.segments);
  const start = Math.min(...rows.map((r) => r.segment.start_time));
  const end = Math.max(...rows.map((r) => r.segment.end_time ?? r.segment.start_time));
  const span = Math.max(end - start, 0.001);
  const flags = (s: SegmentDocument) => (['fault', 'throttle', 'error'] as const).filter((flag) => s[flag]);
  return (
    <>
      <p class="hint">Trace <span class="mono">{trace.traceId}</span> · {formatMs(span * 1000)} in all</p>
      <div class="waterfall" role="table" aria-label="Trace segments">
        <div role="row" class="visually-hidden"><span role="columnheader">Segment</span><span role="columnheader">Timeline</span><span role="columnheader">Duration</span></div>
        {rows.map(({ segment, depth }) => {
          const duration = (segment.end_time ?? segment.start_time) - segment.start_time;
          const flagged = flags(segment);
          const exception = segment.cause?.exceptions?.[0];
          return (
            <div role="row" class="waterfall-row" key={segment.id}>
              <span role="cell" class="waterfall-name" style={{ paddingLeft: `${depth * 14}px` }} title={segment.http?.request?.url ?? segment.name}>
                {segment.name}{segment.http?.response?.status !== undefined ? ` (${segment.http.response.status})` : ''}
                {flagged.map((f) => <span key={f} class="waterfall-flag">{f}</span>)}
              </span>
              <span role="cell" class="waterfall-track" title={exception ? `${exception.type ?? ''}: ${exception.message ?? ''}` : undefined}>
                <span class={`waterfall-bar ${flagged[0] ?? ''}`} style={{ left: `${((segment.start_time - start) / span) * 100}%`, width: `${(duration / span) * 100}%` }} />
              </span>
              <span role="cell" class="waterfall-ms">{formatMs(duration * 1000)}</span>
            </div>
          );
        })}
      </div>
      <CliHint command={awsCli('xray', 'batch-get-traces', ['--trace-ids', trace.traceId])} />
    </>
  );
}
