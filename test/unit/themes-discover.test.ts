import { describe, expect, test } from 'vitest';
import { BUILT_IN_THEMES } from '../../shared/themes/built-in.js';
import { discoverCandidates, type DiscoveryComment } from '../../shared/themes/discover.js';
import { compileThemes } from '../../shared/themes/tagger.js';
import type { ThemeDefinition } from '../../shared/themes/theme.js';

const en = (text: string, bucket: DiscoveryComment['bucket'] = 'detractor'): DiscoveryComment => ({ text, locale: 'en', bucket });
const fa = (text: string, bucket: DiscoveryComment['bucket'] = 'detractor'): DiscoveryComment => ({ text, locale: 'fa', bucket });
const dictionary: ThemeDefinition[] = [
  { id: 'delivery', label: { en: 'Delivery', fa: 'ارسال' }, terms: { en: ['delivery'], fa: ['ارسال'] }, enabled: true, builtIn: true },
];

describe('candidate themes', () => {
  test('a phrase repeated across comments is proposed, with its count, detractors and examples', () => {
    const comments = [
      en('The gift wrapping was ugly.'),
      en('Gift wrapping looked cheap', 'passive'),
      en('no gift wrapping option?!'),
      en('Nice shop', 'promoter'),
    ];
    const [first, ...rest] = discoverCandidates(comments, dictionary);
    expect(first).toEqual({
      phrase: 'gift wrapping',
      locale: 'en',
      count: 3,
      detractors: 2,
      examples: ['The gift wrapping was ugly.', 'Gift wrapping looked cheap', 'no gift wrapping option?!'],
    });
    expect(rest.map((c) => c.phrase)).not.toContain('nice shop');
  });

  test('a phrase under the minimum count is not proposed; the minimum is an option', () => {
    const comments = [en('loyalty points missing'), en('where are my loyalty points')];
    expect(discoverCandidates(comments, dictionary)).toEqual([]);
    expect(discoverCandidates(comments, dictionary, { minCount: 2 }).map((c) => c.phrase)).toEqual(['loyalty points']);
  });

  test('a phrase a dictionary term already covers is not proposed, even when its theme is switched off', () => {
    const comments = [en('slow delivery guy'), en('slow delivery again'), en('slow delivery, as usual')];
    expect(discoverCandidates(comments, dictionary).map((c) => c.phrase)).toEqual([]);
    const off = dictionary.map((t) => ({ ...t, enabled: false }));
    expect(discoverCandidates(comments, off).map((c) => c.phrase)).toEqual([]);
    expect(discoverCandidates(comments, []).map((c) => c.phrase)).toEqual(['slow delivery']);
  });

  test('a compiled dictionary may be passed instead of the definitions', () => {
    const comments = [en('slow delivery'), en('slow delivery'), en('slow delivery')];
    expect(discoverCandidates(comments, compileThemes(dictionary))).toEqual([]);
  });

  test('the stop list drops function words but keeps late, never, not, دیر, سریع, نبود, هنوز', () => {
    const comments = [1, 2, 3].map((i) => en(`the invoice never came ${'!'.repeat(i)}`));
    expect(discoverCandidates(comments, []).map((c) => c.phrase)).toEqual(['invoice never came']);
    const late = [1, 2, 3].map(() => en('courier came late'));
    expect(discoverCandidates(late, []).map((c) => c.phrase)).toEqual(['courier came late']);
    const persian = ['فاکتور دیر صادر شد', 'فاكتور دير صادر شد', 'فاکتور دیر صادر شد'].map((text) => fa(text));
    expect(discoverCandidates(persian, []).map((c) => c.phrase)).toEqual(['فاکتور دیر صادر']);
    const never = ['کد تخفیف هنوز نیومده', 'کد تخفیف هنوز نیومده', 'کد تخفیف هنوز نیومده'].map((text) => fa(text));
    expect(discoverCandidates(never, []).map((c) => c.phrase)).toContain('تخفیف هنوز نیومده');
    const notFast = ['پاسخ سریع نبود', 'پاسخ سریع نبود', 'پاسخ سریع نبود'].map((text) => fa(text));
    expect(discoverCandidates(notFast, []).map((c) => c.phrase)).toEqual(['پاسخ سریع نبود']);
  });

  test('phrases of function words only, and phrases across a function word, are not proposed', () => {
    const comments = [1, 2, 3].map(() => en('it was not the best of the'));
    expect(discoverCandidates(comments, [])).toEqual([]);
  });

  test('a two-word phrase inside an as frequent three-word phrase gives way to it', () => {
    const comments = [1, 2, 3].map(() => en('loyalty points expired'));
    expect(discoverCandidates(comments, []).map((c) => c.phrase)).toEqual(['loyalty points expired']);
  });

  test('languages are counted apart, the most frequent first, and a comment counts a phrase once', () => {
    const comments = [
      en('gift card gift card gift card'),
      en('gift card'),
      en('gift card'),
      en('loyalty points'),
      en('loyalty points'),
      en('loyalty points'),
      en('loyalty points'),
      fa('کارت هدیه'),
      fa('کارت هدیه'),
      fa('کارت هدیه'),
    ];
    const found = discoverCandidates(comments, []);
    expect(found.map((c) => [c.locale, c.phrase, c.count])).toEqual([
      ['en', 'loyalty points', 4],
      ['en', 'gift card', 3],
      ['fa', 'کارت هدیه', 3],
    ]);
  });

  test('the limit is per language: many frequent Persian phrases do not push the English ones off the list', () => {
    const persian = ['کارت هدیه', 'کد تخفیف', 'امتیاز باشگاه'].flatMap((phrase) => Array.from({ length: 9 }, () => fa(phrase)));
    const english = Array.from({ length: 3 }, () => en('loyalty points'));
    const found = discoverCandidates([...persian, ...english], [], { limit: 2 });
    expect(found.map((c) => [c.locale, c.phrase])).toEqual([
      ['fa', 'امتیاز باشگاه'],
      ['fa', 'کارت هدیه'],
      ['en', 'loyalty points'],
    ]);
  });

  test('the examples shown are different comments, not the same sentence three times', () => {
    const comments = [en('Gift wrapping was ugly.'), en('Gift wrapping was ugly.'), en('Gift wrapping was ugly.'), en('no gift wrapping?')];
    const [first] = discoverCandidates(comments, dictionary);
    expect(first?.count).toBe(4);
    expect(first?.examples).toEqual(['Gift wrapping was ugly.', 'no gift wrapping?']);
  });

  test('with the built-in dictionary, a common complaint it lacks surfaces and a covered one does not', () => {
    const comments = [
      fa('امتیاز باشگاه مشتریان حساب نشد'),
      fa('امتیاز باشگاه مشتریان رو ندادن'),
      fa('امتیاز باشگاه مشتریان کجاست؟'),
      fa('خیلی دیر رسید'),
      fa('باز هم دیر رسید'),
      fa('دیر رسید متاسفانه'),
    ];
    const phrases = discoverCandidates(comments, BUILT_IN_THEMES).map((c) => c.phrase);
    expect(phrases).toContain('امتیاز باشگاه مشتریان');
    expect(phrases.some((p) => p.includes('دیر'))).toBe(false);
  });
});
