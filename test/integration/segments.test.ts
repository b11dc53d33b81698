import { createHmac } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { recordAnswer } from '../../server/responses/record-answer.js';
import type { Answers } from '../../shared/answers.js';
import { REVIEW_GATING_NOTICE, type SegmentMember } from '../../shared/api/segments.js';
import { DAY, HOUR, ManualClock } from '../helpers/clock.js';
import { drainJobs, eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { exampleResolver } from '../helpers/webhook-dns.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { ADMIN, signIn, signInAgain, staffMember, type StaffClient } from '../helpers/staff.js';

const CRM = 'https://crm.example.test/hooks/hami';
const CRM_SECRET = 'crm-secret-0123456789';
const REVIEW_URL = 'https://reviews.example.test/write?biz=hami';
const crmCalls: { body: string; headers: Headers }[] = [];
let crmFailures = 0;
const msw = setupServer(
  http.post(CRM, async ({ request }) => {
    if (crmFailures > 0) {
      crmFailures--;
      return new HttpResponse('busy', { status: 503 });
    }
    crmCalls.push({ body: await request.text(), headers: request.headers });
    return new HttpResponse('ok');
  }),
);

interface Person {
  id: string;
  name: string;
  locale: 'en' | 'fa';
  email?: string;
  phone?: string;
}

const ava: Person = { id: 'ava', name: 'Ava', locale: 'en', email: 'ava@example.com' };
const bahar: Person = { id: 'bahar', name: 'بهار', locale: 'fa', email: 'bahar@example.com' };
const carl: Person = { id: 'carl', name: 'Carl', locale: 'en', phone: '+989120000003' };
const dana: Person = { id: 'dana', name: '<b>Dana</b>', locale: 'en', email: 'dana@example.com' };
const eli: Person = { id: 'eli', name: 'Eli', locale: 'en', email: 'eli@example.com' };
const fay: Person = { id: 'fay', name: 'Fay', locale: 'en', email: 'fay@example.com' };

describe('marketing segments', () => {
  let hami: TestHami;
  let smtp: TestSmtpServer;
  let admin: StaffClient;
  let marketing: StaffClient;
  let care: StaffClient;
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  let serial = 0;
  const responseOf: Record<string, string> = {};

  /** A purchase (or resolution) through the API, sent by the worker, answered through recordAnswer at the clock's time. */
  async function answered(
    person: Person,
    at: string,
    answers: Answers,
    event: { type?: 'purchase' | 'resolution'; attributes?: Record<string, string> } = {},
  ) {
    serial++;
    clock.set(at);
    const { email, phone, ...rest } = person;
    const customer = { ...rest, ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
    const { body } = await hami.postEvent({
      type: event.type ?? 'purchase',
      id: `so-${serial}`,
      sendAt: 'now',
      customer,
      attributes: event.attributes ?? {},
    });
    const invitationId: string = body.invitations[0].id;
    const invitation = await eventually(() =>
      hami.deps.db.selectFrom('invitations').selectAll().where('id', '=', invitationId).where('sent_at', 'is not', null).executeTakeFirst(),
    );
    clock.advance(HOUR);
    const recorded = await recordAnswer(hami.deps.db, {
      invitation,
      survey: hami.deps.surveys.byId(invitation.survey_id)!,
      answers,
      source: 'form',
      now: clock.now(),
    });
    responseOf[`${person.id}-${serial}`] = recorded.responseId;
    return recorded;
  }

  const ids = (members: SegmentMember[]) => members.map((m) => m.externalId).sort();
  const membersOf = async (query: string) => {
    const res = await marketing.call('GET', `/api/segments/members?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ids(res.body.members);
  };
  const mailsTo = (address: string) => smtp.messages.filter((m) => (m.to && 'text' in m.to ? m.to.text : '').includes(address));

  beforeAll(async () => {
    msw.listen({ onUnhandledRequest: 'bypass' });
    smtp = await startSmtpServer();
    hami = await startTestHami({
      clock,
      smtpUrl: smtp.url,
      env: {
        HAMI_THROTTLE_DAYS: '0',
        HAMI_QUIET_HOURS: 'off',
        HAMI_SEGMENT_THROTTLE_DAYS: '30',
        HAMI_CRM_WEBHOOK_URL: CRM,
        HAMI_CRM_WEBHOOK_SECRET: CRM_SECRET,
        HAMI_REVIEW_URL: REVIEW_URL,
      },
    });
    hami.deps.resolveHost = exampleResolver; // example host names get a public address: msw answers them
    crmFailures = 1;
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
    await answered(ava, '2026-06-01T10:00:00Z', { nps: 10, reason: 'Fast and friendly' }, { attributes: { product: 'phone' } });
    await answered(bahar, '2026-06-02T10:00:00Z', { nps: 9, reason: 'ارسال سریع بود، ممنون' }, { attributes: { product: 'laptop' } });
    await answered(carl, '2026-06-03T10:00:00Z', { nps: 8 }, { attributes: { product: 'phone' } });
    await answered(
      dana,
      '2026-06-04T10:00:00Z',
      { nps: 10, reason: '=HYPERLINK("http://evil.example","click")' },
      { attributes: { product: 'phone' } },
    );
    await answered(eli, '2026-06-05T10:00:00Z', { csat: 5, solved: true, nps: 9 }, { type: 'resolution', attributes: { agent: 'Sara' } });
    await answered(fay, '2026-06-06T10:00:00Z', { nps: 2, reason: 'Broken on arrival' }, { attributes: { product: 'laptop' } });
    // Bahar buys again and is unhappy: her latest answer makes her a detractor, though she was once a promoter.
    await answered(bahar, '2026-06-10T10:00:00Z', { nps: 4 }, { attributes: { product: 'laptop' } });
    clock.set('2026-06-12T10:00:00Z');
    admin = await signInAgain(hami, admin);
    marketing = await staffMember(hami, admin, 'marketing');
    care = await staffMember(hami, admin, 'care');
  });
  afterAll(async () => {
    await hami.stopAndClean();
    await smtp.close();
    msw.close();
  });

  test('bucket by latest answer: a promoter who later scored 4 is not a promoter any more', async () => {
    expect(await membersOf('bucket=promoter')).toEqual(['ava', 'dana', 'eli']);
    expect(await membersOf('bucket=detractor')).toEqual(['bahar', 'fay']);
    expect(await membersOf('bucket=passive')).toEqual(['carl']);
    expect(await membersOf('bucket=promoter,passive')).toEqual(['ava', 'carl', 'dana', 'eli']);
  });

  test('bucket ever: anyone who once gave a 9 or 10, listed once with that answer', async () => {
    const res = await marketing.call('GET', '/api/segments/members?bucket=promoter&basis=ever');
    expect(ids(res.body.members)).toEqual(['ava', 'bahar', 'dana', 'eli']);
    expect(res.body.members.find((m: SegmentMember) => m.externalId === 'bahar')).toMatchObject({
      score: 9,
      bucket: 'promoter',
      comment: 'ارسال سریع بود، ممنون',
    });
  });

  test('survey filter: the latest answer to that survey decides', async () => {
    expect(await membersOf('bucket=promoter&survey=post-resolution')).toEqual(['eli']);
    expect(await membersOf('survey=post-purchase&bucket=promoter')).toEqual(['ava', 'dana']);
  });

  test('date range filters the deciding answer (inclusive days)', async () => {
    expect(await membersOf('from=2026-06-01&to=2026-06-02')).toEqual(['ava']);
    expect(await membersOf('from=2026-06-01&to=2026-06-02&basis=ever&bucket=promoter')).toEqual(['ava', 'bahar']);
    expect(await membersOf('from=2026-06-04&to=2026-06-04')).toEqual(['dana']);
  });

  test('channel, locale and attribute filters', async () => {
    expect(await membersOf('channel=sms')).toEqual(['carl']);
    expect(await membersOf('locale=fa')).toEqual(['bahar']);
    expect(await membersOf('attr.product=phone&bucket=promoter')).toEqual(['ava', 'dana']);
    expect(await membersOf('attr.agent=Sara')).toEqual(['eli']);
    expect(await membersOf('attr.product=phone&attr.agent=Sara')).toEqual([]);
  });

  test('answered in the last N days and not contacted for N days', async () => {
    expect(await membersOf('answeredWithinDays=3')).toEqual(['bahar']);
    expect(await membersOf('answeredWithinDays=8')).toEqual(['bahar', 'dana', 'eli', 'fay']);
    // Bahar's second survey went out on 06-10: contacted 2 days ago.
    expect(await membersOf('notContactedDays=5')).toEqual(['ava', 'carl', 'dana', 'eli', 'fay']);
    expect(await membersOf('notContactedDays=1')).toEqual(['ava', 'bahar', 'carl', 'dana', 'eli', 'fay']);
  });

  test('members come in pages, newest first, with a total and a cursor', async () => {
    const first = await marketing.call('GET', '/api/segments/members?limit=4');
    expect(first.body.total).toBe(6);
    expect(first.body.members.map((m: SegmentMember) => m.externalId)).toEqual(['bahar', 'fay', 'eli', 'dana']);
    expect(first.body.members[0]).toMatchObject({
      name: 'بهار',
      email: 'bahar@example.com',
      score: 4,
      bucket: 'detractor',
      surveyId: 'post-purchase',
      locale: 'fa',
      channel: 'email',
    });
    const second = await marketing.call('GET', `/api/segments/members?limit=4&cursor=${first.body.nextCursor}`);
    expect(second.body.members.map((m: SegmentMember) => m.externalId)).toEqual(['carl', 'ava']);
    expect(second.body.nextCursor).toBeNull();
  });

  test.each([
    ['bucket=happy', 'bucket'],
    ['basis=sometimes', 'basis'],
    ['from=2026-13-01', 'from'],
    ['from=2026-06-10&to=2026-06-01', 'to'],
    ['channel=fax', 'channel'],
    ['locale=de', 'locale'],
    ['answeredWithinDays=0', 'answeredWithinDays'],
    ['notContactedDays=soon', 'notContactedDays'],
    ['attr.a%22b=1', 'attr.a"b'],
    ['limit=0', 'limit'],
    ['cursor=nonsense', 'cursor'],
    ['format=xlsx', 'format'],
    ['buckets=promoter', 'buckets'],
  ])('a bad parameter (%s) is a 400 naming %s', async (query, field) => {
    const res = await marketing.call('GET', `/api/segments/members?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
  });

  test('saved segments: create, list with live counts, get, rename, change, delete', async () => {
    const created = await marketing.call('POST', '/api/segments', {
      name: 'Phone promoters',
      filter: { buckets: ['promoter'], attributes: { product: 'phone' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Phone promoters',
      memberCount: 2,
      filter: { buckets: ['promoter'], basis: 'latest', attributes: { product: 'phone' } },
    });
    const id = created.body.id as string;
    const bad = await marketing.call('POST', '/api/segments', { name: '', filter: {} });
    expect(bad).toMatchObject({ status: 400, body: { error: { field: 'name' } } });
    const badFilter = await marketing.call('POST', '/api/segments', { name: 'x', filter: { buckets: ['happy'] } });
    expect(badFilter).toMatchObject({ status: 400, body: { error: { field: 'filter.buckets.0' } } });

    // A new phone promoter shows in the count at once.
    await answered(
      { id: 'gus', name: 'Gus', locale: 'en', email: 'gus@example.com' },
      '2026-06-12T10:00:00Z',
      { nps: 9 },
      { attributes: { product: 'phone' } },
    );
    marketing = await signInAgain(hami, marketing);
    const list = await marketing.call('GET', '/api/segments');
    expect(list.body.items.find((s: { id: string }) => s.id === id).memberCount).toBe(3);

    const renamed = await marketing.call('PATCH', `/api/segments/${id}`, { name: 'Phone fans' });
    expect(renamed.body).toMatchObject({ name: 'Phone fans', memberCount: 3 });
    const widened = await marketing.call('PATCH', `/api/segments/${id}`, {
      filter: { buckets: ['promoter', 'passive'], attributes: { product: 'phone' } },
    });
    expect(widened.body.memberCount).toBe(4);
    const members = await marketing.call('GET', `/api/segments/${id}/members`);
    expect(ids(members.body.members)).toEqual(['ava', 'carl', 'dana', 'gus']);
    expect((await marketing.call('GET', `/api/segments/${id}`)).body).toMatchObject({ name: 'Phone fans', actions: [] });
    expect((await marketing.call('DELETE', `/api/segments/${id}`)).status).toBe(204);
    expect((await marketing.call('GET', `/api/segments/${id}`)).status).toBe(404);
  });

  test('CSV export: BOM, header, formula cells neutralised, Persian and HTML kept as text, a named file', async () => {
    const res = await fetch(`${hami.url}/api/segments/members?bucket=promoter&basis=ever&format=csv`, {
      headers: { cookie: marketing.cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="members-2026-06-12.csv"; filename*=UTF-8''members-2026-06-12.csv`,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(Buffer.from(bytes), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.externalId).sort()).toEqual(['ava', 'bahar', 'dana', 'eli', 'gus']);
    const byId = Object.fromEntries(rows.map((r) => [r.externalId, r]));
    expect(byId.dana!.comment).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(byId.dana!.name).toBe('<b>Dana</b>');
    expect(byId.bahar).toMatchObject({ name: 'بهار', comment: 'ارسال سریع بود، ممنون', score: '9', bucket: 'promoter' });
    expect(Object.keys(rows[0]!)).toEqual([
      'customerId',
      'externalId',
      'name',
      'email',
      'phone',
      'score',
      'bucket',
      'answeredAt',
      'comment',
      'surveyId',
      'channel',
      'locale',
      'marketingConsent',
    ]);
  });

  test('a phone number starting with + is neutralised like any formula cell', async () => {
    const res = await fetch(`${hami.url}/api/segments/members?channel=sms&format=csv`, { headers: { cookie: marketing.cookie } });
    const rows = parse(Buffer.from(await res.arrayBuffer()), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows[0]!.phone).toBe(`'+989120000003`);
  });

  test('JSON export of a saved segment is the whole array, under the segment\u2019s name', async () => {
    const created = await marketing.call('POST', '/api/segments', { name: 'مروجان', filter: { buckets: ['promoter'] } });
    const res = await fetch(`${hami.url}/api/segments/${created.body.id}/members?format=json`, { headers: { cookie: marketing.cookie } });
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="segment-2026-06-12.json"; filename*=UTF-8''${encodeURIComponent('مروجان-2026-06-12.json')}`,
    );
    const members = (await res.json()) as SegmentMember[];
    expect(ids(members)).toEqual(['ava', 'dana', 'eli', 'gus']);
    expect(members[0]).toMatchObject({ externalId: 'gus', score: 9, bucket: 'promoter' });
    await marketing.call('DELETE', `/api/segments/${created.body.id}`);
  });

  test('care can neither read, export nor act on segments; marketing reads timelines without case notes', async () => {
    expect((await care.call('GET', '/api/segments/members?bucket=promoter')).status).toBe(403);
    expect((await care.call('GET', '/api/segments/members?bucket=promoter&format=csv')).status).toBe(403);
    expect((await care.call('POST', '/api/segments', { name: 'x', filter: {} })).status).toBe(403);
    const fay = await hami.deps.db.selectFrom('customers').select('id').where('external_id', '=', 'fay').executeTakeFirstOrThrow();
    const kase = await hami.deps.db.selectFrom('callback_cases').select('id').where('customer_id', '=', fay.id).executeTakeFirstOrThrow();
    care = await signInAgain(hami, care);
    expect((await care.call('PATCH', `/api/callbacks/${kase.id}`, { note: 'Private: customer was rude on the phone' })).status).toBe(200);
    expect((await marketing.call('GET', `/api/callbacks/${kase.id}`)).status).toBe(403);
    const timeline = await marketing.call('GET', `/api/customers/${fay.id}/timeline`);
    expect(timeline.status).toBe(200);
    expect(JSON.stringify(timeline.body)).not.toContain('rude');
  });

  describe('actions', () => {
    let segmentId: string;

    beforeAll(async () => {
      // Dana opted out of email before the campaign.
      await hami.deps.db
        .insertInto('suppressions')
        .values({ channel: 'email', address: 'dana@example.com', reason: 'unsubscribed', created_at: clock.now().toISOString() })
        .execute();
      const created = await marketing.call('POST', '/api/segments', { name: 'Promoters', filter: { buckets: ['promoter'] } });
      segmentId = created.body.id;
    });

    test('a referral goes to the promoters by email in their language, skipping the opted-out, tracked per customer', async () => {
      const before = smtp.messages.length;
      const res = await marketing.call('POST', `/api/segments/${segmentId}/actions`, { kind: 'referral', channel: 'email' });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({
        kind: 'referral',
        channel: 'email',
        audience: 'segment',
        notice: null,
        counts: { planned: 4, skipped: 1, skippedByReason: { opted_out: 1 }, queued: 3 },
      });
      await smtp.waitForMessages(before + 3);
      const toAva = mailsTo('ava@example.com').find((m) => m.subject === 'A gift for you and a friend')!;
      expect(toAva.text).toContain('Hi Ava,');
      expect(mailsTo('dana@example.com').some((m) => m.subject === 'A gift for you and a friend')).toBe(false);
      const detail = await eventually(async () => {
        const d = await marketing.call('GET', `/api/segments/${segmentId}`);
        return d.body.actions[0].counts.sent === 3 && d.body;
      });
      expect(detail.actions[0].counts).toMatchObject({ planned: 4, sent: 3, queued: 0, clicked: 0 });

      // Ava clicks: recorded, then on to the referral page of the template.
      const link = /http:\/\/localhost:\d+\/r\/[A-Za-z0-9_-]{22}/.exec(toAva.text!)![0];
      const head = await fetch(link, { method: 'HEAD', redirect: 'manual' });
      expect(head.status).toBe(302);
      const click = await fetch(link, { redirect: 'manual' });
      expect(click.status).toBe(302);
      expect(click.headers.get('location')).toBe('https://example.com/refer');
      await fetch(link, { redirect: 'manual' });
      const after = await marketing.call('GET', `/api/segments/${segmentId}/actions`);
      expect(after.body.items[0].counts.clicked).toBe(1);
      expect((await fetch(`${hami.url}/r/AAAAAAAAAAAAAAAAAAAAAA`, { redirect: 'manual' })).status).toBe(404);
    });

    test('no message is sent twice: a re-claimed job after a worker restart finds it sent', async () => {
      const sentBefore = smtp.messages.length;
      await hami.worker.stop();
      // A worker that died mid-job: its claim lapses and the next worker takes the job again.
      await hami.deps.db
        .updateTable('jobs')
        .set({ status: 'running', locked_until: '2000-01-01T00:00:00.000Z' })
        .where('name', '=', 'segment.message')
        .execute();
      hami.worker.start();
      await eventually(
        async () =>
          (await hami.deps.db
            .selectFrom('jobs')
            .select('id')
            .where('name', '=', 'segment.message')
            .where('status', '!=', 'done')
            .executeTakeFirst()) === undefined,
      );
      expect(smtp.messages.length).toBe(sentBefore);
      // Asking again within the throttle period messages nobody.
      const again = await marketing.call('POST', `/api/segments/${segmentId}/actions`, { kind: 'referral', channel: 'email' });
      expect(again.body.counts).toMatchObject({ planned: 4, skipped: 4, skippedByReason: { opted_out: 1, throttled: 3 }, queued: 0 });
    });

    test('a review request goes to every answered customer, not promoters alone, and says why', async () => {
      const before = smtp.messages.length;
      const res = await marketing.call('POST', `/api/segments/${segmentId}/actions`, { kind: 'review_request', channel: 'email' });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ audience: 'all_answered', notice: REVIEW_GATING_NOTICE });
      // All 7 who answered: Bahar and Fay (detractors) are asked; Carl has no email; Dana opted out; Ava, Eli and
      // Gus were messaged by the referral within 30 days.
      expect(res.body.counts).toMatchObject({ planned: 7, queued: 2, skippedByReason: { no_address: 1, opted_out: 1, throttled: 3 } });
      await smtp.waitForMessages(before + 2);
      const toBahar = mailsTo('bahar@example.com').find((m) => m.subject === 'نظرتان را برای دیگران هم بنویسید؟')!;
      expect(toBahar.text).toContain('بهار عزیز، سلام');
      expect(toBahar.html).toContain('dir="rtl"');
      const link = /\/r\/[A-Za-z0-9_-]{22}/.exec(toBahar.text!)![0];
      const click = await fetch(`${hami.url}${link}`, { redirect: 'manual' });
      expect(click.headers.get('location')).toBe(REVIEW_URL);
    });

    test('an SMS referral reaches the passive with a phone', async () => {
      const passives = await marketing.call('POST', '/api/segments', { name: 'Passives', filter: { buckets: ['passive'] } });
      const res = await marketing.call('POST', `/api/segments/${passives.body.id}/actions`, { kind: 'referral', channel: 'sms' });
      expect(res.body.counts).toMatchObject({ planned: 1, queued: 1 });
      await eventually(
        async () => (await marketing.call('GET', `/api/segments/${passives.body.id}/actions`)).body.items[0].counts.sent === 1,
      );
    });

    test('every marketing email says how to stop them; one click (RFC 8058) suppresses the address for good', async () => {
      const toEli = mailsTo('eli@example.com').find((m) => m.subject === 'A gift for you and a friend')!;
      const header = (name: string) => toEli.headerLines.find((line) => line.key === name)?.line ?? '';
      const stop = /<(http:\/\/localhost:\d+\/r\/[A-Za-z0-9_-]{22}\/stop)>/.exec(header('list-unsubscribe'))![1]!;
      expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      expect(toEli.text).toContain(`Stop receiving messages from us: ${stop}`);
      const ask = await fetch(stop);
      expect(ask.status).toBe(200);
      expect(await ask.text()).toContain('Stop sending messages to eli@example.com?');
      // A mail client's one-click: a bare POST with the RFC 8058 body, no cookie.
      const done = await fetch(stop, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) });
      expect(done.status).toBe(200);
      const suppressed = await hami.deps.db
        .selectFrom('suppressions')
        .selectAll()
        .where('address', '=', 'eli@example.com')
        .executeTakeFirst();
      expect(suppressed).toMatchObject({ channel: 'email', reason: 'opted_out' });
      expect((await fetch(`${hami.url}/r/AAAAAAAAAAAAAAAAAAAAAA/stop`, { method: 'POST' })).status).toBe(404);
    });
  });

  test('a customer entering the promoters is announced to the CRM, signed, once, retried after a failure', async () => {
    // Ava (first answer 10), Bahar (9), Dana (10), Eli (9), Gus (9); Bahar's later 4 and Carl's 8 are not entries.
    clock.advance(5 * 60_000);
    const calls = await eventually(() => crmCalls.length >= 5 && crmCalls);
    const bodies = calls.map((c) => JSON.parse(c.body));
    expect(bodies.map((b) => b.customer.externalId).sort()).toEqual(['ava', 'bahar', 'dana', 'eli', 'gus']);
    const toAva = calls[bodies.findIndex((b) => b.customer.externalId === 'ava')]!;
    expect(JSON.parse(toAva.body)).toMatchObject({
      event: 'segment.entered',
      segment: 'promoters',
      customer: { externalId: 'ava', name: 'Ava', email: 'ava@example.com', locale: 'en' },
      response: { score: 10, bucket: 'promoter', surveyId: 'post-purchase', comment: 'Fast and friendly' },
    });
    const timestamp = toAva.headers.get('x-hami-timestamp')!;
    expect(toAva.headers.get('x-hami-signature')).toBe(
      `sha256=${createHmac('sha256', CRM_SECRET).update(`${timestamp}.${toAva.body}`).digest('hex')}`,
    );
    expect(toAva.headers.get('x-hami-event')).toBe('segment.entered');
    // The first attempt got a 503 and was retried.
    const failed = await hami.deps.db
      .selectFrom('jobs')
      .select(['attempts'])
      .where('name', '=', 'segment.entered')
      .where('attempts', '>', 1)
      .execute();
    expect(failed.length).toBe(1);

    // Fay changes her 2 to a 10 on the same answer: she enters now; a second 10 from Ava is not a new entry.
    const fayInvitation = await hami.deps.db
      .selectFrom('invitations as i')
      .innerJoin('customers as c', 'c.id', 'i.customer_id')
      .selectAll('i')
      .where('c.external_id', '=', 'fay')
      .executeTakeFirstOrThrow();
    await recordAnswer(hami.deps.db, {
      invitation: fayInvitation,
      survey: hami.deps.surveys.byId('post-purchase')!,
      answers: { nps: 10 },
      source: 'form',
      now: clock.now(),
    });
    await answered(ava, new Date(clock.now().getTime() + DAY).toISOString(), { nps: 10 });
    clock.advance(HOUR);
    await eventually(() => crmCalls.some((c) => JSON.parse(c.body).customer.externalId === 'fay'));
    await drainJobs(hami);
    expect(crmCalls.filter((c) => JSON.parse(c.body).customer.externalId === 'ava')).toHaveLength(1);
  });
});
