import { benjaminiHochberg, FALSE_DISCOVERY_RATE } from './false-discovery.js';
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
 * Below this many answers in either period no change is marked significant: a handful of answers can swing NPS from
 * −100 to +100, and the normal approximation behind the test needs a sample of some size to hold.
 */
export const MIN_ANSWERS_FOR_SIGNIFICANCE = 30;

function addToBuckets(counts: BucketCounts, score: number, howMany: number): void {
  const bucket = bucketOf(score);
  if (bucket === 'promoter') counts.promoters += howMany;
  else if (bucket === 'passive') counts.passives += howMany;
  else counts.detractors += howMany;
}

/** Counts each score into its bucket. */
export function countBuckets(scores: readonly number[]): BucketCounts {
  const counts: BucketCounts = { promoters: 0, passives: 0, detractors: 0 };
  for (const score of scores) addToBuckets(counts, score, 1);
  return counts;
}

/** Bucket counts from a score distribution: how many answers gave 0, 1, … 10. */
export function bucketsOfDistribution(howManyPerScore: readonly number[]): BucketCounts {
  const counts: BucketCounts = { promoters: 0, passives: 0, detractors: 0 };
  for (const [score, howMany] of howManyPerScore.entries()) addToBuckets(counts, score, howMany);
  return counts;
}

/**
 * The adjusted-Wald variance of NPS as a share (−1…1), Rocks 2016, "Interval estimation for the net promoter score"
 * (The American Statistician 70:4): add 3 to n and 3/4 to promoters and to detractors, then the variance of a
 * difference of two shares of one sample, (p′P + p′D − (p′P − p′D)²) / n′. Unlike the plain plug-in variance it is
 * never 0, so one answer (or thirty promoters) does not read as a certainty. Null when nobody answered.
 */
export function npsVariance(counts: BucketCounts): number | null {
  const n = counts.promoters + counts.passives + counts.detractors;
  if (n === 0) return null;
  const adjustedN = n + 3;
  const pP = (counts.promoters + 0.75) / adjustedN;
  const pD = (counts.detractors + 0.75) / adjustedN;
  return (pP + pD - (pP - pD) ** 2) / adjustedN;
}

/**
 * NPS = (promoters − detractors) / answered × 100, with the 95% margin of error 1.96 × sqrt(npsVariance) × 100
 * (adjusted-Wald, see npsVariance). The score itself is the plain one customers can recount.
 */
export function npsSummary(counts: BucketCounts): NpsSummary {
  const n = counts.promoters + counts.passives + counts.detractors;
  const variance = npsVariance(counts);
  if (variance === null) return { ...counts, n, nps: null, marginOfError: null };
  const nps = ((counts.promoters - counts.detractors) / n) * 100;
  return { ...counts, n, nps, marginOfError: Z_95 * Math.sqrt(variance) * 100 };
}

/** The result of comparing two periods' NPS: z = difference / sqrt(variance₁ + variance₂), its two-sided p-value. */
interface NpsDifferenceTest {
  /** After minus before, in NPS points. */
  difference: number;
  z: number;
  p: number;
}

/**
 * Two-sample z test on the NPS difference of two independent periods, each with its adjusted-Wald variance.
 * Null when either period has no answers.
 */
export function npsDifferenceTest(before: BucketCounts, after: BucketCounts): NpsDifferenceTest | null {
  const beforeVariance = npsVariance(before);
  const afterVariance = npsVariance(after);
  const beforeNps = npsSummary(before).nps;
  const afterNps = npsSummary(after).nps;
  if (beforeVariance === null || afterVariance === null || beforeNps === null || afterNps === null) return null;
  const difference = afterNps - beforeNps;
  const z = difference / 100 / Math.sqrt(beforeVariance + afterVariance);
  return { difference, z, p: twoSidedP(z) };
}

/**
 * A change between two periods is significant when the two-sample test on the NPS difference rejects "no change"
 * at 95% (|z| > 1.96) and both periods have at least MIN_ANSWERS_FOR_SIGNIFICANCE answers. Testing the difference,
 * not whether the two intervals overlap, is the honest reading: non-overlap is far stricter than 95% and misses
 * real changes.
 */
export function isSignificantChange(before: BucketCounts, after: BucketCounts): boolean {
  const n = (c: BucketCounts) => c.promoters + c.passives + c.detractors;
  if (n(before) < MIN_ANSWERS_FOR_SIGNIFICANCE || n(after) < MIN_ANSWERS_FOR_SIGNIFICANCE) return false;
  const test = npsDifferenceTest(before, after);
  return test !== null && Math.abs(test.z) > Z_95;
}

/**
 * Which periods of a trend changed significantly from the one before, when all the changes are read at once: a chart
 * of 52 weeks makes 51 comparisons, and at 95% each, two or three would light up by chance alone. Each pair where
 * both periods have at least MIN_ANSWERS_FOR_SIGNIFICANCE answers is tested (npsDifferenceTest); Benjamini–Hochberg
 * over those tests keeps the expected share of false markers at FALSE_DISCOVERY_RATE. The first period, and any
 * next to a period with too few answers, is never marked. `comparisons` is how many pairs were tested.
 */
export function significantChanges(periods: readonly BucketCounts[]): { significant: boolean[]; comparisons: number } {
  const tested = changePValues(periods).flatMap((p, index) => (p === null ? [] : [{ index, p }]));
  const discoveries = benjaminiHochberg(
    tested.map((t) => t.p),
    FALSE_DISCOVERY_RATE,
  );
  const significant = periods.map(() => false);
  tested.forEach((t, k) => {
    significant[t.index] = discoveries[k]!;
  });
  return { significant, comparisons: tested.length };
}

/**
 * The p-value of each period's change from the one before (npsDifferenceTest), null where it is not tested: the first
 * period, and any where either period has fewer than MIN_ANSWERS_FOR_SIGNIFICANCE answers.
 */
export function changePValues(periods: readonly BucketCounts[]): (number | null)[] {
  const n = (c: BucketCounts) => c.promoters + c.passives + c.detractors;
  return periods.map((period, i) => {
    const before = periods[i - 1];
    if (!before || n(before) < MIN_ANSWERS_FOR_SIGNIFICANCE || n(period) < MIN_ANSWERS_FOR_SIGNIFICANCE) return null;
    return npsDifferenceTest(before, period)?.p ?? null;
  });
}

/** Two-sided p-value of a standard normal z: 2 × (1 − Φ(|z|)). */
export function twoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/**
 * The complementary error function by the Numerical Recipes Chebyshev fit (erfcc), relative error below 1.2e-7 —
 * plenty for a p-value that is compared with 0.05 or ranked for Benjamini–Hochberg.
 */
function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const poly =
    -x * x -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const result = t * Math.exp(poly);
  return x >= 0 ? result : 2 - result;
}
