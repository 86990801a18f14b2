// The platform's prices, free tier and billed-duration rounding, read from wrangler.toml vars.
import { mbMsOf, parseDecimal, type Fixed } from './money';

export interface BillingConfig {
  pricePerMillionRequests: Fixed;
  pricePerGbSecond: Fixed;
  /** Requests free each month, per account. */
  freeTierRequests: bigint;
  /** GB-seconds free each month, per account, as whole MB-ms. */
  freeTierMbMs: bigint;
  /** Billed duration is rounded up to a multiple of this (1 now; 100 before December 2020). */
  billedDurationGranularityMs: number;
}

/** The configuration in `env`; throws (a platform misconfiguration) on a malformed value. */
export function billingConfig(env: Env): BillingConfig {
  const granularity = Number(env.FAASBOX_BILLED_DURATION_GRANULARITY_MS);
  if (!Number.isInteger(granularity) || granularity < 1) throw new Error(`FAASBOX_BILLED_DURATION_GRANULARITY_MS must be a whole number of ms >= 1, not '${env.FAASBOX_BILLED_DURATION_GRANULARITY_MS}'`);
  return {
    pricePerMillionRequests: parseDecimal(env.FAASBOX_PRICE_PER_MILLION_REQUESTS, 'FAASBOX_PRICE_PER_MILLION_REQUESTS'),
    pricePerGbSecond: parseDecimal(env.FAASBOX_PRICE_PER_GB_SECOND, 'FAASBOX_PRICE_PER_GB_SECOND'),
    freeTierRequests: BigInt(/^\d+$/.test(env.FAASBOX_FREE_TIER_REQUESTS) ? env.FAASBOX_FREE_TIER_REQUESTS : fail('FAASBOX_FREE_TIER_REQUESTS', env.FAASBOX_FREE_TIER_REQUESTS)),
    freeTierMbMs: mbMsOf(parseDecimal(env.FAASBOX_FREE_TIER_GB_SECONDS, 'FAASBOX_FREE_TIER_GB_SECONDS')),
    billedDurationGranularityMs: granularity,
  };
}

function fail(name: string, value: string): never {
  throw new Error(`${name} must be a whole number, not '${value}'`);
}
