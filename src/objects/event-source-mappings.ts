// EventSourceMappings: one object per account, holding that account's event source mappings
// (queue triggers) and running their pollers from its alarm. The alarm polls every enabled
// mapping for a bounded slice, then sets itself again: at once while work is left, after a
// second when the queues were empty, later with backoff after throttles.
import { DurableObject } from 'cloudflare:workers';
import type { EventSourceMapping, MappingChanges, PollOptions, PollOutcome } from '../records/event-source-mapping';
import { fail, ok, type Result } from '../records/result';
import { withChangedTags, type Tags } from '../records/tags';
import { readConfig } from '../config';
import { jsonColumn, type Sql } from './storage/rows';
import { defineSchema, openStorage } from './storage/schema';

const SCHEMA = defineSchema({
  version: 1,
  description: 'mappings (the schema before versioning)',
  up: `CREATE TABLE IF NOT EXISTS mappings (uuid TEXT PRIMARY KEY, function_name TEXT NOT NULL,
      event_source_arn TEXT NOT NULL, record TEXT NOT NULL)`,
});

const record = jsonColumn<EventSourceMapping>('record');

/** How long one alarm polls before it yields and sets itself again (Durable Object alarms are bounded). */
const POLL_SLICE_MS = 10_000;
/** How often an empty queue is asked again. */
const IDLE_POLL_MS = 1_000;

/**
 * The object's state and scheduling; polling itself (receive, invoke, delete) is the invocation
 * path's, which src/index.ts hands to the deployed subclass, so no object imports an operation.
 */
export abstract class EventSourceMappingsObject extends DurableObject<Env> {
  /** One round of polling `mapping` (triggers/sqs-poller.ts). */
  protected abstract poll(mapping: EventSourceMapping, options: PollOptions): Promise<PollOutcome>;

  private readonly db: Sql;
  /** Consecutive throttled or unavailable polls per mapping, for backoff. Ephemeral: a restart polls at once. */
  private readonly backoffs = new Map<string, number>();
  /** When each mapping is due to poll again (epoch ms); absent means now. Ephemeral, like the backoff. */
  private readonly pollAfterMs = new Map<string, number>();
  /** A mapping was created or enabled while the alarm ran: run again at once. Ephemeral. */
  private wakeRequested = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = openStorage(ctx, SCHEMA);
  }

  /** Adds a mapping; refused with the existing UUID when the same queue already feeds the same function. */
  async create(mapping: EventSourceMapping): Promise<Result<null, 'exists', { exists: { existingUuid: string } }>> {
    const existing = this.db.one<{ uuid: string }>('SELECT uuid FROM mappings WHERE function_name = ? AND event_source_arn = ?', mapping.functionName, mapping.eventSourceArn);
    if (existing) return fail('exists', { existingUuid: existing.uuid });
    this.db.run('INSERT INTO mappings VALUES (?, ?, ?, ?)', mapping.uuid, mapping.functionName, mapping.eventSourceArn, record.encode(mapping));
    if (mapping.enabled) await this.wake(mapping.uuid);
    return ok(null);
  }

  get(uuid: string): EventSourceMapping | undefined {
    return record.one(this.db, 'SELECT record FROM mappings WHERE uuid = ?', uuid);
  }

  /** Mappings in UUID order after `marker`, filtered by queue ARN and function name, at most `maxItems`. */
  list(filter: { eventSourceArn?: string; functionName?: string }, marker: string, maxItems: number): { mappings: EventSourceMapping[]; nextMarker?: string } {
    const rows = record.all(
      this.db,
      `SELECT record FROM mappings WHERE uuid > ?1 AND (?2 IS NULL OR event_source_arn = ?2) AND (?3 IS NULL OR function_name = ?3)
       ORDER BY uuid LIMIT ?4`,
      marker, filter.eventSourceArn ?? null, filter.functionName ?? null, maxItems + 1,
    );
    const mappings = rows.slice(0, maxItems);
    return { mappings, nextMarker: rows.length > maxItems ? mappings[mappings.length - 1].uuid : undefined };
  }

  /** Applies `changes`; undefined when there is no such mapping. */
  async update(uuid: string, changes: MappingChanges): Promise<EventSourceMapping | undefined> {
    const current = this.get(uuid);
    if (!current) return undefined;
    const updated: EventSourceMapping = { ...current, ...changes, lastModifiedMs: Date.now() };
    this.db.run('UPDATE mappings SET record = ? WHERE uuid = ?', record.encode(updated), uuid);
    if (updated.enabled && !current.enabled) await this.wake(uuid);
    return updated;
  }

  /**
   * TagResource / UntagResource of a mapping: `set` over its tags, `remove` taken out, refused
   * (`too-many`) when more than `maxTags` would remain. Not a change of its settings: LastModified stays.
   */
  updateTags(uuid: string, set: Tags, remove: readonly string[], maxTags: number): Result<EventSourceMapping, 'not-found' | 'too-many'> {
    const current = this.get(uuid);
    if (!current) return fail('not-found');
    const updated = withChangedTags(current, set, remove, maxTags);
    if (!updated) return fail('too-many');
    this.db.run('UPDATE mappings SET record = ? WHERE uuid = ?', record.encode(updated), uuid);
    return ok(updated);
  }

  /** Removes a mapping; its pollers stop before their next receive. Returns the removed mapping. */
  delete(uuid: string): EventSourceMapping | undefined {
    const mapping = this.get(uuid);
    if (mapping) this.db.run('DELETE FROM mappings WHERE uuid = ?', uuid);
    return mapping;
  }

  /** Removes every mapping of the account (account deletion). */
  async deleteAll(): Promise<void> {
    this.db.run('DELETE FROM mappings');
    this.backoffs.clear();
    this.pollAfterMs.clear();
    await this.ctx.storage.deleteAlarm();
  }

  override async alarm(): Promise<void> {
    this.wakeRequested = false;
    const sliceEndsAtMs = Date.now() + POLL_SLICE_MS;
    const due = this.enabledMappings().filter((m) => (this.pollAfterMs.get(m.uuid) ?? 0) <= Date.now());
    await Promise.all(due.map(async (mapping) => {
      const options: PollOptions = { isEnabled: () => this.get(mapping.uuid)?.enabled === true, sliceEndsAtMs, reportProblem: async (problem) => this.setProblem(mapping.uuid, problem) };
      const outcome = await this.poll(mapping, options).catch((error: unknown): PollOutcome => {
        console.error(`event source mapping ${mapping.uuid} failed to poll:`, error);
        return 'unavailable';
      });
      this.pollAfterMs.set(mapping.uuid, this.nextPollAt(mapping.uuid, outcome));
    }));
    const enabled = this.enabledMappings();
    if (enabled.length === 0) return;
    const next = Math.min(...enabled.map((m) => this.pollAfterMs.get(m.uuid) ?? 0));
    await this.ctx.storage.setAlarm(this.wakeRequested ? Date.now() : Math.max(next, Date.now()));
  }

  /** Keeps a poller's problem as LastProcessingResult; a problem that went away becomes `OK`. Not a user's change: LastModified stays. */
  private setProblem(uuid: string, problem: string | undefined): void {
    const current = this.get(uuid);
    if (!current) return;
    const result = problem ?? (current.lastProcessingResult?.startsWith('PROBLEM') ? 'OK' : current.lastProcessingResult);
    if (result === current.lastProcessingResult) return;
    this.db.run('UPDATE mappings SET record = ? WHERE uuid = ?', record.encode({ ...current, lastProcessingResult: result }), uuid);
  }

  private enabledMappings(): EventSourceMapping[] {
    return record.all(this.db, 'SELECT record FROM mappings').filter((m) => m.enabled);
  }

  /** When to poll a mapping again after `outcome`: at once, after the idle interval, or with backoff. */
  private nextPollAt(uuid: string, outcome: PollOutcome): number {
    const now = Date.now();
    if (outcome === 'throttled' || outcome === 'unavailable') {
      const attempts = (this.backoffs.get(uuid) ?? 0) + 1;
      this.backoffs.set(uuid, attempts);
      return now + Math.min(readConfig(this.env).throttleBackoffMaxSeconds, 2 ** (attempts - 1)) * 1000;
    }
    this.backoffs.delete(uuid);
    return outcome === 'more' ? now : now + IDLE_POLL_MS;
  }

  /** Polls `uuid` at the next alarm, which is now. */
  private async wake(uuid: string): Promise<void> {
    this.pollAfterMs.delete(uuid);
    this.backoffs.delete(uuid);
    this.wakeRequested = true;
    await this.ctx.storage.setAlarm(Date.now());
  }
}
