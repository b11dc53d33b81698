/**
 * Persian (۰–۹, U+06F0…) and Arabic-Indic (٠–٩, U+0660…) digits mean the same numbers as 0–9.
 * Customers type whichever their keyboard gives them, so every number from outside passes through here.
 */
export function toLatinDigits(text: string): string {
  return text.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

export const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';
export const ARABIC_INDIC_DIGITS = '٠١٢٣٤٥٦٧٨٩';

/** Writes the Latin digits of `value` as Persian digits (for Persian pages and emails). */
export function toPersianDigits(value: string | number): string {
  return String(value).replace(/[0-9]/g, (d) => PERSIAN_DIGITS[Number(d)]!);
}

/**
 * Reads a whole number typed in any of the three digit sets, with surrounding blanks allowed.
 * Returns null for anything else ("7.5", "abc", "", "1e1"), so callers decide what an invalid answer means.
 */
export function parseWholeNumber(text: string): number | null {
  const latin = toLatinDigits(text).trim();
  if (!/^[+-]?\d{1,6}$/.test(latin)) return null;
  // + 0 turns "-0" into 0.
  return Number(latin) + 0;
}
