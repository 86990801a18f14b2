// Lambda's text log lines for one invocation: START, the function's console lines, END, REPORT.
import type { ConsoleRecord, InvocationReport } from '../../sandbox/contract';
import type { LogEvent } from '../records/logs';
import { bytesToBase64 } from '../base64';

const MIB = 1024 * 1024;

export interface ReportFigures {
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
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
  };
}

/** The START line, stamped when the invocation was sent to the sandbox. */
export function startLine(requestId: string, version: string, startedAtMs: number): LogEvent {
  return { timestamp: startedAtMs, message: `START RequestId: ${requestId} Version: ${version}`, platform: true };
}

/** One console record as Lambda prints it: time, request id, level, text. */
export function consoleLine(requestId: string, record: ConsoleRecord): LogEvent {
  return { timestamp: record.timestampMs, message: `${new Date(record.timestampMs).toISOString()}\t${requestId}\t${record.level}\t${record.message}` };
}

/**
 * The invocation's log events in Lambda's text format, in order, timestamped: startLine, a
 * consoleLine per record of `report.console`, then the closing lines.
 */
export function formatInvocationLog(
  requestId: string,
  version: string,
  startedAtMs: number,
  report: InvocationReport,
  figures: ReportFigures,
): LogEvent[] {
  const events: LogEvent[] = [startLine(requestId, version, startedAtMs)];
  for (const record of report.console) events.push(consoleLine(requestId, record));
  // Never before the function's own last line: readers order by timestamp (FilterLogEvents,
  // `aws logs tail`), and END/REPORT must come after what the invocation printed.
  const lastConsoleMs = report.console.reduce((latest, record) => Math.max(latest, record.timestampMs), startedAtMs);
  const endedAtMs = Math.max(lastConsoleMs, startedAtMs + Math.ceil(report.durationMs + (report.initDurationMs ?? 0)));
  const { result } = report;
  if (result.kind === 'failure' && result.reason === 'timeout') {
    events.push({ timestamp: endedAtMs, message: `${new Date(endedAtMs).toISOString()} ${requestId} ${result.error.errorMessage.replace(/^RequestId: \S+ Error: /, '')}`, platform: true });
  } else if (result.kind === 'failure') {
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
  if (result.kind === 'failure' && result.reason === 'timeout') line += 'Status: timeout';
  else if (result.kind === 'failure' && result.reason === 'out-of-memory') line += 'Status: error\tError Type: Runtime.OutOfMemory';
  events.push({ timestamp: endedAtMs, message: line, platform: true });
  return events;
}

/** LogType Tail: base64 of the last 4 KB of the invocation's log text. */
export function tailLogResult(events: LogEvent[], maxBytes: number): string {
  const bytes = new TextEncoder().encode(events.map((e) => e.message + '\n').join(''));
  const tail = bytes.subarray(Math.max(0, bytes.byteLength - maxBytes));
  return bytesToBase64(tail);
}
