/**
 * The fixed histogram every duration metric is counted in. Fixed, log-spaced buckets are mergeable by
 * plain addition: an hour's counts plus another hour's (or another manager's) are exactly the counts of
 * the union, so any range × filter gets its percentiles from a SUM over rows. A sketch (t-digest,
 * DDSketch) would need a merge step outside SQL; these buckets are what DDSketch does with a fixed
 * mapping, kept as rows a trigger can increment.
 *
 * Bucket 0 is [0, 1 s); bucket k ≥ 1 starts at 1 s × 2^((k−1)/4), so each bucket is 19% wider than the
 * one before and a percentile reported at its bucket's geometric middle is within 9% of the true value.
 * The last bucket (from about 34 days) is open-ended. Migration 0023 stores the same bounds in
 * report_buckets (a test checks they agree).
 */
export const BUCKET_COUNT = 88;

export const bucketLowerMs: readonly number[] = Array.from({ length: BUCKET_COUNT }, (_, k) => (k === 0 ? 0 : Math.round(1000 * 2 ** ((k - 1) / 4))));

/** The bucket a duration falls in (what the triggers compute with report_buckets). */
export function bucketOf(ms: number): number {
  let k = BUCKET_COUNT - 1;
  while (k > 0 && bucketLowerMs[k] > ms) k--;
  return k;
}

/** The value reported for a bucket: its geometric middle (bucket 0: 500 ms; the open-ended last: its lower bound). */
export function bucketValue(k: number): number {
  if (k === 0) return 500;
  if (k === BUCKET_COUNT - 1) return bucketLowerMs[k];
  return Math.round(Math.sqrt(bucketLowerMs[k] * bucketLowerMs[k + 1]));
}

/** The q-quantile (0–1) of a histogram given as counts per bucket; null when it is empty. */
export function quantile(counts: ReadonlyMap<number, number>, q: number): number | null {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total === 0) return null;
  // The nearest-rank definition: the smallest value with at least q of the observations at or below it.
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const k of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(k) ?? 0;
    if (seen >= rank) return bucketValue(k);
  }
  return null;
}
