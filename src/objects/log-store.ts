// LogStore: one object per account, holding its log groups (`/aws/lambda/<function>`), their
// streams (one per execution environment) and events. Written while each invocation runs, in
// small batches of its lines (src/invoke/invocation-log-writer.ts), each pushed at once to the
// group's live tails. Read by the CloudWatch Logs API (src/api/logs.ts); a group's retention is
// enforced here, on every write and read, and so is a playground sandbox's stored-bytes budget.
import { DurableObject } from 'cloudflare:workers';
import { matchesFilter, type FilterTerms } from '../logs/filter-pattern';
import { IngestLimiter, WHOLE_INVOCATION, type DroppedLines, type IngestBatch } from '../logs/ingest-rate';
import { LiveTails } from '../logs/live-tail';
import { readConfig } from '../config';
import type { EventPage, LogEvent, LogGroupInfo, LogStreamInfo, ReadLogEvent, StoredLogEvent } from '../records/logs';
import type { Sql } from './storage/rows';
import { defineSchema, openStorage } from './storage/schema';

const DAY_MS = 86_400_000;
/** Most rows FilterLogEvents examines per call before it answers with a nextToken. */
export const FILTER_SCAN_MAX_ROWS = 20_000;
const FILTER_SCAN_BATCH_ROWS = 1000;
/** Most missed events a live tail replays when it reconnects with Last-Event-ID. */
export const TAIL_REPLAY_MAX_EVENTS = 10_000;

const SCHEMA = defineSchema({
  version: 1,
  description: 'log events, groups and streams (the schema before versioning)',
  up: (sql) => {
    sql.exec(`CREATE TABLE IF NOT EXISTS log_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT, log_group TEXT NOT NULL, log_stream TEXT NOT NULL,
      timestamp INTEGER NOT NULL, ingestion_time INTEGER NOT NULL, message TEXT NOT NULL)`);
    sql.exec('CREATE INDEX IF NOT EXISTS log_events_by_stream ON log_events (log_group, log_stream, timestamp)');
    sql.exec('CREATE INDEX IF NOT EXISTS log_events_by_time ON log_events (log_group, timestamp, id)');
    const hadGroups = sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'log_groups'").toArray().length > 0;
    sql.exec(`CREATE TABLE IF NOT EXISTS log_groups (
      name TEXT PRIMARY KEY, creation_time INTEGER NOT NULL, retention_days INTEGER)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS log_streams (
      log_group TEXT NOT NULL, name TEXT NOT NULL, creation_time INTEGER NOT NULL, PRIMARY KEY (log_group, name))`);
    if (!hadGroups) {
      // Stores written before groups and streams had tables of their own: derive them once.
      sql.exec('INSERT OR IGNORE INTO log_groups SELECT log_group, MIN(ingestion_time), NULL FROM log_events GROUP BY log_group');
      sql.exec('INSERT OR IGNORE INTO log_streams SELECT log_group, log_stream, MIN(ingestion_time) FROM log_events GROUP BY log_group, log_stream');
    }
  },
}, {
  version: 2,
  description: 'a playground sandbox\'s budget of stored log bytes (docs/PLAYGROUND-QUOTAS.md)',
  up: 'CREATE TABLE IF NOT EXISTS store_limits (key TEXT PRIMARY KEY, value INTEGER NOT NULL);',
});

type GroupRow = { name: string; creation_time: number; retention_days: number | null };

export class LogStore extends DurableObject<Env> {
  private readonly db: Sql;
  private readonly ingest: IngestLimiter;
  private readonly tails = new LiveTails();
  /** A sandbox's budget of stored message bytes (cached from SQLite); undefined: no budget (every other account). */
  private storedBytesLimit: number | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = openStorage(ctx, SCHEMA, (db) => {
      this.storedBytesLimit = db.one<{ value: number }>("SELECT value FROM store_limits WHERE key = 'stored_bytes'")?.value;
    });
    this.ingest = new IngestLimiter({
      bytesPerSecond: readConfig(env).logIngestBytesPerSecond,
      burstBytes: readConfig(env).logIngestBurstBytes,
    });
  }

  /**
   * Appends events of one invocation to a stream, in order, within the group's ingest rate, and
   * pushes them to the group's live tails. Without `batch` the events are the whole invocation;
   * an invocation written in several batches passes each one what the previous answered (its
   * lines dropped so far) and marks the last as closing.
   */
  append(logGroupName: string, logStreamName: string, events: LogEvent[], batch: IngestBatch = WHOLE_INVOCATION): DroppedLines {
    const ingestionTime = Date.now();
    this.db.run('INSERT OR IGNORE INTO log_groups (name, creation_time) VALUES (?, ?)', logGroupName, ingestionTime);
    this.db.run('INSERT OR IGNORE INTO log_streams (log_group, name, creation_time) VALUES (?, ?, ?)', logGroupName, logStreamName, ingestionTime);
    const stored: ReadLogEvent[] = [];
    const { kept, dropped } = this.ingest.admit(logGroupName, events, ingestionTime, batch);
    for (const event of kept) {
      const { id } = this.db.single<{ id: number }>(
        'INSERT INTO log_events (log_group, log_stream, timestamp, ingestion_time, message) VALUES (?, ?, ?, ?, ?) RETURNING id',
        logGroupName, logStreamName, event.timestamp, ingestionTime, event.message);
      stored.push({ id, logStreamName, timestamp: event.timestamp, ingestionTime, message: event.message });
    }
    this.expire(logGroupName);
    this.trimToBudget();
    this.tails.publish(logGroupName, stored);
    return dropped;
  }

  /**
   * Keeps at most `bytes` of messages stored in all groups (a playground sandbox's budget): past
   * it the oldest events are deleted, as retention would delete them; nothing is refused.
   */
  setStoredBytesLimit(bytes: number): void {
    this.db.run("INSERT OR REPLACE INTO store_limits VALUES ('stored_bytes', ?)", bytes);
    this.storedBytesLimit = bytes;
    this.trimToBudget();
  }

  /** Message bytes (UTF-8) stored in all groups. */
  storedBytesTotal(): number {
    return this.db.single<{ bytes: number | null }>('SELECT SUM(LENGTH(CAST(message AS BLOB))) AS bytes FROM log_events').bytes ?? 0;
  }

  /**
   * (Not named `tail`: that is the Workers runtime's tail-handler name.)
   * A server-sent event stream of the group's events as they are written, matching `terms`;
   * after `afterId` (a reconnect's Last-Event-ID) it first replays what was missed.
   * The group need not exist yet: a function's first invocation creates it.
   */
  openLiveTail(logGroupName: string, terms: FilterTerms, afterId?: number): ReadableStream<Uint8Array> {
    const backlog = afterId === undefined
      ? []
      : this.db.all<IdRow>('SELECT * FROM log_events WHERE log_group = ? AND id > ? ORDER BY id LIMIT ?', logGroupName, afterId, TAIL_REPLAY_MAX_EVENTS).map(readEvent);
    return this.tails.open(logGroupName, terms, backlog);
  }

  /** Whether the group exists (it is created by its first write). */
  hasGroup(logGroupName: string): boolean {
    return this.groupExists(logGroupName);
  }

  /** Events of a group (optionally one stream) in write order, from `startTime` on, at most `limit`. */
  readEvents(logGroupName: string, options: { logStreamName?: string; startTime?: number; limit?: number } = {}): StoredLogEvent[] {
    const { logStreamName, startTime = 0, limit = 10_000 } = options;
    const rows = logStreamName
      ? this.db.all<Row>('SELECT * FROM log_events WHERE log_group = ? AND log_stream = ? AND timestamp >= ? ORDER BY id LIMIT ?', logGroupName, logStreamName, startTime, limit)
      : this.db.all<Row>('SELECT * FROM log_events WHERE log_group = ? AND timestamp >= ? ORDER BY id LIMIT ?', logGroupName, startTime, limit);
    return rows.map((r) => ({ logStreamName: r.log_stream, timestamp: r.timestamp, ingestionTime: r.ingestion_time, message: r.message }));
  }

  /** Groups whose name starts with `prefix`, by name, from `offset`, at most `limit`. */
  describeGroups(prefix: string, offset: number, limit: number): { groups: LogGroupInfo[]; more: boolean } {
    const rows = this.db.all<GroupRow>(
      'SELECT name, creation_time, retention_days FROM log_groups WHERE substr(name, 1, ?) = ? ORDER BY name LIMIT ? OFFSET ?',
      prefix.length, prefix, limit + 1, offset);
    const groups = rows.slice(0, limit).map((r) => {
      this.expire(r.name);
      return { ...this.groupInfo(r), storedBytes: this.storedBytes(r.name) };
    });
    return { groups, more: rows.length > limit };
  }

  /** One group, or undefined when it does not exist. */
  getGroup(logGroupName: string): LogGroupInfo | undefined {
    const row = this.db.one<GroupRow>('SELECT name, creation_time, retention_days FROM log_groups WHERE name = ?', logGroupName);
    return row && { ...this.groupInfo(row), storedBytes: this.storedBytes(row.name) };
  }

  /** Streams of a group, by name or by last event time; `undefined` when the group does not exist. */
  describeStreams(
    logGroupName: string,
    options: { prefix: string; orderBy: 'LogStreamName' | 'LastEventTime'; descending: boolean; offset: number; limit: number },
  ): { streams: LogStreamInfo[]; more: boolean } | undefined {
    if (!this.groupExists(logGroupName)) return undefined;
    this.expire(logGroupName);
    const direction = options.descending ? 'DESC' : 'ASC';
    const order = options.orderBy === 'LastEventTime' ? `last_event ${direction}, s.name ${direction}` : `s.name ${direction}`;
    const rows = this.db
      .all<{ name: string; creation_time: number; first_event: number | null; last_event: number | null; last_ingestion: number | null }>(
        `SELECT s.name, s.creation_time, MIN(e.timestamp) AS first_event, MAX(e.timestamp) AS last_event, MAX(e.ingestion_time) AS last_ingestion
         FROM log_streams s LEFT JOIN log_events e ON e.log_group = s.log_group AND e.log_stream = s.name
         WHERE s.log_group = ? AND substr(s.name, 1, ?) = ? GROUP BY s.name ORDER BY ${order} LIMIT ? OFFSET ?`,
        logGroupName, options.prefix.length, options.prefix, options.limit + 1, options.offset);
    const streams = rows.slice(0, options.limit).map((r) => ({
      logStreamName: r.name,
      creationTime: r.creation_time,
      firstEventTimestamp: r.first_event ?? undefined,
      lastEventTimestamp: r.last_event ?? undefined,
      lastIngestionTime: r.last_ingestion ?? undefined,
    }));
    return { streams, more: rows.length > options.limit };
  }

  /**
   * A page of one stream's events in write order, within [startTime, endTime): after the event
   * id `afterId` (forward), or the last `limit` before `beforeId` (backward).
   * Returns undefined when the group does not exist, `'NoStream'` when the stream does not.
   */
  getStreamEvents(
    logGroupName: string,
    logStreamName: string,
    options: { startTime: number; endTime: number; limit: number } & ({ afterId: number } | { beforeId: number }),
  ): ReadLogEvent[] | undefined | 'NoStream' {
    if (!this.groupExists(logGroupName)) return undefined;
    if (!this.db.exists('SELECT 1 FROM log_streams WHERE log_group = ? AND name = ?', logGroupName, logStreamName)) return 'NoStream';
    this.expire(logGroupName);
    const { startTime, endTime, limit } = options;
    const where = 'log_group = ? AND log_stream = ? AND timestamp >= ? AND timestamp < ?';
    const rows = 'afterId' in options
      ? this.db.all<IdRow>(`SELECT * FROM log_events WHERE ${where} AND id > ? ORDER BY id LIMIT ?`, logGroupName, logStreamName, startTime, endTime, options.afterId, limit)
      : this.db.all<IdRow>(`SELECT * FROM log_events WHERE ${where} AND id < ? ORDER BY id DESC LIMIT ?`, logGroupName, logStreamName, startTime, endTime, options.beforeId, limit).reverse();
    return rows.map(readEvent);
  }

  /**
   * Events of a group across streams (all, or those named, or those with a name prefix), by
   * timestamp then id, within [startTime, endTime), kept when they match `terms`, at most `limit`; resumes
   * after `cursor`. Examines at most FILTER_SCAN_MAX_ROWS rows per call, as CloudWatch answers
   * partial pages with a nextToken. Returns undefined when the group does not exist.
   */
  filterEvents(
    logGroupName: string,
    options: { streamNames?: string[]; streamPrefix?: string; startTime: number; endTime: number; limit: number; cursor?: string },
    terms: FilterTerms,
  ): EventPage | undefined {
    if (!this.groupExists(logGroupName)) return undefined;
    this.expire(logGroupName);
    const streams = this.db
      .all<{ name: string }>('SELECT name FROM log_streams WHERE log_group = ? ORDER BY name', logGroupName)
      .map((r) => r.name)
      .filter((name) => (options.streamNames ? options.streamNames.includes(name) : name.startsWith(options.streamPrefix ?? '')));
    const scope = options.streamNames || options.streamPrefix ? new Set(streams) : undefined;
    let [afterTimestamp, afterId] = (options.cursor ?? `${options.startTime - 1}/${Number.MAX_SAFE_INTEGER}`).split('/').map(Number);
    const events: ReadLogEvent[] = [];
    let scanned = 0;
    for (;;) {
      const rows = this.db.all<IdRow>(
        `SELECT * FROM log_events WHERE log_group = ? AND timestamp < ? AND (timestamp > ? OR (timestamp = ? AND id > ?))
         ORDER BY timestamp, id LIMIT ?`,
        logGroupName, options.endTime, afterTimestamp, afterTimestamp, afterId, FILTER_SCAN_BATCH_ROWS);
      for (const row of rows) {
        scanned++;
        afterTimestamp = row.timestamp;
        afterId = row.id;
        if ((!scope || scope.has(row.log_stream)) && matchesFilter(terms, row.message)) events.push(readEvent(row));
        if (events.length >= options.limit || scanned >= FILTER_SCAN_MAX_ROWS) {
          return { events, cursor: `${afterTimestamp}/${afterId}`, searchedLogStreams: streams };
        }
      }
      if (rows.length < FILTER_SCAN_BATCH_ROWS) return { events, searchedLogStreams: streams };
    }
  }

  /** Sets (or with `undefined`, removes) a group's retention; false when the group does not exist. */
  setRetention(logGroupName: string, retentionInDays: number | undefined): boolean {
    if (!this.groupExists(logGroupName)) return false;
    this.db.run('UPDATE log_groups SET retention_days = ? WHERE name = ?', retentionInDays ?? null, logGroupName);
    this.expire(logGroupName);
    return true;
  }

  /** Deletes a group with its streams and events; false when it does not exist. */
  deleteGroup(logGroupName: string): boolean {
    if (!this.groupExists(logGroupName)) return false;
    this.db.run('DELETE FROM log_events WHERE log_group = ?', logGroupName);
    this.db.run('DELETE FROM log_streams WHERE log_group = ?', logGroupName);
    this.db.run('DELETE FROM log_groups WHERE name = ?', logGroupName);
    this.tails.closeGroup(logGroupName);
    return true;
  }

  /** Deletes every group with its streams and events (account deletion), and closes every live tail. */
  async deleteAll(): Promise<void> {
    const groups = this.db.all<{ name: string }>('SELECT name FROM log_groups').map((r) => r.name);
    this.db.run('DELETE FROM log_events');
    this.db.run('DELETE FROM log_streams');
    this.db.run('DELETE FROM log_groups');
    this.db.run('DELETE FROM store_limits');
    this.storedBytesLimit = undefined;
    for (const name of groups) this.tails.closeGroup(name);
  }

  /** Deletes a group's events older than its retention period (by event timestamp). */
  private expire(logGroupName: string): void {
    const row = this.db.one<{ retention_days: number | null }>('SELECT retention_days FROM log_groups WHERE name = ?', logGroupName);
    if (row?.retention_days) this.db.run('DELETE FROM log_events WHERE log_group = ? AND timestamp < ?', logGroupName, Date.now() - row.retention_days * DAY_MS);
  }

  /**
   * Deletes the oldest events (in write order) until the stored bytes fit the budget: the newest
   * events that fit stay. A scan of the store, only in a sandbox's (a few MB at most).
   */
  private trimToBudget(): void {
    const limit = this.storedBytesLimit;
    if (limit === undefined || this.storedBytesTotal() <= limit) return;
    this.db.run(
      `DELETE FROM log_events WHERE id <= (SELECT id FROM (
         SELECT id, SUM(LENGTH(CAST(message AS BLOB))) OVER (ORDER BY id DESC) AS newer_bytes FROM log_events)
       WHERE newer_bytes > ? ORDER BY id DESC LIMIT 1)`, limit);
  }

  private groupExists(logGroupName: string): boolean {
    return this.db.exists('SELECT 1 FROM log_groups WHERE name = ?', logGroupName);
  }

  private storedBytes(logGroupName: string): number {
    return this.db.single<{ bytes: number | null }>('SELECT SUM(LENGTH(CAST(message AS BLOB))) AS bytes FROM log_events WHERE log_group = ?', logGroupName).bytes ?? 0;
  }

  private groupInfo(row: GroupRow) {
    return { logGroupName: row.name, creationTime: row.creation_time, retentionInDays: row.retention_days ?? undefined };
  }
}

type Row = { log_stream: string; timestamp: number; ingestion_time: number; message: string };
type IdRow = Row & { id: number };

function readEvent(r: IdRow): ReadLogEvent {
  return { id: r.id, logStreamName: r.log_stream, timestamp: r.timestamp, ingestionTime: r.ingestion_time, message: r.message };
}
