import { describe, expect, test } from 'vitest';
import { termForm, wordForms } from '../../shared/themes/stem.js';
import { tokenize } from '../../shared/keywords.js';

/** The forms of a word as it comes out of tokenize (normalised: ZWNJ dropped, Persian ی/ک). */
const formsOf = (written: string) => wordForms(tokenize(written)[0]!);

describe('English light stemming', () => {
  test.each([
    ['delays', 'delay'],
    ['delayed', 'delay'],
    ['delaying', 'delay'],
    ['charged', 'charge'],
    ['charging', 'charge'],
    ['shipped', 'ship'],
    ['replies', 'reply'],
    ['replied', 'reply'],
    ['boxes', 'box'],
    ['slowly', 'slow'],
    ['cheaper', 'cheap'],
    ["company's", 'company'],
  ])('%s is read as %s', (word, stem) => {
    expect(formsOf(word)).toContain(stem);
  });

  test.each([
    ['packaging', 'package'],
    ['later', 'late'],
    ['lately', 'late'],
    ['speed', 'spe'],
    ['status', 'statu'],
  ])('%s is not %s (the ending is part of the word)', (word, other) => {
    expect(formsOf(word)).not.toContain(other);
  });

  test('a word is always one of its own forms, first', () => {
    expect(formsOf('delivery')[0]).toBe('delivery');
  });
});

describe('Persian light stemming', () => {
  test.each([
    ['تاخیرها', 'تاخیر'],
    ['تاخیر\u200Cها', 'تاخیر'],
    ['هزینه\u200Cهای', 'هزینه'],
    ['قیمت\u200Cهایی', 'قیمت'],
    ['کیفیتش', 'کیفیت'],
    ['سفارشم', 'سفارش'],
    ['بسته\u200Cبندیش', 'بستهبندی'],
    ['شیشه\u200Cاش', 'شیشه'],
    ['پیکتان', 'پیک'],
    ['پشتیبانیتون', 'پشتیبانی'],
    ['تخفیف\u200Cهاتون', 'تخفیف'],
    ['مشکلات', 'مشکل'],
    ['گران\u200Cتر', 'گران'],
    ['گرونه', 'گرون'],
    ['پولمو', 'پولم'],
    ['ارسالی', 'ارسال'],
  ])('%s is read as %s', (word, stem) => {
    expect(formsOf(word)).toContain(stem);
  });

  test('a word that only ends like a suffix keeps its own form too ("سفارش" is still سفارش)', () => {
    expect(formsOf('سفارش')[0]).toBe('سفارش');
  });

  test('short words are not cut to one letter or two ("کم" stays whole)', () => {
    expect(formsOf('کم')).toEqual(['کم']);
    expect(formsOf('دیرم')).toContain('دیر');
    expect(formsOf('دیرم')).not.toContain('دی');
  });
});

describe('dictionary terms are indexed without their plural', () => {
  test.each([
    ['delays', 'delay'],
    ['refunds', 'refund'],
    ['boxes', 'box'],
    ['deliveries', 'delivery'],
    ['status', 'status'],
    ['packaging', 'packaging'],
    ['تاخیرها', 'تاخیر'],
    ['هزینههای', 'هزینه'],
    ['سفارش', 'سفارش'],
  ])('%s → %s', (term, indexed) => {
    expect(termForm(term)).toBe(indexed);
  });
});
