import {
  getExampleNumber,
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
} from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';
import type { PhoneReading } from '../../shared/api/events.js';
import { toLatinDigits } from '../../shared/digits.js';

/*
 * Phone numbers as people and gateways write them, read as E.164 — the one form Hami stores, so one person is one
 * customer whatever way the number was written. Which numbers exist and which are mobiles is libphonenumber's
 * metadata (Google's, kept up to date by the library), not rules of our own; only the characters people put around
 * the digits are cleaned here. Server-side only: the metadata is too big for the dashboard, which never reads a number.
 */

export type { CountryCode };

/** The country of a number written nationally (`0912…`) when HAMI_DEFAULT_COUNTRY is not set: Hami's customers are Iranian first. */
export const DEFAULT_COUNTRY: CountryCode = 'IR';

/** An ISO 3166 alpha-2 code the metadata knows (`IR`, `GB`; any case), or null. */
export function countryCodeOf(text: string): CountryCode | null {
  const code = text.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code) ? code : null;
}

/** Spaces (any, including the non-breaking ones), dashes, dots, slashes, brackets and the direction marks RTL text adds. */
const SEPARATORS = /[\s\-–—./()\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The digits as written, in Latin digits, a leading 00 read as the international +; null when anything but digits and separators is in it. */
function digitsOf(written: string): string | null {
  const text = toLatinDigits(written).replace(SEPARATORS, '');
  if (!/^(\+|00)?\d+$/.test(text)) return null;
  // 00 is the international prefix almost everywhere (not in North America, whose 011 the metadata knows).
  return text.startsWith('00') ? `+${text.slice(2)}` : text;
}

const examples = new Map<CountryCode, string>();

/** "0912 345 6789 or +98 912 345 6789": a mobile of the country, written the two ways people may send it. */
function mobileExample(country: CountryCode): string {
  let text = examples.get(country);
  if (text === undefined) {
    const example = getExampleNumber(country, mobileExamples);
    text = example
      ? `${example.formatNational()} or ${example.formatInternational()}`
      : 'a number in international form such as +98 912 345 6789';
    examples.set(country, text);
  }
  return text;
}

/** The mobile types: FIXED_LINE_OR_MOBILE is a country (US, Canada…) whose numbers do not tell the two apart. */
const MOBILE_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/**
 * A customer's phone (events API, hooks, imports) as E.164, or why it cannot be a mobile to send a survey SMS to:
 * not a number (letters), too short or long, a number not in use, a landline or a service number. Written nationally
 * (`0912 123 4567`, or Iran's `912 123 4567`) it is read in `country`; a number from elsewhere must be written
 * internationally (`+44 7911 123456`, `0044 …`), or with the default country's code and no plus (`98912…`).
 * Persian and Arabic-Indic digits, spaces, dashes, dots, brackets and direction marks are allowed.
 */
export function readMobile(written: string, country: CountryCode): PhoneReading {
  const refuse = (problem: string): PhoneReading => ({
    ok: false,
    message: `${problem}: a mobile number is expected, such as ${mobileExample(country)}`,
  });
  const digits = digitsOf(written);
  if (digits === null) return refuse('is not a phone number (only digits, a leading +, spaces and dashes)');
  const number = parsePhoneNumberFromString(digits, country);
  if (!number?.isValid()) {
    const length = validatePhoneNumberLength(digits, country);
    if (length === 'TOO_SHORT' || length === 'NOT_A_NUMBER') return refuse('is too short for a phone number');
    if (length === 'TOO_LONG') return refuse('is too long for a phone number');
    return refuse('is not a phone number in use');
  }
  const type = number.getType();
  if (type === 'FIXED_LINE') return refuse('is a landline number, which cannot receive a survey by SMS');
  // A valid number of no known type may still be a mobile; a toll-free, premium-rate, VoIP or pager number is not.
  if (type !== undefined && !MOBILE_TYPES.has(type)) return refuse('is not a mobile number');
  return { ok: true, e164: number.number };
}

/**
 * The sender of an inbound SMS as E.164, so an opt-out or a reply finds the number it was sent to, or null when it is
 * no phone number (an alphanumeric sender id, a short code). Gateways write it as they like: Kavenegar `0912…` or
 * `98912…`, others `0098…` or `+98…`, some any country's number without the plus (`15017122661`). More lenient than
 * readMobile: any number in use, a landline too, so the reply is kept under it.
 */
export function readSender(written: string, country: CountryCode): string | null {
  const digits = digitsOf(written);
  if (digits === null) return null;
  for (const text of digits.startsWith('+') ? [digits] : [digits, `+${digits}`]) {
    const number = parsePhoneNumberFromString(text, country);
    if (number?.isValid()) return number.number;
  }
  return null;
}
