// MetricsStore: one object per account, holding per-function, per-minute aggregates of Lambda's
// metrics (count, sum, min, max per metric and minute). Written after responses, in batches.
import { DurableObject } from 'cloudflare:workers';

/** Lambda's per-function metrics faasbox records; the observability work charts them. */
export type MetricName =
  | 'Invocations' | 'Errors' | 'Throttles' | 'Duration' | 'ConcurrentExecutions' | 'UnreservedConcurrentExecutions'
  | 'DeadLetterErrors' | 'DestinationDeliveryFailures' | 'AsyncEventsReceived' | 'AsyncEventAge' | 'AsyncEventsDropped';

export interface MetricSample {
  functionName: string;
  metric: MetricName;
  value: number;
}

export type MetricPoint = {
  minute: number;
  count: number;
  sum: number;
  min: number;
  max: number;
};

export class MetricsStore extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS points (function_name TEXT NOT NULL, metric TEXT NOT NULL,
      minute INTEGER NOT NULL, count INTEGER NOT NULL, sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL,
      PRIMARY KEY (function_name, metric, minute))`);
  }

  /** Adds samples observed at `atMs` to their minute's aggregates. */
  record(samples: MetricSample[], atMs: number): void {
    const minute = Math.floor(atMs / 60_000) * 60_000;
    for (const s of samples) {
      this.sql.exec(
        `INSERT INTO points VALUES (?, ?, ?, 1, ?, ?, ?) ON CONFLICT (function_name, metric, minute) DO UPDATE SET
           count = count + 1, sum = sum + excluded.sum, min = MIN(min, excluded.min), max = MAX(max, excluded.max)`,
        s.functionName, s.metric, minute, s.value, s.value, s.value,
      );
    }
  }

  /** Per-minute points of one metric of one function in [fromMs, toMs). */
  read(functionName: string, metric: MetricName, fromMs = 0, toMs = Number.MAX_SAFE_INTEGER): MetricPoint[] {
    return this.sql
      .exec<MetricPoint>('SELECT minute, count, sum, min, max FROM points WHERE function_name = ? AND metric = ? AND minute >= ? AND minute < ? ORDER BY minute', functionName, metric, fromMs, toMs)
      .toArray();
  }

  /** Sum of a metric's samples over all time (tests and statements). */
  total(functionName: string, metric: MetricName): number {
    return this.sql.exec<{ total: number | null }>('SELECT SUM(sum) AS total FROM points WHERE function_name = ? AND metric = ?', functionName, metric).toArray()[0]?.total ?? 0;
  }
}
