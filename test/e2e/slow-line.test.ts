import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CDPSession } from 'playwright-core';
import { ensureDashboardBuilt, launchBrowser, type TestBrowser } from './browser.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { ADMIN } from '../helpers/staff.js';

/*
 * The dashboard on Chrome DevTools' "Slow 3G" preset, the exact numbers of its network panel
 * (front_end/core/sdk/NetworkManager.ts, Slow3GConditions): 500 kbit/s × 0.8 each way (50,000 bytes/s) and a
 * 400 ms RTT × 5 = 2,000 ms latency, which Chromium adds to every request. So a first visit cannot be faster than two
 * round trips (the page, then its script and styles side by side: 4 s), and a later one, with the fingerprinted files
 * cached, than one. The test times inside the page (from the navigation's start, performance.now()), not from this
 * test process; it holds the line's part (until the last byte the view needs) to the targets and gives the page's own
 * work after it an allowance for a loaded machine; the server is warmed first.
 */
const SLOW_3G = { offline: false, downloadThroughput: ((500 * 1000) / 8) * 0.8, uploadThroughput: ((500 * 1000) / 8) * 0.8, latency: 400 * 5 };

/** Stamps, inside the page, the first moment a selector is in the document (before any page script runs). */
const STAMP_WHEN_SHOWN = `
  window.__shownAt = {};
  new MutationObserver(() => {
    for (const selector of ['#login-email', '#overview-title']) {
      if (!(selector in window.__shownAt) && document.querySelector(selector)) window.__shownAt[selector] = performance.now();
    }
  }).observe(document, { childList: true, subtree: true });
`;

describe('the dashboard on a slow line (Chrome\'s Slow 3G)', () => {
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
    browser = await launchBrowser();
    await browser.context.addInitScript({ content: STAMP_WHEN_SHOWN });
    cdp = await browser.context.newCDPSession(browser.page);
    cdp.on('Network.requestWillBeSent', (e) => inFlight.add(e.requestId));
    cdp.on('Network.loadingFinished', (e) => inFlight.delete(e.requestId));
    cdp.on('Network.loadingFailed', (e) => inFlight.delete(e.requestId));
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
    // A build of the dashboard (brotli at its best level) on a busy machine can take a while.
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await hami?.stopAndClean();
  });

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

  test('a first visit: the sign-in form works after two round trips — the page, then only its script and styles, some 30 kB', async () => {
    const { usable, network, fetched } = await open('#login-email');
    // No third round trip (no session check, no page chunk before the form): just the script and the style sheet.
    expect(fetched.map((f) => f.name.replace(/-[\w-]{8}\./, '-[hash].')).sort()).toEqual(['/app/assets/index-[hash].css', '/app/assets/index-[hash].js']);
    const bytes = fetched.reduce((sum, f) => sum + f.transferSize, 0);
    expect(bytes).toBeLessThan(30_000);
    // Two latencies (4 s), then ~0.6 s of transfer (the bytes above at 50,000 bytes/s) and the browser's and server's
    // turns, which a loaded machine stretches; it was 13 s: three round trips and 290 kB of script.
    expect(network).toBeLessThan(2 * SLOW_3G.latency + 2000);
    expect(usable).toBeLessThan(network + PAGE_WORK_ALLOWANCE);
    // And it is usable, not only shown: signing in leads to the overview.
    await browser.page.fill('#login-email', ADMIN.email);
    await browser.page.fill('#login-password', ADMIN.password);
    await browser.page.click('button[type=submit]');
    await browser.page.locator('#overview-title').waitFor({ timeout: 30_000 });
  }, 90_000);

  test('a later visit, signed in: the overview is there in under 3 s — only the page crosses the line, the rest is cached', async () => {
    const { usable, network, fetched } = await open('#overview-title');
    expect(network).toBeLessThan(3000);
    expect(usable).toBeLessThan(network + PAGE_WORK_ALLOWANCE);
    expect(fetched.length).toBeGreaterThan(0);
    // transferSize 0: taken from the browser's cache (immutable) without asking the server.
    for (const file of fetched) expect(file, file.name).toMatchObject({ transferSize: 0 });
  }, 60_000);

  test('a later visit, signed out: the sign-in form is there in under 3 s', async () => {
    await browser.context.clearCookies();
    const { usable, network } = await open('#login-email');
    expect(network).toBeLessThan(3000);
    expect(usable).toBeLessThan(network + PAGE_WORK_ALLOWANCE);
    expect(browser.cspViolations()).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 60_000);
});
