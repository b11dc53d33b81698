import { describe, expect, test } from 'vitest';
import { BUILT_IN_THEMES } from '../../shared/themes/built-in.js';
import { compileThemes } from '../../shared/themes/tagger.js';
import { THEME_ID, type ThemeDefinition } from '../../shared/themes/theme.js';

const define = (id: string, en: string[], fa: string[], enabled = true): ThemeDefinition => ({
  id,
  label: { en: id, fa: id },
  terms: { en, fa },
  enabled,
  builtIn: false,
});

const small = compileThemes([
  define('delivery', ['late', 'delay', 'arrived late', 'delivery'], ['دیر', 'تأخیر', 'ارسال', 'دیر رسید']),
  define('quality', ['quality', 'cheaply made', 'damaged'], ['کیفیت', 'بسته بندی']),
  define('price', ['cheap', 'expensive'], ['گران', 'قیمت']),
  define('website', ['user friendly', 'app'], []),
  define('staff', ['friendly', 'rude'], ['مودب']),
]);
const builtIn = compileThemes(BUILT_IN_THEMES);

describe('normalised matching', () => {
  test.each([
    ['Arabic yeh and kaf', 'كيفيت خيلي بد بود', ['quality']],
    ['Persian letters', 'کیفیت خیلی بد بود', ['quality']],
    ['diacritics and kashida', 'کِیفـــیت بد بود', ['quality']],
    ['a term with hamza typed without it', 'تاخیر داشت', ['delivery']],
    ['a term with hamza typed with it', 'تأخیر داشت', ['delivery']],
    ['a term without hamza typed with it', 'قیمتها مناسب بود، کارمندان مؤدب', ['price', 'staff']],
    ['upper case', 'DELIVERY WAS LATE', ['delivery']],
  ])('%s', (_name, text, themes) => {
    expect(small.tag(text)).toEqual(themes);
  });

  test('a Persian compound matches with ZWNJ, with a space and written as one word', () => {
    for (const text of ['بسته\u200Cبندی بد بود', 'بسته بندی بد بود', 'بستهبندی بد بود']) expect(small.tag(text)).toEqual(['quality']);
  });

  test('a term matches whole words only ("app" is not in "happy", "late" not in "chocolate")', () => {
    expect(small.tag('very happy with the chocolate')).toEqual([]);
  });
});

describe('stemmed matching', () => {
  test.each([
    ['delays every time', ['delivery']],
    ['it was delayed', ['delivery']],
    ['they keep delaying it', ['delivery']],
    ['تاخیرها زیاد بود', ['delivery']],
    ['تاخیر\u200Cهای زیاد', ['delivery']],
    ['کیفیتش افتضاح بود', ['quality']],
    ['بسته\u200Cبندیش داغون بود', ['quality']],
    ['قیمت\u200Cهاشون بالاست', ['price']],
  ])('%s', (text, themes) => {
    expect(small.tag(text)).toEqual(themes);
  });

  test('a term written in the plural matches the singular and other forms', () => {
    const plural = compileThemes([define('delivery', ['delays'], ['تاخیرها'])]);
    expect(plural.tag('one delay after another')).toEqual(['delivery']);
    expect(plural.tag('delayed again')).toEqual(['delivery']);
    expect(plural.tag('تاخیرش زیاد بود')).toEqual(['delivery']);
  });
});

describe('multi-word terms', () => {
  test('match consecutive words, each through its stems', () => {
    const onlyPhrase = compileThemes([define('delivery', ['arrived late'], ['دیر رسید'])]);
    expect(onlyPhrase.tag('The parcel arrived late')).toEqual(['delivery']);
    expect(onlyPhrase.tag('سفارشم دیر رسید')).toEqual(['delivery']);
    expect(onlyPhrase.tag('late, but it arrived')).toEqual([]);
  });

  test('the longest of overlapping terms wins ("user friendly" is the website, not the staff)', () => {
    expect(small.tag('The site is very user friendly')).toEqual(['website']);
    expect(small.tag('The staff were friendly')).toEqual(['staff']);
    expect(small.tag('It is cheaply made')).toEqual(['quality']);
  });
});

describe('negation', () => {
  test.each([
    'not late',
    "wasn't late at all",
    'it was never late',
    'no delay',
    "it didn't arrive late",
    "it didn't look damaged",
    "Delivery wasn't an issue",
    'no problems with the delivery',
    'دیر نبود',
    'دیر نرسید',
    'بدون تاخیر',
    'هیچ تاخیری نداشت',
    'هیچ مشکلی با ارسال نداشتم',
    'ارسال مشکلی نداشت',
    'نه گران',
  ])('"%s" is a denied problem: no theme', (text) => {
    expect(small.tag(text)).toEqual([]);
  });

  test.each([
    ['not good quality', ['quality']],
    ["the price wasn't cheap", ['price']],
    ['delivery was not on time', ['delivery']],
    ['سفارشم هنوز ارسال نشده', ['delivery']],
    ['late again', ['delivery']],
    ['خیلی دیر رسید', ['delivery']],
  ])('"%s" still mentions the theme', (text, themes) => {
    expect(small.tag(text)).toEqual(themes);
  });

  test('a denied problem does not hide another theme in the same comment', () => {
    expect(small.tag('not late, but too expensive')).toEqual(['price']);
    expect(small.tag('دیر نبود ولی کیفیتش بد بود')).toEqual(['quality']);
  });

  test('without any damage and nothing broken: the built-in damaged theme is not raised', () => {
    expect(builtIn.tag('Arrived without any damage')).toEqual([]);
    expect(builtIn.tag('Nothing was broken')).toEqual([]);
    expect(builtIn.tag('بدون هیچ آسیبی رسید')).toEqual([]);
  });
});

describe('the dictionary', () => {
  test('a disabled theme tags nothing, and the others still do', () => {
    const tagger = compileThemes([define('delivery', ['late'], ['دیر'], false), define('price', ['expensive'], [])]);
    expect(tagger.tag('late and expensive')).toEqual(['price']);
    expect(tagger.tag('خیلی دیر رسید')).toEqual([]);
  });

  test('ids come back sorted, each once', () => {
    expect(small.tag('expensive, late, late again, and the app crashed; rude staff')).toEqual(['delivery', 'price', 'staff', 'website']);
  });

  test('English terms find Persian-free text and the other way round: one tagger for both languages', () => {
    expect(small.tag('delivery دیر بود and expensive')).toEqual(['delivery', 'price']);
  });

  test('the built-in dictionary has valid unique ids and a label and terms in both languages', () => {
    const ids = BUILT_IN_THEMES.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const theme of BUILT_IN_THEMES) {
      expect(theme.id).toMatch(THEME_ID);
      expect(theme.label.en && theme.label.fa).toBeTruthy();
      expect(theme.terms.en.length && theme.terms.fa.length).toBeGreaterThan(0);
    }
    expect(ids).toEqual(
      expect.arrayContaining([
        'delivery',
        'damaged',
        'price',
        'quality',
        'staff',
        'support',
        'refund',
        'website',
        'wrong-item',
        'availability',
      ]),
    );
  });

  test('the built-in dictionary reads the examples of the issue', () => {
    expect(builtIn.tag('fast delivery')).toEqual(['delivery']);
    expect(builtIn.tag('بسته\u200Cبندیش داغون بود')).toEqual(['damaged']);
    expect(builtIn.tag('I was charged twice and support never answered')).toEqual(['refund', 'support']);
    expect(builtIn.tag('سایتتون مدام خطا میده')).toEqual(['website']);
  });
});

describe('clauses', () => {
  test('punctuation ends a negation window: "No, it arrived late" is a mention', () => {
    expect(small.tag('No, it arrived late.')).toEqual(['delivery']);
    expect(small.tag('نه، دیر رسید')).toEqual(['delivery']);
    expect(small.tag('no it arrived late')).toEqual([]);
  });

  test('a phrase does not run across punctuation', () => {
    const onlyPhrase = compileThemes([define('delivery', ['arrived late'], [])]);
    expect(onlyPhrase.tag('It arrived. Late, as usual')).toEqual([]);
  });
});
