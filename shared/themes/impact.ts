import type { ThemeEffect } from '../api/themes.js';
import { benjaminiHochberg, FALSE_DISCOVERY_RATE } from '../false-discovery.js';
import { MIN_ANSWERS_FOR_SIGNIFICANCE, npsDifferenceTest, npsSummary, npsVariance, type BucketCounts, type NpsSummary } from '../nps.js';

/*
 * How much each comment theme moves NPS, from bucket counts alone (the server sums them from the rollups or a scan).
 * "With" is the commenters who mention the theme; "the rest" is every other answer in range (commenter or not), so
 * overall NPS = share × NPS(with) + (1 − share) × NPS(rest), and the theme's effect on overall NPS is
 * overall − NPS(rest) = share × (NPS(with) − NPS(rest)): what NPS would be if those answers looked like the others.
 */

const Z_95 = 1.96;

interface ThemeCounts {
  id: string;
  /** Comments mentioning the theme (scored or not). */
  count: number;
  /** The scored answers among them, by bucket. */
  buckets: BucketCounts;
}

interface ThemeImpactFigures {
  id: string;
  count: number;
  shareOf: { detractors: number; passives: number; promoters: number };
  withTheme: NpsSummary;
  withoutTheme: NpsSummary;
  effect: ThemeEffect | null;
}

const sizeOf = (c: BucketCounts) => c.promoters + c.passives + c.detractors;
const minus = (a: BucketCounts, b: BucketCounts): BucketCounts => ({
  promoters: a.promoters - b.promoters,
  passives: a.passives - b.passives,
  detractors: a.detractors - b.detractors,
});
const shareOf = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/** The effect before the false-discovery correction: null when nobody scored with the theme, or nobody else did. */
function effectOf(overall: BucketCounts, withTheme: BucketCounts): (Omit<ThemeEffect, 'significant'> & { testable: boolean }) | null {
  const rest = minus(overall, withTheme);
  const overallNps = npsSummary(overall).nps;
  const restNps = npsSummary(rest).nps;
  const withVariance = npsVariance(withTheme);
  const restVariance = npsVariance(rest);
  const test = npsDifferenceTest(rest, withTheme);
  if (overallNps === null || restNps === null || withVariance === null || restVariance === null || test === null) return null;
  const share = sizeOf(withTheme) / sizeOf(overall);
  return {
    points: overallNps - restNps,
    marginOfError: share * Z_95 * Math.sqrt(withVariance + restVariance) * 100,
    p: test.p,
    testable: sizeOf(withTheme) >= MIN_ANSWERS_FOR_SIGNIFICANCE && sizeOf(rest) >= MIN_ANSWERS_FOR_SIGNIFICANCE,
  };
}

/**
 * Every theme's count, its share of each bucket's comments, NPS of commenters with and without it, and its effect on
 * overall NPS with a 95% margin and a p-value; `significant` is a Benjamini–Hochberg discovery among the themes whose
 * two groups both have MIN_ANSWERS_FOR_SIGNIFICANCE scored answers (those are the `comparisons`). Biggest |effect|
 * first; themes without an effect last, most mentioned first.
 */
export function themeImpacts(
  overall: BucketCounts,
  commenters: BucketCounts,
  themes: readonly ThemeCounts[],
  q = FALSE_DISCOVERY_RATE,
): { themes: ThemeImpactFigures[]; comparisons: number } {
  const effects = themes.map((theme) => effectOf(overall, theme.buckets));
  const tested = effects.flatMap((effect, index) => (effect?.testable ? [{ index, p: effect.p }] : []));
  const discoveries = benjaminiHochberg(
    tested.map((t) => t.p),
    q,
  );
  const significant = new Set(tested.filter((_, i) => discoveries[i]).map((t) => t.index));
  const figures = themes.map((theme, index): ThemeImpactFigures => {
    const effect = effects[index];
    return {
      id: theme.id,
      count: theme.count,
      shareOf: {
        detractors: shareOf(theme.buckets.detractors, commenters.detractors),
        passives: shareOf(theme.buckets.passives, commenters.passives),
        promoters: shareOf(theme.buckets.promoters, commenters.promoters),
      },
      withTheme: npsSummary(theme.buckets),
      withoutTheme: npsSummary(minus(commenters, theme.buckets)),
      effect: effect
        ? { points: effect.points, marginOfError: effect.marginOfError, p: effect.p, significant: significant.has(index) }
        : null,
    };
  });
  figures.sort((a, b) => {
    if (a.effect && b.effect) return Math.abs(b.effect.points) - Math.abs(a.effect.points);
    if (a.effect || b.effect) return a.effect ? -1 : 1;
    return b.count - a.count;
  });
  return { themes: figures, comparisons: tested.length };
}
