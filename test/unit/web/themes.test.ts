import { describe, expect, test } from 'vitest';
import { apiErrorMessage } from '../../../web/i18n/api-errors.js';
import { messages } from '../../../web/i18n/messages.js';
import { formatSigned } from '../../../web/i18n/format.js';
import { overviewHash, parseOverviewQuery } from '../../../web/overview-query.js';

const { en, fa } = messages;

describe('the themes page in words', () => {
  test('the note on comparing many themes counts them and names the correction, in both languages', () => {
    expect(en.themesCompared(1, '5%')).toMatch(/^1 theme was compared at once\. .*Benjamini–Hochberg.* at most 5% /);
    expect(en.themesCompared(12, '5%')).toMatch(/^12 themes were compared at once\./);
    expect(fa.themesCompared(12, '۵٪')).toMatch(/^۱۲ موضوع هم‌زمان مقایسه شد\. .*بنجامینی–هوخبرگ.*۵٪/);
  });

  test.each([
    [-9.43, 'en', '-9.4'],
    [3.1, 'en', '+3.1'],
    [0, 'en', '0.0'],
    [-9.43, 'fa', '\u200e−۹٫۴'],
  ] as const)('an effect of %d points reads %s (%s)', (value, locale, text) => {
    expect(formatSigned(value, locale)).toBe(text);
  });

  test('the themes page keeps the overview’s filters in its address, with the chosen theme after them', () => {
    const view = parseOverviewQuery(
      new URLSearchParams('from=2026-01-01&to=2026-03-31&interval=month&survey=post-purchase&attr.product=Laptop'),
      'gregorian',
    );
    expect(overviewHash(view, 'themes', { theme: 'delivery' })).toBe(
      '#/themes?from=2026-01-01&to=2026-03-31&interval=month&survey=post-purchase&attr.product=Laptop&theme=delivery',
    );
    expect(overviewHash(view)).toBe('#/overview?from=2026-01-01&to=2026-03-31&interval=month&survey=post-purchase&attr.product=Laptop');
    // No theme chosen: no empty parameter.
    expect(overviewHash(view, 'themes', { theme: undefined })).not.toContain('theme=');
  });
});

describe('the theme dictionary’s refusals in the dashboard’s language', () => {
  test('a bad name or word of a theme is named by what it is, not by its path', () => {
    // Which language's field it is, too: a theme has each in both.
    expect(apiErrorMessage(fa, { code: 'invalid_input', message: 'is required', field: 'label.fa' })).toBe(
      'مقدار «نام (فارسی)» پذیرفته نشد؛ آن را بررسی کنید.',
    );
    expect(apiErrorMessage(fa, { code: 'invalid_input', message: 'has at most 60 characters', field: 'terms.en.3' })).toBe(
      'مقدار «واژه‌ها و عبارت‌ها (انگلیسی)» پذیرفته نشد؛ آن را بررسی کنید.',
    );
    // English shows the server's precise words.
    expect(apiErrorMessage(en, { code: 'invalid_input', message: 'has at most 60 characters', field: 'terms.en.3' })).toBe(
      'has at most 60 characters',
    );
    // A field nobody named stays itself, isolated inside the Persian sentence.
    expect(apiErrorMessage(fa, { code: 'invalid_input', message: 'bad', field: 'x.y' })).toContain('\u2068x.y\u2069');
  });
});
