import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { invitationToken } from '../../server/delivery/tokens.js';
import { startTestHami, type TestHami } from '../helpers/hami.js';
import { axeViolations, describeViolations } from './axe.js';
import { launchBrowser, type TestBrowser } from './browser.js';

/*
 * The customer's side in a real Chromium at phone widths, in English and Persian: the score targets are measured
 * as rendered, the path tap → reason → thank-you → change and the mis-tap confirmation are walked by clicking, and
 * axe audits every state of the survey and opt-out pages. Screenshots land in HAMI_SCREENSHOTS_DIR (web/docs/ for
 * the README).
 */

type Locale = 'en' | 'fa';
const WIDTHS = [320, 390] as const;
const LOCALES: Locale[] = ['en', 'fa'];
const NOT_A_TOKEN = 'AAAAAAAAAAAAAAAAAAAAAA';

/** The 0–10 targets of the first scale on the page: smallest height, smallest centre distance, overflow. */
const MEASURE_SCALE = `(() => {
  const boxes = [...document.querySelector('.n11').children].map((e) => e.getBoundingClientRect());
  const centres = boxes.map((b) => [b.left + b.width / 2, b.top + b.height / 2]);
  let spacing = Infinity;
  for (let i = 0; i < centres.length; i++) for (let j = i + 1; j < centres.length; j++) {
    spacing = Math.min(spacing, Math.hypot(centres[i][0] - centres[j][0], centres[i][1] - centres[j][1]));
  }
  return { count: boxes.length, height: Math.min(...boxes.map((b) => b.height)), spacing, rows: new Set(boxes.map((b) => Math.round(b.top))).size,
    overflow: document.documentElement.scrollWidth - window.innerWidth };
})()`;

interface ScaleMeasure {
  count: number;
  height: number;
  spacing: number;
  rows: number;
  overflow: number;
}

describe('customer pages on a phone', () => {
  let hami: TestHami;
  let browser: TestBrowser;
  let serial = 0;

  beforeAll(async () => {
    hami = await startTestHami({ env: { HAMI_THROTTLE_DAYS: '0', HAMI_QUIET_HOURS: 'off' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await hami?.stopAndClean();
  });

  async function newLink(locale: Locale, type: 'purchase' | 'resolution' = 'purchase') {
    serial++;
    const { body } = await hami.postEvent({
      type,
      id: `e2e-${serial}`,
      sendAt: 'now',
      customer: { id: `e2e-c-${serial}`, email: `e2e${serial}@example.com`, locale },
    });
    const invitationId: string = body.invitations[0].id;
    return {
      invitationId,
      token: invitationToken(hami.deps.secret, invitationId),
      url: `${hami.url}/s/${invitationToken(hami.deps.secret, invitationId)}`,
    };
  }

  async function expectNoAxeViolations(state: string) {
    const violations = await axeViolations(browser.page);
    expect(violations, `${state}:\n${describeViolations(violations)}`).toEqual([]);
  }

  const h1 = () => browser.text('h1');

  for (const width of WIDTHS) {
    for (const locale of LOCALES) {
      test(`at ${width} px in ${locale} every score target is 44 px tall, 24 px from the next, and nothing scrolls sideways`, async () => {
        await browser.page.setViewportSize({ width, height: 800 });
        const link = await newLink(locale, 'resolution');
        await browser.page.goto(link.url);
        const form = await browser.js<ScaleMeasure>(MEASURE_SCALE);
        expect(form.count).toBe(11);
        expect(form.height).toBeGreaterThanOrEqual(44);
        expect(form.spacing).toBeGreaterThanOrEqual(24);
        expect(form.overflow).toBeLessThanOrEqual(0);
        // The narrowest phones get two rows (0–5, 6–10) rather than targets too close together.
        expect(form.rows).toBe(width === 320 ? 2 : 1);

        // The mis-tap confirmation's scale is measured the same way.
        await browser.page.goto(`${link.url}?score=3`);
        await browser.page.goto(`${link.url}?score=9`);
        const confirm = await browser.js<ScaleMeasure>(MEASURE_SCALE);
        expect(confirm).toMatchObject({ count: 11 });
        expect(confirm.height).toBeGreaterThanOrEqual(44);
        expect(confirm.spacing).toBeGreaterThanOrEqual(24);
        expect(confirm.overflow).toBeLessThanOrEqual(0);
      });
    }
  }

  for (const locale of LOCALES) {
    test(`in ${locale}: tap → "your score is saved" with the reason → Send → thank-you view → change my answer`, async () => {
      const t =
        locale === 'fa'
          ? { saved: 'سپاس — امتیاز ۳ شما ثبت شد.', send: 'ارسال', done: 'سپاس — نظرسنجی کامل شد', change: 'تغییر پاسخ' }
          : { saved: 'Thanks — your 3 is saved.', send: 'Send', done: 'Thank you — the survey is complete', change: 'Change my answer' };
      await browser.page.setViewportSize({ width: 390, height: 844 });
      const link = await newLink(locale);
      await browser.page.goto(`${link.url}?score=3`);
      expect(await h1()).toBe(t.saved);
      // Only the reason is asked; the score is folded away under "change score".
      expect(await browser.page.locator('textarea[name=reason]').isVisible()).toBe(true);
      expect(await browser.page.locator('input[name=nps]').first().isVisible()).toBe(false);
      await browser.shot(`survey-page-${locale}.png`);
      await browser.page.fill('textarea[name=reason]', locale === 'fa' ? 'دیر رسید' : 'It came late');
      await browser.page.getByRole('button', { name: t.send }).click();
      await browser.page.waitForURL(link.url);
      expect(await h1()).toBe(t.done);
      expect(await browser.page.locator('button').count()).toBe(0);
      if (locale === 'fa') await browser.shot('survey-thanks-390-fa.png');

      await browser.page.getByRole('link', { name: t.change }).click();
      await browser.page.waitForURL(`${link.url}?change=1`);
      expect(await browser.page.locator('input[name=nps][value="3"]').isChecked()).toBe(true);
      expect(await browser.page.inputValue('textarea[name=reason]')).toBe(locale === 'fa' ? 'دیر رسید' : 'It came late');
      await browser.page
        .locator('label.o', { hasText: locale === 'fa' ? '۶' : '6' })
        .first()
        .click();
      await browser.page.locator('button[type=submit]').click();
      await browser.page.waitForURL(link.url);
      expect(await h1()).toBe(t.done);
      const response = await hami.deps.db
        .selectFrom('responses')
        .select(['score', 'comment'])
        .where('invitation_id', '=', link.invitationId)
        .executeTakeFirstOrThrow();
      expect(response).toEqual({ score: 6, comment: locale === 'fa' ? 'دیر رسید' : 'It came late' });
    });

    test(`in ${locale}: a mis-tap corrected (3, then 9) shows 9 chosen, and one button confirms it`, async () => {
      await browser.page.setViewportSize({ width: 390, height: 844 });
      const link = await newLink(locale);
      await browser.page.goto(`${link.url}?score=3`);
      await browser.page.goto(`${link.url}?score=9`);
      const nine = locale === 'fa' ? '۹' : '9';
      expect(await browser.page.locator('button[aria-pressed=true]').innerText()).toBe(nine);
      await browser.page.getByRole('button', { name: locale === 'fa' ? `تأیید ${nine}` : `Confirm ${nine}` }).click();
      await browser.page.waitForURL(`${link.url}?saved=1`);
      expect(await h1()).toBe(locale === 'fa' ? 'سپاس — امتیاز ۹ شما ثبت شد.' : 'Thanks — your 9 is saved.');
      const response = await hami.deps.db
        .selectFrom('responses')
        .select('score')
        .where('invitation_id', '=', link.invitationId)
        .executeTakeFirstOrThrow();
      expect(response.score).toBe(9);
    });

    test(`in ${locale}: axe finds nothing on any state of the survey and opt-out pages`, async () => {
      await browser.page.setViewportSize({ width: 390, height: 844 });
      await browser.page.setExtraHTTPHeaders({ 'accept-language': locale });
      try {
        const page = browser.page;
        const support = await newLink(locale, 'resolution');
        await page.goto(support.url);
        await expectNoAxeViolations('the whole form (support survey)');
        await page.goto(`${support.url}?score=abc`);
        await expectNoAxeViolations('a refused one-tap score');
        await page.goto(`${support.url}?score=4`);
        await expectNoAxeViolations('saved: the remaining questions');
        await page.locator('summary').click();
        await expectNoAxeViolations('saved, with the score control opened');
        await page.goto(`${support.url}?score=8`);
        await expectNoAxeViolations('the mis-tap confirmation');
        await page.locator('button[aria-pressed=true]').click();
        await page.locator('form button[type=submit]').last().click();
        await page.waitForURL(support.url);
        await expectNoAxeViolations('the thank-you view');
        await page.goto(`${support.url}?change=1`);
        await expectNoAxeViolations('the form to change the answer');

        await page.goto(`${hami.url}/s/${NOT_A_TOKEN}`);
        await expectNoAxeViolations('an unknown link');
        const expired = await newLink(locale);
        await hami.deps.db
          .updateTable('invitations')
          .set({ expires_at: '2020-01-01T00:00:00.000Z' })
          .where('id', '=', expired.invitationId)
          .execute();
        await page.goto(expired.url);
        await expectNoAxeViolations('a closed survey');
        await page.goto(`${hami.url}/u/${support.token}`);
        await expectNoAxeViolations('the opt-out question');
        await page.locator('button[type=submit]').click();
        await page.waitForLoadState();
        await expectNoAxeViolations('the opt-out done');
        expect(browser.cspViolations()).toEqual([]);
        expect(browser.pageErrors).toEqual([]);
      } finally {
        await browser.page.setExtraHTTPHeaders({});
      }
    });
  }
});

describe('a branded survey page', () => {
  test('shows the logo (served by /brand/logo) and the name, in the brand colour, with no axe violation', async () => {
    const hami = await startTestHami({
      env: {
        HAMI_THROTTLE_DAYS: '0',
        HAMI_QUIET_HOURS: 'off',
        HAMI_BRAND_NAME: 'Anar Shop',
        HAMI_BRAND_NAME_FA: 'فروشگاه انار',
        HAMI_BRAND_LOGO: path.resolve('server/demo/anar-logo.svg'),
        HAMI_BRAND_COLOR: '#9b1c31',
      },
    });
    const browser = await launchBrowser();
    try {
      const { body } = await hami.postEvent({
        type: 'purchase',
        id: 'brand-1',
        sendAt: 'now',
        customer: { id: 'brand-c-1', email: 'b@example.com', locale: 'en' },
      });
      const url = `${hami.url}/s/${invitationToken(hami.deps.secret, body.invitations[0].id)}`;
      await browser.page.setViewportSize({ width: 390, height: 844 });
      await browser.page.goto(`${url}?score=9`);
      const logo = browser.page.locator('header img');
      expect(await logo.getAttribute('alt')).toBe('Anar Shop');
      // Loaded under the page's CSP, at the size the header gives it.
      await browser.waitUntil(`document.querySelector('header img').complete && document.querySelector('header img').naturalWidth > 0`);
      expect(await browser.js<number>(`document.querySelector('header img').getBoundingClientRect().height`)).toBe(40);
      expect(await browser.text('header')).toBe('Anar Shop');
      expect(await browser.js<string>(`getComputedStyle(document.querySelector('button[type=submit]')).backgroundColor`)).toBe(
        'rgb(155, 28, 49)',
      );
      const violations = await axeViolations(browser.page);
      expect(violations, describeViolations(violations)).toEqual([]);
      expect(browser.cspViolations()).toEqual([]);
      await browser.shot('survey-branded-390-en.png');
    } finally {
      await browser.close();
      await hami.stopAndClean();
    }
  });
});
