import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { smsWebhookUrls } from '../../server/channels/sms/webhook-routes.js';
import { DAY, HOUR, ManualClock } from '../helpers/clock.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { drainJobs, eventually, startTestHami, type TestHami } from '../helpers/hami.js';

const GATEWAY = 'https://sms.gateway.test/send';
const TOKEN = 'gateway-token-0123456789';

/** The generic JSON SMS gateway, as msw plays it: records what it accepted, fails while `down` is set. */
const gateway = {
  accepted: [] as { to: string; text: string; reference: string }[],
  calls: 0,
  down: false,
  refuseNumbers: new Set<string>(),
};
const server = setupServer(
  http.post(GATEWAY, async ({ request }) => {
    gateway.calls++;
    if (request.headers.get('authorization') !== `Bearer ${TOKEN}`) return HttpResponse.json({ error: 'unauthorized' }, { status: 401 });
    if (gateway.down) return HttpResponse.json({ error: 'maintenance' }, { status: 503 });
    const body = (await request.json()) as { to: string; text: string; reference: string };
    if (gateway.refuseNumbers.has(body.to)) return HttpResponse.json({ error: 'invalid number' }, { status: 400 });
    gateway.accepted.push(body);
    return HttpResponse.json({ id: `gw-${gateway.accepted.length}` });
  }),
);

const SMS_ENV = { SMS_PROVIDER: 'http', SMS_HTTP_URL: GATEWAY, SMS_HTTP_TOKEN: TOKEN, SMS_RATE_PER_SECOND: '100' };

describe('delivery rules and the SMS channel', () => {
  let hami: TestHami | undefined;
  let smtp: TestSmtpServer | undefined;
  beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
  afterAll(() => server.close());
  afterEach(async () => {
    await hami?.stopAndClean();
    await smtp?.close();
    hami = smtp = undefined;
    gateway.accepted = [];
    gateway.calls = 0;
    gateway.down = false;
    gateway.refuseNumbers.clear();
  });

  const invitation = (h: TestHami, id: string) =>
    h.deps.db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  test('one survey per customer per 90 days, across surveys', async () => {
    const clock = new ManualClock('2026-04-01T10:00:00Z');
    hami = await startTestHami({ clock, env: SMS_ENV });
    const customer = { id: 'c-1', email: 'c1@example.com' };
    const first = await hami.postEvent({ type: 'purchase', id: 'o-1', customer });
    expect(first.body.invitations[0].status).toBe('scheduled');
    // Sent a day later (a jump straight past its link's expiry would expire it unsent, which does not count).
    clock.advance(DAY);
    await eventually(async () => (await invitation(hami!, first.body.invitations[0].id)).status === 'sent');
    clock.advance(29 * DAY);
    const second = await hami.postEvent({ type: 'resolution', id: 't-1', customer });
    expect(second.body.invitations[0]).toMatchObject({ status: 'skipped', reason: 'throttled' });
    const explicit = await hami.postEvent({ type: 'resolution', id: 't-2', sendAt: 'now', customer });
    expect(explicit.body.invitations[0]).toMatchObject({ status: 'skipped', reason: 'throttled' });
    clock.advance(61 * DAY);
    const later = await hami.postEvent({ type: 'resolution', id: 't-3', customer });
    expect(later.body.invitations[0].status).toBe('scheduled');
  });

  test('the throttle period is configurable', async () => {
    const clock = new ManualClock('2026-04-01T10:00:00Z');
    hami = await startTestHami({ clock, env: { ...SMS_ENV, HAMI_THROTTLE_DAYS: '7' } });
    const customer = { id: 'c-1', email: 'c1@example.com' };
    await hami.postEvent({ type: 'purchase', id: 'o-1', customer });
    clock.advance(10 * DAY);
    const next = await hami.postEvent({ type: 'purchase', id: 'o-2', customer });
    expect(next.body.invitations[0].status).toBe('scheduled');
  });

  test("an invitation due in the customer's night waits for their morning, in Tehran and in London", async () => {
    // 17:00 UTC is 20:30 in Tehran; the resolution survey waits an hour → 21:30 Tehran, inside quiet hours.
    const clock = new ManualClock('2026-03-10T17:00:00Z');
    hami = await startTestHami({ clock, env: SMS_ENV });
    const tehran = await hami.postEvent({
      type: 'resolution',
      id: 't-1',
      customer: { id: 'fa', phone: '+989121111111', locale: 'fa', timeZone: 'Asia/Tehran' },
    });
    expect(tehran.body.invitations[0]).toMatchObject({ channel: 'sms', sendAt: '2026-03-11T05:30:00.000Z' });
    const london = await hami.postEvent({
      type: 'resolution',
      id: 't-2',
      customer: { id: 'en', email: 'en@example.com', timeZone: 'Europe/London' },
    });
    expect(london.body.invitations[0].sendAt).toBe('2026-03-10T18:00:00.000Z'); // 18:00 in London is fine
    const nightOwl = await hami.postEvent({
      type: 'resolution',
      id: 't-3',
      sendAt: '2026-03-10T20:00:00Z',
      customer: { id: 'fa2', phone: '+989122222222', timeZone: 'Asia/Tehran' },
    });
    expect(nightOwl.body.invitations[0].sendAt).toBe('2026-03-10T20:00:00.000Z'); // an explicit sendAt is kept

    clock.set('2026-03-11T05:29:00Z');
    await drainJobs(hami);
    expect(gateway.accepted.filter((m) => m.to === '+989121111111')).toHaveLength(0);
    clock.set('2026-03-11T05:30:00Z');
    await eventually(() => gateway.accepted.some((m) => m.to === '+989121111111'));
    const sms = gateway.accepted.find((m) => m.to === '+989121111111')!;
    expect(sms.text).toMatch(/^امتیاز ۰ تا ۱۰: http:\/\/localhost:\d+\/s\/[A-Za-z0-9_-]{22}$/);
    expect(sms.reference).toBe(tehran.body.invitations[0].id);
    // Marked sent once the gateway has answered: a moment after it accepted the text.
    const row = await eventually(async () => {
      const r = await invitation(hami!, tehran.body.invitations[0].id);
      return r.status === 'sent' && r;
    });
    expect(row).toMatchObject({ status: 'sent', provider_message_id: expect.stringMatching(/^gw-/) });
  });

  test("one reminder after the survey's reminder days if still unanswered, none once answered", async () => {
    smtp = await startSmtpServer();
    const clock = new ManualClock('2026-05-04T10:00:00Z');
    hami = await startTestHami({ clock, smtpUrl: smtp.url, env: SMS_ENV });
    const quiet = await hami.postEvent({ type: 'purchase', id: 'o-1', sendAt: 'now', customer: { id: 'a', email: 'a@example.com' } });
    const answers = await hami.postEvent({ type: 'purchase', id: 'o-2', sendAt: 'now', customer: { id: 'b', email: 'b@example.com' } });
    await smtp.waitForMessages(2);
    const link = smtp.messages.find((m) => String(m.to && 'text' in m.to ? m.to.text : '').includes('b@example.com'))!;
    const tap = /href="([^"]+\?score=9)"/.exec(String(link.html))![1]!.replaceAll('&amp;', '&');
    await fetch(tap, { redirect: 'manual' });

    clock.advance(3 * DAY - HOUR);
    await drainJobs(hami);
    expect(smtp.messages).toHaveLength(2);
    clock.advance(HOUR);
    await smtp.waitForMessages(3);
    const reminder = smtp.messages[2]!;
    expect(reminder.subject).toBe('Reminder: How was your order?');
    expect(String(reminder.to && 'text' in reminder.to ? reminder.to.text : '')).toContain('a@example.com');
    // Marked once the mail server has answered: a moment after the message arrived.
    await eventually(async () => (await invitation(hami!, quiet.body.invitations[0].id)).reminder_sent_at);
    expect((await invitation(hami, answers.body.invitations[0].id)).reminder_sent_at).toBeNull();
    clock.advance(5 * DAY);
    await drainJobs(hami);
    expect(smtp.messages).toHaveLength(3);
  });

  test("a reminder that falls in the customer's night waits for the morning", async () => {
    const clock = new ManualClock('2026-05-04T16:00:00Z'); // 19:30 in Tehran
    hami = await startTestHami({ clock, env: SMS_ENV });
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: 'o-1',
      sendAt: 'now',
      customer: { id: 'a', phone: '+989123333333', timeZone: 'Asia/Tehran', locale: 'fa' },
    });
    await eventually(() => gateway.accepted.length === 1);
    clock.set('2026-05-07T18:00:00Z'); // three days later, 21:30 in Tehran
    const job = await eventually(async () => {
      const row = await hami!.deps.db.selectFrom('jobs').selectAll().where('name', '=', 'invitation.remind').executeTakeFirst();
      return row && row.run_at > '2026-05-07T18:00:00.000Z' ? row : undefined;
    });
    expect(job.run_at).toBe('2026-05-08T05:30:00.000Z');
    expect(gateway.accepted).toHaveLength(1);
    clock.set('2026-05-08T05:30:00Z');
    await eventually(() => gateway.accepted.length === 2);
    expect(gateway.accepted[1]!.text).toMatch(/^یادآوری: امتیاز ۰ تا ۱۰: /);
    expect(gateway.accepted[1]!.reference).toBe(`${body.invitations[0].id}:reminder`);
  });

  test('while the SMS gateway is down every invitation waits, and each is sent exactly once when it is back', async () => {
    const clock = new ManualClock('2026-05-04T10:00:00Z');
    hami = await startTestHami({ clock, env: SMS_ENV });
    gateway.down = true;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { body } = await hami.postEvent({
        type: 'purchase',
        id: `o-${i}`,
        sendAt: 'now',
        customer: { id: `c-${i}`, phone: `+98912000000${i}` },
      });
      ids.push(body.invitations[0].id);
    }
    await eventually(() => gateway.calls >= 5);
    for (let minutes = 0; minutes < 30; minutes += 5) {
      clock.advance(5 * 60_000);
      await drainJobs(hami);
    }
    expect(gateway.accepted).toHaveLength(0);
    for (const id of ids) expect((await invitation(hami, id)).status).toBe('scheduled');
    gateway.down = false;
    clock.advance(HOUR + 15 * 60_000);
    await eventually(() => gateway.accepted.length === 5);
    clock.advance(2 * HOUR);
    await drainJobs(hami);
    expect(gateway.accepted.map((m) => m.reference).sort()).toEqual([...ids].sort());
    for (const id of ids) expect((await invitation(hami, id)).status).toBe('sent');
  });

  test('an address refused for good falls back to the next channel and is suppressed', async () => {
    smtp = await startSmtpServer();
    smtp.rejectRecipients.add('gone@example.com');
    hami = await startTestHami({ smtpUrl: smtp.url, env: SMS_ENV });
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: 'o-1',
      sendAt: 'now',
      customer: { id: 'c', email: 'gone@example.com', phone: '+989124444444' },
    });
    expect(body.invitations[0].channel).toBe('email');
    await eventually(() => gateway.accepted.length === 1);
    const row = await eventually(async () => {
      const r = await invitation(hami!, body.invitations[0].id);
      return r.status === 'sent' && r;
    });
    expect(row).toMatchObject({ status: 'sent', channel: 'sms', address: '+989124444444' });
    const suppressed = await hami.deps.db.selectFrom('suppressions').select(['channel', 'address', 'reason']).execute();
    expect(suppressed).toEqual([{ channel: 'email', address: 'gone@example.com', reason: 'bounced' }]);
  });

  test('a number the gateway refuses, with no other channel, fails the invitation with the reason', async () => {
    hami = await startTestHami({ env: SMS_ENV });
    gateway.refuseNumbers.add('+989125555555');
    const { body } = await hami.postEvent({ type: 'purchase', id: 'o-1', sendAt: 'now', customer: { id: 'c', phone: '+989125555555' } });
    const row = await eventually(async () => {
      const r = await invitation(hami!, body.invitations[0].id);
      return r.status === 'failed' ? r : undefined;
    });
    expect(row.reason).toMatch(/SMS gateway refused/);
    expect(gateway.calls).toBe(1);
  });

  test('the per-provider rate limit spreads sends out instead of dropping them', async () => {
    const clock = new ManualClock('2026-05-04T10:00:00Z');
    hami = await startTestHami({ clock, env: { ...SMS_ENV, SMS_RATE_PER_SECOND: '1' } });
    for (let i = 0; i < 3; i++)
      await hami.postEvent({ type: 'purchase', id: `o-${i}`, sendAt: 'now', customer: { id: `c-${i}`, phone: `+98912100000${i}` } });
    await eventually(() => gateway.accepted.length === 1);
    await drainJobs(hami);
    expect(gateway.accepted).toHaveLength(1);
    for (let second = 0; second < 5 && gateway.accepted.length < 3; second++) {
      clock.advance(1000);
      await drainJobs(hami);
    }
    expect(gateway.accepted).toHaveLength(3);
    expect(gateway.calls).toBe(3); // the limit held the others back before they reached the gateway
  });
});

describe('two-way SMS, opt-out words and delivery reports', () => {
  let hami: TestHami;
  beforeAll(async () => {
    server.listen({ onUnhandledRequest: 'bypass' });
    hami = await startTestHami({ env: SMS_ENV });
  });
  afterAll(async () => {
    await hami.stopAndClean();
    server.close();
  });

  const hooks = () => smsWebhookUrls(hami.url, hami.deps.secret);
  const post = (url: string, body: unknown, token = TOKEN) =>
    fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  async function smsInvitation(phone: string, id: string, locale = 'fa') {
    const { body } = await hami.postEvent({ type: 'purchase', id, sendAt: 'now', customer: { id, phone, locale } });
    const invitationId: string = body.invitations[0].id;
    await eventually(() => gateway.accepted.some((m) => m.reference === invitationId));
    // A reply finds the invitation once it is marked sent, a moment after the gateway accepted the text.
    await eventually(
      async () =>
        (await hami.deps.db.selectFrom('invitations').select('status').where('id', '=', invitationId).executeTakeFirst())?.status ===
        'sent',
    );
    return invitationId;
  }
  const responseOf = (invitationId: string) =>
    hami.deps.db.selectFrom('responses').selectAll().where('invitation_id', '=', invitationId).executeTakeFirst();

  test('a reply with a score in Persian digits is recorded, and the customer gets the comment link', async () => {
    const id = await smsInvitation('+989126666666', 'o-score');
    const res = await post(hooks().inbound, { from: '+989126666666', text: ' ۳ ' });
    expect(await res.json()).toEqual({ ok: true, outcome: 'answer' });
    expect(await responseOf(id)).toMatchObject({ score: 3, bucket: 'detractor', channel: 'sms' });
    const thanks = await eventually(() => gateway.accepted.find((m) => m.reference === `${id}:thanks`));
    expect(thanks.text).toMatch(/^سپاس! بیشتر بگویید: http:\/\/localhost:\d+\/s\/[A-Za-z0-9_-]{22}$/);
    const callback = await hami.deps.db.selectFrom('callback_cases').select('status').executeTakeFirst();
    expect(callback?.status).toBe('open');
  });

  test('a reply from the number written nationally (0912…, as Iranian gateways send it) answers the survey sent to +98…', async () => {
    const id = await smsInvitation('+989125555555', 'o-national');
    const res = await post(hooks().inbound, { from: '0912 555 5555', text: '8' });
    expect(await res.json()).toEqual({ ok: true, outcome: 'answer' });
    expect(await responseOf(id)).toMatchObject({ score: 8, channel: 'sms' });
    const logged = await hami.deps.db
      .selectFrom('inbound_messages')
      .select('address')
      .where('invitation_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(logged.address).toBe('+989125555555');
  });

  test('a reply that is not a score is kept as the comment', async () => {
    const id = await smsInvitation('+989127777777', 'o-comment');
    await post(hooks().inbound, { from: '+989127777777', text: 'the courier was rude' });
    expect(await responseOf(id)).toMatchObject({ score: null, comment: 'the courier was rude' });
  });

  test.each(['STOP', 'لغو', '۱۱'])('"%s" stops all SMS surveys to that number', async (word) => {
    const phone = `+98912888${String(word.length).padStart(4, '0')}`;
    await smsInvitation(phone, `o-stop-${word}`);
    const res = await post(hooks().inbound, { from: phone, text: word });
    expect(await res.json()).toEqual({ ok: true, outcome: 'opt_out' });
    const next = await hami.postEvent({ type: 'purchase', id: `o-after-${word}`, customer: { id: `other-${word}`, phone } });
    expect(next.body.invitations[0]).toMatchObject({ status: 'skipped', reason: 'opted_out' });
  });

  test('a delivery report is stored on the invitation; a wrong key or token is refused', async () => {
    const id = await smsInvitation('+989129999999', 'o-report');
    const res = await post(hooks().status, { reference: id, status: 'delivered', detail: 'DELIVRD' });
    expect(await res.json()).toMatchObject({ ok: true, matched: 1 });
    const row = await hami.deps.db
      .selectFrom('invitations')
      .select(['delivery_status', 'delivery_detail'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ delivery_status: 'delivered', delivery_detail: 'delivered: DELIVRD' });

    expect((await post(hooks().status.replace(/sms\/[^/]+\//, 'sms/wrong-key/'), { reference: id, status: 'failed' })).status).toBe(404);
    expect((await post(hooks().status, { reference: id, status: 'failed' }, 'wrong-token')).status).toBe(401);
    const after = await hami.deps.db.selectFrom('invitations').select('delivery_status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(after.delivery_status).toBe('delivered');
  });
});
