import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KIOSK_RESET_SECONDS } from '../../server/public-links/kiosk-views.js';
import { MINUTE, ShiftedClock } from '../helpers/clock.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { axeViolations, describeViolations } from './axe.js';
import { launchBrowser, type TestBrowser } from './browser.js';

/**
 * The kiosk (a shared tablet on a shop counter) and the public link (a poster or receipt) in a real Chromium: the
 * kiosk fills a tablet with large targets in both languages and fits a phone, thanks once, returns by itself to
 * the empty survey for the next person (whose answer is taken), keeps a person's choices when a burst is refused;
 * axe finds nothing on any of these states. The reset is measured in real seconds; the server's clock runs with the
 * real one but each test first moves it a minute on, so no test meets the burst rule because of another's answers.
 * Screenshots land in HAMI_SCREENSHOTS_DIR (web/docs/ to refresh the README).
 */

const KIOSK = '/p/post-purchase/store-tehran';
const RECEIPT = '/p/post-purchase/receipt';
const TABLETS = [
  { width: 768, height: 1024 },
  { width: 1024, height: 768 },
];
const PHONE = { width: 390, height: 844 };
const LOCALES = ['en', 'fa'] as const;

describe('the kiosk and public link pages (Chromium)', () => {
  let hami: TestHami;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    hami = await startTestHami({ clock });
    browser = await launchBrowser();
    page = browser.page;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await hami?.stopAndClean();
  });

  const js = <T>(expression: string) => browser.js<T>(expression);
  const open = async (path: string, viewport: { width: number; height: number }) => {
    await page.setViewportSize(viewport);
    await page.goto(`${hami.url}${path}`);
  };
  const noHorizontalOverflow = async () =>
    expect(await js<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(await js<number>('window.innerWidth'));
  const expectNoAxeViolations = async (where: string) => {
    const violations = await axeViolations(page);
    expect(violations, `${where}\n${describeViolations(violations)}`).toEqual([]);
  };
  /** Heights in CSS pixels of the elements a selector finds. */
  const heights = (selector: string) =>
    js<number[]>(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.getBoundingClientRect().height)`);
  // The server's time runs with the real one (the page's reset countdown is real seconds) and jumps on by hand.
  const clock = new ShiftedClock();
  /** Every earlier answer becomes a minute old: past both burst rules (2 s, 20 a minute), without waiting. */
  const waitOutBurstWindow = () => clock.advance(MINUTE);
  const kioskAnswers = async () =>
    (
      await hami.deps.db
        .selectFrom('responses')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('channel', '=', 'kiosk')
        .executeTakeFirstOrThrow()
    ).n;
  const onEmptySurvey = async () =>
    (await js<boolean>(
      `location.pathname === ${JSON.stringify(KIOSK)} && !!document.querySelector('form') && !document.querySelector('input:checked') && document.querySelector('textarea').value === ''`,
    )) || undefined;

  for (const viewport of TABLETS) {
    for (const lang of LOCALES) {
      test(`on a ${viewport.width}×${viewport.height} tablet in ${lang}, the kiosk has targets at least 64 px tall, no overflow, no order, and no axe violation`, async () => {
        await open(`${KIOSK}?lang=${lang}`, viewport);
        expect(await js<string>('document.documentElement.dir')).toBe(lang === 'fa' ? 'rtl' : 'ltr');
        const scores = await heights('.o input+span');
        expect(scores).toHaveLength(11);
        for (const height of scores) expect(height).toBeGreaterThanOrEqual(64);
        // Counted first: a loop over no element would check nothing.
        const send = await heights('button[type=submit]');
        expect(send).toHaveLength(1);
        for (const height of send) expect(height).toBeGreaterThanOrEqual(64);
        const languages = await heights('a.lang');
        expect(languages.length).toBeGreaterThan(0);
        for (const height of languages) expect(height).toBeGreaterThanOrEqual(44);
        // The text reads from arm's length: the question is at least 22 px.
        expect(await js<number>("parseFloat(getComputedStyle(document.querySelector('legend')).fontSize)")).toBeGreaterThanOrEqual(22);
        await noHorizontalOverflow();
        expect(await js<string>('document.body.innerText')).not.toMatch(/\border|سفارش|خرید/i);
        await expectNoAxeViolations(`kiosk ${viewport.width} ${lang}`);
        if (viewport.width === 1024 && lang === 'fa') await browser.shot('kiosk-1024-fa.png');
      });
    }
  }

  for (const lang of LOCALES) {
    test(`on a 390 px phone in ${lang}, the kiosk fits the width and passes axe`, async () => {
      await open(`${KIOSK}?lang=${lang}`, PHONE);
      await noHorizontalOverflow();
      const scores = await heights('.o input+span');
      expect(scores).toHaveLength(11);
      for (const height of scores) expect(height).toBeGreaterThanOrEqual(44);
      await expectNoAxeViolations(`kiosk 390 ${lang}`);
    });
  }

  for (const [lang, viewport] of [
    ['en', TABLETS[0]!],
    ['fa', TABLETS[1]!],
  ] as const) {
    test(`in ${lang}: an answer, one thank-you, the empty survey again by itself, and the next person's answer is taken`, async () => {
      waitOutBurstWindow(); // whatever answers earlier tests gave
      const before = await kioskAnswers();
      await open(`${KIOSK}?lang=${lang}`, viewport);
      await page.click('.o:has(input[value="9"])');
      await page.fill('textarea', 'first customer');
      await page.click('button[type=submit]');
      await page.locator('#kiosk-thanks').waitFor();
      // Focus on the heading: a screen reader says "Thank you" first. Said once, no meta refresh.
      expect(await js<string | undefined>('document.activeElement?.id')).toBe('kiosk-thanks');
      expect(await js<number>("document.querySelectorAll('meta[http-equiv]').length")).toBe(0);
      const thanks = await js<string>('document.body.innerText');
      expect(thanks.match(lang === 'en' ? /thank/gi : /سپاس/g)).toHaveLength(1);
      expect(await page.locator(`a[href="${KIOSK}?lang=${lang}"]`).count()).toBe(1);
      await noHorizontalOverflow();
      await expectNoAxeViolations(`kiosk thank-you ${lang}`);
      expect(await kioskAnswers()).toBe(before + 1);

      // The countdown replaces the page while it is read: a read that meets the navigation tries again.
      await eventually(() => onEmptySurvey().catch(() => undefined), (KIOSK_RESET_SECONDS + 3) * 1000);
      expect(await js<string>('document.documentElement.lang')).toBe(lang);

      await page.click('.o:has(input[value="4"])');
      await page.click('button[type=submit]');
      await page.locator('#kiosk-thanks').waitFor();
      expect(await kioskAnswers()).toBe(before + 2);
    }, 30_000);
  }

  for (const lang of LOCALES) {
    test(`in ${lang}: a burst is refused with the person's choices kept and a note, and Send then works`, async () => {
      waitOutBurstWindow(); // whatever answers earlier tests gave
      await open(`${KIOSK}?lang=${lang}`, TABLETS[0]!);
      await page.click('.o:has(input[value="3"])');
      await page.fill('textarea', 'a second tap');
      // An answer from this device a moment ago (another tab of the same browser: the same client address).
      const other = await browser.context.newPage();
      await other.goto(`${hami.url}${KIOSK}?lang=${lang}`);
      await other.click('.o:has(input[value="10"])');
      await other.click('button[type=submit]');
      await other.locator('#kiosk-thanks').waitFor();
      await other.close();
      const before = await kioskAnswers();
      await page.click('button[type=submit]');
      await page.locator('.note[role=alert]').waitFor();
      expect(await js<string | undefined>("document.querySelector('input:checked')?.value")).toBe('3');
      expect(await js<string>("document.querySelector('textarea').value")).toBe('a second tap');
      expect(await browser.text('button[type=submit]')).toBe(lang === 'en' ? 'Send' : 'ارسال');
      await noHorizontalOverflow();
      await expectNoAxeViolations(`kiosk burst ${lang}`);
      expect(await kioskAnswers()).toBe(before);

      waitOutBurstWindow(); // as it passes for a person reading the note
      await page.click('button[type=submit]');
      await page.locator('#kiosk-thanks').waitFor();
      expect(await kioskAnswers()).toBe(before + 1);
    }, 20_000);
  }

  test('a double tap on Send records one answer and shows the thank-you', async () => {
    waitOutBurstWindow(); // whatever answers earlier tests gave
    const before = await kioskAnswers();
    await open(`${KIOSK}?lang=en`, TABLETS[1]!);
    await page.click('.o:has(input[value="6"])');
    await page.dblclick('button[type=submit]');
    await page.locator('#kiosk-thanks').waitFor();
    expect(await kioskAnswers()).toBe(before + 1);
  });

  test('the public link page and its language switch fit 320 px and pass axe in both languages', async () => {
    await open(RECEIPT, { width: 320, height: 640 });
    expect(await js<string>('document.documentElement.lang')).toBe('en');
    await noHorizontalOverflow();
    await expectNoAxeViolations('public link en');
    await page.click('a[hreflang=fa]');
    await page.locator('html[dir=rtl]').waitFor();
    await noHorizontalOverflow();
    await expectNoAxeViolations('public link fa');
    expect(browser.cspViolations()).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });
});
