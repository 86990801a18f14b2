// Billing figures as the API presents them: exact decimals as strings, and rounded numbers (cents
// for money) for reading. Pure functions over the usage ledger's integers (requests, MB-ms).
import { durationCost, formatExact, formatRounded, gbSeconds, requestCost } from './money';
import type { BillingConfig } from './prices';
import { readConfig } from '../config';

/** Integer usage of one function or account in one month. */
export interface UsageTotals {
  requests: bigint;
  mbMs: bigint;
  freeRequests: bigint;
  freeMbMs: bigint;
}

/** One statement line: usage, free tier used, and cost after the free tier. */
export function statementLine(t: UsageTotals, config: BillingConfig) {
  const billableRequests = t.requests - t.freeRequests;
  const billableMbMs = t.mbMs - t.freeMbMs;
  const requestsCost = requestCost(billableRequests, config.pricePerMillionRequests);
  const gbSecondsCost = durationCost(billableMbMs, config.pricePerGbSecond);
  const cost = requestsCost + gbSecondsCost;
  return {
    Requests: Number(t.requests),
    GBSeconds: Number(formatExact(gbSeconds(t.mbMs))),
    FreeTierRequestsUsed: Number(t.freeRequests),
    FreeTierGBSecondsUsed: Number(formatExact(gbSeconds(t.freeMbMs))),
    BillableRequests: Number(billableRequests),
    BillableGBSeconds: Number(formatExact(gbSeconds(billableMbMs))),
    RequestCost: formatRounded(requestsCost, 2),
    DurationCost: formatRounded(gbSecondsCost, 2),
    Cost: formatRounded(cost, 2),
    Exact: {
      GBSeconds: formatExact(gbSeconds(t.mbMs)),
      FreeTierGBSecondsUsed: formatExact(gbSeconds(t.freeMbMs)),
      BillableGBSeconds: formatExact(gbSeconds(billableMbMs)),
      RequestCost: formatExact(requestsCost),
      DurationCost: formatExact(gbSecondsCost),
      Cost: formatExact(cost),
    },
  };
}

export type StatementLine = ReturnType<typeof statementLine>;

/** The prices a statement was computed with, as configured. */
export function pricesShown(env: Env, config: BillingConfig) {
  return {
    Currency: 'USD',
    PricePerMillionRequests: readConfig(env).pricePerMillionRequestsUsd,
    PricePerGBSecond: readConfig(env).pricePerGbSecondUsd,
    FreeTierRequests: Number(config.freeTierRequests),
    FreeTierGBSeconds: readConfig(env).freeTierGbSeconds,
    BilledDurationGranularityMs: config.billedDurationGranularityMs,
  };
}
