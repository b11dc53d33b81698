import { describe, expect, test } from 'vitest';
import {
  MIN_ANSWERS_FOR_SIGNIFICANCE,
  bucketsOfDistribution,
  changePValues,
  countBuckets,
  isSignificantChange,
  npsDifferenceTest,
  npsSummary,
  npsVariance,
  significantChanges,
  twoSidedP,
} from '../../shared/nps.js';

const counts = (promoters: number, passives: number, detractors: number) => ({ promoters, passives, detractors });

describe('npsSummary', () => {
  test('no answers: n 0, NPS and margin of error null (not 0)', () => {
    expect(npsSummary(counts(0, 0, 0))).toEqual({
      promoters: 0,
      passives: 0,
      detractors: 0,
      n: 0,
      nps: null,
      marginOfError: null,
    });
  });

  // Margins are adjusted-Wald (Rocks 2016): n′ = n + 3, p′P = (P + ¾)/n′, p′D = (D + ¾)/n′,
  // MoE = 1.96 × sqrt((p′P + p′D − (p′P − p′D)²) / n′) × 100. The NPS itself is the plain (P − D)/n × 100.

  test('one promoter: NPS 100 ± 73.5, never ± 0', () => {
    // n′ = 4; p′P = 1.75/4 = 0.4375, p′D = 0.75/4 = 0.1875; p′P − p′D = 0.25
    // variance = (0.4375 + 0.1875 − 0.0625) / 4 = 0.5625 / 4 = 0.140625; sqrt = 0.375 → MoE = 1.96 × 0.375 × 100 = 73.5
    const s = npsSummary(counts(1, 0, 0));
    expect(s).toMatchObject({ n: 1, nps: 100 });
    expect(s.marginOfError).toBeCloseTo(73.5, 10);
  });

  test.each([
    // one passive: p′P = p′D = 0.1875 → variance = 0.375 / 4 = 0.09375 → MoE = 1.96 × 0.306186 × 100 = 60.01
    ['passive', counts(0, 1, 0), 0, 60.01],
    // one detractor: the mirror of one promoter → 73.5
    ['detractor', counts(0, 0, 1), -100, 73.5],
  ])('one answer, a %s: NPS %i with a wide margin (%s)', (_name, c, nps, moe) => {
    const s = npsSummary(c);
    expect(s.n).toBe(1);
    expect(s.nps).toBe(nps);
    expect(s.marginOfError).toBeCloseTo(moe, 2);
  });

  test('all promoters: NPS 100, still with a margin of error', () => {
    // n = 12 → n′ = 15; p′P = 12.75/15 = 0.85, p′D = 0.75/15 = 0.05; (0.85 + 0.05 − 0.8²)/15 = 0.26/15 = 0.017333
    // MoE = 1.96 × sqrt(0.017333) × 100 = 1.96 × 0.131656 × 100 = 25.80
    const s = npsSummary(counts(12, 0, 0));
    expect(s).toMatchObject({ n: 12, promoters: 12, passives: 0, detractors: 0, nps: 100 });
    expect(s.marginOfError).toBeCloseTo(25.8, 2);
  });

  test('all detractors: NPS −100, still with a margin of error', () => {
    // n = 7 → n′ = 10; p′P = 0.075, p′D = 0.775; (0.85 − 0.49)/10 = 0.036 → MoE = 1.96 × 0.189737 × 100 = 37.19
    const s = npsSummary(counts(0, 0, 7));
    expect(s).toMatchObject({ n: 7, promoters: 0, passives: 0, detractors: 7, nps: -100 });
    expect(s.marginOfError).toBeCloseTo(37.19, 2);
  });

  test('all passives: NPS 0, still with a margin of error', () => {
    // n = 3 → n′ = 6; p′P = p′D = 0.125; (0.25 − 0)/6 = 0.041667 → MoE = 1.96 × 0.204124 × 100 = 40.01
    const s = npsSummary(counts(0, 3, 0));
    expect(s).toMatchObject({ n: 3, nps: 0 });
    expect(s.marginOfError).toBeCloseTo(40.01, 2);
  });

  test('50 promoters, 30 passives, 20 detractors: NPS 30 ± 15.08', () => {
    // n = 100 → n′ = 103; p′P = 50.75/103 = 0.492718, p′D = 20.75/103 = 0.201456; p′P − p′D = 30/103 = 0.291262
    // variance = (0.694175 − 0.084834) / 103 = 0.609341 / 103 = 0.0059159; sqrt = 0.076915 → MoE = 15.08
    const s = npsSummary(counts(50, 30, 20));
    expect(s.nps).toBeCloseTo(30, 10);
    expect(npsVariance(counts(50, 30, 20))).toBeCloseTo(0.0059159, 7);
    expect(s.marginOfError).toBeCloseTo(15.08, 2);
  });

  test('passives count in n but not in the numerator: 5 promoters, 3 passives, 2 detractors is NPS 30 ± 42.13', () => {
    // n = 10 → n′ = 13; NPS = (5 − 2)/10 × 100 = 30; p′P = 5.75/13 = 0.442308, p′D = 2.75/13 = 0.211538
    // variance = (0.653846 − 0.230769²) / 13 = (0.653846 − 0.053254) / 13 = 0.046199 → MoE = 1.96 × 0.214941 × 100 = 42.13
    const s = npsSummary(counts(5, 3, 2));
    expect(s.n).toBe(10);
    expect(s.nps).toBeCloseTo(30, 10);
    expect(s.marginOfError).toBeCloseTo(42.13, 2);
  });

  test('the same shares with 20 times the answers have a narrower interval', () => {
    // n = 200 → n′ = 203; p′P = 100.75/203 = 0.496305, p′D = 40.75/203 = 0.200739; NPS 30
    // variance = (0.697044 − 0.295567²) / 203 = 0.609684 / 203 = 0.0030034 → MoE = 1.96 × 0.054803 × 100 = 10.74
    const s = npsSummary(counts(100, 60, 40));
    expect(s.nps).toBeCloseTo(30, 10);
    expect(s.marginOfError).toBeCloseTo(10.74, 2);
  });

  test('more detractors than promoters gives a negative NPS', () => {
    // n = 4 → n′ = 7; NPS = (1 − 2)/4 × 100 = −25; p′P = 1.75/7 = 0.25, p′D = 2.75/7 = 0.392857
    // variance = (0.642857 − 0.142857²) / 7 = 0.622449 / 7 = 0.088921 → MoE = 1.96 × 0.298197 × 100 = 58.45
    const s = npsSummary(counts(1, 1, 2));
    expect(s.nps).toBeCloseTo(-25, 10);
    expect(s.marginOfError).toBeCloseTo(58.45, 2);
  });

  test('half promoters, half detractors: NPS 0 but the widest spread', () => {
    // n = 100 → n′ = 103; p′P = p′D = 50.75/103 = 0.492718; variance = 0.985437 / 103 = 0.0095673
    // MoE = 1.96 × 0.097813 × 100 = 19.17
    const s = npsSummary(counts(50, 0, 50));
    expect(s.nps).toBeCloseTo(0, 10);
    expect(s.marginOfError).toBeCloseTo(19.17, 2);
  });

  test('reports the counts alongside the score', () => {
    expect(npsSummary(counts(4, 5, 6))).toMatchObject({ promoters: 4, passives: 5, detractors: 6, n: 15 });
  });
});

describe('countBuckets', () => {
  test('counts every score into its bucket', () => {
    // detractors: 0, 6 → 2; passives: 7, 8 → 2; promoters: 9, 10, 10 → 3
    expect(countBuckets([0, 6, 7, 8, 9, 10, 10])).toEqual({ promoters: 3, passives: 2, detractors: 2 });
  });

  test('no scores gives zero counts', () => {
    expect(countBuckets([])).toEqual({ promoters: 0, passives: 0, detractors: 0 });
  });

  test('a value that is not a score throws instead of being counted', () => {
    expect(() => countBuckets([9, 11])).toThrow(RangeError);
  });

  test('feeds npsSummary: scores 10, 9, 8, 3 give NPS 25', () => {
    // 2 promoters, 1 passive, 1 detractor of 4 → (2 − 1) / 4 × 100 = 25
    expect(npsSummary(countBuckets([10, 9, 8, 3])).nps).toBeCloseTo(25, 10);
  });
});

describe('npsDifferenceTest and isSignificantChange', () => {
  // z = (NPS after − NPS before) / 100 / sqrt(variance before + variance after), each the adjusted-Wald variance;
  // significant at 95% when |z| > 1.96 and both periods have at least 30 answers.

  test('the guard is 30 answers in each period', () => {
    expect(MIN_ANSWERS_FOR_SIGNIFICANCE).toBe(30);
  });

  test('overlapping intervals can still be a significant change: 0 → 46.67 with 30 answers each', () => {
    // before: 15P 0Pa 15D → NPS 0; n′ = 33, p′P = p′D = 15.75/33 = 0.477273; variance = 0.954545/33 = 0.0289256
    //   (MoE 1.96 × 0.170075 × 100 = 33.33)
    // after: 20P 4Pa 6D → NPS 46.67; p′P = 20.75/33 = 0.628788, p′D = 6.75/33 = 0.204545, difference 0.424242
    //   variance = (0.833333 − 0.179982) / 33 = 0.0197985 (MoE 27.58)
    // the intervals overlap (0 + 33.33 > 46.67 − 27.58), yet z = 0.466667 / sqrt(0.0487241) = 0.466667 / 0.220735 = 2.114
    // > 1.96, p = 0.0345 → significant
    const before = counts(15, 0, 15);
    const after = counts(20, 4, 6);
    expect(npsSummary(before).marginOfError).toBeCloseTo(33.33, 2);
    expect(npsSummary(after).marginOfError).toBeCloseTo(27.58, 2);
    const test = npsDifferenceTest(before, after)!;
    expect(test.difference).toBeCloseTo(46.67, 2);
    expect(test.z).toBeCloseTo(2.114, 3);
    expect(test.p).toBeCloseTo(0.0345, 4);
    expect(isSignificantChange(before, after)).toBe(true);
  });

  test('a small move with 30 answers each is not significant: 0 → 20', () => {
    // after: 18P 0Pa 12D → NPS 20; p′P = 18.75/33 = 0.568182, p′D = 12.75/33 = 0.386364, difference 0.181818
    //   variance = (0.954545 − 0.033058) / 33 = 0.0279239
    // z = 0.2 / sqrt(0.0289256 + 0.0279239) = 0.2 / 0.238431 = 0.839 < 1.96, p = 0.40 → not significant
    const test = npsDifferenceTest(counts(15, 0, 15), counts(18, 0, 12))!;
    expect(test.z).toBeCloseTo(0.839, 3);
    expect(test.p).toBeCloseTo(0.4016, 4);
    expect(isSignificantChange(counts(15, 0, 15), counts(18, 0, 12))).toBe(false);
  });

  test('a large move is significant, and a fall just like a rise', () => {
    // 50P 50D (variance 0.0095673) → 90P 10D: n′ = 103, p′P = 90.75/103 = 0.881068, p′D = 10.75/103 = 0.104369
    //   variance = (0.985437 − 0.776699²) / 103 = 0.382174 / 103 = 0.0037104
    // z = 0.8 / sqrt(0.0132778) = 0.8 / 0.115229 = 6.943
    expect(npsDifferenceTest(counts(50, 0, 50), counts(90, 0, 10))!.z).toBeCloseTo(6.943, 3);
    expect(npsDifferenceTest(counts(90, 0, 10), counts(50, 0, 50))!.z).toBeCloseTo(-6.943, 3);
    expect(isSignificantChange(counts(50, 0, 50), counts(90, 0, 10))).toBe(true);
    expect(isSignificantChange(counts(90, 0, 10), counts(50, 0, 50))).toBe(true);
  });

  test('no answers in a period: no test, not significant', () => {
    expect(npsDifferenceTest(counts(0, 0, 0), counts(5, 0, 0))).toBeNull();
    expect(npsDifferenceTest(counts(5, 0, 0), counts(0, 0, 0))).toBeNull();
    expect(isSignificantChange(counts(0, 0, 0), counts(40, 0, 0))).toBe(false);
    expect(isSignificantChange(counts(40, 0, 0), counts(0, 0, 0))).toBe(false);
  });

  test('29 answers in a period: no marker, however far apart the scores are', () => {
    // 29 detractors → 29 promoters is a z far beyond 1.96, but n 29 < 30
    expect(Math.abs(npsDifferenceTest(counts(0, 0, 29), counts(29, 0, 0))!.z)).toBeGreaterThan(10);
    expect(isSignificantChange(counts(0, 0, 29), counts(29, 0, 0))).toBe(false);
    // one side with enough answers is not enough: 30 vs 29
    expect(isSignificantChange(counts(0, 0, 30), counts(29, 0, 0))).toBe(false);
    // both at 30: marked
    expect(isSignificantChange(counts(0, 0, 30), counts(30, 0, 0))).toBe(true);
  });
});

describe('twoSidedP', () => {
  test('the familiar critical values: z 1.96 → p 0.05, z 2.5758 → p 0.01, z 0 → p 1, symmetric in sign', () => {
    // 2 × (1 − Φ(1.96)) = 2 × 0.024998 = 0.049996; 2 × (1 − Φ(2.5758)) = 0.010001
    expect(twoSidedP(1.96)).toBeCloseTo(0.049996, 5);
    expect(twoSidedP(-1.96)).toBeCloseTo(0.049996, 5);
    expect(twoSidedP(2.5758)).toBeCloseTo(0.010001, 5);
    expect(twoSidedP(0)).toBeCloseTo(1, 6);
  });
});

describe('significantChanges: a trend read all at once', () => {
  test('a change that one test alone would mark is not marked when it is one of two comparisons (Benjamini–Hochberg)', () => {
    // 0 → 46.67 alone: p = 0.0345 < 0.05 (see above). Then 46.67 → 46.67: p = 1. Two comparisons: the smallest p must
    // be ≤ 1/2 × 0.05 = 0.025, and 0.0345 is not; the largest must be ≤ 0.05, and 1 is not → nothing marked.
    const periods = [counts(15, 0, 15), counts(20, 4, 6), counts(20, 4, 6)];
    expect(isSignificantChange(periods[0]!, periods[1]!)).toBe(true);
    expect(significantChanges(periods)).toEqual({ significant: [false, false, false], comparisons: 2 });
    // The same change as the only comparison stays marked.
    expect(significantChanges(periods.slice(0, 2))).toEqual({ significant: [false, true], comparisons: 1 });
  });

  test('a strong change survives the correction; periods with too few answers are neither tested nor counted', () => {
    // 50P 50D → 90P 10D: z = 6.943, p ≈ 4e-12 → marked. The 10-answer period makes no comparison on either side, so
    // only the first pair is tested. With a flat third period instead, two pairs: 4e-12 ≤ 1/2 × 0.05 → still marked.
    const periods = [counts(50, 0, 50), counts(90, 0, 10), counts(5, 0, 5), counts(90, 0, 10)];
    expect(significantChanges(periods)).toEqual({ significant: [false, true, false, false], comparisons: 1 });
    const withFlat = [counts(50, 0, 50), counts(90, 0, 10), counts(90, 0, 10)];
    expect(significantChanges(withFlat)).toEqual({ significant: [false, true, false], comparisons: 2 });
  });

  test('an empty trend makes no comparisons', () => {
    expect(significantChanges([])).toEqual({ significant: [], comparisons: 0 });
  });

  test('each change has the p of its test, and none where a period has too few answers (the demo report prints them)', () => {
    const p = changePValues([counts(50, 0, 50), counts(90, 0, 10), counts(5, 0, 5), counts(90, 0, 10)]);
    expect(p[0]).toBeNull();
    expect(p[1]).toBeLessThan(1e-10);
    expect(p.slice(2)).toEqual([null, null]);
    expect(changePValues([counts(15, 0, 15), counts(20, 4, 6)])[1]).toBeCloseTo(0.0345, 3);
  });
});

describe('bucketsOfDistribution', () => {
  test('counts how many gave each score 0…10 into the three groups', () => {
    //                           0  1  2  3  4  5  6  7  8  9  10
    expect(bucketsOfDistribution([1, 0, 0, 0, 0, 0, 2, 3, 4, 5, 6])).toEqual({ detractors: 3, passives: 7, promoters: 11 });
  });
});
