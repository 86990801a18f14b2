// One invocation's log lines as Lambda writes them: in Text, START, the function's console lines,
// END, REPORT; in JSON, the function's records as JSON objects and the platform lines as JSON
// platform events (platform.initStart, start, runtimeDone, report...), each format's levels applied.
import type { ConsoleRecord, InvocationReport } from '../../sandbox/contract';
import type { LogEvent } from '../records/logs';
import type { SystemLogLevel } from '../records/function';
import { bytesToBase64 } from '../base64';
import { passesLevel, type InvocationLogging } from '../logs/logging-config';

const MIB = 1024 * 1024;

export interface ReportFigures {
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  /** A SnapStart restore (instead of init): its time, and that time billed (rounded up to 1 ms). */
  restoreDurationMs?: number;
  billedRestoreDurationMs?: number;
}

/**
 * Billed duration: the handler's time plus init time on a cold start (Lambda bills INIT since
 * August 2025), rounded up to a multiple of `billedGranularityMs` (1 ms; 100 ms before December
 * 2020, FAASBOX_BILLED_DURATION_GRANULARITY_MS), and at least one such unit.
 */
export function reportFigures(report: InvocationReport, memorySizeMb: number, billedGranularityMs = 1): ReportFigures {
  const unitMs = Number.isInteger(billedGranularityMs) && billedGranularityMs >= 1 ? billedGranularityMs : 1;
  return {
    durationMs: report.durationMs,
    billedDurationMs: Math.max(1, Math.ceil((report.durationMs + (report.initDurationMs ?? 0)) / unitMs)) * unitMs,
    memorySizeMb,
    maxMemoryUsedMb: Math.ceil(report.maxMemoryUsedBytes / MIB),
    initDurationMs: report.initDurationMs,
    ...(report.restoreDurationMs !== undefined && { restoreDurationMs: report.restoreDurationMs, billedRestoreDurationMs: Math.max(1, Math.ceil(report.restoreDurationMs)) }),
  };
}

/** Whose lines are written, and how (its LoggingConfig's format and levels). */
export interface InvocationLogTarget {
  requestId: string;
  /** The version that runs, as START names it. */
  version: string;
  logGroupName: string;
  functionName: string;
  /** As GetFunction's RuntimeVersionConfig names it (platform.initStart carries it). */
  runtimeVersionArn: string;
  logging?: InvocationLogging;
}

const isJson = (target: InvocationLogTarget) => target.logging?.logFormat === 'JSON';

/** The lines that open an invocation, stamped when it was sent to the sandbox: START, or in JSON platform.initStart (cold) and platform.start. */
export function openingLines(target: InvocationLogTarget, startedAtMs: number, coldStart: boolean): LogEvent[] {
  const { requestId, version } = target;
  if (!isJson(target)) return [{ timestamp: startedAtMs, message: `START RequestId: ${requestId} Version: ${version}`, platform: true }];
  const events: (LogEvent | undefined)[] = [];
  if (coldStart) {
    events.push(platformEvent(target, startedAtMs, 'platform.initStart', 'INFO', {
      initializationType: 'on-demand', phase: 'init', runtimeVersion: RUNTIME_VERSION, runtimeVersionArn: target.runtimeVersionArn,
      functionName: target.functionName, functionVersion: version,
    }));
  }
  events.push(platformEvent(target, startedAtMs, 'platform.start', 'INFO', { requestId, version }));
  return events.filter(isEvent);
}

/**
 * One console record as Lambda writes it, or undefined when its level is below the function's:
 * Text, time, request id, level, text; JSON, `{"timestamp","level","requestId",...}` with the
 * record's fields (the sandbox made them: message, and an Error's errorType/errorMessage/stackTrace).
 */
export function consoleLine(target: InvocationLogTarget, record: ConsoleRecord): LogEvent | undefined {
  const { requestId } = target;
  // A Python function's print output and its runtime's own formatted lines: as written, in every format.
  if (record.raw) return { timestamp: record.timestampMs, message: record.message };
  if (!isJson(target)) return { timestamp: record.timestampMs, message: `${new Date(record.timestampMs).toISOString()}\t${requestId}\t${record.level}\t${record.message}` };
  if (!passesLevel(record.level, target.logging!.applicationLogLevel)) return undefined;
  const fields = record.marker || !/^\{[\s\S]*\}$/.test(record.message) ? JSON.stringify({ message: record.message }) : record.message;
  return { timestamp: record.timestampMs, message: applicationRecord(record.timestampMs, record.level, requestId, fields) };
}

/** The runtime version platform.initStart names: faasbox's QuickJS runtime, as RuntimeVersionConfig's ARN ends. */
const RUNTIME_VERSION = 'faasbox-quickjs';

/** Levels of the platform events (AWS's system log level event mapping): failures are WARN, the rest as each event is. */
function platformEvent(target: InvocationLogTarget, timestampMs: number, type: string, level: SystemLogLevel, record: object): LogEvent | undefined {
  if (!passesLevel(level, target.logging!.systemLogLevel)) return undefined;
  return { timestamp: timestampMs, message: JSON.stringify({ time: new Date(timestampMs).toISOString(), type, record }), platform: true };
}

function applicationRecord(timestampMs: number, level: string, requestId: string, fieldsJson: string): string {
  const head = `{"timestamp":"${new Date(timestampMs).toISOString()}","level":"${level}","requestId":${JSON.stringify(requestId)}`;
  return fieldsJson === '{}' ? `${head}}` : `${head},${fieldsJson.slice(1)}`;
}

/**
 * The invocation's log events in its format, in order, timestamped: openingLines, a consoleLine
 * per record of `report.console` (those its level keeps), then the closing lines. `coldStart`
 * defaults to whether the report has an init duration.
 */
export function formatInvocationLog(
  target: InvocationLogTarget,
  startedAtMs: number,
  report: InvocationReport,
  figures: ReportFigures,
  coldStart = report.initDurationMs !== undefined,
): LogEvent[] {
  const { requestId } = target;
  const events: LogEvent[] = openingLines(target, startedAtMs, coldStart);
  for (const record of report.console) {
    const line = consoleLine(target, record);
    if (line) events.push(line);
  }
  // Never before the function's own last line: readers order by timestamp (FilterLogEvents,
  // `aws logs tail`), and END/REPORT must come after what the invocation printed.
  const lastConsoleMs = report.console.reduce((latest, record) => Math.max(latest, record.timestampMs), startedAtMs);
  const endedAtMs = Math.max(lastConsoleMs, startedAtMs + Math.ceil(report.durationMs + (report.initDurationMs ?? 0)));
  if (isJson(target)) return [...events, ...jsonClosingLines(target, report, figures, endedAtMs, coldStart)];
  const { result } = report;
  if (result.kind === 'failure' && result.reason === 'timeout') {
    events.push({ timestamp: endedAtMs, message: `${new Date(endedAtMs).toISOString()} ${requestId} ${result.error.errorMessage.replace(/^RequestId: \S+ Error: /, '')}`, platform: true });
  } else if (result.kind === 'failure' && !result.error.reply) {
    // (An error with a runtime's own reply was logged by that runtime, as Lambda's Python runtime does.)
    const { errorType, errorMessage, trace } = result.error;
    events.push({
      timestamp: endedAtMs,
      message: `${new Date(endedAtMs).toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify({ errorType, errorMessage, stack: trace })}`,
      platform: true,
    });
  }
  events.push({ timestamp: endedAtMs, message: `END RequestId: ${requestId}`, platform: true });
  let line =
    `REPORT RequestId: ${requestId}\tDuration: ${figures.durationMs.toFixed(2)} ms\tBilled Duration: ${figures.billedDurationMs} ms\t` +
    `Memory Size: ${figures.memorySizeMb} MB\tMax Memory Used: ${figures.maxMemoryUsedMb} MB\t`;
  if (figures.initDurationMs !== undefined) line += `Init Duration: ${figures.initDurationMs.toFixed(2)} ms\t`;
  // SnapStart, as Lambda: a restored environment's REPORT has these instead of Init Duration.
  if (figures.restoreDurationMs !== undefined) line += `Restore Duration: ${figures.restoreDurationMs.toFixed(2)} ms\tBilled Restore Duration: ${figures.billedRestoreDurationMs} ms\t`;
  if (result.kind === 'failure' && result.reason === 'timeout') line += 'Status: timeout';
  else if (result.kind === 'failure' && result.reason === 'out-of-memory') line += 'Status: error\tError Type: Runtime.OutOfMemory';
  events.push({ timestamp: endedAtMs, message: line, platform: true });
  return events;
}

/** JSON's closing lines: init's events after a cold start, the runtime's error record, platform.runtimeDone and platform.report. */
function jsonClosingLines(target: InvocationLogTarget, report: InvocationReport, figures: ReportFigures, endedAtMs: number, coldStart: boolean): LogEvent[] {
  const { requestId } = target;
  const { result } = report;
  const events: (LogEvent | undefined)[] = [];
  const failed = result.kind === 'failure';
  const status = !failed ? 'success' : result.reason === 'timeout' ? 'timeout' : 'error';
  const errorType = !failed ? undefined : result.reason === 'out-of-memory' ? 'Runtime.OutOfMemory' : result.reason === 'timeout' ? 'Sandbox.Timedout' : result.error.errorType;
  const failure = errorType === undefined ? {} : { errorType };
  if (coldStart) {
    // Init failed when the handler was never called.
    const initStatus = failed && report.handlerStartedAtMs === undefined ? status : 'success';
    const initLevel: SystemLogLevel = initStatus === 'success' ? 'DEBUG' : 'WARN';
    const initFailure = initStatus === 'success' ? {} : failure;
    events.push(
      platformEvent(target, endedAtMs, 'platform.initRuntimeDone', initLevel, { initializationType: 'on-demand', phase: 'init', status: initStatus, ...initFailure }),
      platformEvent(target, endedAtMs, 'platform.initReport', initLevel, {
        initializationType: 'on-demand', phase: 'init', status: initStatus, ...initFailure, metrics: { durationMs: round(figures.initDurationMs ?? 0) },
      }),
    );
  }
  // The runtime's own ERROR record of what the handler threw, as console.error(error) writes it.
  if (failed && result.reason !== 'timeout' && !result.error.reply && passesLevel('ERROR', target.logging!.applicationLogLevel)) {
    const { errorType: type, errorMessage, trace } = result.error;
    events.push({ timestamp: endedAtMs, message: applicationRecord(endedAtMs, 'ERROR', requestId, JSON.stringify({ message: { errorType: type, errorMessage, stackTrace: trace } })), platform: true });
  }
  const producedBytes = result.kind === 'success' ? new TextEncoder().encode(result.payloadJson).byteLength : 0;
  events.push(
    platformEvent(target, endedAtMs, 'platform.runtimeDone', failed ? 'WARN' : 'DEBUG', { requestId, status, ...failure, metrics: { durationMs: round(figures.durationMs), producedBytes } }),
    platformEvent(target, endedAtMs, 'platform.report', failed ? 'WARN' : 'INFO', {
      requestId,
      metrics: {
        durationMs: round(figures.durationMs), billedDurationMs: figures.billedDurationMs, memorySizeMB: figures.memorySizeMb, maxMemoryUsedMB: figures.maxMemoryUsedMb,
        ...(figures.initDurationMs !== undefined && { initDurationMs: round(figures.initDurationMs) }),
        ...(figures.restoreDurationMs !== undefined && { restoreDurationMs: round(figures.restoreDurationMs), billedRestoreDurationMs: figures.billedRestoreDurationMs }),
      },
      status,
      ...failure,
    }),
  );
  return events.filter(isEvent);
}

const isEvent = (event: LogEvent | undefined): event is LogEvent => event !== undefined;
const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** LogType Tail: base64 of the last 4 KB of the invocation's log text. */
export function tailLogResult(events: LogEvent[], maxBytes: number): string {
  const bytes = new TextEncoder().encode(events.map((e) => e.message + '\n').join(''));
  const tail = bytes.subarray(Math.max(0, bytes.byteLength - maxBytes));
  return bytesToBase64(tail);
}
