import { describe, expect, test } from 'vitest';
import { MIN_ANSWERS_FOR_SIGNIFICANCE, countBuckets, isSignificantChange, npsSummary, type NpsSummary } from '../../shared/nps.js';

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

  test('all promoters: NPS 100 with no margin of error', () => {
    // n=12, pP=1, pD=0 → NPS 100; variance 1 + 0 − 1² = 0 → MoE 0
    const s = npsSummary(counts(12, 0, 0));
    expect(s).toMatchObject({ n: 12, promoters: 12, passives: 0, detractors: 0, nps: 100 });
    expect(s.marginOfError).toBe(0);
  });

  test('all detractors: NPS −100 with no margin of error', () => {
    // n=7, pP=0, pD=1 → NPS −100; variance 0 + 1 − (−1)² = 0 → MoE 0
    const s = npsSummary(counts(0, 0, 7));
    expect(s).toMatchObject({ n: 7, promoters: 0, passives: 0, detractors: 7, nps: -100 });
    expect(s.marginOfError).toBe(0);
  });

  test('all passives: NPS 0 with no margin of error', () => {
    // n=3, pP=pD=0 → NPS 0; variance 0 → MoE 0
    const s = npsSummary(counts(0, 3, 0));
    expect(s).toMatchObject({ n: 3, nps: 0, marginOfError: 0 });
  });

  test.each([
    ['promoter', counts(1, 0, 0), 100],
    ['passive', counts(0, 1, 0), 0],
    ['detractor', counts(0, 0, 1), -100],
  ])('one answer, a %s: NPS %i, n 1, margin of error 0', (_name, c, nps) => {
    // n=1: the plug-in variance pP + pD − (pP − pD)² is 0 for any single answer
    const s = npsSummary(c);
    expect(s.n).toBe(1);
    expect(s.nps).toBe(nps);
    expect(s.marginOfError).toBe(0);
  });

  test('passives count in n but not in the numerator: 5 promoters, 3 passives, 2 detractors is NPS 30 ± 48.41', () => {
    // n = 5 + 3 + 2 = 10; pP = 0.5, pD = 0.2 → NPS = (0.5 − 0.2) × 100 = 30
    // MoE = 1.96 × sqrt((0.5 + 0.2 − 0.3²) / 10) × 100 = 1.96 × sqrt(0.061) × 100 = 48.408
    const s = npsSummary(counts(5, 3, 2));
    expect(s.n).toBe(10);
    expect(s.nps).toBeCloseTo(30, 10);
    expect(s.marginOfError).toBeCloseTo(48.41, 2);
  });

  test('the same shares with 20 times the answers have a narrower interval', () => {
    // n = 100 + 60 + 40 = 200; pP = 0.5, pD = 0.2 → NPS 30
    // MoE = 1.96 × sqrt(0.61 / 200) × 100 = 1.96 × 0.055227 × 100 = 10.82
    const s = npsSummary(counts(100, 60, 40));
    expect(s.nps).toBeCloseTo(30, 10);
    expect(s.marginOfError).toBeCloseTo(10.82, 2);
  });

  test('more detractors than promoters gives a negative NPS', () => {
    // n = 4; pP = 0.25, pD = 0.5 → NPS −25
    // MoE = 1.96 × sqrt((0.75 − 0.0625) / 4) × 100 = 1.96 × sqrt(0.171875) × 100 = 81.26
    const s = npsSummary(counts(1, 1, 2));
    expect(s.nps).toBeCloseTo(-25, 10);
    expect(s.marginOfError).toBeCloseTo(81.26, 2);
  });

  test('half promoters, half detractors: NPS 0 but the widest spread', () => {
    // n = 100; pP = pD = 0.5 → NPS 0; variance 1 − 0 = 1 → MoE = 1.96 × sqrt(1/100) × 100 = 19.6
    const s = npsSummary(counts(50, 0, 50));
    expect(s.nps).toBeCloseTo(0, 10);
    expect(s.marginOfError).toBeCloseTo(19.6, 10);
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

describe('isSignificantChange', () => {
  const summary = (nps: number | null, marginOfError: number | null): NpsSummary => ({
    promoters: 0,
    passives: 0,
    detractors: 0,
    n: nps === null ? 0 : 100,
    nps,
    marginOfError,
  });

  test('overlapping intervals are not significant', () => {
    // before: 5P 3Pa 2D → 30 ± 48.41; after: 7P 2Pa 1D → 60 ± 41.11
    // gap 30 < 48.41 + 41.11 = 89.52 → not significant
    expect(isSignificantChange(npsSummary(counts(5, 3, 2)), npsSummary(counts(7, 2, 1)))).toBe(false);
  });

  test('clearly separated intervals are significant', () => {
    // before: 50P 50D → 0 ± 19.6; after: 90P 10D → 80 ± 1.96 × sqrt((1 − 0.64)/100) × 100 = 11.76
    // gap 80 > 19.6 + 11.76 = 31.36 → significant
    expect(isSignificantChange(npsSummary(counts(50, 0, 50)), npsSummary(counts(90, 0, 10)))).toBe(true);
  });

  test('a fall is significant just like a rise', () => {
    expect(isSignificantChange(npsSummary(counts(90, 0, 10)), npsSummary(counts(50, 0, 50)))).toBe(true);
  });

  test('intervals that exactly touch are not significant; just apart they are', () => {
    // 0 ± 10 and 20 ± 10 touch at 10: gap 20 = 10 + 10 → not significant
    expect(isSignificantChange(summary(0, 10), summary(20, 10))).toBe(false);
    // gap 20.5 > 20 → significant
    expect(isSignificantChange(summary(0, 10), summary(20.5, 10))).toBe(true);
  });

  test.each([
    ['before has no answers', summary(null, null), summary(50, 5)],
    ['after has no answers', summary(50, 5), summary(null, null)],
    ['neither has answers', summary(null, null), summary(null, null)],
    ['before has no margin of error', summary(-80, null), summary(80, 5)],
  ])('%s → not significant', (_name, before, after) => {
    expect(isSignificantChange(before, after)).toBe(false);
  });

  test('the guard is 30 answers in each period', () => {
    expect(MIN_ANSWERS_FOR_SIGNIFICANCE).toBe(30);
  });

  test('29 answers in a period: no marker, however far apart the intervals are', () => {
    // before: 29 detractors → −100 ± 0; after: 29 promoters → 100 ± 0; gap 200 > 0 + 0, but n 29 < 30
    expect(isSignificantChange(npsSummary(counts(0, 0, 29)), npsSummary(counts(29, 0, 0)))).toBe(false);
    // one side with enough answers is not enough: 30 vs 29
    expect(isSignificantChange(npsSummary(counts(0, 0, 30)), npsSummary(counts(29, 0, 0)))).toBe(false);
  });

  test('30 answers in each period: the intervals decide', () => {
    // before: 15P 0Pa 15D → NPS 0, MoE = 1.96 × sqrt((0.5 + 0.5 − 0²) / 30) × 100 = 1.96 × 0.182574 × 100 = 35.78
    // after: 30P → NPS 100 ± 0; gap 100 > 35.78 + 0 → significant
    const before = npsSummary(counts(15, 0, 15));
    expect(before.marginOfError).toBeCloseTo(35.78, 2);
    expect(isSignificantChange(before, npsSummary(counts(30, 0, 0)))).toBe(true);
    // after: 20P 4Pa 6D → NPS (20 − 6)/30 × 100 = 46.67,
    // MoE = 1.96 × sqrt((0.6667 + 0.2 − 0.4667²) / 30) × 100 = 1.96 × sqrt(0.64889 / 30) × 100 = 28.83
    // gap 46.67 < 35.78 + 28.83 = 64.61 → not significant
    const after = npsSummary(counts(20, 4, 6));
    expect(after.nps).toBeCloseTo(46.67, 2);
    expect(after.marginOfError).toBeCloseTo(28.83, 2);
    expect(isSignificantChange(before, after)).toBe(false);
  });
});
