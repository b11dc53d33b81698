import { describe, expect, test } from 'vitest';
import { isKeyword, tokenize, topKeywords } from '../../shared/keywords.js';

describe('tokenize', () => {
  test('lower-cases and splits English on punctuation, keeping apostrophes inside words', () => {
    expect(tokenize("Delivery was LATE, and the box—broken! Don't ship")).toEqual([
      'delivery',
      'was',
      'late',
      'and',
      'the',
      'box',
      'broken',
      "don't",
      'ship',
    ]);
  });

  test('a curly apostrophe is the straight one', () => {
    expect(tokenize('didn’t work')).toEqual(["didn't", 'work']);
  });

  test('Persian words split on spaces and Persian punctuation (، ؟ «»)', () => {
    expect(tokenize('ارسال، خیلی دیر بود؟ «بسته» آسیب دید')).toEqual(['ارسال', 'خیلی', 'دیر', 'بود', 'بسته', 'آسیب', 'دید']);
  });

  test('a word with or without the zero-width non-joiner is one word', () => {
    expect(tokenize('می\u200Cخواهم')).toEqual(tokenize('میخواهم'));
    expect(tokenize('کتاب\u200Cها')).toEqual(['کتابها']);
  });

  test('Arabic ي and ك are the Persian ی and ک, and diacritics and the kashida go', () => {
    expect(tokenize('كيفيت')).toEqual(['کیفیت']);
    expect(tokenize('پـــشتیبانی')).toEqual(['پشتیبانی']);
    expect(tokenize('مُشکل')).toEqual(['مشکل']);
  });

  test('Persian and Arabic-Indic digits are read as 0–9', () => {
    expect(tokenize('۳ روز و ٤ ساعت')).toEqual(['3', 'روز', 'و', '4', 'ساعت']);
  });
});

describe('isKeyword', () => {
  test.each(['the', 'and', "don't", 'و', 'از', 'خیلی', 'بود', '12', 'a', 'x'])('%s is not a keyword', (word) => {
    expect(isKeyword(word)).toBe(false);
  });
  test.each(['delivery', 'late', 'ارسال', 'کیفیت', 'r2d2'])('%s is a keyword', (word) => {
    expect(isKeyword(word)).toBe(true);
  });
});

describe('topKeywords', () => {
  test('counts each word once per comment, most frequent first, ties alphabetical', () => {
    const comments = ['Late delivery, late late late!', 'The delivery was late', 'Broken screen', 'ارسال دیر بود', 'ارسال کند'];
    // late: 2 comments, delivery: 2, ارسال: 2; broken, screen, دیر, کند: 1
    expect(topKeywords(comments, 4)).toEqual([
      { word: 'delivery', count: 2 },
      { word: 'late', count: 2 },
      { word: 'ارسال', count: 2 },
      { word: 'broken', count: 1 },
    ]);
  });

  test('no comments, no keywords', () => {
    expect(topKeywords([])).toEqual([]);
  });
});
