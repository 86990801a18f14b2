// ScheduleStore: one account's EventBridge schedule rules, their targets and each rule's next
// fire time (one object per account). Its alarm fires due rules; the Worker's cron trigger nudges
// it too (fireDue), so a lost alarm is recovered within a minute. A rule that missed several fire
// times while the platform was down fires once, for the latest of them.
import { DurableObject } from 'cloudflare:workers';
import { accountDirectory } from '../bindings';
import type { Caller } from '../function-names';
import { fail, ok, type Result } from '../records/result';
import { TARGETS_PER_RULE_MAX, type RuleRecord, type RuleState, type TargetRecord } from '../records/schedules';
import { latestFireTime, nextFireTime, parseScheduleExpression } from '../schedules/schedule-expression';
import { scheduledEvent, type Firing } from '../schedules/scheduled-event';
import type { Sql } from './storage/rows';
import { defineSchema, openStorage } from './storage/schema';

/** When queueing a firing failed, the alarm tries again after this long. */
const OUTBOX_RETRY_MS = 10_000;

const SCHEMA = defineSchema({
  version: 1,
  description: 'owner, rules, targets and the outbox (the schema before versioning)',
  up: `
    -- indexed: what the AccountDirectory's index of scheduled accounts last heard from this object.
    CREATE TABLE IF NOT EXISTS owner (account_id TEXT NOT NULL, region TEXT NOT NULL, indexed INTEGER NOT NULL DEFAULT 0);
    -- anchor_ms: when the expression was put; rates count from it.
    CREATE TABLE IF NOT EXISTS rules (name TEXT PRIMARY KEY, schedule_expression TEXT NOT NULL,
      state TEXT NOT NULL, description TEXT, anchor_ms INTEGER NOT NULL, next_fire_ms INTEGER);
    CREATE TABLE IF NOT EXISTS targets (rule_name TEXT NOT NULL, target_id TEXT NOT NULL, arn TEXT NOT NULL,
      function_name TEXT NOT NULL, input TEXT, PRIMARY KEY (rule_name, target_id));
    -- Firings decided but not yet queued: written with the rule's new next fire time, in one step.
    CREATE TABLE IF NOT EXISTS outbox (request_id TEXT PRIMARY KEY, function_name TEXT NOT NULL,
      event_json TEXT NOT NULL, created_ms INTEGER NOT NULL);`,
});

interface RuleRow {
  name: string;
  schedule_expression: string;
  state: RuleState;
  description: string | null;
  anchor_ms: number;
  next_fire_ms: number | null;
  [key: string]: SqlStorageValue;
}

interface TargetRow {
  target_id: string;
  arn: string;
  function_name: string;
  input: string | null;
  [key: string]: SqlStorageValue;
}

/**
 * The object's rules, targets, fire times and outbox; queueing a firing as an invocation is the
 * invocation path's, which src/index.ts hands to the deployed subclass, so no object imports an
 * operation.
 */
export abstract class ScheduleStoreObject extends DurableObject<Env> {
  /** Queues one firing; false when its target no longer exists (services/schedule-firing.ts). */
  protected abstract enqueueFiring(owner: Caller, firing: Firing): Promise<boolean>;

  private readonly db: Sql;
  /** The outbox drain in progress, if any (ephemeral: a new instance starts its own). */
  private draining?: Promise<void>;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = openStorage(ctx, SCHEMA);
  }

  /** Creates or updates a rule; its targets stay. A new expression restarts a rate's count. */
  async putRule(owner: Caller, rule: Omit<RuleRecord, 'nextFireMs'>, nowMs: number): Promise<void> {
    if (!this.owner()) this.db.run('INSERT INTO owner (account_id, region) VALUES (?, ?)', owner.accountId, owner.region);
    const existing = this.row(rule.name);
    const anchorMs = existing && existing.schedule_expression === rule.scheduleExpression ? existing.anchor_ms : nowMs;
    this.db.run(`INSERT OR REPLACE INTO rules VALUES (?, ?, ?, ?, ?, NULL)`, rule.name, rule.scheduleExpression, rule.state, rule.description ?? null, anchorMs);
    this.computeNextFire(rule.name, nowMs);
    await this.settle();
  }

  getRule(name: string): RuleRecord | undefined {
    const row = this.row(name);
    return row && toRule(row);
  }

  /** Rules whose names start with `prefix`, by name. */
  listRules(prefix: string, offset: number, limit: number): { rules: RuleRecord[]; more: boolean } {
    const rows = this.db.all<RuleRow>('SELECT * FROM rules WHERE substr(name, 1, ?) = ? ORDER BY name LIMIT ? OFFSET ?', prefix.length, prefix, limit + 1, offset);
    return { rules: rows.slice(0, limit).map(toRule), more: rows.length > limit };
  }

  /** EventBridge refuses to delete a rule that still has targets. */
  async deleteRule(name: string): Promise<Result<null, 'missing' | 'has-targets'>> {
    if (!this.row(name)) return fail('missing');
    if (this.targetRows(name).length > 0) return fail('has-targets');
    this.db.run('DELETE FROM rules WHERE name = ?', name);
    await this.settle();
    return ok(null);
  }

  /** Enabling counts from now: the time a rule spent disabled is not caught up. */
  async setRuleState(name: string, state: RuleState, nowMs: number): Promise<boolean> {
    const row = this.row(name);
    if (!row) return false;
    if (row.state !== state) {
      this.db.run('UPDATE rules SET state = ? WHERE name = ?', state, name);
      this.computeNextFire(name, nowMs);
      await this.settle();
    }
    return true;
  }

  /** Adds or replaces targets by Id; refused whole when the rule would have more than 5. */
  putTargets(ruleName: string, targets: TargetRecord[]): Result<null, 'missing' | 'limit'> {
    if (!this.row(ruleName)) return fail('missing');
    const ids = new Set([...this.targetRows(ruleName).map((t) => t.target_id), ...targets.map((t) => t.id)]);
    if (ids.size > TARGETS_PER_RULE_MAX) return fail('limit');
    for (const t of targets) {
      this.db.run('INSERT OR REPLACE INTO targets VALUES (?, ?, ?, ?, ?)', ruleName, t.id, t.arn, t.functionName, t.input ?? null);
    }
    return ok(null);
  }

  listTargets(ruleName: string): TargetRecord[] | undefined {
    if (!this.row(ruleName)) return undefined;
    return this.targetRows(ruleName).map((t) => ({ id: t.target_id, arn: t.arn, functionName: t.function_name, input: t.input ?? undefined }));
  }

  /** Removes the targets with these ids; ids the rule does not have are ignored, as AWS does. */
  removeTargets(ruleName: string, ids: string[]): boolean {
    if (!this.row(ruleName)) return false;
    for (const id of ids) this.db.run('DELETE FROM targets WHERE rule_name = ? AND target_id = ?', ruleName, id);
    return true;
  }

  /**
   * Forgets everything (the account is being deleted): rules, targets, unqueued firings, the
   * alarm and the account's entry in the directory's scheduled accounts, then the owner row.
   */
  async deleteAll(): Promise<void> {
    for (const table of ['rules', 'targets', 'outbox']) this.db.run(`DELETE FROM ${table}`);
    await this.settle();
    this.db.run('DELETE FROM owner');
  }

  /**
   * Fires every enabled rule that is due at `asOfMs` (or now, if later): each once, for its
   * latest missed fire time, then queues the firings. Returns how many rules fired.
   */
  async fireDue(asOfMs: number): Promise<number> {
    const owner = this.owner();
    if (!owner) return 0;
    const nowMs = Math.max(asOfMs, Date.now());
    const fired = this.ctx.storage.transactionSync(() => {
      const due = this.db.all<RuleRow>(`SELECT * FROM rules WHERE state = 'ENABLED' AND next_fire_ms <= ?`, nowMs);
      for (const rule of due) {
        const schedule = parseScheduleExpression(rule.schedule_expression);
        if ('error' in schedule) continue;
        const scheduledMs = latestFireTime(schedule, rule.anchor_ms, nowMs) ?? rule.next_fire_ms!;
        this.computeNextFire(rule.name, nowMs);
        const event = JSON.stringify(scheduledEvent(owner, rule.name, crypto.randomUUID(), scheduledMs));
        for (const target of this.targetRows(rule.name)) {
          this.db.run('INSERT INTO outbox VALUES (?, ?, ?, ?)', crypto.randomUUID(), target.function_name, target.input ?? event, nowMs);
        }
      }
      return due.length;
    });
    await this.settle();
    return fired;
  }

  override async alarm(): Promise<void> {
    await this.fireDue(Date.now());
  }

  private row(name: string): RuleRow | undefined {
    return this.db.one<RuleRow>('SELECT * FROM rules WHERE name = ?', name);
  }

  private targetRows(ruleName: string): TargetRow[] {
    return this.db.all<TargetRow>('SELECT target_id, arn, function_name, input FROM targets WHERE rule_name = ? ORDER BY target_id', ruleName);
  }

  private owner(): (Caller & { indexed: boolean }) | undefined {
    const row = this.db.one<{ account_id: string; region: string; indexed: number }>('SELECT * FROM owner');
    return row && { accountId: row.account_id, region: row.region, indexed: row.indexed === 1 };
  }

  /** Sets a rule's next fire time after `nowMs`, or none while it is disabled. */
  private computeNextFire(name: string, nowMs: number): void {
    const row = this.row(name)!;
    const schedule = parseScheduleExpression(row.schedule_expression);
    const next = row.state === 'ENABLED' && !('error' in schedule) ? nextFireTime(schedule, row.anchor_ms, nowMs) : undefined;
    this.db.run('UPDATE rules SET next_fire_ms = ? WHERE name = ?', next ?? null, name);
  }

  /** After any change: queue pending firings, set the alarm, and keep the cron's account index true. */
  private async settle(): Promise<void> {
    await this.drainOutbox();
    const next = this.db.single<{ t: number | null }>(`SELECT MIN(next_fire_ms) AS t FROM rules WHERE state = 'ENABLED'`).t;
    const pending = this.db.single<{ n: number }>('SELECT COUNT(*) AS n FROM outbox').n > 0;
    const alarmMs = pending ? Math.min(next ?? Infinity, Date.now() + OUTBOX_RETRY_MS) : next;
    if (alarmMs === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(alarmMs);
    // The global index is written only when this account's answer changes, not on every firing.
    const owner = this.owner();
    const scheduled = next !== null;
    if (owner && owner.indexed !== scheduled) {
      await accountDirectory(this.env).setScheduled(owner.accountId, scheduled);
      this.db.run('UPDATE owner SET indexed = ?', scheduled ? 1 : 0);
    }
  }

  /** Queues every outbox firing once; one drain at a time, which also takes firings added meanwhile. */
  private drainOutbox(): Promise<void> {
    this.draining ??= this.drainOnce().finally(() => (this.draining = undefined));
    return this.draining;
  }

  private async drainOnce(): Promise<void> {
    const owner = this.owner();
    if (!owner) return;
    const tried = new Set<string>();
    for (;;) {
      const rows = this.db.all<{ request_id: string; function_name: string; event_json: string }>('SELECT * FROM outbox ORDER BY created_ms')
        .filter((r) => !tried.has(r.request_id));
      if (rows.length === 0) return;
      for (const row of rows) {
        tried.add(row.request_id);
        const firing: Firing = { requestId: row.request_id, functionName: row.function_name, eventJson: row.event_json };
        try {
          if (!(await this.enqueueFiring(owner, firing))) {
            console.warn(`schedule target ${owner.accountId}/${firing.functionName} does not exist; firing ${firing.requestId} dropped`);
          }
          this.db.run('DELETE FROM outbox WHERE request_id = ?', row.request_id);
        } catch (error) {
          // Kept in the outbox; the alarm tries again (settle sets it within OUTBOX_RETRY_MS).
          console.error(`queueing schedule firing ${firing.requestId} failed:`, error);
        }
      }
    }
  }
}

function toRule(row: RuleRow): RuleRecord {
  return {
    name: row.name,
    scheduleExpression: row.schedule_expression,
    state: row.state,
    description: row.description ?? undefined,
    nextFireMs: row.next_fire_ms ?? undefined,
  };
}
