import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { CDPSession } from 'playwright-core';
import { ensureDashboardBuilt, launchBrowser, signInWithForm, type TestBrowser } from './browser.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { ADMIN } from '../helpers/staff.js';
import { axeViolations, describeViolations } from './axe.js';

/*
 * The dashboard on Chrome DevTools' "Slow 3G" preset, the exact numbers of its network panel
 * (front_end/core/sdk/NetworkManager.ts, Slow3GConditions): 500 kbit/s × 0.8 each way (50,000 bytes/s) and a
 * 400 ms RTT × 5 = 2,000 ms latency, which Chromium adds to every request. So nothing can be faster than one round
 * trip: the signed-out page carries its own sign-in form (server/http/sign-in-page.tsx), so a first visit is usable
 * after that one, as a later one is with the fingerprinted files cached. The test times inside the page (from the
 * navigation's start, performance.now()), not from this test process; it holds the line's part (until the last byte
 * the view needs) to the targets and gives the page's own work after it an allowance for a loaded machine; the
 * server is warmed first.
 */
const NO_THROTTLE = { offline: false, downloadThroughput: -1, uploadThroughput: -1, latency: 0 };
const SLOW_3G = {
  offline: false,
  downloadThroughput: ((500 * 1000) / 8) * 0.8,
  uploadThroughput: ((500 * 1000) / 8) * 0.8,
  latency: 400 * 5,
};

/**
 * Stamps, inside the page, the first moment a selector is in the document (before any page script runs); `.top-end`
 * (the language toggle) is drawn only by the dashboard's script: the moment it took the page over.
 */
const STAMP_WHEN_SHOWN = `
  window.__shownAt = {};
  new MutationObserver(() => {
    for (const selector of ['#login-email', '#overview-title', '.top-end']) {
      if (!(selector in window.__shownAt) && document.querySelector(selector)) window.__shownAt[selector] = performance.now();
    }
  }).observe(document, { childList: true, subtree: true });
`;

describe("the dashboard on a slow line (Chrome's Slow 3G)", () => {
  let hami: TestHami;
  let browser: TestBrowser;
  let cdp: CDPSession;
  /** Requests on the line now: a person coming back finds the last page done loading, not six calls holding every socket. */
  const inFlight = new Set<string>();

  beforeAll(async () => {
    ensureDashboardBuilt();
    hami = await startTestHami();
    // Warm the server (compiled routes, the first database reads) from here, not through the browser's cache.
    const page = await (await fetch(`${hami.url}/app/`)).text();
    for (const [, file] of page.matchAll(/(?:src|href)="(\/app\/assets\/[^"]+)"/g)) await (await fetch(`${hami.url}${file}`)).arrayBuffer();
    // A build of the dashboard (brotli at its best level) on a busy machine can take a while.
  }, 90_000);
  afterAll(async () => {
    await hami?.stopAndClean();
  });
  // Each test has a browser of its own: an empty cache, no session, the slow line on.
  beforeEach(async () => {
    inFlight.clear();
    browser = await launchBrowser();
    await browser.context.addInitScript({ content: STAMP_WHEN_SHOWN });
    cdp = await browser.context.newCDPSession(browser.page);
    cdp.on('Network.requestWillBeSent', (e) => inFlight.add(e.requestId));
    cdp.on('Network.loadingFinished', (e) => inFlight.delete(e.requestId));
    cdp.on('Network.loadingFailed', (e) => inFlight.delete(e.requestId));
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  }, 30_000);
  afterEach(() => browser?.close());

  /** A first visit on a fast line, signing in: the dashboard's files are in the cache and the session is kept. */
  async function visitedBefore(): Promise<void> {
    await cdp.send('Network.emulateNetworkConditions', NO_THROTTLE);
    await browser.page.goto(`${hami.url}/app/`);
    await signInWithForm(browser.page, ADMIN.email, ADMIN.password);
    await browser.page.locator('#overview-title').waitFor({ timeout: 30_000 });
    await eventually(() => inFlight.size === 0, 30_000);
    await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  }

  interface Visit {
    /** ms from the navigation's start until the view was in the page. */
    usable: number;
    /** ms until the last byte the view needed arrived (the page, its files): the part the line decides. */
    network: number;
    /** What the view loaded before it showed (from the line, or transferSize 0: from the cache). */
    fetched: { name: string; transferSize: number }[];
  }

  /** Opens the dashboard and waits for `selector`, after the last page's own loading is done. */
  async function open(selector: string): Promise<Visit> {
    await eventually(() => inFlight.size === 0, 30_000);
    await browser.page.goto(`${hami.url}/app/`, { waitUntil: 'commit', timeout: 30_000 });
    await browser.page.locator(selector).waitFor({ timeout: 30_000 });
    const usable = await browser.js<number>(`window.__shownAt[${JSON.stringify(selector)}]`);
    const fetched = await browser.js<(Visit['fetched'][number] & { responseEnd: number })[]>(
      `performance.getEntriesByType('resource').filter((e) => e.responseEnd > 0 && e.responseEnd < ${usable}).map((e) => ({ name: new URL(e.name).pathname, transferSize: e.transferSize, responseEnd: e.responseEnd }))`,
    );
    const page = await browser.js<number>(`performance.getEntriesByType('navigation')[0].responseEnd`);
    const network = Math.max(page, ...fetched.map((f) => f.responseEnd));
    return { usable, network, fetched: fetched.map(({ name, transferSize }) => ({ name, transferSize })) };
  }

  /**
   * The page's own work after its last byte (parse, run, render) takes ~0.3 s here; the rest of this allowance is for
   * a machine shared with other test runs. The line's part is held to the targets.
   */
  const PAGE_WORK_ALLOWANCE = 2500;

  test('a first visit: the sign-in form is drawn and takes typing after one round trip, the page alone, in under 3 s; the script then takes it over keeping what was typed', async () => {
    const { usable, network, fetched } = await open('#login-email');
    // Nothing but the page before the form: no script, no style sheet, no session check.
    expect(fetched).toEqual([]);
    // One latency (2 s), then the page's few kB at 50,000 bytes/s and the server's turn; it was 4.6–5 s with two
    // round trips (the page, then the script that drew the form), and 13 s with three and 290 kB of script.
    expect(network).toBeLessThan(3000);
    expect(usable).toBeLessThan(network + PAGE_WORK_ALLOWANCE);
    // Typable before the script has come: the first half of the email goes into the page's own form.
    await browser.page.type('#login-email', ADMIN.email.slice(0, 5));
    expect(await browser.js<boolean>(`!document.querySelector('.top-end')`)).toBe(true);
    // Drawn, not only in the document: the first paint did not wait for the style sheet (the second round trip).
    await browser.page.locator('.top-end').waitFor({ timeout: 30_000 });
    const paint = await browser.js<number>(`performance.getEntriesByName('first-contentful-paint')[0].startTime`);
    const sheet = await browser.js<number>(`performance.getEntriesByType('resource').find((e) => e.name.endsWith('.css')).responseEnd`);
    expect(paint).toBeLessThan(sheet);
    expect(paint).toBeLessThan(network + PAGE_WORK_ALLOWANCE);
    // The script took over: what was typed is still there, and the typing goes on where it was.
    expect(await browser.js<string>(`document.activeElement.id + ' ' + document.getElementById('login-email').value`)).toBe(
      `login-email ${ADMIN.email.slice(0, 5)}`,
    );
    await browser.page.keyboard.type(ADMIN.email.slice(5));
    await browser.page.fill('#login-password', ADMIN.password);
    await browser.page.click('button[type=submit]');
    await browser.page.locator('#overview-title').waitFor({ timeout: 30_000 });
    // Signed in through the script (no page load): the address did not change.
    expect(browser.page.url()).toMatch(/\/app\/#\/overview(\?|$)/);
  }, 90_000);

  test('a later visit, signed in: the overview is there in under 3 s — only the page crosses the line, the rest is cached', async () => {
    await visitedBefore();
    const { usable, network, fetched } = await open('#overview-title');
    expect(network).toBeLessThan(3000);
    expect(usable).toBeLessThan(network + PAGE_WORK_ALLOWANCE);
    expect(fetched.length).toBeGreaterThan(0);
    // transferSize 0: taken from the browser's cache (immutable) without asking the server.
    for (const file of fetched) expect(file, file.name).toMatchObject({ transferSize: 0 });
  }, 60_000);

  test('a later visit, signed out: the sign-in form is there in under 3 s', async () => {
    await visitedBefore();
    await browser.context.clearCookies();
    const { usable, network } = await open('#login-email');
    expect(network).toBeLessThan(3000);
    expect(usable).toBeLessThan(network + PAGE_WORK_ALLOWANCE);
    expect(browser.cspViolations()).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 60_000);

  test('signing in without the script: the form posts to the page, a wrong password is said (and focused), the right one signs in', async () => {
    await browser.context.clearCookies();
    const scripts = /\/app\/assets\/.+\.js$/;
    await browser.page.route(scripts, (route) => route.abort());
    try {
      await browser.page.goto(`${hami.url}/app/`, { timeout: 30_000 });
      await browser.page.fill('#login-email', ADMIN.email);
      await browser.page.fill('#login-password', 'not the password');
      await browser.page.click('button[type=submit]');
      // The focus goes to the reason (autofocus, applied at the page's first rendering).
      await browser.waitUntil(`document.activeElement?.id === 'login-error'`, 30_000);
      expect(await browser.text('#login-error')).toBe('Wrong email or password.');
      expect(await browser.page.inputValue('#login-email')).toBe(ADMIN.email);
      await browser.page.fill('#login-password', ADMIN.password);
      await browser.page.click('button[type=submit]');
      // 303 to the dashboard, whose page now carries the session (the script that would draw it is held back).
      await browser.waitUntil(`document.getElementById('hami-session')?.textContent.includes('"role":"admin"') === true`, 30_000);
      expect(browser.page.url()).toBe(`${hami.url}/app/`);
    } finally {
      await browser.page.unroute(scripts);
    }
    await browser.page.reload({ timeout: 30_000 });
    await browser.page.locator('#overview-title').waitFor({ timeout: 30_000 });
    expect(browser.cspViolations()).toEqual([]);
  }, 90_000);

  test("the page's own sign-in form, before any script, has no accessibility problems in English or Persian", async () => {
    await browser.context.clearCookies();
    await cdp.send('Network.emulateNetworkConditions', NO_THROTTLE);
    const scripts = /\/app\/assets\/.+\.js$/;
    await browser.page.route(scripts, (route) => route.abort());
    try {
      for (const locale of ['en', 'fa'] as const) {
        await browser.context.addCookies([{ name: 'hami_locale', value: locale, url: `${hami.url}/app/` }]);
        await browser.page.goto(`${hami.url}/app/`);
        expect(await browser.js<string>('document.documentElement.lang')).toBe(locale);
        const violations = await axeViolations(browser.page);
        expect(violations, `${locale}:\n${describeViolations(violations)}`).toEqual([]);
        // A refused sign-in too: the reason is focused and tied to the field.
        await browser.page.fill('#login-email', 'nobody@example.com');
        await browser.page.fill('#login-password', 'wrong');
        await browser.page.click('button[type=submit]');
        await browser.page.locator('#login-error').waitFor();
        const refused = await axeViolations(browser.page);
        expect(refused, `${locale}, refused:\n${describeViolations(refused)}`).toEqual([]);
      }
    } finally {
      await browser.page.unroute(scripts);
    }
  }, 90_000);
});
