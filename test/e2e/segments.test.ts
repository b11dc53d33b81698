import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { eventually, type TestHami } from '../helpers/hami.js';
import { ManualClock } from '../helpers/clock.js';
import type { TestSmtpServer } from '../helpers/smtp.js';
import { ADMIN, signIn, staffMember, type StaffClient } from '../helpers/staff.js';
import {
  customerAnswers,
  mailsTo,
  signInWithForm,
  E2E_NOW,
  startBrowserRig,
  type Answering,
  type BrowserRig,
  type TestBrowser,
} from './browser.js';

/**
 * The Segments page in a real browser on a real server: customers answer in English and Persian (one with a name
 * that is markup and a comment that is a spreadsheet formula); marketing builds a promoter segment, sees the live
 * count and the members, opens a timeline, saves the segment and finds it again after a reload, exports it as CSV
 * (parsed here: BOM, formula neutralised, Persian intact), sends a referral by email that arrives at the loopback
 * SMTP server with the results following on the page, and reads why a review request goes to everyone. Then the
 * page in Persian, and care, who is not offered Segments at all.
 */

const HOSTILE_NAME = '<img src=x onerror="window.__hacked=1">Eve';
const FORMULA = '=HYPERLINK("http://evil.example","click me")';
const SARA = 'سارا احمدی';
const SARA_COMMENT = 'عالی بود، ممنون از ارسال سریع';

const people: { id: string; name: string; locale: 'en' | 'fa'; score: number; comment?: string; product: string }[] = [
  { id: 'ana', name: 'Ana Lopez', locale: 'en', score: 10, comment: 'Fast delivery, lovely laptop', product: 'Laptop' },
  { id: 'sara', name: SARA, locale: 'fa', score: 9, comment: SARA_COMMENT, product: 'Headphones' },
  { id: 'eve', name: HOSTILE_NAME, locale: 'en', score: 10, comment: FORMULA, product: 'Laptop' },
  { id: 'pat', name: 'Pat Kim', locale: 'en', score: 8, product: 'Laptop' },
  { id: 'reza', name: 'رضا کریمی', locale: 'fa', score: 7, comment: 'بد نبود', product: 'Headphones' },
  { id: 'dan', name: 'Dan Brown', locale: 'en', score: 3, comment: 'Arrived broken', product: 'Headphones' },
  { id: 'mina', name: 'مینا رضایی', locale: 'fa', score: 5, product: 'Laptop' },
];
const promoters = people.filter((p) => p.score >= 9);
const emailOf = (id: string) => `${id}@example.com`;
const fa = (n: number) => new Intl.NumberFormat('fa-IR').format(n);

describe('marketing builds, saves, exports and acts on a promoter segment (Chromium)', () => {
  let smtp: TestSmtpServer;
  let hami: TestHami;
  let browser: TestBrowser;
  let page: Page;
  let care: StaffClient;
  let marketing: StaffClient;
  // Midday in Tehran: messages are not held back by the customers' quiet hours.
  const clock = new ManualClock(new Date(Date.UTC(E2E_NOW.getUTCFullYear(), E2E_NOW.getUTCMonth(), E2E_NOW.getUTCDate(), 9)));

  const memberNames = () => browser.js<string[]>(`[...document.querySelectorAll('.member-table tbody th')].map((th) => th.textContent)`);
  const resultCell = (count: string) =>
    browser.js<string | null>(
      `document.querySelector('.action-results tbody tr [data-count="${count}"]')?.firstChild?.textContent ?? null`,
    );

  const signInAs = (email: string, password: string) => signInWithForm(page, email, password);

  let rig: BrowserRig | undefined;
  // Customers answer in English and Persian: promoters, passives and detractors. The segment throttle is off: the tests
  // that message a segment must not find its members throttled by another test's message.
  beforeAll(async () => {
    rig = await startBrowserRig(clock, { HAMI_SEGMENT_THROTTLE_DAYS: '0' });
    ({ smtp, hami, browser } = rig);
    page = browser.page;
    const answering: Answering[] = people.map((p) => ({
      customer: { id: p.id, email: emailOf(p.id), name: p.name, locale: p.locale },
      id: `order-${p.id}`,
      score: p.score,
      comment: p.comment,
      attributes: { product: p.product },
    }));
    await Promise.all(answering.map((a) => customerAnswers(hami, smtp, a)));
    const admin = await signIn(hami, ADMIN.email, ADMIN.password);
    marketing = await staffMember(hami, admin, 'marketing', 'Mina Marketing');
    care = await staffMember(hami, admin, 'care', 'Cyrus Care');
  }, 150_000);
  afterAll(() => rig?.stop());
  // Each test starts signed out from a browser that has never seen the dashboard, with no saved segment.
  beforeEach(() => browser.reset(hami.url));
  afterEach(async () => {
    for (const saved of (await marketing.call('GET', '/api/segments')).body.items as { id: string }[]) {
      expect((await marketing.call('DELETE', `/api/segments/${saved.id}`)).status).toBe(204);
    }
  });

  /** Marketing signed in, on the segments page at `hash` (the promoter builder unless told). */
  async function openSegments(hash = '#/segments?bucket=promoter'): Promise<void> {
    await page.goto(`${hami.url}/app/`);
    await signInAs(marketing.email, marketing.password);
    await page.locator('h1#overview-title').waitFor();
    await page.goto(`${hami.url}/app/${hash}`);
    await page.locator('h1#segments-title').waitFor();
    await browser.waitUntil(`document.querySelectorAll('.member-table tbody tr').length > 0`, 10_000);
  }

  /** "Promoters to thank" saved (as the builder saves it) and open. */
  async function openSavedPromoters(): Promise<string> {
    const saved = await marketing.call('POST', '/api/segments', { name: 'Promoters to thank', filter: { buckets: ['promoter'] } });
    expect(saved.status).toBe(201);
    const id: string = saved.body.id;
    await openSegments(`#/segments/${id}?bucket=promoter`);
    await page.locator('.saved-list li').first().waitFor({ timeout: 10_000 });
    return id;
  }

  test('marketing builds a promoter segment: the count and the members follow the filters and the address', async () => {
    await page.goto(`${hami.url}/app/`);
    await signInAs(marketing.email, marketing.password);
    await page.locator('h1#overview-title').waitFor();
    expect(await browser.js<string[]>(`[...document.querySelectorAll('header.top nav a')].map((a) => a.textContent)`)).toEqual([
      'Overview',
      'Themes',
      'Segments',
    ]);
    await page.click('header.top nav a[href="#/segments"]');
    await page.locator('h1#segments-title').waitFor();

    // No score group ticked: everyone who answered.
    await browser.waitUntil(`document.querySelector('.segment-count')?.dataset.count === '${people.length}'`, 10_000);
    await page.check('input[name=bucket][value=promoter]');
    await browser.waitUntil(`location.hash.includes('bucket=promoter')`);
    await browser.waitUntil(`document.querySelector('.segment-count')?.dataset.count === '${promoters.length}'`, 10_000);
    expect(await browser.text('.segment-count')).toBe(`${promoters.length} customers`);
    await browser.waitUntil(`document.querySelectorAll('.member-table tbody tr').length === ${promoters.length}`, 10_000);
    expect((await memberNames()).sort()).toEqual(promoters.map((p) => p.name).sort());

    // Customer text is text: the markup in a name is shown, never run.
    expect(await browser.js('document.querySelectorAll(".member-table img").length')).toBe(0);
    expect(await browser.js('window.__hacked')).toBeUndefined();
    expect(await browser.text('.member-table')).toContain(FORMULA);
    expect(await browser.text('.member-table')).toContain(SARA_COMMENT);
    expect(await browser.js('document.querySelectorAll(".member-table .bucket-promoter").length')).toBe(promoters.length);

    // Another filter narrows it live, and the address carries it; clearing it brings the three back. While the new
    // members load, the old rows stay dimmed under "Updating…", the list marked busy, so they cannot pass for the new.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const membersPath = (url: URL) => url.pathname === '/api/segments/members';
    await page.route(membersPath, async (route) => {
      await gate;
      await route.continue();
    });
    await page.selectOption('#s-attr-product', 'Headphones');
    await browser.waitUntil(`document.querySelector('section.members')?.getAttribute('aria-busy') === 'true'`);
    expect(await browser.text('section.members [data-busy-note]')).toBe('Updating…');
    expect(await page.locator('.member-table tbody tr').count()).toBe(promoters.length);
    release();
    await browser.waitUntil(`document.querySelector('section.members')?.getAttribute('aria-busy') === 'false'`);
    // Every held request has gone on by now: the route can go.
    await page.unroute(membersPath);
    expect(await page.locator('section.members [data-busy-note]').count()).toBe(0);
    await browser.waitUntil(`location.hash.includes('attr.product=Headphones')`);
    await browser.waitUntil(`document.querySelector('.segment-count')?.dataset.count === '1'`, 10_000);
    await browser.waitUntil(`document.querySelectorAll('.member-table tbody tr').length === 1`);
    await page.selectOption('#s-attr-product', '');
    await browser.waitUntil(`document.querySelector('.segment-count')?.dataset.count === '${promoters.length}'`, 10_000);

    // A wrong number of days is marked and not sent to the API.
    await page.fill('#s-notContactedDays', '0');
    await browser.waitUntil(`document.querySelector('#s-notContactedDays').getAttribute('aria-invalid') === 'true'`);
    await page.fill('#s-notContactedDays', '');
    expect(browser.pageErrors).toEqual([]);
  }, 30_000);

  test('a member opens their timeline in a side panel; Escape closes it', async () => {
    await openSegments();
    await page.click(`.member-table button:has-text("${SARA}")`);
    await page.locator('dialog.side-panel[open]').waitFor();
    await browser.waitUntil(`document.querySelectorAll('dialog.side-panel .timeline li').length > 0`, 10_000);
    expect(await browser.text('dialog.side-panel')).toContain(SARA_COMMENT);
    expect(await browser.text('dialog.side-panel')).toContain('Answer');
    await page.keyboard.press('Escape');
    await browser.waitUntil(`!document.querySelector('dialog.side-panel')`);
  }, 20_000);

  test('saved under a name, the segment is listed with its live count and found again after a reload', async () => {
    await openSegments();
    await page.fill('#segment-name', 'Promoters to thank');
    await page.click('.save-form button[type=submit]');
    await browser.waitUntil(`/^#\\/segments\\/[^?]+\\?bucket=promoter$/.test(location.hash)`, 10_000);
    await browser.waitUntil(`document.querySelector('.saved-list')?.textContent.includes('Promoters to thank')`, 10_000);
    expect(await browser.text('.saved-list li')).toContain(`${promoters.length} customers`);

    await page.reload();
    await page.locator('.saved-list li').first().waitFor({ timeout: 10_000 });
    expect(await browser.text('.saved-list')).toContain('Promoters to thank');
    expect(await page.isChecked('input[name=bucket][value=promoter]')).toBe(true);
    expect(await browser.js('document.querySelector(".saved-list a[aria-current=page]")?.textContent')).toBe('Promoters to thank');
  }, 20_000);

  test('the CSV export downloads with a BOM, formulas neutralised and Persian intact', async () => {
    await openSavedPromoters();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-export=csv]')]);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.email).sort()).toEqual(promoters.map((p) => emailOf(p.id)).sort());
    const eve = rows.find((r) => r.email === emailOf('eve'))!;
    expect(eve.comment).toBe(`'${FORMULA}`);
    expect(eve.name).toBe(HOSTILE_NAME);
    const sara = rows.find((r) => r.email === emailOf('sara'))!;
    expect(sara.name).toBe(SARA);
    expect(sara.comment).toBe(SARA_COMMENT);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
  }, 20_000);

  test('a referral by email: the dialog shows the audience and the message; mails arrive; the results follow', async () => {
    await openSavedPromoters();
    await page.click('[data-action=referral]');
    await page.locator('dialog.action-dialog[open]').waitFor();
    await browser.waitUntil(`document.querySelector('.audience-size')?.textContent === '${promoters.length} customers'`, 10_000);
    expect(await browser.js('document.querySelector(".audience").dataset.audience')).toBe('segment');
    expect(await browser.js('!!document.querySelector("dialog .gating")')).toBe(false);
    await page.locator('[data-preview=fa]').waitFor();
    expect(await browser.text('[data-preview=en]')).toContain('A gift for you and a friend');
    expect(await browser.js('document.querySelector("[data-preview=fa]").dir')).toBe('rtl');
    await page.click(`dialog.action-dialog button[type=submit]`);
    await browser.waitUntil(`!document.querySelector('dialog.action-dialog')`);

    // Each promoter gets the message in their own language; nobody else gets one.
    const referrals = () => smtp.messages.filter((mail) => /gift|هدیه/.test(mail.subject ?? ''));
    await eventually(() => referrals().length === promoters.length || undefined, 10_000);
    expect(mailsTo(smtp, emailOf('sara')).some((mail) => mail.subject === 'هدیه‌ای برای شما و دوستتان')).toBe(true);
    expect(
      referrals().every((mail) => promoters.some((p) => (mail.to && 'text' in mail.to ? mail.to.text : '').includes(emailOf(p.id)))),
    ).toBe(true);

    await browser.waitUntil(
      `document.querySelector('.action-results tbody tr [data-count="sent"]')?.textContent === '${promoters.length}'`,
      10_000,
    );
    expect(await resultCell('planned')).toBe(String(promoters.length));
    expect(await resultCell('skipped')).toBe('0');
    expect(await resultCell('clicked')).toBe('0');

    // Ana follows the tracked link; the click shows on the segment.
    const link = String(mailsTo(smtp, emailOf('ana')).find((mail) => /gift/.test(mail.subject ?? ''))!.text).match(
      /https?:\/\/\S+\/r\/\S+/,
    )![0];
    const followed = await fetch(link, { redirect: 'manual' });
    expect(followed.status).toBe(302);
    await page.reload();
    await browser.waitUntil(`document.querySelector('.action-results tbody tr [data-count="clicked"]')?.textContent === '1'`, 10_000);
    await browser.waitUntil(`document.querySelectorAll('.member-table tbody tr').length === ${promoters.length}`, 10_000);
    await browser.shot('segments-en.png');
  }, 30_000);

  test('a review request says why it goes to everyone who answered, and how many that is', async () => {
    await openSavedPromoters();
    await page.click('[data-action=review_request]');
    await page.locator('dialog.action-dialog[open]').waitFor();
    expect(await browser.js('document.querySelector(".audience").dataset.audience')).toBe('all_answered');
    expect(await browser.text('dialog .gating')).toContain('forbid asking only happy customers');
    await browser.waitUntil(`document.querySelector('.audience-size')?.textContent === '${people.length} customers'`, 10_000);
    expect(await browser.text('dialog.action-dialog button[type=submit]')).toBe(`Send to ${people.length} customers`);
    await page.keyboard.press('Escape');
    await browser.waitUntil(`!document.querySelector('dialog.action-dialog')`);
    expect(browser.pageErrors).toEqual([]);
  }, 20_000);

  test('in Persian: right to left, Persian digits, Jalali dates', async () => {
    // A sent review request, so the results table has figures to write in Persian digits.
    const id = await openSavedPromoters();
    expect((await marketing.call('POST', `/api/segments/${id}/actions`, { kind: 'review_request', channel: 'email' })).status).toBe(202);
    await page.reload();
    await page.locator('.action-results tbody tr').first().waitFor({ timeout: 10_000 });
    await page.click('header.top button[lang=fa]');
    await page.locator('h1:text("بخش‌بندی مشتریان")').waitFor();
    expect(await browser.js('document.documentElement.dir')).toBe('rtl');
    await browser.waitUntil(`document.querySelector('.segment-count')?.textContent === '${fa(promoters.length)} مشتری'`, 10_000);
    const answered = await browser.js<string[]>(`[...document.querySelectorAll('.member-table tbody td time')].map((t) => t.textContent)`);
    expect(answered.length).toBe(promoters.length);
    const jalaliYear = new Intl.DateTimeFormat('fa-IR-u-ca-persian', { year: 'numeric' }).format(clock.now());
    for (const text of answered) {
      expect(text).toMatch(/[۰-۹]/);
      expect(text).not.toMatch(/[0-9]/);
      expect(text).toContain(jalaliYear.replace(/\D*$/, ''));
    }
    expect(await browser.text('.action-results tbody')).not.toMatch(/[0-9]/);
    expect(await browser.text('.saved-list li')).toContain(`${fa(promoters.length)} مشتری`);
    await browser.shot('segments-fa.png');
    await page.click('header.top button[lang=en]');
    await page.locator('h1:text("Segments")').waitFor();
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations()).toEqual([]);
  }, 20_000);

  test('changed filters must be saved before acting; a deleted segment leaves its filters in the builder', async () => {
    await openSavedPromoters();
    await page.check('input[name=bucket][value=passive]');
    await page.locator('.save-form .dirty button').waitFor();
    expect(await browser.text('.save-form .dirty button')).toBe('Save changes to “Promoters to thank”');
    expect(await page.isDisabled('[data-action=referral]')).toBe(true);
    expect(await browser.text('.segment-actions')).toContain('Save the changes first');
    await page.uncheck('input[name=bucket][value=passive]');
    await browser.waitUntil(`!document.querySelector('.save-form .dirty')`);
    expect(await page.isDisabled('[data-action=referral]')).toBe(false);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('.saved-list button:has-text("Delete")');
    await browser.waitUntil(`document.querySelector('.saved-segments')?.textContent.includes('No saved segments yet.')`, 10_000);
    await browser.waitUntil(`location.hash === '#/segments?bucket=promoter'`);
    expect(await page.isChecked('input[name=bucket][value=promoter]')).toBe(true);
    expect(await page.isDisabled('[data-action=referral]')).toBe(true);
    expect(browser.pageErrors).toEqual([]);
  }, 20_000);

  test('care is not offered Segments, and its address leads back to the overview', async () => {
    await page.goto(`${hami.url}/app/`);
    await signInAs(care.email, care.password);
    await page.locator('h1#overview-title').waitFor();
    expect(await browser.js<string[]>(`[...document.querySelectorAll('header.top nav a')].map((a) => a.textContent)`)).toEqual([
      'Overview',
      'Themes',
      'Callbacks',
    ]);
    await page.goto(`${hami.url}/app/#/segments?bucket=promoter`);
    await browser.waitUntil(`location.hash.startsWith('#/overview')`);
    expect(await page.locator('.segment-builder').count()).toBe(0);
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations()).toEqual([]);
  }, 20_000);
});
