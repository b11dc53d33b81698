import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { smsSegments } from '../../shared/sms.js';
import { DEMO_BRAND_ENV } from '../../server/demo/brand.js';
import { enqueueJob } from '../../server/delivery/queue.js';
import { SMS_THANKS_JOB } from '../../server/responses/sms-replies.js';
import { invitationToken } from '../../server/delivery/tokens.js';
import type { Logger } from '../../server/log.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { settleOneTapAnswers } from '../helpers/one-tap.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { ADMIN, signIn, staffMember, type StaffClient } from '../helpers/staff.js';

/**
 * What HAMI_BRAND_* does to the messages customers get, over a real SMTP server: the subject, the From name, the
 * Reply-To, the email's header and footer, the SMS prefix, and the outcome message; and that nothing of it shows
 * when the brand is unset.
 */

/** A short shop domain: with it the demo brand's Persian survey SMS is exactly one 70-character segment. */
const SHOP_URL = 'https://anar.ir';
const BRANDED_ENV = {
  ...DEMO_BRAND_ENV,
  PUBLIC_URL: SHOP_URL,
  MAIL_FROM: 'Surveys <surveys@anar.example>',
  HAMI_BRAND_SENDER: 'فروشگاه انار · Anar Shop',
};

const recipient = (mail: ParsedMail) => (mail.to && 'text' in mail.to ? mail.to.text : '');
const header = (mail: ParsedMail, name: string) => mail.headerLines.find((h) => h.key === name)?.line;
const replyTo = (mail: ParsedMail) => mail.replyTo?.value.map((a) => a.address) ?? [];

interface Rig {
  hami: TestHami;
  smtp: TestSmtpServer;
  admin: StaffClient;
  care: StaffClient;
  warnings: { message: string; fields?: Record<string, unknown> }[];
  serial: number;
}

async function startRig(env: Record<string, string>): Promise<Rig> {
  const smtp = await startSmtpServer();
  const warnings: Rig['warnings'] = [];
  const log: Logger = { info() {}, error() {}, warn: (message, fields) => void warnings.push({ message, fields }) };
  const hami = await startTestHami({ smtpUrl: smtp.url, env, log });
  const admin = await signIn(hami, ADMIN.email, ADMIN.password);
  const care = await staffMember(hami, admin, 'care', 'Neda Care');
  return { hami, smtp, admin, care, warnings, serial: 0 };
}

async function stopRig(rig: Rig | undefined): Promise<void> {
  await rig?.hami.stopAndClean();
  await rig?.smtp.close();
}

/** A purchase by a customer with an email address; returns the invitation email and the invitation's id. */
async function invite(rig: Rig, locale: 'en' | 'fa'): Promise<{ mail: ParsedMail; invitationId: string }> {
  const n = ++rig.serial;
  const email = `buyer${n}@example.com`;
  const { body } = await rig.hami.postEvent({
    type: 'purchase',
    id: `o-${n}`,
    sendAt: 'now',
    customer: { id: `c-${n}`, email, name: locale === 'fa' ? 'سارا' : 'Ana', locale },
  });
  const mail = await eventually(() => rig.smtp.messages.find((m) => recipient(m).includes(email)), 5000);
  return { mail, invitationId: body.invitations[0].id as string };
}

/** The customer taps 2 (a detractor), care closes the case with a message; returns the outcome email. */
async function closeCase(rig: Rig, locale: 'en' | 'fa'): Promise<ParsedMail> {
  const { mail, invitationId } = await invite(rig, locale);
  const token = invitationToken(rig.hami.deps.secret, invitationId);
  // The server's own address: PUBLIC_URL may name the shop's domain, which this test does not serve.
  await fetch(`${rig.hami.url}/s/${token}?score=2`, { redirect: 'manual' });
  await settleOneTapAnswers(rig.hami);
  const { db } = rig.hami.deps;
  const response = await db.selectFrom('responses').select('id').where('invitation_id', '=', invitationId).executeTakeFirstOrThrow();
  const found = await db.selectFrom('callback_cases').select('id').where('response_id', '=', response.id).executeTakeFirstOrThrow();
  await rig.care.call('PATCH', `/api/callbacks/${found.id}`, { ownerId: rig.care.userId });
  const closed = await rig.care.call('PATCH', `/api/callbacks/${found.id}`, {
    status: 'resolved',
    reason: 'shipping_delay',
    outcome: locale === 'fa' ? 'بسته دوباره ارسال شد.' : 'We sent it again.',
  });
  expect(closed.status).toBe(200);
  const to = recipient(mail);
  return eventually(() => rig.smtp.messages.find((m) => recipient(m) === to && m.messageId?.startsWith('<outcome-')), 5000);
}

describe('branded messages (HAMI_BRAND_*: the demo shop)', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig(BRANDED_ENV);
  });
  afterAll(() => stopRig(rig));

  test('the English invitation: the shop in the subject, the From name and the footer, its logo in the header, replies to the care inbox', async () => {
    const { mail } = await invite(rig, 'en');
    expect(mail.subject).toBe('Anar Shop: How was your order?');
    expect(mail.from?.value).toEqual([{ name: 'فروشگاه انار · Anar Shop', address: 'surveys@anar.example' }]);
    // The Persian sender name travels encoded (RFC 2047), not as raw UTF-8 in the header.
    expect(header(mail, 'from')).toMatch(/^From: =\?UTF-8\?/);
    expect(replyTo(mail)).toEqual(['care@anar-shop.example']);
    const html = String(mail.html);
    expect(html).toContain(`<img src="${SHOP_URL}/brand/logo" alt="Anar Shop" width="40" height="40"`);
    expect(html).toContain('You received this because of a recent order or support request at Anar Shop.');
    expect(mail.text).toContain('You received this because of a recent order or support request at Anar Shop.');
    expect(mail.text!.startsWith('Anar Shop\n')).toBe(true);
    // Still one-click unsubscribe.
    expect(header(mail, 'list-unsubscribe')).toMatch(new RegExp(`^List-Unsubscribe: <${SHOP_URL}/u/[A-Za-z0-9_-]{22}>$`));
    expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  });

  test('the Persian invitation: the Persian name in the subject, header and footer', async () => {
    const { mail } = await invite(rig, 'fa');
    expect(mail.subject).toBe('فروشگاه انار: سفارش شما چطور بود؟');
    expect(String(mail.html)).toContain('alt="فروشگاه انار"');
    expect(mail.text).toContain('این پیام به خاطر خرید یا درخواست پشتیبانی اخیر شما از فروشگاه انار ارسال شده است.');
    expect(replyTo(mail)).toEqual(['care@anar-shop.example']);
  });

  test('the Persian survey SMS starts with the shop’s name and, with a 15-character PUBLIC_URL, is one 70-character segment', async () => {
    const n = ++rig.serial;
    await rig.hami.postEvent({
      type: 'purchase',
      id: `o-${n}`,
      sendAt: 'now',
      customer: { id: `c-${n}`, phone: '+989121110000', locale: 'fa' },
    });
    const outbox = path.join(rig.hami.dataDir, 'outbox', 'sms.jsonl');
    const sent = await eventually(() => {
      try {
        return readFileSync(outbox, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { to: string; text: string })
          .find((m) => m.to === '+989121110000');
      } catch {
        return undefined;
      }
    }, 5000);
    expect(sent.text).toMatch(new RegExp(`^فروشگاه انار: امتیاز ۰ تا ۱۰: ${SHOP_URL}/s/[A-Za-z0-9_-]{22}$`));
    expect(smsSegments(sent.text)).toEqual({ encoding: 'ucs2', characters: 70, segments: 1 });
  });

  test('the thank-you SMS after a score by text starts with the shop’s name too', async () => {
    const n = ++rig.serial;
    const phone = '+989121110001';
    const { body } = await rig.hami.postEvent({
      type: 'purchase',
      id: `o-${n}`,
      sendAt: 'now',
      customer: { id: `c-${n}`, phone, locale: 'fa' },
    });
    // What a score by SMS queues (server/responses/sms-replies.ts), run by the server's own worker.
    const now = rig.hami.deps.clock.now();
    await enqueueJob(
      rig.hami.deps.db,
      { name: SMS_THANKS_JOB, payload: { invitationId: body.invitations[0].id as string }, runAt: now },
      now,
    );
    const outbox = path.join(rig.hami.dataDir, 'outbox', 'sms.jsonl');
    const thanks = await eventually(() => {
      try {
        return readFileSync(outbox, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { to: string; text: string })
          .find((m) => m.to === phone && m.text.includes('سپاس'));
      } catch {
        return undefined;
      }
    }, 5000);
    expect(thanks.text).toMatch(/^فروشگاه انار: سپاس! بیشتر بگویید: https:\/\/anar\.ir\/s\/[A-Za-z0-9_-]{22}$/);
  });

  test('start-up counts the brand in the SMS length: with this PUBLIC_URL no survey text is over one segment', () => {
    expect(rig.warnings.filter((w) => w.message === 'SMS text takes more than one segment')).toEqual([]);
  });

  test('the outcome message is signed by the shop’s care team and replies go to the care inbox', async () => {
    const outcome = await closeCase(rig, 'fa');
    expect(outcome.subject).toBe('فروشگاه انار: درباره نظر شما');
    expect(outcome.text).toContain('بسته دوباره ارسال شد.');
    expect(outcome.text!.trimEnd().endsWith('— تیم پشتیبانی فروشگاه انار')).toBe(true);
    expect(replyTo(outcome)).toEqual(['care@anar-shop.example']);
    expect(outcome.from?.value[0]?.name).toBe('فروشگاه انار · Anar Shop');
  });

  test('the dashboard session carries the shop’s name, so the outcome preview is signed like the message', async () => {
    const session = await rig.care.call('GET', '/api/session');
    expect(session.body.brandName).toEqual({ en: 'Anar Shop', fa: 'فروشگاه انار' });
  });
});

describe('a longer PUBLIC_URL with the brand', () => {
  test('start-up warns that the Persian SMS takes two segments, naming the survey and what to shorten', async () => {
    const rig = await startRig({ ...BRANDED_ENV, PUBLIC_URL: 'https://nazar.anar-shop.example' });
    try {
      const long = rig.warnings.filter((w) => w.message === 'SMS text takes more than one segment');
      expect(long.map((w) => [w.fields?.survey, w.fields?.locale, w.fields?.segments])).toContainEqual(['post-purchase', 'fa', 2]);
      expect(long.every((w) => w.fields?.locale === 'fa')).toBe(true);
      expect(String(long[0]!.fields?.hint)).toContain('HAMI_BRAND_NAME_FA');
    } finally {
      await stopRig(rig);
    }
  });
});

describe('neutral messages (no HAMI_BRAND_*)', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({});
  });
  afterAll(() => stopRig(rig));

  test('the invitation names no shop: the survey subject, MAIL_FROM as written, no logo, no Reply-To', async () => {
    const { mail } = await invite(rig, 'en');
    expect(mail.subject).toBe('How was your order?');
    expect(mail.from?.value).toEqual([{ name: 'Hami', address: 'surveys@localhost' }]);
    expect(mail.replyTo).toBeUndefined();
    expect(String(mail.html)).not.toContain('<img');
    expect(mail.text).toContain('You received this because of a recent order or support request.');
  });

  test('the outcome message is signed by "the care team" and a reply reaches the case owner, not MAIL_FROM', async () => {
    const outcome = await closeCase(rig, 'en');
    expect(outcome.subject).toBe('About your feedback');
    expect(outcome.text!.trimEnd().endsWith('Thank you for telling us. — The care team')).toBe(true);
    expect(replyTo(outcome)).toEqual([rig.care.email]);
  });

  test('the dashboard session has no shop name', async () => {
    expect((await rig.care.call('GET', '/api/session')).body.brandName).toBeNull();
  });
});
