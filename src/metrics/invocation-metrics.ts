// What one completed invocation adds to its account's MetricsStore: Lambda's per-function samples,
// the account-level concurrency samples, and the billing usage from its REPORT figures.
import type { InvocationUsage } from '../billing/usage-ledger';
import type { Lease } from '../records/concurrency';
import { ACCOUNT_LEVEL } from '../records/metric-catalog';
import type { MetricSample } from './series';

interface Completed {
  report: { result: { kind: 'success' | 'failure' } };
  figures: { durationMs: number; billedDurationMs: number; memorySizeMb: number; initDurationMs?: number; restoreDurationMs?: number };
}

/** Samples and usage of a completed invocation of `request.record` admitted with `grant`. */
export function completedInvocationMetrics(
  request: { requestId: string; record: { name: string } },
  grant: Lease,
  completed: Completed,
): { samples: MetricSample[]; usage: InvocationUsage } {
  const functionName = request.record.name;
  const { figures } = completed;
  // A SnapStart restore is a cold start too (a new environment), with no init of its own.
  const cold = figures.initDurationMs !== undefined || figures.restoreDurationMs !== undefined;
  const samples: MetricSample[] = [
    { functionName, metric: 'Invocations', value: 1 },
    // 0 or 1: the sum counts them, the average is the rate.
    { functionName, metric: 'Errors', value: completed.report.result.kind === 'failure' ? 1 : 0 },
    { functionName, metric: 'ColdStarts', value: cold ? 1 : 0 },
    { functionName, metric: 'Duration', value: figures.durationMs },
    { functionName, metric: 'ConcurrentExecutions', value: grant.functionConcurrentExecutions },
    { functionName: ACCOUNT_LEVEL, metric: 'ConcurrentExecutions', value: grant.concurrentExecutions },
    { functionName: ACCOUNT_LEVEL, metric: 'UnreservedConcurrentExecutions', value: grant.unreservedConcurrentExecutions },
  ];
  if (figures.initDurationMs !== undefined) samples.push({ functionName, metric: 'InitDuration', value: figures.initDurationMs });
  return {
    samples,
    usage: { requestId: request.requestId, functionName, billedDurationMs: figures.billedDurationMs, memorySizeMb: figures.memorySizeMb },
  };
}
