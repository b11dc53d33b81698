import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParsedMail } from 'mailparser';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Clock } from '../../server/clock.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

/*
 * What the browser tests share: building the dashboard, a headless Chromium that records page errors and CSP
 * violations, small page helpers, and a customer who answers a survey from its email.
 */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.join(ROOT, 'dist/web');
const DOCS = path.join(ROOT, 'web/docs');
/**
 * Screenshots go to a temporary folder, so a test run leaves the tree clean; HAMI_SCREENSHOTS_DIR=web/docs
 * refreshes the README's pictures.
 */
const SHOTS = process.env.HAMI_SCREENSHOTS_DIR
  ? path.resolve(process.env.HAMI_SCREENSHOTS_DIR)
  : path.join(os.tmpdir(), 'hami-screenshots');
mkdirSync(SHOTS, { recursive: true });
const CHROMIUM = process.env.HAMI_CHROMIUM ?? '/usr/bin/chromium';

/** The newest modification time of the dashboard's sources (web/ without the screenshots, and shared/). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (full !== DOCS) newest = Math.max(newest, newestSource(full));
    } else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds the dashboard when dist/web is missing or older than its sources. It is built next to dist/web and moved
 * into place, so another test file serving /app/ meanwhile never sees a half-written folder.
 */
export function ensureDashboardBuilt(): void {
  const index = path.join(DIST, 'index.html');
  // vite.config.ts too: it decides what is written (the precompressed .br and .gz beside each file).
  const sources = Math.max(
    newestSource(path.join(ROOT, 'web')),
    newestSource(path.join(ROOT, 'shared')),
    statSync(path.join(ROOT, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const staging = path.join(ROOT, 'dist', `web-building-${process.pid}`);
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', staging, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'pipe',
    },
  );
  const old = path.join(ROOT, 'dist', `web-old-${process.pid}`);
  if (existsSync(DIST)) renameSync(DIST, old);
  renameSync(staging, DIST);
  rmSync(old, { recursive: true, force: true });
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  pageErrors: string[];
  consoleErrors: string[];
  cspViolations(): string[];
  /** Evaluates a browser-side expression: a string, as this code is type-checked for Node without the DOM library. */
  js<T>(expression: string): Promise<T>;
  /** Polls an expression until it is true; the page's CSP forbids the eval that page.waitForFunction relies on. */
  waitUntil(expression: string, timeoutMs?: number): Promise<true>;
  text(selector: string): Promise<string>;
  /** A full-page screenshot into SHOTS. */
  shot(name: string): Promise<Buffer>;
  /**
   * Forgets what earlier tests left behind — cookies (the session, the language), local storage, routes — and leaves
   * the page on `origin`: each test starts from a browser that has never been there.
   */
  reset(origin: string): Promise<void>;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile, a Tehran clock and an English browser language. */
export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: this test drives a real browser. Install it with 'apt-get install -y chromium' (or set HAMI_CHROMIUM to its path).`,
    );
  }
  const profileDir = mkdtempSync(path.join(os.tmpdir(), 'hami-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 860 },
    locale: 'en-US',
    timezoneId: 'Asia/Tehran',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  const js = <T>(expression: string) => page.evaluate(expression) as Promise<T>;
  return {
    context,
    page,
    pageErrors,
    consoleErrors,
    cspViolations: () => consoleErrors.filter((message) => message.includes('Content Security Policy')),
    js,
    waitUntil: (expression, timeoutMs = 5000) => eventually(async () => (await js<boolean>(expression)) || undefined, timeoutMs),
    text: (selector) => page.locator(selector).first().innerText(),
    shot: (name) => page.screenshot({ path: path.join(SHOTS, name), fullPage: true }),
    async reset(origin) {
      await page.unrouteAll({ behavior: 'ignoreErrors' });
      await context.clearCookies();
      await page.goto(`${origin}/healthz`);
      await js('localStorage.clear(), sessionStorage.clear()');
    },
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

export interface BrowserRig {
  smtp: TestSmtpServer;
  hami: TestHami;
  browser: TestBrowser;
  stop(): Promise<void>;
}

/**
 * "Now" for the browser tests: a fixed Tuesday, 10:00 in Tehran, in the middle of a Jalali month (22 Ordibehesht
 * 1405), so what a test sees never depends on the day or the hour it runs (a Tehran date a day ahead of UTC's after
 * 20:30 UTC, a Jalali month turning over, a week starting).
 */
export const E2E_NOW = new Date('2026-05-12T06:30:00Z');

/**
 * The dashboard built, a real SMTP server, the real app on a SQLite file with the given clock (and env), and a browser
 * whose own clock starts at `browserNow` (the server's clock's time unless told) and then runs on.
 */
export async function startBrowserRig(clock: Clock, env: Record<string, string> = {}, browserNow: Date = clock.now()): Promise<BrowserRig> {
  ensureDashboardBuilt();
  const smtp = await startSmtpServer();
  let hami: TestHami | undefined;
  try {
    hami = await startTestHami({ smtpUrl: smtp.url, clock, env });
    const browser = await launchBrowser();
    // The dashboard's own "today" (the overview's default range, "in 3 hours") comes from the browser's clock.
    await browser.context.clock.install({ time: browserNow });
    const started = hami;
    return {
      smtp,
      hami,
      browser,
      async stop() {
        await browser.close();
        await started.stopAndClean();
        await smtp.close();
      },
    };
  } catch (error) {
    // Nothing left running when the browser cannot start: the test fails with its message, not with a hang.
    await hami?.stopAndClean();
    await smtp.close();
    throw error;
  }
}

/** Signs in through the dashboard's login form (the page must be on it, or about to show it). */
export async function signInWithForm(page: Page, email: string, password: string): Promise<void> {
  await page.locator('#login-email').waitFor({ timeout: 10_000 });
  await page.fill('#login-email', email);
  await page.fill('#login-password', password);
  await page.click('button[type=submit]');
}

const recipient = (mail: ParsedMail) => (mail.to && 'text' in mail.to ? mail.to.text : '');

export const mailsTo = (smtp: TestSmtpServer, address: string) => smtp.messages.filter((mail) => recipient(mail).includes(address));

export interface TestCustomer {
  id: string;
  email: string;
  name: string;
  locale: string;
  phone?: string;
}

export interface Answering {
  customer: TestCustomer;
  /** The order or ticket id. */
  id: string;
  score: number;
  comment?: string;
  /** A purchase (post-purchase survey) unless told otherwise. */
  type?: 'purchase' | 'resolution';
  /** The event's attributes (a product, a region), which the metrics filter by. */
  attributes?: Record<string, string>;
  /** More answers for the survey page's form, by question id (csat, solved…). */
  answers?: Record<string, string>;
}

/**
 * A customer buys (or has a ticket resolved), gets the survey email, taps the score in it and, on the page that
 * opens, sends the rest of the form: the comment and any other answers.
 */
export async function customerAnswers(hami: TestHami, smtp: TestSmtpServer, answering: Answering): Promise<void> {
  const { customer, score } = answering;
  const event = { type: answering.type ?? 'purchase', id: answering.id, sendAt: 'now', customer, attributes: answering.attributes ?? {} };
  const posted = await hami.postEvent(event);
  if (posted.status !== 202) throw new Error(`the event was refused (${posted.status}): ${JSON.stringify(posted.body)}`);
  const mail = await eventually(() => mailsTo(smtp, customer.email)[0], 5000);
  const link = [...String(mail.html).matchAll(/href="([^"]+)"/g)]
    .map((m) => m[1]!.replaceAll('&amp;', '&'))
    .find((href) => href.endsWith(`?score=${score}`));
  if (!link) throw new Error(`the email to ${customer.email} has no one-tap link for ${score}`);
  const tapped = await fetch(link);
  if (tapped.status !== 200) throw new Error(`the one-tap link answered ${tapped.status}`);
  const fields = new URLSearchParams({ nps: String(score), ...answering.answers });
  if (answering.comment) fields.set('reason', answering.comment);
  const form = await fetch(link.split('?')[0]!, { method: 'POST', body: fields, redirect: 'manual' });
  if (form.status !== 303) throw new Error(`the survey form answered ${form.status}`);
}
