// TraceStore: one object per account, holding the X-Ray segment documents of its traced
// invocations. Written after the response (waitUntil), one invocation's segments per call; read
// by the X-Ray-compatible API (src/api/xray.ts). Traces older than the retention (30 days, as
// X-Ray keeps them) are deleted on every write and read.
import { DurableObject } from 'cloudflare:workers';
import { TRACE_RETENTION_MS, type SegmentDocument, type StoredTrace } from '../records/traces';
import { jsonColumn, type Sql } from './storage/rows';
import { defineSchema, openStorage } from './storage/schema';

const SCHEMA = defineSchema({
  version: 1,
  description: 'traces and segments (the schema before versioning)',
  // Times are epoch seconds (fractional), as in segment documents.
  up: `
    CREATE TABLE IF NOT EXISTS traces (
      id TEXT PRIMARY KEY, start_time REAL NOT NULL, end_time REAL NOT NULL);
    CREATE INDEX IF NOT EXISTS traces_by_start ON traces (start_time, id);
    CREATE INDEX IF NOT EXISTS traces_by_end ON traces (end_time);
    CREATE TABLE IF NOT EXISTS segments (
      trace_id TEXT NOT NULL, id TEXT NOT NULL, document TEXT NOT NULL, PRIMARY KEY (trace_id, id));`,
});

const document = jsonColumn<SegmentDocument>('document');

export class TraceStore extends DurableObject<Env> {
  private readonly db: Sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = openStorage(ctx, SCHEMA);
  }

  /** Stores segments (of one or more traces); a segment written again replaces the earlier one. */
  put(segments: SegmentDocument[], nowMs = Date.now()): void {
    for (const segment of segments) {
      this.db.run('INSERT OR REPLACE INTO segments (trace_id, id, document) VALUES (?, ?, ?)', segment.trace_id, segment.id, document.encode(segment));
      this.db.run(
        `INSERT INTO traces (id, start_time, end_time) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET start_time = MIN(start_time, excluded.start_time), end_time = MAX(end_time, excluded.end_time)`,
        segment.trace_id, segment.start_time, segment.end_time);
    }
    this.expire(nowMs);
  }

  /**
   * Traces that started within [startTime, endTime] (epoch seconds), oldest first, after `cursor`
   * (the `start/id` of the last trace of the previous page), at most `limit`.
   */
  tracesStartedBetween(startTime: number, endTime: number, cursor: { start: number; id: string } | undefined, limit: number): { traces: StoredTrace[]; next?: { start: number; id: string } } {
    this.expire(Date.now());
    const after = cursor ?? { start: -1, id: '' };
    const rows = this.db.all<{ id: string; start_time: number }>(
      `SELECT id, start_time FROM traces WHERE start_time >= ? AND start_time <= ? AND (start_time > ? OR (start_time = ? AND id > ?))
       ORDER BY start_time, id LIMIT ?`,
      startTime, endTime, after.start, after.start, after.id, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      traces: page.map((r) => ({ id: r.id, segments: this.segmentsOf(r.id) })),
      next: rows.length > limit ? { start: last.start_time, id: last.id } : undefined,
    };
  }

  /** The traces among `ids` that exist, in the order asked. */
  getTraces(ids: string[]): StoredTrace[] {
    this.expire(Date.now());
    return ids.flatMap((id) => {
      const segments = this.segmentsOf(id);
      return segments.length > 0 ? [{ id, segments }] : [];
    });
  }

  private segmentsOf(traceId: string): SegmentDocument[] {
    return document.all(this.db, 'SELECT document FROM segments WHERE trace_id = ? ORDER BY rowid', traceId);
  }

  /** Removes every trace of the account (account deletion). */
  async deleteAll(): Promise<void> {
    this.db.run('DELETE FROM segments');
    this.db.run('DELETE FROM traces');
  }

  /** Deletes traces that ended before the retention period. */
  private expire(nowMs: number): void {
    const cutoff = (nowMs - TRACE_RETENTION_MS) / 1000;
    const old = this.db.all<{ id: string }>('SELECT id FROM traces WHERE end_time < ?', cutoff);
    for (const { id } of old) {
      this.db.run('DELETE FROM segments WHERE trace_id = ?', id);
      this.db.run('DELETE FROM traces WHERE id = ?', id);
    }
  }
}
