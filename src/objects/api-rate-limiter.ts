// ApiRateLimiter: one object per rate-limited subject of the signed APIs (an access key id, or a
// source address), holding its token buckets of requests and of authentication failures.
// Buckets are in memory only: an object is evicted only after it was idle, when its buckets had
// refilled anyway, so losing them loses nothing a caller could use.
import { DurableObject } from 'cloudflare:workers';
import type { AdmitOutcome, AdmitRequest, BucketRate } from '../records/rate-limits';

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class ApiRateLimiter extends DurableObject<Env> {
  private requests: Bucket | undefined;
  private failures: Bucket | undefined;
  /** The limiter's clock in ms since the epoch; tests move it (runInDurableObject) instead of waiting. */
  now: () => number = () => Date.now();

  /**
   * Admits one request of this subject or answers when to retry: refused while the failure
   * bucket (if given) is empty, else one token is taken from the request bucket (if given).
   */
  admit(ask: AdmitRequest): AdmitOutcome {
    const nowMs = this.now();
    if (ask.failures && ask.failures.perSecond > 0) {
      this.failures = refill(this.failures, ask.failures, nowMs);
      if (this.failures.tokens < 1) return throttled(this.failures, ask.failures);
    }
    if (ask.requests && ask.requests.perSecond > 0) {
      this.requests = refill(this.requests, ask.requests, nowMs);
      if (this.requests.tokens < 1) return throttled(this.requests, ask.requests);
      this.requests.tokens -= 1;
    }
    return { admitted: true };
  }

  /**
   * Undoes part of an admitted request that failed authentication: gives its request token back
   * (the key id was only claimed) and/or counts one failure (a bad signature, an unknown key id).
   */
  settleRefused(settle: { refund?: BucketRate; failure?: BucketRate }): void {
    const nowMs = this.now();
    if (settle.refund && settle.refund.perSecond > 0) {
      this.requests = refill(this.requests, settle.refund, nowMs);
      this.requests.tokens = Math.min(settle.refund.burst, this.requests.tokens + 1);
    }
    if (settle.failure && settle.failure.perSecond > 0) {
      this.failures = refill(this.failures, settle.failure, nowMs);
      this.failures.tokens = Math.max(0, this.failures.tokens - 1);
    }
  }
}

/** The bucket at `nowMs`: full when new, else topped up for the time since its last update. */
function refill(bucket: Bucket | undefined, rate: BucketRate, nowMs: number): Bucket {
  if (!bucket) return { tokens: rate.burst, updatedMs: nowMs };
  const elapsedMs = Math.max(0, nowMs - bucket.updatedMs);
  return { tokens: Math.min(rate.burst, bucket.tokens + (elapsedMs * rate.perSecond) / 1000), updatedMs: nowMs };
}

/** Refused: whole seconds (at least 1) until the bucket holds a token again. */
function throttled(bucket: Bucket, rate: BucketRate): AdmitOutcome {
  return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate.perSecond)) };
}
