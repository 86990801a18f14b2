// Log-bucketed histograms for percentiles (p50, p99) of durations and ages. A value v > 0 falls
// in bucket k = ceil(log_γ v) with γ = (1 + α) / (1 - α); the bucket's representative value
// 2γ^k / (γ + 1) is within a relative error α of every value in it (the DDSketch mapping).
// Buckets merge by adding counts, so minutes merge into hours and periods exactly.

/** Relative error of a percentile read from a histogram (1%), for values above MIN_TRACKED_VALUE. */
export const RELATIVE_ERROR = 0.01;
const GAMMA = (1 + RELATIVE_ERROR) / (1 - RELATIVE_ERROR);
const LOG_GAMMA = Math.log(GAMMA);
/** Values at or below this (e.g. 0 ms, or 1 µs) share the lowest bucket: the error there is absolute. */
export const MIN_TRACKED_VALUE = 0.001;
const LOWEST_BUCKET = Math.ceil(Math.log(MIN_TRACKED_VALUE) / LOG_GAMMA);

/** The bucket a value is counted in. */
export function bucketOf(value: number): number {
  if (!(value > MIN_TRACKED_VALUE)) return LOWEST_BUCKET;
  return Math.ceil(Math.log(value) / LOG_GAMMA);
}

/** The value a bucket stands for: within RELATIVE_ERROR of any value counted in it. */
export function bucketValue(bucket: number): number {
  return (2 * GAMMA ** bucket) / (GAMMA + 1);
}

export interface BucketCount {
  bucket: number;
  count: number;
}

/**
 * The p-th percentile (0 < p <= 100) by nearest rank: the smallest value with at least p% of the
 * samples at or below it. Clamped to the exact [min, max], so a single sample, the minimum and the
 * maximum come back exact. `buckets` may be unsorted and repeat a bucket.
 */
export function percentile(buckets: BucketCount[], p: number, min: number, max: number): number | undefined {
  const merged = new Map<number, number>();
  let total = 0;
  for (const { bucket, count } of buckets) {
    merged.set(bucket, (merged.get(bucket) ?? 0) + count);
    total += count;
  }
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const bucket of [...merged.keys()].sort((a, b) => a - b)) {
    seen += merged.get(bucket)!;
    if (seen >= rank) return Math.min(max, Math.max(min, bucketValue(bucket)));
  }
  return max;
}
