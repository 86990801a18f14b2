// An account's concurrency as the ConcurrencyLimiter answers it: leases, throttles, reservations.
import type { Result } from './result';

/** Lambda keeps at least this many of an account's executions out of reservations. */
export const MIN_UNRESERVED_CONCURRENCY = 100;

/** Lambda's rule for an account whose limit is below 100 (a sandbox's 2): all of it stays unreserved. */
export function minimumUnreserved(accountLimit: number): number {
  return Math.min(MIN_UNRESERVED_CONCURRENCY, accountLimit);
}

export type ThrottleReason = 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded'
  /** A playground sandbox's quota (invocations, cost): Lambda's Reason for a caller over its limits. */
  | 'CallerRateLimitExceeded';

/** A granted slot and the concurrency right after granting it (the invocation's metrics). */
export interface Lease {
  leaseId: string;
  concurrentExecutions: number;
  unreservedConcurrentExecutions: number;
  functionConcurrentExecutions: number;
  /** The account is a playground sandbox (docs/PLAYGROUND-QUOTAS.md): its invocation rules apply. */
  sandbox: boolean;
}

/** The invocation quotas of a playground sandbox, kept by its ConcurrencyLimiter. */
export interface SandboxInvocationQuotas {
  invocationsPerMinute: number;
  invocationsTotal: number;
  /** List price the sandbox's invocations may cost, a decimal string in USD ("0.01"). */
  costCapUsd: string;
}

/** Which invocation quota refused an invocation. */
export type SandboxQuotaName = 'invocations-per-minute' | 'invocations-total' | 'cost-cap';

/** An invocation a sandbox's quota refused: which one, and when a retry can pass (undefined: never, in this sandbox's life). */
export interface QuotaRefusal {
  quota: SandboxQuotaName;
  retryAfterSeconds?: number;
}

/** A sandbox's invocation counts and cost so far, as its ConcurrencyLimiter holds them. */
export interface SandboxInvocationUsage extends SandboxInvocationQuotas {
  invocationsThisMinute: number;
  invocations: number;
  /** Exact list price used so far, a decimal string in USD. */
  costUsedUsd: string;
  /** The cost has reached the cap: every further invocation is refused. */
  costExceeded: boolean;
}

/** What a completed invocation cost, handed back with its lease: the billed figures its list price is computed from. */
export interface BilledFigures {
  billedDurationMs: number;
  memorySizeMb: number;
}

/** A lease, or the Reason Lambda reports for the throttle, or a sandbox quota's refusal. */
export type LeaseGrant = Result<Lease, ThrottleReason | 'sandbox-quota', { 'sandbox-quota': { refusal: QuotaRefusal } }>;

/** PutFunctionConcurrency refused: the unreserved executions it would leave, below the minimum. */
export type ReservationResult = Result<null, 'unreserved-below-minimum', { 'unreserved-below-minimum': { unreservedAfter: number; minimum: number } }>;

export interface ConcurrencySnapshot {
  accountLimit: number;
  unreservedLimit: number;
  concurrentExecutions: number;
  unreservedConcurrentExecutions: number;
  reservations: Record<string, number>;
  activeByFunction: Record<string, number>;
}
