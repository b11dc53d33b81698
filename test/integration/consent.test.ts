import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { consentWithdrawn } from '../../server/customers/consent.js';
import { SEND_INVITATION_JOB } from '../../server/delivery/plan-invitation.js';
import { SEND_REMINDER_JOB } from '../../server/delivery/send-invitation.js';
import { invitationToken } from '../../server/delivery/tokens.js';
import { runImport } from '../../server/imports/import.js';
import { DAY, HOUR, ManualClock } from '../helpers/clock.js';
import { eventually, TEST_API_KEY, startTestHami, type TestHami } from '../helpers/hami.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { ADMIN, signIn, signInAgain, type StaffClient } from '../helpers/staff.js';

/*
 * customer.consent is enforced, not only recorded: the customer's latest word on a purpose counts, on every path
 * that sends, when the message is planned and again when it goes out. surveys: false → no survey invitation,
 * reminder or follow-up (skipped, reason no_consent); marketing: false → no referral or review request, and not
 * counted as reachable. A later grant lifts it.
 */
describe('consent is enforced on every path that sends', { timeout: 90_000 }, () => {
  let hami: TestHami;
  let smtp: TestSmtpServer;
  let admin: StaffClient;
  const clock = new ManualClock('2026-07-01T10:00:00Z');
  let serial = 0;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    hami = await startTestHami({ clock, smtpUrl: smtp.url });
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await hami.stopAndClean();
    await smtp.close();
  });

  const mailsTo = (address: string) => smtp.messages.filter((m) => String(m.to && 'text' in m.to ? m.to.text : '').includes(address));
  const invitation = (id: string) => hami.deps.db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  /** Waits until the worker has finished every job of `name` that mentions `id` (done, failed or cancelled). */
  const jobsSettled = (name: string, id: string) =>
    eventually(async () => {
      const rows = await hami.deps.db
        .selectFrom('jobs')
        .select('status')
        .where('name', '=', name)
        .where('payload', 'like', `%${id}%`)
        .execute();
      return rows.length > 0 && rows.every((r) => r.status !== 'queued' && r.status !== 'running');
    }, 5000);
  /** An event for the customer; consent as given (or none). */
  const purchase = (customer: Record<string, unknown>, extra: Record<string, unknown> = { sendAt: 'now' }) =>
    hami.postEvent({ type: 'purchase', id: `consent-order-${++serial}`, ...extra, customer });

  test('events API: surveys withdrawn → the invitation is skipped with reason no_consent and nothing is sent; a later grant lifts it', async () => {
    const customer = { id: 'no-surveys', email: 'no-surveys@example.com' };
    const refused = await purchase({ ...customer, consent: { surveys: false, how: 'preference centre' } });
    expect(refused.status).toBe(202);
    expect(refused.body.invitations).toEqual([expect.objectContaining({ status: 'skipped', reason: 'no_consent' })]);
    expect(
      await hami.deps.db.selectFrom('jobs').select('id').where('payload', 'like', `%${refused.body.invitations[0].id}%`).execute(),
    ).toEqual([]);

    // Repeating nothing about consent keeps the withdrawal: the latest word counts.
    const silent = await purchase(customer);
    expect(silent.body.invitations[0]).toMatchObject({ status: 'skipped', reason: 'no_consent' });
    // Marketing consent says nothing about surveys.
    const marketingOnly = await purchase({ ...customer, consent: { marketing: true } });
    expect(marketingOnly.body.invitations[0]).toMatchObject({ status: 'skipped', reason: 'no_consent' });
    expect(mailsTo(customer.email)).toEqual([]);

    const granted = await purchase({ ...customer, consent: { surveys: true, how: 'asked again by phone' } });
    expect(granted.body.invitations[0]).toMatchObject({ status: 'scheduled' });
    await smtp.waitForMessages(1);
    expect(mailsTo(customer.email)).toHaveLength(1);
  });

  test('inbound help-desk hook: a customer who withdrew consent to surveys is not invited (no_consent)', async () => {
    await purchase({ id: 'hook-cust', email: 'hook-cust@example.com', consent: { surveys: false } });
    const res = await fetch(`${hami.url}/api/v1/hooks/helpdesk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
      body: JSON.stringify({
        ticket: { id: 9911, status: 'solved', requester: { id: 'hook-cust', email: 'hook-cust@example.com', name: 'Hook Customer' } },
      }),
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { invitations: unknown[] };
    expect(body.invitations).toEqual([expect.objectContaining({ status: 'skipped', reason: 'no_consent' })]);
  });

  test('CSV import of events: rows for a customer who withdrew consent are imported, their invitations skipped no_consent', async () => {
    await purchase({ id: 'csv-cust', email: 'csv-cust@example.com', consent: { surveys: false } });
    const csv =
      'type,id,customer id,email\npurchase,csv-order-1,csv-cust,csv-cust@example.com\npurchase,csv-order-2,csv-other,csv-other@example.com\n';
    const report = await runImport(hami.deps, 'events', csv);
    expect(report).toMatchObject({ imported: 2, failed: 0 });
    const planned = await hami.deps.db
      .selectFrom('invitations as i')
      .innerJoin('events as e', 'e.id', 'i.event_id')
      .select(['e.external_id', 'i.status', 'i.reason'])
      .where('e.external_id', 'in', ['csv-order-1', 'csv-order-2'])
      .orderBy('e.external_id')
      .execute();
    expect(planned).toEqual([
      { external_id: 'csv-order-1', status: 'skipped', reason: 'no_consent' },
      { external_id: 'csv-order-2', status: 'scheduled', reason: null },
    ]);
  });

  test('CSV import of customers and events carries consent columns (yes/no): a "no" is enforced, a bad value is a row error naming the column', async () => {
    const customers =
      'id,email,Accepts Email Marketing,consent surveys\ncsv-c1,csv-c1@example.com,no,no\ncsv-c2,csv-c2@example.com,yes,maybe\n';
    const report = await runImport(hami.deps, 'customers', customers);
    expect(report).toMatchObject({
      imported: 1,
      failed: 1,
      errors: [{ row: 3, field: 'consent.surveys', reason: 'must be true or false' }],
    });
    expect((await purchase({ id: 'csv-c1' })).body.invitations[0]).toMatchObject({ status: 'skipped', reason: 'no_consent' });
    const consents = await hami.deps.db
      .selectFrom('consents as k')
      .innerJoin('customers as c', 'c.id', 'k.customer_id')
      .select(['k.purpose', 'k.granted'])
      .where('c.external_id', '=', 'csv-c1')
      .orderBy('k.purpose')
      .execute();
    expect(consents).toEqual([
      { purpose: 'marketing', granted: 0 },
      { purpose: 'surveys', granted: 0 },
    ]);
    // An events file may say it per row too: here the grant comes back and the row's invitation is planned.
    const events = 'type,id,customer id,customer.consent.surveys\npurchase,csv-c1-order,csv-c1,yes\n';
    expect(await runImport(hami.deps, 'events', events)).toMatchObject({ imported: 1, failed: 0 });
    const planned = await hami.deps.db
      .selectFrom('invitations as i')
      .innerJoin('events as e', 'e.id', 'i.event_id')
      .select(['i.status', 'i.reason'])
      .where('e.external_id', '=', 'csv-c1-order')
      .executeTakeFirstOrThrow();
    expect(planned).toEqual({ status: 'scheduled', reason: null });
  });

  test('a queued invitation whose customer withdrew consent after it was planned does not go out (skipped no_consent at send time)', async () => {
    const customer = { id: 'changed-mind', email: 'changed-mind@example.com' };
    // Planned for tomorrow (the survey's delay), consent given.
    const planned = await purchase({ ...customer, consent: { surveys: true } }, {});
    expect(planned.body.invitations[0]).toMatchObject({ status: 'scheduled' });
    const id = planned.body.invitations[0].id as string;
    // An hour later they withdraw it (a resolution event of theirs carries the new consent).
    clock.advance(HOUR);
    const withdrawal = await hami.postEvent({
      type: 'resolution',
      id: 'changed-mind-ticket',
      customer: { ...customer, consent: { surveys: false } },
    });
    expect(withdrawal.body.invitations[0]).toMatchObject({ status: 'skipped', reason: 'no_consent' });

    clock.advance(2 * DAY);
    hami.worker.wake();
    await jobsSettled(SEND_INVITATION_JOB, id);
    expect(await invitation(id)).toMatchObject({ status: 'skipped', reason: 'no_consent', sent_at: null });
    expect(mailsTo(customer.email)).toEqual([]);
  });

  test('no reminder for a customer who withdrew consent after the first email', async () => {
    admin = await signInAgain(hami, admin);
    const customer = { id: 'no-reminder', email: 'no-reminder@example.com' };
    const sent = await purchase(customer);
    const id = sent.body.invitations[0].id as string;
    await eventually(async () => (await invitation(id)).status === 'sent');
    expect(mailsTo(customer.email)).toHaveLength(1);
    await hami.postEvent({ type: 'resolution', id: 'no-reminder-ticket', customer: { ...customer, consent: { surveys: false } } });

    clock.advance(3 * DAY + HOUR);
    hami.worker.wake();
    await jobsSettled(SEND_REMINDER_JOB, id);
    expect((await invitation(id)).reminder_sent_at).toBeNull();
    expect(mailsTo(customer.email)).toHaveLength(1);
  });

  test('no follow-up survey after a resolved callback for a customer who withdrew consent to surveys', async () => {
    admin = await signInAgain(hami, admin);
    const customer = { id: 'unhappy', email: 'unhappy@example.com' };
    const sent = await purchase(customer);
    const invitationId = sent.body.invitations[0].id as string;
    const form = await fetch(`${hami.url}/s/${invitationToken(hami.deps.secret, invitationId)}`, {
      method: 'POST',
      body: new URLSearchParams({ nps: '2' }),
      redirect: 'manual',
    });
    expect(form.status).toBeLessThan(400);
    const kase = await eventually(() =>
      hami.deps.db
        .selectFrom('callback_cases')
        .select('id')
        .where('response_id', 'in', hami.deps.db.selectFrom('responses').select('id').where('invitation_id', '=', invitationId))
        .executeTakeFirst(),
    );
    await hami.postEvent({
      type: 'resolution',
      id: 'unhappy-ticket',
      customer: { ...customer, consent: { surveys: false, how: 'told the agent on the phone' } },
    });

    const closed = await admin.call('PATCH', `/api/callbacks/${kase.id}`, {
      status: 'resolved',
      reason: 'shipping_delay',
      outcome: 'Refunded the delivery fee',
    });
    expect(closed.status).toBe(200);
    const followUp = await hami.deps.db.selectFrom('invitations').selectAll().where('case_id', '=', kase.id).executeTakeFirstOrThrow();
    expect(followUp).toMatchObject({ survey_id: 'follow-up', status: 'skipped', reason: 'no_consent' });
  });

  const hook = async (kind: 'shop' | 'helpdesk', body: unknown) => {
    const res = await fetch(`${hami.url}/api/v1/hooks/${kind}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { invitations: { status: string; reason: string | null }[] } };
  };

  test('a consent dated in the future cannot outlast a later word: more than 5 minutes ahead is refused naming customer.consent.at, a little ahead counts as now', async () => {
    const customer = { id: 'fg', email: 'fg@example.com' };
    const far = await purchase({ ...customer, consent: { surveys: true, marketing: true, at: '2999-01-01T00:00:00Z' } });
    expect(far.status).toBe(400);
    expect(far.body.error).toMatchObject({ code: 'invalid_input', field: 'customer.consent.at' });
    const twentyMinutes = await purchase({
      ...customer,
      consent: { surveys: true, at: new Date(clock.now().getTime() + 20 * 60_000).toISOString() },
    });
    expect(twentyMinutes.body.error).toMatchObject({ field: 'customer.consent.at' });
    expect(await hami.deps.db.selectFrom('customers').select('id').where('external_id', '=', 'fg').execute()).toEqual([]);

    // A shop clock a little fast: the grant is taken as given now, so a withdrawal made now (or later) still wins.
    const slightlyAhead = await purchase({
      ...customer,
      consent: { surveys: true, at: new Date(clock.now().getTime() + 3 * 60_000).toISOString() },
    });
    expect(slightlyAhead.body.invitations[0]).toMatchObject({ status: 'scheduled' });
    const withdrawn = await purchase({ ...customer, consent: { surveys: false, marketing: false } });
    expect(withdrawn.body.invitations[0]).toMatchObject({ status: 'skipped', reason: 'no_consent' });
    expect((await purchase(customer)).body.invitations[0]).toMatchObject({ status: 'skipped', reason: 'no_consent' });

    // The reverse: a withdrawal a little ahead does not outlast a grant made right after it (past the throttle).
    clock.advance(100 * DAY);
    await purchase({ ...customer, consent: { surveys: false, at: new Date(clock.now().getTime() + 3 * 60_000).toISOString() } });
    const regranted = await purchase({ ...customer, consent: { surveys: true } });
    expect(regranted.body.invitations[0]).toMatchObject({ status: 'scheduled' });

    // A row stored before this rule with a far-future date counts as of when Hami heard of it, not forever.
    const { id } = await hami.deps.db.selectFrom('customers').select('id').where('external_id', '=', 'fg').executeTakeFirstOrThrow();
    await hami.deps.db
      .insertInto('consents')
      .values({
        id: 'zzzz-future-grant',
        customer_id: id,
        purpose: 'surveys',
        granted: 1,
        given_at: '2999-01-01T00:00:00.000Z',
        source: 'integration',
        detail: null,
        recorded_at: clock.now().toISOString(),
      })
      .execute();
    clock.advance(60_000);
    const laterWithdrawal = await purchase({ ...customer, consent: { surveys: false } });
    expect(laterWithdrawal.body.invitations[0]).toMatchObject({ status: 'skipped', reason: 'no_consent' });
  });

  test('consent follows the person: a withdrawal under their id stops invitations when a shop or help-desk hook finds them by email (any case) or phone; a later grant lifts it', async () => {
    const withdrawn = await purchase({
      id: 'c2',
      email: 'b@example.com',
      phone: '+989121234567',
      consent: { surveys: false, marketing: false },
    });
    expect(withdrawn.body.invitations[0]).toMatchObject({ status: 'skipped', reason: 'no_consent' });

    const byEmail = await hook('shop', { order: { id: 's2', status: 'delivered', email: 'b@example.com', customer: null } });
    expect(byEmail.status).toBe(202);
    expect(byEmail.body.invitations).toEqual([expect.objectContaining({ status: 'skipped', reason: 'no_consent' })]);
    const byPhone = await hook('shop', { order: { id: 's3', status: 'delivered', customer: { phone: '09121234567' } } });
    expect(byPhone.body.invitations).toEqual([expect.objectContaining({ status: 'skipped', reason: 'no_consent' })]);
    const byOtherCase = await hook('helpdesk', {
      ticket: { id: 'z1', status: 'solved', requester: { id: null, email: 'B@Example.com', name: 'B' } },
    });
    expect(byOtherCase.body.invitations).toEqual([expect.objectContaining({ status: 'skipped', reason: 'no_consent' })]);
    // The mailbox in another case is the same customer the shop hook made, not a third record.
    const records = await hami.deps.db
      .selectFrom('customers')
      .select('external_id')
      .where('email', '=', 'b@example.com')
      .orderBy('external_id')
      .execute();
    expect(records.map((r) => r.external_id)).toEqual(['b@example.com', 'c2']);
    // Marketing consent follows the person the same way (segment sends ask consentWithdrawn per member).
    const hookCustomer = await hami.deps.db
      .selectFrom('customers')
      .select('id')
      .where('external_id', '=', 'b@example.com')
      .executeTakeFirstOrThrow();
    expect(await consentWithdrawn(hami.deps.db, hookCustomer.id, 'marketing')).toBe(true);

    clock.advance(60_000);
    await purchase({ id: 'c2', consent: { surveys: true, marketing: true } }, {});
    const lifted = await hook('shop', { order: { id: 's4', status: 'delivered', email: 'b@example.com', customer: null } });
    expect(lifted.body.invitations).toEqual([expect.objectContaining({ status: 'scheduled' })]);
    expect(await consentWithdrawn(hami.deps.db, hookCustomer.id, 'marketing')).toBe(false);
  });

  describe('marketing consent: referral and review requests, reachable count', () => {
    const segmentFilter = 'bucket=promoter&survey=post-purchase&attr.campaign=summer';

    test('a customer who withdrew marketing consent is not reachable, gets no referral or review request (no_consent), even when withdrawn after planning; a later grant lifts it', async () => {
      clock.advance(100 * DAY);
      admin = await signInAgain(hami, admin);
      // Three promoters of one campaign (the attribute keeps earlier tests' customers out of the segment).
      for (const [id, marketing] of [
        ['mk-yes', true],
        ['mk-no', false],
        ['mk-later', undefined],
      ] as const) {
        const sent = await hami.postEvent({
          type: 'purchase',
          id: `${id}-order`,
          sendAt: 'now',
          attributes: { campaign: 'summer' },
          customer: { id, email: `${id}@example.com`, ...(marketing === undefined ? {} : { consent: { marketing } }) },
        });
        const tap = await fetch(`${hami.url}/s/${invitationToken(hami.deps.secret, sent.body.invitations[0].id)}?score=10`, {
          redirect: 'manual',
        });
        expect(tap.status).toBeLessThan(400);
      }

      const count = await admin.call('GET', `/api/segments/count?${segmentFilter}`);
      expect(count.body).toEqual({ count: 3, reachable: 2 });
      const members = await admin.call('GET', `/api/segments/members?${segmentFilter}`);
      expect(members.body).toMatchObject({ total: 3, reachable: 2 });
      expect(
        Object.fromEntries(
          members.body.members.map((m: { externalId: string; marketingConsent: boolean }) => [m.externalId, m.marketingConsent]),
        ),
      ).toEqual({ 'mk-yes': true, 'mk-no': false, 'mk-later': true });
      const csv = await fetch(`${hami.url}/api/segments/members?${segmentFilter}&format=csv`, { headers: { cookie: admin.cookie } });
      const rows = parse((await csv.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
      expect(Object.fromEntries(rows.map((r) => [r.externalId, r.marketingConsent]))).toEqual({
        'mk-yes': 'true',
        'mk-no': 'false',
        'mk-later': 'true',
      });

      const saved = await admin.call('POST', '/api/segments', {
        name: 'Summer promoters',
        filter: { buckets: ['promoter'], survey: 'post-purchase', attributes: { campaign: 'summer' } },
      });
      expect(saved.body).toMatchObject({ memberCount: 3, reachableCount: 2 });

      // The referral is planned while mk-later has said nothing; they withdraw before the worker sends it.
      await hami.worker.stop();
      const referral = await admin.call('POST', `/api/segments/${saved.body.id}/actions`, { kind: 'referral', channel: 'email' });
      expect(referral.status).toBe(202);
      expect(referral.body.counts).toMatchObject({ planned: 3, skipped: 1, skippedByReason: { no_consent: 1 }, queued: 2 });
      await hami.postEvent({ type: 'resolution', id: 'mk-later-ticket', customer: { id: 'mk-later', consent: { marketing: false } } });
      hami.worker.start();
      const counts = await eventually(async () => {
        const c = (await admin.call('GET', `/api/segments/${saved.body.id}/actions`)).body.items[0].counts;
        return c.queued === 0 && c;
      });
      expect(counts).toMatchObject({ planned: 3, sent: 1, skipped: 2, skippedByReason: { no_consent: 2 } });
      expect(mailsTo('mk-yes@example.com').some((m) => m.subject === 'A gift for you and a friend')).toBe(true);
      for (const withdrawn of ['mk-no@example.com', 'mk-later@example.com'])
        expect(
          mailsTo(withdrawn).some((m) => m.subject === 'A gift for you and a friend'),
          withdrawn,
        ).toBe(false);

      // Review requests go to everyone who answered (no gating) — but never to who withdrew marketing consent.
      const review = await admin.call('POST', `/api/segments/${saved.body.id}/actions`, { kind: 'review_request', channel: 'email' });
      expect(review.body.counts.skippedByReason).toMatchObject({ no_consent: 2 });

      // mk-no grants marketing again: reachable, and the next action reaches them.
      await hami.postEvent({
        type: 'resolution',
        id: 'mk-no-ticket',
        customer: { id: 'mk-no', consent: { marketing: true, how: 'newsletter sign-up' } },
      });
      expect((await admin.call('GET', `/api/segments/count?${segmentFilter}`)).body).toEqual({ count: 3, reachable: 2 });
      clock.advance(200 * DAY);
      admin = await signInAgain(hami, admin);
      const again = await admin.call('POST', `/api/segments/${saved.body.id}/actions`, { kind: 'referral', channel: 'email' });
      expect(again.body.counts).toMatchObject({ planned: 3, skippedByReason: { no_consent: 1 }, queued: 2 });
      await eventually(() => mailsTo('mk-no@example.com').some((m) => m.subject === 'A gift for you and a friend'), 5000);
    });
  });
});
