import type { Calendar, Interval } from './api/metrics.js';

/*
 * Day keys ('YYYY-MM-DD', UTC days) grouped into the periods of a trend. Gregorian weeks start on Monday,
 * Jalali weeks on Saturday (شنبه); months are calendar months of the chosen calendar. The Jalali date comes
 * from Intl's Persian calendar, never from hand-written conversion tables.
 */

const DAY_MS = 86_400_000;

const toTime = (day: string) => Date.parse(`${day}T00:00:00Z`);
const toDay = (time: number) => new Date(time).toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
  return toDay(toTime(day) + days * DAY_MS);
}

/**
 * The first instant after `day`, as ISO text, for half-open ranges over stored instants (`at < end`). The day after
 * 9999-12-31 has no four-digit year (`+010000-01-01` sorts before every instant as text), so that day ends at its
 * own 24:00, which ISO 8601 allows and which sorts after every instant of it.
 */
export function instantAfterDay(day: string): string {
  return day === '9999-12-31' ? '9999-12-31T24:00:00.000Z' : `${addDays(day, 1)}T00:00:00.000Z`;
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = toTime(from); t <= toTime(to); t += DAY_MS) days.push(toDay(t));
  return days;
}

const jalaliParts = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});

/** The Jalali year, month (1–12) and day of month of a UTC day. */
export function jalaliDate(day: string): { year: number; month: number; day: number } {
  const parts = jalaliParts.formatToParts(new Date(toTime(day)));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day') };
}

/** The first day of the period (day, week or month) that holds `day`. */
export function periodStart(day: string, interval: Interval, calendar: Calendar): string {
  if (interval === 'day') return day;
  if (interval === 'week') {
    const weekday = new Date(toTime(day)).getUTCDay(); // 0 Sunday … 6 Saturday
    const firstWeekday = calendar === 'jalali' ? 6 : 1;
    return addDays(day, -((weekday - firstWeekday + 7) % 7));
  }
  if (calendar === 'jalali') return addDays(day, -(jalaliDate(day).day - 1));
  return `${day.slice(0, 8)}01`;
}

/** The starts of every period that overlaps from…to, in order (empty periods included, so a chart has no gaps). */
export function periodStarts(from: string, to: string, interval: Interval, calendar: Calendar): string[] {
  const starts: string[] = [];
  for (const day of daysBetween(from, to)) {
    const start = periodStart(day, interval, calendar);
    if (starts[starts.length - 1] !== start) starts.push(start);
  }
  return starts;
}
