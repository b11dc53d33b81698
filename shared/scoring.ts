import { parseWholeNumber } from './digits.js';

/** The three NPS groups. Thresholds live here and nowhere else. */
export type Bucket = 'detractor' | 'passive' | 'promoter';

const NPS_MIN = 0;
export const NPS_MAX = 10;
const DETRACTOR_MAX = 6;
const PASSIVE_MAX = 8;

export function isNpsScore(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= NPS_MIN && (value as number) <= NPS_MAX;
}

/** 0–6 detractor, 7–8 passive, 9–10 promoter. Throws on a value that is not a score: that is a bug upstream. */
export function bucketOf(score: number): Bucket {
  if (!isNpsScore(score)) throw new RangeError(`not an NPS score: ${score}`);
  if (score <= DETRACTOR_MAX) return 'detractor';
  if (score <= PASSIVE_MAX) return 'passive';
  return 'promoter';
}

/** Reads a score typed or sent in any digit set; null when it is not a whole number within [min, max]. */
export function parseScore(input: string | number, min: number, max: number): number | null {
  const value = typeof input === 'number' ? (Number.isInteger(input) ? input : null) : parseWholeNumber(input);
  if (value === null || value < min || value > max) return null;
  return value;
}

/** CSAT on 1–5: the share of answers that are 4 or 5, as a percentage, with the counts behind it. */
export function csat(scores: readonly number[]): { n: number; satisfied: number; csat: number | null } {
  const n = scores.length;
  const satisfied = scores.filter((s) => s >= 4).length;
  return { n, satisfied, csat: n === 0 ? null : (satisfied / n) * 100 };
}

/** CES on 1–7: the mean effort score, with the count behind it. */
export function ces(scores: readonly number[]): { n: number; ces: number | null } {
  const n = scores.length;
  return { n, ces: n === 0 ? null : scores.reduce((sum, s) => sum + s, 0) / n };
}
