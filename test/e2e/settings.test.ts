import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { eventually, type TestHami } from '../helpers/hami.js';
import { ManualClock } from '../helpers/clock.js';
import type { TestSmtpServer } from '../helpers/smtp.js';
import { ADMIN, signIn, staffMember, type StaffClient } from '../helpers/staff.js';
import { customerAnswers, signInWithForm, E2E_NOW, startBrowserRig, type BrowserRig, type TestBrowser } from './browser.js';

/**
 * Settings in a real browser on a real server: the admin adds a webhook to a small receiver on loopback, keeps the
 * secret shown once, sees the delivery of a customer's answer in the log (signed with the webhook's secret) and resends it;
 * the page in Persian; care and marketing are not offered Settings.
 */

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/hooks/hami`, received, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

describe('the admin sets up a webhook in Settings (Chromium)', () => {
  let rig: BrowserRig | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let hami: TestHami;
  let smtp: TestSmtpServer;
  let browser: TestBrowser;
  let page: Page;
  let care: StaffClient;
  let marketing: StaffClient;
  let admin: StaffClient;
  let clock: ManualClock;

  // Each test has its own server, receiver and browser: a webhook one test adds never delivers to another's.
  beforeEach(async () => {
    clock = new ManualClock(new Date(Date.UTC(E2E_NOW.getUTCFullYear(), E2E_NOW.getUTCMonth(), E2E_NOW.getUTCDate(), 9)));
    receiver = await startReceiver();
    rig = await startBrowserRig(clock);
    ({ smtp, hami, browser } = rig);
    // The receiver is on loopback, which webhooks may reach only with the on-prem opt-in (HAMI_WEBHOOK_ALLOW_PRIVATE=1).
    hami.deps.config.webhookAllowPrivate = true;
    page = browser.page;
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
    care = await staffMember(hami, admin, 'care');
    marketing = await staffMember(hami, admin, 'marketing');
  }, 90_000);
  afterEach(async () => {
    await rig?.stop();
    await receiver?.close();
  });

  /** The admin signed in through the form, on Settings. */
  async function openSettings(): Promise<void> {
    await page.goto(`${hami.url}/app/`);
    await signInWithForm(page, ADMIN.email, ADMIN.password);
    await page.locator('h1#overview-title').waitFor();
    await page.click('header.top nav a[href="#/settings"]');
    await page.locator('#webhooks-title').waitFor();
  }

  test('the admin adds a webhook and keeps the secret, which is shown once', async () => {
    await page.goto(`${hami.url}/app/`);
    await signInWithForm(page, ADMIN.email, ADMIN.password);
    await page.locator('h1#overview-title').waitFor();
    await page.click('header.top nav a[href="#/settings"]');
    await page.locator('#webhooks-title').waitFor();
    expect(await page.textContent('h1')).toBe('Settings');
    await page.click('button:has-text("Add webhook")');
    await page.fill('#hook-url', 'ftp://nowhere.example/x');
    await page.click('.webhook-form button[type=submit]');
    // The server's 400 names the field, and the page says it by that field.
    await page.locator('#hook-url-error').waitFor();
    expect(await page.getAttribute('#hook-url', 'aria-invalid')).toBe('true');
    await page.fill('#hook-url', receiver.url);
    await page.fill('#hook-description', 'CRM <script>alert(1)</script>');
    await page.check('input[name=events][value="callback.opened"]');
    await page.click('.webhook-form button[type=submit]');
    const secret = (await page.locator('.shown-once code').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    await page.click('.shown-once button:has-text("Done")');
    expect(await page.locator('.shown-once').count()).toBe(0);
    const item = page.locator('.webhook-list > li').first();
    expect(await item.locator('.webhook-url').textContent()).toBe(receiver.url);
    expect(await item.locator('bdi').textContent()).toBe('CRM <script>alert(1)</script>');
    expect(await item.textContent()).toContain('Active');
    expect(await item.textContent()).toContain(`secret …${secret.slice(-4)}`);
    await page.reload();
    await page.locator('.webhook-list > li').first().waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(browser.pageErrors).toEqual([]);
  }, 30_000);

  test('a customer answers: the delivery reaches the receiver, signed, and shows in the log; resend sends it again', async () => {
    const secret = 'whsec_the_receiver_knows_this_one';
    const hook = await admin.call('POST', '/api/webhooks', {
      url: receiver.url,
      events: ['response.created', 'callback.opened'],
      description: 'CRM',
      secret,
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    await openSettings();
    await customerAnswers(hami, smtp, {
      customer: { id: 'ana', email: 'ana@example.com', name: 'Ana', locale: 'en' },
      id: 'order-1',
      score: 9,
    });
    const first = await eventually(() => receiver.received.find((r) => r.headers['x-hami-event'] === 'response.created'), 5000);
    const timestamp = String(first.headers['x-hami-timestamp']);
    expect(first.headers['x-hami-signature']).toBe(
      `sha256=${createHmac('sha256', secret).update(`${timestamp}.${first.body}`).digest('hex')}`,
    );
    expect(JSON.parse(first.body)).toMatchObject({
      event: 'response.created',
      data: { response: { score: 9 }, customer: { externalId: 'ana' } },
    });

    await page.click('.webhook-list > li button:has-text("Delivery log")');
    const delivery = page.locator('.deliveries > li').first();
    await delivery.locator('.chip:has-text("Delivered")').waitFor();
    expect(await delivery.locator('.attempts').textContent()).toContain('200');
    expect(await delivery.locator('.excerpt').textContent()).toBe('thanks');
    clock.advance(60_000); // a minute later, so the log's newest-first order is the resend's
    await delivery.locator('button:has-text("Resend")').click();
    await eventually(() => receiver.received.filter((r) => r.headers['x-hami-event'] === 'response.created').length === 2, 5000);
    const again = receiver.received.filter((r) => r.headers['x-hami-event'] === 'response.created')[1]!;
    expect(again.body).toBe(first.body);
    expect(again.headers['x-hami-delivery']).not.toBe(first.headers['x-hami-delivery']);
    await page.locator('.deliveries > li').nth(1).waitFor();
    await page.click('.delivery-log button:has-text("Refresh")');
    await page.locator('.deliveries > li:first-child .chip:has-text("Delivered")').waitFor();
    expect(await page.locator('.deliveries > li:first-child').textContent()).toContain('(resent)');

    // Deactivated: the list says so and resend is off.
    await page.click('.webhook-list > li button:has-text("Deactivate")');
    // text-is: has-text("Activate") would also match "Deactivate" and not wait at all.
    await page.locator('.webhook-list > li button:text-is("Activate")').waitFor();
    expect(await page.locator('.webhook-list > li .status').first().textContent()).toBe('Inactive');
    expect(browser.pageErrors).toEqual([]);
    expect(browser.cspViolations()).toEqual([]);
  }, 30_000);

  test('a CSV of customers is imported from Settings; the bad row is reported with its row, field and reason', async () => {
    await openSettings();
    const csv = 'ID,E-mail,Name\nc-1,sara@example.com,سارا احمدی\nc-2,broken,Bob\n';
    await page.selectOption('#import-kind', 'customers');
    await page.setInputFiles('#import-file', { name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('.import-settings button[type=submit]');
    await page.locator('.import-report').waitFor();
    expect(await page.textContent('.import-report p')).toContain('2 rows: 1 imported');
    const cells = await browser.js<string[]>(`[...document.querySelectorAll('.import-report tbody td')].map((td) => td.textContent)`);
    expect(cells.slice(0, 2)).toEqual(['3', 'email']);
    const sara = await hami.deps.db.selectFrom('customers').select('name').where('external_id', '=', 'c-1').executeTakeFirst();
    expect(sara?.name).toBe('سارا احمدی');
  }, 20_000);

  test('the admin makes an API key, sees it once, an integration uses it, and revoking it locks it out', async () => {
    await openSettings();
    await page.fill('#key-name', 'Shop integration');
    await page.click('.key-settings button[type=submit]');
    await page.locator('.key-settings .shown-once code').waitFor();
    const key = (await page.locator('.key-settings .shown-once code').textContent()) ?? '';
    expect(key).toMatch(/^hami_/);
    await page.click('.key-settings .shown-once button:has-text("Done")');
    expect(await page.locator('.key-settings .shown-once').count()).toBe(0);
    const row = page.locator('.key-table tbody tr', { hasText: 'Shop integration' });
    // The list shows only the key's prefix.
    const prefix = (await row.locator('code').textContent()) ?? '';
    expect(prefix.endsWith('…') && prefix.length > 4 && key.startsWith(prefix.slice(0, -1))).toBe(true);
    expect(await page.locator('.key-settings').textContent()).not.toContain(key);

    const post = (id: string) =>
      fetch(`${hami.url}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'purchase', id, customer: { id: 'key-check', email: 'key@example.com' } }),
      });
    expect((await post('order-key-1')).status).toBe(202);
    page.once('dialog', (dialog) => void dialog.accept());
    await row.locator('button:has-text("Revoke")').click();
    await row.locator('button:has-text("Revoke")').waitFor({ state: 'detached' });
    expect((await post('order-key-2')).status).toBe(401);
    expect(browser.pageErrors).toEqual([]);
  }, 20_000);

  test('in Persian the page runs right to left with its own words', async () => {
    await openSettings();
    await page.click('header.top button[lang=fa]');
    await browser.waitUntil(`document.documentElement.dir === 'rtl'`);
    expect(await page.textContent('h1')).toBe('تنظیمات');
    expect(await page.textContent('#webhooks-title')).toBe('وب‌هوک‌ها');
    await page.click('header.top button[lang=en]');
    await browser.waitUntil(`document.documentElement.dir === 'ltr'`);
  }, 20_000);

  test.each([['care'], ['marketing']])(
    '%s is not offered Settings, and its address leads back to the overview',
    async (role) => {
      const member = role === 'care' ? care : marketing;
      await page.goto(`${hami.url}/app/`);
      await signInWithForm(page, member.email, member.password);
      await page.locator('h1#overview-title').waitFor();
      const nav = await browser.js<string[]>(`[...document.querySelectorAll('header.top nav a')].map((a) => a.textContent)`);
      expect(nav).not.toContain('Settings');
      await page.goto(`${hami.url}/app/#/settings`);
      await browser.waitUntil(`location.hash.startsWith('#/overview')`);
      expect(await page.locator('#webhooks-title').count()).toBe(0);
      expect(browser.pageErrors).toEqual([]);
      expect(browser.cspViolations()).toEqual([]);
    },
    20_000,
  );
});
