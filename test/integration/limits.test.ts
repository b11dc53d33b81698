import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { invitationToken } from '../../server/delivery/tokens.js';
import { limitersOf } from '../../server/limits/limiters.js';
import { ManualClock, MINUTE } from '../helpers/clock.js';
import { startTestHami, TEST_API_KEY, type TestHami } from '../helpers/hami.js';
import { ADMIN, signIn, type StaffClient } from '../helpers/staff.js';

/** The test talks to the server over loopback; with these as trusted proxies it can pose as any client through X-Forwarded-For. */
const LOOPBACK_PROXIES = '127.0.0.1,::1';
const KIOSK = '/p/post-purchase/store-tehran';
const UNKNOWN_TOKEN = (n: number) => `Guess${String(n).padStart(17, '0')}`;

/** POST /api/session as `client` (an X-Forwarded-For value; none: the loopback connection itself). */
async function signInAs(hami: TestHami, email: string, password: string, client?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (client) headers['x-forwarded-for'] = client;
  const res = await fetch(`${hami.url}/api/session`, { method: 'POST', headers, body: JSON.stringify({ email, password }) });
  await res.arrayBuffer();
  return { status: res.status, retryAfter: res.headers.get('retry-after') };
}

const from = (client: string, init: RequestInit = {}): RequestInit => ({
  redirect: 'manual',
  ...init,
  headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': client },
});

/**
 * One raw request with a body of `bytes` bytes, written in 64 KiB pieces as the server takes them, stopped as
 * soon as the server answers. `chunked`: no Content-Length. Resolves with the status and the answer's text
 * (status 0 if the server closed the connection before answering).
 */
function hugeBody(
  url: string,
  path: string,
  bytes: number,
  chunked: boolean,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const piece = Buffer.alloc(64 * 1024, 0x61);
  return new Promise((resolve) => {
    let answered = false;
    const req = http.request(`${url}${path}`, {
      agent: false, // a connection of its own: the server closes it after the 413
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': String(bytes) }), ...headers },
    });
    req.on('response', (res) => {
      answered = true;
      const parts: Buffer[] = [];
      const done = () => {
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') });
        req.destroy();
      };
      res.on('data', (p: Buffer) => parts.push(p));
      res.on('end', done);
      res.on('close', done); // the server may close the connection on the rest of the body: the answer came first
    });
    req.on('error', () => {
      if (!answered) resolve({ status: 0, text: '' });
    });
    let sent = 0;
    const write = () => {
      while (!answered && !req.destroyed && sent < bytes) {
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', write);
      }
      if (!answered && !req.destroyed) req.end();
    };
    write();
  });
}

/** How far the process's memory (RSS or array buffers, whichever grew more) rose at its peak while `work` ran. */
async function peakMemoryGrowth(work: () => Promise<void>): Promise<number> {
  const before = process.memoryUsage();
  let peak = 0;
  const sample = setInterval(() => {
    const now = process.memoryUsage();
    peak = Math.max(peak, now.rss - before.rss, now.arrayBuffers - before.arrayBuffers);
  }, 10);
  try {
    await work();
  } finally {
    clearInterval(sample);
  }
  return peak;
}

describe('request body limits', () => {
  let hami: TestHami;
  beforeAll(async () => {
    hami = await startTestHami();
  });
  afterAll(() => hami.stopAndClean());

  test('a JSON body over 64 KiB is refused with 413 payload_too_large on every API route, signed in or not, by its stated length and when sent in chunks', async () => {
    const big = 70 * 1024;
    for (const path of ['/api/session', '/api/v1/events', '/api/users', '/api/segments', '/api/webhooks']) {
      for (const chunked of [false, true]) {
        const { status, text } = await hugeBody(hami.url, path, big, chunked);
        expect({ path, chunked, status }).toEqual({ path, chunked, status: 413 });
        expect(JSON.parse(text)).toEqual({ error: { code: 'payload_too_large', message: expect.stringContaining('64 KiB') } });
      }
    }
    // With an API key too: the limit is the same for everyone.
    expect((await hugeBody(hami.url, '/api/v1/events', big, true, { authorization: `Bearer ${TEST_API_KEY}` })).status).toBe(413);
    // Inbound hooks have their own, bigger limit (whole tickets and orders).
    expect((await hugeBody(hami.url, '/api/v1/hooks/shop', 300 * 1024, false)).status).toBe(413);
    // A body under the limit is read as usual.
    expect((await signInAs(hami, ADMIN.email, 'not the password')).status).toBe(401);
  });

  test('a stream of many-megabyte bodies, in parallel, chunked and with a stated length, is refused without the server holding them: memory stays flat', async () => {
    // A first round warms up the code paths, so what is measured is the stream itself.
    await Promise.all([hugeBody(hami.url, '/api/session', 1024 * 1024, true), hugeBody(hami.url, '/api/v1/events', 1024 * 1024, false)]);
    const peak = await peakMemoryGrowth(async () => {
      for (let round = 0; round < 3; round++) {
        const requests = Array.from({ length: 16 }, (_, i) =>
          hugeBody(hami.url, i % 2 === 0 ? '/api/session' : '/api/v1/events', 32 * 1024 * 1024, i % 4 < 2, {
            authorization: `Bearer ${TEST_API_KEY}`,
          }),
        );
        const statuses = (await Promise.all(requests)).map((r) => r.status);
        expect(statuses).toEqual(Array(16).fill(413));
      }
    });
    // 48 bodies of 32 MiB (1.5 GiB) were sent at the server; buffering even a few of them would show here.
    expect(peak).toBeLessThan(96 * 1024 * 1024);
  });

  test('an anonymous client sending many-megabyte imports in chunks, in parallel, gets a quick 401 and the server holds none of them; a signed-in import still works', async () => {
    await hugeBody(hami.url, '/api/imports?kind=events', 1024 * 1024, true, { 'content-type': 'text/csv' }); // warm-up
    const peak = await peakMemoryGrowth(async () => {
      const requests = Array.from({ length: 8 }, () =>
        hugeBody(hami.url, '/api/imports?kind=events', 32 * 1024 * 1024, true, { 'content-type': 'text/csv' }),
      );
      const answers = await Promise.all(requests);
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(401));
      expect(JSON.parse(answers[0]!.text).error.code).toBe('unauthenticated');
    });
    // Answered before the bodies were read: holding 8 × 32 MiB would show in memory (it peaked at ~400 MiB before).
    expect(peak).toBeLessThan(64 * 1024 * 1024);

    const admin = await signIn(hami, ADMIN.email, ADMIN.password);
    const csv = 'id,email,name\nimport-1,import-1@example.com,Sara\n';
    const res = await fetch(`${hami.url}/api/imports?kind=customers`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ imported: 1, failed: 0 });
    // Signed in, a file past the import limit is still refused by its length, without being read.
    const tooBig = await hugeBody(hami.url, '/api/imports?kind=customers', 51 * 1024 * 1024, false, {
      'content-type': 'text/csv',
      cookie: admin.cookie,
      'x-csrf-token': admin.csrfToken,
    });
    expect(tooBig.status).toBe(413);
    expect(JSON.parse(tooBig.text).error).toEqual({ code: 'payload_too_large', message: expect.stringContaining('50 MiB') });
  });
});

describe('sign-in, token guesses and public links behind a trusted proxy', () => {
  let hami: TestHami;
  let admin: StaffClient;
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  let serial = 0;

  beforeAll(async () => {
    hami = await startTestHami({ clock, env: { HAMI_TRUSTED_PROXIES: LOOPBACK_PROXIES } });
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
  });
  afterAll(() => hami.stopAndClean());

  async function newAccount() {
    const email = `staff-${++serial}@example.com`;
    const created = await admin.call('POST', '/api/users', { email, name: 'Staff', role: 'care', password: 'the right password' });
    expect(created.status).toBe(201);
    return email;
  }

  async function newLink() {
    serial++;
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: `order-${serial}`,
      sendAt: 'now',
      customer: { id: `cust-${serial}`, email: `c${serial}@example.com` },
    });
    return invitationToken(hami.deps.secret, body.invitations[0].id as string);
  }

  test('after 5 failures an account waits 1 s, then 2 s, 4 s … up to 2 minutes; the owner signs in once the short wait is over', async () => {
    const email = await newAccount();
    for (let i = 0; i < 4; i++) expect((await signInAs(hami, email, 'wrong', `198.51.100.${i + 1}`)).status).toBe(401);
    expect(await signInAs(hami, email, 'wrong', '198.51.100.5')).toEqual({ status: 401, retryAfter: null });
    // A stranger's failures make the owner wait a second, not 15 minutes.
    expect(await signInAs(hami, email, 'the right password', '203.0.113.77')).toEqual({ status: 429, retryAfter: '1' });
    clock.advance(1000);
    expect((await signInAs(hami, email, 'the right password', '203.0.113.77')).status).toBe(200);

    // The owner's success starts the account afresh; a stranger again, and longer this time.
    for (let i = 0; i < 5; i++) expect((await signInAs(hami, email, 'wrong', `198.51.100.${i + 10}`)).status).toBe(401);
    const waits: string[] = [];
    for (let i = 0; i < 9; i++) {
      const refused = await signInAs(hami, email, 'wrong', '198.51.100.30');
      expect(refused.status).toBe(429);
      waits.push(refused.retryAfter!);
      clock.advance(Number(refused.retryAfter) * 1000);
      expect((await signInAs(hami, email, 'wrong', '198.51.100.30')).status).toBe(401);
    }
    expect(waits).toEqual(['1', '2', '4', '8', '16', '32', '64', '120', '120']);
    clock.advance(120_000);
    expect((await signInAs(hami, email, 'the right password', '203.0.113.77')).status).toBe(200);
  });

  test("a flood of failures from many addresses and for made-up emails does not push out an account's count: the account still waits", async () => {
    const email = await newAccount();
    for (let i = 0; i < 5; i++) expect((await signInAs(hami, email, 'wrong', '198.51.100.40')).status).toBe(401);
    for (let i = 0; i < 30; i++) expect((await signInAs(hami, `nobody-${i}@example.com`, 'wrong', `192.0.2.${i + 1}`)).status).toBe(401);
    // Each failure over HTTP costs a password hash (~50 ms), so the rest of the flood, past every memory bound
    // of the sign-in limiter, is counted straight into the limiter this server uses.
    const limiter = limitersOf(hami.deps).signIn;
    const now = clock.now().getTime();
    for (let i = 0; i < 30_000; i++)
      limiter.fail({ accountId: null, email: `flood-${i}@example.com`, client: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}` }, now);
    expect(limiter.trackedStrangers).toBeLessThanOrEqual(20_000);
    expect(await signInAs(hami, email, 'the right password', '203.0.113.78')).toEqual({ status: 429, retryAfter: '1' });
    clock.advance(1000);
    expect((await signInAs(hami, email, 'the right password', '203.0.113.78')).status).toBe(200);
  });

  test('an email with no account is answered like one with a wrong password: 401 five times, then the same wait', async () => {
    for (let i = 0; i < 5; i++)
      expect((await signInAs(hami, 'no-such-person@example.com', 'wrong', `198.51.100.${50 + i}`)).status).toBe(401);
    expect(await signInAs(hami, 'no-such-person@example.com', 'wrong', '198.51.100.60')).toEqual({ status: 429, retryAfter: '1' });
  });

  test('an email with no account takes as long to refuse as a wrong password (no finding out who has an account by timing)', async () => {
    const email = await newAccount();
    const timed = async (who: string, i: number) => {
      const started = performance.now();
      expect((await signInAs(hami, who, 'wrong', `198.51.100.${70 + i}`)).status).toBe(401);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, so a busy moment of the machine falls on both; under the 5 free failures of the account.
    for (let i = 0; i < 4; i++) {
      known.push(await timed(email, i));
      unknown.push(await timed(`ghost-${i}@example.com`, i));
    }
    // Both pay for one password hash (tens of ms); a refusal without it takes about a millisecond.
    expect(Math.min(...unknown)).toBeGreaterThan(0.5 * Math.min(...known));
    expect(Math.min(...known)).toBeGreaterThan(5);
  });

  test('IPv6 clients are counted per /64: another address in the same /64 is the same client', async () => {
    for (let i = 0; i < 20; i++)
      expect((await signInAs(hami, `v6-${i}@example.com`, 'wrong', `2001:db8:1:2::${(i + 1).toString(16)}`)).status).toBe(401);
    expect((await signInAs(hami, 'v6-x@example.com', 'wrong', '2001:db8:1:2:ffff:ffff:ffff:ffff')).status).toBe(429);
    expect((await signInAs(hami, 'v6-y@example.com', 'wrong', '2001:db8:1:3::1')).status).toBe(401);

    for (let i = 0; i < 20; i++)
      expect((await fetch(`${hami.url}/s/${UNKNOWN_TOKEN(i)}`, from(`2001:db8:9:9::${i + 1}`))).status).toBe(404);
    expect((await fetch(`${hami.url}/s/${UNKNOWN_TOKEN(99)}`, from('2001:db8:9:9:abcd::1'))).status).toBe(429);
    expect((await fetch(`${hami.url}/s/${UNKNOWN_TOKEN(99)}`, from('2001:db8:9:a::1'))).status).toBe(404);
  });

  test('with HAMI_TRUSTED_PROXIES every limiter counts the client named in X-Forwarded-For, its right-most untrusted address', async () => {
    // Token guesses: what the client writes left of the proxy's entry changes nothing.
    for (let i = 0; i < 20; i++)
      expect((await fetch(`${hami.url}/s/${UNKNOWN_TOKEN(i)}`, from(`10.9.9.${i}, 203.0.113.5, 127.0.0.1`))).status).toBe(404);
    expect((await fetch(`${hami.url}/s/${UNKNOWN_TOKEN(20)}`, from('203.0.113.5'))).status).toBe(429);
    expect((await fetch(`${hami.url}/s/${UNKNOWN_TOKEN(20)}`, from('203.0.113.6'))).status).toBe(404);
    // Kiosk answers.
    const answer = (client: string) =>
      fetch(`${hami.url}${KIOSK}`, from(client, { method: 'POST', body: new URLSearchParams({ nps: '9' }) }));
    expect((await answer('203.0.113.10')).status).toBe(200);
    expect((await answer('203.0.113.10')).status).toBe(429);
    expect((await answer('203.0.113.11')).status).toBe(200);
    // Sign-in: 20 failures from one address, then that address waits; another does not.
    for (let i = 0; i < 20; i++) expect((await signInAs(hami, `spray-${i}@example.com`, 'wrong', '203.0.113.20')).status).toBe(401);
    expect((await signInAs(hami, 'spray-x@example.com', 'wrong', '203.0.113.20')).status).toBe(429);
    expect((await signInAs(hami, 'spray-x@example.com', 'wrong', '203.0.113.21')).status).toBe(401);
  });

  test('a client over the guess limit still opens its valid survey link and unsubscribes with one click; only unknown tokens get 429', async () => {
    const token = await newLink();
    const client = '203.0.113.30';
    for (let i = 0; i < 20; i++) expect((await fetch(`${hami.url}/s/${UNKNOWN_TOKEN(i)}`, from(client))).status).toBe(404);
    expect((await fetch(`${hami.url}/s/${UNKNOWN_TOKEN(20)}`, from(client))).status).toBe(429);
    expect((await fetch(`${hami.url}/u/${UNKNOWN_TOKEN(20)}`, from(client, { method: 'POST' }))).status).toBe(429);

    expect((await fetch(`${hami.url}/s/${token}`, from(client))).status).toBe(200);
    const oneClick = await fetch(
      `${hami.url}/u/${token}`,
      from(client, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) }),
    );
    expect(oneClick.status).toBe(200);
    const suppressed = await hami.deps.db
      .selectFrom('suppressions')
      .select('address')
      .where('address', '=', `c${serial}@example.com`)
      .execute();
    expect(suppressed).toHaveLength(1);
  });

  test('/r/ tracked links and their /stop pages share the unknown-token guess limit of /s/ and /u/', async () => {
    const client = '203.0.113.40';
    for (let i = 0; i < 10; i++) expect((await fetch(`${hami.url}/r/${UNKNOWN_TOKEN(i)}`, from(client))).status).toBe(404);
    for (let i = 10; i < 15; i++) expect((await fetch(`${hami.url}/r/${UNKNOWN_TOKEN(i)}/stop`, from(client))).status).toBe(404);
    for (let i = 15; i < 20; i++)
      expect((await fetch(`${hami.url}/r/${UNKNOWN_TOKEN(i)}/stop`, from(client, { method: 'POST' }))).status).toBe(404);
    const refused = await fetch(`${hami.url}/r/${UNKNOWN_TOKEN(20)}`, from(client));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetch(`${hami.url}/r/${UNKNOWN_TOKEN(20)}/stop`, from(client, { method: 'POST' }))).status).toBe(429);
    expect((await fetch(`${hami.url}/s/${UNKNOWN_TOKEN(20)}`, from(client))).status).toBe(429);
    clock.advance(11 * MINUTE);
    expect((await fetch(`${hami.url}/r/${UNKNOWN_TOKEN(20)}`, from(client))).status).toBe(404);
  });
});

describe('without HAMI_TRUSTED_PROXIES', () => {
  let hami: TestHami;
  beforeAll(async () => {
    hami = await startTestHami({ clock: new ManualClock('2026-06-01T10:00:00Z') });
  });
  afterAll(() => hami.stopAndClean());

  test('X-Forwarded-For is ignored by every limiter: a new address in the header for every try changes nothing', async () => {
    for (let i = 0; i < 20; i++) expect((await fetch(`${hami.url}/s/${UNKNOWN_TOKEN(i)}`, from(`203.0.113.${i + 1}`))).status).toBe(404);
    expect((await fetch(`${hami.url}/s/${UNKNOWN_TOKEN(20)}`, from('198.51.100.99'))).status).toBe(429);
    expect((await fetch(`${hami.url}/r/${UNKNOWN_TOKEN(20)}`, from('198.51.100.98'))).status).toBe(429);

    const answer = (client: string) =>
      fetch(`${hami.url}${KIOSK}`, from(client, { method: 'POST', body: new URLSearchParams({ nps: '9' }) }));
    expect((await answer('203.0.113.10')).status).toBe(200);
    expect((await answer('203.0.113.11')).status).toBe(429);

    for (let i = 0; i < 20; i++) expect((await signInAs(hami, `spray-${i}@example.com`, 'wrong', `203.0.113.${i + 1}`)).status).toBe(401);
    expect((await signInAs(hami, 'spray-x@example.com', 'wrong', '198.51.100.97')).status).toBe(429);
  });
});
