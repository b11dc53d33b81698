import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { ThemeImpactBody } from '../../shared/api/themes.js';
import { DAY, HOUR, ManualClock } from '../helpers/clock.js';
import { eventually, type TestHami } from '../helpers/hami.js';
import type { TestSmtpServer } from '../helpers/smtp.js';
import { ADMIN, signIn, staffMember, type StaffClient } from '../helpers/staff.js';
import { axeViolations, describeViolations } from './axe.js';
import { customerAnswers, signInWithForm, E2E_NOW, startBrowserRig, type Answering, type BrowserRig, type TestBrowser } from './browser.js';

/**
 * The themes page in a real browser on a real server, in English and Persian, on a phone and a desktop. Customers
 * answer by one tap in their survey emails and write comments: many unhappy ones about late delivery (in English and
 * Persian), happy ones about other things, and a few about loyalty points, which no theme covers. The page must show
 * the delivery theme with the count written here and a significant negative effect, say that several themes were
 * compared at once, list the theme's comments with the link to each detractor's case (not for marketing), fit a
 * 360 px phone as cards, and pass axe. In Settings the admin adds a theme and switches one off, accepts the
 * loyalty-points phrase as a new theme, re-tags, and the themes page then follows. Screenshots land in HAMI_SCREENSHOTS_DIR (web/docs/ to refresh the README).
 */

const LATE_EN = ['The parcel arrived late', 'Delivery was late again', 'Late delivery and nobody called', 'It came a week late'];
const LATE_FA = ['سفارش دیر رسید', 'بسته خیلی دیر رسید و کسی جواب نداد'];
const HAPPY_EN = ['Great quality, thank you', 'Lovely colours and a good fit', 'Friendly staff in the shop'];
const HAPPY_FA = ['کیفیت عالی بود', 'از خرید راضی هستم'];
const LOYALTY = ['Where are my loyalty points?', 'The loyalty points never showed up', 'loyalty points missing after my order'];

/** Delivery comments: 36, mostly from detractors; other comments: 36, mostly from promoters; loyalty points: 9. */
function seeds(): Answering[] {
  const out: Answering[] = [];
  let n = 0;
  const add = (score: number, comment: string, locale: 'en' | 'fa') => {
    n++;
    out.push({
      customer: { id: `t-${n}`, email: `t${n}@example.com`, name: locale === 'fa' ? `مشتری ${n}` : `Customer ${n}`, locale },
      id: `order-${n}`,
      score,
      comment,
    });
  };
  const lateScores = [
    ...Array(28)
      .fill(0)
      .map((_, i) => i % 7),
    7,
    8,
    7,
    8,
    9,
    10,
    9,
    10,
  ];
  lateScores.forEach((score, i) => {
    if (i % 3 === 2) add(score, LATE_FA[i % LATE_FA.length]!, 'fa');
    else add(score, LATE_EN[i % LATE_EN.length]!, 'en');
  });
  const happyScores = [
    ...Array(26)
      .fill(0)
      .map((_, i) => 9 + (i % 2)),
    7,
    8,
    7,
    8,
    7,
    8,
    3,
    5,
    6,
    4,
  ];
  happyScores.forEach((score, i) => {
    if (i % 3 === 2) add(score, HAPPY_FA[i % HAPPY_FA.length]!, 'fa');
    else add(score, HAPPY_EN[i % HAPPY_EN.length]!, 'en');
  });
  [2, 3, 8, 9, 4, 10, 1, 9, 5].forEach((score, i) => {
    add(score, LOYALTY[i % LOYALTY.length]!, 'en');
  });
  return out;
}
const SEEDS = seeds();
const LATE_COUNT = SEEDS.filter((s) => [...LATE_EN, ...LATE_FA].includes(s.comment!)).length;
const LOYALTY_COUNT = SEEDS.filter((s) => LOYALTY.includes(s.comment!)).length;
const THANKS_COUNT = SEEDS.filter((s) => /thank you|راضی/.test(s.comment!)).length;

/** Text as a person reads it: without the invisible direction marks and isolates around figures. */
const plain = (text: string) =>
  text
    .replace(/[\u200e\u200f\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

describe('the themes page shows what comments are about and how much each theme moves NPS (Chromium)', () => {
  let smtp: TestSmtpServer;
  let hami: TestHami;
  let browser: TestBrowser;
  let page: Page;
  let admin: StaffClient;
  let marketing: StaffClient;
  /** The API's answer for the seeded month: how many themes were compared. */
  let impact: ThemeImpactBody;
  // Two days ago at noon: inside the default range (the last 12 months) and inside the candidates' last 90 days.
  const clock = new ManualClock(new Date(Math.floor(E2E_NOW.getTime() / DAY) * DAY - 2 * DAY + 12 * HOUR));

  const js = <T>(expression: string) => browser.js<T>(expression);
  async function use(width: number, locale: 'en' | 'fa') {
    await page.setViewportSize({ width, height: 860 });
    await page.evaluate(`localStorage.setItem('hami.locale', '${locale}')`);
  }
  async function signInAs(who: { email: string; password: string }, locale: 'en' | 'fa', width: number) {
    await page.goto(`${hami.url}/app/`);
    await use(width, locale);
    await page.context().clearCookies();
    await page.goto(`${hami.url}/app/#/login`);
    await page.reload();
    await signInWithForm(page, who.email, who.password);
    await page.locator('h1#overview-title').waitFor();
  }
  /** Opens the themes page (for `theme`, if given) and waits until its figures are there. */
  async function openThemes(theme?: string) {
    await page.goto(`${hami.url}/app/#/themes${theme ? `?theme=${theme}` : ''}`);
    await page.locator('.themes-page[aria-busy=false] .theme-table').waitFor({ timeout: 15_000 });
    if (theme) await page.locator('.comments[aria-busy=false] .comment-list li').first().waitFor({ timeout: 10_000 });
  }
  const row = (id: string) => `.theme-table tr[data-theme="${id}"]`;
  const expectNoAxeViolations = async (where: string) => {
    const violations = await axeViolations(page);
    expect(violations, `${where}\n${describeViolations(violations)}`).toEqual([]);
  };
  const sideways = () => js<boolean>('document.documentElement.scrollWidth > window.innerWidth');

  let rig: BrowserRig | undefined;
  // Customers answer with comments about late delivery, other things and loyalty points.
  beforeAll(async () => {
    rig = await startBrowserRig(clock, {}, E2E_NOW);
    ({ smtp, hami, browser } = rig);
    page = browser.page;
    // Five at a time: quick, and every customer still gets their own email.
    for (let i = 0; i < SEEDS.length; i += 5) await Promise.all(SEEDS.slice(i, i + 5).map((a) => customerAnswers(hami, smtp, a)));
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
    marketing = await staffMember(hami, admin, 'marketing', 'Mina Karimi');
    const day = (date: Date) => date.toISOString().slice(0, 10);
    const answered = await admin.call('GET', `/api/metrics/themes?from=${day(new Date(E2E_NOW.getTime() - 30 * DAY))}&to=${day(E2E_NOW)}`);
    expect(answered.status).toBe(200);
    impact = answered.body as ThemeImpactBody;
    expect(impact.themes.find((t) => t.id === 'delivery')?.count).toBe(LATE_COUNT);
  }, 240_000);
  afterAll(() => rig?.stop());
  // Each test starts signed out from a fresh browser, with the dictionary Hami ships and history tagged by it.
  beforeEach(() => browser.reset(hami.url));
  afterEach(async () => {
    for (const id of ['thanks', 'loyalty', 'price']) await admin.call('DELETE', `/api/themes/${id}`);
    if (!(await admin.call('GET', '/api/themes')).body.stale) return;
    expect((await admin.call('POST', '/api/themes/retag')).status).toBe(202);
    await eventually(async () => !(await admin.call('GET', '/api/themes')).body.stale, 30_000);
  }, 60_000);

  test('in English on a desktop: the delivery theme with its count, shares, NPS with and without, and a significant negative effect', async () => {
    await signInAs(ADMIN, 'en', 1440);
    await page.click('nav a[href="#/themes"]');
    await page.locator('.themes-page[aria-busy=false] .theme-table').waitFor({ timeout: 15_000 });
    expect(await page.title()).toContain('Themes');
    // The filters are the overview's, written into the address.
    expect(page.url()).toMatch(/#\/themes\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&interval=week/);

    const delivery = plain(await browser.text(row('delivery')));
    expect(await browser.text(`${row('delivery')} .cell-count`)).toBe(String(LATE_COUNT));
    expect(delivery).toContain('Delivery');
    expect(delivery).toMatch(/Detractors \d+%/);
    expect(await page.getAttribute(`${row('delivery')} .effect`, 'data-significant')).toBe('true');
    // "-9.4 points ±3.1 Significant": a negative figure with one decimal, its margin, and the mark in words.
    expect(plain(await browser.text(`${row('delivery')} .cell-effect`))).toMatch(/^-\d+\.\d points ±\d+(\.\d)? ✓ Significant$/);
    expect(plain(await browser.text(`${row('delivery')} .cell-with`))).toMatch(/^-\d+ ± \d+ n = 36$/);
    // Delivery drags NPS down the most: it leads the list.
    expect(await js('document.querySelector(".theme-table tbody tr").dataset.theme')).toBe('delivery');
    // Loyalty points is no theme yet: only a candidate phrase in Settings.
    expect(await page.locator(row('loyalty')).count()).toBe(0);
    const fdr = plain(await browser.text('.theme-fdr'));
    expect(fdr).toMatch(new RegExp(`^${impact.comparisons} themes? (was|were) compared at once\\.`));
    expect(fdr).toContain('Benjamini–Hochberg');
    expect(fdr).toContain('5%');

    // The trend: delivery drawn and named; the numbers table holds its count.
    await page.locator('figure[data-chart="theme-trend"] canvas').waitFor();
    expect(await browser.text('figure[data-chart="theme-trend"] .chart-legend')).toContain('Delivery');
    const table = await js<string[][]>(
      `[...document.querySelectorAll('[data-table="theme-trend"] tr')].map((tr) => [...tr.cells].map((c) => c.textContent))`,
    );
    const column = table[0]!.findIndex((cell) => cell?.startsWith('Delivery'));
    expect(column).toBeGreaterThan(1);
    expect(table.slice(1).reduce((sum, cells) => sum + Number.parseInt(cells[column] ?? '0', 10), 0)).toBe(LATE_COUNT);
    await browser.shot('themes-en.png');
    await expectNoAxeViolations('themes page, en, 1440');
  }, 90_000);

  test('clicking a theme lists its comments, each detractor’s with the link to its case; search narrows them', async () => {
    await signInAs(ADMIN, 'en', 1440);
    await openThemes();
    await page.click(`${row('delivery')} .cell-theme a`);
    await page.locator('.comments[data-theme=delivery][aria-busy=false] .comment-list li').first().waitFor({ timeout: 10_000 });
    expect(page.url()).toContain('theme=delivery');
    expect(await browser.text('#comments-title')).toBe(`Comments about ${await browser.text(`${row('delivery')} .cell-theme a`)}`);
    const comments = await js<string[]>(`[...document.querySelectorAll('.comment-list .comment-text')].map((p) => p.textContent)`);
    expect(comments.length).toBe(20);
    for (const text of comments) expect([...LATE_EN, ...LATE_FA]).toContain(text);
    const caseLinks = await js<string[]>(
      `[...document.querySelectorAll('.comment-list a.comment-case')].map((a) => a.getAttribute('href'))`,
    );
    expect(caseLinks.length).toBeGreaterThan(0);
    // Searching inside the theme: only its comments with the word.
    await page.fill('#comment-search', 'parcel');
    await browser.waitUntil(
      `[...document.querySelectorAll('.comment-list .comment-text')].every((p) => p.textContent === 'The parcel arrived late') && document.querySelectorAll('.comment-list li').length > 0`,
      10_000,
    );
    await page.fill('#comment-search', '');
    await page.locator('.comments[aria-busy=false] a.comment-case').first().waitFor();
    await page.click('.comment-list a.comment-case');
    await page.locator('ol.timeline li').first().waitFor({ timeout: 10_000 });
    expect(page.url()).toMatch(/#\/callbacks\/[\w-]+$/);
  }, 60_000);

  test('marketing reads the themes and the comments but gets no link to cases', async () => {
    await signInAs(marketing, 'en', 1440);
    await openThemes('delivery');
    expect(await js('document.querySelectorAll(".comment-list li").length')).toBeGreaterThan(0);
    expect(await js('document.querySelectorAll(".comment-list a.comment-case").length')).toBe(0);
    expect(await js('!!document.querySelector("nav a[href=\\"#/themes\\"]")')).toBe(true);
  }, 60_000);

  test('in Persian on a phone: right to left, Persian digits, cards instead of a table, nothing scrolls sideways, axe clean', async () => {
    await signInAs(ADMIN, 'fa', 390);
    await openThemes('delivery');
    expect(await js('document.documentElement.dir')).toBe('rtl');
    expect(await browser.text('h1#themes-title')).toBe('موضوع‌ها');
    expect(await browser.text(`${row('delivery')} .cell-count`)).toBe(new Intl.NumberFormat('fa-IR').format(LATE_COUNT));
    const effect = plain(await browser.text(`${row('delivery')} .cell-effect`));
    expect(effect).toMatch(/^−[۰-۹]+٫[۰-۹] امتیاز ±[۰-۹٫]+ ✓ معنادار$/);
    expect(effect).not.toMatch(/[0-9]/);
    expect(plain(await browser.text('.theme-fdr'))).toContain('بنجامینی–هوخبرگ');
    // Each theme is a card: the row is a grid and the table's head is hidden.
    expect(await js(`getComputedStyle(document.querySelector('${row('delivery')}')).display`)).toBe('grid');
    expect(await js(`document.querySelector('.theme-table thead').getBoundingClientRect().height <= 1`)).toBe(true);
    // The trend's periods are Jalali months or Saturday weeks, in Persian digits.
    const firstPeriod = await js<string>(`document.querySelector('[data-table="theme-trend"] tbody th').textContent`);
    expect(firstPeriod).toMatch(/[۰-۹]/);
    expect(await sideways()).toBe(false);
    await browser.shot('themes-390-fa.png');
    await expectNoAxeViolations('themes page, fa, 390');
    for (const locale of ['en', 'fa'] as const) {
      await use(360, locale);
      await openThemes('delivery');
      expect(await sideways(), `themes at 360 px in ${locale}`).toBe(false);
      await page.goto(`${hami.url}/app/#/settings`);
      await page.locator('.theme-settings .theme-dictionary').waitFor();
      expect(await sideways(), `settings at 360 px in ${locale}`).toBe(false);
    }
  }, 90_000);

  test('the admin adds a theme and switches one off in Settings, re-tags, and the themes page follows', async () => {
    await signInAs(ADMIN, 'en', 1440);
    await page.goto(`${hami.url}/app/#/settings`);
    await page.locator('.theme-dictionary li[data-theme="delivery"]').waitFor({ timeout: 10_000 });
    await page.click('.theme-settings button:has-text("Add theme")');
    // A bad id is refused by the form, in words, before anything is sent.
    await page.fill('#theme-id', 'Thanks!');
    await page.click('.theme-form button[type=submit]');
    expect(await browser.text('#theme-form-error')).toContain('Lower-case letters');
    expect(await page.getAttribute('#theme-id', 'aria-invalid')).toBe('true');
    await page.fill('#theme-id', 'thanks');
    await page.fill('#theme-label-en', 'Thanks');
    await page.fill('#theme-label-fa', 'سپاس');
    await page.fill('#theme-terms-en', 'thank you\nthanks');
    await page.fill('#theme-terms-fa', 'راضی');
    await expectNoAxeViolations('settings, adding a theme');
    await page.click('.theme-form button[type=submit]');
    await page.locator('.theme-dictionary li[data-theme="thanks"]').waitFor({ timeout: 10_000 });
    expect(await browser.text('.theme-settings > .flash')).toContain('The theme Thanks was saved');
    // The same id again: the server refuses it, said in the dashboard's words by the field.
    await page.click('.theme-settings button:has-text("Add theme")');
    await page.fill('#theme-id', 'thanks');
    await page.fill('#theme-label-en', 'Thanks again');
    await page.fill('#theme-label-fa', 'سپاس');
    await page.click('.theme-form button[type=submit]');
    await browser.waitUntil(`document.querySelector('#theme-form-error')?.textContent.includes('exists already')`);
    await page.click('.theme-form button:has-text("Cancel")');
    await page.click('.theme-dictionary li[data-theme="price"] button:has-text("Switch off")');
    await browser.waitUntil(`document.querySelector('.theme-dictionary li[data-theme="price"]').classList.contains('is-disabled')`);
    expect(await page.getAttribute('.retag', 'data-stale')).toBe('true');

    await page.click('.retag button');
    await browser.waitUntil(`/answers re-tagged/.test(document.querySelector('[data-retag-result]').textContent)`, 30_000);
    expect(plain(await browser.text('[data-retag-result]'))).toMatch(new RegExp(`^${SEEDS.length} answers re-tagged`));
    expect(await page.getAttribute('.retag', 'data-stale')).toBe('false');
    await expectNoAxeViolations('settings after re-tagging');

    await openThemes();
    expect(await browser.text(`${row('thanks')} .cell-count`)).toBe(String(THANKS_COUNT));
    expect(await page.locator(row('price')).count()).toBe(0);
    expect(await browser.text(`${row('delivery')} .cell-count`)).toBe(String(LATE_COUNT));
  }, 120_000);

  test('the admin accepts a candidate phrase as a new theme, re-tags, and the themes page shows it', async () => {
    await signInAs(ADMIN, 'en', 1440);
    await page.goto(`${hami.url}/app/#/settings`);
    const candidate = '.candidate-list li[data-phrase="loyalty points"]';
    await page.locator(candidate).waitFor({ timeout: 10_000 });
    expect(plain(await browser.text(candidate))).toContain(`${LOYALTY_COUNT} comments`);
    await page.click(`${candidate} button`);
    await page.selectOption(`${candidate} select`, '');
    await page.fill(`${candidate} input[dir=ltr]`, 'loyalty');
    await page.fill(`${candidate} input[id$="-en"]`, 'Loyalty points');
    await page.fill(`${candidate} input[id$="-fa"]`, 'امتیاز وفاداری');
    await expectNoAxeViolations('settings, accepting a candidate');
    await page.click(`${candidate} button[type=submit]`);
    await page.locator('.theme-dictionary li[data-theme="loyalty"]').waitFor({ timeout: 10_000 });
    expect(await browser.text('.theme-settings > .flash')).toContain('“loyalty points” is now a term of Loyalty points');
    expect(await page.getAttribute('.retag', 'data-stale')).toBe('true');

    await page.click('.retag button');
    await browser.waitUntil(`/answers re-tagged/.test(document.querySelector('[data-retag-result]').textContent)`, 20_000);
    expect(await page.getAttribute('.retag', 'data-stale')).toBe('false');
    await expectNoAxeViolations('settings after re-tagging');

    await openThemes();
    expect(await browser.text(`${row('loyalty')} .cell-count`)).toBe(String(LOYALTY_COUNT));
    // Nine comments are too few to tell an effect: the page says so instead of a figure.
    expect(plain(await browser.text(`${row('loyalty')} .cell-effect`))).toMatch(/^Too few comments to tell/);
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations()).toEqual([]);
  }, 90_000);
});
