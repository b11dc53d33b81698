import { describe, expect, test } from 'vitest';
import { normaliseText } from '../../shared/text-normal.js';

describe('normaliseText', () => {
  test('Arabic yeh, alef maksura and kaf become Persian ی and ک', () => {
    expect(normaliseText('كيفيت')).toBe('کیفیت');
    expect(normaliseText('مصطفى')).toBe('مصطفی');
    expect(normaliseText('كيفيت')).toBe(normaliseText('کیفیت'));
  });

  test('teh marbuta and heh with hamza are written ه, as Persian spells the same word both ways', () => {
    expect(normaliseText('علاقة')).toBe('علاقه');
    expect(normaliseText('خانۀ ما')).toBe('خانه ما');
    // ه followed by a separate hamza above, as some keyboards type ۀ
    expect(normaliseText('خانه\u0654 ما')).toBe('خانه ما');
  });

  test('harakat, superscript alef and tatweel are removed', () => {
    expect(normaliseText('کیفیّت')).toBe('کیفیت');
    expect(normaliseText('مُحَمَّد')).toBe('محمد');
    expect(normaliseText('رحمٰن')).toBe('رحمن');
    expect(normaliseText('سلـــام')).toBe('سلام');
  });

  test('the zero-width non-joiner is dropped, so a word matches with or without it', () => {
    expect(normaliseText('کتاب‌ها')).toBe('کتابها');
    expect(normaliseText('می‌خواهم')).toBe(normaliseText('میخواهم'));
  });

  test('other invisible marks (ZWJ, bidi marks and isolates, BOM, soft hyphen, ZWSP) are removed', () => {
    expect(normaliseText('\uFEFF\u200Fسفارش\u200D ۱۲\u200E')).toBe('سفارش 12');
    expect(normaliseText('\u2067دیر\u2069 رسید')).toBe('دیر رسید');
    expect(normaliseText('deli\u00ADvery\u200B')).toBe('delivery');
  });

  test('Persian and Arabic-Indic digits become Latin', () => {
    expect(normaliseText('سفارش ۱۴۰۵')).toBe('سفارش 1405');
    expect(normaliseText('٣ روز')).toBe('3 روز');
  });

  test('NFKC turns Arabic presentation forms and full-width Latin into plain letters', () => {
    expect(normaliseText('\uFEFB')).toBe('لا');
    // كيفيت in presentation forms (initial kaf, medial yeh…): letters first, then Persian ones
    expect(normaliseText('\uFEDB\uFEF4\uFED4\uFEF4\uFE95')).toBe('کیفیت');
    expect(normaliseText('ＬＡＴＥ')).toBe('late');
  });

  test('case is folded the same in every locale, and the typographic apostrophe is the plain one', () => {
    expect(normaliseText('DELIVERY Was LATE')).toBe('delivery was late');
    expect(normaliseText('INVOICE')).toBe('invoice'); // no Turkish dotless ı
    expect(normaliseText('Don’t')).toBe("don't");
  });

  test('blanks collapse to one space and the ends are trimmed', () => {
    expect(normaliseText('  ارسال \n\t خیلی   دیر  ')).toBe('ارسال خیلی دیر');
    expect(normaliseText('')).toBe('');
  });
});
