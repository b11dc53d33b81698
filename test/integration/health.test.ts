import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, inject, test } from 'vitest';
import {
  createTestDatabase,
  engineTest,
  eventually,
  setPostgresReadOnly,
  startTestHami,
  withAdmin,
  testEngine,
  type TestHami,
} from '../helpers/hami.js';
import { notRoot, serverUrl, spawnServer } from '../helpers/server-process.js';

/*
 * /healthz is what a load balancer or an orchestrator asks. It writes one row (a cheap probe) so that a database
 * that can no longer take writes — read-only, full — shows as not healthy with the reason, and healthy again once
 * it can. Runs on both engines, each with its own way of refusing writes.
 */
describe(`/healthz (${testEngine})`, () => {
  let hami: TestHami | undefined;
  afterEach(async () => {
    await hami?.stopAndClean();
    hami = undefined;
  });

  const health = async (h: TestHami) => {
    const res = await fetch(`${h.url}/healthz`);
    return { status: res.status, body: (await res.json()) as { ok: boolean; reason?: string; message?: string } };
  };

  /** A PRAGMA on the server's own writing connection (inside a transaction, which only that connection serves). */
  const onWriter = (h: TestHami, pragma: string) => h.deps.db.transaction().execute((trx) => sql.raw(`PRAGMA ${pragma}`).execute(trx));

  test('a database that takes writes: 200 { ok: true }', async () => {
    hami = await startTestHami();
    expect(await health(hami)).toEqual({ status: 200, body: { ok: true } });
  });

  engineTest('sqlite', 'SQLite that refuses writes (read-only): 503 naming read_only', async () => {
    hami = await startTestHami();
    await onWriter(hami, 'query_only = 1');
    const refused = await health(hami);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ ok: false, reason: 'read_only', message: expect.stringMatching(/cannot be written/) });
    // (No way back here: with query_only on, the writer cannot open the transaction that would turn it off.)
  });

  engineTest('sqlite', 'SQLite with no room to grow (a full disk, as in faults.test.ts): 503 naming full, then ok again', async () => {
    hami = await startTestHami();
    expect((await health(hami)).status).toBe(200);
    const [{ page_count: pages }] = (await onWriter(hami, 'page_count')).rows as [{ page_count: number }];
    await onWriter(hami, `max_page_count = ${pages}`);
    // Start-up's own work can leave a few free pages inside the file, and while there are some there is room: use
    // them up (probe-table rows of a page or so each) until SQLite refuses to grow the file.
    const free = async () => Number(((await onWriter(hami!, 'freelist_count')).rows as [{ freelist_count: number }])[0].freelist_count);
    for (let i = 0; i < 1000 && (await free()) > 0; i++) {
      const filled = await hami.deps.db
        .transaction()
        .execute((trx) => sql`insert into health_probe (id, checked_at) values (${`filler-${i}`}, ${'x'.repeat(3000)})`.execute(trx))
        .then(
          () => false,
          () => true,
        );
      if (filled) break;
    }
    expect(await free()).toBe(0);
    const refused = await health(hami);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ ok: false, reason: 'full', message: expect.stringMatching(/disk is full/) });
    await onWriter(hami, 'max_page_count = 1073741823');
    expect(await health(hami)).toEqual({ status: 200, body: { ok: true } });
  });

  engineTest('sqlite', 'a SQLite file made read-only under the running server: 503 naming read_only, then ok again', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-health-'));
    chmodSync(dir, 0o777);
    const server = spawnServer([], { HAMI_DATA_DIR: dir, PORT: '0' }, notRoot);
    try {
      const url = await serverUrl(server);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      chmodSync(path.join(dir, 'hami.db'), 0o444);
      const refused = await fetch(`${url}/healthz`);
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({ ok: false, reason: 'read_only' });
      chmodSync(path.join(dir, 'hami.db'), 0o644);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  engineTest('postgres', 'PostgreSQL in read-only mode (default_transaction_read_only): 503 naming read_only, then ok again', async () => {
    hami = await startTestHami();
    const setReadOnly = (on: boolean) => setPostgresReadOnly(hami!.databaseUrl, on);
    expect((await health(hami)).status).toBe(200);
    await setReadOnly(true);
    // A connection ended under the pool fails once before the pool replaces it: ask until the new one answers.
    const refused = await eventually(async () => {
      const h = await health(hami!);
      return h.body.reason === 'read_only' ? h : undefined;
    });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ ok: false, message: expect.stringMatching(/cannot be written/) });
    await setReadOnly(false);
    await eventually(async () => (await health(hami!)).status === 200);
  });

  engineTest('postgres', 'PostgreSQL whose role lost the right to write: 503 naming read_only', async () => {
    // The server connects as its own role (a superuser ignores grants), which owns the database it migrates.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-health-'));
    const database = await createTestDatabase(dir);
    const role = `hami_app_${randomBytes(6).toString('hex')}`;
    const name = new URL(database.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(`create role ${role} login`);
      await admin.query(`alter database ${name} owner to ${role}`);
      await admin.query(`alter schema public owner to ${role}`);
      const appUrl = new URL(database.url);
      appUrl.username = role;
      hami = await startTestHami({ env: { DATABASE_URL: appUrl.toString() } });
      expect((await health(hami)).status).toBe(200);
      await admin.query(`revoke insert, update on health_probe from ${role}`);
      const refused = await health(hami);
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ ok: false, reason: 'read_only' });
      await hami.stopAndClean();
      hami = undefined;
    } finally {
      await admin.end();
      await database.drop();
      await withAdmin(inject('postgresAdminUrl'), (client) => client.query(`drop role if exists ${role}`));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
