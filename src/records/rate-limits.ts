// Record types of API rate limiting (src/objects/api-rate-limiter.ts): token bucket rates and the limiter's answer.

/** A token bucket: `perSecond` tokens are added each second up to `burst`; 0 per second turns the bucket off. */
export interface BucketRate {
  perSecond: number;
  burst: number;
}

/** What one subject (an access key or a source address) may do now. */
export interface AdmitRequest {
  /** Take one request token from this bucket; absent: no request budget is spent. */
  requests?: BucketRate;
  /** Refuse while this bucket of authentication failures is empty (nothing is taken from it). */
  failures?: BucketRate;
}

/** The limiter's answer: admitted, or throttled with the time until a token is back. */
export type AdmitOutcome = { admitted: true } | { admitted: false; retryAfterSeconds: number };
