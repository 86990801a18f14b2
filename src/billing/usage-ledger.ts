// The SQLite tables of one account's billing usage, used only inside its MetricsStore: one row
// per invocation (kept USAGE_RETENTION_MS) and exact monthly totals per function and for the
// account (kept for good). The free tier is consumed in the order invocations are recorded, so
// each invocation knows its own free share and per-function costs add up to the account's.
import { durationCost, formatExact, gbSeconds, requestCost } from './money';
import type { BillingConfig } from './prices';
import type { UsageTotals } from './statement';
import type { InvocationUsage } from '../records/metrics';

export type { InvocationUsage } from '../records/metrics';

/** Per-invocation usage records are kept as long as 1-hour metric points (455 days). */
export const USAGE_RETENTION_MS = 455 * 86_400_000;
/** The row name of the account's own monthly totals (no function has an empty name). */
const ACCOUNT_TOTAL = '';

/** One invocation's usage record as the API returns it (figures as exact decimal strings). */
export interface UsageRecord {
  RequestId: string;
  FunctionName: string;
  Timestamp: string;
  BilledDurationMs: number;
  MemorySizeMB: number;
  GBSeconds: string;
  FreeTierRequest: boolean;
  FreeTierGBSeconds: string;
  /** Request + duration at list price, before the free tier. */
  ListCost: string;
  /** What the invocation adds to the bill after the free tier. */
  Cost: string;
}

export interface UsageQuery {
  requestId?: string;
  functionName?: string;
  month?: string;
  /** Records after this id (the previous page's marker). */
  afterId: number;
  maxItems: number;
}

type InvocationRow = {
  id: number; request_id: string; function_name: string; at_ms: number; billed_ms: number; memory_mb: number;
  mb_ms: number; free_requests: number; free_mb_ms: number;
};
type TotalsRow = { function_name: string; requests: string; mb_ms: string; free_requests: string; free_mb_ms: string };

export class UsageLedger {
  /** `sql` is the MetricsStore's, whose schema (objects/metrics-store.ts) makes these tables. */
  constructor(private readonly sql: SqlStorage) {}

  /** Records one invocation at `atMs` in its UTC month, taking what is left of the free tier first. */
  record(usage: InvocationUsage, atMs: number, config: BillingConfig): void {
    const month = monthOf(atMs);
    const mbMs = BigInt(usage.memorySizeMb) * BigInt(usage.billedDurationMs);
    const account = this.totals(month, ACCOUNT_TOTAL)[0];
    const freeRequests = (account?.freeRequests ?? 0n) < config.freeTierRequests ? 1n : 0n;
    const freeLeft = config.freeTierMbMs - (account?.freeMbMs ?? 0n);
    const freeMbMs = freeLeft <= 0n ? 0n : freeLeft < mbMs ? freeLeft : mbMs;
    this.sql.exec(
      'INSERT INTO usage_invocations (request_id, function_name, month, at_ms, billed_ms, memory_mb, mb_ms, free_requests, free_mb_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      usage.requestId, usage.functionName, month, atMs, usage.billedDurationMs, usage.memorySizeMb, Number(mbMs), Number(freeRequests), Number(freeMbMs),
    );
    for (const name of [usage.functionName, ACCOUNT_TOTAL]) {
      this.sql.exec(
        `INSERT INTO usage_months VALUES (?, ?, 1, ?, ?, ?) ON CONFLICT DO UPDATE SET requests = requests + 1, mb_ms = mb_ms + excluded.mb_ms,
           free_requests = free_requests + excluded.free_requests, free_mb_ms = free_mb_ms + excluded.free_mb_ms`,
        month, name, Number(mbMs), Number(freeRequests), Number(freeMbMs),
      );
    }
  }

  /** Exact monthly totals: the account's (functionName '') and each function's, or only `onlyName`'s. */
  totals(month: string, onlyName?: string): (UsageTotals & { functionName: string })[] {
    return this.sql
      .exec<TotalsRow>(`SELECT function_name, CAST(requests AS TEXT) AS requests, CAST(mb_ms AS TEXT) AS mb_ms,
        CAST(free_requests AS TEXT) AS free_requests, CAST(free_mb_ms AS TEXT) AS free_mb_ms FROM usage_months
        WHERE month = ? AND (? IS NULL OR function_name = ?) ORDER BY function_name`, month, onlyName ?? null, onlyName ?? null)
      .toArray()
      .map((r) => ({ functionName: r.function_name, requests: BigInt(r.requests), mbMs: BigInt(r.mb_ms), freeRequests: BigInt(r.free_requests), freeMbMs: BigInt(r.free_mb_ms) }));
  }

  /** A page of usage records in recording order, and the marker of the next page. */
  invocations(query: UsageQuery, config: BillingConfig): { records: UsageRecord[]; nextMarker?: number } {
    const where = ['id > ?'];
    const args: (string | number)[] = [query.afterId];
    if (query.requestId !== undefined) (where.push('request_id = ?'), args.push(query.requestId));
    if (query.functionName !== undefined) (where.push('function_name = ?'), args.push(query.functionName));
    if (query.month !== undefined) (where.push('month = ?'), args.push(query.month));
    const rows = this.sql
      .exec<InvocationRow>(`SELECT * FROM usage_invocations WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, ...args, query.maxItems + 1)
      .toArray();
    const page = rows.slice(0, query.maxItems);
    return { records: page.map((r) => usageRecord(r, config)), nextMarker: rows.length > query.maxItems ? page[page.length - 1].id : undefined };
  }

  /** Drops per-invocation records older than USAGE_RETENTION_MS; monthly totals stay. */
  expire(nowMs: number): void {
    this.sql.exec('DELETE FROM usage_invocations WHERE at_ms < ?', nowMs - USAGE_RETENTION_MS);
  }
}

/** The UTC month of a time, as YYYY-MM. */
export function monthOf(atMs: number): string {
  return new Date(atMs).toISOString().slice(0, 7);
}

function usageRecord(r: InvocationRow, config: BillingConfig): UsageRecord {
  const mbMs = BigInt(r.mb_ms);
  const freeMbMs = BigInt(r.free_mb_ms);
  const listCost = requestCost(1n, config.pricePerMillionRequests) + durationCost(mbMs, config.pricePerGbSecond);
  const cost = requestCost(BigInt(1 - r.free_requests), config.pricePerMillionRequests) + durationCost(mbMs - freeMbMs, config.pricePerGbSecond);
  return {
    RequestId: r.request_id,
    FunctionName: r.function_name,
    Timestamp: new Date(r.at_ms).toISOString(),
    BilledDurationMs: r.billed_ms,
    MemorySizeMB: r.memory_mb,
    GBSeconds: formatExact(gbSeconds(mbMs)),
    FreeTierRequest: r.free_requests === 1,
    FreeTierGBSeconds: formatExact(gbSeconds(freeMbMs)),
    ListCost: formatExact(listCost),
    Cost: formatExact(cost),
  };
}
