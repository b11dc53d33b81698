import { describe, expect, test } from 'vitest';
import { themeImpacts } from '../../shared/themes/impact.js';

const counts = (promoters: number, passives: number, detractors: number) => ({ promoters, passives, detractors });
const theme = (id: string, promoters: number, passives: number, detractors: number, count = promoters + passives + detractors) => ({
  id,
  count,
  buckets: counts(promoters, passives, detractors),
});

describe('themeImpacts', () => {
  // 100 answers: 50 promoters, 20 passives, 30 detractors (NPS 20); 40 of them commented (10 / 10 / 20).
  // "delivery" is mentioned by 2 promoters, 3 passives and 15 detractors: NPS (2 − 15) / 20 = −65.
  // The rest (all other answers): 48 / 17 / 15, NPS 33 / 80 = 41.25. Effect: 20 − 41.25 = −21.25
  // (= share 20/100 × (−65 − 41.25)).
  const overall = counts(50, 20, 30);
  const commenters = counts(10, 10, 20);
  const [delivery] = themeImpacts(overall, commenters, [theme('delivery', 2, 3, 15)]).themes;

  test("a theme's share of each bucket's comments", () => {
    // detractors 15 / 20, passives 3 / 10, promoters 2 / 10
    expect(delivery!.shareOf).toEqual({ detractors: 0.75, passives: 0.3, promoters: 0.2 });
    expect(delivery!.count).toBe(20);
  });

  test('NPS of commenters with the theme and of the other commenters', () => {
    expect(delivery!.withTheme).toMatchObject({ n: 20, nps: -65 });
    // commenters without it: 10 − 2 = 8 promoters, 7 passives, 5 detractors → (8 − 5) / 20 = 15
    expect(delivery!.withoutTheme).toMatchObject({ n: 20, nps: 15, promoters: 8, passives: 7, detractors: 5 });
  });

  test('effect on overall NPS: points, adjusted-Wald margin scaled by the share, p of with vs the rest', () => {
    // var(with): n′ 23, p′P 2.75/23, p′D 15.75/23 → 0.0210816; var(rest): n′ 83, p′P 48.75/83, p′D 15.75/83 → 0.0074582
    // margin = 0.2 × 1.96 × sqrt(0.0285398) × 100 = 6.6223; z = −1.0625 / 0.168937 = −6.289 → p ≈ 3.19e-10
    expect(delivery!.effect!.points).toBeCloseTo(-21.25, 10);
    expect(delivery!.effect!.marginOfError).toBeCloseTo(6.6223, 3);
    expect(delivery!.effect!.p).toBeCloseTo(3.19e-10, 11);
    // Only 20 answers with the theme: below the minimum, so not compared and never significant.
    expect(delivery!.effect!.significant).toBe(false);
  });

  test('significance: Benjamini–Hochberg over the themes with enough answers; biggest |effect| first, no effect last', () => {
    // 1000 answers: 500 / 200 / 300 (NPS 20); commenters 100 / 100 / 200.
    // big: 10 / 10 / 80 → NPS −70, rest 490 / 190 / 220 → NPS 30, effect 20 − 30 = −10, p far below 0.05.
    // none: 50 / 20 / 30 → NPS 20 like the rest: effect 0, p 1.
    // few: 0 / 0 / 5 → rest 500 / 200 / 295, NPS 20.6030: effect −0.603, but 5 answers: not compared.
    // unscored: 3 comments without a score: no effect.
    const result = themeImpacts(counts(500, 200, 300), counts(100, 100, 200), [
      theme('none', 50, 20, 30),
      theme('unscored', 0, 0, 0, 3),
      theme('few', 0, 0, 5),
      theme('big', 10, 10, 80),
    ]);
    expect(result.comparisons).toBe(2);
    expect(result.themes.map((t) => t.id)).toEqual(['big', 'few', 'none', 'unscored']);
    const [big, few, none, unscored] = result.themes;
    expect(big!.effect).toMatchObject({ significant: true });
    expect(big!.effect!.points).toBeCloseTo(-10, 10);
    expect(few!.effect!.points).toBeCloseTo(20 - (205 / 995) * 100, 10);
    expect(few!.effect!.significant).toBe(false);
    expect(none!.effect).toMatchObject({ points: 0, p: 1, significant: false });
    expect(unscored!.effect).toBeNull();
    expect(unscored!.count).toBe(3);
  });

  test('nobody else answered: no effect (there is nothing to compare with)', () => {
    const [only] = themeImpacts(counts(1, 0, 2), counts(1, 0, 2), [theme('all', 1, 0, 2)]).themes;
    expect(only!.effect).toBeNull();
    expect(only!.withoutTheme).toMatchObject({ n: 0, nps: null });
  });
});
