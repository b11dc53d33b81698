import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readCaseNote } from '../../shared/case-notes.js';
import { ManualClock } from '../helpers/clock.js';
import type { TestHami } from '../helpers/hami.js';
import { ADMIN, signIn } from '../helpers/staff.js';
import type { TestSmtpServer } from '../helpers/smtp.js';
import { customerAnswers, ROOT, signInWithForm, E2E_NOW, startBrowserRig, type BrowserRig, type TestBrowser } from './browser.js';

/**
 * The dashboard in Persian, at a phone's width and a desktop's: a case's timeline and audit trail in Persian words
 * with Jalali dates in local time (the order id and the staff note as written, isolated); a server error said in
 * Persian, naming the field in Persian; Jalali dates typed into the overview's filter and read back; code inside
 * Persian text isolated; the callback list's j key working under a Persian keyboard layout; import row errors in
 * Persian with Persian row numbers. (No sideways scrolling at 390 px is the phone layout's test.)
 */

const CUSTOMER = { id: 'cust-maryam', email: 'maryam@example.com', name: 'مریم', locale: 'fa' };
const ORDER = 'ORD-2041/b';
const NOTE = 'Called Maryam; courier ref #A-17 (DHL)';
const TEHRAN_TIME = new Intl.DateTimeFormat('fa-IR-u-ca-persian', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tehran' });
const JALALI_NUMERIC = new Intl.DateTimeFormat('fa-IR-u-ca-persian-nu-latn', {
  timeZone: 'UTC',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

describe('the dashboard in Persian (Chromium)', () => {
  let rig: BrowserRig | undefined;
  let hami: TestHami;
  let smtp: TestSmtpServer;
  let browser: TestBrowser;
  let page: Page;
  let caseId = '';
  let followUpAt = '';
  const clock = new ManualClock(E2E_NOW);

  beforeAll(async () => {
    rig = await startBrowserRig(clock);
    ({ smtp, hami, browser } = rig);
    page = browser.page;
    await customerAnswers(hami, smtp, { customer: CUSTOMER, id: ORDER, score: 2, comment: 'بسته دیر رسید.' });
    const admin = await signIn(hami, ADMIN.email, ADMIN.password);
    caseId = (await admin.call('GET', '/api/callbacks')).body.items[0].id;
    expect((await admin.call('PATCH', `/api/callbacks/${caseId}`, { status: 'contacted', note: NOTE })).status).toBe(200);
    const resolved = await admin.call('PATCH', `/api/callbacks/${caseId}`, {
      status: 'resolved',
      reason: 'shipping_delay',
      outcome: 'بسته تازه فرستاده شد.',
    });
    expect(resolved.status).toBe(200);
    const planned = readCaseNote(resolved.body.history.find((e: { kind: string }) => e.kind === 'follow_up').note);
    if (planned?.kind !== 'follow_up_planned') throw new Error('no follow-up survey was planned');
    followUpAt = planned.sendAt;
    // The staff member chose Persian earlier: the dashboard opens in it.
    await browser.context.addInitScript(`if (location.protocol.startsWith('http')) localStorage.setItem('hami.locale', 'fa')`);
    await page.goto(`${hami.url}/app/`);
    await signInWithForm(page, ADMIN.email, ADMIN.password);
    await page.locator('h1#overview-title').waitFor();
  }, 120_000);
  afterAll(() => rig?.stop());

  /** A fresh load of the page (a hash change alone would keep the last page's state). */
  const go = async (hash: string, ready: string) => {
    await page.goto('about:blank');
    await page.goto(`${hami.url}/app/#/${hash}`);
    await page.locator(ready).first().waitFor();
  };

  test.each([390, 1440])(
    '%i px: the timeline and the audit trail speak Persian, in local time with Jalali dates',
    async (width) => {
      await page.setViewportSize({ width, height: 900 });
      await go(`callbacks/${caseId}`, 'ol.timeline li');
      expect(await browser.js<string>('document.documentElement.dir')).toBe('rtl');
      const timeline = await browser.text('ol.timeline');
      expect(timeline).toContain('خرید');
      expect(timeline).toContain('نظرسنجی پس از خرید با ایمیل');
      expect(timeline).toContain('پس از خرید: امتیاز ۲');
      expect(timeline).not.toMatch(/post-purchase|by email|purchase ORD/);
      // The order id from the shop is shown as written, isolated from the Persian around it.
      expect(await page.locator('ol.timeline bdi.external-id').first().textContent()).toBe(ORDER);
      expect(await browser.js<string>(`getComputedStyle(document.querySelector('ol.timeline bdi.external-id')).unicodeBidi`)).toBe(
        'isolate',
      );

      const trail = await browser.text('ol.trail');
      expect(trail).toContain('تماس گرفته شد');
      expect(trail).toContain(NOTE);
      // The follow-up survey's time: Persian words, the Jalali date in the browser's zone (Tehran), Persian digits.
      expect(trail).toContain(`نظرسنجی پیگیری برای ${TEHRAN_TIME.format(new Date(followUpAt))} برنامه‌ریزی شد`);
      expect(trail).toContain('منتقد: امتیاز ۲');
      expect(trail).not.toMatch(/follow-up survey planned|detractor score/);
    },
    30_000,
  );

  test.each([390, 1440])(
    '%i px: a Jalali date typed in Persian or Latin digits filters the overview and reads back',
    async (width) => {
      await page.setViewportSize({ width, height: 900 });
      await go('overview', '#f-from');
      const day = new Date(E2E_NOW.getTime() - 10 * 86_400_000).toISOString().slice(0, 10);
      const latin = JALALI_NUMERIC.format(new Date(`${day}T00:00:00Z`)); // e.g. 1405/08/23
      const persian = latin.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
      for (const typed of [persian, latin.replace(/\/0/g, '/')]) {
        await page.fill('#f-from', typed);
        await page.press('#f-from', 'Enter');
        await browser.waitUntil(`location.hash.includes('from=${day}')`);
        expect(await page.inputValue('#f-from')).toBe(persian);
        expect(await page.textContent('#f-from-hint')).toMatch(/[۰-۹]+ [^\d\s]+ ۱۴[۰-۹]{2}/);
        await go(`overview?from=${new Date(E2E_NOW.getTime() - 20 * 86_400_000).toISOString().slice(0, 10)}`, '#f-from');
      }
      await page.fill('#f-from', '1405/13/01');
      await page.press('#f-from', 'Enter');
      expect(await page.textContent('#f-from-error')).toContain('۱۴۰۵/۰۹/۱۳');
      expect(await page.getAttribute('#f-from', 'aria-invalid')).toBe('true');
    },
    30_000,
  );

  test.each([390, 1440])(
    '%i px: j on a Persian keyboard layout (key "ت", code KeyJ) moves down the callback list',
    async (width) => {
      await page.setViewportSize({ width, height: 900 });
      await go('callbacks?status=resolved', 'a.row-link');
      await browser.js(`document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'ت', code: 'KeyJ', bubbles: true }))`);
      await browser.waitUntil(`document.activeElement?.classList.contains('row-link')`);
      expect(await browser.js<string>('document.activeElement.textContent')).toBe(CUSTOMER.name);
      await browser.js(`document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'ظ', code: 'Slash', bubbles: true }))`);
      expect(await browser.js<string>('document.activeElement?.id')).toBe('f-text');
    },
    30_000,
  );

  test.each([390, 1440])(
    '%i px: Settings in Persian: code isolated, a server error in Persian, import row errors in Persian',
    async (width) => {
      await page.setViewportSize({ width, height: 900 });
      await go('settings', '#webhooks-title');
      // Code inside Persian text keeps its own left-to-right order.
      const header = `[...document.querySelectorAll('code')].find((code) => code.textContent === 'Authorization: Bearer <key>')`;
      expect(await browser.js<string>(`${header}.dir`)).toBe('ltr');
      expect(await browser.js<string>(`getComputedStyle(${header}).unicodeBidi`)).toBe('isolate');
      expect(await page.locator('code[dir=ltr]', { hasText: 'X-Hami-Signature' }).count()).toBe(1);

      // The server refuses the address (invalid_input, field url): the page says so in Persian and names the field.
      await page.click('button:has-text("افزودن وب‌هوک")');
      await page.fill('#hook-url', 'ftp://nowhere.example/x');
      await page.click('.webhook-form button[type=submit]');
      expect(await page.textContent('#hook-url-error')).toBe('مقدار «نشانی» پذیرفته نشد؛ آن را بررسی کنید.');

      await page.selectOption('#import-kind', 'events');
      await page.setInputFiles('#import-file', path.join(ROOT, 'test/fixtures/imports/events.csv'));
      await page.click('.import-settings button[type=submit]');
      await page.locator('.import-report table').waitFor();
      const rows = await page.locator('.import-report tbody tr').allInnerTexts();
      expect(rows[0]).toMatch(/^۳\s+customer\.email\s+نشانی ایمیل نیست$/);
      expect(rows[2]).toMatch(/^۵\s+customer\.id\s+لازم است$/);
      expect(await page.textContent('.import-report p')).toMatch(/^۵ ردیف:/);
      expect(browser.pageErrors).toEqual([]);
    },
    30_000,
  );
});
