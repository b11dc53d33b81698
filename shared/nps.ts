import { bucketOf } from './scoring.js';

export interface BucketCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

export interface NpsSummary extends BucketCounts {
  /** Customers who gave a score; a skipped question is not counted (and is not a zero). */
  n: number;
  /** −100…100, null when nobody answered. */
  nps: number | null;
  /** Half-width of the 95% interval in NPS points, null when nobody answered. */
  marginOfError: number | null;
}

const Z_95 = 1.96;

/**
 * Below this many answers in either period no change is marked significant: the margin of error comes from the
 * normal approximation to the shares, which is unreliable for small samples (an all-promoter period of 5 has a
 * margin of 0 and would make any difference look "significant").
 */
export const MIN_ANSWERS_FOR_SIGNIFICANCE = 30;

/** Counts each score into its bucket. */
export function countBuckets(scores: readonly number[]): BucketCounts {
  const counts: BucketCounts = { promoters: 0, passives: 0, detractors: 0 };
  for (const score of scores) {
    const bucket = bucketOf(score);
    if (bucket === 'promoter') counts.promoters++;
    else if (bucket === 'passive') counts.passives++;
    else counts.detractors++;
  }
  return counts;
}

/**
 * NPS = (promoters − detractors) / answered × 100, with the 95% margin of error
 * 1.96 × sqrt((pP + pD − (pP − pD)²) / n) × 100 (the variance of a difference of two shares of one sample).
 */
export function npsSummary(counts: BucketCounts): NpsSummary {
  const n = counts.promoters + counts.passives + counts.detractors;
  if (n === 0) return { ...counts, n, nps: null, marginOfError: null };
  const pP = counts.promoters / n;
  const pD = counts.detractors / n;
  const variance = pP + pD - (pP - pD) ** 2;
  // Floating error can make a zero variance (all promoters) a hair negative.
  const marginOfError = Z_95 * Math.sqrt(Math.max(0, variance) / n) * 100;
  return { ...counts, n, nps: (pP - pD) * 100, marginOfError };
}

/**
 * A change between two periods is significant when their 95% intervals do not overlap and both periods have at
 * least MIN_ANSWERS_FOR_SIGNIFICANCE answers. This is the conservative reading the dashboard promises: no marker
 * unless the intervals say so and there are enough answers for the intervals to mean something.
 */
export function isSignificantChange(before: NpsSummary, after: NpsSummary): boolean {
  if (before.nps === null || after.nps === null) return false;
  if (before.n < MIN_ANSWERS_FOR_SIGNIFICANCE || after.n < MIN_ANSWERS_FOR_SIGNIFICANCE) return false;
  if (before.marginOfError === null || after.marginOfError === null) return false;
  const gap = Math.abs(after.nps - before.nps);
  return gap > before.marginOfError + after.marginOfError;
}
