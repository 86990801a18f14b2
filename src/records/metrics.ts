// What the invocation path writes to an account's MetricsStore: metric samples and the billing
// usage of one completed invocation (docs/METRICS.md, docs/BILLING.md).
import type { MetricName } from './metric-catalog';

export type { MetricName } from './metric-catalog';

export interface MetricSample {
  /** The function, or ACCOUNT_LEVEL ('') for account-level samples. */
  functionName: string;
  metric: MetricName;
  value: number;
}

/** What one completed invocation used; everything billing needs. */
export interface InvocationUsage {
  requestId: string;
  functionName: string;
  /** From the REPORT line: handler + init time, rounded up to the configured granularity. */
  billedDurationMs: number;
  /** The function's configured MemorySize. */
  memorySizeMb: number;
}

/** One invocation's (or throttle's) samples at `atMs`, and a completed invocation's usage: an entry of a batch (MetricsStore.recordBatch). */
export interface MetricsEntry {
  samples: MetricSample[];
  atMs: number;
  usage?: InvocationUsage;
}
