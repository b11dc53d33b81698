import { describe, expect, test } from 'vitest';
import { parseWholeNumber, toLatinDigits, toPersianDigits } from '../../shared/digits.js';

describe('toLatinDigits', () => {
  test('Persian digits ۰–۹ become 0–9', () => {
    expect(toLatinDigits('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
  });

  test('Arabic-Indic digits ٠–٩ become 0–9', () => {
    expect(toLatinDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
  });

  test('Latin digits and other text are left as they are', () => {
    expect(toLatinDigits('order 42, سفارش')).toBe('order 42, سفارش');
  });

  test('digits inside text are converted in place', () => {
    // "امتیاز ۹ از ١٠" = "score 9 of 10" with a Persian 9 and an Arabic-Indic 10
    expect(toLatinDigits('امتیاز ۹ از ١٠')).toBe('امتیاز 9 از 10');
  });

  test('the empty string stays empty', () => {
    expect(toLatinDigits('')).toBe('');
  });
});

describe('toPersianDigits', () => {
  test.each([
    [0, '۰'],
    [7, '۷'],
    [10, '۱۰'],
    [1405, '۱۴۰۵'],
    ['0123456789', '۰۱۲۳۴۵۶۷۸۹'],
    [-3, '-۳'],
    ['score 9/10', 'score ۹/۱۰'],
  ] as const)('%j → %s', (value, expected) => {
    expect(toPersianDigits(value)).toBe(expected);
  });

  test('round-trips through toLatinDigits', () => {
    expect(toLatinDigits(toPersianDigits('2026-05-01 10:30'))).toBe('2026-05-01 10:30');
  });
});

describe('parseWholeNumber', () => {
  test.each([
    ['0', 0],
    ['42', 42],
    ['۴۲', 42],
    ['٤٢', 42],
    ['  7 ', 7],
    ['\n۹\t', 9],
    ['-5', -5],
    ['+5', 5],
    ['007', 7],
    ['999999', 999999],
    ['-0', 0],
    ['۰', 0],
  ])('%j → %i', (text, expected) => {
    expect(parseWholeNumber(text)).toBe(expected); // toBe tells -0 from 0
  });

  test.each(['', '   ', '7.5', '۷٫۵', 'abc', '1e1', '0x10', '7 7', '1,000', '--1', '+', '1234567', 'Infinity'])(
    '%j is not a whole number (null)',
    (text) => {
      expect(parseWholeNumber(text)).toBeNull();
    },
  );
});
