// Function overview (Lambda's designer): triggers -> function -> destinations as an SVG diagram
// laid out by dagre (imported lazily), each node a link to its configuration section, each edge
// labelled with the last hour's counts (refreshed every 30 s and whenever the Monitor tab reads
// fresh data). The same edges are listed as text for screen readers and keyboard users.
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { FunctionTabProps } from './tab-props';
import { loadOverview, type Destination, type Overview, type Trigger } from '../../aws/overview';
import { metricStatistics, monitorRefreshed, total, type MetricName } from '../../aws/metrics';
import type { FlowLayout } from '../../charts/flow-layout';
import { ErrorBanner } from '../../components/ErrorBanner';
import '../../styles/designer.css';

const REFRESH_MS = 30_000;
const HOUR_MS = 3_600_000;
const SIDE_NODE = { width: 230, height: 62 };
const FUNCTION_NODE = { width: 270, height: 70 };
const LABEL = { width: 150, height: 22 };
/** Rough widths of a character of the node's title (13.5px, bold) and detail (12px): SVG text does not wrap or ellipsize. */
const TITLE_CHAR_PX = 8.2;
const DETAIL_CHAR_PX = 6.9;

const KIND_CAPTION: Record<Trigger['kind'] | Destination['kind'], string> = {
  url: 'Function URL', schedule: 'EventBridge schedule', sqs: 'SQS queue', s3: 'S3 bucket', sns: 'SNS topic',
  'on-success': 'On success', 'on-failure': 'On failure', dlq: 'Dead-letter queue',
};
/** Configuration tab sections (their element ids) each node links to. */
const KIND_SECTION: Record<Trigger['kind'] | Destination['kind'], string> = {
  url: 'function-url', schedule: 'triggers', sqs: 'triggers', s3: 'permissions', sns: 'permissions',
  'on-success': 'destinations', 'on-failure': 'destinations', dlq: 'asynchronous-invocation',
};

type Counts = Partial<Record<MetricName, number>>;

interface DiagramNode { id: string; caption: string; title: string; detail: string; href: string; kind: string; width: number; height: number }
interface DiagramEdge { from: string; to: string; label: string; description: string }

let layoutModule: Promise<typeof import('../../charts/flow-layout')> | undefined;
const loadLayout = () => (layoutModule ??= import('../../charts/flow-layout'));

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function Designer({ name, details }: FunctionTabProps) {
  const config = details.Configuration;
  const [overview, setOverview] = useState<Overview>();
  const [counts, setCounts] = useState<Counts>();
  const [error, setError] = useState<unknown>();
  const [layout, setLayout] = useState<FlowLayout>();
  const { route } = useLocation();
  const configHref = (section: string) => `/console/functions/${encodeURIComponent(name)}/configuration#${section}`;

  useEffect(() => {
    let current = true;
    loadOverview(config).then((o) => { if (current) { setOverview(o); setError(undefined); } }, (e: unknown) => { if (current) setError(e); });
    return () => { current = false; };
  }, [config]);

  const hasDestinations = (overview?.destinations.length ?? 0) > 0;
  const refreshTick = monitorRefreshed.value;
  useEffect(() => {
    let current = true;
    const read = async () => {
      const endMs = Date.now();
      const metrics: MetricName[] = ['Invocations', 'Errors', ...(hasDestinations ? ['AsyncEventsReceived', 'DestinationDeliveryFailures', 'DeadLetterErrors'] as const : [])];
      try {
        const answers = await Promise.all(metrics.map((metric) => metricStatistics({ metric, functionName: name, startMs: endMs - HOUR_MS, endMs, periodSeconds: 3600, statistics: ['Sum'] })));
        if (current) setCounts(Object.fromEntries(metrics.map((m, i) => [m, total(answers[i])])));
      } catch (e) {
        if (current) setError(e);
      }
    };
    void read();
    const timer = setInterval(() => { if (!document.hidden) void read(); }, REFRESH_MS);
    return () => { current = false; clearInterval(timer); };
  }, [name, hasDestinations, refreshTick]);

  const fn = `fn:${name}`;
  const invocations = counts?.Invocations;
  const invocationLabel = counts ? `${plural(invocations ?? 0, 'invocation')} · ${plural(counts.Errors ?? 0, 'error')}` : 'counting…';
  const nodes: DiagramNode[] = [
    ...(overview?.triggers ?? []).map((t) => ({ ...SIDE_NODE, id: t.id, kind: t.kind, caption: KIND_CAPTION[t.kind], title: t.title, detail: t.detail, href: configHref(KIND_SECTION[t.kind]) })),
    { ...FUNCTION_NODE, id: fn, kind: 'function', caption: 'Lambda function', title: name, detail: `Last hour: ${invocationLabel}`, href: configHref('general') },
    ...(overview?.destinations ?? []).map((d) => ({ ...SIDE_NODE, id: d.id, kind: d.kind, caption: KIND_CAPTION[d.kind], title: d.title, detail: d.detail, href: configHref(KIND_SECTION[d.kind]) })),
  ];
  const edges: DiagramEdge[] = [
    ...(overview?.triggers ?? []).map((t) => ({
      from: t.id, to: fn, label: invocationLabel,
      description: `${KIND_CAPTION[t.kind]} ${t.title} invokes ${name}: the function had ${invocationLabel} in the last hour (all sources together).`,
    })),
    ...(overview?.destinations ?? []).map((d) => {
      const failures = d.kind === 'dlq' ? counts?.DeadLetterErrors ?? 0 : counts?.DestinationDeliveryFailures ?? 0;
      const label = counts ? `${counts.AsyncEventsReceived ?? 0} async · ${failures} failed` : 'counting…';
      return {
        from: fn, to: d.id, label,
        description: `${name} sends ${d.kind === 'dlq' ? 'events that failed every attempt' : d.kind === 'on-success' ? 'records of successful async invocations' : 'records of failed async invocations'} to ${KIND_CAPTION[d.kind].toLowerCase()} ${d.title} (${d.arn}): ${counts?.AsyncEventsReceived ?? 0} async events and ${plural(failures, d.kind === 'dlq' ? 'dead-letter error' : 'delivery failure')} in the last hour.`,
      };
    }),
  ];
  const shape = nodes.map((n) => n.id).join('|');

  useEffect(() => {
    if (!overview) return;
    let current = true;
    void loadLayout().then(({ layoutFlow }) => {
      if (current) setLayout(layoutFlow(nodes, edges.map((e) => ({ from: e.from, to: e.to, labelWidth: LABEL.width, labelHeight: LABEL.height }))));
    });
    return () => { current = false; };
  }, [overview, shape]);

  const follow = (href: string) => (event: MouseEvent) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    // preact-iso routes HTML links only; SVG links would reload the page.
    event.preventDefault();
    route(href);
  };

  return (
    <section class="designer card" aria-labelledby="designer-title">
      <div class="designer-head">
        <h2 id="designer-title">Function overview</h2>
        <span class="muted">counts of the last hour, refreshed every 30 s</span>
      </div>
      <ErrorBanner error={error} />
      <div class="designer-canvas">
        {layout && overview ? (
          <svg class="designer-diagram" width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} role="group" aria-label={`Diagram of ${name}'s triggers and destinations`}>
            <defs>
              <marker id="designer-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" class="designer-arrowhead" />
              </marker>
            </defs>
            {layout.edges.map((placed, i) => (
              <g key={`${placed.from}>${placed.to}`} class="designer-edge">
                <polyline points={placed.points.map((p) => `${p.x},${p.y}`).join(' ')} marker-end="url(#designer-arrow)" />
                <rect x={placed.label.x - LABEL.width / 2} y={placed.label.y - LABEL.height / 2} width={LABEL.width} height={LABEL.height} rx="11" />
                <text x={placed.label.x} y={placed.label.y + 4} text-anchor="middle" data-edge={`${placed.from}>${placed.to}`}>{edges[i]?.label}</text>
              </g>
            ))}
            {nodes.map((node) => {
              const at = layout.nodes.get(node.id);
              if (!at) return null;
              const left = at.x - node.width / 2;
              const top = at.y - node.height / 2;
              const title = truncate(node.title, Math.floor((node.width - 24) / TITLE_CHAR_PX));
              const detail = truncate(node.detail, Math.floor((node.width - 24) / DETAIL_CHAR_PX));
              return (
                // Named by its visible text (axe: label-content-name-mismatch); the list below has every name in full.
                <a key={node.id} href={node.href} onClick={follow(node.href)} class={`designer-node kind-${node.kind}`}>
                  <rect x={left} y={top} width={node.width} height={node.height} rx="8" />
                  <rect x={left} y={top} width="6" height={node.height} rx="3" class="designer-stripe" />
                  <text x={left + 16} y={top + 18} class="designer-caption">{node.caption}</text>
                  <text x={left + 16} y={top + 38} class="designer-title">{title}</text>
                  <text x={left + 16} y={top + 56} class="designer-detail">{detail}</text>
                </a>
              );
            })}
          </svg>
        ) : (
          <p class="muted" role="status">Loading the overview…</p>
        )}
      </div>
      <div class="designer-actions">
        <a class="button small" href={configHref('triggers')}>+ Add trigger</a>
        <a class="button small" href={configHref('destinations')}>+ Add destination</a>
      </div>
      {overview && (
        <details class="designer-edges">
          <summary>Connections as a list</summary>
          {edges.length === 0 ? (
            <p class="muted">{name} has no triggers or destinations yet: it runs when invoked through the API ({invocationLabel} in the last hour).</p>
          ) : (
            <ul>
              {edges.map((e) => <li key={`${e.from}>${e.to}`}>{e.description}</li>)}
            </ul>
          )}
          <p class="hint">faasbox counts invocations per function, not per trigger: every trigger's edge shows the function's totals.</p>
        </details>
      )}
    </section>
  );
}
