// Console capability: owns one invocation's console records and enforces its byte cap.
import type { ConsoleRecord, LogLevel } from '../../contract';
import { MAX_LOG_BYTES_PER_INVOCATION } from '../limits';
import { utf8ByteLength } from '../marshal';

const LEVELS: ReadonlySet<string> = new Set<LogLevel>(['INFO', 'WARN', 'ERROR', 'DEBUG', 'TRACE', 'FATAL']);

/**
 * Collects console records up to MAX_LOG_BYTES_PER_INVOCATION; past it counts what it drops.
 * `onRecord` hears each kept record as it is made, and the truncation marker at finish().
 */
export class ConsoleSink {
  private readonly records: ConsoleRecord[] = [];
  private keptBytes = 0;
  private droppedBytes = 0;
  private finished: ConsoleRecord[] | undefined;

  constructor(
    private readonly maxBytes = MAX_LOG_BYTES_PER_INVOCATION,
    private readonly onRecord?: (record: ConsoleRecord) => void,
  ) {}

  /** Keeps one record; `raw` marks a line to be written as is (ConsoleRecord.raw). */
  record(level: string, message: string, raw = false): void {
    const bytes = utf8ByteLength(message);
    if (this.finished || this.droppedBytes > 0 || this.keptBytes + bytes > this.maxBytes) {
      this.droppedBytes += bytes;
      return;
    }
    this.keptBytes += bytes;
    const record: ConsoleRecord = { timestampMs: Date.now(), level: LEVELS.has(level) ? (level as LogLevel) : 'INFO', message };
    if (raw) record.raw = true;
    this.keep(record);
  }

  /** The records in order, with one truncation marker at the end when anything was dropped. */
  finish(): ConsoleRecord[] {
    if (this.finished) return this.finished;
    if (this.droppedBytes > 0) this.keep({ timestampMs: Date.now(), level: 'WARN', message: `[faasbox] log output truncated: ${this.droppedBytes} bytes dropped`, marker: true });
    this.finished = this.records;
    return this.records;
  }

  private keep(record: ConsoleRecord): void {
    this.records.push(record);
    this.onRecord?.(record);
  }
}
