// LogStore: one object per account, holding its log groups (`/aws/lambda/<function>`), their
// streams (one per execution environment) and events. Written once per invocation, after the
// response (waitUntil), with the whole invocation's lines as one batch.
import { DurableObject } from 'cloudflare:workers';

export interface LogEvent {
  timestamp: number;
  message: string;
}

export interface StoredLogEvent extends LogEvent {
  logStreamName: string;
  ingestionTime: number;
}

export class LogStore extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS log_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT, log_group TEXT NOT NULL, log_stream TEXT NOT NULL,
      timestamp INTEGER NOT NULL, ingestion_time INTEGER NOT NULL, message TEXT NOT NULL)`);
    this.sql.exec('CREATE INDEX IF NOT EXISTS log_events_by_stream ON log_events (log_group, log_stream, timestamp)');
  }

  /** Appends one invocation's events to a stream, in order. */
  append(logGroupName: string, logStreamName: string, events: LogEvent[]): void {
    const ingestionTime = Date.now();
    for (const event of events) {
      this.sql.exec('INSERT INTO log_events (log_group, log_stream, timestamp, ingestion_time, message) VALUES (?, ?, ?, ?, ?)',
        logGroupName, logStreamName, event.timestamp, ingestionTime, event.message);
    }
  }

  /** Events of a group (optionally one stream) in write order, from `startTime` on, at most `limit`. */
  readEvents(logGroupName: string, options: { logStreamName?: string; startTime?: number; limit?: number } = {}): StoredLogEvent[] {
    const { logStreamName, startTime = 0, limit = 10_000 } = options;
    const rows = logStreamName
      ? this.sql.exec<Row>('SELECT * FROM log_events WHERE log_group = ? AND log_stream = ? AND timestamp >= ? ORDER BY id LIMIT ?', logGroupName, logStreamName, startTime, limit)
      : this.sql.exec<Row>('SELECT * FROM log_events WHERE log_group = ? AND timestamp >= ? ORDER BY id LIMIT ?', logGroupName, startTime, limit);
    return rows.toArray().map((r) => ({ logStreamName: r.log_stream, timestamp: r.timestamp, ingestionTime: r.ingestion_time, message: r.message }));
  }

  /** Stream names of a group, oldest first. */
  listStreams(logGroupName: string): string[] {
    return this.sql
      .exec<{ log_stream: string }>('SELECT log_stream FROM log_events WHERE log_group = ? GROUP BY log_stream ORDER BY MIN(id)', logGroupName)
      .toArray()
      .map((r) => r.log_stream);
  }
}

type Row = { log_stream: string; timestamp: number; ingestion_time: number; message: string };
