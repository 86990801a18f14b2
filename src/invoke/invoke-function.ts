// The one invocation path that synchronous Invoke and asynchronous events share: admit through
// the account's ConcurrencyLimiter, load code, run it in a warm or new environment, give the
// slot back, and record log lines and metrics after the caller has its answer.
import { EnvironmentPool, type InvocationReport } from '../../sandbox';
import { loadSourceFiles } from '../code/bundle';
import { functionArn, type Caller } from '../function-names';
import { FETCH_MAX_BODY_BYTES, FETCH_MAX_REQUESTS_PER_INVOCATION } from '../limits';
import type { FunctionRecord } from '../objects/function-registry';
import type { LogEvent } from '../objects/log-store';
import type { ThrottleReason } from '../objects/concurrency-limiter';
import type { InvocationUsage, MetricSample } from '../objects/metrics-store';
import { completedInvocationMetrics } from '../metrics/invocation-metrics';
import { formatInvocationLog, reportFigures, type ReportFigures } from './log-lines';
import { guestTraceFields, recordTrace, startTrace, withTraceHeaders, type InvocationTrace } from '../traces/invocation-trace';

const MIB = 1024 * 1024;

/** Warm environments of this isolate. Owned here; lives as long as the isolate. */
let pool: EnvironmentPool | undefined;

function environmentPool(env: Env): EnvironmentPool {
  pool ??= new EnvironmentPool({ budgetBytes: Number(env.FAASBOX_POOL_BUDGET_MB) * MIB });
  return pool;
}

export interface InvocationRequest {
  caller: Caller;
  /** $LATEST or a published version's snapshot (resolve a qualifier with resolveQualifier). */
  record: FunctionRecord;
  /** The qualifier the caller named (alias, version, `$LATEST`), for context.invokedFunctionArn. */
  qualifier?: string;
  requestId: string;
  eventJson: string;
  clientContextJson?: string;
  /** The caller's X-Amzn-Trace-Id (traceparent already converted), if any. */
  traceHeader?: string;
  /**
   * False only in `npm run bench`, to measure what recording costs: no log lines, metrics,
   * billing usage or trace are written. The platform itself always records.
   */
  recording?: boolean;
}

export interface CompletedInvocation {
  kind: 'completed';
  report: InvocationReport;
  figures: ReportFigures;
  logEvents: LogEvent[];
  executedVersion: string;
  trace: InvocationTrace;
}

export interface ThrottledInvocation {
  kind: 'throttled';
  reason: ThrottleReason;
}

type WaitUntil = (p: Promise<unknown>) => void;

export function concurrencyLimiter(env: Env, accountId: string) {
  return env.CONCURRENCY.get(env.CONCURRENCY.idFromName(accountId));
}

/** Adds metric samples (and a completed invocation's billing usage) to the account's MetricsStore after the response: one call. */
export function recordMetrics(env: Env, waitUntil: WaitUntil, accountId: string, samples: MetricSample[], usage?: InvocationUsage): void {
  const metrics = env.METRICS.get(env.METRICS.idFromName(accountId));
  waitUntil(metrics.record(samples, Date.now(), usage).catch((error: unknown) => console.error(`metrics for ${accountId} lost:`, error)));
}

/**
 * Admits and runs one invocation. A throttle is an answer, not an error. Never throws for
 * anything the function does (the outcome is data); throws only when the platform cannot run
 * it at all (e.g. its code is missing), and the slot is given back on every path.
 */
export async function invokeFunction(env: Env, waitUntil: WaitUntil, request: InvocationRequest): Promise<CompletedInvocation | ThrottledInvocation> {
  const { caller, record } = request;
  const trace = startTrace(record, request.traceHeader);
  const traceOutcome = { accountId: caller.accountId, functionName: record.name, functionArn: functionArn(caller, record.name), requestId: request.requestId };
  const limiter = concurrencyLimiter(env, caller.accountId);
  const leaseMs = (record.timeoutSeconds + Number(env.FAASBOX_LEASE_GRACE_SECONDS)) * 1000;
  const grant = await limiter.acquire(record.name, leaseMs);
  const recording = request.recording !== false;
  if (!grant.ok) {
    if (recording) {
      recordMetrics(env, waitUntil, caller.accountId, [{ functionName: record.name, metric: 'Throttles', value: 1 }]);
      recordTrace(env, waitUntil, trace, traceOutcome);
    }
    return { kind: 'throttled', reason: grant.reason };
  }
  let completed: CompletedInvocation;
  try {
    completed = await runInSandbox(env, waitUntil, request, trace);
  } finally {
    waitUntil(limiter.release(grant.leaseId).catch((error: unknown) => console.error(`lease ${grant.leaseId} not released (the sweep will free it):`, error)));
  }
  if (recording) {
    const { samples, usage } = completedInvocationMetrics(request, grant, completed);
    recordMetrics(env, waitUntil, caller.accountId, samples, usage);
    recordTrace(env, waitUntil, trace, { ...traceOutcome, report: completed.report });
  }
  return completed;
}

/** Runs an admitted invocation in the isolate's pool and writes its log lines. */
async function runInSandbox(env: Env, waitUntil: WaitUntil, request: InvocationRequest, trace: InvocationTrace): Promise<CompletedInvocation> {
  const { caller, record, requestId } = request;
  const version = record.version ?? '$LATEST';
  const memoryLimitBytes = Math.min(record.memorySizeMb, Number(env.FAASBOX_SANDBOX_MEMORY_CEILING_MB)) * MIB;
  const files = await loadSourceFiles(env.CODE, record.codeKey);
  const logGroupName = `/aws/lambda/${record.name}`;
  const startedAtMs = Date.now();
  const report = await environmentPool(env).invoke(
    {
      environmentKey: `${caller.accountId}/${record.name}/${version}/${record.revisionId}`,
      files,
      handler: record.handler,
      runtime: record.runtime as never,
      memorySizeMb: record.memorySizeMb,
      memoryLimitBytes,
      timeoutMs: record.timeoutSeconds * 1000,
      environmentVariables: {
        ...record.environment,
        _HANDLER: record.handler,
        AWS_REGION: caller.region,
        AWS_DEFAULT_REGION: caller.region,
        AWS_EXECUTION_ENV: `AWS_Lambda_${record.runtime}`,
        AWS_LAMBDA_FUNCTION_NAME: record.name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(record.memorySizeMb),
        AWS_LAMBDA_FUNCTION_VERSION: version,
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_LAMBDA_LOG_GROUP_NAME: logGroupName,
        LAMBDA_TASK_ROOT: '/var/task',
        LAMBDA_RUNTIME_DIR: '/var/runtime',
        LANG: 'en_US.UTF-8',
        TZ: 'UTC',
      },
      functionName: record.name,
      functionVersion: version,
      logGroupName,
      region: caller.region,
    },
    {
      requestId,
      eventJson: request.eventJson,
      invokedFunctionArn: functionArn(caller, record.name, request.qualifier),
      clientContextJson: request.clientContextJson,
      ...guestTraceFields(trace),
    },
    { fetch: (r, spanId) => fetch(withTraceHeaders(trace, r, spanId)), maxFetchRequests: FETCH_MAX_REQUESTS_PER_INVOCATION, maxFetchBodyBytes: FETCH_MAX_BODY_BYTES },
  );
  const figures = reportFigures(report, record.memorySizeMb, Number(env.FAASBOX_BILLED_DURATION_GRANULARITY_MS));
  if (request.recording === false) return { kind: 'completed', report, figures, logEvents: [], executedVersion: version, trace };
  const logEvents = formatInvocationLog(requestId, version, startedAtMs, report, figures);
  const logs = env.LOGS.get(env.LOGS.idFromName(caller.accountId));
  waitUntil(
    logs.append(logGroupName, report.logStreamName, logEvents).catch((error: unknown) => {
      // The caller already has its answer; the platform log keeps the failure visible.
      console.error(`log write for ${requestId} failed:`, error);
    }),
  );
  return { kind: 'completed', report, figures, logEvents, executedVersion: version, trace };
}
