import { describe, expect, test } from 'vitest';
import type { TimelineItem } from '../../../shared/api/staff.js';
import { caseNote, readCaseNote, type CaseNote } from '../../../shared/case-notes.js';
import { apiErrorMessage, importProblemText } from '../../../web/i18n/api-errors.js';
import { jalaliInputText, parseJalaliDay } from '../../../web/i18n/jalali.js';
import { messages } from '../../../web/i18n/messages.js';
import { countText } from '../../../web/i18n/plural.js';
import { caseNoteText, timelineText } from '../../../web/i18n/timeline-text.js';
import { EMPTY_VIEW, segmentParams, validDays } from '../../../web/segment-query.js';
import { shortcutOf } from '../../../web/shortcuts.js';

const { en, fa } = messages;

describe('Jalali dates typed in the Persian dashboard', () => {
  test.each([
    ['۱۴۰۵/۰۹/۱۳', '2026-12-04'],
    ['1405/09/13', '2026-12-04'],
    ['۱۴۰۵/۹/۱۳', '2026-12-04'],
    ['١٤٠٥-٩-١٣', '2026-12-04'],
    [' 1405.9.13 ', '2026-12-04'],
    ['1403/12/30', '2025-03-20'], // 1403 is a leap year: Esfand has 30 days
    ['1404/01/01', '2025-03-21'], // Nowruz
    ['1399/10/11', '2020-12-31'],
  ])('%s is the day %s', (typed, day) => {
    expect(parseJalaliDay(typed)).toBe(day);
  });

  test.each(['1404/12/30', '1405/13/01', '1405/00/10', '1405/07/31', '05/09/13', '1405/09', 'فردا', ''])('%s is not a date', (typed) => {
    expect(parseJalaliDay(typed)).toBeNull();
  });

  test('a day is shown as year/month/day in Persian digits and reads back as the same day', () => {
    expect(jalaliInputText('2026-12-04')).toBe('۱۴۰۵/۰۹/۱۳');
    for (const day of ['2025-03-20', '2025-03-21', '2024-02-29', '2026-01-01', '2030-09-22']) {
      expect(parseJalaliDay(jalaliInputText(day))).toBe(day);
    }
  });
});

describe('counts through Intl.PluralRules', () => {
  test.each([
    [0, '0 cases'],
    [1, '1 case'],
    [2, '2 cases'],
    [1234, '1,234 cases'],
  ])('English: %i → %s', (count, text) => {
    expect(en.caseCount(count)).toBe(text);
  });

  test('Persian keeps the noun singular after a number and writes Persian digits', () => {
    expect(fa.caseCount(1)).toBe('۱ پرونده');
    expect(fa.caseCount(2)).toBe('۲ پرونده');
    expect(fa.memberCount(21)).toBe('۲۱ مشتری');
  });

  test('every counted English phrase says one and many apart', () => {
    expect([en.commentCount(1), en.memberCount(1), en.audienceSize(1), en.sendNow(1)]).toEqual([
      '1 comment shown',
      '1 customer',
      '1 customer',
      'Send to 1 customer',
    ]);
    expect(en.importCounts(1, '1', '0', '0', '0')).toBe('1 row: 1 imported, 0 updated, 0 already there, 0 failed.');
    expect(en.importCounts(3, '1', '0', '0', '2')).toMatch(/^3 rows:/);
  });

  test('a form the language lacks falls back to other', () => {
    expect(countText('en', 5, { other: '# things' })).toBe('5 things');
  });
});

describe('API errors in the dashboard’s language', () => {
  test.each([
    ['forbidden', 'the care role may not do this', undefined, 'Your role may not do this.', 'نقش شما اجازهٔ این کار را ندارد.'],
    ['not_found', 'no such webhook', undefined, 'Not found: it may have been deleted.', 'پیدا نشد؛ شاید حذف شده باشد.'],
    [
      'database_busy',
      'the database is busy…',
      undefined,
      'The server is busy and nothing was saved. Try again in a few seconds.',
      'سرور مشغول است و چیزی ذخیره نشد. چند ثانیه دیگر دوباره امتحان کنید.',
    ],
    [
      'network',
      'network',
      undefined,
      'The server cannot be reached. Check the connection and try again.',
      'سرور در دسترس نیست. اتصال را بررسی کنید و دوباره امتحان کنید.',
    ],
  ])('%s', (code, message, field, english, persian) => {
    expect(apiErrorMessage(en, { code, message, field })).toBe(english);
    expect(apiErrorMessage(fa, { code, message, field })).toBe(persian);
  });

  test('invalid input: English keeps the server’s precise words, Persian names the field in Persian', () => {
    const error = { code: 'invalid_input', message: 'url must use http or https', field: 'url' };
    expect(apiErrorMessage(en, error)).toBe('url must use http or https');
    expect(apiErrorMessage(fa, error)).toBe('مقدار «نشانی» پذیرفته نشد؛ آن را بررسی کنید.');
  });

  test('a field without a Persian name is shown by its own name, isolated', () => {
    expect(apiErrorMessage(fa, { code: 'invalid_input', message: 'attr.x is bad', field: 'attr.x' })).toBe(
      'مقدار «\u2068attr.x\u2069» پذیرفته نشد؛ آن را بررسی کنید.',
    );
  });

  test('a duplicate names the field', () => {
    expect(apiErrorMessage(en, { code: 'duplicate', message: 'exists', field: 'email' })).toBe('This email is already in use.');
    expect(apiErrorMessage(fa, { code: 'duplicate', message: 'exists', field: 'email' })).toBe('این ایمیل پیش‌تر ثبت شده است.');
  });

  test('an unknown code falls back to the server’s message', () => {
    expect(apiErrorMessage(fa, { code: 'brand_new_code', message: 'something new happened' })).toBe('something new happened');
  });
});

describe('import row problems', () => {
  test('Persian words each known problem; English shows the server’s reason', () => {
    const row = { row: 3, field: 'customer.email', reason: 'must be an email address', code: 'invalid_email' };
    expect(importProblemText(fa, 'fa', row)).toBe('نشانی ایمیل نیست');
    expect(importProblemText(en, 'en', row)).toBe('must be an email address');
  });

  test('an unknown or missing code leaves the server’s reason to be shown', () => {
    expect(importProblemText(fa, 'fa', { row: 2, field: 'x', reason: 'odd', code: 'odd_code' })).toBeNull();
    expect(importProblemText(fa, 'fa', { row: 2, field: 'x', reason: 'odd' })).toBeNull();
  });
});

describe('timeline and audit entries', () => {
  const at = '2026-12-04T10:00:00Z';
  const item = (kind: TimelineItem['kind'], detail: Record<string, unknown>): TimelineItem => ({
    at,
    kind,
    title: 'English title',
    detail,
  });

  test.each([
    [item('event', { type: 'purchase', externalId: 'A-1042' }), { text: 'Purchase', id: 'A-1042' }, { text: 'خرید', id: 'A-1042' }],
    [
      item('invitation', { surveyId: 'post-purchase', channel: 'sms', status: 'skipped', reason: 'opted_out' }),
      { text: 'After purchase survey by sms: not sent (opted out)' },
      { text: 'نظرسنجی پس از خرید با پیامک: فرستاده نشد (انصراف داده)' },
    ],
    [
      item('answer', { surveyId: 'post-purchase', score: 3, source: 'link' }),
      { text: 'After purchase: score 3 (one tap in the message)' },
      { text: 'پس از خرید: امتیاز ۳ (یک لمس در پیام)' },
    ],
    [
      item('consent', { purpose: 'marketing', granted: false }),
      { text: 'Marketing: consent withdrawn' },
      { text: 'بازاریابی: رضایت پس گرفته شد' },
    ],
    [
      item('autopilot', { channel: 'email', nextSendAt: at, lastSentAt: null }),
      { text: 'On autopilot by email: the next relationship survey is planned for this time' },
      { text: 'در ارسال خودکار با ایمیل: نظرسنجی بعدی برای این زمان برنامه‌ریزی شده است' },
    ],
    [
      item('invitation', { surveyId: 'relationship', channel: 'email', status: 'skipped', reason: 'left_autopilot' }),
      { text: 'Relationship (autopilot) survey by email: not sent (taken off autopilot)' },
      { text: 'نظرسنجی رابطه با ما (خودکار) با ایمیل: فرستاده نشد (از ارسال خودکار بیرون آمد)' },
    ],
    [
      item('case_entry', { entry: 'status', fromStatus: 'open', toStatus: 'contacted', note: 'Called, she will wait' }),
      { text: 'Status changed: Open → Contacted', note: 'Called, she will wait' },
      { text: 'تغییر وضعیت: باز ← تماس گرفته شد', note: 'Called, she will wait' },
    ],
  ])('%# is said in both languages; customer and staff text stays as written', (entry, english, persian) => {
    expect(timelineText(en, 'en', entry)).toEqual(english);
    expect(timelineText(fa, 'fa', entry)).toEqual(persian);
  });

  test('a planned follow-up is said in the dashboard’s language with the time in the Jalali calendar', () => {
    const note = caseNote({ kind: 'follow_up_planned', sendAt: '2026-12-05T06:30:00.000Z' });
    expect(caseNoteText(fa, 'fa', note)).toMatch(/^نظرسنجی پیگیری برای .*۱۴ آذر ۱۴۰۵.* برنامه‌ریزی شد$/);
    expect(caseNoteText(en, 'en', note)).toMatch(/^Follow-up survey planned for 5 Dec 2026/);
    expect(caseNoteText(fa, 'fa', caseNote({ kind: 'follow_up_not_sent', reason: 'opted_out' }))).toBe(
      'نظرسنجی پیگیری فرستاده نشد (انصراف داده)',
    );
  });

  test.each<CaseNote>([
    { kind: 'detractor_score', score: 3 },
    { kind: 'score_changed', from: null, to: 9 },
    { kind: 'owner', name: 'Neda Rahimi' },
    { kind: 'owner', name: null },
    { kind: 'follow_up_planned', sendAt: '2026-12-05T06:30:00.000Z' },
    { kind: 'follow_up_not_sent', reason: 'throttled' },
    { kind: 'follow_up_unsolved' },
    { kind: 'customer_confirmed' },
    { kind: 'overdue_alerted' },
  ])('Hami’s own note %o reads back as written and is said in Persian', (note) => {
    const stored = caseNote(note);
    expect(readCaseNote(stored)).toEqual(note);
    const persian = caseNoteText(fa, 'fa', stored);
    expect(persian).not.toContain(stored);
    expect(persian).not.toMatch(/\b(the|score|survey|owner|nobody|overdue|detractor|customer|follow)\b/i);
  });

  test('English words Hami’s notes too, numbers as numbers', () => {
    expect(caseNoteText(en, 'en', caseNote({ kind: 'score_changed', from: 2, to: 9 }))).toBe('The customer changed the score from 2 to 9');
    expect(caseNoteText(fa, 'fa', caseNote({ kind: 'detractor_score', score: 2 }))).toBe('منتقد: امتیاز ۲');
  });

  test('a note a person wrote is not mistaken for Hami’s own', () => {
    expect(readCaseNote('follow-up survey planned for next week')).toBeNull();
    expect(caseNoteText(fa, 'fa', 'follow-up survey planned for next week')).toBe('follow-up survey planned for next week');
  });
});

describe('keyboard shortcuts by the physical key', () => {
  test.each([
    [{ code: 'KeyJ', key: 'ت' }, 'next'],
    [{ code: 'KeyK', key: 'ن' }, 'previous'],
    [{ code: 'Slash', key: 'ظ' }, 'search'],
    [{ code: 'Enter', key: 'Enter' }, 'open'],
    [{ code: 'Escape', key: 'Escape' }, 'leave'],
    [{ code: '', key: 'j' }, 'next'],
    [{ code: 'KeyL', key: 'j' }, null],
  ])('%o → %s', (keys, shortcut) => {
    expect(shortcutOf({ ...keys, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false })).toBe(shortcut);
  });

  test('with a modifier the key is left to the browser', () => {
    expect(shortcutOf({ code: 'KeyJ', key: 'j', ctrlKey: true, metaKey: false, altKey: false, shiftKey: false })).toBeNull();
  });
});

describe('day counts in the segment builder', () => {
  test.each([
    ['۳۰', 30],
    ['30', 30],
    ['٩٠', 90],
    ['0', undefined],
    ['3651', undefined],
    ['1e2', undefined],
    ['۷.۵', undefined],
  ])('%s → %s', (typed, days) => {
    expect(validDays(typed)).toBe(days);
  });

  test('the API is sent Latin digits; the address keeps what was typed', () => {
    const view = { ...EMPTY_VIEW, answeredWithinDays: '۳۰' };
    expect(segmentParams(view, true).get('answeredWithinDays')).toBe('30');
    expect(segmentParams(view).get('answeredWithinDays')).toBe('۳۰');
  });
});
