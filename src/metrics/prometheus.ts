// One account's metrics in the Prometheus text exposition format (version 0.0.4): counters since
// the first sample, duration summaries (quantiles over the recent window; _sum and _count since
// the first sample) and concurrency gauges (maximum over the recent window), labelled function="...".
import type { MetricName } from '../records/metric-catalog';
import { ACCOUNT_LEVEL } from '../records/metric-catalog';
import type { CounterTotal, RecentSummary } from './series';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** Quantiles and gauges cover the current minute and the one before it. */
export const RECENT_WINDOW_MINUTES = 2;

const COUNTERS: [MetricName, string, string][] = [
  ['Invocations', 'faasbox_invocations_total', 'Invocations of the function that ran (throttled requests excluded).'],
  ['Errors', 'faasbox_errors_total', 'Invocations that ended in a function error, timeout or runtime failure.'],
  ['Throttles', 'faasbox_throttles_total', 'Invocation requests refused for lack of concurrency.'],
  ['ColdStarts', 'faasbox_cold_starts_total', 'Invocations that created a new execution environment.'],
  ['DeadLetterErrors', 'faasbox_dead_letter_errors_total', 'Failed async events that could not be sent to the dead-letter queue.'],
  ['DestinationDeliveryFailures', 'faasbox_destination_delivery_failures_total', 'Async invocation records that could not be delivered to a destination.'],
  ['AsyncEventsReceived', 'faasbox_async_events_received_total', 'Events accepted for asynchronous invocation.'],
  ['AsyncEventsDropped', 'faasbox_async_events_dropped_total', 'Async events dropped without being delivered anywhere.'],
];

const SUMMARIES: [MetricName, string, string][] = [
  ['Duration', 'faasbox_duration_seconds', 'Handler duration of invocations.'],
  ['InitDuration', 'faasbox_init_duration_seconds', 'Initialization time of cold starts.'],
  ['AsyncEventAge', 'faasbox_async_event_age_seconds', 'Time from an async event\'s acceptance to its invocation.'],
];

/** The exposition text for one account's counters and recent summaries. */
export function renderPrometheus(counters: CounterTotal[], recent: RecentSummary[]): string {
  const functions = [...new Set(counters.map((c) => c.functionName).filter((f) => f !== ACCOUNT_LEVEL))].sort();
  const counter = (fn: string, metric: MetricName) => counters.find((c) => c.functionName === fn && c.metric === metric);
  const latest = (fn: string, metric: MetricName) => recent.find((r) => r.functionName === fn && r.metric === metric);
  const out: string[] = [];
  const family = (name: string, type: string, help: string) => out.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);

  for (const [metric, name, help] of COUNTERS) {
    family(name, 'counter', help);
    for (const fn of functions) out.push(`${name}${labels({ function: fn })} ${number(counter(fn, metric)?.sum ?? 0)}`);
  }
  for (const [metric, name, help] of SUMMARIES) {
    family(name, 'summary', `${help} Quantiles over the last ${RECENT_WINDOW_MINUTES} minutes.`);
    for (const fn of functions) {
      const window = latest(fn, metric);
      for (const [quantile, value] of [['0.5', window?.p50], ['0.99', window?.p99]] as const) {
        out.push(`${name}${labels({ function: fn, quantile })} ${number(value === undefined ? NaN : value / 1000)}`);
      }
      const total = counter(fn, metric);
      out.push(`${name}_sum${labels({ function: fn })} ${number((total?.sum ?? 0) / 1000)}`);
      out.push(`${name}_count${labels({ function: fn })} ${number(total?.count ?? 0)}`);
    }
  }
  family('faasbox_concurrent_executions', 'gauge', `Most executions of the function running at once over the last ${RECENT_WINDOW_MINUTES} minutes.`);
  for (const fn of functions) out.push(`faasbox_concurrent_executions${labels({ function: fn })} ${number(latest(fn, 'ConcurrentExecutions')?.max ?? 0)}`);
  family('faasbox_account_concurrent_executions', 'gauge', `Most executions of the account running at once over the last ${RECENT_WINDOW_MINUTES} minutes.`);
  out.push(`faasbox_account_concurrent_executions ${number(latest(ACCOUNT_LEVEL, 'ConcurrentExecutions')?.max ?? 0)}`);
  family('faasbox_account_unreserved_concurrent_executions', 'gauge', `Most executions without reserved concurrency running at once over the last ${RECENT_WINDOW_MINUTES} minutes.`);
  out.push(`faasbox_account_unreserved_concurrent_executions ${number(latest(ACCOUNT_LEVEL, 'UnreservedConcurrentExecutions')?.max ?? 0)}`);
  return out.join('\n') + '\n';
}

function labels(values: Record<string, string>): string {
  const pairs = Object.entries(values).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return `{${pairs.join(',')}}`;
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function number(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
