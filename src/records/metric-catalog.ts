// The metrics faasbox records: Lambda's names (../shared/LAMBDA-REFERENCE.md) plus cold starts and
// init duration; each with its CloudWatch unit, its scope and whether percentiles are kept.

export type MetricName =
  | 'Invocations' | 'Errors' | 'Throttles' | 'Duration' | 'ColdStarts' | 'InitDuration'
  | 'ConcurrentExecutions' | 'UnreservedConcurrentExecutions'
  | 'DeadLetterErrors' | 'DestinationDeliveryFailures' | 'AsyncEventsReceived' | 'AsyncEventAge' | 'AsyncEventsDropped';

export interface MetricDefinition {
  unit: 'Count' | 'Milliseconds';
  /** Samples also go into a log-bucketed histogram, so p50/p99 can be read (src/metrics/histogram.ts). */
  histogram: boolean;
  /** Recorded per account only (no FunctionName), as Lambda's UnreservedConcurrentExecutions. */
  accountOnly: boolean;
}

const count = { unit: 'Count', histogram: false, accountOnly: false } as const;
const timing = { unit: 'Milliseconds', histogram: true, accountOnly: false } as const;

export const METRICS: Record<MetricName, MetricDefinition> = {
  Invocations: count,
  Errors: count,
  Throttles: count,
  Duration: timing,
  ColdStarts: count,
  InitDuration: timing,
  ConcurrentExecutions: count,
  UnreservedConcurrentExecutions: { ...count, accountOnly: true },
  DeadLetterErrors: count,
  DestinationDeliveryFailures: count,
  AsyncEventsReceived: count,
  AsyncEventsDropped: count,
  AsyncEventAge: timing,
};

/**
 * The function name under which account-level samples are stored (ConcurrentExecutions and
 * UnreservedConcurrentExecutions without a FunctionName). Lambda never accepts an empty name.
 */
export const ACCOUNT_LEVEL = '';

/** Metrics that exist at account level on their own rather than as the sum over functions. */
export const ACCOUNT_LEVEL_METRICS: ReadonlySet<MetricName> = new Set(['ConcurrentExecutions', 'UnreservedConcurrentExecutions']);

export function isMetricName(value: string): value is MetricName {
  return Object.hasOwn(METRICS, value);
}
