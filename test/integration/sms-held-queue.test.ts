import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { PROBE_INTERVAL_MS, SMS_HOLD_KEY } from '../../server/delivery/channel-hold.js';
import { smsHoldAlert } from '../../server/delivery/hold-alert-text.js';
import { ManualClock, MINUTE } from '../helpers/clock.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

/**
 * An account-level refusal (Kavenegar 418 no credit, Twilio 401/20003) holds the SMS queue: nothing fails, the
 * admins get one email, one send per interval probes, and after the top-up every held invitation goes out once.
 * The gateways are msw stand-ins whose answer the test switches; the mail server is real, on loopback.
 */

type Answer = 'refuse' | 'accept';

/** Each gateway's request and its two answers, in the shapes of its docs. */
const gateways = {
  kavenegar: {
    env: { SMS_PROVIDER: 'kavenegar', SMS_KAVENEGAR_API_KEY: 'kavenegar-key-0123', SMS_KAVENEGAR_SENDER: '10004346' },
    url: 'https://api.kavenegar.com/v1/:key/sms/send.json',
    /** The number as the request names it (Kavenegar: 09…). */
    to: (form: URLSearchParams) => `+98${form.get('receptor')!.slice(1)}`,
    refuse: () => HttpResponse.json({ return: { status: 418, message: 'اعتبار شما کافی نمیباشد' }, entries: null }, { status: 418 }),
    accept: (n: number) =>
      HttpResponse.json({ return: { status: 200, message: 'تایید شد' }, entries: [{ messageid: 9000 + n, status: 1 }] }),
    subject: /Kavenegar/,
    problem: /run out of credit/,
  },
  twilio: {
    env: {
      SMS_PROVIDER: 'twilio',
      SMS_TWILIO_ACCOUNT_SID: `AC${'e5'.repeat(16)}`,
      SMS_TWILIO_AUTH_TOKEN: 'rotated-token-0123456789abcdef',
      SMS_TWILIO_FROM: '+15017122661',
    },
    url: 'https://api.twilio.com/2010-04-01/Accounts/:sid/Messages.json',
    to: (form: URLSearchParams) => form.get('To')!,
    refuse: () =>
      HttpResponse.json(
        { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 },
        { status: 401 },
      ),
    accept: (n: number) => HttpResponse.json({ sid: `SM${String(n).padStart(32, '0')}`, status: 'queued' }, { status: 201 }),
    subject: /Twilio/,
    problem: /does not accept the API key or credentials/,
  },
} as const;

const gateway = { answer: 'refuse' as Answer, calls: 0, accepted: [] as string[] };
const msw = setupServer(
  ...Object.values(gateways).map((g) =>
    http.post(g.url, async ({ request }) => {
      gateway.calls++;
      if (gateway.answer === 'refuse') return g.refuse();
      gateway.accepted.push(g.to(new URLSearchParams(await request.text())));
      return g.accept(gateway.accepted.length);
    }),
  ),
);

describe.each(Object.keys(gateways) as Array<keyof typeof gateways>)('SMS queue held on an account refusal: %s', (name) => {
  const g = gateways[name];
  let hami: TestHami | undefined;
  let smtp: TestSmtpServer | undefined;
  beforeAll(() => msw.listen({ onUnhandledRequest: 'bypass' }));
  afterAll(() => msw.close());
  afterEach(async () => {
    await hami?.stopAndClean();
    await smtp?.close();
    hami = smtp = undefined;
    Object.assign(gateway, { answer: 'refuse', calls: 0, accepted: [] });
  });

  /** Runs every job due now until none is left: what the worker would do, without waiting for its poll. */
  async function drain(): Promise<void> {
    while ((await hami!.worker.runDue()) > 0);
  }
  const heldJobs = () =>
    hami!.deps.db.selectFrom('jobs').select(['id', 'run_at']).where('key', '=', SMS_HOLD_KEY).where('status', '=', 'queued').execute();
  const statuses = async () => (await hami!.deps.db.selectFrom('invitations').select('status').execute()).map((row) => row.status);
  const alerts = () => smtp!.messages.filter((m) => /on hold/.test(m.subject ?? ''));

  test('nothing fails, the admins get one email, and after the fix every held invitation goes out exactly once', async () => {
    const clock = new ManualClock('2026-05-04T10:00:00Z');
    smtp = await startSmtpServer();
    hami = await startTestHami({
      clock,
      smtpUrl: smtp.url,
      env: { ...g.env, SMS_RATE_PER_SECOND: '100', HAMI_ADMIN_EMAIL: 'owner@shop.example' },
    });
    const phones = ['+989121110001', '+989121110002', '+989121110003', '+989121110004', '+989121110005'];
    const post = (phone: string) =>
      hami!.postEvent({ type: 'purchase', id: `o-${phone}`, sendAt: 'now', customer: { id: `c-${phone}`, phone } });

    // The gateway refuses the account: the first sends meet it and the queue goes on hold.
    for (const phone of phones.slice(0, 3)) expect((await post(phone)).status).toBe(202);
    await eventually(async () => (await heldJobs()).length === 3);
    const callsWhenHeld = gateway.calls;
    expect(callsWhenHeld).toBeGreaterThanOrEqual(1);
    expect(callsWhenHeld).toBeLessThanOrEqual(3);

    // Held: new invitations wait without calling the gateway at all.
    for (const phone of phones.slice(3)) expect((await post(phone)).status).toBe(202);
    await eventually(async () => (await heldJobs()).length === 5);
    await drain();
    expect(gateway.calls).toBe(callsWhenHeld);
    expect(await statuses()).toEqual(Array(5).fill('scheduled'));
    expect(await hami.deps.db.selectFrom('suppressions').selectAll().execute()).toEqual([]);
    for (const job of await heldJobs()) expect(new Date(job.run_at).getTime() - clock.now().getTime()).toBe(PROBE_INTERVAL_MS);

    // One alert to the admins, in the team's language, saying what to fix.
    const [alert] = await smtp.waitForMessages(1);
    expect(alert!.to).toMatchObject({ value: [{ address: 'owner@shop.example' }] });
    expect(alert!.subject).toMatch(/^SMS sending is on hold: /);
    expect(alert!.subject).toMatch(g.subject);
    expect(alert!.text).toMatch(g.problem);
    expect(alert!.text).toContain('No invitation has failed');

    // Still refused at the next probe: one call, still held, no second alert.
    clock.advance(PROBE_INTERVAL_MS);
    await eventually(
      async () =>
        gateway.calls === callsWhenHeld + 1 &&
        (await heldJobs()).length === 5 &&
        (await heldJobs()).every((j) => new Date(j.run_at) > clock.now()),
    );
    await drain();
    expect(gateway.calls).toBe(callsWhenHeld + 1);
    expect(alerts()).toHaveLength(1);

    // The operator tops up (or fixes the key): the next probe goes through and every held invitation follows it.
    gateway.answer = 'accept';
    clock.advance(PROBE_INTERVAL_MS);
    await eventually(async () => (await statuses()).every((s) => s === 'sent'), 10_000);
    await drain();
    expect([...gateway.accepted].sort()).toEqual(phones);
    expect(await heldJobs()).toEqual([]);
    expect(await hami.deps.db.selectFrom('channel_holds').selectAll().execute()).toEqual([]);

    // Much later: nothing more is sent, and the incident alerted once.
    clock.advance(60 * MINUTE);
    await drain();
    expect(gateway.accepted).toHaveLength(5);
    expect(alerts()).toHaveLength(1);
  }, 30_000);
});

describe("the hold alert in the team's language", () => {
  const facts = {
    provider: 'kavenegar',
    problem: 'credit',
    code: '418',
    detail: 'Kavenegar refused with 418 اعتبار شما کافی نمیباشد',
    since: '2026-05-04T10:00:00Z',
  };

  test('Persian: the gateway and what to fix in Persian, the code in Persian digits, the time in the Persian calendar', () => {
    const { subject, alert } = smsHoldAlert(facts, 'fa', 'Asia/Tehran', 'https://survey.shop.example/app/');
    expect(subject).toBe('ارسال پیامک متوقف شد: کاوه‌نگار حساب را نپذیرفت');
    expect(alert.headline).toContain('اعتبار حساب تمام شده است');
    expect(alert.headline).toContain('(کد ۴۱۸)');
    expect(alert.headline).toContain('۱۴۰۵');
    expect(alert.quote).toBe(facts.detail);
  });

  test('English: what to fix for each problem', () => {
    const text = (problem: string) => smsHoldAlert({ ...facts, problem }, 'en', 'UTC', 'https://x/app/').alert.headline;
    expect(text('credit')).toContain('run out of credit. Top it up');
    expect(text('credentials')).toContain('does not accept the API key');
    expect(text('sender')).toContain('sender line or number');
    expect(text('account')).toContain('disabled or not active');
  });
});
