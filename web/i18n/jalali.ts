import { isValidJalaaliDate, toGregorian } from 'jalaali-js';
import { toLatinDigits } from '../../shared/digits.js';

/*
 * Dates typed in the Jalali (Solar Hijri) calendar, for the Persian dashboard's date inputs. Showing a date goes
 * through Intl's persian calendar like every other date; reading one back needs the arithmetic Intl does not offer,
 * which jalaali-js does (the conversion the Iranian calendar's own tables define, tested upstream for years).
 */

const NUMERIC_JALALI = new Intl.DateTimeFormat('fa-IR-u-ca-persian', {
  timeZone: 'UTC',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** A day key (YYYY-MM-DD) as the Persian input shows it: "۱۴۰۵/۰۹/۱۳" (year, month, day, Persian digits). */
export function jalaliInputText(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return '';
  const parts = Object.fromEntries(NUMERIC_JALALI.formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.year}/${parts.month}/${parts.day}`;
}

/**
 * A Jalali date typed as year/month/day, in Persian, Arabic-Indic or Latin digits, with "/", "-", "." or blanks
 * between the parts ("۱۴۰۵/۹/۱۳", "1405-09-13"), read as the Gregorian day key the API takes; null when it is not
 * a date that exists (month 13, ۳۱ اسفند of a common year) or the year is not written in full.
 */
export function parseJalaliDay(text: string): string | null {
  const match = /^\s*(\d{4})\s*[/\-.\s]\s*(\d{1,2})\s*[/\-.\s]\s*(\d{1,2})\s*$/.exec(toLatinDigits(text));
  if (!match) return null;
  const [jy, jm, jd] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!isValidJalaaliDate(jy, jm, jd)) return null;
  const { gy, gm, gd } = toGregorian(jy, jm, jd);
  if (gy < 1 || gy > 9999) return null;
  return `${String(gy).padStart(4, '0')}-${String(gm).padStart(2, '0')}-${String(gd).padStart(2, '0')}`;
}
