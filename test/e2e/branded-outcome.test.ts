import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_BRAND_ENV } from '../../server/demo/brand.js';
import { ManualClock } from '../helpers/clock.js';
import { eventually } from '../helpers/hami.js';
import { settleOneTapAnswers } from '../helpers/one-tap.js';
import { ADMIN } from '../helpers/staff.js';
import { customerAnswers, mailsTo, signInWithForm, E2E_NOW, startBrowserRig, type BrowserRig } from './browser.js';

/**
 * A branded shop (the demo's HAMI_BRAND_*): the care person closing a case sees the outcome preview signed by the
 * shop's care team, and the customer gets exactly that text, with a Reply-To that reaches the care inbox.
 */
const SARA = { id: 'cust-sara', email: 'sara@example.com', name: 'سارا', locale: 'fa' };
const OUTCOME = 'بسته تازه امروز ارسال شد.';

describe('the outcome message of a branded shop, from the dashboard to the customer (Chromium)', () => {
  let rig: BrowserRig | undefined;
  beforeAll(async () => {
    rig = await startBrowserRig(new ManualClock(E2E_NOW), { ...DEMO_BRAND_ENV });
  }, 90_000);
  afterAll(() => rig?.stop());

  test('the preview is signed "— تیم پشتیبانی فروشگاه انار" and the customer receives that very text', async () => {
    const { hami, smtp, browser } = rig!;
    const { page } = browser;
    await customerAnswers(hami, smtp, { customer: SARA, id: 'order-1', score: 2, comment: 'دیر رسید' });
    await settleOneTapAnswers(hami);
    const found = await eventually(() => hami.deps.db.selectFrom('callback_cases').select('id').executeTakeFirst());

    await page.goto(`${hami.url}/app/#/callbacks/${found.id}`);
    await signInWithForm(page, ADMIN.email, ADMIN.password);
    await page.locator('h1#case-title').waitFor();
    await page.click('.status-row button:has-text("Resolved")');
    await page.locator('form.close-form').waitFor();
    await page.selectOption('#reason', 'shipping_delay');
    await page.fill('#outcome', OUTCOME);
    const preview = (await page.locator('[data-testid=outcome-preview]').textContent())!;
    expect(preview.endsWith('— تیم پشتیبانی فروشگاه انار')).toBe(true);
    expect(await page.locator('.preview-subject bdi').textContent()).toBe('فروشگاه انار: درباره نظر شما');
    await page.click('form.close-form button[type=submit]');
    await page.locator('p.closed-line').waitFor();

    const sent = await eventually(() => mailsTo(smtp, SARA.email).find((mail) => mail.messageId?.startsWith('<outcome-')), 5000);
    expect(sent.subject).toBe('فروشگاه انار: درباره نظر شما');
    expect(sent.text!.trimEnd()).toBe(preview);
    expect(sent.replyTo?.value.map((a) => a.address)).toEqual(['care@anar-shop.example']);
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations()).toEqual([]);
  }, 60_000);
});
