import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { eventually, type TestHami } from '../helpers/hami.js';
import { ManualClock } from '../helpers/clock.js';
import { ADMIN, signIn } from '../helpers/staff.js';
import { axeViolations, describeViolations } from './axe.js';
import { ROOT, signInWithForm, E2E_NOW, startBrowserRig, type BrowserRig, type TestBrowser } from './browser.js';

/**
 * What an admin expects of Settings, in a real browser on a real server: add a user (the password shown once) and
 * disable them (their session ends), the last admin kept, the public links' QR codes, the brand as HAMI_BRAND_* set
 * it, the survey texts in both languages, the CLI's commands; the same in Persian; and axe finds nothing in either.
 */

/** What the test reads of an <img> (this code is type-checked for Node, without the DOM library). */
type Picture = { complete: boolean; naturalWidth: number };

const survey = JSON.parse(readFileSync(path.join(ROOT, 'surveys/post-purchase.json'), 'utf8')) as {
  subject: { en: string; fa: string };
  questions: { text: { en: string; fa: string } }[];
};

describe('Settings an admin expects (Chromium)', () => {
  let rig: BrowserRig | undefined;
  let hami: TestHami;
  let browser: TestBrowser;
  let page: Page;
  const clock = new ManualClock(E2E_NOW);

  beforeAll(async () => {
    rig = await startBrowserRig(clock, {
      HAMI_BRAND_NAME: 'Anar Shop',
      HAMI_BRAND_NAME_FA: 'فروشگاه انار',
      HAMI_BRAND_COLOR: '#7a1f5c',
      HAMI_BRAND_LOGO: path.join(ROOT, 'server/demo/anar-logo.svg'),
      HAMI_BRAND_REPLY_TO: 'care@anar.example',
    });
    ({ hami, browser } = rig);
    page = browser.page;
    page.on('dialog', (dialog) => void dialog.accept());
  }, 90_000);
  afterAll(async () => {
    await rig?.stop();
  });
  // Each test starts from a fresh browser, the admin signing in on Settings.
  beforeEach(async () => {
    await browser.reset(hami.url);
    await page.goto(`${hami.url}/app/#/settings`);
    await signInWithForm(page, ADMIN.email, ADMIN.password);
    await page.locator('#users-title').waitFor();
  });

  const axeClean = async () => {
    const violations = await axeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  };

  test('the admin adds a user, whose password is shown once and signs in; disabling them ends their session', async () => {
    await page.fill('#user-email', 'not an address');
    await page.fill('#user-name', 'Sara Ahmadi');
    await page.click('.user-form button[type=submit]');
    await page.locator('#user-email-error').waitFor();
    expect(await page.getAttribute('#user-email', 'aria-invalid')).toBe('true');

    await page.fill('#user-email', 'sara@example.com');
    await page.selectOption('#user-role', 'care');
    await page.click('.user-form button[type=submit]');
    const shown = page.locator('.user-settings .shown-once');
    await shown.waitFor();
    expect(await shown.textContent()).toContain('The password of sara@example.com, shown only now');
    const password = (await shown.locator('code').textContent()) ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const row = page.locator('tr[data-user="sara@example.com"]');
    await row.waitFor();
    expect(await row.locator('select').inputValue()).toBe('care');
    const sara = await signIn(hami, 'sara@example.com', password);
    expect((await sara.call('GET', '/api/callbacks')).status).toBe(200);
    await shown.locator('button:has-text("Done")').click();
    expect(await shown.count()).toBe(0);

    await row.locator('button:has-text("Disable")').click();
    await row.locator('button:has-text("Enable")').waitFor();
    expect(await row.locator('td').nth(2).textContent()).toBe('Disabled');
    expect((await sara.call('GET', '/api/session')).status).toBe(401);
    expect(browser.pageErrors).toEqual([]);
  }, 30_000);

  test('the last active admin cannot demote themselves: the page says the rule and keeps the role', async () => {
    const me = page.locator(`tr[data-user="${ADMIN.email}"]`);
    await me.locator('select').selectOption('marketing');
    await page.locator('.user-settings p.error').waitFor();
    expect(await page.textContent('.user-settings p.error')).toBe(
      'The last active admin cannot be disabled or given another role. Make another user admin first.',
    );
    await eventually(async () => (await me.locator('select').inputValue()) === 'admin');
  }, 20_000);

  test('each public link shows its address and QR code in both languages, with downloads', async () => {
    const link = page.locator('li[data-link="post-purchase/store-tehran"]');
    await link.waitFor();
    for (const locale of ['en', 'fa']) {
      const figure = link.locator(`figure[data-locale=${locale}]`);
      const img = figure.locator('img');
      await eventually(() => img.evaluate((el) => (el as unknown as Picture).complete && (el as unknown as Picture).naturalWidth > 0));
      expect(await img.getAttribute('src')).toBe(`/p/post-purchase/store-tehran/qr.svg${locale === 'fa' ? '?lang=fa' : ''}`);
      expect(await figure.locator('.qr-url').textContent()).toBe(
        `${hami.url}/p/post-purchase/store-tehran${locale === 'fa' ? '?lang=fa' : ''}`,
      );
      const png = await figure.locator('a:has-text("PNG")').getAttribute('href');
      const download = await fetch(`${hami.url}${png}`);
      expect([download.status, download.headers.get('content-type')]).toEqual([200, 'image/png']);
    }
  }, 20_000);

  test('the brand is shown as HAMI_BRAND_* set it: names, logo, accent swatch, sender and reply-to', async () => {
    const value = (variable: string) => page.locator(`tr[data-variable=${variable}] td`).first();
    await value('HAMI_BRAND_NAME').waitFor();
    expect(await value('HAMI_BRAND_NAME').textContent()).toBe('Anar Shop');
    expect(await value('HAMI_BRAND_NAME_FA').textContent()).toBe('فروشگاه انار');
    expect(await value('HAMI_BRAND_SENDER').textContent()).toBe('Anar Shop');
    expect(await value('HAMI_BRAND_REPLY_TO').textContent()).toBe('care@anar.example');
    const logo = value('HAMI_BRAND_LOGO').locator('img');
    await eventually(() => logo.evaluate((el) => (el as unknown as Picture).naturalWidth > 0));
    expect(
      await browser.js<string>(`getComputedStyle(document.querySelector('tr[data-variable=HAMI_BRAND_COLOR] .swatch')).backgroundColor`),
    ).toBe('rgb(122, 31, 92)');
    expect(await value('HAMI_BRAND_COLOR').textContent()).toContain('#7a1f5c');
    expect(browser.cspViolations()).toEqual([]);
  }, 20_000);

  test('the survey texts are shown in both languages, and every CLI command has its place', async () => {
    const texts = page.locator('.survey-text[data-survey=post-purchase]');
    const subject = texts.locator('tr[data-part=subject] td');
    expect(await subject.nth(0).textContent()).toBe(survey.subject.en);
    expect(await subject.nth(1).textContent()).toBe(survey.subject.fa);
    expect(await subject.nth(1).getAttribute('dir')).toBe('rtl');
    expect(await texts.locator('tr[data-part^=question] td').nth(1).textContent()).toContain(survey.questions[0]!.text.fa);
    const commands = await browser.js<string[]>(
      `[...document.querySelectorAll('.cli-table tr[data-command]')].map((tr) => tr.dataset.command)`,
    );
    expect(commands).toEqual(
      expect.arrayContaining([
        'user add',
        'user disable',
        'user reset-password',
        'apikey create',
        'customer export',
        'customer erase',
        'import',
        'backup',
      ]),
    );
    expect(await page.locator('tr[data-command=backup] td').textContent()).toContain('Not in the dashboard');
    await axeClean();
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations()).toEqual([]);
  }, 30_000);

  test('in Persian every section speaks Persian, right to left, and axe finds nothing', async () => {
    // A disabled account, whose state and button the list says in Persian.
    const admin = await signIn(hami, ADMIN.email, ADMIN.password);
    const reza = await admin.call('POST', '/api/users', {
      email: 'reza@example.com',
      name: 'Reza',
      role: 'marketing',
      password: 'a long enough password',
    });
    expect(reza.status).toBe(201);
    expect((await admin.call('PATCH', `/api/users/${reza.body.id}`, { disabled: true })).status).toBe(200);
    await page.reload();
    await page.locator('tr[data-user="reza@example.com"]').waitFor();
    await page.click('header.top button[lang=fa]');
    await browser.waitUntil(`document.documentElement.dir === 'rtl'`);
    expect(await page.textContent('#users-title')).toBe('کاربران');
    expect(await page.textContent('#branding-title')).toBe('نشان تجاری');
    expect(await page.textContent('#public-links-title')).toBe('پیوندهای عمومی و کدهای QR');
    expect(await page.textContent('#survey-texts-title')).toBe('متن نظرسنجی‌ها');
    expect(await page.textContent('#privacy-title')).toBe('درخواست‌های دادهٔ مشتری');
    expect(await page.textContent('#cli-title')).toBe('خط فرمان');
    expect(await page.locator('tr[data-user="reza@example.com"] td').nth(2).textContent()).toBe('غیرفعال');
    expect(await page.locator('tr[data-user="reza@example.com"] button').first().textContent()).toBe('فعال کردن');
    expect(await page.locator('li[data-link="post-purchase/store-tehran"] figure[data-locale=fa] img').getAttribute('alt')).toBe(
      'کد QR پیوند store-tehran (فارسی)',
    );
    await axeClean();
    await page.click('header.top button[lang=en]');
    await browser.waitUntil(`document.documentElement.dir === 'ltr'`);
  }, 30_000);

  test('a customer’s data is exported as a file and then erased from Settings', async () => {
    const posted = await hami.postEvent({
      type: 'purchase',
      id: 'order-privacy',
      customer: { id: 'shop-4711', email: 'leila@example.com', name: 'Leila' },
    });
    expect(posted.status).toBe(202);
    await page.fill('#privacy-customer', 'shop-4711');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.privacy-form button[type=submit]')]);
    expect(download.suggestedFilename()).toBe('customer-shop-4711.json');
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(exported.customer).toMatchObject({ email: 'leila@example.com', name: 'Leila' });
    await page.click('.privacy-form button.danger');
    await page.locator('.privacy-settings .notice').waitFor();
    expect(await page.textContent('.privacy-settings .notice')).toContain('Customer shop-4711 erased');
    const row = await hami.deps.db
      .selectFrom('customers')
      .select(['email', 'name'])
      .where('id', '=', exported.customer.id)
      .executeTakeFirst();
    expect(row).toEqual({ email: null, name: null });
    await page.fill('#privacy-customer', 'nobody');
    await page.click('.privacy-form button[type=submit]');
    await page.locator('.privacy-settings p.error').waitFor();
    expect(await page.textContent('.privacy-settings p.error')).toContain('No customer with this id');
  }, 30_000);
});
