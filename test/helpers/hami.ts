import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject, test } from 'vitest';
import type { Clock } from '../../server/clock.js';
import { loadConfig } from '../../server/config.js';
import { silentLogger, type Logger } from '../../server/log.js';
import { startHami, type RunningHami } from '../../server/start.js';

export const TEST_API_KEY = 'test_key_0123456789abcdef';

/** The engine this test run uses: the vitest project `postgres` sets HAMI_TEST_ENGINE=postgres. */
export const testEngine: 'sqlite' | 'postgres' = process.env.HAMI_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/**
 * A test of one engine's own behaviour (how SQLite or PostgreSQL refuses writes), registered only in that engine's
 * run: elsewhere it is not a test at all, rather than a skipped one.
 */
export function engineTest(engine: typeof testEngine, name: string, fn: () => Promise<void>): void {
  if (testEngine === engine) test(name, fn);
}

export interface TestDatabase {
  /** DATABASE_URL for the app: a SQLite file in `dataDir`, or a fresh PostgreSQL database. */
  url: string;
  drop(): Promise<void>;
}

/**
 * An empty database of the engine under test. On PostgreSQL a uniquely named database is created through the
 * admin connection the global setup provides, and dropped (with any connection still open) by `drop`.
 */
export async function createTestDatabase(dataDir: string): Promise<TestDatabase> {
  if (testEngine === 'sqlite') return { url: `file:${path.join(dataDir, 'hami.db')}`, drop: async () => {} };
  const adminUrl = inject('postgresAdminUrl');
  const name = `hami_test_${randomBytes(8).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  };
}

/** Runs `work` on a fresh admin connection to the test PostgreSQL server, and closes it. */
/**
 * Turns PostgreSQL's read-only mode (default_transaction_read_only) on or off for the test server's database. The
 * setting holds for new sessions, so the server's pooled connections are ended; the pool opens new ones (a
 * connection ended under it fails once first: callers ask again until the new one answers).
 */
export async function setPostgresReadOnly(databaseUrl: string, on: boolean): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  await withAdmin(databaseUrl, async (admin) => {
    // A new session on a read-only database starts read-only itself: this one is not, so it can turn the mode off.
    await admin.query('set default_transaction_read_only = off');
    await admin.query(`alter database ${name} ${on ? 'set default_transaction_read_only = on' : 'reset default_transaction_read_only'}`);
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
  });
}

export async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestHami extends RunningHami {
  dataDir: string;
  /** The DATABASE_URL the app runs on (SQLite file or PostgreSQL database), for a CLI or second process. */
  databaseUrl: string;
  /** POSTs an event with the test API key; returns status and parsed body. */
  // `any` body: it is a success or an error body depending on status, and each test asserts the shape it expects.
  postEvent(body: unknown, init?: { apiKey?: string | null; raw?: string; contentType?: string }): Promise<{ status: number; body: any }>;
  stopAndClean(): Promise<void>;
}

/**
 * The real app on a real SQLite file in a temp folder (or its own PostgreSQL database in the postgres run), listening on a free loopback port, with its worker
 * polling fast. Mail goes to `smtpUrl` when given, otherwise to the dev outbox in the temp folder.
 */
export async function startTestHami(
  options: { smtpUrl?: string; clock?: Clock; env?: Record<string, string>; log?: Logger } = {},
): Promise<TestHami> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hami-test-'));
  const database = await createTestDatabase(dataDir);
  const config = loadConfig({
    HAMI_DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    PORT: '0',
    HAMI_API_KEYS: TEST_API_KEY,
    HAMI_ADMIN_PASSWORD: 'correct horse battery',
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    ...options.env,
  });
  let hami: RunningHami;
  try {
    hami = await startHami(config, { clock: options.clock, log: options.log ?? silentLogger, pollMs: 25 });
  } catch (error) {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...hami,
    dataDir,
    databaseUrl: database.url,
    async postEvent(body, init = {}) {
      const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json' };
      const key = init.apiKey === undefined ? TEST_API_KEY : init.apiKey;
      if (key !== null) headers.authorization = `Bearer ${key}`;
      const response = await fetch(`${hami.url}/api/v1/events`, { method: 'POST', headers, body: init.raw ?? JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    async stopAndClean() {
      await hami.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Returns when every job due now (by the Hami's clock) has run to completion and none is running: the point after
 * which "nothing was sent" is a fact, not a hope. The Hami's own worker runs them (woken here); a second claimer
 * beside it could take over a job whose lease the test clock has jumped past while it is still being sent, and send
 * it twice. Waiting here is for work in hand to finish, never for time to pass.
 */
export async function drainJobs(hami: Pick<RunningHami, 'deps'>, timeoutMs = 10_000): Promise<void> {
  hami.deps.jobQueued();
  await waitForIdleQueue(hami.deps.db, () => hami.deps.clock.now(), timeoutMs);
}

/**
 * Returns once no job in `db` is running or due at `now()` — for servers in other processes, whose workers run the
 * jobs (`runDue` lets an in-process caller run them itself). Throws, naming a job, if that takes over `timeoutMs`.
 */
export async function waitForIdleQueue(
  db: RunningHami['deps']['db'],
  now: () => Date,
  timeoutMs = 10_000,
  runDue?: () => Promise<unknown>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await runDue?.();
    const busy = await db
      .selectFrom('jobs')
      .select(['name', 'status'])
      .where((eb) => eb.or([eb('status', '=', 'running'), eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now().toISOString())])]))
      .executeTakeFirst();
    if (!busy) return;
    if (Date.now() > deadline) throw new Error(`jobs still due or running after ${timeoutMs} ms (e.g. ${busy.name}, ${busy.status})`);
    // A worker holds this job: let its run finish.
    await new Promise((r) => setTimeout(r, 10));
  }
}
