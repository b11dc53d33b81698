import { describe, expect, test } from 'vitest';
import { addDays, daysBetween, jalaliDate, periodStart, periodStarts } from '../../shared/periods.js';

describe('jalaliDate', () => {
  test.each([
    ['2026-03-21', { year: 1405, month: 1, day: 1 }, 'Nowruz 1405'],
    ['2026-03-20', { year: 1404, month: 12, day: 29 }, 'the last day of 1404'],
    ['2026-11-22', { year: 1405, month: 9, day: 1 }, 'the first of Azar 1405'],
    ['2026-11-23', { year: 1405, month: 9, day: 2 }, 'the second of Azar 1405'],
  ])('%s is %o (%s)', (day, expected) => {
    expect(jalaliDate(day)).toEqual(expected);
  });
});

describe('periodStart', () => {
  test.each([
    // 2026-11-23 is a Monday: a Gregorian week starts that day, a Jalali week on the Saturday before (2026-11-21).
    ['2026-11-23', 'week', 'gregorian', '2026-11-23'],
    ['2026-11-29', 'week', 'gregorian', '2026-11-23'], // Sunday ends the Monday week
    ['2026-11-22', 'week', 'gregorian', '2026-11-16'],
    ['2026-11-23', 'week', 'jalali', '2026-11-21'],
    ['2026-11-21', 'week', 'jalali', '2026-11-21'], // Saturday starts its own week
    ['2026-11-27', 'week', 'jalali', '2026-11-21'], // Friday ends it
    ['2026-11-28', 'week', 'jalali', '2026-11-28'],
    ['2026-11-23', 'month', 'gregorian', '2026-11-01'],
    ['2026-11-23', 'month', 'jalali', '2026-11-22'], // Azar 1405 starts 2026-11-22
    ['2026-11-21', 'month', 'jalali', '2026-10-23'], // 30 Aban 1405; Aban (30 days) started 2026-10-23
    ['2026-04-01', 'month', 'jalali', '2026-03-21'], // Farvardin 1405 starts at Nowruz
    ['2026-11-23', 'day', 'gregorian', '2026-11-23'],
    ['2026-11-23', 'day', 'jalali', '2026-11-23'],
  ] as const)('%s by %s (%s) starts %s', (day, interval, calendar, start) => {
    expect(periodStart(day, interval, calendar)).toBe(start);
  });
});

describe('periodStarts', () => {
  test('every period overlapping the range, empty ones included, the first may start before the range', () => {
    // 2026-11-20 (Fri) … 2026-12-08 (Tue): Monday weeks from 11-16, 11-23, 11-30, 12-07
    expect(periodStarts('2026-11-20', '2026-12-08', 'week', 'gregorian')).toEqual(['2026-11-16', '2026-11-23', '2026-11-30', '2026-12-07']);
    // Saturday weeks: 11-14 (holds Fri 11-20), 11-21, 11-28, 12-05
    expect(periodStarts('2026-11-20', '2026-12-08', 'week', 'jalali')).toEqual(['2026-11-14', '2026-11-21', '2026-11-28', '2026-12-05']);
  });

  test('Jalali months across Nowruz', () => {
    // Esfand 1404 started 2026-02-20; Farvardin 1405 starts 2026-03-21 and has 31 days → Ordibehesht starts 2026-04-21
    expect(periodStarts('2026-03-01', '2026-04-25', 'month', 'jalali')).toEqual(['2026-02-20', '2026-03-21', '2026-04-21']);
  });

  test('a one-day range by day is that day', () => {
    expect(periodStarts('2026-11-23', '2026-11-23', 'day', 'gregorian')).toEqual(['2026-11-23']);
  });
});

describe('day arithmetic', () => {
  test('addDays crosses months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  test('daysBetween includes both ends', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
  });
});
