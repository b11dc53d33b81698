import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { outcomeMessage } from '../../shared/outcome-message.js';
import { DAY, MINUTE, ManualClock } from '../helpers/clock.js';
import { drainJobs, eventually, type TestHami } from '../helpers/hami.js';
import type { TestSmtpServer } from '../helpers/smtp.js';
import { signIn } from '../helpers/staff.js';
import {
  customerAnswers as answer,
  E2E_NOW,
  signInWithForm,
  startBrowserRig,
  mailsTo as mailsFor,
  type BrowserRig,
  type TestBrowser,
  type TestCustomer,
} from './browser.js';

/**
 * The care team's loop in a real browser: a customer taps 2 in the survey email, a care person signs in to the
 * dashboard, finds the newest detractor, claims it, notes the call, resolves it with a reason and a message, and
 * the customer gets that message and, a day later, the follow-up survey. Screenshots land in HAMI_SCREENSHOTS_DIR (web/docs/ to refresh the README).
 */

const ADMIN = { email: 'admin@localhost', password: 'correct horse battery' };
const CARE = { email: 'neda@example.com', name: 'Neda Rahimi', password: 'a long enough password' };
const SARA = { id: 'cust-sara', email: 'sara@example.com', name: 'سارا', phone: '+989121234567', locale: 'fa' };
const ANA = { id: 'cust-ana', email: 'ana@example.com', name: 'Ana Silva', locale: 'en' };
const OUTCOME = 'یک بسته تازه امروز برایتان فرستادیم و هزینه ارسال را هم برگرداندیم.';

describe('care staff work a detractor callback in the dashboard (Chromium)', () => {
  let smtp: TestSmtpServer;
  let hami: TestHami;
  let browser: TestBrowser;
  let page: Page;
  // The server's time starts when the browser's does (the browser shows "in 24 hours", not a date long past) and is
  // moved by hand to let the follow-up survey's day-long delay pass. Each test has its own server, clock and browser.
  let clock: ManualClock;

  const mailsTo = (address: string) => mailsFor(smtp, address);

  async function staffFetch(cookie: string, csrf: string, method: string, url: string, body?: unknown) {
    const response = await fetch(`${hami.url}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const customerAnswers = (customer: TestCustomer, id: string, score: number, comment: string) =>
    answer(hami, smtp, { customer, id, score, comment });
  const text = (selector: string) => browser.text(selector);
  const shot = (name: string) => browser.shot(name);
  const js = <T>(expression: string) => browser.js<T>(expression);
  const waitUntil = (expression: string) => browser.waitUntil(expression);
  const htmlDir = () => js<string>('document.documentElement.dir');
  const focusedId = () => js<string | undefined>('document.activeElement?.id');
  const firstRowIs = (name: string) =>
    waitUntil(`document.querySelector('table.callbacks tbody .row-link')?.textContent === ${JSON.stringify(name)}`);

  let rig: BrowserRig | undefined;
  // Two customers answer as detractors by one tap in their survey email; the admin has made the care person's account.
  beforeEach(async () => {
    clock = new ManualClock(E2E_NOW);
    rig = await startBrowserRig(clock);
    ({ smtp, hami, browser } = rig);
    page = browser.page;

    const login = await fetch(`${hami.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const created = await staffFetch(cookie, csrfToken, 'POST', '/api/users', {
      email: CARE.email,
      name: CARE.name,
      role: 'care',
      password: CARE.password,
    });
    expect(created.status).toBe(201);

    await customerAnswers(ANA, 'order-7001', 3, 'The laptop arrived with a cracked screen and nobody answered my emails for three days.');
    clock.advance(5 * MINUTE);
    await customerAnswers(SARA, 'order-7002', 2, 'بسته دو هفته دیر رسید و جعبه‌اش پاره بود. کسی هم جواب تلفن را نداد.');
  }, 90_000);
  afterEach(() => rig?.stop());

  /** The care person signed in through the form, on the callback list. */
  async function openCallbacksAsCare(): Promise<void> {
    await page.goto(`${hami.url}/app/#/callbacks`);
    await signInWithForm(page, CARE.email, CARE.password);
    await page.locator('table.callbacks tbody tr').first().waitFor({ timeout: 10_000 });
  }

  test('the care person signs in, finds the newest detractor with the keyboard, claims it, notes the call and resolves it', async () => {
    await page.goto(`${hami.url}/app/`);

    // Sign-in: the first field has focus; a wrong password says so.
    await page
      .locator('#login-email')
      .waitFor({ timeout: 10_000 })
      .catch((error: Error) => {
        throw new Error(
          `the dashboard did not start in the browser:\n${[...browser.pageErrors, ...browser.consoleErrors].join('\n') || error.message}`,
        );
      });
    expect(await focusedId()).toBe('login-email');
    await page.fill('#login-email', CARE.email);
    await page.fill('#login-password', 'not the password');
    await page.click('button[type=submit]');
    expect(await text('[role=alert]')).toBe('Wrong email or password.');
    await page.fill('#login-password', CARE.password);
    await page.click('button[type=submit]');

    // Everyone lands on the overview; care staff reach the callback list through the navigation.
    await page.locator('h1#overview-title').waitFor();
    await page.click('header.top nav a[href="#/callbacks"]');

    // The callback list: both cases, the earliest due first; the header names the care person and the role.
    await page.locator('table.callbacks').waitFor();
    expect(page.url()).toMatch(/\/app\/#\/callbacks$/);
    expect(await text('.who')).toContain(CARE.name);
    expect(await text('.role')).toBe('Care');
    const names = () => page.locator('table.callbacks tbody .row-link').allInnerTexts();
    expect(await names()).toEqual([ANA.name, SARA.name]);
    const firstRow = page.locator('table.callbacks tbody tr').first();
    expect(await firstRow.innerText()).toContain('Detractor');
    // A screen reader hears the score out of 10 (the bare digit is hidden from it).
    expect(await firstRow.locator('.score').ariaSnapshot()).toContain('3 of 10');
    expect(await firstRow.innerText()).toContain('The laptop arrived with a cracked screen');
    expect(await firstRow.innerText()).toContain('Unassigned');
    expect(await firstRow.innerText()).toMatch(/in 24 hours|in 1 day|tomorrow/);
    await shot('callbacks-en.png');

    // Persian: right-to-left, Persian digits and Jalali dates, and the choice survives a reload.
    await page.click('header.top button[lang=fa]');
    await page.locator('h1:text("تماس‌های پیگیری")').waitFor();
    expect(await htmlDir()).toBe('rtl');
    expect(await js('document.documentElement.lang')).toBe('fa');
    expect(await text('.page-head .muted')).toBe('۲ پرونده');
    expect(await firstRow.innerText()).toMatch(/[۰-۹]/);
    expect(await firstRow.locator('time').innerText()).toMatch(/۱۴۰[۰-۹]/);
    await page.reload();
    await page.locator('table.callbacks').waitFor();
    expect(await htmlDir()).toBe('rtl');
    await shot('callbacks-fa.png');

    // Keyboard: / goes to the filter; newest first puts Sara on top; k selects her row, Enter opens it.
    await page.keyboard.press('/');
    expect(await focusedId()).toBe('f-text');
    await page.keyboard.press('Escape');
    await page.selectOption('#f-sort', 'newest');
    await page.keyboard.press('Escape');
    await firstRowIs(SARA.name);
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    expect(await js('document.activeElement?.textContent')).toBe(SARA.name);
    expect(await page.locator('tr.selected .row-link').innerText()).toBe(SARA.name);
    await page.keyboard.press('Enter');

    // The case: the customer, a tel: link, the comment, the timeline and the audit trail.
    await page.locator('h1#case-title').waitFor();
    expect(page.url()).toMatch(/#\/callbacks\/[\w-]+$/);
    expect(await text('h1#case-title')).toBe(SARA.name);
    expect(await page.locator(`a[href="tel:${SARA.phone}"]`).count()).toBe(1);
    expect(await text('blockquote.comment')).toContain('بسته دو هفته دیر رسید');
    await page.locator('ol.timeline li').first().waitFor();
    expect(await page.locator('ol.timeline li').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('ol.trail li').count()).toBe(1);

    // Claim it, then note the call.
    await page.click('.owner-row button.primary');
    await page.locator('p.owned').waitFor();
    const note = 'Called Sara: the courier lost the first box. A new one ships today.';
    await page.fill('#note', note);
    await page.click('.note-form button[type=submit]');
    await page.locator(`ol.trail li:has-text("${note}")`).waitFor();
    expect(await page.inputValue('#note')).toBe('');

    // Resolve: with neither reason nor message the API refuses, naming both, and each error appears by its field.
    await page.click('.status-row button:has-text("حل شد")');
    await page.locator('form.close-form').waitFor();
    await waitUntil(`document.activeElement?.id === 'reason'`);
    await page.click('form.close-form button[type=submit]');
    await page.locator('#reason-error').waitFor();
    expect(await page.getAttribute('#reason', 'aria-invalid')).toBe('true');
    expect(await text('#outcome-error')).toBe('پیامی را که مشتری دریافت می‌کند بنویسید، حتی اگر پاسخ منفی است.');
    expect(await page.getAttribute('#outcome', 'aria-invalid')).toBe('true');
    await page.selectOption('#reason', 'shipping_delay');
    await page.fill('#outcome', OUTCOME);
    // The preview is the email exactly, in the customer's language (Persian), whatever the dashboard's.
    const expected = outcomeMessage('fa', SARA.name, OUTCOME, null);
    expect(await page.locator('[data-testid=outcome-preview]').textContent()).toBe(expected.text);
    expect(await text('.preview-subject')).toContain(expected.subject);
    await shot('case-fa.png');

    // The same case in English: the dashboard flips, the preview stays Persian.
    await page.click('header.top button[lang=en]');
    await page.locator('h2:text("Work this case")').waitFor();
    expect(await htmlDir()).toBe('ltr');
    expect(await page.locator('[data-testid=outcome-preview]').textContent()).toBe(expected.text);
    expect(await page.getAttribute('figure.preview', 'dir')).toBe('rtl');
    await shot('case-en.png');

    await page.click('form.close-form button[type=submit]');
    await page.locator('p.closed-line').waitFor();
    expect(await text('.case-head .status')).toBe('Resolved');
    // The page says what went to whom: Sara answered an email, so the outcome went by email.
    expect(await text('p.flash')).toBe(`Outcome sent to \u2068${SARA.name}\u2069 by email.`);
    const trail = await text('ol.trail');
    expect(trail).toContain(OUTCOME);
    expect(trail).toContain('Open');
    expect(trail).toContain('Resolved');
    expect(trail).toContain(`by ${CARE.name}`);

    // Back on the list, the resolved case has left the work list and is found under Resolved.
    await page.click('p.back a');
    await page.locator('table.callbacks').waitFor();
    expect(await names()).toEqual([ANA.name]);
    await page.selectOption('#f-status', 'resolved');
    await firstRowIs(SARA.name);
    expect(await page.locator('table.callbacks tbody tr').first().innerText()).toContain(CARE.name);
    // What the care person wrote is what Sara receives.
    await eventually(() => mailsTo(SARA.email).find((mail) => mail.subject === 'درباره نظر شما' && mail.text?.includes(OUTCOME)), 5000);
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations()).toEqual([]);
  }, 60_000);

  test('the customer is told the outcome in Persian at once, and gets the follow-up survey a day later', async () => {
    // The care person resolves Sara's case (through the API: the dashboard's way is the test above).
    const care = await signIn(hami, CARE.email, CARE.password);
    const cases = (await care.call('GET', '/api/callbacks')).body.items as { id: string; customer: { name: string } }[];
    const sara = cases.find((c) => c.customer.name === SARA.name)!;
    const resolved = await care.call('PATCH', `/api/callbacks/${sara.id}`, {
      status: 'resolved',
      reason: 'shipping_delay',
      outcome: OUTCOME,
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    const [outcome] = await eventually(() => {
      const mails = mailsTo(SARA.email).filter((mail) => mail.subject === 'درباره نظر شما');
      return mails.length ? mails : undefined;
    }, 5000);
    expect(outcome!.text).toContain('سارا عزیز، سلام');
    expect(outcome!.text).toContain(OUTCOME);

    // Nothing more yet: the follow-up waits a day (and for the morning, if that falls in quiet hours).
    const followUps = () => mailsTo(SARA.email).filter((mail) => mail.subject === 'آیا مشکل شما اکنون حل شده است؟');
    await drainJobs(hami);
    expect(followUps()).toHaveLength(0);
    // The follow-up goes out a day later, moved out of quiet hours: move to its planned time rather than by a fixed
    // span, so the test does not depend on how quiet hours fall.
    const planned = await hami.deps.db
      .selectFrom('invitations')
      .select('send_at')
      .where('survey_id', '=', 'follow-up')
      .executeTakeFirstOrThrow();
    expect(new Date(planned.send_at).getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(DAY);
    clock.set(new Date(new Date(planned.send_at).getTime() + MINUTE));
    const [followUp] = await eventually(() => (followUps().length ? followUps() : undefined), 5000);
    expect(String(followUp!.html)).toMatch(/dir="rtl"/);
  });

  test('customer text is shown as text in the dashboard, never run as markup', async () => {
    const hostile = { id: 'cust-x', email: 'mallory@example.com', name: '<img src=x onerror="window.__hacked=1">Mallory', locale: 'en' };
    await customerAnswers(hostile, 'order-7003', 0, '<script>window.__hacked=2</script><b>bold?</b>');
    await openCallbacksAsCare();
    await page.locator(`table.callbacks .row-link:has-text("Mallory")`).waitFor();
    const row = page.locator('table.callbacks tbody tr', { hasText: 'Mallory' });
    expect(await row.locator('.row-link').innerText()).toBe(hostile.name);
    expect(await row.innerText()).toContain('<script>window.__hacked=2</script>');
    expect(await page.locator('table.callbacks img, table.callbacks b').count()).toBe(0);
    await row.locator('.row-link').click();
    await page.locator('h1#case-title').waitFor();
    expect(await text('h1#case-title')).toBe(hostile.name);
    expect(await text('blockquote.comment')).toBe('<script>window.__hacked=2</script><b>bold?</b>');
    expect(await js('window.__hacked')).toBeUndefined();
    expect(browser.pageErrors).toEqual([]);
  }, 30_000);

  test('a contacted case no longer counts down; closing it in Persian names both missing fields, then says where the outcome went', async () => {
    await openCallbacksAsCare();
    await page.locator(`table.callbacks .row-link:has-text("${ANA.name}")`).click();
    await page.locator('h1#case-title').waitFor();
    // Open: the deadline counts down.
    expect(await page.locator('.facts .when-relative').count()).toBe(1);
    await page.click('.status-row button:has-text("Contacted")');
    await waitUntil(`document.querySelector('.case-head .status')?.textContent === 'Contacted'`);
    // Contacted: the deadline is shown plainly, no countdown, no overdue flag.
    expect(await page.locator('.facts .when-relative').count()).toBe(0);
    expect(await text('.facts [data-settled]')).toContain('no longer urgent');
    expect(await page.locator('.flag-overdue').count()).toBe(0);

    // The list says the same.
    await page.click('p.back a');
    const row = page.locator('table.callbacks tbody tr', { hasText: ANA.name });
    await row.waitFor();
    expect(await row.locator('[data-settled]').count()).toBe(1);
    expect(await row.locator('.when-relative').count()).toBe(0);

    await page.click('header.top button[lang=fa]');
    await page.locator('h1:text("تماس‌های پیگیری")').waitFor();
    await row.locator('.row-link').click();
    await page.locator('h1#case-title').waitFor();
    expect(await text('.facts [data-settled]')).toContain('دیگر فوری نیست');
    await page.click('.status-row button:has-text("حل شد")');
    await page.click('form.close-form button[type=submit]');
    await page.locator('#outcome-error').waitFor();
    expect(await text('#reason-error')).toBe('پیش از بستن پرونده، دسته علت را انتخاب کنید.');
    expect(await text('#outcome-error')).toBe('پیامی را که مشتری دریافت می‌کند بنویسید، حتی اگر پاسخ منفی است.');
    await page.selectOption('#reason', 'product_defect');
    await page.fill('#outcome', 'We are sending a new laptop today.');
    await page.click('form.close-form button[type=submit]');
    await page.locator('p.closed-line').waitFor();
    expect(await text('p.flash')).toBe(`نتیجه با ایمیل برای \u2068${ANA.name}\u2069 فرستاده شد.`);
    const outcome = await eventually(
      () => mailsTo(ANA.email).find((mail) => mail.text?.includes('We are sending a new laptop today.')),
      5000,
    );
    expect(outcome).toBeDefined();
    expect(browser.pageErrors).toEqual([]);
  }, 30_000);
});
