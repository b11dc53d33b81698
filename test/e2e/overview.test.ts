import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { NpsTrendBody, SummaryBody } from '../../shared/api/metrics.js';
import { wilsonInterval } from '../../shared/intervals.js';
import { countBuckets, MIN_ANSWERS_FOR_SIGNIFICANCE, npsSummary } from '../../shared/nps.js';
import { DAY, HOUR, ManualClock } from '../helpers/clock.js';
import type { TestHami } from '../helpers/hami.js';
import type { TestSmtpServer } from '../helpers/smtp.js';
import { ADMIN, signIn, staffMember, type StaffClient } from '../helpers/staff.js';
import { customerAnswers, signInWithForm, E2E_NOW, startBrowserRig, type Answering, type BrowserRig, type TestBrowser } from './browser.js';

/**
 * The overview in a real browser on a real server: customers answer over three weeks, about two products, by one
 * tap in their survey emails; care closes some detractor cases with a reason. The admin's overview must show the
 * same figures as counted here by hand (NPS with its margin of error and count, the groups, the distribution,
 * a significant jump between two weeks), follow a product filter in the address and through a reload, and speak
 * Persian with Jalali periods and right-to-left charts. Marketing lands on the overview and sees no callbacks.
 * Screenshots land in HAMI_SCREENSHOTS_DIR (web/docs/ to refresh the README).
 */

const MONDAY = 1;
/** Monday 00:00 UTC four weeks before this week: three weeks of answers, all inside the default last 12 months. */
function firstWeek(now: Date): Date {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const sinceMonday = (day.getUTCDay() - MONDAY + 7) % 7;
  return new Date(day.getTime() - (sinceMonday + 28) * DAY);
}
const WEEKS = [0, 1, 2].map((week) => new Date(firstWeek(E2E_NOW).getTime() + week * 7 * DAY));
const dayKey = (date: Date) => date.toISOString().slice(0, 10);

interface Seed {
  week: number;
  product: 'Laptop' | 'Headphones';
  region: 'Tehran' | 'Shiraz';
  scores: number[];
  comments?: Record<number, string>;
  resolution?: { csat: number; solved: 'yes' | 'no' }[];
}

// Week 0 is mostly unhappy (NPS −17), week 1 mostly happy (+77) with 30 answers each: the jump is significant.
const SEEDS: Seed[] = [
  {
    week: 0,
    product: 'Laptop',
    region: 'Tehran',
    scores: [10, 10, 9, 9, 9, 8, 7, 7, 0, 1, 2, 3, 4, 5, 6, 6, 5, 4, 3, 2],
    comments: { 8: 'The screen was cracked and delivery was late', 9: 'Late delivery, broken box' },
  },
  {
    week: 0,
    product: 'Headphones',
    region: 'Tehran',
    scores: [10, 9, 9, 10, 9, 8, 7, 6, 5, 4],
    comments: { 7: 'Left ear broken after a day' },
  },
  { week: 1, product: 'Laptop', region: 'Tehran', scores: [10, 10, 10, 9, 9, 9, 9, 10, 9, 10, 9, 9, 8, 7, 6] },
  {
    week: 1,
    product: 'Headphones',
    region: 'Tehran',
    scores: [10, 9, 10, 9, 10, 9, 10, 9, 10, 9, 10, 9, 10, 8, 3],
    comments: { 0: 'Great sound, fast delivery' },
  },
  {
    week: 2,
    product: 'Headphones',
    region: 'Shiraz',
    scores: [9, 10, 8, 2, 4],
    comments: { 3: 'Delivery was two weeks late', 4: '<img src=x onerror="window.__hacked=1">late again <b>really</b>' },
  },
  {
    week: 2,
    product: 'Headphones',
    region: 'Shiraz',
    scores: [9, 8, 3],
    resolution: [
      { csat: 5, solved: 'yes' },
      { csat: 4, solved: 'yes' },
      { csat: 2, solved: 'no' },
    ],
  },
];

/** What the overview should say, counted here from the seed table with the shared formula. */
function expected(filter: (seed: Seed) => boolean = () => true) {
  const scores = SEEDS.filter(filter).flatMap((seed) => seed.scores);
  const summary = npsSummary(countBuckets(scores));
  const distribution = Array.from({ length: 11 }, (_, score) => scores.filter((s) => s === score).length);
  return { ...summary, distribution };
}

const en = (value: number, options: Intl.NumberFormatOptions = {}) =>
  new Intl.NumberFormat('en', { maximumFractionDigits: 0, ...options }).format(value);
const weekLabel = (monday: Date) => `Week of ${new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'medium' }).format(monday)}`;
const jalaliMonth = (date: Date) =>
  new Intl.DateTimeFormat('fa-IR-u-ca-persian', { timeZone: 'UTC', year: 'numeric', month: 'short' }).format(date);

describe('the overview shows satisfaction trends with honest statistics (Chromium)', () => {
  let smtp: TestSmtpServer;
  let hami: TestHami;
  let browser: TestBrowser;
  let page: Page;
  let admin: StaffClient;
  let marketing: StaffClient;
  const clock = new ManualClock(WEEKS[0]!);

  const tableRows = (id: string) =>
    browser.js<string[][]>(
      `[...document.querySelectorAll('[data-table="${id}"] tbody tr')].map((tr) => [...tr.cells].map((cell) => cell.textContent))`,
    );
  const tile = (id: string) => browser.text(`[data-tile="${id}"]`);
  const hashQuery = () => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');
  /** Waits until every figure on the page is for the current filters. */
  const settled = () =>
    browser.waitUntil(
      `document.querySelector('section.overview')?.getAttribute('aria-busy') === 'false' && !!document.querySelector('[data-tile="nps"]')`,
      10_000,
    );

  const signInAs = (email: string, password: string) => signInWithForm(page, email, password);

  let rig: BrowserRig | undefined;
  // Customers answer over three weeks about two products, and care closes some detractor cases with a reason.
  beforeAll(async () => {
    rig = await startBrowserRig(clock, {}, E2E_NOW);
    ({ smtp, hami, browser } = rig);
    page = browser.page;
    let n = 0;
    for (const seed of SEEDS) {
      // Tuesdays and Wednesdays at noon UTC: inside one Gregorian (Monday) and one Jalali (Saturday) week alike.
      clock.set(new Date(WEEKS[seed.week]!.getTime() + (seed.resolution ? 2 : 1) * DAY + 12 * HOUR));
      const answering: Answering[] = seed.scores.map((score, i) => {
        n++;
        const resolution = seed.resolution?.[i];
        return {
          customer: { id: `c-${n}`, email: `c${n}@example.com`, name: `Customer ${n}`, locale: 'en' },
          id: `${resolution ? 'ticket' : 'order'}-${n}`,
          type: resolution ? 'resolution' : 'purchase',
          score,
          comment: seed.comments?.[i],
          attributes: { product: seed.product, region: seed.region },
          answers: resolution ? { csat: String(resolution.csat), solved: resolution.solved } : undefined,
        };
      });
      // Five at a time: quick, and every customer still gets their own email.
      for (let i = 0; i < answering.length; i += 5) await Promise.all(answering.slice(i, i + 5).map((a) => customerAnswers(hami, smtp, a)));
    }

    admin = await signIn(hami, ADMIN.email, ADMIN.password);
    marketing = await staffMember(hami, admin, 'marketing', 'Mina Karimi');
    const open = (await admin.call('GET', '/api/callbacks')).body.items as { id: string }[];
    expect(open).toHaveLength(SEEDS.flatMap((s) => s.scores).filter((s) => s <= 6).length);
    const reasons = ['shipping_delay', 'shipping_delay', 'shipping_delay', 'product_defect', 'product_defect', 'price'];
    for (const [i, reason] of reasons.entries()) {
      const closed = await admin.call('PATCH', `/api/callbacks/${open[i]!.id}`, {
        status: 'resolved',
        reason,
        outcome: 'We sent a new one today.',
      });
      expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    }
  }, 150_000);
  afterAll(() => rig?.stop());
  // Each test starts signed out, in English, from a browser that has never seen the dashboard.
  beforeEach(() => browser.reset(hami.url));

  /** The admin signed in, on the overview's default view. */
  async function openOverview(): Promise<void> {
    await page.goto(`${hami.url}/app/`);
    await signInAs(ADMIN.email, ADMIN.password);
    await page.locator('h1#overview-title').waitFor();
    await settled();
  }

  test('the admin lands on the overview, whose figures are the ones counted by hand and by the API', async () => {
    await page.goto(`${hami.url}/app/`);
    await signInAs(ADMIN.email, ADMIN.password);
    await page.locator('h1#overview-title').waitFor();
    await settled();

    // The address names the whole view, defaults written in: the last 12 months, weekly.
    const query = hashQuery();
    expect(page.url()).toContain('#/overview?');
    expect(query.get('interval')).toBe('week');
    expect(query.get('to')).toBe(dayKey(E2E_NOW));
    expect(query.get('from')! < dayKey(new Date(E2E_NOW.getTime() - 360 * DAY))).toBe(true);
    expect(await browser.js<string[]>(`[...document.querySelectorAll('header.top nav a')].map((a) => a.textContent)`)).toEqual([
      'Overview',
      'Themes',
      'Callbacks',
      'Segments',
      'Settings',
    ]);

    // The tiles: NPS with its margin and count, the groups with counts and shares, CSAT and the solved rate.
    const all = expected();
    expect(await tile('nps')).toContain(en(all.nps!, { signDisplay: 'exceptZero' }));
    expect(await tile('nps')).toContain(`± ${en(all.marginOfError!)}`);
    expect(await tile('nps')).toContain(`n = ${all.n}`);
    expect(await tile('promoter')).toContain(String(all.promoters));
    expect(await tile('promoter')).toContain(en(all.promoters / all.n, { style: 'percent' }));
    expect(await tile('detractor')).toContain(String(all.detractors));
    expect(await tile('passive')).toContain(String(all.passives));
    expect(await tile('csat')).toContain('67%'); // 2 of 3 gave 4 or 5
    expect(await tile('csat')).toContain('n = 3');
    // with its 95% Wilson interval: 2 of 3 says little (21–94%)
    const csatInterval = wilsonInterval(2, 3)!;
    expect(await tile('csat')).toContain(`${en(csatInterval.low)}%–${en(csatInterval.high)}%`);
    expect(await tile('solved')).toContain(`${en(csatInterval.low)}%–${en(csatInterval.high)}%`);
    expect(await tile('solved')).toContain('67%');
    expect(await browser.text('.source-note')).toBe('Figures from the daily rollups.');

    // The same numbers as the API's, funnel included.
    const summary = (
      await admin.call('GET', `/api/metrics/summary?${new URLSearchParams({ from: query.get('from')!, to: query.get('to')! })}`)
    ).body as SummaryBody;
    expect(summary.nps.n).toBe(all.n);
    expect(summary.funnel.answered).toBe(all.n);
    expect(await tile('response-rate')).toContain(`${summary.funnel.answered} answered of ${summary.funnel.sent} sent`);
    const funnel = await browser.text('[data-funnel]');
    for (const stage of ['planned', 'sent', 'opened', 'answered'] as const) expect(funnel).toContain(String(summary.funnel[stage]));

    // The distribution chart's numbers: answers per score 0–10.
    const distribution = await tableRows('distribution');
    expect(distribution.map((row) => Number(row[1]))).toEqual(all.distribution);
    expect(distribution[0]![0]).toBe('0 (Detractor)');

    // The NPS trend: one row per week; the weeks with answers carry their counts; the jump from week 0 to week 1 is
    // significant, the drift from week 1 to week 2 (8 answers) is not — and 8 answers are too few to show a score.
    const trend = await tableRows('nps-trend');
    const row = (monday: Date) => trend.find((r) => r[0] === weekLabel(monday));
    const weeks = [0, 1, 2].map((week) => expected((seed) => seed.week === week));
    for (const [week, figures] of weeks.entries()) {
      const cells = row(WEEKS[week]!);
      expect(cells, weekLabel(WEEKS[week]!)).toBeDefined();
      const enough = figures.n >= MIN_ANSWERS_FOR_SIGNIFICANCE;
      expect(cells![1]).toBe(enough ? en(figures.nps!, { signDisplay: 'exceptZero' }) : 'Too few');
      expect(cells![2]).toBe(enough ? `±${en(figures.marginOfError!)}` : '–');
      expect(cells![3]).toBe(String(figures.n));
    }
    expect(weeks[2]!.n).toBeLessThan(MIN_ANSWERS_FOR_SIGNIFICANCE);
    expect(row(WEEKS[1]!)![7]).toBe('Yes');
    expect(row(WEEKS[2]!)![7]).toBe('');
    expect(await browser.js('document.querySelector(\'[data-chart="nps-trend"] canvas\').getAttribute("aria-label")')).toContain(
      'Significant changes: 1',
    );
    expect(await browser.js('document.querySelector(\'[data-chart="nps-trend"] canvas\').dataset.xReversed')).toBe('false');

    // The Pareto of closed cases' reasons, and the words detractors use.
    const reasons = await tableRows('reasons');
    expect(reasons).toEqual([
      ['Shipping delay', '3', '50%'],
      ['Product defect', '2', '83%'],
      ['Price', '1', '100%'],
    ]);
    expect(await browser.text('.keywords')).toContain('late');

    // Comments: the newest first; customer text is shown as text, never run as markup.
    const comments = page.locator('.comment-list li');
    await comments.first().waitFor();
    expect(await browser.js('document.querySelectorAll(".comment-list img, .comment-list b").length')).toBe(0);
    expect(await browser.text('.comment-list')).toContain('<img src=x onerror="window.__hacked=1">late again <b>really</b>');
    expect(await browser.js('window.__hacked')).toBeUndefined();
    await page.selectOption('#f-interval', 'week');
    await page.click('.presets button:has-text("3 months")');
    await settled();
    await browser.shot('overview-en.png');

    // Search: typing waits for a pause, then only matching comments are listed.
    await page.fill('#comment-search', 'cracked');
    await browser.waitUntil(`document.querySelectorAll('.comment-list li').length === 1`);
    expect(await browser.text('.comment-list')).toContain('The screen was cracked');
  }, 60_000);

  test('a product filter goes into the address, changes the figures and survives a reload; two attributes need a scan', async () => {
    await openOverview();
    await page.selectOption('#f-attr-product', 'Headphones');
    await browser.waitUntil(`location.hash.includes('attr.product=Headphones')`);
    await settled();
    const headphones = expected((seed) => seed.product === 'Headphones');
    await browser.waitUntil(`document.querySelector('[data-tile="nps"]').textContent.includes('n = ${headphones.n}')`);
    expect(await tile('nps')).toContain(en(headphones.nps!, { signDisplay: 'exceptZero' }));
    expect(hashQuery().get('attr.product')).toBe('Headphones');
    // The note says how the API answered (a dimension some survey does not roll up is scanned).
    const api = (
      await admin.call(
        'GET',
        `/api/metrics/summary?${new URLSearchParams({ from: hashQuery().get('from')!, to: hashQuery().get('to')!, 'attr.product': 'Headphones' })}`,
      )
    ).body as SummaryBody;
    expect(api.nps.n).toBe(headphones.n);
    expect(await browser.js('document.querySelector(".source-note").dataset.source')).toBe(api.source);

    await page.reload();
    await settled();
    expect(await page.inputValue('#f-attr-product')).toBe('Headphones');
    expect(await tile('nps')).toContain(`n = ${headphones.n}`);

    // Product and region together are not rolled up: the figures come from a scan, and say so.
    await page.selectOption('#f-attr-region', 'Shiraz');
    const shiraz = expected((seed) => seed.product === 'Headphones' && seed.region === 'Shiraz');
    await browser.waitUntil(`document.querySelector('[data-tile="nps"]').textContent.includes('n = ${shiraz.n}')`);
    await settled();
    expect(await browser.js('document.querySelector(".source-note").dataset.source')).toBe('scan');
    await page.selectOption('#f-attr-region', '');
    await browser.waitUntil(`!location.hash.includes('attr.region')`);
    expect(browser.pageErrors).toEqual([]);
  }, 30_000);

  test('in Persian: right to left, Persian digits, Jalali weeks and months, charts running right to left', async () => {
    await openOverview();
    await page.selectOption('#f-attr-product', 'Headphones');
    await browser.waitUntil(`location.hash.includes('attr.product=Headphones')`);
    await page.click('header.top button[lang=fa]');
    await page.locator('h1:text("نمای کلی")').waitFor();
    await settled();
    expect(await browser.js('document.documentElement.dir')).toBe('rtl');
    const headphones = expected((seed) => seed.product === 'Headphones');
    await browser.waitUntil(
      `document.querySelector('[data-tile="nps"]').textContent.includes('${new Intl.NumberFormat('fa-IR').format(headphones.n)} پاسخ')`,
    );
    expect(await tile('nps')).toMatch(/[۰-۹]/);
    expect(await tile('nps')).not.toMatch(/[0-9]/);
    expect(await browser.js('document.querySelector(\'[data-chart="nps-trend"] canvas\').dataset.xReversed')).toBe('true');
    expect(await browser.js('document.querySelector(\'[data-chart="distribution"] canvas\').dataset.xReversed')).toBe('true');

    // Weeks from Saturday: the week of week 1's answers starts on the Saturday before its Monday.
    const saturday = new Date(WEEKS[1]!.getTime() - 2 * DAY);
    const weekly = await tableRows('nps-trend');
    const faWeek = `هفته ${new Intl.DateTimeFormat('fa-IR-u-ca-persian', { timeZone: 'UTC', dateStyle: 'medium' }).format(saturday)}`;
    expect(weekly.map((r) => r[0])).toContain(faWeek);

    // Months are Jalali months.
    await page.selectOption('#f-interval', 'month');
    await browser.waitUntil(`location.hash.includes('interval=month')`);
    await settled();
    const monthly = await tableRows('nps-trend');
    expect(monthly.map((r) => r[0])).toContain(jalaliMonth(WEEKS[1]!));
    expect(monthly.flat().join(' ')).not.toMatch(/[0-9]/);

    await page.selectOption('#f-attr-product', '');
    await page.selectOption('#f-interval', 'week');
    await page.click('.presets button:has-text("۳ ماه")');
    await settled();
    await browser.shot('overview-fa.png');
    // The API was asked for Jalali periods.
    const nps = (
      await admin.call(
        'GET',
        `/api/metrics/nps?${new URLSearchParams({ from: hashQuery().get('from')!, to: hashQuery().get('to')!, interval: 'week', calendar: 'jalali' })}`,
      )
    ).body as NpsTrendBody;
    expect((await tableRows('nps-trend')).length).toBe(nps.points.length);

    await page.click('header.top button[lang=en]');
    await page.locator('h1:text("Overview")').waitFor();
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations()).toEqual([]);
  }, 30_000);

  test('charts cannot mislead: too few answers drawn as too few, every bar labelled, Persian digits on every chart, empty ranges said', async () => {
    // Every text drawn on a chart's canvas, by chart: what a reader sees on the bars and axes.
    await page.addInitScript({
      content: `{
        const fillText = CanvasRenderingContext2D.prototype.fillText;
        CanvasRenderingContext2D.prototype.fillText = function (text, x, y, maxWidth) {
          const chart = this.canvas.closest('[data-chart]')?.getAttribute('data-chart') ?? '';
          (window.__drawn ??= []).push([chart, String(text)]);
          return fillText.call(this, text, x, y, maxWidth);
        };
      }`,
    });
    await openOverview();
    await page.click('.presets button:has-text("3 months")');
    await settled();
    const drawn = async (chart: string) =>
      (await browser.js<[string, string][]>('window.__drawn ?? []')).filter(([c]) => c === chart).map(([, text]) => text);

    // Week 2's 8 answers: no score, a grey column labelled with its count, explained in the legend.
    const week2 = (await tableRows('nps-trend')).find((r) => r[0] === weekLabel(WEEKS[2]!))!;
    expect(week2.slice(1, 4)).toEqual(['Too few', '–', '8']);
    // Only that column is labelled: periods with a score or with no answers get no count written over them.
    expect([...new Set((await drawn('nps-trend')).filter((t) => t.startsWith('n = ')))]).toEqual(['n = 8']);
    expect(await browser.text('[data-chart="nps-trend"] .chart-legend')).toContain(
      'Grey column: fewer than 30 answers, too few to show a score',
    );
    // CSAT and the solved rate of 3 answers a week: too few as well.
    const satisfactionWeek2 = (await tableRows('satisfaction-trend')).find((r) => r[0] === weekLabel(WEEKS[2]!))!;
    expect([satisfactionWeek2[1], satisfactionWeek2[5]]).toEqual(['Too few', 'Too few']);

    // Every bar carries its value: the 11 scores' counts, the reasons' counts.
    const all = expected();
    const distributionLabels = await drawn('distribution');
    for (const count of all.distribution) expect(distributionLabels).toContain(String(count));
    expect(await drawn('reasons')).toEqual(expect.arrayContaining(['3', '2', '1']));

    // In Persian every figure drawn on every chart uses Persian digits: bar labels, axes, too-few counts.
    await browser.js('window.__drawn = []');
    await page.click('header.top button[lang=fa]');
    await page.locator('h1:text("نمای کلی")').waitFor();
    await settled();
    await browser.waitUntil(`(window.__drawn ?? []).some(([c]) => c === 'distribution')`);
    const fa = (value: number) => new Intl.NumberFormat('fa-IR').format(value);
    for (const chart of ['nps-trend', 'distribution', 'satisfaction-trend', 'reasons']) {
      const texts = await drawn(chart);
      expect(texts.length, chart).toBeGreaterThan(0);
      expect(
        texts.filter((t) => /[0-9]/.test(t)),
        chart,
      ).toEqual([]);
      expect(
        texts.some((t) => /[۰-۹]/.test(t)),
        chart,
      ).toBe(true);
    }
    expect(await drawn('nps-trend')).toContain(`${fa(8)} پاسخ`);
    for (const count of all.distribution) expect(await drawn('distribution')).toContain(fa(count));

    // A range nobody answered in says so, in Persian and in English, instead of drawing empty axes.
    const emptyRange = '#/overview?from=2020-01-01&to=2020-01-31&interval=week';
    await page.goto(`${hami.url}/app/${emptyRange}`);
    await settled();
    for (const chart of ['nps-trend', 'distribution', 'satisfaction-trend']) {
      expect(await browser.text(`[data-chart="${chart}"] [data-empty]`)).toBe('در این بازه پاسخی نیست');
      expect(await page.locator(`[data-chart="${chart}"] canvas`).count()).toBe(0);
    }
    await page.click('header.top button[lang=en]');
    await page.locator('h1:text("Overview")').waitFor();
    await settled();
    expect(await browser.text('[data-chart="nps-trend"] [data-empty]')).toBe('No answers in this range');
    expect(browser.pageErrors).toEqual([]);
  }, 60_000);

  test('lists say they are updating while a new filter loads, and a detractor’s comment opens its case', async () => {
    await openOverview();
    await page.click('.presets button:has-text("3 months")');
    await settled();
    await page.locator('.comment-list li').first().waitFor();
    /** Holds the next answers of one API path until released: the list's in-between state stays on screen. */
    async function hold(path: string) {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      await page.route(
        (url) => url.pathname === path,
        async (route) => {
          await gate;
          await route.continue();
        },
      );
      return release;
    }

    // Comments: a new product filter; the old comments stay, dimmed, marked busy and said to be updating.
    const releaseComments = await hold('/api/metrics/comments');
    await page.selectOption('#f-attr-product', 'Laptop');
    await browser.waitUntil(`document.querySelector('section.comments')?.getAttribute('aria-busy') === 'true'`);
    expect(await browser.text('section.comments [data-busy-note]')).toBe('Updating…');
    expect(await page.locator('.comment-list li').count()).toBeGreaterThan(0);
    releaseComments();
    await browser.waitUntil(`document.querySelector('section.comments')?.getAttribute('aria-busy') === 'false'`);
    expect(await page.locator('section.comments [data-busy-note]').count()).toBe(0);
    expect(await browser.text('.comment-list')).not.toContain('Great sound');

    // A detractor's comment links to its case; the case opens.
    const cracked = page.locator('.comment-list li', { hasText: 'The screen was cracked' });
    await cracked.locator('a.comment-case').click();
    await page.locator('h1#case-title').waitFor();
    expect(page.url()).toMatch(/#\/callbacks\/[\w-]+$/);
    expect(await browser.text('blockquote.comment')).toContain('The screen was cracked');

    // The callback list: a new status filter keeps the old rows on screen, but busy and said to be updating.
    await page.goto(`${hami.url}/app/#/callbacks`);
    await page.locator('table.callbacks tbody tr').first().waitFor();
    const releaseCallbacks = await hold('/api/callbacks');
    await page.selectOption('#f-status', 'resolved');
    await browser.waitUntil(`document.querySelector('section.callback-list')?.getAttribute('aria-busy') === 'true'`);
    expect(await browser.text('section.callback-list [data-busy-note]')).toBe('Updating…');
    expect(await page.locator('table.callbacks tbody tr').count()).toBeGreaterThan(0);
    releaseCallbacks();
    await browser.waitUntil(`document.querySelector('section.callback-list')?.getAttribute('aria-busy') === 'false'`);
    expect(await page.locator('section.callback-list [data-busy-note]').count()).toBe(0);
    expect(await browser.js<string[]>(`[...document.querySelectorAll('table.callbacks .status')].map((s) => s.textContent)`)).toEqual(
      Array(6).fill('Resolved'),
    );
    // Every held request has gone on by now: the routes can go.
    await page.unrouteAll({ behavior: 'wait' });
    await page.goto(`${hami.url}/app/#/overview`);
    await settled();
    expect(browser.pageErrors).toEqual([]);
  }, 60_000);

  test('marketing lands on the overview and is never shown the callback list', async () => {
    await page.goto(`${hami.url}/app/`);
    await signInAs(marketing.email, marketing.password);
    await page.locator('h1#overview-title').waitFor();
    expect(page.url()).toContain('#/overview?');
    expect(await browser.js<string[]>(`[...document.querySelectorAll('header.top nav a')].map((a) => a.textContent)`)).toEqual([
      'Overview',
      'Themes',
      'Segments',
    ]);
    expect(await browser.text('.role')).toBe('Marketing');
    await settled();

    // Comments do not link to cases marketing may not open.
    await page.locator('.comment-list li').first().waitFor();
    expect(await page.locator('a.comment-case').count()).toBe(0);

    // A callbacks address leads back to the overview.
    await page.goto(`${hami.url}/app/#/callbacks`);
    await browser.waitUntil(`location.hash.startsWith('#/overview')`);
    expect(await page.locator('table.callbacks').count()).toBe(0);
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations()).toEqual([]);
  }, 30_000);
});
