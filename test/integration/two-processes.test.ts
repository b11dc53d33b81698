import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../../server/db/connect.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { loadConfig } from '../../server/config.js';
import { claimDueJobs, enqueueJob } from '../../server/delivery/queue.js';
import { createTestDatabase, TEST_API_KEY, waitForIdleQueue, type TestDatabase } from '../helpers/hami.js';
import { serverUrl, spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

/*
 * Several server processes behind a load balancer share one PostgreSQL database, and with it the job queue: each
 * claims due jobs with FOR UPDATE SKIP LOCKED. Two real server processes (as `npm start` runs them) take 1,000
 * events between them and send the invitations to a loopback SMTP server: every one arrives, none twice.
 * PostgreSQL only (the vitest project `sqlite` leaves this file out): one SQLite file serves one machine.
 */

const INVITATIONS = 1000;

interface Server extends ServerProcess {
  url: string;
  stop(): Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const started = spawnServer([], env);
  const url = await serverUrl(started, 60_000);
  return {
    ...started,
    url,
    async stop() {
      started.child.kill('SIGTERM');
      await started.exited;
    },
  };
}

async function postEvent(server: Server, n: number, sendAt: string): Promise<number> {
  const response = await fetch(`${server.url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'purchase', id: `order-${n}`, sendAt, customer: { id: `c-${n}`, email: `customer-${n}@example.com` } }),
  });
  await response.text();
  return response.status;
}

/** How many send-invitation jobs this server's worker finished, from its one log line per job run. */
const sentBy = (server: Server) => server.output().match(/msg="job" name=invitation\.send .*outcome=done/g)?.length ?? 0;

describe('two server processes on one PostgreSQL database', { timeout: 240_000 }, () => {
  const dirs: string[] = [];
  const servers: Server[] = [];
  let smtp: TestSmtpServer;
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-two-'));
    dirs.push(dir);
    database = await createTestDatabase(dir);
    const shared = {
      DATABASE_URL: database.url,
      SMTP_URL: smtp.url,
      HAMI_API_KEYS: TEST_API_KEY,
      HAMI_SECRET: 'the same secret for every process behind the balancer',
      HAMI_ADMIN_PASSWORD: 'correct horse battery',
      HAMI_QUIET_HOURS: 'off',
      PORT: '0',
    };
    // Both start at once, as after a deploy: migrations and the first admin are made once.
    const started = await Promise.all(
      ['a', 'b'].map((name) => {
        const dataDir = path.join(dir, name);
        return startServer({ ...shared, HAMI_DATA_DIR: dataDir });
      }),
    );
    servers.push(...started);
    db = openDatabase(loadConfig({ HAMI_DATA_DIR: dir, DATABASE_URL: database.url }).database);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await db?.destroy();
    await smtp?.close();
    await database?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('1,000 invitations through both: every one sent, none twice, and both processes did part of the work', async () => {
    // Events arrive at both servers (as a load balancer spreads them), 20 at a time, each survey due tomorrow.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const statuses: number[] = [];
    for (let next = 0; next < INVITATIONS; next += 20) {
      const batch = Array.from({ length: Math.min(20, INVITATIONS - next) }, (_, i) => next + i);
      statuses.push(...(await Promise.all(batch.map((n) => postEvent(servers[n % 2]!, n, tomorrow)))));
    }
    expect(statuses.filter((s) => s !== 202)).toEqual([]);
    expect(smtp.messages).toHaveLength(0);
    // Then all 1,000 fall due at once: both workers claim batch after batch at the same time, the hardest case.
    const now = new Date().toISOString();
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('invitations').set({ send_at: now }).execute();
      await trx.updateTable('jobs').set({ run_at: now }).where('name', '=', 'invitation.send').execute();
    });

    await smtp.waitForMessages(INVITATIONS, 180_000);
    // Both workers done with every due job: nothing can be sent twice after this.
    await waitForIdleQueue(db, () => new Date(), 30_000);

    const recipients = smtp.messages.map((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address);
    const messageIds = smtp.messages.map((m) => m.messageId);
    expect(smtp.messages).toHaveLength(INVITATIONS);
    expect(new Set(recipients).size).toBe(INVITATIONS);
    expect(new Set(messageIds).size).toBe(INVITATIONS);
    const expected = Array.from({ length: INVITATIONS }, (_, n) => `customer-${n}@example.com`).sort();
    expect([...recipients].sort()).toEqual(expected);

    const invitations = await db
      .selectFrom('invitations')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    expect(invitations).toEqual([{ status: 'sent', n: INVITATIONS }]);
    const sendJobs = await db
      .selectFrom('jobs')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n'), eb.fn.max('attempts').as('attempts')])
      .where('name', '=', 'invitation.send')
      .groupBy('status')
      .execute();
    expect(sendJobs).toEqual([{ status: 'done', n: INVITATIONS, attempts: 1 }]);

    const [a, b] = servers.map(sentBy);
    expect(a! + b!).toBe(INVITATIONS);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
  });
});

describe('the job queue on PostgreSQL', () => {
  test('eight workers claiming at the same moment never take the same job', async () => {
    // The two processes above rarely claim in the very same millisecond; here every claim races seven others on
    // its own connection. Without FOR UPDATE SKIP LOCKED most jobs of this test are claimed two or more times.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-claims-'));
    const database = await createTestDatabase(dir);
    const db = openDatabase(loadConfig({ HAMI_DATA_DIR: dir, DATABASE_URL: database.url }).database);
    try {
      await migrateToLatest(db);
      const now = new Date('2026-11-23T12:00:00Z');
      for (let i = 0; i < 400; i++) await enqueueJob(db, { name: 'test.job', payload: { i }, runAt: now }, now);
      const claims = new Map<string, number>();
      for (;;) {
        const batches = await Promise.all(Array.from({ length: 8 }, () => claimDueJobs(db, now, 60_000, 5)));
        for (const job of batches.flat()) claims.set(job.id, (claims.get(job.id) ?? 0) + 1);
        if (batches.every((batch) => batch.length === 0)) break;
      }
      expect(claims.size).toBe(400);
      expect([...claims.values()].filter((n) => n > 1)).toEqual([]);
    } finally {
      await db.destroy();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
