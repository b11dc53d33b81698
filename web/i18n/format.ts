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

export function formatNumber(value: number, locale: Locale, fractionDigits = 1): string {
  return cached(
    `n:${locale}:${fractionDigits}`,
    () => new Intl.NumberFormat(NUMBER_TAG[locale], { maximumFractionDigits: fractionDigits }),
  ).format(value);
}

/** An NPS as a whole number with its sign, "+32" / "‎+۳۲": a decimal would claim a precision the sample lacks. */
export function formatNps(value: number, locale: Locale): string {
  return cached(
    `nps:${locale}`,
    () => new Intl.NumberFormat(NUMBER_TAG[locale], { maximumFractionDigits: 0, signDisplay: 'exceptZero' }),
  ).format(value);
}

/** A change with its sign and one decimal, "−9.4" / "‎−۹٫۴": how many NPS points a theme moves the score. */
export function formatSigned(value: number, locale: Locale, fractionDigits = 1): string {
  return cached(
    `s:${locale}:${fractionDigits}`,
    () =>
      new Intl.NumberFormat(NUMBER_TAG[locale], {
        maximumFractionDigits: fractionDigits,
        minimumFractionDigits: fractionDigits,
        signDisplay: 'exceptZero',
      }),
  ).format(value);
}

/** A share already in percent (0–100): "42%" / "۴۲٪". */
export function formatPercent(value: number, locale: Locale): string {
  return cached(`p:${locale}`, () => new Intl.NumberFormat(NUMBER_TAG[locale], { style: 'percent', maximumFractionDigits: 0 })).format(
    value / 100,
  );
}

const DAY_STYLES = {
  /** "23 Nov" / "۲ آذر": chart axes, where the year would crowd the labels. */
  short: { day: 'numeric', month: 'short' },
  /** "23 Nov 2026" / "۲ آذر ۱۴۰۵". */
  medium: { dateStyle: 'medium' },
  /** "Nov 2026" / "آذر ۱۴۰۵": a month period (Jalali months when the dashboard speaks Persian, as the API groups them). */
  month: { year: 'numeric', month: 'short' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/** A day key (YYYY-MM-DD, a UTC day), such as the first day of a trend period. */
export function formatDay(day: string, locale: Locale, style: keyof typeof DAY_STYLES = 'medium'): string {
  const format = cached(
    `day:${locale}:${style}`,
    () => new Intl.DateTimeFormat(DATE_TAG[locale], { timeZone: 'UTC', ...DAY_STYLES[style] }),
  );
  return format.format(new Date(`${day}T00:00:00Z`));
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
