import { describe, expect, test } from 'vitest';
import { wilsonInterval } from '../../shared/intervals.js';
import { emptyCounts, type Counts } from '../../server/metrics/contribution.js';
import { paretoOf } from '../../server/metrics/reasons.js';
import { matchesAttributes, planSource } from '../../server/metrics/source.js';
import { containsPattern } from '../../server/metrics/store.js';
import { bucketsOf, countsByPeriod, npsTrend, satisfactionOf, type DayCounts } from '../../server/metrics/trends.js';
import { loadSurveys } from '../../server/surveys.js';

const surveys = loadSurveys().all; // dimensions: post-purchase product, region; post-resolution agent, product, region; follow-up region

describe('planSource: rollups when they hold the answer, a scan otherwise', () => {
  test.each([
    ['no attribute filter', {}, undefined, 'rollup'],
    ['region, declared by every survey', { region: 'north' }, undefined, 'rollup'],
    ['product, not declared by follow-up, all surveys', { product: 'p1' }, undefined, 'scan'],
    ['product within post-purchase, which declares it', { product: 'p1' }, 'post-purchase', 'rollup'],
    ['agent within post-purchase, which does not declare it', { agent: 'Sara' }, 'post-purchase', 'scan'],
    ['a survey that is not in the files', { region: 'north' }, 'old-survey', 'scan'],
    ['two attributes, even both declared', { product: 'p1', region: 'north' }, 'post-purchase', 'scan'],
  ])('%s → %s', (_name, attributes, survey, source) => {
    expect(planSource({ attributes, survey }, surveys).source).toBe(source);
  });

  test('a rolled-up filter names the dimension and value to read', () => {
    expect(planSource({ attributes: { region: 'north' } }, surveys)).toEqual({ source: 'rollup', dimension: 'region', value: 'north' });
  });
});

describe('matchesAttributes', () => {
  test('compares as text, like the rollups', () => {
    expect(matchesAttributes('{"tier":3,"vip":true,"city":"Shiraz"}', { tier: '3', vip: 'true' })).toBe(true);
    expect(matchesAttributes('{"city":"Shiraz"}', { city: 'shiraz' })).toBe(false);
    expect(matchesAttributes('{}', { city: 'Shiraz' })).toBe(false);
    expect(matchesAttributes('{}', {})).toBe(true);
  });
});

const day = (d: string, change: Partial<Counts>): DayCounts => ({ day: d, ...emptyCounts(), ...change });

describe('trends from per-day counts', () => {
  test('buckets from the score distribution: 0–6, 7–8, 9–10', () => {
    expect(bucketsOf({ ...emptyCounts(), s0: 1, s6: 2, s7: 3, s8: 4, s9: 5, s10: 6 })).toEqual({
      detractors: 3,
      passives: 7,
      promoters: 11,
    });
  });

  test('weekly points include empty weeks with n 0 and null NPS, and days outside the range are ignored', () => {
    const range = { from: '2026-11-23', to: '2026-12-13', interval: 'week', calendar: 'gregorian' } as const;
    const days = [
      day('2026-11-22', { responses: 1, s10: 1 }),
      day('2026-11-24', { responses: 2, s10: 1, s0: 1 }),
      day('2026-12-13', { responses: 1, s8: 1 }),
    ];
    expect(countsByPeriod(days, range).map((p) => [p.start, p.counts.responses])).toEqual([
      ['2026-11-23', 2],
      ['2026-11-30', 0],
      ['2026-12-07', 1],
    ]);
    const trend = npsTrend(days.slice(1), range);
    expect(trend.points.map((p) => [p.start, p.n, p.nps])).toEqual([
      ['2026-11-23', 2, 0],
      ['2026-11-30', 0, null],
      ['2026-12-07', 1, 0],
    ]);
  });

  test('a significant change is marked on the later period only', () => {
    // week 1: 15 promoters 15 detractors → NPS 0, adjusted-Wald variance 0.0289256; week 2: 30 promoters → NPS 100,
    // variance (0.954545 − 0.909091²) / 33 = 0.0038818; z = 1 / sqrt(0.0328074) = 5.52 > 1.96 → significant
    const range = { from: '2026-11-23', to: '2026-12-06', interval: 'week', calendar: 'gregorian' } as const;
    const trend = npsTrend([day('2026-11-23', { responses: 30, s10: 15, s0: 15 }), day('2026-11-30', { responses: 30, s9: 30 })], range);
    expect(trend.points.map((p) => p.significant)).toEqual([false, true]);
    expect(trend.total).toMatchObject({ n: 60, promoters: 45, detractors: 15, nps: 50 });
  });

  test('the trend reads its changes all at once: a change marked alone is not marked among two tested changes', () => {
    // 0 → 46.67 (p = 0.0345) then no change (p = 1): Benjamini–Hochberg needs p ≤ 0.025 for the smaller → no marker.
    const range = { from: '2026-11-23', to: '2026-12-13', interval: 'week', calendar: 'gregorian' } as const;
    const week = (start: string) => day(start, { responses: 30, s10: 20, s8: 4, s0: 6 });
    const trend = npsTrend([day('2026-11-23', { responses: 30, s10: 15, s0: 15 }), week('2026-11-30'), week('2026-12-07')], range);
    expect(trend.points.map((p) => p.significant)).toEqual([false, false, false]);
    expect(trend.comparisons).toBe(2);
    const twoWeeks = npsTrend([day('2026-11-23', { responses: 30, s10: 15, s0: 15 }), week('2026-11-30')], { ...range, to: '2026-12-06' });
    expect(twoWeeks.points.map((p) => p.significant)).toEqual([false, true]);
  });

  test('satisfaction: CSAT is the share of 4–5, CES the mean, solved the share of yes, each share with its Wilson interval', () => {
    expect(satisfactionOf({ ...emptyCounts(), csat_n: 4, csat_satisfied: 3, ces_n: 2, ces_sum: 9, solved_n: 5, solved_yes: 2 })).toEqual({
      csatN: 4,
      csat: 75,
      csatInterval: wilsonInterval(3, 4),
      cesN: 2,
      ces: 4.5,
      solvedN: 5,
      solvedRate: 40,
      solvedInterval: wilsonInterval(2, 5),
    });
    expect(satisfactionOf(emptyCounts())).toEqual({
      csatN: 0,
      csat: null,
      csatInterval: null,
      cesN: 0,
      ces: null,
      solvedN: 0,
      solvedRate: null,
      solvedInterval: null,
    });
  });
});

describe('paretoOf', () => {
  test('most common first with the cumulative share', () => {
    // 5 reasons: shipping 3 (0.6), price 1 (0.8), defect 1 (1.0), ties alphabetical
    expect(paretoOf(['shipping_delay', 'price', 'shipping_delay', 'product_defect', 'shipping_delay'])).toEqual([
      { reason: 'shipping_delay', count: 3, cumulativeShare: 0.6 },
      { reason: 'price', count: 1, cumulativeShare: 0.8 },
      { reason: 'product_defect', count: 1, cumulativeShare: 1 },
    ]);
  });
});

describe('containsPattern', () => {
  test('LIKE wildcards in the search are matched literally', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});
