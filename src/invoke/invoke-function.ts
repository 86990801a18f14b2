// The one invocation path that synchronous Invoke and asynchronous events share: admit through
// the account's ConcurrencyLimiter (a slot kept in the isolate when one is idle: admission.ts), load code, run it in a warm or new environment, give the
// slot back, and record its metrics, billing usage and trace after the caller has its answer; its
// log lines go to the LogStore while it runs (invocation-log-writer.ts).
import { EnvironmentPool, isPythonRuntime, lambdaNodePath, type EgressRules, type InvocationReport } from '../../sandbox';
import { loadSourceFiles } from '../code/bundle';
import { functionArn, type Caller } from '../function-names';
import { ENVIRONMENT_MAX_AGE_SECONDS, FETCH_MAX_BODY_BYTES, FETCH_MAX_REQUESTS_PER_INVOCATION, SANDBOX_FETCH_MAX_BODY_BYTES, SANDBOX_FETCH_MAX_REQUESTS_PER_INVOCATION } from '../limits';
import { snapStartApplies, type FunctionEgress, type FunctionRecord } from '../records/function';
import type { LogEvent } from '../records/logs';
import type { QuotaRefusal, ThrottleReason } from '../records/concurrency';
import { completedInvocationMetrics } from '../metrics/invocation-metrics';
import { logStore } from '../bindings';
import { recordMetrics } from './metrics-batch';
import { admit, finish, giveBack } from './admission';
import { readConfig } from '../config';
import { accountCipher, openEnvironment, SealError, undecryptableEnvironmentMessage, type EnvironmentVariables } from '../crypto/envelope';
import { LambdaError } from '../errors';
import { reportFigures, type ReportFigures } from './log-lines';
import { InvocationLogWriter } from './invocation-log-writer';
import { functionLogGroup, invocationLogging, loggingVariables } from '../logs/logging-config';
import { guestTraceFields, recordTrace, startTrace, withTraceHeaders, type InvocationTrace } from '../traces/invocation-trace';
import { EGRESS_OFF_MESSAGE } from '../playground/quota-messages';
import { executionRole, logsDeniedMessage } from '../services/iam/execution-role';
import { functionCredentialVariables } from './function-credentials';
import { fetchInternalApi, INTERNAL_AWS_ORIGIN, isInternalApiRequest } from './internal-endpoint';
import { rememberedPlatformHosts } from './platform-hosts';
import { functionEgressRules } from '../services/function-egress';

const MIB = 1024 * 1024;

/**
 * How long an admitted invocation waits for room in the isolate's pool budget before it is
 * throttled as Lambda throttles past its concurrency (429, or a retried async event), in ms.
 * Short: the caller's slot is held meanwhile, and another isolate may have the room.
 */
const POOL_WAIT_MAX_MS = 2_000;

/** Warm environments of this isolate. Owned here; lives as long as the isolate. */
let pool: EnvironmentPool | undefined;

function environmentPool(env: Env): EnvironmentPool {
  // Environments retire before the role credentials minted at their creation expire (limits.ts).
  const config = readConfig(env);
  pool ??= new EnvironmentPool({ budgetBytes: config.poolBudgetMb * MIB, maxEnvironmentAgeMs: ENVIRONMENT_MAX_AGE_SECONDS * 1000, spareEnvironments: config.poolSpareEnvironments });
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

export interface CompletedInvocation extends SandboxRun {
  kind: 'completed';
  /** Its log lines as written (empty when recording is off). */
  logEvents: LogEvent[];
  trace: InvocationTrace;
  /** The account is a playground sandbox (its async retry delays are the playground's). */
  sandbox: boolean;
  /** Why no line of it was written to its log group (its execution role may not write them), if so. */
  logsDenied?: string;
}

export interface ThrottledInvocation {
  kind: 'throttled';
  reason: ThrottleReason;
  /** Set when a playground sandbox's quota, not concurrency, refused it (docs/PLAYGROUND.md, "Quotas"). */
  quota?: QuotaRefusal;
}

type WaitUntil = (p: Promise<unknown>) => void;

/**
 * Admits and runs one invocation. A throttle is an answer, not an error. Never throws for
 * anything the function does (the outcome is data); throws only when the platform cannot run
 * it at all (e.g. its code is missing; its variables cannot be decrypted: a LambdaError), and
 * the slot is given back on every path.
 */
export async function invokeFunction(env: Env, waitUntil: WaitUntil, request: InvocationRequest): Promise<CompletedInvocation | ThrottledInvocation> {
  const { caller, record } = request;
  // Before a slot is taken: variables that cannot be decrypted stop the invocation before it starts.
  // The execution role decides what is recorded for the function: log lines, its trace (docs/IAM.md).
  const [variables, role] = await Promise.all([functionVariables(env, caller, record), executionRole(env, caller.accountId, record.role)]);
  const started = startTrace(record, request.traceHeader);
  const trace = started.recorded && !role.allows('xray:PutTraceSegments', '*') ? { ...started, recorded: false } : started;
  const logsDenied = logsDeniedMessage(role, caller.region, caller.accountId, functionLogGroup(record));
  const recording = request.recording !== false;
  const leaseMs = (record.timeoutSeconds + readConfig(env).leaseGraceSeconds) * 1000;
  const grant = await admit(env, waitUntil, caller.accountId, record.name, leaseMs);
  if (!grant.ok) {
    if (recording) {
      recordMetrics(env, waitUntil, caller.accountId, [{ functionName: record.name, metric: 'Throttles', value: 1 }]);
      if (trace.recorded) recordTrace(env, waitUntil, trace, traceOutcome(request));
    }
    // A quota refusal is reported as Lambda reports a caller over its limits.
    if (grant.error === 'sandbox-quota') return { kind: 'throttled', reason: 'CallerRateLimitExceeded', quota: grant.refusal };
    return { kind: 'throttled', reason: grant.error };
  }
  const slot = grant.value;
  const { sandbox } = slot.lease;
  // Lines reach the store (and every live tail) while the function runs; recording off writes none,
  // and a role that may not write logs has them made (the caller's log tail) but written nowhere.
  const logWriter = recording
    ? new InvocationLogWriter(logsDenied ? undefined : logStore(env, caller.accountId), waitUntil, {
      requestId: request.requestId, version: record.version ?? '$LATEST', logGroupName: functionLogGroup(record), functionName: record.name,
      runtimeVersionArn: `arn:aws:lambda:${caller.region}::runtime:faasbox-quickjs`, logging: invocationLogging(record),
    })
    : undefined;
  let run: SandboxRun | 'pool-full' | undefined;
  let released: Promise<unknown> | undefined;
  try {
    run = await runInSandbox(env, waitUntil, request, variables, trace, logWriter, sandbox);
  } finally {
    if (run === undefined) logWriter?.abandon();
    // A sandbox's billed figures go back with the slot (its cost cap is checked at admission); other accounts send none.
    const billed = sandbox && run && run !== 'pool-full' ? { billedDurationMs: run.figures.billedDurationMs, memorySizeMb: run.figures.memorySizeMb } : undefined;
    // A slot the platform failed in, or that found no room in the pool, goes back at once; a used one may serve the next invocation.
    released = run === undefined || run === 'pool-full' ? giveBack(env, waitUntil, slot) : finish(env, waitUntil, slot, billed);
  }
  // A sandbox's next invocation must see this one's slot and cost (its concurrency of 2, its cost cap): wait for them.
  if (sandbox) await released;
  if (run === 'pool-full') {
    // The isolate's memory budget, not the account's concurrency, ran out: Lambda's answer to
    // capacity it does not have is the same throttle.
    if (recording) recordMetrics(env, waitUntil, caller.accountId, [{ functionName: record.name, metric: 'Throttles', value: 1 }]);
    return { kind: 'throttled', reason: 'ConcurrentInvocationLimitExceeded' };
  }
  if (!logWriter) return { kind: 'completed', ...run, logEvents: [], trace, sandbox };

  // What is left to record, written after the answer: the closing log lines, metrics with billing usage, trace.
  const logEvents = logWriter.close(run.report, run.figures);
  const { samples, usage } = completedInvocationMetrics(request, slot.lease, run);
  recordMetrics(env, waitUntil, caller.accountId, samples, usage);
  if (trace.recorded) recordTrace(env, waitUntil, trace, { ...traceOutcome(request), report: run.report });
  return { kind: 'completed', ...run, logEvents, trace, sandbox, ...(logsDenied && { logsDenied }) };
}

function traceOutcome({ caller, record, requestId }: InvocationRequest) {
  return { accountId: caller.accountId, functionName: record.name, functionArn: functionArn(caller, record.name), requestId };
}

/** What running an admitted invocation produced, before anything is recorded. */
interface SandboxRun {
  report: InvocationReport;
  figures: ReportFigures;
  executedVersion: string;
  logGroupName: string;
  startedAtMs: number;
}

/**
 * The function's variables in clear: opened here, for the sandbox only (never logged). When they
 * cannot be, Lambda's 502 KMSAccessDeniedException; the platform log says why (key ids, no values).
 */
async function functionVariables(env: Env, caller: Caller, record: FunctionRecord): Promise<EnvironmentVariables> {
  try {
    return await openEnvironment(accountCipher(env, caller.accountId), record.name, record.sealedEnvironment);
  } catch (error) {
    if (!(error instanceof SealError)) throw error;
    console.error(`environment variables of ${caller.accountId}/${record.name} not decrypted: ${error.message}`);
    throw new LambdaError(502, 'KMSAccessDeniedException', undecryptableEnvironmentMessage(error.reason), { messageField: 'Message', errorKind: 'User' });
  }
}

/**
 * Runs an admitted invocation in the isolate's pool with `variables` (the function's own, in
 * clear); 'pool-full' when the pool had no room for it within POOL_WAIT_MAX_MS.
 */
async function runInSandbox(
  env: Env, waitUntil: WaitUntil, request: InvocationRequest, variables: EnvironmentVariables, trace: InvocationTrace, logWriter: InvocationLogWriter | undefined, sandbox: boolean,
): Promise<SandboxRun | 'pool-full'> {
  const { caller, record, requestId } = request;
  const version = record.version ?? '$LATEST';
  const memoryLimitBytes = Math.min(record.memorySizeMb, readConfig(env).sandboxMemoryCeilingMb) * MIB;
  const files = await loadSourceFiles(env.CODE, record.codeKey);
  // Each layer's files, in order (the sandbox lets a later one's win); cached like the function's own.
  const layerFiles = await Promise.all((record.layers ?? []).map((layer) => loadSourceFiles(env.CODE, layer.codeKey)));
  const logGroupName = functionLogGroup(record);
  const logging = invocationLogging(record);
  const startedAtMs = Date.now();
  const observer = logWriter?.begin(startedAtMs);
  const outcome = await environmentPool(env).invokeWithin(
    {
      environmentKey: `${caller.accountId}/${record.name}/${version}/${record.revisionId}`,
      files,
      ...(layerFiles.length > 0 && { layerFiles }),
      handler: record.handler,
      runtime: record.runtime as never,
      memorySizeMb: record.memorySizeMb,
      memoryLimitBytes,
      timeoutMs: record.timeoutSeconds * 1000,
      environmentVariables: {
        // faasbox's own APIs, in process (internal-endpoint.ts); a function's own value wins (it may name real AWS).
        AWS_ENDPOINT_URL: INTERNAL_AWS_ORIGIN,
        // Lambda's bootstrap sets NODE_PATH only when the function has not (layers' node_modules first);
        // its Python runtimes set PYTHONPATH to the runtime's own directory.
        ...(isPythonRuntime(record.runtime) ? { PYTHONPATH: '/var/runtime' } : { NODE_PATH: lambdaNodePath(record.runtime) }),
        ...variables,
        _HANDLER: record.handler,
        AWS_REGION: caller.region,
        AWS_DEFAULT_REGION: caller.region,
        AWS_EXECUTION_ENV: `AWS_Lambda_${record.runtime}`,
        AWS_LAMBDA_FUNCTION_NAME: record.name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(record.memorySizeMb),
        AWS_LAMBDA_FUNCTION_VERSION: version,
        // As Lambda: snap-start for a version whose environments are restored from a snapshot.
        AWS_LAMBDA_INITIALIZATION_TYPE: snapStartApplies(record) ? 'snap-start' : 'on-demand',
        AWS_LAMBDA_LOG_GROUP_NAME: logGroupName,
        LAMBDA_TASK_ROOT: '/var/task',
        LAMBDA_RUNTIME_DIR: '/var/runtime',
        LANG: 'en_US.UTF-8',
        TZ: 'UTC',
        ...loggingVariables(logging),
      },
      // The role's session: minted only for a new environment (a warm one keeps its own).
      coldStartVariables: () => functionCredentialVariables(env, caller.accountId, record.name, record.role),
      functionName: record.name,
      functionVersion: version,
      // SnapStart applies to published versions only, as Lambda's ApplyOn: PublishedVersions.
      ...(snapStartApplies(record) && { snapStart: true }),
      logGroupName,
      region: caller.region,
      logFormat: logging.logFormat,
      ...(logging.logFormat === 'JSON' && { applicationLogLevel: logging.applicationLogLevel }),
    },
    {
      requestId,
      eventJson: request.eventJson,
      invokedFunctionArn: functionArn(caller, record.name, request.qualifier),
      clientContextJson: request.clientContextJson,
      ...guestTraceFields(trace),
    },
    {
      // AWS_ENDPOINT_URL is served by this Worker's own app, in process; everything else is the network.
      fetch: (r, spanId) => (isInternalApiRequest(r) ? fetchInternalApi(env, waitUntil, withTraceHeaders(trace, r, spanId)) : fetch(withTraceHeaders(trace, r, spanId))),
      internalOrigin: INTERNAL_AWS_ORIGIN,
      maxFetchRequests: sandbox ? SANDBOX_FETCH_MAX_REQUESTS_PER_INVOCATION : FETCH_MAX_REQUESTS_PER_INVOCATION,
      maxFetchBodyBytes: sandbox ? SANDBOX_FETCH_MAX_BODY_BYTES : FETCH_MAX_BODY_BYTES,
      egress: sandbox ? sandboxEgressRules(env, record.egress) : egressRules(env, record.egress),
      observer,
    },
    POOL_WAIT_MAX_MS,
  );
  // The next cold start's spare is bootstrapped after the response, off every caller's path.
  waitUntil(environmentPool(env).prepareSpares());
  if ('throttled' in outcome) return 'pool-full';
  const report = outcome;
  const figures = reportFigures(report, record.memorySizeMb, readConfig(env).billedDurationGranularityMs);
  return { report, figures, executedVersion: version, logGroupName, startedAtMs };
}

/**
 * What this platform adds to the sandbox's fixed egress rules (docs/SECURITY.md): the operator's
 * allow list; as its own hosts the function URL domain, the operator's deny list and the hosts
 * this isolate has answered requests on; then the function's own lists (`egress`, its version's).
 */
function egressRules(env: Env, egress?: FunctionEgress): EgressRules {
  const { egressAllow, egressDeny, region, urlDomain } = readConfig(env);
  return {
    allow: egressAllow,
    platformDomains: [`lambda-url.${region}.${urlDomain}`.toLowerCase(), ...egressDeny],
    platformHosts: rememberedPlatformHosts(),
    ...(egress && { function: functionEgressRules(egress) }),
  };
}

/** The platform's egress rules without a function's own lists: what SNS's HTTP(S) deliveries pass (docs/SECURITY.md). */
export function platformEgressRules(env: Env): EgressRules {
  return egressRules(env);
}

/**
 * A playground sandbox's egress (docs/PLAYGROUND.md, "Quotas"): none while FAASBOX_PLAYGROUND_EGRESS
 * is off; when on, the platform's rules over https only (the caps are SANDBOX_FETCH_*).
 */
export function sandboxEgressRules(env: Env, egress?: FunctionEgress): EgressRules {
  const rules = egressRules(env, egress);
  return readConfig(env).playgroundEgress ? { ...rules, httpsOnly: true } : { ...rules, refuseAll: EGRESS_OFF_MESSAGE };
}
