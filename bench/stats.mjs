// Summaries and the ratio table every benchmark prints: the first row is the subject, the last
// row the baseline it is compared with.

/** Median, p99 and mean of a list of milliseconds. */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { n: sorted.length, median: at(0.5), p99: at(0.99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);

/** Prints rows of [label, summary]; ratios are against the last row. */
export function printTable(title, rows) {
  const base = rows[rows.length - 1][1];
  console.log(`\n${title}`);
  for (const [label, s] of rows) {
    console.log(`  ${label.padEnd(48)} median ${fmt(s.median).padStart(10)}  p99 ${fmt(s.p99).padStart(10)}  n=${s.n}` +
      (s === base ? '  (baseline)' : `  ratio ${(s.median / base.median).toFixed(1)}x median, ${(s.p99 / base.p99).toFixed(1)}x p99`));
  }
}

/**
 * Milliseconds per call of `fn`, timed over `batch` calls (inside workerd: the Workers clock has
 * 1 ms resolution and advances only across I/O, so single fast calls would read 0 or 1 ms).
 */
export async function timeBatch(fn, batch = 1) {
  await scheduler.wait(0);
  const t = performance.now();
  for (let i = 0; i < batch; i++) await fn();
  await scheduler.wait(0);
  return (performance.now() - t) / batch;
}
