import { describe, expect, test } from 'vitest';
import { bucketOf, ces, csat, isNpsScore, parseScore } from '../../shared/scoring.js';

describe('bucketOf', () => {
  test.each([
    [0, 'detractor'],
    [1, 'detractor'],
    [2, 'detractor'],
    [3, 'detractor'],
    [4, 'detractor'],
    [5, 'detractor'],
    [6, 'detractor'],
    [7, 'passive'],
    [8, 'passive'],
    [9, 'promoter'],
    [10, 'promoter'],
  ] as const)('score %i is a %s', (score, bucket) => {
    expect(bucketOf(score)).toBe(bucket);
  });

  test('0 to 6 count as detractors, 7 and 8 as passives, 9 and 10 as promoters', () => {
    const byBucket = { detractor: [] as number[], passive: [] as number[], promoter: [] as number[] };
    for (let s = 0; s <= 10; s++) byBucket[bucketOf(s)].push(s);
    expect(byBucket).toEqual({ detractor: [0, 1, 2, 3, 4, 5, 6], passive: [7, 8], promoter: [9, 10] });
  });

  test.each([-1, 11, 7.5, Number.NaN, Number.POSITIVE_INFINITY])('%s is not a score and throws', (value) => {
    expect(() => bucketOf(value)).toThrow(RangeError);
    expect(() => bucketOf(value)).toThrow(/not an NPS score/);
  });
});

describe('isNpsScore', () => {
  test.each([
    [0, true],
    [10, true],
    [5, true],
    [-1, false],
    [11, false],
    [7.5, false],
    ['7', false],
    [null, false],
    [undefined, false],
  ] as const)('%j → %s', (value, expected) => {
    expect(isNpsScore(value)).toBe(expected);
  });
});

describe('parseScore', () => {
  test.each([
    ['0', 0],
    ['7', 7],
    ['10', 10],
    ['۷', 7], // Persian seven
    ['۱۰', 10], // Persian one, zero
    ['۰', 0],
    ['٧', 7], // Arabic-Indic seven
    ['١٠', 10], // Arabic-Indic one, zero
    ['٠', 0],
    ['  8  ', 8], // blanks around the number
    ['\t9\n', 9],
    [' ۹ ', 9],
    ['1۰', 10], // mixed digit sets are still one number
  ])('%j reads as %i on 0–10', (input, expected) => {
    expect(parseScore(input, 0, 10)).toBe(expected);
  });

  test.each(['7.5', '۷.۵', 'abc', '', '   ', '7a', '1e1', '11', '۱۱', '-1', '100'])('%j is not a score on 0–10 (null)', (input) => {
    expect(parseScore(input, 0, 10)).toBeNull();
  });

  test('the range is the one asked for: 0 is out of range on a 1–5 scale, 5 is in, 6 is out', () => {
    expect(parseScore('0', 1, 5)).toBeNull();
    expect(parseScore('1', 1, 5)).toBe(1);
    expect(parseScore('5', 1, 5)).toBe(5);
    expect(parseScore('6', 1, 5)).toBeNull();
  });

  test.each([
    [7, 7],
    [0, 0],
    [10, 10],
    [7.5, null],
    [11, null],
    [-1, null],
    [Number.NaN, null],
  ])('a number %s reads as %s on 0–10', (input, expected) => {
    expect(parseScore(input, 0, 10)).toBe(expected);
  });
});

describe('csat', () => {
  test('is the share of 4 and 5 answers, with the counts', () => {
    // n=5, satisfied = {4, 5, 5} = 3 → 3/5 × 100 = 60
    expect(csat([1, 4, 5, 3, 5])).toEqual({ n: 5, satisfied: 3, csat: 60 });
  });

  test('3 is not satisfied, 4 is', () => {
    // n=2, satisfied = {4} = 1 → 50
    expect(csat([3, 4])).toEqual({ n: 2, satisfied: 1, csat: 50 });
  });

  test('all 5s is 100, all 1s is 0', () => {
    expect(csat([5, 5, 5])).toEqual({ n: 3, satisfied: 3, csat: 100 });
    expect(csat([1, 2, 3])).toEqual({ n: 3, satisfied: 0, csat: 0 });
  });

  test('no answers gives null, not 0', () => {
    expect(csat([])).toEqual({ n: 0, satisfied: 0, csat: null });
  });

  test('a share that is not a round number', () => {
    // n=3, satisfied 1 → 100/3 = 33.333…
    expect(csat([4, 2, 1]).csat).toBeCloseTo(33.3333, 3);
  });
});

describe('ces', () => {
  test('is the mean effort score, with the count', () => {
    // (1 + 2 + 7 + 6) / 4 = 16 / 4 = 4
    expect(ces([1, 2, 7, 6])).toEqual({ n: 4, ces: 4 });
  });

  test('a mean that is not whole', () => {
    // (2 + 3) / 2 = 2.5
    expect(ces([2, 3])).toEqual({ n: 2, ces: 2.5 });
  });

  test('no answers gives null, not 0', () => {
    expect(ces([])).toEqual({ n: 0, ces: null });
  });
});
