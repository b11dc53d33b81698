import { toLatinDigits } from './digits.js';

/**
 * Phone numbers as gateways and people write them, read as E.164 (pure, no I/O). SMS gateways report the sender
 * in whatever form their network gives them — Kavenegar `09121234567` or `989121234567`, others `0098…` or
 * `+98…` — and people type Persian digits, spaces and dashes; an opt-out or a reply must still find the number
 * stored as `+989121234567`.
 *
 * A national form (a leading trunk 0, or an Iranian mobile without it: `9121234567`) is read in the default
 * country, Iran (+98): Hami's SMS gateways and customers are Iranian first. A number in another country must be
 * written internationally (`+44…` or `0044…`).
 */

/** The country a national number (`0912…`) belongs to: Iran. */
export const DEFAULT_COUNTRY_CODE = '98';

const E164 = /^\+[1-9]\d{6,14}$/;

/** Spaces (any, including the non-breaking ones), dashes, dots, brackets and the direction marks RTL text adds. */
const SEPARATORS = /[\s\-–—.()\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The number in E.164 (`+989121234567`), or null when `raw` is not a phone number in any form read here:
 * `+98 912 123 4567`, `0098…`, `98912…` (a gateway that drops the plus), `0912…` and `912…` (Iranian national
 * forms), in Latin, Persian or Arabic-Indic digits, with spaces, dashes, dots or brackets.
 */
export function toE164(raw: string, countryCode: string = DEFAULT_COUNTRY_CODE): string | null {
  const text = toLatinDigits(raw).replace(SEPARATORS, '');
  let international: string;
  if (/^\+\d+$/.test(text)) international = text.slice(1);
  else if (/^00\d+$/.test(text)) international = text.slice(2);
  else if (/^0\d+$/.test(text)) international = countryCode + text.slice(1);
  else if (countryCode === '98' && /^9\d{9}$/.test(text)) international = countryCode + text;
  else if (/^\d+$/.test(text)) international = text; // a gateway that leaves out the plus
  else return null;
  const e164 = `+${international}`;
  return E164.test(e164) ? e164 : null;
}
