import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Role } from '../../shared/api/staff.js';
import { HOUR, ManualClock } from '../helpers/clock.js';
import type { TestHami } from '../helpers/hami.js';
import type { TestSmtpServer } from '../helpers/smtp.js';
import { ADMIN, signIn, staffMember, type StaffClient } from '../helpers/staff.js';
import { axeViolations, describeViolations } from './axe.js';
import { customerAnswers, signInWithForm, E2E_NOW, startBrowserRig, type BrowserRig, type TestBrowser } from './browser.js';

/**
 * The dashboard on a phone (390 px) and a desktop (1440 px), in English and Persian, as admin, care and marketing:
 * no page scrolls sideways, the header folds into a Menu button, the callback list becomes cards, the case page
 * leads with the number to call and the work, a 60-character name without spaces wraps, axe finds nothing on any
 * page or state, the focus ring stands out from what lies behind it, and a failed sign-in puts the focus on why.
 * Phone screenshots land in HAMI_SCREENSHOTS_DIR (web/docs/ to refresh the README).
 */

const WIDTHS = [390, 1440] as const;
/** The sideways-scroll check also runs on the narrowest phones in use. */
const ALL_WIDTHS = [360, ...WIDTHS] as const;
const LOCALES = ['en', 'fa'] as const;
type Locale = (typeof LOCALES)[number];
/** 60 characters without a space: a pasted identifier, or a name run together. */
const LONG_NAME = 'Bartholomew-Featherstonehaugh-Montgomery-Worthington-Smythe9';
const LONG_EMAIL = 'bartholomew.featherstonehaugh.montgomery.worthington@example.com';
const OVERDUE = { id: 'cust-overdue', email: 'reza@example.com', name: 'رضا کریمی', phone: '+989121234567', locale: 'fa' };
const LONG = { id: 'cust-long', email: LONG_EMAIL, name: LONG_NAME, phone: '+989351234567', locale: 'en' };
const HAPPY = [
  { id: 'cust-ana', email: 'ana@example.com', name: 'Ana Lopez', locale: 'en' },
  { id: 'cust-sara', email: 'sara@example.com', name: 'سارا احمدی', locale: 'fa' },
];
const STAFF_NAME = 'Maximiliana-Alexandrovna-Konstantinopolskaya-Rahimi-Care-Lead';

const PAGES: Record<Role, string[]> = {
  admin: ['overview', 'callbacks', 'case', 'segments', 'settings'],
  care: ['overview', 'callbacks', 'case'],
  marketing: ['overview', 'segments'],
};

describe('the dashboard on a phone and a desktop, in both languages (Chromium)', () => {
  let smtp: TestSmtpServer;
  let hami: TestHami;
  let browser: TestBrowser;
  let page: Page;
  const people: Record<Role, { email: string; password: string }> = { admin: ADMIN, care: ADMIN, marketing: ADMIN };
  let longCase = '';
  let persianCase = '';
  // The first detractor answers 30 hours ago, so their case is overdue by the time the others answer.
  const clock = new ManualClock(new Date(E2E_NOW.getTime() - 30 * HOUR));

  const js = <T>(expression: string) => browser.js<T>(expression);
  /** A new unknown address for each failed sign-in, so the server's back-off (5 failures per email) never starts. */
  let strangers = 0;
  const stranger = () => `nobody-${++strangers}@example.com`;

  async function use(width: number, locale: Locale) {
    await page.setViewportSize({ width, height: 860 });
    await page.evaluate(`localStorage.setItem('hami.locale', '${locale}')`);
  }

  async function signInAs(role: Role) {
    await page.context().clearCookies();
    await page.goto(`${hami.url}/app/#/login`);
    await page.reload();
    await signInWithForm(page, people[role].email, people[role].password);
    await page.locator('h1#overview-title').waitFor();
  }

  /** Opens a page of the dashboard and waits until its data is on it. */
  async function open(name: string) {
    const hash = name === 'case' ? `#/callbacks/${longCase}` : `#/${name}`;
    await page.goto(`${hami.url}/app/${hash}`);
    if (name === 'overview') {
      await page.locator('.overview[aria-busy=false] .tiles').waitFor();
      await page.locator('.comment-list li').first().waitFor();
    } else if (name === 'callbacks') await page.locator('table.callbacks tbody tr').first().waitFor();
    else if (name === 'case') await page.locator('ol.timeline li').first().waitFor();
    else if (name === 'segments') await page.locator('.member-table tbody tr').first().waitFor();
    else if (name === 'settings') await page.locator('.settings h1').waitFor();
  }

  /** A fresh sign-in as `role` at this width and language, on the named page. */
  async function openAs(role: Role, width: number, locale: Locale, name: string) {
    await page.goto(`${hami.url}/app/`);
    await use(width, locale);
    await signInAs(role);
    await open(name);
  }

  /** How far the page reaches past the viewport's width, and the elements that stick out of it. */
  const overflow = () =>
    js<{ scrollWidth: number; innerWidth: number; outside: string[] }>(`(() => {
      const outside = [...document.querySelectorAll('body *')].filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.right > innerWidth + 0.5 || r.left < -0.5);
      }).slice(0, 5).map((el) => el.tagName.toLowerCase() + '.' + el.className);
      return { scrollWidth: document.documentElement.scrollWidth, innerWidth, outside };
    })()`);

  let rig: BrowserRig | undefined;
  beforeAll(async () => {
    rig = await startBrowserRig(clock, {}, E2E_NOW);
    ({ smtp, hami, browser } = rig);
    page = browser.page;
    await customerAnswers(hami, smtp, {
      customer: OVERDUE,
      id: 'order-1',
      score: 1,
      comment: 'بسته دو هفته دیر رسید و کسی جواب تلفن را نداد.',
    });
    clock.set(E2E_NOW);
    await customerAnswers(hami, smtp, {
      customer: LONG,
      id: 'order-2',
      score: 4,
      comment: `${'NoSpacesAtAllInThisComment'.repeat(4)} and then some words.`,
    });
    for (const [index, customer] of HAPPY.entries())
      await customerAnswers(hami, smtp, { customer, id: `order-${index + 3}`, score: 9 + index, comment: 'Fast and friendly' });
    const admin: StaffClient = await signIn(hami, ADMIN.email, ADMIN.password);
    for (const role of ['care', 'marketing'] as const) {
      const member = await staffMember(hami, admin, role, role === 'care' ? STAFF_NAME : 'Mina Marketing');
      people[role] = { email: member.email, password: member.password };
    }
    const cases = await admin.call('GET', '/api/callbacks');
    const caseOf = (name: string) =>
      cases.body.items.find((item: { customer: { name: string } }) => item.customer.name === name).id as string;
    longCase = caseOf(LONG_NAME);
    persianCase = caseOf(OVERDUE.name);
  }, 120_000);
  afterAll(() => rig?.stop());

  test('no page scrolls sideways at 360, 390 or 1440 px, in English or Persian, as admin, care or marketing', async () => {
    const wide: string[] = [];
    for (const width of ALL_WIDTHS) {
      for (const locale of LOCALES) {
        await page.goto(`${hami.url}/app/`);
        await use(width, locale);
        await page.context().clearCookies();
        await page.reload();
        await page.locator('#login-email').waitFor();
        const login = await overflow();
        if (login.scrollWidth > login.innerWidth)
          wide.push(`login ${width}px ${locale}: ${login.scrollWidth} > ${login.innerWidth} ${login.outside.join(' ')}`);
        for (const role of ['admin', 'care', 'marketing'] as const) {
          await signInAs(role);
          for (const name of PAGES[role]) {
            await open(name);
            const seen = await overflow();
            if (seen.scrollWidth > seen.innerWidth)
              wide.push(`${name} ${width}px ${locale} as ${role}: ${seen.scrollWidth} > ${seen.innerWidth} ${seen.outside.join(' ')}`);
            if (width === 390 && role === 'admin' && `${name}-${locale}` === 'overview-en') await browser.shot('overview-390-en.png');
          }
        }
      }
    }
    expect(wide).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 300_000);

  test('a 60-character name without spaces stays inside the page on every width: wrapped, or cut with an ellipsis', async () => {
    /** Every element showing the long name, with where it is and whether it is cut on purpose. */
    const placed = (text: string) =>
      js<{ left: number; right: number; what: string }[]>(`[...document.querySelectorAll('main *, header *')]
        .filter((el) => el.children.length === 0 && el.textContent.includes(${JSON.stringify(text.slice(0, 20))}) && el.getBoundingClientRect().width > 0)
        .map((el) => { const r = el.getBoundingClientRect(); return { left: r.left, right: r.right, what: el.tagName + '.' + el.className }; })`);
    for (const width of WIDTHS) {
      await page.goto(`${hami.url}/app/`);
      await use(width, 'en');
      await signInAs('admin');
      for (const name of ['overview', 'callbacks', 'case', 'segments']) {
        await open(name);
        const shown = await placed(LONG_NAME);
        expect(shown.length, `${name} at ${width}px shows the name`).toBeGreaterThan(0);
        for (const spot of shown) {
          expect(spot.left, `${name} at ${width}px: ${spot.what}`).toBeGreaterThanOrEqual(0);
          expect(spot.right, `${name} at ${width}px: ${spot.what}`).toBeLessThanOrEqual(width);
        }
        // The list's table never needs its own sideways scroll for a name: it wraps instead.
        if (name === 'callbacks')
          expect(await js('document.querySelector(".table-wrap").scrollWidth <= document.querySelector(".table-wrap").clientWidth')).toBe(
            true,
          );
      }
    }
    // The header cuts a staff member's long name with an ellipsis (in the open menu on a phone), the whole of it in the title.
    await signInAs('care');
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 860 });
      if (width === 390) await page.click('header.top .menu-toggle');
      const [spot] = await placed(STAFF_NAME);
      expect(spot!.left).toBeGreaterThanOrEqual(0);
      expect(spot!.right).toBeLessThanOrEqual(width);
      expect(await js('getComputedStyle(document.querySelector(".who-name")).textOverflow')).toBe('ellipsis');
      expect(await page.getAttribute('.who-name', 'title')).toBe(STAFF_NAME);
    }
  }, 120_000);

  test('on a phone the callback list is a column of cards showing customer, score, due or overdue, owner and status', async () => {
    for (const locale of LOCALES) {
      await openAs('care', 390, locale, 'callbacks');
      const cards = await js<
        { display: string; right: number; left: number; fields: Record<string, boolean>; text: string; labels: string[] }[]
      >(`[...document.querySelectorAll('table.callbacks tbody tr')].map((tr) => {
        const visible = (selector) => { const el = tr.querySelector(selector); return !!el && el.getBoundingClientRect().width > 0 && el.innerText.trim() !== ''; };
        const r = tr.getBoundingClientRect();
        const label = (selector) => getComputedStyle(tr.querySelector(selector), '::before').content;
        return { display: getComputedStyle(tr).display, left: r.left, right: r.right, text: tr.innerText, labels: [label('.cell-due'), label('.cell-owner')],
          fields: { customer: visible('.row-link'), score: visible('.score-number'), due: visible('.cell-due time'), owner: visible('.cell-owner'), status: visible('.status') } };
      })`);
      expect(cards).toHaveLength(2);
      for (const card of cards) {
        expect(card.display).toBe('grid');
        expect(card.fields).toEqual({ customer: true, score: true, due: true, owner: true, status: true });
        expect(card.left).toBeGreaterThanOrEqual(0);
        expect(card.right).toBeLessThanOrEqual(390);
      }
      // The overdue case says so on its card, and the owner and due lines are named in the page's language.
      const overdue = cards.find((card) => card.text.includes(OVERDUE.name))!;
      expect(overdue.text).toContain(locale === 'en' ? 'Overdue' : 'دیرکرده');
      expect(overdue.labels.join(' ')).toContain(locale === 'en' ? 'Owner' : 'مسئول');
      expect(overdue.labels.join(' ')).toContain(locale === 'en' ? 'Due' : 'مهلت');
      // The table's column headings are not drawn above the cards.
      expect(await js('document.querySelector("table.callbacks thead").getBoundingClientRect().height <= 1')).toBe(true);
      if (locale === 'fa') await browser.shot('callbacks-390-fa.png');
    }
    // On a desktop it is a table again.
    await page.setViewportSize({ width: 1440, height: 860 });
    expect(await js('getComputedStyle(document.querySelector("table.callbacks tbody tr")).display')).toBe('table-row');
  }, 60_000);

  test('on a phone the case page starts with the customer and the tel: link, then the work on the case, then the comment', async () => {
    for (const locale of LOCALES) {
      await openAs('care', 390, locale, 'case');
      const tel = `a[href="tel:${LONG.phone}"]`;
      // The number is the first thing to reach after the way back to the list…
      const focusables = await js<string[]>(
        `[...document.querySelectorAll('main a[href], main button, main select, main textarea')].slice(0, 2).map((el) => el.getAttribute('href') ?? el.tagName)`,
      );
      expect(focusables).toEqual(['#/callbacks', `tel:${LONG.phone}`]);
      // …and on the first screen, with the button that claims the case; the comment comes after both.
      const top = (selector: string) =>
        page
          .locator(selector)
          .first()
          .evaluate((el) => el.getBoundingClientRect().top);
      const [telTop, claimTop, commentTop] = [await top(tel), await top('.owner-row button.primary'), await top('blockquote.comment')];
      expect(telTop).toBeLessThan(claimTop);
      expect(claimTop).toBeLessThan(860);
      expect(claimTop).toBeLessThan(commentTop);
      if (locale === 'fa') {
        // The README's picture: a Persian customer's case.
        await page.goto(`${hami.url}/app/#/callbacks/${persianCase}`);
        await page.locator('ol.timeline li').first().waitFor();
        await browser.shot('case-390-fa.png');
      }
    }
    // On a desktop the comment leads (on the right, in Persian), with the customer beside it.
    await page.setViewportSize({ width: 1440, height: 860 });
    const box = (selector: string) => page.locator(selector).first().boundingBox();
    const [comment, customer] = [(await box('.case-feedback'))!, (await box('.case-contact'))!];
    expect(Math.abs(comment.y - customer.y)).toBeLessThan(2);
    expect(customer.x + customer.width).toBeLessThan(comment.x + 1);
  }, 60_000);

  test('on a phone the header folds into a Menu button that opens and closes with the keyboard, light on dark', async () => {
    await page.goto(`${hami.url}/app/`);
    await use(390, 'en');
    await signInAs('admin');
    const toggle = page.locator('header.top .menu-toggle');
    const navShown = () => js<boolean>(`document.querySelector('header.top nav').getBoundingClientRect().height > 0`);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await navShown()).toBe(false);
    expect(await js('document.documentElement.scrollWidth <= innerWidth')).toBe(true);
    // From the skip link at the top of the page: the brand, then the Menu button; Enter opens it.
    await js('document.querySelector("a.skip").focus()');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await js('document.activeElement.className')).toBe('menu-toggle');
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await navShown()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await js('document.activeElement.getAttribute("href")')).toBe('#/overview');
    // The open menu keeps the bar's contrast: white on the dark bar, at least 4.5:1.
    const ratios = await js<number[]>(
      `[...document.querySelectorAll('#top-menu a, #top-menu button, #top-menu .who-name')].map((el) => ${CONTRAST}(getComputedStyle(el).color, getComputedStyle(document.querySelector('header.top')).backgroundColor))`,
    );
    expect(ratios.length).toBeGreaterThanOrEqual(3); // the links, the sign-out button and the name: none missed
    for (const ratio of ratios) expect(ratio).toBeGreaterThanOrEqual(4.5);
    // Escape closes it and returns to the button; choosing a section closes it too.
    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await js('document.activeElement.className')).toBe('menu-toggle');
    await page.keyboard.press('Enter');
    await page.click('header.top nav a[href="#/segments"]');
    await page.locator('h1#segments-title').waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await navShown()).toBe(false);
    // On a desktop there is no Menu button: the navigation is always there.
    await page.setViewportSize({ width: 1440, height: 860 });
    expect(await toggle.isVisible()).toBe(false);
    expect(await navShown()).toBe(true);
  }, 60_000);

  test('after a failed sign-in the focus is on the error, which says why, in English and Persian', async () => {
    for (const locale of LOCALES) {
      await page.context().clearCookies();
      await page.goto(`${hami.url}/app/#/login`);
      await use(1440, locale);
      await page.reload();
      await page.locator('#login-email').waitFor();
      for (let attempt = 0; attempt < 2; attempt++) {
        await page.fill('#login-email', stranger());
        await page.fill('#login-password', 'not the password');
        await page.keyboard.press('Enter');
        await browser.waitUntil(`document.activeElement?.id === 'login-error'`);
        expect(await browser.text('#login-error')).toMatch(locale === 'en' ? /^Wrong email or password\.$/ : /[\u0600-\u06FF]/);
        // The next try starts from the email field again (the error stays until then).
        await page.focus('#login-email');
      }
    }
  }, 30_000);

  test('axe finds no accessibility problems on any page or state, in English and Persian, at 390 and 1440 px', async () => {
    const found: string[] = [];
    const check = async (state: string) => {
      const violations = await axeViolations(page);
      if (violations.length) found.push(`${state}:\n${describeViolations(violations)}`);
    };
    for (const width of WIDTHS) {
      for (const locale of LOCALES) {
        const at = `${width}px ${locale}`;
        await page.context().clearCookies();
        await page.goto(`${hami.url}/app/#/login`);
        await use(width, locale);
        await page.reload();
        await page.locator('#login-email').waitFor();
        await check(`login ${at}`);
        await page.fill('#login-email', stranger());
        await page.fill('#login-password', 'not the password');
        await page.click('button[type=submit]');
        await page.locator('#login-error').waitFor();
        await check(`login error ${at}`);
        await signInWithForm(page, ADMIN.email, ADMIN.password);
        await page.locator('h1#overview-title').waitFor();
        for (const name of PAGES.admin) {
          await open(name);
          await check(`${name} ${at}`);
        }
        if (width === 390) {
          await page.click('header.top .menu-toggle');
          await check(`open menu ${at}`);
        }
      }
    }
    expect(found.join('\n\n')).toBe('');
  }, 300_000);

  test('the focus ring has at least 3:1 contrast against what lies behind it, at every stop of the keyboard', async () => {
    /** Tabs through the page; for each stop, the ring's colour against the colour just outside the element. */
    async function rings(stops: number) {
      const weak: string[] = [];
      for (let i = 0; i < stops; i++) {
        await page.keyboard.press('Tab');
        const seen = await js<{ what: string; style: string; width: number; ratio: number } | null>(`(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          el.scrollIntoView({ block: 'center', inline: 'center' });
          const s = getComputedStyle(el);
          const r = el.getBoundingClientRect();
          const gap = parseFloat(s.outlineOffset) + parseFloat(s.outlineWidth) / 2;
          // A ring drawn inside the element (negative offset) lies on the element's own background.
          const inside = parseFloat(s.outlineOffset) + parseFloat(s.outlineWidth) <= 0;
          // What is painted under the middle of the ring's four sides (the ring lies outside the element's box).
          const points = [[r.left - gap, r.top + r.height / 2], [r.right + gap, r.top + r.height / 2], [r.left + r.width / 2, r.top - gap], [r.left + r.width / 2, r.bottom + gap]];
          const behind = inside ? [s.backgroundColor] : points.map(([x, y]) => {
            const under = document.elementsFromPoint(x, y).find((u) => u !== el && !el.contains(u) && getComputedStyle(u).backgroundColor !== 'rgba(0, 0, 0, 0)');
            return under ? getComputedStyle(under).backgroundColor : 'rgb(255, 255, 255)';
          });
          return { what: el.tagName + ' ' + (el.id || el.className || el.textContent.trim().slice(0, 20)), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
            ratio: Math.min(...behind.map((b) => ${CONTRAST}(s.outlineColor, b))) };
        })()`);
        if (!seen) continue;
        if (seen.style === 'none' || seen.width < 2 || seen.ratio < 3)
          weak.push(`${seen.what}: ${seen.style} ${seen.width}px, ${seen.ratio.toFixed(2)}:1`);
      }
      return weak;
    }
    const weak: string[] = [];
    await page.context().clearCookies();
    await page.goto(`${hami.url}/app/#/login`);
    await use(1440, 'en');
    await page.reload();
    await page.locator('#login-email').waitFor();
    await page.fill('#login-email', stranger());
    await page.fill('#login-password', 'not the password');
    await page.keyboard.press('Enter');
    await page.locator('#login-error').waitFor();
    weak.push(...(await rings(6)).map((line) => `login: ${line}`));
    await signInWithForm(page, ADMIN.email, ADMIN.password);
    await page.locator('h1#overview-title').waitFor();
    for (const name of PAGES.admin) {
      await open(name);
      await js('document.querySelector("a.skip").focus()');
      weak.push(...(await rings(40)).map((line) => `${name}: ${line}`));
    }
    // The phone's open menu: the ring is light on the dark bar.
    await page.setViewportSize({ width: 390, height: 860 });
    await open('callbacks');
    await page.click('header.top .menu-toggle');
    weak.push(...(await rings(8)).map((line) => `phone menu: ${line}`));
    expect(weak).toEqual([]);
  }, 120_000);
});

/** WCAG contrast ratio of two computed CSS colours (rgb/rgba), as a browser-side function expression. */
const CONTRAST = `((a, b) => {
  const lum = (c) => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
})`;
