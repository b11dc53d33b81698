import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { customerExportBody } from '../../shared/api/privacy.js';
import { SEND_INVITATION_JOB } from '../../server/delivery/plan-invitation.js';
import { invitationToken } from '../../server/delivery/tokens.js';
import { messageToken } from '../../server/segments/actions.js';
import { handleInboundSms } from '../../server/responses/sms-replies.js';
import { RETENTION_JOB, retentionCutoff } from '../../server/privacy/retention.js';
import { loadConfig } from '../../server/config.js';
import { DAY, ManualClock } from '../helpers/clock.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { runHamiCommand } from '../helpers/run-cli.js';
import { ADMIN, signIn, signInAgain, staffMember, type StaffClient } from '../helpers/staff.js';

/** Runs the real CLI the way `npx hami` does, against the test server's database. */
const hamiCli = (args: string[], databaseUrl: string, dataDir: string) =>
  runHamiCommand(args, { DATABASE_URL: databaseUrl, HAMI_DATA_DIR: dataDir });

/** The test server's SQLite file, or null when the run is on PostgreSQL. */
function sqliteFile(hami: TestHami): string | null {
  const file = path.join(hami.dataDir, 'hami.db');
  return existsSync(file) ? file : null;
}

/** DATABASE_URL for a CLI run against the test server's database (its own on PostgreSQL, the file on SQLite). */
function databaseUrlOf(hami: TestHami): string {
  return 'databaseUrl' in hami && typeof hami.databaseUrl === 'string' ? hami.databaseUrl : `file:${path.join(hami.dataDir, 'hami.db')}`;
}

/** Every row of every table as text: what a search of the whole database finds (both engines). */
async function wholeDatabaseText(hami: TestHami): Promise<string> {
  const tables = await hami.deps.db.introspection.getTables();
  const parts: string[] = [];
  for (const table of tables) {
    // `as never`: the table names come from the database itself, not from the typed schema.
    const rows = await hami.deps.db
      .selectFrom(table.name as never)
      .selectAll()
      .execute();
    parts.push(JSON.stringify(rows));
  }
  return parts.join('\n');
}

/** The SQLite file and its write-ahead log as bytes: old copies of a value would still be found here. */
function databaseFileText(file: string): string {
  return [file, `${file}-wal`]
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f).toString('latin1'))
    .join('\n');
}

/** The UTF-8 bytes of a text as latin1 characters, to search a binary file for it. */
const bytesOf = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

describe('privacy: export, erase, consent', { timeout: 90_000 }, () => {
  let hami: TestHami;
  let admin: StaffClient;
  const clock = new ManualClock('2026-06-01T10:00:00Z');

  const person = {
    id: 'shop-cust-4711',
    email: 'roya.privacy-test@example.com',
    phone: '+989121112233',
    name: 'Roya Zarrinkafsh',
  };
  const comment = 'the courier was rude and the box arrived crushed';
  const caseNote = 'Phoned her, promised a replacement by Friday';
  const outcome = 'We sent a new lamp and refunded the delivery fee';

  beforeAll(async () => {
    hami = await startTestHami({ clock });
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
    // A webhook subscription, so the answer is also stored as a delivery body (which names the customer).
    await hami.deps.db
      .insertInto('webhooks')
      .values({
        id: 'hook-1',
        url: 'https://receiver.example.test/hami',
        description: 'CRM',
        secret: 'whsec_0123456789abcdef',
        events: JSON.stringify(['response.created']),
        active: 1,
        created_by: null,
        created_at: clock.now().toISOString(),
        updated_at: clock.now().toISOString(),
      })
      .execute();
  });
  afterAll(async () => {
    await hami.stopAndClean();
  });

  async function nps() {
    const res = await admin.call('GET', '/api/metrics/nps?from=2026-05-01&to=2026-07-31&interval=day');
    expect(res.status).toBe(200);
    return res.body;
  }

  /** A customer who answers by email link with `score` (other customers, so the statistics have substance). */
  async function otherAnswer(n: number, score: number) {
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: `other-${n}`,
      sendAt: 'now',
      customer: { id: `other-${n}`, email: `other${n}@example.com` },
    });
    const res = await fetch(`${hami.url}/s/${invitationToken(hami.deps.secret, body.invitations[0].id)}?score=${score}`, {
      redirect: 'manual',
    });
    expect(res.status).toBeLessThan(400);
  }

  /** Roya: an SMS survey answered 3 by text with a comment, a callback case worked with a note and closed, a webhook delivery, consent. */
  async function royaWithEverything() {
    const first = await hami.postEvent({
      type: 'purchase',
      id: 'order-roya-1',
      sendAt: 'now',
      customer: {
        id: person.id,
        phone: person.phone,
        name: person.name,
        attributes: { tier: 'gold' },
        consent: { marketing: true, at: '2026-05-30T08:00:00Z', how: 'checkout checkbox, terms v3' },
      },
    });
    expect(first.status).toBe(202);
    expect(first.body.invitations[0]).toMatchObject({ channel: 'sms', status: 'scheduled' });
    const invitationId = first.body.invitations[0].id as string;
    await eventually(
      async () =>
        (await hami.deps.db.selectFrom('invitations').select('status').where('id', '=', invitationId).executeTakeFirst())?.status ===
        'sent',
    );
    expect(await handleInboundSms(hami.deps, { from: person.phone, text: '3' })).toBe('answer');
    expect(await handleInboundSms(hami.deps, { from: person.phone, text: comment })).toBe('comment');
    // Later her email becomes known (this survey is throttled: one per 90 days).
    const second = await hami.postEvent({ type: 'purchase', id: 'order-roya-2', customer: { id: person.id, email: person.email } });
    expect(second.status).toBe(202);

    const response = await hami.deps.db
      .selectFrom('responses')
      .selectAll()
      .where('invitation_id', '=', invitationId)
      .executeTakeFirstOrThrow();
    expect(response).toMatchObject({ score: 3, comment });
    const kase = await hami.deps.db
      .selectFrom('callback_cases')
      .select('id')
      .where('response_id', '=', response.id)
      .executeTakeFirstOrThrow();
    expect((await admin.call('PATCH', `/api/callbacks/${kase.id}`, { note: caseNote })).status).toBe(200);
    const closed = await admin.call('PATCH', `/api/callbacks/${kase.id}`, { status: 'resolved', reason: 'shipping_delay', outcome });
    expect(closed.status).toBe(200);
    await eventually(() =>
      hami.deps.db.selectFrom('webhook_deliveries').select('id').where('body', 'like', `%${response.id}%`).executeTakeFirst(),
    );
    return { invitationId, responseId: response.id, caseId: kase.id };
  }

  let roya: { invitationId: string; responseId: string; caseId: string };
  let royaHamiId: string;

  test('the export holds everything about the customer: contact details, consent, answer with comment, case notes and outcome, SMS replies, webhook bodies', async () => {
    await otherAnswer(1, 10);
    await otherAnswer(2, 9);
    await otherAnswer(3, 6);
    roya = await royaWithEverything();

    const res = await fetch(`${hami.url}/api/customers/${person.id}/export`, { headers: { cookie: admin.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="customer-[\w-]+\.json"$/);
    const document = customerExportBody.parse(await res.json());
    royaHamiId = document.customer.id;
    expect(document.version).toBe(1);
    expect(document.customer).toMatchObject({
      externalId: person.id,
      email: person.email,
      phone: person.phone,
      name: person.name,
      attributes: { tier: 'gold' },
      erasedAt: null,
    });
    expect(document.consents).toEqual([
      {
        purpose: 'marketing',
        granted: true,
        givenAt: '2026-05-30T08:00:00.000Z',
        source: 'integration',
        detail: 'checkout checkbox, terms v3',
        recordedAt: expect.any(String),
      },
    ]);
    expect(document.events.map((e) => e.externalId)).toEqual(['order-roya-1', 'order-roya-2']);
    // The answered SMS survey, the throttled second one, and the follow-up planned when her case was resolved.
    expect(document.invitations.map((i) => [i.surveyId, i.channel, i.status])).toEqual([
      ['post-purchase', 'sms', 'answered'],
      ['post-purchase', 'email', 'skipped'],
      ['follow-up', 'email', 'scheduled'],
    ]);
    expect(document.responses).toHaveLength(1);
    expect(document.responses[0]).toMatchObject({ id: roya.responseId, score: 3, bucket: 'detractor', comment, answers: { nps: 3 } });
    expect(document.responses[0]!.history.map((h) => h.source)).toEqual(['sms', 'sms']);
    expect(document.callbackCases).toHaveLength(1);
    const notes = document.callbackCases[0]!.entries.map((e) => e.note);
    expect(notes).toContain(caseNote);
    expect(notes).toContain(outcome);
    expect(document.messagesReceived.map((m) => m.text)).toEqual(['3', comment]);
    expect(document.webhookDeliveries.length).toBeGreaterThanOrEqual(1);
    // Built when she first answered (before her comment): it names her.
    expect(JSON.stringify(document.webhookDeliveries[0]!.body)).toContain(person.name);

    // The same document by Hami's id; the audit records who exported, not what.
    const byHamiId = await admin.call('GET', `/api/customers/${royaHamiId}/export`);
    expect(byHamiId.body.customer.externalId).toBe(person.id);
    const audit = await hami.deps.db.selectFrom('privacy_audit').selectAll().where('action', '=', 'export').execute();
    expect(audit.map((a) => [a.customer_id, a.actor])).toEqual([
      [royaHamiId, admin.userId],
      [royaHamiId, admin.userId],
    ]);
    expect(JSON.stringify(audit)).not.toContain(person.email);
  });

  test('care and marketing may not export or erase (403), nobody signed out may (401), and erase needs the CSRF token', async () => {
    const care = await staffMember(hami, admin, 'care');
    const marketing = await staffMember(hami, admin, 'marketing');
    for (const member of [care, marketing]) {
      expect((await member.call('GET', `/api/customers/${person.id}/export`)).status).toBe(403);
      const erase = await member.call('POST', `/api/customers/${person.id}/erase`);
      expect(erase.status).toBe(403);
      expect(erase.body.error.code).toBe('forbidden');
    }
    expect((await fetch(`${hami.url}/api/customers/${person.id}/export`)).status).toBe(401);
    const forged = await admin.call('POST', `/api/customers/${person.id}/erase`, undefined, { csrf: null });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('csrf');
    const unknown = await admin.call('GET', '/api/customers/nobody-here/export');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('no customer');
    // Nothing was erased by any of these.
    expect(
      (await hami.deps.db.selectFrom('customers').select('email').where('external_id', '=', person.id).executeTakeFirstOrThrow()).email,
    ).toBe(person.email);
  });

  test('erasing removes every personal field from the whole database while NPS per day stays exactly the same; erasing again is harmless', async () => {
    const before = await nps();
    expect(before.total).toMatchObject({ n: 4, promoters: 2, detractors: 2 });
    // Something queued for her that must now never go out.
    await hami.deps.db
      .updateTable('jobs')
      .set({ status: 'queued', run_at: new Date(clock.now().getTime() + DAY).toISOString() })
      .where('payload', 'like', `%${roya.caseId}%`)
      .where('name', '=', 'case.outcome')
      .execute();

    // The search below can fail: before the erasure the file holds all of it.
    const file = sqliteFile(hami);
    if (file)
      for (const secret of [person.email, person.phone, person.name, comment])
        expect(databaseFileText(file).includes(bytesOf(secret)), secret).toBe(true);
    expect(await wholeDatabaseText(hami)).toContain(caseNote);
    // Her survey SMS and the outcome text sit in the dev SMS outbox (sms.jsonl) until the erasure.
    const smsOutbox = () => readFileSync(path.join(hami.dataDir, 'outbox', 'sms.jsonl'), 'utf8');
    expect(smsOutbox()).toContain(person.phone);
    const otherTexts = smsOutbox()
      .split('\n')
      .filter((line) => line && !line.includes(person.phone));

    const erased = await admin.call('POST', `/api/customers/${person.id}/erase`);
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ customerId: royaHamiId, alreadyErased: false, changed: { responses: 1, messagesReceived: 2 } });
    expect(erased.body.changed.jobsCancelled).toBeGreaterThanOrEqual(1);
    expect(erased.body.changed.webhookDeliveries).toBeGreaterThanOrEqual(1);

    expect(await nps()).toEqual(before);
    // Her lines left the SMS outbox; everyone else's stayed.
    expect(smsOutbox()).not.toContain(person.phone);
    expect(
      smsOutbox()
        .split('\n')
        .filter((line) => line),
    ).toEqual(otherTexts);
    const everything = await wholeDatabaseText(hami);
    for (const secret of [person.email, person.phone, person.name, person.id, comment, caseNote, outcome]) {
      expect(everything, secret).not.toContain(JSON.stringify(secret).slice(1, -1));
    }
    if (file) {
      const bytes = databaseFileText(file);
      for (const secret of [person.email, person.phone, person.name, comment, caseNote, outcome])
        expect(bytes.includes(bytesOf(secret)), secret).toBe(false);
    }

    // An anonymous placeholder: the score, bucket, day and attributes stay for the statistics.
    const response = await hami.deps.db.selectFrom('responses').selectAll().where('id', '=', roya.responseId).executeTakeFirstOrThrow();
    expect(response).toMatchObject({ score: 3, bucket: 'detractor', comment: null, answers: '{"nps":3}', day: '2026-06-01' });
    // Her attributes went too: tier is not a declared metrics dimension (only those stay).
    expect(JSON.parse(response.attributes)).toEqual({});
    const cancelled = await hami.deps.db.selectFrom('jobs').select('status').where('name', '=', 'case.outcome').execute();
    expect(cancelled.map((j) => j.status)).toEqual(['cancelled']);
    // The follow-up survey planned for her will not be sent.
    const followUp = await hami.deps.db
      .selectFrom('invitations')
      .select(['id', 'status', 'reason', 'address'])
      .where('customer_id', '=', royaHamiId)
      .where('survey_id', '=', 'follow-up')
      .executeTakeFirstOrThrow();
    expect(followUp).toMatchObject({ status: 'skipped', reason: 'erased', address: null });
    const sendJobs = await hami.deps.db
      .selectFrom('jobs')
      .select(['status', 'payload'])
      .where('name', '=', SEND_INVITATION_JOB)
      .where('status', 'in', ['queued', 'cancelled'])
      .execute();
    expect(sendJobs).toEqual([{ status: 'cancelled', payload: '{"erased":true}' }]);
    const audit = await hami.deps.db.selectFrom('privacy_audit').selectAll().where('action', '=', 'erase').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ customer_id: royaHamiId, actor: admin.userId });

    // Her link is closed: nothing new about her comes in.
    const page = await fetch(`${hami.url}/s/${invitationToken(hami.deps.secret, roya.invitationId)}?score=10`, { redirect: 'manual' });
    expect(
      (await hami.deps.db.selectFrom('responses').select('score').where('id', '=', roya.responseId).executeTakeFirstOrThrow()).score,
    ).toBe(3);
    expect(page.status).toBeLessThan(500);

    const again = await admin.call('POST', `/api/customers/${royaHamiId}/erase`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ customerId: royaHamiId, alreadyErased: true, erasedAt: erased.body.erasedAt });
    expect(await nps()).toEqual(before);

    // The export now shows the placeholder; by the old external id she is not found.
    const placeholder = await admin.call('GET', `/api/customers/${royaHamiId}/export`);
    expect(placeholder.body.customer).toMatchObject({ email: null, phone: null, name: null, erasedAt: erased.body.erasedAt });
    expect(placeholder.body.responses[0]).toMatchObject({ score: 3, comment: null });
    expect((await admin.call('GET', `/api/customers/${person.id}/export`)).status).toBe(404);
  });

  test('an opt-out outlives the erasure: the number stays silenced, stored only as a hash', async () => {
    const number = '+989125550000';
    await hami.postEvent({ type: 'purchase', id: 'order-stop-1', customer: { id: 'stop-cust', phone: number } });
    expect(await handleInboundSms(hami.deps, { from: number, text: 'STOP' })).toBe('opt_out');
    expect((await admin.call('POST', '/api/customers/stop-cust/erase')).status).toBe(200);
    expect(await wholeDatabaseText(hami)).not.toContain(number);
    // Months later the same number comes back as a new customer: still not contacted by SMS.
    clock.advance(200 * DAY);
    admin = await signInAgain(hami, admin);
    const back = await hami.postEvent({ type: 'purchase', id: 'order-stop-2', customer: { id: 'stop-cust-new', phone: number } });
    expect(back.body.invitations[0]).toMatchObject({ status: 'skipped', reason: 'opted_out' });
  });

  test('consent: recorded once per change with when and how, exported; a bad consent is a 400 naming the field', async () => {
    const customer = { id: 'consent-cust', email: 'consent@example.com' };
    const send = (n: number, consent: unknown) =>
      hami.postEvent({ type: 'purchase', id: `consent-order-${n}`, customer: { ...customer, consent } });
    expect((await send(1, { marketing: true, surveys: true, how: 'signup form' })).status).toBe(202);
    expect((await send(2, { marketing: true, surveys: true, how: 'signup form' })).status).toBe(202);
    expect((await send(3, { marketing: false, how: 'preference centre' })).status).toBe(202);
    const bad = await send(4, { marketing: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('customer.consent.marketing');
    const empty = await send(5, { how: 'nothing said' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('needs marketing or surveys');
    // Without consent the contract is as before.
    expect((await hami.postEvent({ type: 'purchase', id: 'consent-order-6', customer })).status).toBe(202);

    const exported = await admin.call('GET', `/api/customers/${customer.id}/export`);
    expect(
      exported.body.consents.map((c: { purpose: string; granted: boolean; detail: string }) => [c.purpose, c.granted, c.detail]),
    ).toEqual([
      ['marketing', true, 'signup form'],
      ['surveys', true, 'signup form'],
      ['marketing', false, 'preference centre'],
    ]);
    // Staff see it in the customer's timeline too.
    const timeline = await admin.call('GET', `/api/customers/${exported.body.customer.id}/timeline`);
    expect(timeline.body.items.filter((i: { kind: string }) => i.kind === 'consent').map((i: { title: string }) => i.title)).toEqual([
      'marketing: granted (signup form)',
      'surveys: granted (signup form)',
      'marketing: withdrawn (preference centre)',
    ]);
  });

  test('CLI: customer export prints or writes the JSON, customer erase refuses without --yes, an unknown customer exits 1 saying so', async () => {
    await hami.postEvent({
      type: 'purchase',
      id: 'cli-order-1',
      customer: { id: 'cli-cust', email: 'cli-person@example.com', name: 'Cli Person' },
    });
    const printed = await hamiCli(['customer', 'export', 'cli-cust'], databaseUrlOf(hami), hami.dataDir);
    expect(printed.stderr).toBe('');
    expect(printed.code).toBe(0);
    expect(customerExportBody.parse(JSON.parse(printed.stdout)).customer).toMatchObject({
      externalId: 'cli-cust',
      email: 'cli-person@example.com',
    });

    const out = path.join(hami.dataDir, 'cli-cust.json');
    const written = await hamiCli(['customer', 'export', 'cli-cust', '--out', out], databaseUrlOf(hami), hami.dataDir);
    expect(written.code).toBe(0);
    expect(written.stdout).toContain(`to ${out}`);
    expect(JSON.parse(readFileSync(out, 'utf8')).customer.name).toBe('Cli Person');
    const overwrite = await hamiCli(['customer', 'export', 'cli-cust', '--out', out], databaseUrlOf(hami), hami.dataDir);
    expect(overwrite.code).toBe(1);
    expect(overwrite.stderr).toContain('already exists');

    const refused = await hamiCli(['customer', 'erase', 'cli-cust'], databaseUrlOf(hami), hami.dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--yes');
    expect(
      (await hami.deps.db.selectFrom('customers').select('email').where('external_id', '=', 'cli-cust').executeTakeFirstOrThrow()).email,
    ).toBe('cli-person@example.com');

    const erased = await hamiCli(['customer', 'erase', 'cli-cust', '--yes'], databaseUrlOf(hami), hami.dataDir);
    expect(erased.stderr).toBe('');
    expect(erased.code).toBe(0);
    expect(erased.stdout).toMatch(/^erased customer \S+: .*scores kept for the statistics/);
    const row = await hami.deps.db
      .selectFrom('customers')
      .selectAll()
      .where('name', 'is', null)
      .where('erased_at', 'is not', null)
      .where('external_id', 'like', 'erased:%')
      .execute();
    expect(row.length).toBeGreaterThanOrEqual(2);
    expect(await wholeDatabaseText(hami)).not.toContain('cli-person@example.com');

    const cliAudit = await hami.deps.db
      .selectFrom('privacy_audit')
      .select(['action', 'actor'])
      .where('actor', '=', 'cli')
      .orderBy('at')
      .execute();
    expect(cliAudit.map((a) => a.action)).toEqual(['export', 'export', 'erase']);

    const unknown = await hamiCli(['customer', 'erase', 'no-such-customer', '--yes'], databaseUrlOf(hami), hami.dataDir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no customer with id or external id no-such-customer');
    const help = await hamiCli(['customer', 'erase', '--help'], databaseUrlOf(hami), hami.dataDir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--yes');
    const top = await hamiCli(['--help'], databaseUrlOf(hami), hami.dataDir);
    expect(top.stdout).toContain('customer export <id>');
    expect(top.stdout).toContain('customer erase <id>');
  });

  test('an erased customer stays erased: events naming the placeholder never write into it, erasing again clears contact data put back, attributes / consent "how" / outbox messages go, their /r/ link is dead', async () => {
    admin = await signInAgain(hami, admin);
    const shirin = { id: 'shirin-4712', email: 'shirin.erase-test@example.com', name: 'Shirin Golzar' };
    const nickname = 'Shirin-the-night-owl';
    const giftNote = 'gift for my sister Laleh Golzar';
    const how = 'checkout checkbox, terms v9 at the Tajrish store';
    const sent = await hami.postEvent({
      type: 'purchase',
      id: 'order-shirin-1',
      sendAt: 'now',
      attributes: { product: 'lamp', giftNote, campaign: 'erase-test' },
      customer: { ...shirin, attributes: { nickname, region: 'north' }, consent: { marketing: true, surveys: true, how } },
    });
    expect(sent.status).toBe(202);
    const invitationId = sent.body.invitations[0].id as string;
    await eventually(
      async () =>
        (await hami.deps.db.selectFrom('invitations').select('status').where('id', '=', invitationId).executeTakeFirst())?.status ===
        'sent',
    );
    expect(
      (await fetch(`${hami.url}/s/${invitationToken(hami.deps.secret, invitationId)}?score=10`, { redirect: 'manual' })).status,
    ).toBeLessThan(400);
    // A second promoter of the campaign whose address is opted out: her message is skipped.
    const other = await hami.postEvent({
      type: 'purchase',
      id: 'order-optout-1',
      sendAt: 'now',
      attributes: { campaign: 'erase-test' },
      customer: { id: 'optout-4712', email: 'optout-4712@example.com' },
    });
    expect(
      (await fetch(`${hami.url}/s/${invitationToken(hami.deps.secret, other.body.invitations[0].id)}?score=9`, { redirect: 'manual' }))
        .status,
    ).toBeLessThan(400);
    await hami.deps.db
      .insertInto('suppressions')
      .values({ channel: 'email', address: 'optout-4712@example.com', reason: 'opted_out', created_at: clock.now().toISOString() })
      .execute();

    const segment = await admin.call('POST', '/api/segments', {
      name: 'Erase test',
      filter: { buckets: ['promoter'], attributes: { campaign: 'erase-test' } },
    });
    const action = await admin.call('POST', `/api/segments/${segment.body.id}/actions`, { kind: 'referral', channel: 'email' });
    expect(action.body.counts).toMatchObject({ planned: 2, skipped: 1, queued: 1 });
    const messages = await hami.deps.db
      .selectFrom('segment_messages')
      .innerJoin('customers', 'customers.id', 'segment_messages.customer_id')
      .select(['segment_messages.id', 'segment_messages.status', 'customers.external_id'])
      .where('action_id', '=', action.body.id)
      .execute();
    const hers = messages.find((m) => m.external_id === shirin.id)!;
    const skipped = messages.find((m) => m.external_id === 'optout-4712')!;
    await eventually(
      async () =>
        (await hami.deps.db.selectFrom('segment_messages').select('status').where('id', '=', hers.id).executeTakeFirstOrThrow()).status ===
        'sent',
    );
    const link = (id: string) => `${hami.url}/r/${messageToken(hami.deps.secret, id)}`;
    // The skipped message never went out: its link neither redirects nor counts.
    expect((await fetch(link(skipped.id), { redirect: 'manual' })).status).toBe(404);
    expect(
      await hami.deps.db
        .selectFrom('segment_messages')
        .select(['clicks', 'clicked_at'])
        .where('id', '=', skipped.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ clicks: 0, clicked_at: null });

    // The dev outbox holds her survey email and the referral (the search below can fail).
    const outbox = path.join(hami.dataDir, 'outbox');
    const outboxNaming = (text: string) =>
      readdirSync(outbox).filter((f) => f.endsWith('.eml') && readFileSync(path.join(outbox, f), 'utf8').includes(text));
    expect(outboxNaming(shirin.email).length).toBeGreaterThanOrEqual(2);

    const erased = await admin.call('POST', `/api/customers/${shirin.id}/erase`);
    expect(erased.status).toBe(200);
    const placeholderId = erased.body.customerId as string;
    expect(erased.body.changed).toMatchObject({ consents: 2, events: 1 });
    expect(erased.body.changed.outboxMessages).toBeGreaterThanOrEqual(2);
    expect(outboxNaming(shirin.email)).toEqual([]);
    expect(readdirSync(outbox).filter((f) => f.includes(invitationId) || f.includes(hers.id))).toEqual([]);

    // Only the declared metrics dimensions (product, region) stay in her attributes; consent rows stay without "how".
    const response = await hami.deps.db
      .selectFrom('responses')
      .select('attributes')
      .where('invitation_id', '=', invitationId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(response.attributes)).toEqual({ product: 'lamp', region: 'north' });
    const event = await hami.deps.db
      .selectFrom('events')
      .select('attributes')
      .where('external_id', '=', 'order-shirin-1')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.attributes)).toEqual({ product: 'lamp' });
    const placeholder = () => hami.deps.db.selectFrom('customers').selectAll().where('id', '=', placeholderId).executeTakeFirstOrThrow();
    expect(JSON.parse((await placeholder()).attributes)).toEqual({ region: 'north' });
    const consents = await hami.deps.db
      .selectFrom('consents')
      .select(['purpose', 'granted', 'detail'])
      .where('customer_id', '=', placeholderId)
      .orderBy('purpose')
      .execute();
    expect(consents).toEqual([
      { purpose: 'marketing', granted: 1, detail: null },
      { purpose: 'surveys', granted: 1, detail: null },
    ]);
    const everything = await wholeDatabaseText(hami);
    for (const secret of [nickname, giftNote, how, shirin.email, shirin.name]) expect(everything, secret).not.toContain(secret);

    // Her tracked link is dead: no redirect, no click counted.
    expect((await fetch(link(hers.id), { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(link(hers.id), { method: 'HEAD', redirect: 'manual' })).status).toBe(404);
    expect(
      await hami.deps.db
        .selectFrom('segment_messages')
        .select(['clicks', 'clicked_at'])
        .where('id', '=', hers.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ clicks: 0, clicked_at: null });

    // Events naming the placeholder: its external id is refused (400 naming customer.id) …
    const byPlaceholderExternalId = await hami.postEvent({
      type: 'purchase',
      id: 'order-shirin-2',
      customer: { id: `erased:${placeholderId}`, email: shirin.email, name: shirin.name },
    });
    expect(byPlaceholderExternalId.status).toBe(400);
    expect(byPlaceholderExternalId.body.error).toMatchObject({ code: 'invalid_input', field: 'customer.id' });
    // … its Hami id or her old external id make a new customer; the placeholder takes nothing.
    for (const [n, id] of [
      [3, placeholderId],
      [4, shirin.id],
    ] as const) {
      const res = await hami.postEvent({
        type: 'purchase',
        id: `order-shirin-${n}`,
        customer: { id, email: shirin.email, phone: '+989127770000', name: shirin.name, attributes: { nickname } },
      });
      expect(res.status).toBe(202);
      const owner = await hami.deps.db
        .selectFrom('events')
        .innerJoin('customers', 'customers.id', 'events.customer_id')
        .select(['customers.id', 'customers.external_id', 'customers.email'])
        .where('events.external_id', '=', `order-shirin-${n}`)
        .executeTakeFirstOrThrow();
      expect(owner).toMatchObject({ external_id: id, email: shirin.email });
      expect(owner.id).not.toBe(placeholderId);
    }
    expect(await placeholder()).toMatchObject({
      email: null,
      phone: null,
      name: null,
      external_id: `erased:${placeholderId}`,
      attributes: '{"region":"north"}',
    });

    // Contact data put back into the placeholder directly (a restore, a hand edit): erasing again clears it.
    await hami.deps.db
      .updateTable('customers')
      .set({
        email: 'put.back@example.com',
        phone: '+989120001111',
        name: 'Put Back',
        time_zone: 'Asia/Tehran',
        attributes: '{"nickname":"again","region":"north"}',
      })
      .where('id', '=', placeholderId)
      .execute();
    const again = await admin.call('POST', `/api/customers/${placeholderId}/erase`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ customerId: placeholderId, alreadyErased: true, erasedAt: erased.body.erasedAt });
    expect(await placeholder()).toMatchObject({
      email: null,
      phone: null,
      name: null,
      time_zone: null,
      attributes: '{"region":"north"}',
      erased_at: erased.body.erasedAt,
    });
  });
});

describe('privacy: retention (HAMI_RETENTION_MONTHS)', { timeout: 60_000 }, () => {
  let hami: TestHami;
  let admin: StaffClient;
  const clock = new ManualClock('2026-01-10T10:00:00Z');

  beforeAll(async () => {
    hami = await startTestHami({ clock, env: { HAMI_RETENTION_MONTHS: '6' } });
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await hami.stopAndClean();
  });

  async function answerWithComment(customerId: string, email: string, score: number, text: string) {
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: `order-${customerId}-${clock.now().getTime()}`,
      sendAt: 'now',
      customer: { id: customerId, email, name: `Name of ${customerId}` },
    });
    const token = invitationToken(hami.deps.secret, body.invitations[0].id);
    await fetch(`${hami.url}/s/${token}?score=${score}`, { redirect: 'manual' });
    const form = new URLSearchParams({ nps: String(score), reason: text });
    const res = await fetch(`${hami.url}/s/${token}`, { method: 'POST', body: form, redirect: 'manual' });
    expect(res.status).toBeLessThan(400);
  }

  test('comments older than N months and contact details of customers inactive for N months are purged daily; scores and NPS stay', async () => {
    const retentionRuns = async () =>
      (await hami.deps.db.selectFrom('privacy_audit').selectAll().where('action', '=', 'retention').orderBy('at').execute()).map((a) => ({
        at: a.at,
        ...JSON.parse(a.detail),
      }));
    // The first run is at start-up (nothing to purge yet).
    await eventually(async () => (await retentionRuns()).length === 1);
    await answerWithComment('old-cust', 'old-cust@example.com', 2, 'old complaint about the invoice');
    const oldResponse = await hami.deps.db
      .selectFrom('responses as r')
      .innerJoin('customers as c', 'c.id', 'r.customer_id')
      .select(['r.id', 'r.comment'])
      .where('c.external_id', '=', 'old-cust')
      .executeTakeFirstOrThrow();
    expect(oldResponse.comment).toBe('old complaint about the invoice');
    const january = '/api/metrics/nps?from=2026-01-01&to=2026-01-31&interval=month';
    const metricsBefore = await admin.call('GET', january);
    expect(metricsBefore.body.total).toMatchObject({ n: 1, detractors: 1 });

    // Seven months on, the daily run that was due comes round.
    clock.set('2026-08-12T09:00:00Z');
    hami.worker.wake();
    const runs = await eventually(async () => {
      const all = await retentionRuns();
      return all.length === 2 && all;
    }, 5000);
    expect(runs[1]).toMatchObject({
      at: '2026-08-12T09:00:00.000Z',
      months: 6,
      cutoff: '2026-02-12T09:00:00.000Z',
      responses: 1,
      customers: 1,
    });

    const old = await hami.deps.db.selectFrom('responses').selectAll().where('id', '=', oldResponse.id).executeTakeFirstOrThrow();
    expect(old).toMatchObject({ comment: null, score: 2, bucket: 'detractor', answers: '{"nps":2}' });
    const oldCustomer = await hami.deps.db
      .selectFrom('customers')
      .select(['email', 'name', 'erased_at'])
      .where('external_id', '=', 'old-cust')
      .executeTakeFirstOrThrow();
    expect(oldCustomer).toEqual({ email: null, name: null, erased_at: null });
    const everything = await wholeDatabaseText(hami);
    expect(everything).not.toContain('old complaint about the invoice');
    expect(everything).not.toContain('old-cust@example.com');
    admin = await signInAgain(hami, admin);
    expect((await admin.call('GET', january)).body).toEqual(metricsBefore.body);

    // A recent customer is left alone by the next day's run, which queues the one after it, once.
    await answerWithComment('new-cust', 'new-cust@example.com', 10, 'recent praise for the staff');
    clock.advance(DAY);
    hami.worker.wake();
    await eventually(async () => (await retentionRuns()).length === 3, 5000);
    const recent = await hami.deps.db.selectFrom('responses').select('comment').where('comment', 'is not', null).execute();
    expect(recent).toEqual([{ comment: 'recent praise for the staff' }]);
    expect(
      await hami.deps.db.selectFrom('customers').select(['email', 'name']).where('external_id', '=', 'new-cust').executeTakeFirstOrThrow(),
    ).toEqual({ email: 'new-cust@example.com', name: 'Name of new-cust' });
    const queued = await eventually(async () => {
      const rows = await hami.deps.db
        .selectFrom('jobs')
        .select('run_at')
        .where('name', '=', RETENTION_JOB)
        .where('status', '=', 'queued')
        .execute();
      return rows.length > 0 && rows;
    });
    expect(queued).toEqual([{ run_at: new Date(clock.now().getTime() + DAY).toISOString() }]);
  });
});

describe('privacy: the retention setting', () => {
  test.each([
    ['2026-08-13T09:00:00Z', 6, '2026-02-13T09:00:00.000Z'],
    ['2026-08-31T23:59:00Z', 6, '2026-02-28T23:59:00.000Z'],
    ['2028-08-31T00:00:00Z', 6, '2028-02-29T00:00:00.000Z'],
    ['2026-03-15T12:00:00Z', 24, '2024-03-15T12:00:00.000Z'],
    ['2026-01-31T08:00:00Z', 1, '2025-12-31T08:00:00.000Z'],
  ])('data from before %s minus %i months counts as old: cutoff %s', (now, months, cutoff) => {
    expect(retentionCutoff(new Date(now), months).toISOString()).toBe(cutoff);
  });

  test.each(['0', '-3', 'six', '1.5', '1000'])('HAMI_RETENTION_MONTHS=%s stops start-up with a message naming the variable', (value) => {
    expect(() => loadConfig({ HAMI_RETENTION_MONTHS: value })).toThrow(/^HAMI_RETENTION_MONTHS must be a whole number of months/);
  });

  test('unset, nothing is purged; a number of months turns the daily purge on', () => {
    expect(loadConfig({}).retentionMonths).toBeNull();
    expect(loadConfig({ HAMI_RETENTION_MONTHS: '18' }).retentionMonths).toBe(18);
  });
});
