// One invocation's log lines on their way to the account's LogStore while the function runs:
// START when an environment takes the invocation, console lines in small batches, the closing
// lines (runtime error, END, REPORT) at its end. One write at a time, so the store and every
// live tail see the lines in the order they were written.
import type { ConsoleRecord, InvocationObserver, InvocationReport } from '../../sandbox';
import type { logStore } from '../bindings';
import type { DroppedLines } from '../logs/ingest-rate';
import type { LogEvent } from '../records/logs';
import { consoleLine, formatInvocationLog, openingLines, type InvocationLogTarget, type ReportFigures } from './log-lines';

/**
 * How long a line waits for more before its batch is written, in ms. An invocation that ends
 * sooner (most warm ones) writes all its lines in one call at its end, as when logs were written
 * only after the response. One that writes without pause costs at most 1000 / 20 = 50 calls a
 * second, a 20th of a Durable Object's soft limit of about 1,000 requests/s. 20 ms is less than
 * the tail's own path adds (28-70 ms from Invoke to a line through wrangler dev).
 */
export const LOG_BATCH_DELAY_MS = 20;

/**
 * A batch this large (characters of its messages) is written without waiting, so a flood does not
 * sit in memory: the per-invocation cap of 256 KB of console text is about four such writes.
 */
export const LOG_BATCH_MAX_CHARS = 64 * 1024;

type WaitUntil = (p: Promise<unknown>) => void;

export class InvocationLogWriter {
  private readonly records: ConsoleRecord[] = [];
  private readonly pending: LogEvent[] = [];
  private pendingChars = 0;
  /** Events queued so far: START and the console lines, the head of the invocation's whole log. */
  private queued = 0;
  private logStreamName: string | undefined;
  private startedAtMs = 0;
  /** As the sandbox said when an environment took the invocation (the opening lines depend on it). */
  private coldStart: boolean | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The last write, queued or running; every write starts after the one before it. */
  private chain: Promise<void> = Promise.resolve();
  /** A write is queued and has not started: it will take whatever is pending when it does. */
  private writeQueued = false;
  private droppedBefore: DroppedLines = { lines: 0, bytes: 0 };
  private closed = false;

  /**
   * Each write goes through `waitUntil` the moment it is queued, so it outlives the response.
   * `store` undefined: the lines are made (close() answers them) but written nowhere, as when the
   * function's execution role may not write logs.
   */
  constructor(
    private readonly store: ReturnType<typeof logStore> | undefined,
    private readonly waitUntil: WaitUntil,
    private readonly target: InvocationLogTarget,
  ) {}

  /**
   * The observer to hand the sandbox (GuestCapabilities.observer) for an invocation sent to it at
   * `startedAtMs` (START's timestamp, epoch ms): it queues START and then each console line.
   */
  begin(startedAtMs: number): InvocationObserver {
    this.startedAtMs = startedAtMs;
    return {
      started: (logStreamName, coldStart) => {
        if (this.closed || this.logStreamName !== undefined) return;
        this.logStreamName = logStreamName;
        this.coldStart = coldStart;
        for (const event of openingLines(this.target, startedAtMs, coldStart)) this.queue(event);
      },
      console: (record) => {
        if (this.closed || this.logStreamName === undefined) return;
        this.records.push(record);
        const line = consoleLine(this.target, record);
        if (line) this.queue(line);
      },
    };
  }

  /**
   * Writes what has not been written of the invocation's whole log (formatInvocationLog) as its
   * closing batch and answers the whole log. What the sandbox already sent is the head of it:
   * the log is made from the records heard (the same as the report's, or more when the host
   * failed and its report has none).
   */
  close(report: InvocationReport, figures: ReportFigures): LogEvent[] {
    const heard = this.logStreamName !== undefined;
    const events = heard
      ? formatInvocationLog(this.target, this.startedAtMs, { ...report, console: this.records }, figures, this.coldStart)
      : formatInvocationLog(this.target, this.startedAtMs, report, figures);
    this.logStreamName ??= report.logStreamName;
    for (const event of events.slice(this.queued)) this.pending.push(event);
    this.closeNow();
    return events;
  }

  /** The invocation failed in the platform before a report: writes what was heard, closing. */
  abandon(): void {
    if (this.logStreamName !== undefined) this.closeNow();
  }

  private closeNow(): void {
    this.closed = true;
    this.schedule();
  }

  private queue(event: LogEvent): void {
    this.pending.push(event);
    this.queued++;
    this.pendingChars += event.message.length;
    if (this.pendingChars >= LOG_BATCH_MAX_CHARS) this.schedule();
    else if (this.timer === undefined && !this.writeQueued) this.timer = setTimeout(() => this.schedule(), LOG_BATCH_DELAY_MS);
  }

  /** Queues a write after the one before it, unless one is queued already (it takes the pending lines). */
  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.writeQueued) return;
    this.writeQueued = true;
    this.chain = this.chain.then(() => this.writePending());
    this.waitUntil(this.chain);
  }

  private async writePending(): Promise<void> {
    this.writeQueued = false;
    const events = this.pending.splice(0);
    this.pendingChars = 0;
    const closing = this.closed;
    if (events.length === 0 || !this.store) return;
    try {
      // The store counts what it dropped, so its ingest cut spans all of this invocation's batches.
      this.droppedBefore = await this.store.append(this.target.logGroupName, this.logStreamName!, events, { droppedBefore: this.droppedBefore, closing, logFormat: this.target.logging?.logFormat });
    } catch (error) {
      // The caller may have its answer already; the platform log keeps the failure visible.
      console.error(`log write for ${this.target.requestId} failed:`, error);
    }
  }
}
