// An account's concurrency as the ConcurrencyLimiter answers it: leases, throttles, reservations.
import type { Result } from './result';

/** Lambda keeps at least this many of an account's executions out of reservations. */
export const MIN_UNRESERVED_CONCURRENCY = 100;

export type ThrottleReason = 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded';

/** A granted slot and the concurrency right after granting it (the invocation's metrics). */
export interface Lease {
  leaseId: string;
  concurrentExecutions: number;
  unreservedConcurrentExecutions: number;
  functionConcurrentExecutions: number;
}

/** A lease, or the Reason Lambda reports for the throttle. */
export type LeaseGrant = Result<Lease, ThrottleReason>;

/** PutFunctionConcurrency refused: the unreserved executions it would leave, below the minimum. */
export type ReservationResult = Result<null, 'unreserved-below-minimum', { 'unreserved-below-minimum': { unreservedAfter: number } }>;

export interface ConcurrencySnapshot {
  accountLimit: number;
  unreservedLimit: number;
  concurrentExecutions: number;
  unreservedConcurrentExecutions: number;
  reservations: Record<string, number>;
  activeByFunction: Record<string, number>;
}
