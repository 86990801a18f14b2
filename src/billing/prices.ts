// The platform's prices, free tier and billed-duration rounding, as exact amounts from the config.
import { mbMsOf, parseDecimal, type Fixed } from './money';
import { readConfig } from '../config';

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

/** The configuration in `env` as exact amounts; config.ts refuses malformed values. */
export function billingConfig(env: Env): BillingConfig {
  const config = readConfig(env);
  return {
    pricePerMillionRequests: parseDecimal(config.pricePerMillionRequestsUsd, 'FAASBOX_PRICE_PER_MILLION_REQUESTS'),
    pricePerGbSecond: parseDecimal(config.pricePerGbSecondUsd, 'FAASBOX_PRICE_PER_GB_SECOND'),
    freeTierRequests: config.freeTierRequests,
    freeTierMbMs: mbMsOf(parseDecimal(config.freeTierGbSeconds, 'FAASBOX_FREE_TIER_GB_SECONDS')),
    billedDurationGranularityMs: config.billedDurationGranularityMs,
  };
}
