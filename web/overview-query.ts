import type { Calendar, Interval } from '../shared/api/metrics.js';
import { addDays, periodStart } from '../shared/periods.js';

/*
 * The overview's view as the URL hash query says it (#/overview?from=…&to=…&interval=week&survey=…&attr.product=…),
 * so a view can be shared and survives a reload. Values from shared/api/metrics.ts are repeated, not imported:
 * importing a value from there would bundle zod (see reasons.ts).
 */

export const INTERVALS = ['day', 'week', 'month'] as const satisfies readonly Interval[];
export const PRESETS = ['30d', '3m', '12m'] as const;
type Preset = (typeof PRESETS)[number];
const ATTR = 'attr.';

export interface OverviewQuery {
  from: string;
  to: string;
  interval: Interval;
  survey?: string;
  channel?: string;
  locale?: string;
  /** attr.NAME=VALUE filters, by NAME. */
  attributes: Record<string, string>;
}

const DAY_KEY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (value: string | null): value is string => !!value && DAY_KEY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

/** Today as a UTC day key: the API's days are UTC days. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

function monthsBefore(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  // Date.UTC carries an overflowing day into the next month (31 May − 3 months → 1 Mar), never an invalid date.
  return new Date(Date.UTC(year, month - 1 - months, date)).toISOString().slice(0, 10);
}

/**
 * The range of a quick preset, ending today. Its start is moved back to the start of its first period, so the
 * first point of a trend is a whole week or month and comparable with the others, not a sliver with a huge error.
 */
export function presetRange(preset: Preset, interval: Interval, calendar: Calendar, to: string): { from: string; to: string } {
  const from = preset === '30d' ? addDays(to, -29) : addDays(monthsBefore(to, preset === '3m' ? 3 : 12), 1);
  return { from: periodStart(from, interval, calendar), to };
}

/** The view a hash query asks for, with defaults (the last 12 months, weekly) for what it leaves out or gets wrong. */
export function parseOverviewQuery(query: URLSearchParams, calendar: Calendar, now: Date = new Date()): OverviewQuery {
  const intervalParam = query.get('interval');
  const interval = (INTERVALS as readonly string[]).includes(intervalParam ?? '') ? (intervalParam as Interval) : 'week';
  const to = isDay(query.get('to')) ? query.get('to')! : today(now);
  const from = isDay(query.get('from')) ? query.get('from')! : presetRange('12m', interval, calendar, to).from;
  const attributes: Record<string, string> = {};
  for (const [key, value] of query)
    if (key.startsWith(ATTR) && key.length > ATTR.length && value) attributes[key.slice(ATTR.length)] = value;
  return {
    from,
    to,
    interval,
    survey: query.get('survey') || undefined,
    channel: query.get('channel') || undefined,
    locale: query.get('locale') || undefined,
    attributes,
  };
}

/** The filters as API query parameters (interval and calendar are added by the trend calls). */
export function filterParams(view: OverviewQuery): URLSearchParams {
  const params = new URLSearchParams({ from: view.from, to: view.to });
  for (const key of ['survey', 'channel', 'locale'] as const) {
    const value = view[key];
    if (value) params.set(key, value);
  }
  for (const [name, value] of Object.entries(view.attributes).sort(([a], [b]) => a.localeCompare(b))) params.set(`${ATTR}${name}`, value);
  return params;
}

/** The pages that read the metrics with these filters; a view keeps its filters when moving between them. */
export type MetricsPage = 'overview' | 'themes';

/**
 * The hash of a view: the filters in a fixed order, so the same view is always the same address. `extra`: the
 * page's own parameters after them (the theme chosen on the themes page).
 */
export function overviewHash(view: OverviewQuery, page: MetricsPage = 'overview', extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams({ from: view.from, to: view.to, interval: view.interval });
  for (const [key, value] of filterParams(view)) if (key !== 'from' && key !== 'to') params.set(key, value);
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return `#/${page}?${params.toString()}`;
}
