// Exact money arithmetic with Lambda's real prices, and the refusal of malformed configuration.
import { describe, expect, it } from 'vitest';
import { durationCost, formatExact, formatRounded, gbSeconds, parseDecimal, requestCost } from '../../../src/billing/money';
import { billingConfig } from '../../../src/billing/prices';

const LAMBDA = {
  FAASBOX_PRICE_PER_MILLION_REQUESTS: '0.20', FAASBOX_PRICE_PER_GB_SECOND: '0.0000166667',
  FAASBOX_FREE_TIER_REQUESTS: '1000000', FAASBOX_FREE_TIER_GB_SECONDS: '400000', FAASBOX_BILLED_DURATION_GRANULARITY_MS: '1',
} as unknown as Env;

describe('money', () => {
  it('prices one 128 MB, 1 ms invocation exactly: $0.0000002 + 0.000125 GB-s x $0.0000166667', () => {
    const config = billingConfig(LAMBDA);
    const mbMs = 128n * 1n;
    expect(formatExact(gbSeconds(mbMs))).toBe('0.000125');
    expect(formatExact(requestCost(1n, config.pricePerMillionRequests))).toBe('0.0000002');
    expect(formatExact(durationCost(mbMs, config.pricePerGbSecond))).toBe('0.0000000020833375');
    expect(config.freeTierMbMs).toBe(400_000n * 1_024_000n);
  });

  it('stays exact where floating point would not: a million 10 GB, 900 s invocations', () => {
    const config = billingConfig(LAMBDA);
    const mbMs = 1_000_000n * 10_240n * 900_000n; // 9.2e15 MB-ms: past 2^53
    expect(formatExact(durationCost(mbMs, config.pricePerGbSecond))).toBe('150000.3');
  });

  it('rounds half up only when presenting', () => {
    expect(formatRounded(parseDecimal('0.125', 't'), 2)).toBe(0.13);
    expect(formatRounded(parseDecimal('0.1249999', 't'), 2)).toBe(0.12);
    expect(formatRounded(parseDecimal('1234.005', 't'), 2)).toBe(1234.01);
    expect(formatExact(parseDecimal('007.50', 't'))).toBe('7.5');
  });

  it('refuses malformed prices, free tiers and granularities', () => {
    for (const bad of [
      { FAASBOX_PRICE_PER_GB_SECOND: '-1' }, { FAASBOX_PRICE_PER_GB_SECOND: '1e-5' }, { FAASBOX_PRICE_PER_MILLION_REQUESTS: '0.12345678901234567' },
      { FAASBOX_FREE_TIER_REQUESTS: '1.5' }, { FAASBOX_BILLED_DURATION_GRANULARITY_MS: '0' }, { FAASBOX_BILLED_DURATION_GRANULARITY_MS: '2.5' },
    ]) {
      expect(() => billingConfig({ ...LAMBDA, ...bad } as Env), JSON.stringify(bad)).toThrow(/must be/);
    }
  });
});
