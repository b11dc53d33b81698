import { Hono } from 'hono';
import { afterEach, describe, expect, test } from 'vitest';
import { invitationToken } from '../../server/delivery/tokens.js';
import { apiErrorResponse } from '../../server/http/errors.js';
import { loggedRoute, requestLog } from '../../server/http/request-log.js';
import { createLogger, redact } from '../../server/log.js';
import { startFaultySmtpServer, type FaultySmtpServer } from '../helpers/faulty-smtp.js';
import { eventually, startTestHami, TEST_API_KEY, type TestHami } from '../helpers/hami.js';
import { ADMIN, signIn } from '../helpers/staff.js';

/** One logfmt line as key → value (quoted values unquoted). */
function fieldsOf(line: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of line.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    fields[match[1]!] = match[2]!.startsWith('"') ? (JSON.parse(match[2]!) as string) : match[2]!;
  }
  return fields;
}

describe('logs: one structured line per request and per job, with no secrets or contact details', () => {
  let hami: TestHami | undefined;
  let smtp: FaultySmtpServer | undefined;
  afterEach(async () => {
    await hami?.stopAndClean();
    await smtp?.close();
    hami = smtp = undefined;
  });

  test('a survey answer, a login, an API-key call, an event with email and phone, and jobs leave lines that say what happened and nothing private', async () => {
    const lines: string[] = [];
    smtp = await startFaultySmtpServer();
    smtp.refuse.set('gone@example.com', 550);
    hami = await startTestHami({ smtpUrl: smtp.url, log: createLogger((line) => lines.push(line)) });

    // An event with email and phone, posted with the bootstrap API key, sent by the worker over SMTP.
    const customer = { id: 'cust-7', email: 'sara.ahmadi@example.com', phone: '+989121234567', name: 'Sara Ahmadi' };
    const posted = await fetch(`${hami.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json', 'x-request-id': 'shop-req-42' },
      body: JSON.stringify({ type: 'purchase', id: 'o-1', sendAt: 'now', customer }),
    });
    expect(posted.status).toBe(202);
    expect(posted.headers.get('x-request-id')).toBe('shop-req-42');
    const invitationId: string = ((await posted.json()) as { invitations: { id: string }[] }).invitations[0]!.id;
    await smtp.waitForAccepted(1);

    // The customer answers: a one-tap link, then the form with a comment.
    const token = invitationToken(hami.deps.secret, invitationId);
    expect((await fetch(`${hami.url}/s/${token}?score=3`)).status).toBe(200);
    const form = await fetch(`${hami.url}/s/${token}`, {
      method: 'POST',
      body: new URLSearchParams({ nps: '2', reason: 'call me on +989121234567' }),
      redirect: 'manual',
    });
    expect(form.status).toBe(303);

    // Staff: a failed login, a login, a session call, an API key made and used.
    const wrong = await fetch(`${hami.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN.email, password: 'not the password' }),
    });
    expect(wrong.status).toBe(401);
    const admin = await signIn(hami, ADMIN.email, ADMIN.password);
    expect((await admin.call('GET', '/api/callbacks')).status).toBe(200);
    const made = await admin.call('POST', '/api/keys', { name: 'shop' });
    expect(made.status).toBe(201);
    const apiKey: string = made.body.key;
    const second = await hami.postEvent(
      { type: 'purchase', id: 'o-2', sendAt: 'now', customer: { id: 'cust-8', email: 'gone@example.com', phone: '+14155550123' } },
      { apiKey },
    );
    expect(second.status).toBe(202);
    // Refused with the address quoted in the mail server's answer; it falls back to SMS (dev outbox).
    await eventually(() => lines.filter((l) => /msg="job" name=invitation\.send .*outcome=done/.test(l)).length === 2);
    expect(lines.find((l) => l.includes('falling back to the next channel'))).toContain('550 5.1.1 <[email]>');
    // A path that matches no route, carrying something token-like.
    expect((await fetch(`${hami.url}/s/${token}/nothing/here`)).status).toBe(404);

    const requests = lines.map(fieldsOf).filter((f) => f.msg === 'request');
    const seen = requests.map((f) => `${f.method} ${f.route} ${f.status}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        'POST /api/v1/events 202',
        'GET /s/:token 200',
        'POST /s/:token 303',
        'POST /api/session 401',
        'POST /api/session 200',
        'GET /api/callbacks 200',
        'POST /api/keys 201',
        'GET /s/:masked/nothing/here 404',
      ]),
    );
    for (const request of requests) {
      expect(Number(request.ms)).toBeGreaterThanOrEqual(0);
      expect(request.request).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    }
    expect(requests.find((f) => f.route === '/api/v1/events' && f.request === 'shop-req-42')).toBeDefined();

    const jobs = lines.map(fieldsOf).filter((f) => f.msg === 'job');
    const send = jobs.find((f) => f.name === 'invitation.send' && f.outcome === 'done');
    expect(send).toMatchObject({ attempt: '1', outcome: 'done' });
    expect(send!.job).toMatch(/\S/);
    expect(Number(send!.ms)).toBeGreaterThanOrEqual(0);

    const cookieValue = admin.cookie.split('=').slice(1).join('=');
    const secrets = [
      token,
      TEST_API_KEY,
      apiKey,
      ADMIN.password,
      'not the password',
      cookieValue,
      admin.csrfToken,
      hami.deps.secret,
      'sara.ahmadi@example.com',
      'gone@example.com',
      ADMIN.email,
      '+989121234567',
      '989121234567',
      '09121234567',
      '+14155550123',
      'Sara Ahmadi',
      'call me',
    ];
    const all = lines.join('\n');
    for (const secret of secrets) expect(all, `the log shows ${secret}`).not.toContain(secret);
    expect(lines.length).toBeGreaterThan(12);
  });
});

describe('logs: a request line names the route that answered and cannot be forged from the path', () => {
  let hami: TestHami | undefined;
  afterEach(async () => {
    await hami?.stopAndClean();
    hami = undefined;
  });

  test('each area logs its own route pattern, whether its handler or a guard in front of it answered, and a path full of control characters stays one escaped line', async () => {
    const lines: string[] = [];
    hami = await startTestHami({ log: createLogger((line) => lines.push(line)) });
    const admin = await signIn(hami, ADMIN.email, ADMIN.password);
    const token = 'AbCdEfGhIjKlMnOpQrStUv';
    const asked: [string, () => Promise<number>][] = [
      // A fixed route registered before a parameter route that also matches it.
      ['GET /api/segments/members', async () => (await admin.call('GET', '/api/segments/members')).status],
      ['GET /api/callbacks/metrics', async () => (await admin.call('GET', '/api/callbacks/metrics')).status],
      // Answered by a guard (sign-in, API key) mounted as middleware in front of the handler.
      ['GET /api/metrics/nps', async () => (await fetch(`${hami!.url}/api/metrics/nps`)).status],
      ['GET /api/callbacks/:id', async () => (await fetch(`${hami!.url}/api/callbacks/${token}`)).status],
      ['POST /api/v1/hooks/shop', async () => (await fetch(`${hami!.url}/api/v1/hooks/shop`, { method: 'POST' })).status],
      ['POST /api/v1/events', async () => (await fetch(`${hami!.url}/api/v1/events`, { method: 'POST' })).status],
      // Areas mounted at '/': customer pages, gateway hooks, opt-out.
      ['GET /s/:token', async () => (await fetch(`${hami!.url}/s/${token}`)).status],
      ['GET /p/:surveyId/:linkId', async () => (await fetch(`${hami!.url}/p/nps/${token}`)).status],
      ['GET /r/:token/stop', async () => (await fetch(`${hami!.url}/r/${token}/stop`)).status],
      ['POST /hooks/sms/:key/status', async () => (await fetch(`${hami!.url}/hooks/sms/${token}/status`, { method: 'POST' })).status],
    ];
    const statuses = new Map<string, number>();
    for (const [expected, ask] of asked) statuses.set(expected, await ask());
    // ESC sequences that would clear and recolour a terminal, CR/LF that would start a forged line, NUL, DEL, a C1
    // control, a line separator and a right-to-left override.
    const forged = await fetch(
      `${hami.url}/x%1b%5b2J%1b%5b31m%0d%0alevel=info%20msg=%22request%22%20route=/forged%00%7f%c2%9b%e2%80%a8%e2%80%ae`,
    );
    expect(forged.status).toBe(404);

    const requests = lines.map(fieldsOf).filter((f) => f.msg === 'request');
    for (const [expected] of asked) {
      const [method, route] = expected.split(' ');
      expect(
        requests.find((f) => f.method === method && f.route === route && f.status === String(statuses.get(expected))),
        `${expected} is logged by its route`,
      ).toBeDefined();
    }
    for (const f of requests) expect(f.route, 'no mount pattern is logged as the route').not.toMatch(/\*/);
    expect(lines.join('\n')).not.toContain(token);

    for (const line of lines)
      expect(line, 'a log line carries no control or reordering character').not.toMatch(
        /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/,
      );
    const line = lines.find((l) => l.includes('route="/x'))!;
    expect(line).toContain(
      'route="/x\\u001b[2J\\u001b[31m\\r\\nlevel=info msg=\\"request\\" route=/forged\\u0000\\u007f\\u009b\\u2028\\u202e"',
    );
    expect(fieldsOf(line).route).toBe('/x\u001b[2J\u001b[31m\r\nlevel=info msg="request" route=/forged\u0000\u007f\u009b\u2028\u202e');
    expect(lines.map(fieldsOf).filter((f) => f.route === '/forged')).toEqual([]);
  });
});

describe('what a log line may not carry', () => {
  test.each([
    ['550 5.1.1 <sara.ahmadi@example.com>: no such user', '550 5.1.1 <[email]>: no such user'],
    ['Kavenegar refused receptor 09121234567', 'Kavenegar refused receptor [phone]'],
    ['to +989121234567 and +14155550123', 'to [phone] and [phone]'],
    ['key hami_AbCdEf0123456789xyz revoked', 'key [api-key] revoked'],
    ['sent Authorization: Bearer abc.def-123', 'sent Authorization: Bearer [redacted]'],
  ])('%s is written as %s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  test.each([
    '2026-02-01T13:00:00.000Z',
    '01a20a2a-7f29-7658-b0f7-4a86dffb4515',
    'job will run again in 15000 ms',
    'http://localhost:3000/app/',
  ])('%s is left as it is', (text) => {
    expect(redact(text)).toBe(text);
  });

  test('a request is logged by its route pattern; with none, every token-like segment is masked', () => {
    const routes = [
      { method: 'ALL', path: '/*' },
      { method: 'GET', path: '/s/:token' },
    ];
    expect(loggedRoute('/s/AbCdEfGhIjKlMnOpQrStUv', routes)).toBe('/s/:token');
    expect(loggedRoute('/hooks/sms/AbCdEfGhIjKlMnOpQrStUv/status', [{ method: 'ALL', path: '/*' }])).toBe('/hooks/sms/:masked/status');
    expect(loggedRoute('/app/callbacks', [{ method: 'GET', path: '/app/*' }])).toBe('/app/callbacks');
  });

  test('the route named is the first handler from where the request stopped, not the last that matches', () => {
    const routes = [
      { method: 'ALL', path: '/*' },
      { method: 'ALL', path: '/api/segments/*' },
      { method: 'GET', path: '/api/segments/members' },
      { method: 'GET', path: '/api/segments/:id' },
    ];
    expect(loggedRoute('/api/segments/members', routes, 2)).toBe('/api/segments/members');
    // A sign-in guard at index 1 answered 401: the handler it stood in front of.
    expect(loggedRoute('/api/segments/members', routes, 1)).toBe('/api/segments/members');
    expect(loggedRoute('/api/segments/members', routes, 3)).toBe('/api/segments/:id');
  });

  test('a failure in a guard or a handler of an area mounted at / is logged with the route, not the mount pattern', async () => {
    const lines: string[] = [];
    const log = createLogger((line) => lines.push(line));
    const area = new Hono();
    area.use('/api/things/*', async (c, next) => {
      if (c.req.query('guard') === 'fail') throw new Error('guard broke');
      await next();
    });
    area.get('/api/things/:id', () => {
      throw new Error('handler broke');
    });
    const app = new Hono();
    app.use(requestLog({ log }));
    app.route('/', area);
    app.onError((error, c) => apiErrorResponse(error, c, log));
    expect((await app.request('/api/things/1?guard=fail')).status).toBe(500);
    expect((await app.request('/api/things/2')).status).toBe(500);
    const failed = lines.map(fieldsOf).filter((f) => f.msg === 'request failed' || f.msg === 'request');
    expect(failed.map((f) => `${f.msg} ${f.route} ${f.error ?? f.status}`)).toEqual([
      'request failed /api/things/:id guard broke',
      'request /api/things/:id 500',
      'request failed /api/things/:id handler broke',
      'request /api/things/:id 500',
    ]);
  });

  test('a control character in any value is written escaped, inside quotes', () => {
    const lines: string[] = [];
    createLogger((line) => lines.push(line)).info('odd \u001b[31m', { path: '/a\u0007b', other: 'c\u202ed', plain: 'fine' });
    expect(lines).toEqual(['level=info msg="odd \\u001b[31m" path="/a\\u0007b" other="c\\u202ed" plain=fine']);
  });
});
