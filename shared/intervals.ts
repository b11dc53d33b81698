import { MIN_ANSWERS_FOR_SIGNIFICANCE } from './nps.js';

const Z_95 = 1.96;

/** A 95% interval of a share, in percent (0–100). */
export interface PercentInterval {
  low: number;
  high: number;
}

/**
 * The Wilson score interval of a proportion (95%), in percent: unlike the normal approximation it stays inside
 * 0–100 and is never zero-width, so 5 of 5 satisfied reads as "57–100%", not "100% ± 0". Null when n is 0.
 */
export function wilsonInterval(successes: number, n: number): PercentInterval | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = Z_95 * Z_95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z_95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half) * 100, high: Math.min(1, centre + half) * 100 };
}

/**
 * Whether a period has enough answers for its figure to be drawn as a point. Below the project's minimum sample
 * (the one significance tests use) a chart shows the period as "too few" instead of a score that a handful of
 * answers could swing from −100 to +100. No answers at all is a different case: nothing to show.
 */
export function tooFewAnswers(n: number): boolean {
  return n > 0 && n < MIN_ANSWERS_FOR_SIGNIFICANCE;
}
