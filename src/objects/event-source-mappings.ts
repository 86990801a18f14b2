// EventSourceMappings: one object per account, holding that account's event source mappings
// (queue triggers) and running their pollers from its alarm. The alarm polls every enabled
// mapping for a bounded slice, then sets itself again: at once while work is left, after a
// second when the queues were empty, later with backoff after throttles.
import { DurableObject } from 'cloudflare:workers';
import { pollMapping, type PollOutcome } from '../triggers/sqs-poller';
import { readConfig } from '../config';

/** A mapping from one of the account's queues to one of its functions; times in epoch ms. */
export interface EventSourceMapping {
  uuid: string;
  accountId: string;
  region: string;
  functionName: string;
  /** A version or alias the mapping invokes (absent: $LATEST), resolved again for every batch. */
  qualifier?: string;
  /** FunctionArn as Lambda reports it: unqualified, or with `:$LATEST` when created so. */
  functionArn: string;
  eventSourceArn: string;
  queueName: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  enabled: boolean;
  reportBatchItemFailures: boolean;
  /** ScalingConfig.MaximumConcurrency: batches run at once at most. */
  maximumConcurrency?: number;
  lastModifiedMs: number;
}

export type MappingChanges = Partial<Pick<EventSourceMapping, 'batchSize' | 'maximumBatchingWindowSeconds' | 'enabled' | 'reportBatchItemFailures' | 'maximumConcurrency'>>;

/** How long one alarm polls before it yields and sets itself again (Durable Object alarms are bounded). */
const POLL_SLICE_MS = 10_000;
/** How often an empty queue is asked again. */
const IDLE_POLL_MS = 1_000;

export class EventSourceMappings extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** Consecutive throttled or unavailable polls per mapping, for backoff. Ephemeral: a restart polls at once. */
  private readonly backoffs = new Map<string, number>();
  /** When each mapping is due to poll again (epoch ms); absent means now. Ephemeral, like the backoff. */
  private readonly pollAfterMs = new Map<string, number>();
  /** A mapping was created or enabled while the alarm ran: run again at once. Ephemeral. */
  private wakeRequested = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS mappings (uuid TEXT PRIMARY KEY, function_name TEXT NOT NULL,
      event_source_arn TEXT NOT NULL, record TEXT NOT NULL)`);
  }

  /** Adds a mapping; refused with the existing UUID when the same queue already feeds the same function. */
  async create(mapping: EventSourceMapping): Promise<{ ok: true } | { ok: false; existingUuid: string }> {
    const existing = this.sql
      .exec<{ uuid: string }>('SELECT uuid FROM mappings WHERE function_name = ? AND event_source_arn = ?', mapping.functionName, mapping.eventSourceArn)
      .toArray()[0];
    if (existing) return { ok: false, existingUuid: existing.uuid };
    this.sql.exec('INSERT INTO mappings VALUES (?, ?, ?, ?)', mapping.uuid, mapping.functionName, mapping.eventSourceArn, JSON.stringify(mapping));
    if (mapping.enabled) await this.wake(mapping.uuid);
    return { ok: true };
  }

  get(uuid: string): EventSourceMapping | undefined {
    const row = this.sql.exec<{ record: string }>('SELECT record FROM mappings WHERE uuid = ?', uuid).toArray()[0];
    return row && (JSON.parse(row.record) as EventSourceMapping);
  }

  /** Mappings in UUID order after `marker`, filtered by queue ARN and function name, at most `maxItems`. */
  list(filter: { eventSourceArn?: string; functionName?: string }, marker: string, maxItems: number): { mappings: EventSourceMapping[]; nextMarker?: string } {
    const rows = this.sql
      .exec<{ record: string }>(
        `SELECT record FROM mappings WHERE uuid > ?1 AND (?2 IS NULL OR event_source_arn = ?2) AND (?3 IS NULL OR function_name = ?3)
         ORDER BY uuid LIMIT ?4`,
        marker, filter.eventSourceArn ?? null, filter.functionName ?? null, maxItems + 1,
      )
      .toArray()
      .map((r) => JSON.parse(r.record) as EventSourceMapping);
    const mappings = rows.slice(0, maxItems);
    return { mappings, nextMarker: rows.length > maxItems ? mappings[mappings.length - 1].uuid : undefined };
  }

  /** Applies `changes`; undefined when there is no such mapping. */
  async update(uuid: string, changes: MappingChanges): Promise<EventSourceMapping | undefined> {
    const current = this.get(uuid);
    if (!current) return undefined;
    const updated: EventSourceMapping = { ...current, ...changes, lastModifiedMs: Date.now() };
    this.sql.exec('UPDATE mappings SET record = ? WHERE uuid = ?', JSON.stringify(updated), uuid);
    if (updated.enabled && !current.enabled) await this.wake(uuid);
    return updated;
  }

  /** Removes a mapping; its pollers stop before their next receive. Returns the removed mapping. */
  delete(uuid: string): EventSourceMapping | undefined {
    const mapping = this.get(uuid);
    if (mapping) this.sql.exec('DELETE FROM mappings WHERE uuid = ?', uuid);
    return mapping;
  }

  /** Removes every mapping of the account (account deletion). */
  async deleteAll(): Promise<void> {
    this.sql.exec('DELETE FROM mappings');
    await this.ctx.storage.deleteAlarm();
  }

  override async alarm(): Promise<void> {
    this.wakeRequested = false;
    const sliceEndsAtMs = Date.now() + POLL_SLICE_MS;
    const due = this.enabledMappings().filter((m) => (this.pollAfterMs.get(m.uuid) ?? 0) <= Date.now());
    await Promise.all(due.map(async (mapping) => {
      const outcome = await pollMapping(this.env, mapping, { isEnabled: () => this.get(mapping.uuid)?.enabled === true, sliceEndsAtMs }).catch((error: unknown): PollOutcome => {
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

  private enabledMappings(): EventSourceMapping[] {
    return this.sql.exec<{ record: string }>('SELECT record FROM mappings').toArray()
      .map((r) => JSON.parse(r.record) as EventSourceMapping)
      .filter((m) => m.enabled);
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
