// Per-log-group ingest limit: a token bucket of bytes, so one function's flood of output cannot
// fill its account's LogStore or starve its neighbours. Platform lines (START, END, REPORT, the
// runtime's error line) are never dropped and never charged: the record of what ran survives.
import type { LogEvent } from '../records/logs';
import type { LogFormat } from '../records/function';

export interface IngestRate {
  bytesPerSecond: number;
  burstBytes: number;
}

interface Bucket {
  tokens: number;
  atMs: number;
}

/** Lines and bytes one invocation has had dropped so far. */
export interface DroppedLines {
  lines: number;
  bytes: number;
}

/**
 * Where a batch stands in its invocation: what its earlier batches had dropped, and whether it
 * is the last one (the one that carries END and REPORT). A whole invocation is one closing batch.
 */
export interface IngestBatch {
  droppedBefore: DroppedLines;
  closing: boolean;
  /** The function's log format: with JSON the marker is a platform.logsDropped event. */
  logFormat?: LogFormat;
}

export const WHOLE_INVOCATION: IngestBatch = { droppedBefore: { lines: 0, bytes: 0 }, closing: true };

/** Buckets by log group. In memory: an evicted LogStore starts its groups again at a full burst. */
export class IngestLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly rate: IngestRate) {}

  /**
   * The events to store: every platform line, and function lines in order while the group's
   * bucket holds their bytes. When any of an invocation's lines are dropped, one marker line
   * (itself a platform line) takes the place of the first dropped line, saying how many lines
   * and bytes were lost. An invocation written in several batches is cut as if written at once:
   * once a line is dropped its later batches drop theirs too, and the marker, which needs the
   * totals, comes with the closing batch, before its first line (where the dropped ones stood).
   */
  admit(logGroupName: string, events: LogEvent[], nowMs: number, batch: IngestBatch = WHOLE_INVOCATION): { kept: LogEvent[]; dropped: DroppedLines } {
    const bucket = this.refill(logGroupName, nowMs);
    const kept: LogEvent[] = [];
    let droppedLines = batch.droppedBefore.lines;
    let droppedBytes = batch.droppedBefore.bytes;
    let markerAt = droppedLines > 0 ? 0 : -1;
    for (const event of events) {
      if (event.platform) {
        kept.push(event);
        continue;
      }
      const bytes = utf8Length(event.message);
      if (droppedLines === 0 && bytes <= bucket.tokens) {
        bucket.tokens -= bytes;
        kept.push(event);
        continue;
      }
      // Once a line is dropped, later lines go too: a log with holes in it would mislead.
      if (droppedLines === 0) markerAt = kept.length;
      droppedLines++;
      droppedBytes += bytes;
    }
    if (batch.closing && droppedLines > 0) {
      const timestamp = kept[markerAt]?.timestamp ?? kept[kept.length - 1]?.timestamp ?? nowMs;
      const reason = `${logGroupName} is over its ingest rate of ${this.rate.bytesPerSecond} bytes/s`;
      kept.splice(markerAt, 0, {
        timestamp,
        platform: true,
        message: batch.logFormat === 'JSON'
          ? JSON.stringify({ time: new Date(timestamp).toISOString(), type: 'platform.logsDropped', record: { reason: `[faasbox] ${reason}`, droppedRecords: droppedLines, droppedBytes } })
          : `[faasbox] ${droppedLines} log line(s), ${droppedBytes} bytes, dropped: ${reason}`,
      });
    }
    return { kept, dropped: { lines: droppedLines, bytes: droppedBytes } };
  }

  private refill(logGroupName: string, nowMs: number): Bucket {
    let bucket = this.buckets.get(logGroupName);
    if (!bucket) {
      bucket = { tokens: this.rate.burstBytes, atMs: nowMs };
      this.buckets.set(logGroupName, bucket);
    }
    const elapsedMs = Math.max(0, nowMs - bucket.atMs);
    bucket.tokens = Math.min(this.rate.burstBytes, bucket.tokens + (elapsedMs * this.rate.bytesPerSecond) / 1000);
    bucket.atMs = nowMs;
    return bucket;
  }
}

const encoder = new TextEncoder();

function utf8Length(text: string): number {
  return encoder.encode(text).byteLength;
}
