// Per-log-group ingest limit: a token bucket of bytes, so one function's flood of output cannot
// fill its account's LogStore or starve its neighbours. Platform lines (START, END, REPORT, the
// runtime's error line) are never dropped and never charged: the record of what ran survives.
import type { LogEvent } from '../records/logs';

export interface IngestRate {
  bytesPerSecond: number;
  burstBytes: number;
}

interface Bucket {
  tokens: number;
  atMs: number;
}

/** Buckets by log group. In memory: an evicted LogStore starts its groups again at a full burst. */
export class IngestLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly rate: IngestRate) {}

  /**
   * The events to store: every platform line, and function lines in order while the group's
   * bucket holds their bytes. When any are dropped, one marker line (itself a platform line)
   * takes the place of the first dropped line, saying how many lines and bytes were lost.
   */
  admit(logGroupName: string, events: LogEvent[], nowMs: number): LogEvent[] {
    const bucket = this.refill(logGroupName, nowMs);
    const kept: LogEvent[] = [];
    let droppedLines = 0;
    let droppedBytes = 0;
    let markerAt = -1;
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
    if (droppedLines > 0) {
      const timestamp = kept[markerAt]?.timestamp ?? kept[kept.length - 1]?.timestamp ?? nowMs;
      kept.splice(markerAt, 0, {
        timestamp,
        platform: true,
        message: `[faasbox] ${droppedLines} log line(s), ${droppedBytes} bytes, dropped: ${logGroupName} is over its ingest rate of ${this.rate.bytesPerSecond} bytes/s`,
      });
    }
    return kept;
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
