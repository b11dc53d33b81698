import { describe, expect, test } from 'vitest';
import { tooFewAnswers, wilsonInterval } from '../../shared/intervals.js';
import { MIN_ANSWERS_FOR_SIGNIFICANCE } from '../../shared/nps.js';

describe('wilsonInterval', () => {
  // Reference values: Newcombe (1998), Statistics in Medicine 17:857, table I, method 3 (Wilson score, z = 1.96).
  test.each([
    [81, 263, 25.53, 36.62],
    [15, 148, 6.24, 16.05],
    [0, 20, 0, 16.11],
    [1, 29, 0.61, 17.18],
    [5, 5, 56.55, 100],
    [50, 100, 40.38, 59.62],
  ])('%i of %i: %f–%f%%', (successes, n, low, high) => {
    const interval = wilsonInterval(successes, n)!;
    expect(interval.low).toBeCloseTo(low, 1);
    expect(interval.high).toBeCloseTo(high, 1);
  });

  test('all satisfied in a small sample is never "100% ± 0": the interval reaches well below', () => {
    const interval = wilsonInterval(3, 3)!;
    expect(interval.high).toBe(100);
    expect(interval.low).toBeLessThan(50);
  });

  test('more answers with the same share give a narrower interval', () => {
    const small = wilsonInterval(8, 10)!;
    const large = wilsonInterval(800, 1000)!;
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
  });

  test('no answers: no interval', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe('tooFewAnswers', () => {
  test.each([
    [0, false],
    [1, true],
    [MIN_ANSWERS_FOR_SIGNIFICANCE - 1, true],
    [MIN_ANSWERS_FOR_SIGNIFICANCE, false],
    [500, false],
  ])('n = %i → %s', (n, expected) => {
    expect(tooFewAnswers(n)).toBe(expected);
  });
});
