import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/connect.js';
import { invitationToken } from '../../server/delivery/tokens.js';
import { WORKER_LANES as SEND_LANES } from '../../server/delivery/worker.js';
import { HOUSEKEEPING_JOB } from '../../server/housekeeping.js';
import { silentLogger, type Logger } from '../../server/log.js';
import { HOUR, ManualClock } from '../helpers/clock.js';
import { startFaultySmtpServer, type FaultySmtpServer } from '../helpers/faulty-smtp.js';
import {
  createTestDatabase,
  drainJobs,
  engineTest,
  eventually,
  setPostgresReadOnly,
  startTestHami,
  TEST_API_KEY,
  waitForIdleQueue,
  type TestHami,
} from '../helpers/hami.js';
import { serverUrl, spawnServer } from '../helpers/server-process.js';

const GATEWAY = 'https://sms.faults.test/send';
const SMS_ENV = { SMS_PROVIDER: 'http', SMS_HTTP_URL: GATEWAY, SMS_HTTP_TOKEN: 'gateway-token-0123456789', SMS_RATE_PER_SECOND: '100' };

/** The generic SMS gateway as msw plays it: each call takes the next planned behaviour, then accepts. */
const gateway = {
  plan: [] as ('500' | '503' | 'hang')[],
  calls: 0,
  accepted: [] as { to: string; reference: string }[],
};
const msw = setupServer(
  http.post(GATEWAY, async ({ request }) => {
    gateway.calls++;
    const body = (await request.json()) as { to: string; reference: string };
    const next = gateway.plan.shift();
    if (next === '500') return HttpResponse.json({ error: 'internal' }, { status: 500 });
    if (next === '503') return HttpResponse.json({ error: 'maintenance' }, { status: 503 });
    // Never answers: the server gives up after its 10 s timeout, and the gateway must not have taken the message.
    if (next === 'hang') return delay('infinite').then(() => HttpResponse.json({}));
    gateway.accepted.push(body);
    return HttpResponse.json({ id: `gw-${gateway.accepted.length}` });
  }),
);

/** The invitation id in a survey email's Message-ID (`<invitation-ID@host>`). */
const invitationOf = (messageId: string) => /^<invitation-([^@]+)@/.exec(messageId)?.[1] ?? messageId;

/** How many times each item occurs. */
function counts(items: string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const item of items) map.set(item, (map.get(item) ?? 0) + 1);
  return map;
}

/** The SQLite-only faults (its locks, its page limit) run in the SQLite project; the rest run on both engines. */
const onSqlite = process.env.HAMI_TEST_ENGINE !== 'postgres';

/**
 * Runs a PRAGMA on the server's own writing connection: inside a transaction, since a statement outside one may be
 * served by a separate reading connection.
 */
async function pragmaOnWriter<R>(hami: TestHami, text: string): Promise<R[]> {
  return hami.deps.db.transaction().execute(async (trx) => (await sql.raw<R>(`PRAGMA ${text}`).execute(trx)).rows);
}

function sqlitePath(hami: TestHami): string {
  const database = hami.deps.config.database;
  if (database.kind !== 'sqlite') throw new Error('these tests run on SQLite');
  return database.path;
}

describe('faults: mail and SMS outages', () => {
  let hami: TestHami | undefined;
  let smtp: FaultySmtpServer | undefined;
  beforeAll(() => msw.listen({ onUnhandledRequest: 'bypass' }));
  afterAll(() => msw.close());
  afterEach(async () => {
    await hami?.stopAndClean();
    await smtp?.close();
    hami = smtp = undefined;
    gateway.plan = [];
    gateway.calls = 0;
    gateway.accepted = [];
  });

  const status = (id: string) =>
    hami!.deps.db.selectFrom('invitations').select(['status', 'reason']).where('id', '=', id).executeTakeFirstOrThrow();

  test('the SMTP server going down mid-stream and coming back on the same port: every invitation delivered exactly once', async () => {
    const clock = new ManualClock('2026-02-01T12:00:00Z');
    smtp = await startFaultySmtpServer();
    const port = smtp.port;
    hami = await startTestHami({ smtpUrl: smtp.url, clock });
    const post = async (i: number) =>
      (await hami!.postEvent({ type: 'purchase', id: `o-${i}`, sendAt: 'now', customer: { id: `c-${i}`, email: `c${i}@example.com` } }))
        .body.invitations[0].id as string;

    const ids = [await post(0), await post(1)];
    await smtp.waitForAccepted(2);
    await smtp.close(); // down
    smtp = undefined;
    for (let i = 2; i < 6; i++) ids.push(await post(i));
    // Each of the four fails, is put back with a backoff of at least 15 s, and stays scheduled.
    const failed = await eventually(async () => {
      const jobs = await hami!.deps.db
        .selectFrom('jobs')
        .selectAll()
        .where('name', '=', 'invitation.send')
        .where('status', '=', 'queued')
        .execute();
      return jobs.length === 4 && jobs.every((j) => j.attempts >= 1) ? jobs : undefined;
    }, 5000);
    for (const job of failed) {
      expect(job.last_error).toMatch(/ECONNREFUSED|connect/i);
      expect(new Date(job.run_at).getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(15_000);
    }
    for (const id of ids.slice(2)) expect((await status(id)).status).toBe('scheduled');

    // Still down at the first retry: backed off again, each wait longer than the last.
    clock.advance(20_000);
    const second = await eventually(async () => {
      const jobs = await hami!.deps.db
        .selectFrom('jobs')
        .selectAll()
        .where('name', '=', 'invitation.send')
        .where('status', '=', 'queued')
        .execute();
      return jobs.length === 4 && jobs.every((j) => j.attempts === 2) ? jobs : undefined;
    }, 5000);
    for (const job of second) expect(new Date(job.run_at).getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(25_000);

    smtp = await startFaultySmtpServer({ port }); // back
    clock.advance(HOUR);
    await smtp.waitForAccepted(4);
    clock.advance(HOUR);
    await drainJobs(hami!);
    expect([...counts(smtp.accepted.map((m) => invitationOf(m.messageId))).entries()].sort()).toEqual(
      ids
        .slice(2)
        .map((id) => [id, 1])
        .sort(),
    );
    for (const id of ids) expect((await status(id)).status).toBe('sent');
  });

  test('an SMTP 4xx (451, try later) is retried and delivered once the server accepts', async () => {
    const clock = new ManualClock('2026-02-01T12:00:00Z');
    smtp = await startFaultySmtpServer();
    smtp.refuse.set('grey@example.com', 451);
    hami = await startTestHami({ smtpUrl: smtp.url, clock });
    const { body } = await hami.postEvent({ type: 'purchase', id: 'o-1', sendAt: 'now', customer: { id: 'c', email: 'grey@example.com' } });
    const job = await eventually(async () => {
      const row = await hami!.deps.db.selectFrom('jobs').selectAll().where('name', '=', 'invitation.send').executeTakeFirstOrThrow();
      return row.status === 'queued' && row.attempts === 1 ? row : undefined;
    });
    expect(job.last_error).toContain('451');
    expect((await status(body.invitations[0].id)).status).toBe('scheduled');
    expect(await hami.deps.db.selectFrom('suppressions').selectAll().execute()).toEqual([]);

    smtp.refuse.delete('grey@example.com');
    clock.advance(job.run_at ? new Date(job.run_at).getTime() - clock.now().getTime() + 1000 : HOUR);
    await smtp.waitForAccepted(1);
    await eventually(async () => (await status(body.invitations[0].id)).status === 'sent');
    expect(smtp.accepted).toHaveLength(1);
  });

  test('an SMTP 5xx to our login or our sender (a wrong SMTP_URL password, a MAIL_FROM not allowed) is retried and suppresses no customer', async () => {
    const clock = new ManualClock('2026-02-01T12:00:00Z');
    smtp = await startFaultySmtpServer({ requireAuth: { user: 'hami', password: 'right-password' } });
    smtp.password = 'changed-by-the-mail-admin';
    hami = await startTestHami({ smtpUrl: `smtp://hami:right-password@127.0.0.1:${smtp.port}`, clock });
    const { body } = await hami.postEvent({ type: 'purchase', id: 'o-1', sendAt: 'now', customer: { id: 'c', email: 'c@example.com' } });
    const queuedAfter = (attempts: number) =>
      eventually(async () => {
        const row = await hami!.deps.db.selectFrom('jobs').selectAll().where('name', '=', 'invitation.send').executeTakeFirstOrThrow();
        return row.status === 'queued' && row.attempts === attempts ? row : undefined;
      });

    expect((await queuedAfter(1)).last_error).toMatch(/535/);
    smtp.password = 'right-password';
    smtp.refuseSender = 550;
    clock.advance(HOUR);
    expect((await queuedAfter(2)).last_error).toMatch(/550 5\.7\.1 sender not allowed/);
    expect((await status(body.invitations[0].id)).status).toBe('scheduled');
    expect(await hami.deps.db.selectFrom('suppressions').selectAll().execute()).toEqual([]);

    smtp.refuseSender = null;
    clock.advance(HOUR);
    await smtp.waitForAccepted(1);
    await eventually(async () => (await status(body.invitations[0].id)).status === 'sent');
    expect(smtp.accepted).toHaveLength(1);
  });

  test('an SMS gateway answering 500, 503 and then not at all is retried until it accepts, and each text is sent once', async () => {
    const clock = new ManualClock('2026-05-04T10:00:00Z');
    hami = await startTestHami({ clock, env: SMS_ENV });
    gateway.plan = ['500', '503', 'hang'];
    const { body } = await hami.postEvent({ type: 'purchase', id: 'o-1', sendAt: 'now', customer: { id: 'c', phone: '+989121234567' } });
    const id: string = body.invitations[0].id;
    const queuedAfter = (attempts: number, timeoutMs = 3000) =>
      eventually(async () => {
        const job = await hami!.deps.db.selectFrom('jobs').selectAll().where('name', '=', 'invitation.send').executeTakeFirstOrThrow();
        return job.status === 'queued' && job.attempts === attempts ? job : undefined;
      }, timeoutMs);

    expect((await queuedAfter(1)).last_error).toMatch(/500/);
    clock.advance(HOUR);
    expect((await queuedAfter(2)).last_error).toMatch(/503/);
    clock.advance(HOUR);
    expect((await queuedAfter(3, 15_000)).last_error).toMatch(/did not answer within/);
    expect(gateway.accepted).toHaveLength(0);
    expect((await status(id)).status).toBe('scheduled');

    clock.advance(HOUR);
    await eventually(async () => (await status(id)).status === 'sent');
    clock.advance(24 * HOUR);
    await drainJobs(hami!);
    expect(gateway.accepted).toEqual([{ to: '+989121234567', reference: id, text: expect.any(String) }]);
    expect(gateway.calls).toBe(4);
  }, 30_000);
});

if (onSqlite)
  describe('faults: the SQLite database', () => {
    let hami: TestHami | undefined;
    const others: SQLite.Database[] = [];
    afterEach(async () => {
      for (const other of others.splice(0)) if (other.open) other.close();
      await hami?.stopAndClean();
      hami = undefined;
    });

    /** A second connection to the server's database file, as another process (a CLI import, a backup) would hold. */
    function otherConnection(h: TestHami): SQLite.Database {
      const other = new SQLite(sqlitePath(h));
      other.pragma('busy_timeout = 0');
      others.push(other);
      return other;
    }

    // Housekeeping's recurring job (server/housekeeping.ts) is queued at start-up: not a row any request stored.
    const count = (db: SQLite.Database, table: string) =>
      (
        db.prepare(`SELECT count(*) AS n FROM ${table}${table === 'jobs' ? ` WHERE name != '${HOUSEKEEPING_JOB}'` : ''}`).get() as {
          n: number;
        }
      ).n;

    test('a write lock held longer than busy_timeout: the API answers 503 with Retry-After, stores nothing, and the same request then succeeds', async () => {
      hami = await startTestHami();
      await hami.worker.stop();
      // The server waits 300 ms for a lock here (5 s in production) so the test need not wait 5 s.
      await pragmaOnWriter(hami, 'busy_timeout = 300');
      const other = otherConnection(hami);
      other.exec('BEGIN IMMEDIATE'); // holds SQLite's one write lock

      const event = { type: 'purchase', id: 'o-1', sendAt: 'now', customer: { id: 'c-1', email: 'c1@example.com' } };
      const response = await fetch(`${hami.url}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: 'Bearer test_key_0123456789abcdef', 'content-type': 'application/json' },
        body: JSON.stringify(event),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('2');
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('database_busy');
      expect(body.error.message).toMatch(/nothing was saved; send the same request again/);
      for (const table of ['events', 'customers', 'invitations', 'jobs']) expect(count(other, table)).toBe(0);

      other.exec('COMMIT');
      const again = await hami.postEvent(event);
      expect(again.status).toBe(202);
      expect(count(other, 'events')).toBe(1);
      expect(count(other, 'invitations')).toBe(1);
    });

    test('a survey answer sent while the database is locked gets a page saying it was not saved, and can be sent again', async () => {
      hami = await startTestHami();
      await hami.worker.stop();
      const { body } = await hami.postEvent({
        type: 'purchase',
        id: 'o-1',
        sendAt: 'now',
        customer: { id: 'c-1', email: 'c1@example.com' },
      });
      const url = `${hami.url}/s/${invitationToken(hami.deps.secret, body.invitations[0].id)}`;
      const { body: fa } = await hami.postEvent({
        type: 'purchase',
        id: 'o-2',
        sendAt: 'now',
        customer: { id: 'c-2', email: 'c2@example.com', locale: 'fa' },
      });
      const faUrl = `${hami.url}/s/${invitationToken(hami.deps.secret, fa.invitations[0].id)}`;
      await pragmaOnWriter(hami, 'busy_timeout = 300');
      const other = otherConnection(hami);
      other.exec('BEGIN IMMEDIATE');
      const busy = await fetch(url, { method: 'POST', body: new URLSearchParams({ nps: '3' }), redirect: 'manual' });
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('2');
      expect(busy.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await busy.text()).toMatch(/<h1>Your answer was not saved<\/h1>.*not saved yet.*send it again/s);
      // A Persian customer reads it in Persian, right to left, even though the browser asks for English.
      const faBusy = await fetch(faUrl, {
        method: 'POST',
        headers: { 'accept-language': 'en' },
        body: new URLSearchParams({ nps: '3' }),
        redirect: 'manual',
      });
      expect(faBusy.status).toBe(503);
      const faPage = await faBusy.text();
      expect(faPage).toContain('<html lang="fa" dir="rtl">');
      expect(faPage).toContain('پاسخ شما ثبت نشد');
      expect(count(other, 'responses')).toBe(0);
      other.exec('COMMIT');
      const saved = await fetch(url, { method: 'POST', body: new URLSearchParams({ nps: '3' }), redirect: 'manual' });
      expect(saved.status).toBe(303);
      expect(count(other, 'responses')).toBe(1);
    });

    test('the worker keeps a job queued while the database is locked and sends it once the lock is gone', async () => {
      const smtp = await startFaultySmtpServer();
      try {
        // The polling loop's own report of each time it met the lock.
        let lockedPolls = 0;
        const log: Logger = { ...silentLogger, error: (message) => void (message === 'worker could not claim jobs' && lockedPolls++) };
        hami = await startTestHami({ smtpUrl: smtp.url, log });
        await hami.worker.stop();
        const { body } = await hami.postEvent({
          type: 'purchase',
          id: 'o-1',
          sendAt: 'now',
          customer: { id: 'c-1', email: 'c1@example.com' },
        });
        await pragmaOnWriter(hami, 'busy_timeout = 100');
        const other = otherConnection(hami);
        other.exec('BEGIN IMMEDIATE');
        await expect(hami.worker.runDue()).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
        hami.worker.start(); // the polling loop meets the lock again and again, and keeps going
        await eventually(() => lockedPolls >= 3, 10_000);
        expect(smtp.accepted).toHaveLength(0);
        expect(other.prepare("SELECT status, attempts FROM jobs WHERE name = 'invitation.send'").get()).toEqual({
          status: 'queued',
          attempts: 0,
        });
        other.exec('COMMIT');
        await smtp.waitForAccepted(1);
        await eventually(async () => {
          const row = await hami!.deps.db
            .selectFrom('invitations')
            .select('status')
            .where('id', '=', body.invitations[0].id)
            .executeTakeFirstOrThrow();
          return row.status === 'sent';
        });
        await drainJobs(hami);
        expect(smtp.accepted).toHaveLength(1);
      } finally {
        await smtp.close();
      }
    });

    test('a full disk: the API answers 507 saying to free disk space, nothing is half-stored or corrupt, and it works again once there is space', async () => {
      hami = await startTestHami();
      await hami.worker.stop();
      const event = (i: number) => ({
        type: 'purchase',
        id: `o-${i}`,
        customer: { id: `c-${i}`, email: `c${i}@example.com`, name: `Customer ${i} `.padEnd(200, 'x') },
        attributes: { note: 'y'.repeat(500), more: 'z'.repeat(500) },
      });
      for (let i = 0; i < 3; i++) expect((await hami.postEvent(event(i))).status).toBe(202);
      // SQLITE_FULL is the error a full disk gives; max_page_count makes SQLite give it when the file would grow.
      const [{ page_count: pages }] = (await pragmaOnWriter<{ page_count: number }>(hami, 'page_count')) as [{ page_count: number }];
      await pragmaOnWriter(hami, `max_page_count = ${pages}`);

      let full: { status: number; body: { error: { code: string; message: string } } } | undefined;
      let stored = 3;
      for (let i = 3; i < 200 && !full; i++) {
        const answer = await hami.postEvent(event(i));
        if (answer.status === 202) stored++;
        else full = answer;
      }
      expect(full).toBeDefined();
      expect(full!.status).toBe(507);
      expect(full!.body.error.code).toBe('storage_full');
      expect(full!.body.error.message).toMatch(/disk is full and nothing was saved; free disk space/);

      const other = otherConnection(hami);
      expect(other.pragma('integrity_check', { simple: true })).toBe('ok');
      // Every accepted event is whole (customer, event, invitation, job); the refused one left nothing behind.
      for (const table of ['events', 'customers', 'invitations', 'jobs']) expect(count(other, table)).toBe(stored);
      expect(other.prepare('SELECT external_id FROM events WHERE external_id = ?').get('o-0')).toEqual({ external_id: 'o-0' });

      await pragmaOnWriter(hami, 'max_page_count = 1073741823');
      expect((await hami.postEvent(event(stored))).status).toBe(202);
      expect(count(other, 'events')).toBe(stored + 1);
      expect(other.pragma('integrity_check', { simple: true })).toBe('ok');
    });
  });

describe('faults: a database that refuses writes (read-only)', () => {
  let hami: TestHami | undefined;
  afterEach(async () => {
    await hami?.stopAndClean();
    hami = undefined;
  });

  const responseCount = async (h: TestHami) =>
    Number(
      (
        await h.deps.db
          .selectFrom('responses')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const eventCount = async (h: TestHami) =>
    Number(
      (
        await h.deps.db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** An event to the API and an answer on a public link, sent while the database refuses writes: 503s that say so, and nothing stored. */
  async function expectRefusedWrites(h: TestHami) {
    const [events, responses] = [await eventCount(h), await responseCount(h)];
    const api = await fetch(`${h.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'purchase', id: 'read-only-1', customer: { id: 'ro-1', email: 'ro1@example.com' } }),
    });
    expect(api.status).toBe(503);
    expect(Number(api.headers.get('retry-after'))).toBeGreaterThan(0);
    const { error } = (await api.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('database_read_only');
    expect(error.message).toMatch(/read-only and nothing was saved/);

    const page = await fetch(`${h.url}/p/post-purchase/receipt`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'nps=9',
      redirect: 'manual',
    });
    expect(page.status).toBe(503);
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await page.text()).toMatch(/your answer was not saved/);
    expect([await eventCount(h), await responseCount(h)]).toEqual([events, responses]);
  }

  engineTest(
    'sqlite',
    'SQLite that refuses writes: the events API and a public link answer 503 database_read_only with Retry-After, never 500',
    async () => {
      hami = await startTestHami();
      await hami.deps.db.transaction().execute((trx) => sql.raw('PRAGMA query_only = 1').execute(trx));
      await expectRefusedWrites(hami);
    },
  );

  engineTest(
    'postgres',
    'PostgreSQL in read-only mode: the events API and a public link answer 503 database_read_only with Retry-After, then work again',
    async () => {
      hami = await startTestHami();
      const h = hami;
      const setReadOnly = async (on: boolean) => {
        await setPostgresReadOnly(h.databaseUrl, on);
        await eventually(async () => ((await (await fetch(`${h.url}/healthz`)).json()) as { ok: boolean }).ok === !on);
      };
      await setReadOnly(true);
      await expectRefusedWrites(h);
      await setReadOnly(false);
      expect((await h.postEvent({ type: 'purchase', id: 'read-only-1', customer: { id: 'ro-1', email: 'ro1@example.com' } })).status).toBe(
        202,
      );
    },
  );
});

describe('faults: the same thing twice at the same moment', () => {
  let hami: TestHami | undefined;
  afterEach(async () => {
    await hami?.stopAndClean();
    hami = undefined;
  });

  test('the same event posted twice at once: one event, one invitation, and both answers name them', async () => {
    hami = await startTestHami();
    const event = { type: 'purchase', id: 'o-1', sendAt: 'now', customer: { id: 'c-1', email: 'c1@example.com' } };
    const answers = await Promise.all([hami.postEvent(event), hami.postEvent(event), hami.postEvent(event)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 202]);
    expect(answers[1]!.body).toEqual(answers[0]!.body);
    expect(answers[2]!.body).toEqual(answers[0]!.body);
    const db = hami.deps.db;
    expect(await db.selectFrom('events').select('id').execute()).toEqual([{ id: answers[0]!.body.event }]);
    expect(await db.selectFrom('invitations').select('id').execute()).toEqual([{ id: answers[0]!.body.invitations[0].id }]);
    expect(await db.selectFrom('jobs').select('id').where('name', '=', 'invitation.send').execute()).toHaveLength(1);
  });

  test('a survey submitted twice at once leaves exactly one response, and the database refuses a second one for the invitation', async () => {
    hami = await startTestHami();
    await hami.worker.stop();
    const { body } = await hami.postEvent({ type: 'purchase', id: 'o-1', sendAt: 'now', customer: { id: 'c-1', email: 'c1@example.com' } });
    const invitationId: string = body.invitations[0].id;
    const url = `${hami.url}/s/${invitationToken(hami.deps.secret, invitationId)}`;
    const submit = (score: string) =>
      fetch(url, { method: 'POST', body: new URLSearchParams({ nps: score, reason: `said ${score}` }), redirect: 'manual' });
    const answers = await Promise.all([submit('3'), submit('3')]);
    expect(answers.map((a) => a.status)).toEqual([303, 303]);

    const db = hami.deps.db;
    const responses = await db.selectFrom('responses').selectAll().where('invitation_id', '=', invitationId).execute();
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({ score: 3, comment: 'said 3' });
    expect(await db.selectFrom('callback_cases').select('id').execute()).toHaveLength(1);

    // The guarantee is the database's, not only the code's: a second row for the invitation is refused.
    const copy = await db.selectFrom('responses').selectAll().where('invitation_id', '=', invitationId).executeTakeFirstOrThrow();
    await expect(
      db
        .insertInto('responses')
        .values({ ...copy, id: 'another-response' })
        .execute(),
    ).rejects.toThrow(/unique/i);
    expect(await db.selectFrom('responses').select('id').execute()).toHaveLength(1);
  });
});

describe('faults: the server killed with SIGKILL in the middle of a send batch', () => {
  test('after a restart every invitation has arrived, and only the messages in flight (at most one per worker lane) twice', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hami-kill-'));
    const database = await createTestDatabase(dataDir);
    // A relay that takes 150 ms to accept each message, so the kill lands in the middle of the batch.
    const smtp = await startFaultySmtpServer({ acceptDelayMs: 150 });
    const env = {
      HAMI_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      PORT: '0',
      HAMI_API_KEYS: 'kill_test_key_0123456789',
      SMTP_URL: smtp.url,
      HAMI_QUIET_HOURS: 'off',
    };
    // The queue as both server processes see it (the same SQLite file or PostgreSQL database).
    const db = openDatabase(loadConfig(env).database);
    const running: ChildProcess[] = [];
    try {
      const first = spawnServer([], env);
      running.push(first.child);
      const url = await serverUrl(first);
      const total = 50;
      const release = smtp.hold(); // the first message waits at the relay until every event is in
      // SIGKILL while the 11th message is with the relay: it keeps it (and any other the worker's lanes were sending
      // at that moment), but the server never hears their 250.
      const killed = new Promise<void>((resolve) => {
        smtp.onReceived = (received) => {
          if (received !== 11) return;
          first.child.kill('SIGKILL');
          resolve();
        };
      });
      for (let i = 0; i < total; i++) {
        const response = await fetch(`${url}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${env.HAMI_API_KEYS}`, 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'purchase', id: `o-${i}`, sendAt: 'now', customer: { id: `c-${i}`, email: `c${i}@example.com` } }),
        });
        expect(response.status).toBe(202);
      }
      release();
      await killed;
      await first.exited;
      smtp.onReceived = null;
      smtp.acceptDelayMs = 10; // the rest need not be slow
      await smtp.settled(); // the relay has answered everything it received from the dead process
      // Killed mid-batch: the 11th and at most one more per other lane.
      expect(smtp.accepted.length).toBeGreaterThanOrEqual(11);
      expect(smtp.accepted.length).toBeLessThan(11 + SEND_LANES);

      const invitations = await db.selectFrom('invitations').select(['id', 'status']).execute();
      expect(invitations).toHaveLength(total);
      const sentAtKill = new Set(invitations.filter((i) => i.status === 'sent').map((i) => i.id));
      // Accepted by the relay but not yet marked sent: the messages in flight when the process died.
      const inFlight = smtp.accepted.map((m) => invitationOf(m.messageId)).filter((id) => !sentAtKill.has(id));
      expect(inFlight.length).toBeGreaterThanOrEqual(1);
      expect(inFlight.length).toBeLessThanOrEqual(SEND_LANES);
      // The dead worker's claims lapse after 5 minutes; instead of waiting, the lapse is written into the jobs table.
      await db
        .updateTable('jobs')
        .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
        .where('status', '=', 'running')
        .execute();

      const second = spawnServer([], env);
      running.push(second.child);
      await serverUrl(second);
      await smtp.waitForAccepted(total, 60_000);
      // Every due job run to its end and the server stopped: anything sent twice has arrived by now.
      await waitForIdleQueue(db, () => new Date(), 60_000);
      second.child.kill('SIGTERM');
      await second.exited;
      await smtp.settled();

      const perInvitation = counts(smtp.accepted.map((m) => invitationOf(m.messageId)));
      expect(perInvitation.size).toBe(total); // none lost
      const doubles = [...perInvitation.entries()].filter(([, n]) => n > 1).map(([id]) => id);
      // Those in flight arrive twice (same Message-ID, so a mail client shows each once); no other message does.
      expect(doubles.sort()).toEqual([...inFlight].sort());
      for (const id of inFlight) expect(perInvitation.get(id)).toBe(2);
      expect(smtp.accepted).toHaveLength(total + inFlight.length);
      const statuses = await db.selectFrom('invitations').select('status').distinct().execute();
      expect(statuses).toEqual([{ status: 'sent' }]);
    } finally {
      for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await Promise.all(
        running.map((child) =>
          child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : undefined,
        ),
      );
      await db.destroy();
      await smtp.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
