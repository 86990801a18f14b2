// Exact money and GB-second arithmetic: decimals as BigInt units of 10^-30. Prices have at most 16
// decimals, and dividing by 10^6 (per million requests) or 1,024,000 (MB-ms per GB-second) then
// leaves no remainder, so every cost faasbox adds up is exact; rounding happens only in format*.

/** Digits after the decimal point of every Fixed. */
const SCALE = 30;
const ONE = 10n ** BigInt(SCALE);
/** Decimals a configured price or free tier may have (keeps the divisions above exact). */
const MAX_DECIMALS = 16;
/** MB-ms in one GB-second: 1,024 MB x 1,000 ms. */
export const MB_MS_PER_GB_SECOND = 1_024_000n;

/** A non-negative decimal as BigInt units of 10^-30. */
export type Fixed = bigint;

/**
 * Parses a configured decimal ("0.20", "0.0000166667", "400000"); throws on anything else.
 * @example parseDecimal('0.20', 'FAASBOX_PRICE_PER_MILLION_REQUESTS') === 200000000000000000000000000000n
 */
export function parseDecimal(text: string, name: string): Fixed {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match || (match[2]?.length ?? 0) > MAX_DECIMALS) throw new Error(`${name} must be a non-negative decimal with at most ${MAX_DECIMALS} decimals, not '${text}'`);
  return BigInt(match[1]) * ONE + BigInt((match[2] ?? '').padEnd(SCALE, '0'));
}

/** Cost of `requests` at a price per million requests. */
export function requestCost(requests: bigint, pricePerMillion: Fixed): Fixed {
  return (requests * pricePerMillion) / 1_000_000n;
}

/** Cost of `mbMs` megabyte-milliseconds at a price per GB-second. */
export function durationCost(mbMs: bigint, pricePerGbSecond: Fixed): Fixed {
  return (mbMs * pricePerGbSecond) / MB_MS_PER_GB_SECOND;
}

/** MB-ms as exact GB-seconds. */
export function gbSeconds(mbMs: bigint): Fixed {
  return (mbMs * ONE) / MB_MS_PER_GB_SECOND;
}

/** GB-seconds (e.g. the free tier) as whole MB-ms, rounded down. */
export function mbMsOf(gbSecondsValue: Fixed): bigint {
  return (gbSecondsValue * MB_MS_PER_GB_SECOND) / ONE;
}

/** The exact decimal, trailing zeros trimmed: "0.0000002083". */
export function formatExact(value: Fixed): string {
  const whole = value / ONE;
  const fraction = (value % ONE).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/** Rounded half up to `decimals` places, as a number for JSON (cents: 2). */
export function formatRounded(value: Fixed, decimals: number): number {
  const unit = 10n ** BigInt(SCALE - decimals);
  const rounded = (value + unit / 2n) / unit;
  return Number(rounded) / 10 ** decimals;
}
