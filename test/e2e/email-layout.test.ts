import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Locale } from '../../shared/locale.js';
import { loadBrand, NEUTRAL_BRAND, type Brand } from '../../server/branding/brand.js';
import { renderInvitationEmail } from '../../server/channels/email/invitation-email.js';
import { DEMO_BRAND_ENV } from '../../server/demo/brand.js';
import { loadSurveys } from '../../server/surveys.js';
import { axeViolations, describeViolations } from './axe.js';
import { launchBrowser, type TestBrowser } from './browser.js';

/**
 * The invitation email as a phone shows it: the rendered HTML (what the SMTP server receives) loaded into Chromium at
 * 320 and 390 px, in English and Persian, neutral and branded. The score links must be real tap targets (≥ 40×40,
 * all visible, none overlapping), nothing may scroll sideways, and the other two links must be ≥ 44 px tall.
 * Screenshots email-320-fa.png and email-390-en.png land in HAMI_SCREENSHOTS_DIR (web/docs/ to refresh the README).
 */

const PUBLIC_URL = 'https://nazar.anar.example';
const TOKEN = 'AbCdEfGhIjKlMnOpQrStUv';
const surveys = loadSurveys();
const BRANDED = loadBrand(DEMO_BRAND_ENV);
const LOGO_SVG = readFileSync(DEMO_BRAND_ENV.HAMI_BRAND_LOGO);

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  text: string;
}

function html(surveyId: string, locale: Locale, brand: Brand): string {
  const survey = surveys.byId(surveyId)!;
  return renderInvitationEmail({
    survey,
    locale,
    customerName: locale === 'fa' ? 'سارا' : 'Ana',
    publicUrl: PUBLIC_URL,
    token: TOKEN,
    brand,
  }).html;
}

async function show(page: Page, width: number, content: string): Promise<void> {
  await page.setViewportSize({ width, height: 900 });
  await page.setContent(content, { waitUntil: 'load' });
}

const boxes = (page: Page, selector: string) =>
  page.$$eval(selector, (links) =>
    links.map((link) => {
      const r = link.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height, text: (link.textContent ?? '').trim() };
    }),
  );

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('the invitation email on a phone (Chromium)', () => {
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = browser.page;
    // The logo file is served at PUBLIC_URL/brand/logo by the server; here the browser gets it without one.
    await page.route(`${PUBLIC_URL}/brand/logo`, (route) => route.fulfill({ body: LOGO_SVG, contentType: 'image/svg+xml' }));
  });
  afterAll(async () => {
    await browser?.close();
  });

  const cases = [320, 390].flatMap((width) =>
    (['en', 'fa'] as const).flatMap((locale) => [
      { width, locale, brandName: 'neutral', brand: NEUTRAL_BRAND },
      { width, locale, brandName: 'branded', brand: BRANDED },
    ]),
  );

  test.each(cases)(
    '$width px, $locale, $brandName: eleven score links of at least 40×40, all visible, none overlapping, nothing scrolls sideways',
    async ({ width, locale, brand }) => {
      await show(page, width, html('post-purchase', locale, brand));
      expect(await browser.js<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      const scores = await boxes(page, 'a[href*="?score="]');
      expect(scores).toHaveLength(11);
      for (const box of scores) {
        expect(box.width, `score ${box.text} width`).toBeGreaterThanOrEqual(40);
        expect(box.height, `score ${box.text} height`).toBeGreaterThanOrEqual(40);
        expect(box.x, `score ${box.text} left edge`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `score ${box.text} right edge`).toBeLessThanOrEqual(width);
      }
      for (let i = 0; i < scores.length; i++) {
        for (let j = i + 1; j < scores.length; j++) expect(overlap(scores[i]!, scores[j]!), `scores ${i} and ${j} overlap`).toBe(false);
      }
      // 0–5 on the first row, 6–10 on the second; in Persian each row runs from the right.
      const [zero, one, six, seven] = [scores[0]!, scores[1]!, scores[6]!, scores[7]!];
      expect(one.y).toBe(zero.y);
      expect(six.y).toBeGreaterThan(zero.y + zero.height);
      expect(seven.y).toBe(six.y);
      if (locale === 'fa') {
        expect(one.x).toBeLessThan(zero.x);
        expect(seven.x).toBeLessThan(six.x);
        expect(scores.map((s) => s.text)).toEqual(['۰', '۱', '۲', '۳', '۴', '۵', '۶', '۷', '۸', '۹', '۱۰']);
      } else {
        expect(one.x).toBeGreaterThan(zero.x);
        expect(seven.x).toBeGreaterThan(six.x);
      }
    },
  );

  test.each(cases)(
    '$width px, $locale, $brandName: "open the survey" and the opt-out link are at least 44 px tall',
    async ({ width, locale, brand }) => {
      await show(page, width, html('post-purchase', locale, brand));
      const [open] = await boxes(page, `a[href="${PUBLIC_URL}/s/${TOKEN}"]`);
      const [optOut] = await boxes(page, `a[href="${PUBLIC_URL}/u/${TOKEN}"]`);
      expect(open!.height).toBeGreaterThanOrEqual(44);
      expect(optOut!.height).toBeGreaterThanOrEqual(44);
      expect(open!.x + open!.width).toBeLessThanOrEqual(width);
    },
  );

  test.each(['post-resolution', 'follow-up'])('the %s email fits 320 px in Persian, its one-tap links at least 40×40', async (surveyId) => {
    await show(page, 320, html(surveyId, 'fa', BRANDED));
    expect(await browser.js<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    const scores = await boxes(page, 'a[href*="?score="]');
    expect(scores.length).toBeGreaterThanOrEqual(2);
    for (const box of scores) expect(Math.min(box.width, box.height), box.text).toBeGreaterThanOrEqual(40);
  });

  test.each(cases.filter((c) => c.width === 320))(
    '$locale, $brandName: axe-core finds nothing to fix in the email',
    async ({ width, locale, brand }) => {
      await show(page, width, html('post-purchase', locale, brand));
      // A mail app shows the message inside its own page, which has the main landmark; the email needs none of its own.
      const violations = (await axeViolations(page)).filter((v) => v.id !== 'landmark-one-main' && v.id !== 'region');
      expect(violations, describeViolations(violations)).toEqual([]);
    },
  );

  test('the branded header shows the logo at its set size, named by its alt text', async () => {
    await show(page, 320, html('post-purchase', 'fa', BRANDED));
    const logo = page.locator('img');
    expect(await logo.getAttribute('alt')).toBe('فروشگاه انار');
    expect(await logo.getAttribute('width')).toBe('40');
    expect(await logo.getAttribute('height')).toBe('40');
    expect(await browser.js<number>('document.images[0].naturalWidth')).toBeGreaterThan(0);
  });

  test('screenshots: Persian at 320 px and English at 390 px, branded', async () => {
    await show(page, 320, html('post-purchase', 'fa', BRANDED));
    await browser.shot('email-320-fa.png');
    await show(page, 390, html('post-purchase', 'en', BRANDED));
    await browser.shot('email-390-en.png');
  });
});
