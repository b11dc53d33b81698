import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { recordAnswer } from '../../server/responses/record-answer.js';
import { HOUR, ManualClock } from '../helpers/clock.js';
import { DelightedApiError, DelightedClient } from '../helpers/delighted-client.js';
import { eventually, startTestHami, TEST_API_KEY, type TestHami } from '../helpers/hami.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { ADMIN, signIn } from '../helpers/staff.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/imports');
const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** What a Delighted client raises for a call, or fails the test when the call succeeds. */
async function refusal(call: Promise<unknown>): Promise<DelightedApiError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof DelightedApiError)) throw new Error(`expected a Delighted API error, got ${String(error)}`);
  return error;
}

describe('the Delighted-compatible API, called as a Delighted client calls Delighted', { timeout: 60_000 }, () => {
  let hami: TestHami;
  let smtp: TestSmtpServer;
  let delighted: DelightedClient;
  const clock = new ManualClock('2026-07-01T10:00:00Z');

  const customerByEmail = (email: string) =>
    hami.deps.db.selectFrom('customers').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
  const invitationsOf = (customerId: string) =>
    hami.deps.db.selectFrom('invitations').selectAll().where('customer_id', '=', customerId).orderBy('created_at').execute();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    hami = await startTestHami({ clock, smtpUrl: smtp.url });
    // Only the base URL differs from a client of https://api.delighted.com/v1.
    delighted = new DelightedClient(`${hami.url}/api/delighted/v1`, TEST_API_KEY);
  });
  afterAll(async () => {
    await hami.stopAndClean();
    await smtp.close();
  });

  test('a person created with a form body and properties[…] is a customer with a survey invitation at now + delay', async () => {
    clock.set('2026-07-01T10:00:00Z');
    const person = await delighted.createPerson({
      email: 'Mina@Example.com',
      name: 'Mina',
      delay: 3600,
      properties: { customer_id: 'shop-7', Plan: 'gold', locale: 'fa' },
    });
    expect(person).toEqual({
      id: expect.any(String),
      email: 'mina@example.com',
      name: 'Mina',
      phone_number: null,
      created_at: unix('2026-07-01T10:00:00Z'),
      properties: { Plan: 'gold' },
      survey_scheduled_at: unix('2026-07-01T11:00:00Z'),
    });
    const customer = await customerByEmail('mina@example.com');
    expect(customer).toMatchObject({ external_id: 'shop-7', locale: 'fa', name: 'Mina' });
    const [invitation, ...others] = await invitationsOf(customer.id);
    expect(others).toEqual([]);
    expect(invitation).toMatchObject({
      survey_id: 'post-purchase',
      channel: 'email',
      status: 'scheduled',
      send_at: '2026-07-01T11:00:00.000Z',
      locale: 'fa',
    });
    const job = await hami.deps.db
      .selectFrom('jobs')
      .select(['run_at', 'status'])
      .where('payload', 'like', `%${invitation!.id}%`)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ run_at: '2026-07-01T11:00:00.000Z', status: 'queued' });

    // The same person again (known by email now): the same id, an update, and the throttle holds the second survey back.
    const again = await delighted.createPerson({ email: 'mina@example.com', properties: { Plan: 'platinum' } });
    expect(again).toMatchObject({ id: person.id, properties: { Plan: 'platinum' } });
    expect(again).not.toHaveProperty('survey_scheduled_at');
    expect((await invitationsOf(customer.id)).map((i) => [i.status, i.reason])).toEqual([
      ['scheduled', null],
      ['skipped', 'throttled'],
    ]);
  });

  test('a JSON body, as delighted-node and delighted-ruby send it, works the same; 201 for a new person, 200 for a known one', async () => {
    const first = await fetch(`${hami.url}/api/delighted/v1/people.json`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${TEST_API_KEY}:`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'json@example.com', name: 'Jay', properties: { country: 'IR', visits: 3 }, delay: 60 }),
    });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({
      email: 'json@example.com',
      properties: { country: 'IR', visits: 3 },
      survey_scheduled_at: unix('2026-07-01T10:01:00Z'),
    });
    const second = await delighted.createPersonJson({ email: 'json@example.com', send: false });
    expect(second).toMatchObject({ email: 'json@example.com', name: 'Jay' });
  });

  test('send=false creates or updates the person and plans nothing', async () => {
    const person = await delighted.createPerson({ email: 'quiet@example.com', name: 'Quiet', send: false });
    expect(person).not.toHaveProperty('survey_scheduled_at');
    expect(await invitationsOf((await customerByEmail('quiet@example.com')).id)).toEqual([]);
    expect(await hami.deps.db.selectFrom('jobs').select('id').where('payload', 'like', '%quiet%').execute()).toEqual([]);
  });

  test("the survey waits for the end of the customer's quiet hours, as an event's does", async () => {
    // 22:30 UTC (the default time zone) is within the default quiet hours 21–9.
    clock.set('2026-07-01T22:30:00Z');
    const person = await delighted.createPerson({ email: 'night@example.com' });
    expect(person.survey_scheduled_at).toBe(unix('2026-07-02T09:00:00Z'));
    clock.set('2026-07-01T10:00:00Z');
  });

  test('an SMS survey is planned on the phone number; sms without a number plans none (no address)', async () => {
    clock.set('2026-07-01T10:00:00Z');
    const withPhone = await delighted.createPerson({ phone_number: '09121234567', channel: 'sms', delay: 0 });
    expect(withPhone).toMatchObject({ phone_number: '+989121234567', email: null, survey_scheduled_at: unix('2026-07-01T10:00:00Z') });
    const [invitation] = await invitationsOf(
      (await hami.deps.db.selectFrom('customers').select('id').where('phone', '=', '+989121234567').executeTakeFirstOrThrow()).id,
    );
    expect(invitation).toMatchObject({ channel: 'sms', address: '+989121234567' });
    const without = await delighted.createPerson({ email: 'nophone@example.com', channel: 'sms' });
    expect(without).not.toHaveProperty('survey_scheduled_at');
  });

  test('an unsubscribed email is never surveyed again: a pending survey is dropped and a new one is not planned', async () => {
    clock.set('2026-07-01T10:00:00Z');
    const person = await delighted.createPerson({ email: 'leave@example.com', name: 'Leila', delay: 1800 });
    expect(person.survey_scheduled_at).toBe(unix('2026-07-01T10:30:00Z'));
    expect(await delighted.unsubscribe('Leave@example.com')).toEqual({ ok: true });

    clock.set('2026-07-01T10:31:00Z');
    hami.deps.jobQueued();
    const customer = await customerByEmail('leave@example.com');
    const [dropped] = await eventually(async () => {
      const rows = await invitationsOf(customer.id);
      return rows[0]?.status === 'skipped' ? rows : undefined;
    });
    expect(dropped).toMatchObject({ reason: 'opted_out', sent_at: null });
    expect(smtp.messages.filter((m) => m.to && JSON.stringify(m.to).includes('leave@example.com'))).toEqual([]);

    // A later call with another customer id for the same mailbox: the opt-out is the address's, not the record's.
    const later = await delighted.createPerson({ email: 'leave@example.com', properties: { customer_id: 'other-record' } });
    expect(later).not.toHaveProperty('survey_scheduled_at');
    const other = await hami.deps.db
      .selectFrom('customers')
      .select('id')
      .where('external_id', '=', 'other-record')
      .executeTakeFirstOrThrow();
    expect((await invitationsOf(other.id)).map((i) => [i.status, i.reason])).toEqual([['skipped', 'opted_out']]);

    const unsubscribes = await delighted.listUnsubscribes();
    expect(unsubscribes).toEqual([
      { person_id: person.id, email: 'leave@example.com', name: 'Leila', unsubscribed_at: unix('2026-07-01T10:00:00Z') },
    ]);
    expect(await delighted.listUnsubscribes({ since: unix('2026-07-01T10:00:01Z') })).toEqual([]);
    clock.set('2026-07-01T10:00:00Z');
  });

  test('an address the mail server refused for good is listed in bounces.json, not in unsubscribes.json', async () => {
    smtp.rejectRecipients.add('gone@example.com');
    const person = await delighted.createPerson({ email: 'gone@example.com', name: 'Gone' });
    hami.deps.jobQueued();
    const bounces = await eventually(async () => {
      const list = await delighted.listBounces();
      return list.length ? list : undefined;
    }, 10_000);
    expect(bounces).toEqual([{ person_id: person.id, email: 'gone@example.com', name: 'Gone', bounced_at: expect.any(Number) }]);
    expect((await delighted.listUnsubscribes()).map((u: { email: string }) => u.email)).not.toContain('gone@example.com');
  });

  describe('responses and metrics, native and imported from Delighted', () => {
    const native: { email: string; score: number; at: string }[] = [
      { email: 'p1@example.com', score: 9, at: '2026-07-02T08:00:00Z' },
      { email: 'p2@example.com', score: 9, at: '2026-07-02T09:00:00Z' },
      { email: 'p3@example.com', score: 6, at: '2026-07-02T10:00:00Z' },
    ];

    beforeAll(async () => {
      const admin = await signIn(hami, ADMIN.email, ADMIN.password);
      for (const kind of ['people', 'responses']) {
        const res = await fetch(`${hami.url}/api/imports?kind=delighted-${kind}`, {
          method: 'POST',
          headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'text/csv' },
          body: readFileSync(path.join(FIXTURES, `delighted-${kind}.csv`)),
        });
        expect(res.status).toBe(200);
      }
      for (const { email, score, at } of native) {
        clock.set(new Date(Date.parse(at) - HOUR));
        await delighted.createPerson({ email, delay: 0 });
        const [invitation] = await invitationsOf((await customerByEmail(email)).id);
        clock.set(at);
        const survey = hami.deps.surveys.byId(invitation!.survey_id)!;
        await recordAnswer(hami.deps.db, { invitation: invitation!, survey, answers: { nps: score }, source: 'form', now: clock.now() });
      }
      clock.set('2026-07-03T10:00:00Z');
    });

    test("survey_responses pages oldest first through imported and native answers, in Delighted's fields", async () => {
      const all = await delighted.allSurveyResponses({}, 2);
      expect(all.map((r: { score: number; created_at: number }) => [r.score, r.created_at])).toEqual([
        [2, unix('2026-06-10T08:00:00Z')],
        [10, unix('2026-06-10T09:00:00Z')],
        [8, unix('2026-06-11T10:00:00Z')],
        [9, unix('2026-07-02T08:00:00Z')],
        [9, unix('2026-07-02T09:00:00Z')],
        [6, unix('2026-07-02T10:00:00Z')],
      ]);
      const sara = all[0];
      expect(sara).toEqual({
        id: expect.any(String),
        person: '101',
        survey_type: 'nps',
        score: 2,
        comment: 'ارسال خیلی دیر بود، دو هفته',
        permalink: null,
        created_at: unix('2026-06-10T08:00:00Z'),
        updated_at: unix('2026-06-10T08:00:00Z'),
        person_properties: expect.any(Object),
        notes: [],
        tags: [],
        additional_answers: [],
      });
      // A native detractor opened a callback case: its permalink is the case in the dashboard.
      expect(all[5].permalink).toMatch(/\/app\/#\/callbacks\/[\w-]+$/);
      expect(new Set(all.map((r: { id: string }) => r.id)).size).toBe(6);

      const page2 = await delighted.listSurveyResponses({ per_page: 2, page: 2 });
      expect(page2.map((r: { id: string }) => r.id)).toEqual([all[2].id, all[3].id]);
      expect(await delighted.listSurveyResponses({ per_page: 2, page: 4 })).toEqual([]);
      const newestFirst = await delighted.listSurveyResponses({ order: 'desc', per_page: 100 });
      expect(newestFirst.map((r: { id: string }) => r.id)).toEqual(all.map((r: { id: string }) => r.id).reverse());
    });

    test('since/until select on the creation time; expand[]=person gives the person instead of its id, with a stable id', async () => {
      const june = await delighted.listSurveyResponses({
        since: unix('2026-06-10T09:00:00Z'),
        until: unix('2026-06-11T10:00:00Z'),
        expand: ['person'],
      });
      expect(june.map((r: { score: number }) => r.score)).toEqual([10, 8]);
      expect(june[0].person).toMatchObject({
        id: '102',
        email: 'ali@example.com',
        name: 'Ali',
        phone_number: null,
        created_at: expect.any(Number),
      });
      const july = await delighted.listSurveyResponses({ since: unix('2026-07-01T00:00:00Z'), expand: ['person'] });
      const p1 = july[0].person;
      expect(p1).toMatchObject({ email: 'p1@example.com' });
      // The id a person got on creation is the one responses name.
      const created = await delighted.createPerson({ email: 'p1@example.com', send: false });
      expect(created.id).toBe(p1.id);
      const again = await delighted.listSurveyResponses({ since: unix('2026-07-01T00:00:00Z') });
      expect(again[0].person).toBe(p1.id);
      // One person's answers, by Delighted person id or by email.
      expect((await delighted.listSurveyResponses({ person_id: '102' })).map((r: { score: number }) => r.score)).toEqual([10, 8]);
      expect((await delighted.listSurveyResponses({ person_email: 'P1@example.com' })).map((r: { score: number }) => r.score)).toEqual([9]);
    });

    test('metrics.json gives the hand-computed NPS, counts and percentages, over a range too', async () => {
      // 2, 10, 8 imported; 9, 9, 6 native: 3 promoters, 1 passive, 2 detractors of 6 → NPS (3 − 2) / 6 = 16.7 → 17.
      expect(await delighted.metrics()).toEqual({
        nps: 17,
        promoter_count: 3,
        promoter_percent: 50,
        passive_count: 1,
        passive_percent: 17,
        detractor_count: 2,
        detractor_percent: 33,
        response_count: 6,
      });
      // June only: 10, 8, 2 → one of each, NPS 0.
      expect(await delighted.metrics({ since: unix('2026-06-01T00:00:00Z'), until: unix('2026-06-30T23:59:59Z'), trend: '1234' })).toEqual({
        nps: 0,
        promoter_count: 1,
        promoter_percent: 33,
        passive_count: 1,
        passive_percent: 33,
        detractor_count: 1,
        detractor_percent: 33,
        response_count: 3,
      });
      expect(await delighted.metrics({ since: unix('2027-01-01T00:00:00Z') })).toMatchObject({ nps: null, response_count: 0 });
    });
  });

  test.each([
    ['no email and no phone', { name: 'Nobody' }, 'email'],
    ['a malformed email', { email: 'not-an-email' }, 'email'],
    ['a phone that cannot be a mobile', { phone_number: 'call me' }, 'phone_number'],
    ['a negative delay', { email: 'd@example.com', delay: -5 }, 'delay'],
    ['a channel Hami does not have', { email: 'd@example.com', channel: 'fax' }, 'channel'],
    ['a locale Hami does not speak', { email: 'd@example.com', properties: { locale: 'de' } }, 'properties[locale]'],
    ['send that is not true or false', { email: 'd@example.com', send: 'maybe' }, 'send'],
  ])('people.json with %s is a 422 naming the field', async (_, params, field) => {
    const error = await refusal(delighted.createPerson(params));
    expect(error).toMatchObject({ status: 422, type: 'ResourceValidationError' });
    expect(error.body.status).toBe(422);
    expect(error.body.errors).toHaveProperty([field]);
    expect(error.body.message).toContain(field);
  });

  test.each([
    ['per_page above 100', () => delighted.listSurveyResponses({ per_page: 500 }), 'per_page'],
    ['page 0', () => delighted.listUnsubscribes({ page: 0 }), 'page'],
    ['since that is not Unix seconds', () => delighted.metrics({ since: '2026-07-01' }), 'since'],
    ['an unknown order', () => delighted.listSurveyResponses({ order: 'sideways' }), 'order'],
    ['an unsubscribe without person_email', () => delighted.unsubscribe(''), 'person_email'],
  ])('%s is a 422 naming the field', async (_, call, field) => {
    const error = await refusal(call());
    expect(error.status).toBe(422);
    expect(error.body.errors).toHaveProperty([field]);
    expect(error.body.message).toContain(field);
  });

  test("a wrong or missing key is a 401 in Delighted's shape; a Bearer key is taken too", async () => {
    const wrong = await refusal(new DelightedClient(`${hami.url}/api/delighted/v1`, 'not-a-key').metrics());
    expect(wrong).toMatchObject({ status: 401, type: 'AuthenticationError' });
    expect(wrong.body).toEqual({ status: 401, message: expect.stringMatching(/unknown or revoked/) });
    const none = await fetch(`${hami.url}/api/delighted/v1/metrics.json`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic/);
    const bearer = await fetch(`${hami.url}/api/delighted/v1/metrics.json`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    expect(bearer.status).toBe(200);
  });
});
