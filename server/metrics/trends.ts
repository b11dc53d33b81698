import type { Calendar, Interval, NpsTotals, NpsTrendBody, SatisfactionTotals, SatisfactionTrendBody } from '../../shared/api/metrics.js';
import { wilsonInterval } from '../../shared/intervals.js';
import { bucketsOfDistribution, npsSummary, significantChanges, type BucketCounts } from '../../shared/nps.js';
import { daysBetween, periodStart } from '../../shared/periods.js';
import { SCORE_COLUMNS, addCounts, emptyCounts, type Counts } from './contribution.js';

/*
 * Pure rules from per-day counts to what the API answers. Both sources (rollups, scan) produce per-day counts,
 * so everything from here on is the same whichever answered.
 */

export type DayCounts = Counts & { day: string };

export interface TrendRange {
  from: string;
  to: string;
  interval: Interval;
  calendar: Calendar;
}

export function sumCounts(days: readonly Counts[]): Counts {
  const total = emptyCounts();
  for (const day of days) addCounts(total, day);
  return total;
}

/** Scores 0…10 and how many gave each. */
export function distributionOf(counts: Counts): number[] {
  return SCORE_COLUMNS.map((c) => counts[c]);
}

/** Bucket counts from the score distribution, with the thresholds of shared/scoring.ts. */
export function bucketsOf(counts: Counts): BucketCounts {
  return bucketsOfDistribution(distributionOf(counts));
}

export function npsTotalsOf(counts: Counts): NpsTotals {
  return npsSummary(bucketsOf(counts));
}

const percent = (part: number, whole: number) => (whole === 0 ? null : (part / whole) * 100);

export function satisfactionOf(counts: Counts): SatisfactionTotals {
  return {
    csatN: counts.csat_n,
    csat: percent(counts.csat_satisfied, counts.csat_n),
    csatInterval: wilsonInterval(counts.csat_satisfied, counts.csat_n),
    cesN: counts.ces_n,
    ces: counts.ces_n === 0 ? null : counts.ces_sum / counts.ces_n,
    solvedN: counts.solved_n,
    solvedRate: percent(counts.solved_yes, counts.solved_n),
    solvedInterval: wilsonInterval(counts.solved_yes, counts.solved_n),
  };
}

/**
 * Per-day counts summed into every period that overlaps the range, in order, empty periods included (n 0), so a
 * chart has no gaps. A period is labelled by its first day even when that is before `from`; only days in the
 * range are counted in it.
 */
export function countsByPeriod(days: readonly DayCounts[], range: TrendRange): { start: string; counts: Counts }[] {
  // One pass over the range's days gives each day its period: no date arithmetic per data row.
  const periodOfDay = new Map<string, Counts>();
  const periods: { start: string; counts: Counts }[] = [];
  for (const day of daysBetween(range.from, range.to)) {
    const start = periodStart(day, range.interval, range.calendar);
    if (periods[periods.length - 1]?.start !== start) periods.push({ start, counts: emptyCounts() });
    periodOfDay.set(day, periods[periods.length - 1]!.counts);
  }
  for (const day of days) {
    const counts = periodOfDay.get(day.day);
    if (counts) addCounts(counts, day);
  }
  return periods;
}

/**
 * The NPS trend: total, and per period the NPS with its margin and whether it moved significantly from the last
 * (read all at once: false discoveries controlled over the chart's comparisons, see significantChanges).
 */
export function npsTrend(days: readonly DayCounts[], range: TrendRange): Omit<NpsTrendBody, 'source'> {
  const periods = countsByPeriod(days, range).map(({ start, counts }) => ({ start, ...npsTotalsOf(counts) }));
  const { significant, comparisons } = significantChanges(periods);
  const points = periods.map((period, i) => ({ ...period, significant: significant[i]! }));
  return { total: npsTotalsOf(sumCounts(days)), points, comparisons };
}

export function satisfactionTrend(days: readonly DayCounts[], range: TrendRange): Omit<SatisfactionTrendBody, 'source'> {
  const points = countsByPeriod(days, range).map(({ start, counts }) => ({ start, ...satisfactionOf(counts) }));
  return { total: satisfactionOf(sumCounts(days)), points };
}
