import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { smsWebhookUrls } from '../../server/channels/sms/webhook-routes.js';
import { invitationToken } from '../../server/delivery/tokens.js';
import { ManualClock } from '../helpers/clock.js';
import { eventually, startTestHami, TEST_API_KEY, type TestHami } from '../helpers/hami.js';
import { ADMIN, signIn, staffMember, type StaffClient } from '../helpers/staff.js';

/*
 * Bad input across the events API, the survey page, sign-in and the staff API: each case gets the right status,
 * a clear message naming the field, and nothing is stored wrongly. Covered elsewhere and not repeated here: the
 * whole role matrix (care-team.test.ts "each role reaches exactly the staff endpoints it should", api-keys and
 * webhooks tests), SSRF through redirects and DNS rebinding (ssrf.test.ts), scanners (link-scanners.test.ts).
 */

/** A real SMTP server on loopback that also keeps each message's envelope: who it was really sent to. */
async function startEnvelopeSmtp() {
  const mails: { rcptTo: string[]; mail: ParsedMail }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        mails.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), mail });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('bad input', () => {
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  let hami: TestHami;
  let smtp: Awaited<ReturnType<typeof startEnvelopeSmtp>>;
  let admin: StaffClient;
  let marketing: StaffClient;
  let serial = 0;

  beforeAll(async () => {
    smtp = await startEnvelopeSmtp();
    hami = await startTestHami({ clock, smtpUrl: smtp.url, env: { HAMI_THROTTLE_DAYS: '0', HAMI_QUIET_HOURS: 'off' } });
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
    marketing = await staffMember(hami, admin, 'marketing');
  });
  afterAll(async () => {
    await hami.stopAndClean();
    await smtp.close();
  });

  const count = async (table: 'events' | 'customers' | 'responses' | 'sessions') =>
    Number(
      (
        await hami.deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const rawEvent = (body: RequestInit['body'], headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${hami.url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${TEST_API_KEY}`, ...headers }, body }).then(
      async (r) => ({ status: r.status, body: (await r.json()) as any }),
    ); // `any`: an error body, asserted by shape
  async function newLink(customer: Record<string, unknown> = {}) {
    serial++;
    const { status, body } = await hami.postEvent({
      type: 'purchase',
      id: `bad-${serial}`,
      sendAt: 'now',
      customer: { id: `bad-c-${serial}`, email: `bad${serial}@example.com`, ...customer },
    });
    expect(status).toBe(202);
    const invitationId: string = body.invitations[0].id;
    return { invitationId, url: `${hami.url}/s/${invitationToken(hami.deps.secret, invitationId)}` };
  }
  const responseOf = (invitationId: string) =>
    hami.deps.db.selectFrom('responses').selectAll().where('invitation_id', '=', invitationId).executeTakeFirst();
  const submit = (url: string, body: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
  const session = (body: RequestInit['body'], headers: Record<string, string>) =>
    fetch(`${hami.url}/api/session`, { method: 'POST', headers, body });

  /** Asserts the one error body: status, code, a message naming the field, and the field itself. */
  function expectError(res: { status: number; body: any }, status: number, field?: string) {
    expect(res.status).toBe(status);
    expect(res.body.error.message).toEqual(expect.any(String));
    if (field) {
      expect(res.body.error.field).toBe(field);
      expect(res.body.error.message).toContain(field);
    }
  }

  /** A one-tap value the survey must refuse: a 400 page that says so, and no answer stored. */
  async function refusedTap(value: string) {
    const link = await newLink();
    const res = await fetch(`${link.url}?score=${encodeURIComponent(value)}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Please choose one of the options.');
    expect(html).toContain('id="nps-error"');
    expect(await responseOf(link.invitationId)).toBeUndefined();
  }

  const cases: [string, () => Promise<void>][] = [
    // ——— events API ———
    [
      'events: malformed JSON is a 400 and stores nothing',
      async () => {
        const before = await count('events');
        expectError(await rawEvent('{"type": "purchase", "id": '), 400);
        expect(await count('events')).toBe(before);
      },
    ],
    [
      'events: an oversized body (65 KiB) is a 413 payload_too_large saying how large it may be (more in limits.test.ts)',
      async () => {
        const res = await rawEvent(JSON.stringify({ type: 'purchase', id: 'big', customer: { id: 'big', name: 'x'.repeat(65 * 1024) } }));
        expectError(res, 413);
        expect(res.body.error.code).toBe('payload_too_large');
        expect(res.body.error.message).toContain('64 KiB');
      },
    ],
    [
      'events: a wrong type (customer.id a number) is a 400 naming customer.id',
      async () => {
        expectError(await hami.postEvent({ type: 'purchase', id: 'wrong-type', customer: { id: 42 } }), 400, 'customer.id');
      },
    ],
    [
      'events: a customer.id starting with "erased:" (an erased customer\'s placeholder) is a 400 naming customer.id, nothing stored',
      async () => {
        const before = await count('customers');
        expectError(
          await hami.postEvent({
            type: 'purchase',
            id: 'erased-1',
            customer: { id: 'erased:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', email: 'back@example.com' },
          }),
          400,
          'customer.id',
        );
        expect(await count('customers')).toBe(before);
      },
    ],
    [
      'events: an unknown event type is a 400 naming type',
      async () => {
        expectError(await hami.postEvent({ type: 'refund', id: 'r-1', customer: { id: 'c' } }), 400, 'type');
      },
    ],
    [
      'events: a NUL byte in the customer name is a 400 naming customer.name, nothing stored',
      async () => {
        const before = await count('customers');
        expectError(
          await hami.postEvent({ type: 'purchase', id: 'nul-1', customer: { id: 'nul-c', name: 'Ana\u0000Evil' } }),
          400,
          'customer.name',
        );
        expect(await count('customers')).toBe(before);
      },
    ],
    [
      'events: bytes that are not UTF-8 are a 400, never stored as replacement characters',
      async () => {
        const before = await count('events');
        const bytes = Buffer.concat([
          Buffer.from('{"type":"purchase","id":"utf","customer":{"id":"utf","name":"'),
          Buffer.from([0xc3, 0x28, 0xff]),
          Buffer.from('"}}'),
        ]);
        const res = await rawEvent(bytes);
        expectError(res, 400);
        expect(res.body.error.message).toContain('UTF-8');
        expect(await count('events')).toBe(before);
      },
    ],
    [
      'events: SQL metacharacters in ids and names are stored as plain data',
      async () => {
        const id = "o'; DROP TABLE events;--";
        const res = await hami.postEvent({
          type: 'purchase',
          id,
          customer: { id: 'c" OR 1=1 --', name: "Robert'); DROP TABLE customers;--" },
        });
        expect(res.status).toBe(202);
        const event = await hami.deps.db.selectFrom('events').selectAll().where('external_id', '=', id).executeTakeFirstOrThrow();
        expect(event.external_id).toBe(id);
        const customer = await hami.deps.db
          .selectFrom('customers')
          .select('name')
          .where('external_id', '=', 'c" OR 1=1 --')
          .executeTakeFirstOrThrow();
        expect(customer.name).toBe("Robert'); DROP TABLE customers;--");
        // The tables are still there, with their rows.
        expect(await count('customers')).toBeGreaterThanOrEqual(1);
        expect(await count('events')).toBeGreaterThanOrEqual(1);
      },
    ],
    [
      'events: an unknown API key is a 401',
      async () => {
        const res = await hami.postEvent({ type: 'purchase', id: 'k', customer: { id: 'k' } }, { apiKey: 'not_a_key_0123456789abcdef' });
        expectError(res, 401);
      },
    ],
    [
      'events: JSON sent as a form or text/plain (a cross-site simple request) is refused',
      async () => {
        expectError(
          await rawEvent(JSON.stringify({ type: 'purchase', id: 'plain', customer: { id: 'p' } }), { 'content-type': 'text/plain' }),
          400,
        );
        expect(await hami.deps.db.selectFrom('events').select('id').where('external_id', '=', 'plain').executeTakeFirst()).toBeUndefined();
      },
    ],
    [
      'events: a customer name carrying "\\r\\nBcc:" injects no header: the mail goes to the customer alone',
      async () => {
        const link = await newLink({ email: 'victim@example.com', name: 'Ana\r\nBcc: x@evil.example\r\nX-Injected: yes' });
        const sent = await eventually(() => smtp.mails.find((m) => m.rcptTo.includes('victim@example.com')), 5000);
        expect(sent.rcptTo).toEqual(['victim@example.com']);
        expect(sent.mail.headers.has('bcc')).toBe(false);
        expect(sent.mail.headers.has('x-injected')).toBe(false);
        // The staff alert carries the name in its subject: still no header of its own, and only staff receive it.
        await fetch(`${link.url}?score=1`, { redirect: 'manual' });
        await submit(link.url, 'nps=1&reason=broken');
        const alert = await eventually(() => smtp.mails.find((m) => m.mail.subject?.startsWith('New detractor: Ana')), 5000);
        expect(alert.rcptTo.some((r) => r.includes('evil'))).toBe(false);
        expect(alert.mail.headers.has('bcc')).toBe(false);
        expect(alert.mail.headers.has('x-injected')).toBe(false);
      },
    ],

    // ——— survey page ———
    ['survey: a one-tap score of 11 is refused on the page, nothing stored', () => refusedTap('11')],
    ['survey: a one-tap score of -1 is refused', () => refusedTap('-1')],
    ['survey: a one-tap score of 7.5 is refused', () => refusedTap('7.5')],
    ['survey: a one-tap score of "abc" is refused', () => refusedTap('abc')],
    [
      'survey: a form score of 11 is refused next to the question, nothing stored',
      async () => {
        const link = await newLink();
        const res = await submit(link.url, 'nps=11&reason=hi');
        expect(res.status).toBe(400);
        expect(await res.text()).toContain('id="nps-error"');
        expect(await responseOf(link.invitationId)).toBeUndefined();
      },
    ],
    [
      'survey: Persian digits are the same number (DESIGN.md): ۷ records 7',
      async () => {
        const link = await newLink();
        expect((await fetch(`${link.url}?score=${encodeURIComponent('۷')}`, { redirect: 'manual' })).status).toBe(303);
        expect(await responseOf(link.invitationId)).toMatchObject({ score: 7, bucket: 'passive' });
      },
    ],
    [
      'survey: an empty comment is no comment',
      async () => {
        const link = await newLink();
        expect((await submit(link.url, 'nps=8&reason=')).status).toBe(303);
        expect(await responseOf(link.invitationId)).toMatchObject({ score: 8, comment: null });
      },
    ],
    [
      'survey: a 10,000-character comment is refused as too long, nothing stored',
      async () => {
        const link = await newLink();
        const res = await submit(link.url, `nps=8&reason=${'a'.repeat(10_000)}`);
        expect(res.status).toBe(400);
        const html = await res.text();
        expect(html).toContain('This answer is too long.');
        expect(html).toContain('id="reason-error"');
        expect(await responseOf(link.invitationId)).toBeUndefined();
      },
    ],
    [
      'survey: HTML and script in a comment are stored as typed and escaped on the page',
      async () => {
        const link = await newLink();
        const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
        await submit(link.url, new URLSearchParams({ nps: '9', reason: evil }).toString());
        expect((await responseOf(link.invitationId))!.comment).toBe(evil);
        // The form to change the answer shows the comment again.
        const html = await (await fetch(`${link.url}?change=1`)).text();
        expect(html).not.toContain('<script>alert(1)');
        expect(html).not.toContain('<img src=x');
        expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      },
    ],
    [
      'survey: a NUL byte in a comment is refused next to the field, nothing stored',
      async () => {
        const link = await newLink();
        const res = await submit(link.url, 'nps=8&reason=bad%00text');
        expect(res.status).toBe(400);
        const html = await res.text();
        expect(html).toContain('id="reason-error"');
        expect(html).toContain('characters that cannot be saved');
        expect(await responseOf(link.invitationId)).toBeUndefined();
      },
    ],
    [
      'survey: a comment that is not UTF-8 (%FF) is refused, not stored as replacement characters',
      async () => {
        const link = await newLink();
        const res = await submit(link.url, 'nps=8&reason=caf%C3%28%FF');
        expect(res.status).toBe(400);
        expect(await res.text()).toContain('id="reason-error"');
        expect(await responseOf(link.invitationId)).toBeUndefined();
      },
    ],
    [
      'public link: a NUL byte in the kiosk comment is refused next to the field, nothing stored',
      async () => {
        const before = await count('responses');
        const res = await submit(`${hami.url}/p/post-purchase/receipt`, 'nps=9&reason=x%00y');
        expect(res.status).toBe(400);
        expect(await res.text()).toContain('id="reason-error"');
        expect(await count('responses')).toBe(before);
      },
    ],
    [
      'survey: an unknown token gets the friendly 404 page',
      async () => {
        const res = await fetch(`${hami.url}/s/BBBBBBBBBBBBBBBBBBBBBB?score=9`, { redirect: 'manual' });
        expect(res.status).toBe(404);
        expect(await res.text()).toContain('This survey link does not work');
      },
    ],
    [
      'survey: an expired token gets 410 and takes no answer',
      async () => {
        const link = await newLink();
        await hami.deps.db
          .updateTable('invitations')
          .set({ expires_at: '2026-01-01T00:00:00.000Z' })
          .where('id', '=', link.invitationId)
          .execute();
        expect((await fetch(`${link.url}?score=9`, { redirect: 'manual' })).status).toBe(410);
        expect((await submit(link.url, 'nps=9')).status).toBe(410);
        expect(await responseOf(link.invitationId)).toBeUndefined();
      },
    ],

    // ——— sign-in ———
    [
      'login: malformed JSON is a 400',
      async () => {
        const res = await session('{"email":', { 'content-type': 'application/json' });
        expectError({ status: res.status, body: await res.json() }, 400);
      },
    ],
    [
      'login: a body over 64 KiB is a 413 payload_too_large, before any password is checked (more in limits.test.ts)',
      async () => {
        const res = await session(JSON.stringify({ email: ADMIN.email, password: 'x'.repeat(70 * 1024) }), {
          'content-type': 'application/json',
        });
        const body = await res.json();
        expectError({ status: res.status, body }, 413);
        expect((body as { error: { code: string } }).error.code).toBe('payload_too_large');
      },
    ],
    [
      'login: an email that is not a string is a 400 naming email',
      async () => {
        const res = await session(JSON.stringify({ email: 123, password: 'x' }), { 'content-type': 'application/json' });
        expectError({ status: res.status, body: await res.json() }, 400, 'email');
      },
    ],
    [
      'login: a cross-site POST with no JSON Content-Type (form or text/plain) is refused and signs no one in',
      async () => {
        const before = await count('sessions');
        for (const headers of [{ 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }, {}] as Record<
          string,
          string
        >[]) {
          const res = await session(JSON.stringify({ email: ADMIN.email, password: ADMIN.password }), headers);
          expect(res.status).toBe(415);
          expect(res.headers.get('set-cookie')).toBeNull();
          expect(((await res.json()) as { error: { message: string } }).error.message).toContain('Content-Type: application/json');
        }
        expect(await count('sessions')).toBe(before);
      },
    ],
    [
      'login: a session cookie replayed after logout is a 401',
      async () => {
        const someone = await signIn(hami, ADMIN.email, ADMIN.password);
        expect((await someone.call('DELETE', '/api/session')).status).toBe(204);
        expectError(await someone.call('GET', '/api/callbacks'), 401);
        expectError(
          await someone.call('POST', '/api/users', { email: 'x@example.com', name: 'x', role: 'care', password: 'a long enough password' }),
          401,
        );
      },
    ],

    // ——— staff API ———
    [
      'staff: a change without the CSRF token is a 403',
      async () => {
        const res = await admin.call(
          'POST',
          '/api/users',
          { email: 'nocsrf@example.com', name: 'x', role: 'care', password: 'a long enough password' },
          { csrf: null },
        );
        expectError(res, 403);
        expect(res.body.error.message).toContain('X-CSRF-Token');
      },
    ],
    [
      'staff: a change with a forged CSRF token is a 403 and changes nothing',
      async () => {
        const res = await admin.call(
          'POST',
          '/api/users',
          { email: 'forged@example.com', name: 'x', role: 'care', password: 'a long enough password' },
          { csrf: 'forged-token-value-000000' },
        );
        expectError(res, 403);
        expect(
          await hami.deps.db.selectFrom('users').select('id').where('email', '=', 'forged@example.com').executeTakeFirst(),
        ).toBeUndefined();
      },
    ],
    [
      'staff: the wrong role is a 403 naming the role (every endpoint: the role matrix in care-team.test.ts)',
      async () => {
        const res = await marketing.call('PATCH', '/api/callbacks/any', { status: 'contacted' });
        expectError(res, 403);
        expect(res.body.error.message).toContain('marketing');
        expectError(await marketing.call('GET', '/api/users'), 403);
      },
    ],
    [
      'staff: a wrong type in a callback change is a 400 naming status',
      async () => {
        expectError(await admin.call('PATCH', '/api/callbacks/any', { status: 5 }), 400, 'status');
      },
    ],
    [
      'staff: SQL metacharacters in a query parameter are a 400 naming bucket',
      async () => {
        const res = await marketing.call('GET', `/api/segments/members?bucket=${encodeURIComponent("promoter' OR 1=1 --")}`);
        expectError(res, 400, 'bucket');
      },
    ],
    [
      'staff: HTML in a staff name is kept as data and served as JSON, never as a page',
      async () => {
        const name = '<img src=x onerror=alert(1)>';
        expect(
          (await admin.call('POST', '/api/users', { email: 'html@example.com', name, role: 'care', password: 'a long enough password' }))
            .status,
        ).toBe(201);
        const res = await fetch(`${hami.url}/api/users`, { headers: { cookie: admin.cookie } });
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        const users = ((await res.json()) as { users: { email: string; name: string }[] }).users;
        expect(users.find((u) => u.email === 'html@example.com')?.name).toBe(name);
      },
    ],
    [
      'staff: a comment with HTML and a formula reaches the dashboard API as exact JSON and the CSV export neutralised',
      async () => {
        const link = await newLink({ name: '=cmd|"/c calc"!A1' });
        const comment = '=HYPERLINK("http://evil.example","click") <b>bold</b>';
        expect((await submit(link.url, new URLSearchParams({ nps: '2', reason: comment }).toString())).status).toBe(303);
        const callbacks = await admin.call('GET', '/api/callbacks');
        expect(callbacks.body.items.find((i: { comment: string }) => i.comment === comment)).toBeDefined();
        const csv = await fetch(`${hami.url}/api/segments/members?bucket=detractor&format=csv`, { headers: { cookie: marketing.cookie } });
        const text = await csv.text();
        expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"") <b>bold</b>"`);
        expect(text).not.toMatch(/(^|,)"?=/m);
      },
    ],
    [
      'staff: a webhook URL at loopback, a private range or cloud metadata is a 400 naming url (more in ssrf.test.ts)',
      async () => {
        for (const url of ['http://127.0.0.1:8080/x', 'http://10.0.0.1/x', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/x']) {
          expectError(await admin.call('POST', '/api/webhooks', { url, events: ['response.created'] }), 400, 'url');
        }
      },
    ],
    // Last: it locks this client out of survey links for ten minutes.
    [
      'survey: guessing tokens is rate limited: many unknown links from one client get 429',
      async () => {
        const statuses: number[] = [];
        for (let i = 0; i < 25; i++) statuses.push((await fetch(`${hami.url}/s/Guess${String(i).padStart(17, '0')}`)).status);
        expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
        expect(statuses.at(-1)).toBe(429);
        const blocked = await fetch(`${hami.url}/s/Guess${'9'.repeat(17)}`);
        expect(blocked.status).toBe(429);
        expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await blocked.text()).toContain('Too many');
        clock.advance(11 * 60_000);
        expect((await fetch(`${hami.url}/s/Guess${'9'.repeat(17)}`)).status).toBe(404);
      },
    ],
  ];

  test('the suite holds at least 25 cases', () => expect(cases.length).toBeGreaterThanOrEqual(25));
  test.each(cases)('%s', async (_name, run) => run());
});

describe('bad input: dates and attribute names in filters are understood or refused, never compared as text', () => {
  let hami: TestHami;
  let admin: StaffClient;
  beforeAll(async () => {
    hami = await startTestHami({ clock: new ManualClock('2026-06-01T10:00:00Z') });
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
  });
  afterAll(() => hami.stopAndClean());

  /** The one error body: 400, a message naming the field, and the field itself. */
  function expectRefused(res: { status: number; body: any }, field: string) {
    expect(res.status, `${field}: ${JSON.stringify(res.body)}`).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', field });
    expect(res.body.error.message).toContain(field);
  }
  const event = (id: string, extra: Record<string, unknown>, customer: Record<string, unknown> = {}) =>
    hami.postEvent({ type: 'purchase', id, sendAt: 'now', customer: { id: `c-${id}`, email: `${id}@example.com`, ...customer }, ...extra });

  // A day that does not exist, a month 13 or 0, a year past 9999 (expanded or five digits), a short form, other digits.
  const badDays = [
    '2026-02-30',
    '2026-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '+010000-01-01',
    '10000-01-01',
    '2026-1-01',
    '۲۰۲۶-۰۱-۰۱',
  ];

  test.each(badDays)('%s is refused as a day by every filter that takes one, naming the field', async (day) => {
    const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
    expectRefused(await admin.call('GET', `/api/metrics/nps?${q({ from: day, to: '2026-06-01' })}`), 'from');
    expectRefused(await admin.call('GET', `/api/metrics/summary?${q({ from: '2026-01-01', to: day })}`), 'to');
    expectRefused(await admin.call('GET', `/api/segments/count?${q({ from: day })}`), 'from');
    expectRefused(await admin.call('GET', `/api/segments/members?${q({ to: day, format: 'csv' })}`), 'to');
    expectRefused(await admin.call('GET', `/api/callbacks/metrics?${q({ from: day })}`), 'from');
    expectRefused(await admin.call('POST', '/api/segments', { name: `from ${day}`, filter: { from: day } }), 'filter.from');
    expect((await admin.call('GET', '/api/segments')).body.items).toEqual([]);
  });

  test.each([
    '2026-02-30T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '+010000-01-01T00:00:00Z',
    '10000-01-01T00:00:00Z',
    '9999-12-31T23:00:00-05:00',
  ])('%s is refused as an instant in an event and a consent record, naming the field', async (instant) => {
    const id = `when-${badDays.length}-${instant.replace(/\W/g, '')}`;
    expectRefused(await event(id, { occurredAt: instant }), 'occurredAt');
    expectRefused(await event(id, { sendAt: instant }), 'sendAt');
    expectRefused(await event(id, {}, { consent: { surveys: true, at: instant } }), 'customer.consent.at');
    expect(await hami.deps.db.selectFrom('events').select('id').where('external_id', '=', id).execute()).toEqual([]);
  });

  test('a leap day and the last day of year 9999 are real days, and a range ending on 9999-12-31 holds what it should', async () => {
    expect((await admin.call('GET', '/api/metrics/summary?from=2024-02-29&to=2024-03-01')).status).toBe(200);
    // A promoter's answer and a detractor's (with its case) today, 2026-06-01.
    for (const [id, score] of [
      ['far-1', 9],
      ['far-2', 2],
    ] as const) {
      const posted = await event(id, {});
      expect(posted.status).toBe(202);
      const token = invitationToken(hami.deps.secret, posted.body.invitations[0].id);
      expect(
        (await fetch(`${hami.url}/s/${token}`, { method: 'POST', body: new URLSearchParams({ nps: String(score) }), redirect: 'manual' }))
          .status,
      ).toBe(303);
    }
    await eventually(async () => (await hami.deps.db.selectFrom('callback_cases').select('id').execute()).length === 1);
    expect((await admin.call('GET', '/api/segments/count')).body.count).toBe(2);
    expect((await admin.call('GET', '/api/segments/count?from=2024-02-29&to=9999-12-31')).body.count).toBe(2);
    expect((await admin.call('GET', '/api/segments/members?to=9999-12-31')).body.total).toBe(2);
    const loop = await admin.call('GET', '/api/callbacks/metrics?from=2026-01-01&to=9999-12-31');
    expect(loop.status).toBe(200);
    expect(loop.body.opened).toBe(1);
    expect((await admin.call('GET', '/api/metrics/nps?from=9997-01-01&to=9999-12-31&interval=month')).status).toBe(200);
  });

  const badNames: [string, string][] = [
    ['NUL', '\u0000'],
    ['a NUL inside', 'city\u0000x'],
    ['empty', ''],
    ['an escape sequence', 'a\u001b[31m'],
    ['a newline', 'a\nb'],
    ['DEL', 'a\u007f'],
    ['a C1 control', 'a\u0085'],
    ['a quote', 'a"b'],
    ['a backslash', 'a\\b'],
    ['65 characters', 'x'.repeat(65)],
    ['10,000 characters', 'y'.repeat(10_000)],
    // zod and plain objects drop a __proto__ key unseen: the filter would be no filter and match everyone.
    ['the name __proto__', '__proto__'],
  ];

  test.each(badNames)('an attribute name with %s is refused by every filter, naming attr.NAME', async (_what, name) => {
    const param = `attr.${name}`;
    const attr = `${encodeURIComponent(param)}=1`;
    expectRefused(await admin.call('GET', `/api/metrics/summary?from=2026-01-01&to=2026-06-01&${attr}`), param);
    expectRefused(await admin.call('GET', `/api/metrics/nps?from=2026-01-01&to=2026-06-01&${attr}`), param);
    expectRefused(await admin.call('GET', `/api/segments/count?${attr}`), param);
    expectRefused(await admin.call('GET', `/api/segments/members?format=json&${attr}`), param);
    expectRefused(await admin.call('GET', `/api/callbacks?${attr}`), param);
    const saved = await admin.call('POST', '/api/segments', { name: 'by attribute', filter: { attributes: { [name]: '1' } } });
    expect(saved.status).toBe(400);
    expect(saved.body.error.field).toBe(`filter.attributes.${name}`);
    expect((await admin.call('GET', '/api/segments')).body.items).toEqual([]);
  });

  test('an event or customer attribute named __proto__ is refused by name; constructor and toString are kept and filter exactly', async () => {
    const protoKeyed = { ['__proto__']: 'x' }; // a computed key: an own property, sent as JSON
    expectRefused(await event('proto-1', { attributes: protoKeyed }), 'attributes.__proto__');
    expectRefused(await event('proto-2', {}, { attributes: protoKeyed }), 'customer.attributes.__proto__');
    expect(await hami.deps.db.selectFrom('events').select('id').where('external_id', 'in', ['proto-1', 'proto-2']).execute()).toEqual([]);

    // A detractor whose event carries `constructor`, and so a callback case.
    const posted = await event('ctor-1', { attributes: { constructor: 'wood' } });
    expect(posted.status).toBe(202);
    const token = invitationToken(hami.deps.secret, posted.body.invitations[0].id);
    expect(
      (await fetch(`${hami.url}/s/${token}`, { method: 'POST', body: new URLSearchParams({ nps: '1' }), redirect: 'manual' })).status,
    ).toBe(303);
    await eventually(async () => (await hami.deps.db.selectFrom('callback_cases').select('id').execute()).length >= 1);
    const cases = (query: string) => admin.call('GET', `/api/callbacks?${query}`).then((res) => res.body.items.length as number);
    expect((await admin.call('GET', '/api/segments/count?attr.constructor=wood')).body.count).toBe(1);
    expect(await cases('attr.constructor=wood')).toBe(1);
    // Names every object inherits match only an attribute of that name, never the inherited function's text.
    expect(await cases(new URLSearchParams({ 'attr.toString': String(Object.prototype.toString) }).toString())).toBe(0);
    expect(await cases(new URLSearchParams({ 'attr.constructor': String(Object) }).toString())).toBe(0);
    expect((await admin.call('GET', '/api/segments/count?attr.toString=x')).body.count).toBe(0);
  });

  test('an attribute value with a NUL is refused naming attr.NAME; names with spaces and Persian letters filter as usual', async () => {
    expectRefused(await admin.call('GET', '/api/segments/count?attr.city=%00'), 'attr.city');
    expectRefused(await admin.call('GET', '/api/metrics/summary?from=2026-01-01&to=2026-06-01&attr.city=a%00'), 'attr.city');
    expect((await event('attr-ok', { attributes: { 'شهر من': 'تهران' } })).status).toBe(202);
    const name = encodeURIComponent('attr.شهر من');
    expect((await admin.call('GET', `/api/segments/count?${name}=${encodeURIComponent('تهران')}`)).status).toBe(200);
    expect((await admin.call('GET', `/api/metrics/summary?from=2026-01-01&to=2026-06-01&${name}=x`)).status).toBe(200);
    expect((await admin.call('GET', `/api/callbacks?${name}=x`)).status).toBe(200);
  });
});

describe('customer text that cannot be stored is refused on every path that takes it, never a 500', () => {
  let hami: TestHami;
  let serial = 0;
  beforeAll(async () => {
    hami = await startTestHami({
      clock: new ManualClock('2026-06-01T10:00:00Z'),
      env: { HAMI_THROTTLE_DAYS: '0', HAMI_QUIET_HOURS: 'off' },
    });
  });
  afterAll(() => hami.stopAndClean());

  const count = async (table: 'events' | 'customers' | 'responses' | 'inbound_messages') =>
    Number(
      (
        await hami.deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  // `any`: an error body, asserted by shape.
  const send = (path: string, body: RequestInit['body'], contentType?: string, auth = true) =>
    fetch(`${hami.url}${path}`, {
      method: 'POST',
      headers: { ...(auth ? { authorization: `Bearer ${TEST_API_KEY}` } : {}), ...(contentType ? { 'content-type': contentType } : {}) },
      body,
      redirect: 'manual',
    }).then(async (r) => ({ status: r.status, text: await r.text() }));
  const errorOf = (res: { text: string }) => (JSON.parse(res.text) as { error: { code: string; message: string; field?: string } }).error;
  async function surveyLink() {
    serial++;
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: `text-${serial}`,
      sendAt: 'now',
      customer: { id: `text-c-${serial}`, email: `text${serial}@example.com` },
    });
    const invitationId: string = body.invitations[0].id;
    return { invitationId, path: `/s/${invitationToken(hami.deps.secret, invitationId)}` };
  }
  /** A multipart form whose `reason` field carries `reason` bytes exactly. */
  function multipart(fields: Record<string, string | Buffer>): { body: Buffer; type: string } {
    const boundary = '----hami-test-boundary';
    const parts = Object.entries(fields).map(([name, value]) =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
        Buffer.isBuffer(value) ? value : Buffer.from(value),
        Buffer.from('\r\n'),
      ]),
    );
    return { body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), type: `multipart/form-data; boundary=${boundary}` };
  }
  const notUtf8 = Buffer.concat([Buffer.from('bad '), Buffer.from([0xc3, 0x28, 0xed, 0xa0, 0x80])]);

  test.each([
    [
      'a lone high surrogate in customer.name',
      '{"type":"purchase","id":"ls-1","customer":{"id":"ls","name":"Ana\\ud800"}}',
      'customer.name',
    ],
    [
      'a lone low surrogate in an attribute value',
      '{"type":"purchase","id":"ls-2","customer":{"id":"ls"},"attributes":{"note":"\\udc00x"}}',
      'attributes.note',
    ],
    [
      'a lone surrogate in an attribute name',
      '{"type":"purchase","id":"ls-3","customer":{"id":"ls"},"attributes":{"\\ud83d":"x"}}',
      'attributes.\ud83d',
    ],
  ])('events API: %s is a 400 naming the field, nothing stored', async (_label, json, field) => {
    const before = await count('events');
    const res = await send('/api/v1/events', json, 'application/json');
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'invalid_input', field });
    expect(errorOf(res).message).toContain('lone surrogate');
    expect(await count('events')).toBe(before);
  });

  test('a surrogate pair written as two escapes ("\\ud83d\\ude00", an emoji) is fine', async () => {
    const res = await send(
      '/api/v1/events',
      '{"type":"purchase","id":"pair-1","customer":{"id":"pair","name":"Ana \\ud83d\\ude00"}}',
      'application/json',
    );
    expect(res.status).toBe(202);
    expect(
      (await hami.deps.db.selectFrom('customers').select('name').where('external_id', '=', 'pair').executeTakeFirstOrThrow()).name,
    ).toBe('Ana 😀');
  });

  test('sign-in: a lone surrogate in the email is a 400, not a lookup', async () => {
    const res = await send('/api/session', '{"email":"a\\ud800@example.com","password":"x"}', 'application/json', false);
    expect(res.status).toBe(400);
    expect(errorOf(res).field).toBe('email');
  });

  test('deeply nested JSON is a 400, not a stack overflow: 10,000 levels in an event, 100,000 in a shop hook', async () => {
    const nest = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const event = await send(
      '/api/v1/events',
      `{"type":"purchase","id":"deep","customer":{"id":"deep","attributes":{"x":${nest(10_000)}}}}`,
      'application/json',
    );
    expect(event.status).toBe(400);
    expect(errorOf(event)).toMatchObject({ code: 'invalid_json' });
    expect(errorOf(event).message).toContain('64 levels');
    const hook = await send('/api/v1/hooks/shop', `{"order":{"id":1,"line_items":${nest(100_000)}}}`, 'application/json');
    expect(hook.status).toBe(400);
    expect(errorOf(hook).code).toBe('invalid_json');
    // Objects nest the same way.
    const objects = await send('/api/v1/events', `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`, 'application/json');
    expect(objects.status).toBe(400);
    // Brackets inside strings are text, not nesting.
    const inString = await send(
      '/api/v1/events',
      JSON.stringify({ type: 'purchase', id: 'brackets', customer: { id: 'brackets', name: '['.repeat(150) } }),
      'application/json',
    );
    expect(inString.status).toBe(202);
  });

  test.each([
    ['bytes that are not UTF-8', notUtf8],
    ['a NUL character', Buffer.from('before\u0000after')],
  ])('survey page, multipart form: %s in the comment is a 400 page and nothing is stored', async (_label, reason) => {
    const link = await surveyLink();
    const form = multipart({ nps: '3', reason });
    const res = await send(link.path, form.body, form.type, false);
    expect(res.status).toBe(400);
    expect(res.text).toContain('This answer has characters that cannot be saved.');
    expect(
      await hami.deps.db.selectFrom('responses').select('id').where('invitation_id', '=', link.invitationId).executeTakeFirst(),
    ).toBeUndefined();
  });

  test.each([
    ['\\xff\\xfe', Buffer.from([0xff, 0xfe])],
    ['an overlong NUL (\\xc0\\x80)', Buffer.from([0xc0, 0x80])],
    ['an encoded surrogate (\\xed\\xa0\\x80)', Buffer.from([0xed, 0xa0, 0x80])],
  ])(
    'survey page, url-encoded form: raw bytes that are not UTF-8 (%s) in the comment are a 400 page and nothing is stored',
    async (_label, bytes) => {
      const link = await surveyLink();
      const res = await send(link.path, Buffer.concat([Buffer.from('nps=3&reason='), bytes]), 'application/x-www-form-urlencoded', false);
      expect(res.status).toBe(400);
      expect(res.text).toContain('This answer has characters that cannot be saved.');
      expect(
        await hami.deps.db.selectFrom('responses').select('id').where('invitation_id', '=', link.invitationId).executeTakeFirst(),
      ).toBeUndefined();
    },
  );

  test('survey page, url-encoded form: raw UTF-8 text (not percent-encoded) is taken as it is', async () => {
    const link = await surveyLink();
    expect((await send(link.path, Buffer.from('nps=8&reason=خوب 😀', 'utf8'), 'application/x-www-form-urlencoded', false)).status).toBe(
      303,
    );
    expect(
      await hami.deps.db.selectFrom('responses').select('comment').where('invitation_id', '=', link.invitationId).executeTakeFirst(),
    ).toEqual({ comment: 'خوب 😀' });
  });

  test('survey page, multipart form: good text in several scripts is taken as it is', async () => {
    const link = await surveyLink();
    const form = multipart({ nps: '9', reason: 'خیلی خوب — très bien 😀' });
    expect((await send(link.path, form.body, form.type, false)).status).toBe(303);
    expect(
      await hami.deps.db
        .selectFrom('responses')
        .select(['score', 'comment'])
        .where('invitation_id', '=', link.invitationId)
        .executeTakeFirst(),
    ).toEqual({ score: 9, comment: 'خیلی خوب — très bien 😀' });
  });

  test.each([
    ['url-encoded, a NUL', 'nps=2&reason=a%00b', 'application/x-www-form-urlencoded'],
    ['url-encoded, bytes that are not UTF-8', 'nps=2&reason=%C3%28', 'application/x-www-form-urlencoded'],
    ['url-encoded, an encoded surrogate', 'nps=2&reason=%ED%A0%80', 'application/x-www-form-urlencoded'],
    ['url-encoded, raw bytes that are not UTF-8', Buffer.from('nps=2&reason=\xff\xfe', 'latin1'), 'application/x-www-form-urlencoded'],
    ['multipart, bytes that are not UTF-8', multipart({ nps: '2', reason: notUtf8 }).body, multipart({}).type],
  ])('public link: %s is a 400 page and no anonymous answer is stored', async (_label, body, type) => {
    const before = await count('responses');
    const res = await send('/p/post-purchase/receipt', body, type, false);
    expect(res.status).toBe(400);
    expect(res.text).toContain('This answer has characters that cannot be saved.');
    expect(await count('responses')).toBe(before);
  });

  test('a NUL, a lone surrogate or bytes that are not UTF-8 in an API path or query is a 400 naming it, never a 500', async () => {
    const admin = await signIn(hami, ADMIN.email, ADMIN.password);
    const requests: Array<[string, string, string]> = [
      ['GET', '/api/customers/a%00b/timeline', 'path'],
      ['GET', '/api/customers/a%00b/export', 'path'],
      ['POST', '/api/customers/a%00b/erase', 'path'],
      ['PATCH', '/api/callbacks/a%00b', 'path'],
      ['GET', '/api/callbacks?survey=a%00b', 'survey'],
      ['GET', '/api/callbacks?owner=%ED%A0%80', 'owner'],
      ['GET', '/api/segments/a%00', 'path'],
      ['GET', '/api/webhooks/a%00b/deliveries', 'path'],
      ['PATCH', '/api/webhooks/a%00b', 'path'],
      ['POST', '/api/webhooks/deliveries/a%00b/resend', 'path'],
      ['GET', '/api/customers/%FF/timeline', 'path'],
      ['GET', '/api/metrics/comments?survey=%00', 'survey'],
    ];
    for (const [method, path, field] of requests) {
      const res = await fetch(`${hami.url}${path}`, {
        method,
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : '{}',
      });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 400 });
      expect(((await res.json()) as { error: { field?: string } }).error.field).toBe(field);
    }
  });

  test.each([
    ['JSON with a lone surrogate', '{"from":"+989121112233","text":"\\ud800"}', 'application/json', 'text'],
    ['JSON with a NUL', '{"from":"+989121112233","text":"9\\u0000"}', 'application/json', 'text'],
    [
      'JSON that is not UTF-8',
      Buffer.concat([Buffer.from('{"from":"+989121112233","text":"'), Buffer.from([0xff]), Buffer.from('"}')]),
      'application/json',
      undefined,
    ],
    [
      'a form with a NUL (Kavenegar and Twilio post forms)',
      'from=%2B989121112233&text=STOP%00',
      'application/x-www-form-urlencoded',
      'text',
    ],
    ['a form that is not UTF-8', 'from=%2B989121112233&text=%FF', 'application/x-www-form-urlencoded', 'text'],
    [
      'a form with raw bytes that are not UTF-8',
      Buffer.from('from=%2B989121112233&text=\xff\xfe', 'latin1'),
      'application/x-www-form-urlencoded',
      'text',
    ],
    ['a query string with a NUL (gateways that call with GET)', '', undefined, 'text'],
  ])('SMS reply webhook: %s is a 400, nothing stored or suppressed', async (label, body, type, field) => {
    const url = smsWebhookUrls(hami.url, hami.deps.secret).inbound;
    const before = await count('inbound_messages');
    const res = label.startsWith('a query')
      ? await fetch(`${url}?from=%2B989121112233&text=STOP%00`).then(async (r) => ({ status: r.status, text: await r.text() }))
      : await fetch(url, { method: 'POST', headers: type ? { 'content-type': type } : {}, body }).then(async (r) => ({
          status: r.status,
          text: await r.text(),
        }));
    expect(res.status).toBe(400);
    if (field) expect(errorOf(res).field).toBe(field);
    expect(await count('inbound_messages')).toBe(before);
    expect(
      await hami.deps.db.selectFrom('suppressions').select('address').where('address', '=', '+989121112233').executeTakeFirst(),
    ).toBeUndefined();
  });
});
