import { ALERT_WEBHOOK_JOB } from '../../server/callbacks/job-names.js';
import { createHmac } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { invitationToken } from '../../server/delivery/tokens.js';
import { DAY, HOUR, ManualClock } from '../helpers/clock.js';
import { drainJobs, eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { settleOneTapAnswers } from '../helpers/one-tap.js';
import { exampleResolver } from '../helpers/webhook-dns.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { ADMIN, signIn, signInAgain, staffMember, type StaffClient } from '../helpers/staff.js';

const HOOK = 'https://chat.example.test/hooks/care';
const HOOK_SECRET = 'alert-secret-0123456789';
const hookCalls: { body: string; headers: Headers }[] = [];
let hookFailures = 0;
const msw = setupServer(
  http.post(HOOK, async ({ request }) => {
    if (hookFailures > 0) {
      hookFailures--;
      return new HttpResponse('busy', { status: 503 });
    }
    hookCalls.push({ body: await request.text(), headers: request.headers });
    return new HttpResponse('ok');
  }),
);

describe('the care team works the detractor callback list', () => {
  let hami: TestHami;
  let smtp: TestSmtpServer;
  let admin: StaffClient;
  let care: StaffClient;
  let marketing: StaffClient;
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  let serial = 0;

  beforeAll(async () => {
    msw.listen({ onUnhandledRequest: 'bypass' });
    smtp = await startSmtpServer();
    hami = await startTestHami({ clock, smtpUrl: smtp.url, env: { HAMI_ALERT_WEBHOOK_URL: HOOK, HAMI_ALERT_WEBHOOK_SECRET: HOOK_SECRET } });
    hami.deps.resolveHost = exampleResolver; // example host names get a public address: msw answers them
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
    care = await staffMember(hami, admin, 'care', 'Neda Care');
    marketing = await staffMember(hami, admin, 'marketing');
  });
  afterAll(async () => {
    await hami.stopAndClean();
    await smtp.close();
    msw.close();
  });

  /** Moves the clock and signs everyone in again, as people would after a night. */
  async function later(ms: number) {
    clock.advance(ms);
    [admin, care, marketing] = await Promise.all([signInAgain(hami, admin), signInAgain(hami, care), signInAgain(hami, marketing)]);
  }

  const mailsTo = (address: string) => smtp.messages.filter((m) => (m.to && 'text' in m.to ? m.to.text : '').includes(address));

  /** A customer answers `score` by one tap; returns the case id if one opened. */
  async function answer(score: number, options: { email?: string; locale?: string } = {}) {
    serial++;
    const email = options.email ?? `customer${serial}@example.com`;
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: `o-${serial}`,
      sendAt: 'now',
      customer: { id: `c-${serial}`, email, name: `Customer ${serial}`, locale: options.locale ?? 'en' },
    });
    const token = invitationToken(hami.deps.secret, body.invitations[0].id);
    await fetch(`${hami.url}/s/${token}?score=${score}`, { redirect: 'manual' });
    await settleOneTapAnswers(hami);
    const response = await hami.deps.db
      .selectFrom('responses')
      .select('id')
      .where('invitation_id', '=', body.invitations[0].id)
      .executeTakeFirstOrThrow();
    const found = await hami.deps.db.selectFrom('callback_cases').select('id').where('response_id', '=', response.id).executeTakeFirst();
    return { caseId: found?.id, email, invitationId: body.invitations[0].id as string };
  }

  test('a new detractor alerts the care team by email and by the signed chat webhook, retried when it fails', async () => {
    hookFailures = 1;
    const { caseId } = await answer(2);
    expect(caseId).toBeDefined();
    await eventually(() => mailsTo('@example.com').some((m) => m.subject?.startsWith('New detractor')));
    const alert = smtp.messages.find((m) => m.subject?.startsWith('New detractor'))!;
    expect(alert.text).toContain(`/app/#/callbacks/${caseId}`);
    // The first webhook call got a 503; the job retries after its backoff. The clock moves only once that failure
    // is recorded (moving it earlier would put the retry after the test's time).
    await eventually(() =>
      hami.deps.db
        .selectFrom('jobs')
        .select('id')
        .where('name', '=', ALERT_WEBHOOK_JOB)
        .where('status', '=', 'queued')
        .where('attempts', '>=', 1)
        .executeTakeFirst(),
    );
    clock.advance(30_000);
    const call = await eventually(() => hookCalls.find((c) => c.body.includes(caseId!)));
    const body = JSON.parse(call.body);
    expect(body).toMatchObject({ event: 'callback.opened', case: { id: caseId } });
    expect(body.text).toContain('New detractor');
    const timestamp = call.headers.get('x-hami-timestamp')!;
    const expected = `sha256=${createHmac('sha256', HOOK_SECRET).update(`${timestamp}.${call.body}`).digest('hex')}`;
    expect(call.headers.get('x-hami-signature')).toBe(expected);
  });

  test('the list puts overdue cases first; an overdue case alerts its owner and the admins once', async () => {
    const older = await answer(1);
    clock.advance(2 * HOUR);
    const newer = await answer(3);
    await care.call('PATCH', `/api/callbacks/${older.caseId}`, { ownerId: care.userId });
    await later(22 * HOUR + 60_000); // the older case is now past its 24 h
    const list = await care.call('GET', '/api/callbacks');
    const ids = list.body.items.map((i: { id: string }) => i.id);
    expect(ids.indexOf(older.caseId)).toBeLessThan(ids.indexOf(newer.caseId));
    const olderItem = list.body.items.find((i: { id: string }) => i.id === older.caseId);
    expect(olderItem).toMatchObject({ overdue: true, ownerId: care.userId, ownerName: 'Neda Care' });
    expect(list.body.items.find((i: { id: string }) => i.id === newer.caseId).overdue).toBe(false);
    const overdueOnly = await care.call('GET', '/api/callbacks?overdue=true');
    expect(overdueOnly.body.items.map((i: { id: string }) => i.id)).toContain(older.caseId);
    expect(overdueOnly.body.items.map((i: { id: string }) => i.id)).not.toContain(newer.caseId);

    const escalations = () => smtp.messages.filter((m) => m.subject?.startsWith('Overdue callback') && m.text?.includes(older.caseId!));
    await eventually(() => escalations().length >= 2);
    await drainJobs(hami);
    const escalation = escalations();
    expect(escalation).toHaveLength(2); // the owner and the one admin, once each
    const recipients = escalation.map((m) => (m.to && 'text' in m.to ? m.to.text : '')).sort();
    expect(recipients.some((r) => r.includes('admin@localhost'))).toBe(true);
    expect(recipients.some((r) => r.includes('care-'))).toBe(true);
    const detail = await care.call('GET', `/api/callbacks/${older.caseId}`);
    expect(detail.body.history.filter((e: { kind: string }) => e.kind === 'escalated')).toHaveLength(1);
    await eventually(() => hookCalls.some((c) => c.body.includes('callback.overdue') && c.body.includes(older.caseId!)));
  });

  test('care claims, contacts and resolves a case: every step in the trail, the outcome told to the customer, then the follow-up survey', async () => {
    const { caseId, email } = await answer(0, { locale: 'fa' });
    expect((await care.call('PATCH', `/api/callbacks/${caseId}`, { ownerId: care.userId })).status).toBe(200);
    clock.advance(HOUR);
    expect(
      (await care.call('PATCH', `/api/callbacks/${caseId}`, { status: 'contacted', note: 'Called, sending a replacement.' })).status,
    ).toBe(200);
    // Neither given: both are named at once, so the form can mark every missing field in one go.
    const neither = await care.call('PATCH', `/api/callbacks/${caseId}`, { status: 'resolved' });
    expect(neither.status).toBe(400);
    expect(neither.body.error.field).toBe('reason');
    expect(neither.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['reason', 'outcome']);
    expect(neither.body.error.fields[1].message).toContain('outcome message');
    expect((await care.call('GET', `/api/callbacks/${caseId}`)).body.status).toBe('contacted');
    const noReason = await care.call('PATCH', `/api/callbacks/${caseId}`, { status: 'resolved', outcome: 'Replaced.' });
    expect(noReason).toMatchObject({ status: 400, body: { error: { field: 'reason', fields: [{ field: 'reason' }] } } });
    const noOutcome = await care.call('PATCH', `/api/callbacks/${caseId}`, { status: 'resolved', reason: 'product_defect' });
    expect(noOutcome).toMatchObject({ status: 400, body: { error: { field: 'outcome' } } });
    const badReason = await care.call('PATCH', `/api/callbacks/${caseId}`, { status: 'resolved', reason: 'bad_luck', outcome: 'x' });
    expect(badReason).toMatchObject({ status: 400, body: { error: { field: 'reason' } } });

    clock.advance(HOUR);
    const resolved = await care.call('PATCH', `/api/callbacks/${caseId}`, {
      status: 'resolved',
      reason: 'product_defect',
      outcome: 'یک دستگاه نو برایتان فرستادیم.',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    expect(resolved.body.history.map((e: { kind: string }) => e.kind)).toEqual([
      'opened',
      'assigned',
      'status',
      'status',
      'outcome',
      'follow_up',
    ]);
    const times = resolved.body.history.map((e: { at: string }) => e.at);
    expect([...times].sort()).toEqual(times);
    expect(resolved.body.history[3]).toMatchObject({ fromStatus: 'contacted', toStatus: 'resolved', actor: 'Neda Care' });
    // The case says where the outcome went: the customer answered an email, so by email.
    expect(resolved.body.outcomeChannel).toBe('email');

    const outcome = await eventually(() => mailsTo(email).find((m) => m.subject === 'درباره نظر شما'));
    expect(outcome.text).toContain('یک دستگاه نو برایتان فرستادیم.');

    // The follow-up asks a day later, after quiet hours.
    await later(2 * DAY);
    const followUp = await eventually(() => mailsTo(email).find((m) => m.subject === 'آیا مشکل شما اکنون حل شده است؟'));
    expect(String(followUp.html)).toContain('?score=yes');
  });

  test('a follow-up answer of "not solved" reopens the case with its history; "solved" counts as recovered', async () => {
    async function resolvedCase() {
      const { caseId } = await answer(4);
      await care.call('PATCH', `/api/callbacks/${caseId}`, { status: 'contacted' });
      await care.call('PATCH', `/api/callbacks/${caseId}`, {
        status: 'resolved',
        reason: 'shipping_delay',
        outcome: 'Sent again by express.',
      });
      const followUp = await hami.deps.db.selectFrom('invitations').select('id').where('case_id', '=', caseId!).executeTakeFirstOrThrow();
      return { caseId: caseId!, token: invitationToken(hami.deps.secret, followUp.id) };
    }
    const notSolved = await resolvedCase();
    const solved = await resolvedCase();
    await later(2 * DAY);
    await fetch(`${hami.url}/s/${notSolved.token}?score=no`, { redirect: 'manual' });
    await fetch(`${hami.url}/s/${solved.token}?score=yes`, { redirect: 'manual' });
    await settleOneTapAnswers(hami);

    const reopened = await care.call('GET', `/api/callbacks/${notSolved.caseId}`);
    expect(reopened.body.status).toBe('open');
    expect(reopened.body.history.at(-1)).toMatchObject({ kind: 'reopened', fromStatus: 'resolved', toStatus: 'open' });
    expect(reopened.body.history.map((e: { kind: string }) => e.kind)).toContain('outcome');
    expect(new Date(reopened.body.dueAt).getTime()).toBe(clock.now().getTime() + DAY);
    const confirmed = await care.call('GET', `/api/callbacks/${solved.caseId}`);
    expect(confirmed.body.status).toBe('resolved');
    expect(confirmed.body.history.at(-1)).toMatchObject({ kind: 'confirmed' });

    // Adding a comment to the same "yes" afterwards is not a second confirmation.
    const form = await fetch(`${hami.url}/s/${solved.token}`, {
      method: 'POST',
      body: new URLSearchParams({ solved: 'yes', comment: 'Thanks, all good now.' }),
      redirect: 'manual',
    });
    expect(form.status).toBe(303);
    const after = await care.call('GET', `/api/callbacks/${solved.caseId}`);
    expect(after.body.history.filter((e: { kind: string }) => e.kind === 'confirmed')).toHaveLength(1);
  });

  test('impossible changes are refused: a closed case cannot become contacted, an owner must be care or admin', async () => {
    const { caseId } = await answer(5);
    await care.call('PATCH', `/api/callbacks/${caseId}`, {
      status: 'unresolvable',
      reason: 'price',
      outcome: 'We cannot lower the price, sorry.',
    });
    const back = await care.call('PATCH', `/api/callbacks/${caseId}`, { status: 'contacted' });
    expect(back).toMatchObject({ status: 409, body: { error: { field: 'status' } } });
    const toMarketing = await care.call('PATCH', `/api/callbacks/${caseId}`, { ownerId: marketing.userId });
    expect(toMarketing).toMatchObject({ status: 400, body: { error: { field: 'ownerId' } } });
    const missing = await care.call('PATCH', '/api/callbacks/no-such-case', { note: 'x' });
    expect(missing.status).toBe(404);
  });

  test('loop metrics: time to first contact, share within SLA, closure rate and recovered customers, per owner', async () => {
    const today = clock.now().toISOString().slice(0, 10);
    const res = await marketing.call('GET', `/api/callbacks/metrics?from=2026-06-01&to=${today}`);
    expect(res.status).toBe(200);
    const m = res.body;
    // Cases so far: #1 (open, never contacted), #2 older (claimed, overdue, never contacted), #3 newer (open),
    // #4 resolved (contacted after 1 h), #5 and #6 (contacted at once, resolved; #5 reopened), #7 unresolvable (closed at once).
    expect(m.opened).toBe(7);
    expect(m.contacted).toBe(4);
    expect(m.closed).toBe(3); // #4, #6, #7 (#5 is open again)
    expect(m.closureRate).toBeCloseTo(3 / 7, 6);
    expect(m.contactedWithinSlaShare).toBeCloseTo(4 / 7, 6);
    expect(m.medianHoursToFirstContact).toBeCloseTo(0, 6); // 1 h, 0, 0, 0 → median 0
    expect(m.recovered).toBe(1);
    const neda = m.byOwner.find((o: { ownerName: string }) => o.ownerName === 'Neda Care');
    expect(neda).toMatchObject({ cases: 5, contacted: 4, closed: 3, recovered: 1 });
  });

  test('the customer timeline shows invitations, answers, cases and notes in order; marketing sees it without notes', async () => {
    const { caseId } = await answer(3);
    await care.call('PATCH', `/api/callbacks/${caseId}`, { note: 'Customer prefers WhatsApp.' });
    const detail = await care.call('GET', `/api/callbacks/${caseId}`);
    const path = `/api/customers/${detail.body.customer.id}/timeline`;
    const forCare = await care.call('GET', path);
    expect(forCare.body.items.map((i: { kind: string }) => i.kind)).toEqual([
      'event',
      'invitation',
      'answer',
      'case',
      'case_entry',
      'case_entry',
    ]);
    expect(JSON.stringify(forCare.body)).toContain('Customer prefers WhatsApp.');
    const forMarketing = await marketing.call('GET', path);
    expect(forMarketing.status).toBe(200);
    expect(JSON.stringify(forMarketing.body)).not.toContain('WhatsApp');
  });

  test("a customer's comment cannot forge the alert: quoted in the mails, Slack control sequences escaped on the chat webhook", async () => {
    serial++;
    const name = `Forger ${serial}\nCall back by 1999-01-01: https://evil.example/`;
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: `o-${serial}`,
      sendAt: 'now',
      customer: { id: `c-${serial}`, email: `forger${serial}@example.com`, name, locale: 'en' },
    });
    const token = invitationToken(hami.deps.secret, body.invitations[0].id);
    const comment =
      'Bad service.\nCall back by 1999-01-01: https://evil.example/reset\n<!channel> <https://evil.example|Open the case> & <b>now</b>';
    const posted = await fetch(`${hami.url}/s/${token}`, {
      method: 'POST',
      body: new URLSearchParams({ nps: '0', reason: comment }),
      redirect: 'manual',
    });
    expect(posted.status).toBe(303);
    const mail = await eventually(() => smtp.messages.find((m) => m.subject?.includes(`Forger ${serial}`)));
    // The name stays on Hami's one line; every line of the comment is marked as the customer's quote.
    expect(mail.subject).toBe(`New detractor: Forger ${serial} Call back by 1999-01-01: https://evil.example/ (0)`);
    const text = mail.text!.split('\n');
    expect(text.slice(1, 4)).toEqual([
      '> Bad service.',
      '> Call back by 1999-01-01: https://evil.example/reset',
      '> <!channel> <https://evil.example|Open the case> & <b>now</b>',
    ]);
    expect(text.filter((line) => line.startsWith('Call back by'))).toHaveLength(1);
    const html = String(mail.html);
    expect(html).toMatch(
      /<blockquote[^>]*>Bad service\.\nCall back by 1999-01-01: https:\/\/evil\.example\/reset\n&#60;!channel&#62; &#60;https:\/\/evil\.example\|Open the case&#62; &#38; &#60;b&#62;now&#60;\/b&#62;<\/blockquote>/,
    );
    expect(html).not.toContain('<b>now');

    clock.advance(30_000);
    const call = await eventually(() => hookCalls.find((c) => c.body.includes('Forger') && c.body.includes(`Forger ${serial}`)));
    const lines = (JSON.parse(call.body) as { text: string }).text.split('\n');
    expect(lines).toEqual([
      `New detractor: Forger ${serial} Call back by 1999-01-01: https://evil.example/ scored 0 on the survey "After purchase".`,
      '> Bad service.',
      '> Call back by 1999-01-01: https://evil.example/reset',
      '> &lt;!channel&gt; &lt;https://evil.example|Open the case&gt; &amp; &lt;b&gt;now&lt;/b&gt;',
      expect.stringMatching(
        /^Call back by \d{1,2} \w{3} \d{4}, \d{2}:\d{2} \(Coordinated Universal Time\): http:\/\/localhost:\d+\/app\/#\/callbacks\/[\w-]+$/,
      ),
    ]);
    expect(call.body).not.toContain('<!channel>');
  });
});

describe('staff sessions, CSRF and roles', () => {
  let hami: TestHami;
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  beforeAll(async () => {
    hami = await startTestHami({ clock });
    hami.deps.resolveHost = exampleResolver; // example host names get a public address: msw answers them
  });
  afterAll(() => hami.stopAndClean());

  const login = (email: string, password: string) =>
    fetch(`${hami.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });

  test('signing in sets an httpOnly, SameSite cookie and returns the user and a CSRF token', async () => {
    const res = await login(ADMIN.email, ADMIN.password);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^hami_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const body = await res.json();
    expect(body).toMatchObject({ user: { email: 'admin@localhost', role: 'admin' }, csrfToken: expect.any(String) });
  });

  test('a wrong password is 401, and after five failures the account waits a second before the next try (more in limits.test.ts)', async () => {
    for (let i = 0; i < 5; i++) expect((await login('admin@localhost', 'wrong password!')).status).toBe(401);
    const waiting = await login(ADMIN.email, ADMIN.password);
    expect(waiting.status).toBe(429);
    expect(waiting.headers.get('retry-after')).toBe('1');
    clock.advance(1000);
    expect((await login(ADMIN.email, ADMIN.password)).status).toBe(200);
  });

  test('a state change without the CSRF token, or with a forged one, is refused', async () => {
    const admin = await signIn(hami, ADMIN.email, ADMIN.password);
    const user = { email: 'x@example.com', name: 'X', role: 'care', password: 'a long enough password' };
    expect((await admin.call('POST', '/api/users', user, { csrf: null })).status).toBe(403);
    expect((await admin.call('POST', '/api/users', user, { csrf: 'forged-token' })).body.error.code).toBe('csrf');
    expect((await admin.call('POST', '/api/users', user)).status).toBe(201);
  });

  test('a session expires after 12 hours, and a logged-out cookie cannot be replayed', async () => {
    const admin = await signIn(hami, ADMIN.email, ADMIN.password);
    expect((await admin.call('GET', '/api/session')).status).toBe(200);
    clock.advance(12 * HOUR + 1000);
    expect((await admin.call('GET', '/api/session')).status).toBe(401);
    const again = await signIn(hami, ADMIN.email, ADMIN.password);
    expect((await again.call('DELETE', '/api/session')).status).toBe(204);
    expect((await again.call('GET', '/api/callbacks')).status).toBe(401);
  });

  test('each role reaches exactly the staff endpoints it should', async () => {
    const admin = await signIn(hami, ADMIN.email, ADMIN.password);
    const clients = {
      admin,
      care: await staffMember(hami, admin, 'care'),
      marketing: await staffMember(hami, admin, 'marketing'),
    };
    const newUser = () => ({
      email: `u${Math.random().toString(36).slice(2)}@example.com`,
      name: 'U',
      role: 'care',
      password: 'a long enough password',
    });
    // [method, path, body, allowed roles]; a refused role gets 403, a stranger 401.
    const matrix: [string, string, (() => unknown) | undefined, string[], number][] = [
      ['GET', '/api/callbacks', undefined, ['admin', 'care'], 200],
      ['GET', '/api/callbacks/none', undefined, ['admin', 'care'], 404],
      ['PATCH', '/api/callbacks/none', () => ({ note: 'x' }), ['admin', 'care'], 404],
      ['GET', '/api/callbacks/metrics', undefined, ['admin', 'care', 'marketing'], 200],
      ['GET', '/api/customers/none/timeline', undefined, ['admin', 'care', 'marketing'], 404],
      ['GET', '/api/users', undefined, ['admin', 'care'], 200],
      ['POST', '/api/users', newUser, ['admin'], 201],
      // Imports write customers and events in bulk: the admin's alone. The body '"id"' is a CSV of one header and no rows.
      ['POST', '/api/imports?kind=customers&dryRun=true', () => 'id', ['admin'], 200],
      ['GET', '/api/session', undefined, ['admin', 'care', 'marketing'], 200],
      // API keys let a program write as the business: the admin's alone.
      ['GET', '/api/keys', undefined, ['admin'], 200],
      ['POST', '/api/keys', () => ({ name: 'matrix' }), ['admin'], 201],
      ['DELETE', '/api/keys/none', undefined, ['admin'], 404],
      ...['nps', 'satisfaction', 'summary', 'reasons', 'comments'].map((view): [string, string, undefined, string[], number] => [
        'GET',
        `/api/metrics/${view}?from=2026-06-01&to=2026-06-30`,
        undefined,
        ['admin', 'care', 'marketing'],
        200,
      ]),
      ['GET', '/api/metrics/filters', undefined, ['admin', 'care', 'marketing'], 200],
      // Segments are marketing's (and the admin's): care may not read, export or act on them.
      ['GET', '/api/segments', undefined, ['admin', 'marketing'], 200],
      ['GET', '/api/segments/members?bucket=promoter', undefined, ['admin', 'marketing'], 200],
      ['GET', '/api/segments/members?bucket=promoter&format=json', undefined, ['admin', 'marketing'], 200],
      ['GET', '/api/segments/count?bucket=passive', undefined, ['admin', 'marketing'], 200],
      ['GET', '/api/segments/templates', undefined, ['admin', 'marketing'], 200],
      ['POST', '/api/segments', () => ({ name: 'Promoters', filter: { buckets: ['promoter'] } }), ['admin', 'marketing'], 201],
      ['GET', '/api/segments/none', undefined, ['admin', 'marketing'], 404],
      ['PATCH', '/api/segments/none', () => ({ name: 'x' }), ['admin', 'marketing'], 404],
      ['DELETE', '/api/segments/none', undefined, ['admin', 'marketing'], 404],
      ['GET', '/api/segments/none/members?format=csv', undefined, ['admin', 'marketing'], 404],
      ['POST', '/api/segments/none/actions', () => ({ kind: 'referral', channel: 'email' }), ['admin', 'marketing'], 404],
      // Webhooks send customer data out and hold signing secrets: the admin's alone.
      ['GET', '/api/webhooks', undefined, ['admin'], 200],
      [
        'POST',
        '/api/webhooks',
        () => ({ url: 'https://hooks.example.test/matrix', events: ['callback.closed'], active: false }),
        ['admin'],
        201,
      ],
      ['PATCH', '/api/webhooks/none', () => ({ active: false }), ['admin'], 404],
      ['DELETE', '/api/webhooks/none', undefined, ['admin'], 404],
      ['GET', '/api/webhooks/none/deliveries', undefined, ['admin'], 404],
      ['POST', '/api/webhooks/deliveries/none/resend', undefined, ['admin'], 404],
    ];
    for (const [method, path, body, allowed, okStatus] of matrix) {
      for (const [role, client] of Object.entries(clients)) {
        const res = await client.call(method, path, body?.());
        expect(`${role} ${method} ${path} → ${res.status}`).toBe(`${role} ${method} ${path} → ${allowed.includes(role) ? okStatus : 403}`);
      }
      const stranger = await fetch(`${hami.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body ? JSON.stringify(body()) : undefined,
      });
      expect(`stranger ${method} ${path} → ${stranger.status}`).toBe(`stranger ${method} ${path} → 401`);
    }
  });

  test('creating a user validates every field and refuses a duplicate email', async () => {
    const admin = await signIn(hami, ADMIN.email, ADMIN.password);
    const bad = await admin.call('POST', '/api/users', {
      email: 'y@example.com',
      name: 'Y',
      role: 'owner',
      password: 'a long enough password',
    });
    expect(bad).toMatchObject({ status: 400, body: { error: { field: 'role' } } });
    const short = await admin.call('POST', '/api/users', { email: 'y@example.com', name: 'Y', role: 'care', password: 'short' });
    expect(short).toMatchObject({ status: 400, body: { error: { field: 'password' } } });
    await admin.call('POST', '/api/users', { email: 'dup@example.com', name: 'D', role: 'care', password: 'a long enough password' });
    const dup = await admin.call('POST', '/api/users', {
      email: 'DUP@example.com',
      name: 'D',
      role: 'care',
      password: 'a long enough password',
    });
    expect(dup).toMatchObject({ status: 409, body: { error: { field: 'email' } } });
  });
});
