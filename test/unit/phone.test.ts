import { describe, expect, test } from 'vitest';
import { countryCodeOf, readMobile, readSender } from '../../server/customers/phone.js';

const e164Of = (written: string, country: 'IR' | 'GB' | 'US' = 'IR') => {
  const reading = readMobile(written, country);
  return reading.ok ? reading.e164 : reading.message;
};

describe("readMobile: a customer's mobile as people write it, in E.164", () => {
  test.each([
    ['09121234567'],
    ['۰۹۱۲۱۲۳۴۵۶۷'], // Persian digits
    ['٠٩١٢ ١٢٣ ٤٥٦٧'], // Arabic-Indic digits with spaces
    ['+98 912 123 4567'],
    ['+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷'],
    ['0098 912 123 4567'],
    ['00989121234567'],
    ['989121234567'], // the country code without the plus
    ['9121234567'], // Iranian national form without the trunk 0
    ['0912-123-4567'],
    ['(0912) 123.4567'],
    ['+98 (912) 123-4567'],
    ['\u200e+98\u00a0912\u00a0123\u00a04567\u200f'], // direction marks and non-breaking spaces from RTL text
    ['\u2067۰۹۱۲ ۱۲۳ ۴۵۶۷\u2069'],
    [' 0912 123 4567 '],
  ])('%j is +989121234567', (written) => {
    expect(e164Of(written)).toBe('+989121234567');
  });

  test.each([
    ['0935 123 4567', '+989351234567'], // Irancell
    ['0901 123 4567', '+989011234567'],
    ['0991 123 4567', '+989911234567'],
    ['+44 7911 123456', '+447911123456'], // a British mobile written internationally
    ['0044 7911 123456', '+447911123456'],
    ['+49 151 12345678', '+4915112345678'],
    ['+1 415 555 2671', '+14155552671'], // US numbers do not tell mobile from landline: accepted
  ])('%j is %s', (written, e164) => {
    expect(e164Of(written)).toBe(e164);
  });

  test.each([
    ['021 8888 8888', 'is a landline number'], // Tehran
    ['02188888888', 'is a landline number'],
    ['+98 21 8888 8888', 'is a landline number'],
    ['031 3222 2222', 'is a landline number'], // Isfahan
    ['0912 123 456', 'is not a phone number in use'], // a digit missing
    ['0912 123 45678', 'is too long for a phone number'],
    ['912', 'is too short for a phone number'],
    ['+98912', 'is too short for a phone number'],
    ['0912 abc 4567', 'is not a phone number'],
    ['0912 123 4567 ext 12', 'is not a phone number'],
    ['Ali', 'is not a phone number'],
    ['', 'is not a phone number'],
    ['+', 'is not a phone number'],
    ['+0989121234567', 'is not a phone number in use'],
    ['+44 20 7946 0958', 'is a landline number'], // London
    ['+44 800 123 4567', 'is not a mobile number'], // toll-free
  ])('%j is refused: %s', (written, problem) => {
    const reading = readMobile(written, 'IR');
    expect(reading.ok).toBe(false);
    if (!reading.ok) {
      expect(reading.message.startsWith(problem)).toBe(true);
      // The message says what is expected, with a mobile of the default country written both ways.
      expect(reading.message).toContain('a mobile number is expected, such as 0912 345 6789 or +98 912 345 6789');
    }
  });

  test('with HAMI_DEFAULT_COUNTRY=GB a national number is British, and the example in the message is too', () => {
    expect(e164Of('07911 123456', 'GB')).toBe('+447911123456');
    expect(e164Of('09121234567', 'GB')).not.toBe('+989121234567');
    expect(e164Of('+98 912 123 4567', 'GB')).toBe('+989121234567'); // international forms mean the same everywhere
    expect(e164Of('0098 912 123 4567', 'GB')).toBe('+989121234567');
    const landline = readMobile('020 7946 0958', 'GB');
    expect(landline).toEqual({
      ok: false,
      message:
        'is a landline number, which cannot receive a survey by SMS: a mobile number is expected, such as 07400 123456 or +44 7400 123456',
    });
  });

  test('in Iran (the default) 07911 123456 is no British mobile: a number abroad is written with its country code', () => {
    expect(readMobile('07911 123456', 'IR').ok).toBe(false);
  });

  test('with HAMI_DEFAULT_COUNTRY=US, 00 still opens an international number', () => {
    expect(e164Of('0098 912 123 4567', 'US')).toBe('+989121234567');
    expect(e164Of('(415) 555-2671', 'US')).toBe('+14155552671');
  });
});

describe('readSender: an SMS sender in any form gateways write it, in E.164', () => {
  test.each([
    ['+989121234567', '+989121234567'],
    ['00989121234567', '+989121234567'],
    ['989121234567', '+989121234567'],
    ['09121234567', '+989121234567'],
    ['9121234567', '+989121234567'],
    ['+98 912 123 4567', '+989121234567'],
    ['0912-123-4567', '+989121234567'],
    ['(0912) 123.4567', '+989121234567'],
    ['۰۹۱۲۱۲۳۴۵۶۷', '+989121234567'],
    ['٠٩١٢ ١٢٣ ٤٥٦٧', '+989121234567'],
    ['\u200e+98\u00a0912\u00a0123\u00a04567', '+989121234567'],
    ['+44 20 7946 0958', '+442079460958'], // a landline can text: the sender is kept
    ['0044 20 7946 0958', '+442079460958'],
    ['15017122661', '+15017122661'], // a gateway that leaves out the plus
    ['02188888888', '+982188888888'],
  ])('%s is %s', (raw, e164) => {
    expect(readSender(raw, 'IR')).toBe(e164);
  });

  test.each(['', 'Twilio', '12345', '+0912123456', '+98912123456789012', 'STOP', '0912abc'])('%j is no phone number', (raw) => {
    expect(readSender(raw, 'IR')).toBeNull();
  });

  test('a national number is read in the default country', () => {
    expect(readSender('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(readSender('07911 123456', 'GB')).toBe('+447911123456');
  });
});

describe('countryCodeOf: HAMI_DEFAULT_COUNTRY', () => {
  test.each([
    ['IR', 'IR'],
    ['gb', 'GB'],
    [' us ', 'US'],
  ])('%j is %s', (text, code) => expect(countryCodeOf(text)).toBe(code));
  test.each(['XX', 'Iran', 'IRN', '98', ''])('%j is no country', (text) => expect(countryCodeOf(text)).toBeNull());
});
