// The one invocation path that synchronous Invoke (and later async events and schedules) share:
// load code, run it in a warm or new environment, and record its log lines after the response.
import { EnvironmentPool, type InvocationReport } from '../../sandbox';
import { loadSourceFiles } from '../code/bundle';
import { functionArn, type Caller } from '../function-names';
import { FETCH_MAX_BODY_BYTES, FETCH_MAX_REQUESTS_PER_INVOCATION } from '../limits';
import type { FunctionRecord } from '../objects/function-registry';
import type { LogEvent } from '../objects/log-store';
import { formatInvocationLog, reportFigures, type ReportFigures } from './log-lines';

const MIB = 1024 * 1024;

/** Warm environments of this isolate. Owned here; lives as long as the isolate. */
let pool: EnvironmentPool | undefined;

function environmentPool(env: Env): EnvironmentPool {
  pool ??= new EnvironmentPool({ budgetBytes: Number(env.FAASBOX_POOL_BUDGET_MB) * MIB });
  return pool;
}

export interface InvocationRequest {
  caller: Caller;
  record: FunctionRecord;
  requestId: string;
  eventJson: string;
  clientContextJson?: string;
}

export interface CompletedInvocation {
  report: InvocationReport;
  figures: ReportFigures;
  logEvents: LogEvent[];
  executedVersion: string;
}

/**
 * Runs one invocation to its outcome. Never throws for anything the function does (the outcome
 * is data); throws only when the platform cannot run it at all (e.g. its code is missing).
 * Log lines are written through `waitUntil`, after the caller has its answer.
 */
export async function invokeFunction(env: Env, waitUntil: (p: Promise<unknown>) => void, request: InvocationRequest): Promise<CompletedInvocation> {
  const { caller, record, requestId } = request;
  const version = '$LATEST';
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
      invokedFunctionArn: functionArn(caller, record.name),
      clientContextJson: request.clientContextJson,
    },
    { fetch: (r) => fetch(r), maxFetchRequests: FETCH_MAX_REQUESTS_PER_INVOCATION, maxFetchBodyBytes: FETCH_MAX_BODY_BYTES },
  );
  const figures = reportFigures(report, record.memorySizeMb);
  const logEvents = formatInvocationLog(requestId, version, startedAtMs, report, figures);
  const logs = env.LOGS.get(env.LOGS.idFromName(caller.accountId));
  waitUntil(
    logs.append(logGroupName, report.logStreamName, logEvents).catch((error: unknown) => {
      // The caller already has its answer; the platform log keeps the failure visible.
      console.error(`log write for ${requestId} failed:`, error);
    }),
  );
  return { report, figures, logEvents, executedVersion: version };
}
