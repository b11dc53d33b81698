import type { ParsedMail } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { DAY, ManualClock } from '../helpers/clock.js';
import { DelightedApiError, DelightedClient } from '../helpers/delighted-client.js';
import { drainJobs, eventually, startTestHami, TEST_API_KEY, type TestHami } from '../helpers/hami.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { ADMIN, signIn } from '../helpers/staff.js';

/*
 * Autopilot end to end: members added through Delighted's Autopilot API and through Hami's events API get the
 * relationship survey (surveys/relationship.json, every 6 months) on work-day mornings in their own time zone, by
 * real SMTP; the test clock jumps to each planned send and the job queue is drained, never slept on.
 */

const SUBJECT = 'How are we doing?';
const recipient = (mail: ParsedMail) => (mail.to && 'text' in mail.to ? mail.to.text : '');

/** The wall clock of `at` in `timeZone`: weekday, date and time, e.g. "Sat 2026-07-04 09:46". */
function local(at: Date | string, timeZone: string): { weekday: string; date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { weekday: get('weekday'), date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/** A work-day morning (09:00–10:59) in `timeZone`; Iran's work week is Saturday to Wednesday. */
function expectWorkDayMorning(at: Date | string, timeZone: string): void {
  const wall = local(at, timeZone);
  const weekend = timeZone === 'Asia/Tehran' ? ['Thu', 'Fri'] : ['Sat', 'Sun'];
  expect(weekend, `${wall.weekday} ${wall.date} ${wall.time} in ${timeZone}`).not.toContain(wall.weekday);
  expect(wall.time >= '09:00' && wall.time < '11:00', `${wall.time} in ${timeZone}`).toBe(true);
}

/**
 * `to` is 6 calendar months after `from` in `timeZone`, at the same local time: the same day of the month, or up to
 * 2 days later when that day is a weekend.
 */
function expectSixMonthsAfter(from: Date | string, to: Date | string, timeZone: string): void {
  const [a, b] = [local(from, timeZone), local(to, timeZone)];
  const [year, month, day] = a.date.split('-').map(Number) as [number, number, number];
  const due = Date.UTC(year, month - 1 + 6, Math.min(day, new Date(Date.UTC(year, month + 6, 0)).getUTCDate()));
  const shift = (Date.parse(`${b.date}T00:00:00Z`) - due) / DAY;
  expect(shift, `${a.date} → ${b.date} in ${timeZone}`).toBeGreaterThanOrEqual(0);
  expect(shift, `${a.date} → ${b.date} in ${timeZone}`).toBeLessThanOrEqual(2);
  expect(b.time).toBe(a.time);
}

/** Days from one instant to another. */
const daysBetween = (from: Date | string, to: Date | string) => (new Date(to).getTime() - new Date(from).getTime()) / DAY;

describe('autopilot: the recurring relationship survey', { timeout: 90_000 }, () => {
  let smtp: TestSmtpServer;
  let hami: TestHami;
  let delighted: DelightedClient;
  let clock: ManualClock;

  const surveysTo = (address: string) => smtp.messages.filter((m) => recipient(m).includes(address) && m.subject === SUBJECT);
  const mailsTo = (address: string) => smtp.messages.filter((m) => recipient(m).includes(address));
  const membership = (email: string) =>
    hami.deps.db
      .selectFrom('autopilot_memberships as m')
      .innerJoin('customers as c', 'c.id', 'm.customer_id')
      .select(['m.next_send_at', 'm.last_sent_at', 'm.next_job_id', 'c.id as customer_id'])
      .where('c.email', '=', email)
      .executeTakeFirst();
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${hami.url}/api/v1/autopilot${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_API_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // `any`: a member or an error body by status; each test asserts the shape it expects.
    return { status: response.status, body: (await response.json()) as any };
  };
  /** Moves the clock to `at` and runs every job due by then (the autopilot turn, then the survey's own send). */
  const runUntil = async (at: Date | string) => {
    clock.set(at);
    await drainJobs(hami);
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp.close();
  });
  beforeEach(async () => {
    // A Wednesday, 11:00 in London (its morning window has just closed).
    clock = new ManualClock('2026-07-01T10:00:00Z');
    hami = await startTestHami({ clock, smtpUrl: smtp.url, env: { HAMI_TIME_ZONE: 'Europe/London' } });
    delighted = new DelightedClient(`${hami.url}/api/delighted/v1`, TEST_API_KEY);
  });
  afterEach(async () => {
    await hami.stopAndClean();
  });

  test('added through the Delighted API: surveyed on a work-day morning in the default time zone, then 6 months after that send', async () => {
    expect(await delighted.autopilotConfiguration('email')).toMatchObject({
      platform_id: 'email',
      active: true,
      frequency: 6 * 30 * 86_400,
    });
    const added = await delighted.addToAutopilot('email', {
      person_email: 'Ava@Example.com',
      properties: { customer_id: 'ava', Plan: 'gold' },
    });
    expect(added).toEqual({
      person: {
        id: expect.any(String),
        name: null,
        email: 'ava@example.com',
        created_at: Math.floor(clock.now().getTime() / 1000),
        phone_number: null,
      },
      properties: { customer_id: 'ava', Plan: 'gold' },
    });
    const [listed, ...others] = await delighted.listAutopilotMemberships('email');
    expect(others).toEqual([]);
    expect(listed).toMatchObject({
      person: { id: added.person.id, email: 'ava@example.com', last_sent_at: null },
      next_survey_request: { properties: { Plan: 'gold' } },
    });
    const first = new Date(listed.next_survey_request.survey_scheduled_at * 1000);
    // Within the first interval, on a London work-day morning.
    expect(daysBetween(clock.now(), first)).toBeLessThan(185);
    expectWorkDayMorning(first, 'Europe/London');

    await runUntil(new Date(first.getTime() - 60_000));
    expect(surveysTo('ava@example.com')).toHaveLength(0);
    await runUntil(first);
    await smtp.waitForMessages(1);
    expect(surveysTo('ava@example.com')).toHaveLength(1);

    const [afterFirst] = await delighted.listAutopilotMemberships('email', { person_email: 'ava@example.com' });
    expect(afterFirst.person.last_sent_at).toBe(Math.floor(first.getTime() / 1000));
    const second = new Date(afterFirst.next_survey_request.survey_scheduled_at * 1000);
    expectSixMonthsAfter(first, second, 'Europe/London');
    expectWorkDayMorning(second, 'Europe/London');

    await runUntil(second);
    await eventually(() => surveysTo('ava@example.com').length === 2);
  });

  test('a full page of members carries a Link to the next; removing one cancels their survey; a removed person is a 404', async () => {
    for (const name of ['a', 'b', 'c']) await delighted.addToAutopilot('email', { person_email: `${name}@example.com` });
    expect(
      (await delighted.listAutopilotMemberships('email', { per_page: 2 })).map((m: { person: { email: string } }) => m.person.email),
    ).toEqual(['a@example.com', 'b@example.com']);
    expect((await delighted.allAutopilotMemberships('email', 2)).map((m: { person: { email: string } }) => m.person.email)).toEqual([
      'a@example.com',
      'b@example.com',
      'c@example.com',
    ]);
    expect(await delighted.listAutopilotMemberships('sms')).toEqual([]);

    const planned = (await membership('b@example.com'))!.next_send_at;
    expect(await delighted.removeFromAutopilot('email', { person_email: 'b@example.com' })).toMatchObject({
      person: { email: 'b@example.com' },
    });
    expect(await membership('b@example.com')).toBeUndefined();
    await runUntil(new Date(new Date(planned).getTime() + DAY));
    expect(mailsTo('b@example.com')).toEqual([]);

    const again = await delighted.removeFromAutopilot('email', { person_email: 'b@example.com' }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(DelightedApiError);
    expect((again as DelightedApiError).status).toBe(404);
    const both = await delighted.removeFromAutopilot('email', { person_email: 'a@example.com', person_id: 'x' }).catch((e: unknown) => e);
    expect((both as DelightedApiError).body.errors).toHaveProperty('person_email');
  });

  test('a person named by id joins autopilot by SMS with their properties, and leaves by a DELETE whose person is in the query', async () => {
    const person = await delighted.createPerson({ phone_number: '+989121234567', send: false, properties: { customer_id: 'sms-1' } });
    const added = await delighted.addToAutopilot('sms', { person_id: person.id, properties: { Plan: 'gold' } });
    expect(added).toMatchObject({ person: { id: person.id, phone_number: '+989121234567' }, properties: { Plan: 'gold' } });
    const customer = await hami.deps.db
      .selectFrom('customers')
      .select(['attributes'])
      .where('external_id', '=', 'sms-1')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(customer.attributes)).toMatchObject({ Plan: 'gold' });
    expect((await delighted.listAutopilotMemberships('sms')).map((m: { person: { id: string } }) => m.person.id)).toEqual([person.id]);
    // Not on email: that platform has no such member.
    expect(
      ((await delighted.removeFromAutopilot('email', { person_id: person.id }).catch((e: unknown) => e)) as DelightedApiError).status,
    ).toBe(404);

    const response = await fetch(`${hami.url}/api/delighted/v1/autopilot/sms/memberships.json?person_id=${encodeURIComponent(person.id)}`, {
      method: 'DELETE',
      headers: { authorization: `Basic ${Buffer.from(`${TEST_API_KEY}:`).toString('base64')}` },
    });
    expect(response.status).toBe(200);
    expect(await delighted.listAutopilotMemberships('sms')).toEqual([]);
  });

  test('added through the events API with a Tehran time zone: the first survey goes out on a Saturday–Wednesday morning, Tehran time', async () => {
    const customer = { id: 'tehran-1', email: 'reza@example.com', timeZone: 'Asia/Tehran', locale: 'en' };
    const added = await api('POST', '/members', { customer });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ customerId: 'tehran-1', channel: 'email', lastSentAt: null, everyMonths: 6 });
    expectWorkDayMorning(added.body.nextSendAt, 'Asia/Tehran');

    // Added again (a retried request): the same schedule, 200.
    const repeat = await api('POST', '/members', { customer });
    expect(repeat).toMatchObject({ status: 200, body: { nextSendAt: added.body.nextSendAt } });
    expect((await api('GET', '/members/tehran-1')).body.memberships).toHaveLength(1);

    // Staff see the membership on the customer's timeline, at the planned send.
    const admin = await signIn(hami, ADMIN.email, ADMIN.password);
    const customerRow = await hami.deps.db
      .selectFrom('customers')
      .select('id')
      .where('external_id', '=', 'tehran-1')
      .executeTakeFirstOrThrow();
    const timeline = await admin.call('GET', `/api/customers/${customerRow.id}/timeline`);
    expect(timeline.body.items.filter((i: { kind: string }) => i.kind === 'autopilot')).toEqual([
      expect.objectContaining({
        at: added.body.nextSendAt,
        detail: expect.objectContaining({ channel: 'email', nextSendAt: added.body.nextSendAt }),
      }),
    ]);

    await runUntil(added.body.nextSendAt);
    await eventually(() => surveysTo('reza@example.com').length === 1);
    const next = (await api('GET', '/members/tehran-1')).body.memberships[0];
    expect(next.lastSentAt).toBe(added.body.nextSendAt);
    expectSixMonthsAfter(added.body.nextSendAt, next.nextSendAt, 'Asia/Tehran');
    expectWorkDayMorning(next.nextSendAt, 'Asia/Tehran');

    expect((await api('DELETE', '/members/tehran-1')).status).toBe(200);
    await runUntil(next.nextSendAt);
    expect(surveysTo('reza@example.com')).toHaveLength(1);
    expect(await api('DELETE', '/members/tehran-1')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  test('bad input to the events API is a 400 naming the field', async () => {
    expect(await api('POST', '/members', { customer: { id: 'x', email: 'x@example.com' }, channel: 'fax' })).toMatchObject({
      status: 400,
      body: { error: { field: 'channel' } },
    });
    expect(await api('POST', '/members', { customer: { id: 'x', phone: '+989121234567' }, channel: 'email' })).toMatchObject({
      status: 400,
      body: { error: { field: 'customer.email' } },
    });
    expect(await api('POST', '/members', { customer: { email: 'x@example.com' } })).toMatchObject({
      status: 400,
      body: { error: { field: 'customer.id' } },
    });
  });

  test('an opted-out member gets nothing, and stays on autopilot with the next turn an interval later', async () => {
    const added = await api('POST', '/members', { customer: { id: 'opted', email: 'opted@example.com' } });
    await delighted.unsubscribe('opted@example.com');
    await runUntil(added.body.nextSendAt);
    expect(mailsTo('opted@example.com')).toEqual([]);
    const invitations = await hami.deps.db
      .selectFrom('invitations')
      .select(['status', 'reason'])
      .innerJoin('customers as c', 'c.id', 'invitations.customer_id')
      .where('c.email', '=', 'opted@example.com')
      .execute();
    expect(invitations).toEqual([{ status: 'skipped', reason: 'opted_out' }]);
    const [member] = (await api('GET', '/members/opted')).body.memberships;
    expect(member.lastSentAt).toBeNull();
    expectSixMonthsAfter(added.body.nextSendAt, member.nextSendAt, 'Europe/London');
    expectWorkDayMorning(member.nextSendAt, 'Europe/London');
  });

  test('a member surveyed lately (the throttle) is asked once the throttle allows, and the next turn counts from that send', async () => {
    const added = await api('POST', '/members', { customer: { id: 'buyer', email: 'buyer@example.com' } });
    // A purchase survey goes out the day before their autopilot turn.
    clock.set(new Date(new Date(added.body.nextSendAt).getTime() - DAY));
    const purchase = await hami.postEvent({
      type: 'purchase',
      id: 'order-1',
      sendAt: 'now',
      customer: { id: 'buyer', email: 'buyer@example.com' },
    });
    expect(purchase.body.invitations[0].status).toBe('scheduled');
    await drainJobs(hami);
    await eventually(() => mailsTo('buyer@example.com').length === 1);
    const purchaseSent = clock.now();

    await runUntil(added.body.nextSendAt);
    expect(surveysTo('buyer@example.com')).toHaveLength(0);
    const [held] = (await api('GET', '/members/buyer')).body.memberships;
    // The throttle (90 days) ends 90 days after the purchase survey: the next work-day morning after that.
    expect(daysBetween(purchaseSent, held.nextSendAt)).toBeGreaterThanOrEqual(90);
    expect(daysBetween(purchaseSent, held.nextSendAt)).toBeLessThan(94);
    expectWorkDayMorning(held.nextSendAt, 'Europe/London');

    await runUntil(held.nextSendAt);
    await eventually(() => surveysTo('buyer@example.com').length === 1);
    const [after] = (await api('GET', '/members/buyer')).body.memberships;
    expect(after.lastSentAt).toBe(held.nextSendAt);
    // Six months after the send that happened, not after the turn that was held back.
    expectSixMonthsAfter(held.nextSendAt, after.nextSendAt, 'Europe/London');
  });

  test('a turn whose job runs a second time (a restart that finds it queued again) sends nothing more', async () => {
    const added = await api('POST', '/members', { customer: { id: 'twice', email: 'twice@example.com' } });
    const { next_job_id: firstJob } = (await membership('twice@example.com'))!;
    await runUntil(added.body.nextSendAt);
    await eventually(() => surveysTo('twice@example.com').length === 1);
    const after = (await membership('twice@example.com'))!;
    // The finished turn's job is back in the queue: the membership has moved on to its next job, so it plans nothing.
    await hami.deps.db
      .updateTable('jobs')
      .set({ status: 'queued', run_at: clock.now().toISOString() })
      .where('id', '=', firstJob)
      .execute();
    await drainJobs(hami);
    expect(surveysTo('twice@example.com')).toHaveLength(1);
    expect(await membership('twice@example.com')).toEqual(after);
  });
});
