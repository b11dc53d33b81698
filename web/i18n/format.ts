import type { Locale } from '../../shared/locale.js';

/**
 * Dates and numbers through Intl only: Persian uses the Jalali (Solar Hijri) calendar and Persian digits,
 * English the Gregorian calendar. Times are shown in the staff member's own time zone.
 */
const DATE_TAG: Record<Locale, string> = { en: 'en-GB', fa: 'fa-IR-u-ca-persian' };
const NUMBER_TAG: Record<Locale, string> = { en: 'en', fa: 'fa-IR' };

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let value = cache.get(key);
  if (!value) cache.set(key, (value = make()));
  return value as T;
}

export function formatNumber(value: number, locale: Locale): string {
  return cached(`n:${locale}`, () => new Intl.NumberFormat(NUMBER_TAG[locale], { maximumFractionDigits: 1 })).format(value);
}

/** "23 Nov 2026, 15:24" / "۲ آذر ۱۴۰۵، ۱۵:۲۴". */
export function formatDateTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return cached(`d:${locale}`, () => new Intl.DateTimeFormat(DATE_TAG[locale], { dateStyle: 'medium', timeStyle: 'short' })).format(date);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "in 5 hours", "2 days ago" / "۵ ساعت بعد", "۲ روز پیش". */
export function formatRelative(iso: string, locale: Locale, now: number = Date.now()): string {
  const diff = new Date(iso).getTime() - now;
  if (Number.isNaN(diff)) return '';
  const format = cached(`r:${locale}`, () => new Intl.RelativeTimeFormat(NUMBER_TAG[locale], { numeric: 'auto' }));
  const abs = Math.abs(diff);
  // Days from two days on, hours from two hours on: "in 30 hours" reads better than "tomorrow" for a deadline.
  for (const [unit, ms] of UNITS) {
    if (abs >= ms * (unit === 'minute' ? 1 : 2)) return format.format(Math.round(diff / ms), unit);
  }
  return format.format(0, 'minute');
}
