/**
 * Group commit (server/db/group-commit.ts), on real SQLite files with synchronous=FULL: concurrent transactions share
 * a COMMIT, each one resolves only once its COMMIT has returned, a failing one takes nobody else's writes with it,
 * a failed COMMIT fails its whole group, and an event the HTTP API answered 2xx survives a kill -9 of the server.
 * SQLite only: the file runs in the PostgreSQL project too, but opens its own SQLite files there as well.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql, type Generated, type Kysely } from 'kysely';
import { afterEach, describe, expect, test } from 'vitest';
import { openDatabase } from '../../server/db/connect.js';
import { groupCommitStats, type GroupCommitStats } from '../../server/db/group-commit.js';
import { serverUrl, spawnServer } from '../helpers/server-process.js';

interface Tables {
  item: { id: Generated<number>; name: string };
  parent: { id: number };
  child: { id: number; parent_id: number };
}

describe('group commit', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function open(): Promise<{ db: Kysely<Tables>; stats: () => GroupCommitStats; committed: () => string[] }> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-group-commit-'));
    const file = path.join(dir, 'test.db');
    const opened = openDatabase({ kind: 'sqlite', path: file });
    const stats = () => groupCommitStats(opened)!;
    // The app's tables are not needed: these tests make their own.
    const db = opened as unknown as Kysely<Tables>;
    await sql`create table item (id integer primary key, name text not null unique)`.execute(db);
    await sql`create table parent (id integer primary key)`.execute(db);
    await sql`create table child (id integer primary key, parent_id integer not null references parent (id) deferrable initially deferred)`.execute(
      db,
    );
    // Another connection sees only what is committed: what a restarted server would find.
    const outside = new SQLite(file, { readonly: true });
    cleanup.push(async () => {
      outside.close();
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    });
    const committed = () => (outside.prepare('select name from item order by id').all() as { name: string }[]).map((r) => r.name);
    return { db, stats, committed };
  }

  test('100 concurrent transactions share a few commits, and each resolves only once its row is committed', async () => {
    const { db, stats, committed } = await open();
    const before = stats();
    const seenCommittedAtResolve: boolean[] = [];
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        db
          .transaction()
          .execute(async (trx) => {
            await trx
              .insertInto('item')
              .values({ name: `item-${i}` })
              .execute();
          })
          .then(() => seenCommittedAtResolve.push(committed().includes(`item-${i}`))),
      ),
    );
    const after = stats();
    expect(seenCommittedAtResolve).toHaveLength(100);
    expect(seenCommittedAtResolve.every(Boolean)).toBe(true);
    expect(after.writes - before.writes).toBe(100);
    expect(after.commits - before.commits).toBeLessThanOrEqual(5);
    expect(after.largestGroup).toBeGreaterThanOrEqual(20);
  });

  test('a failing transaction in a group rolls back only itself; the others commit in the same group', async () => {
    const { db, stats, committed } = await open();
    await db.insertInto('item').values({ name: 'taken' }).execute();
    const before = stats();
    const results = await Promise.allSettled([
      db.transaction().execute((trx) => trx.insertInto('item').values({ name: 'first' }).execute()),
      db.transaction().execute(async (trx) => {
        await trx.insertInto('item').values({ name: 'thrown away' }).execute();
        throw new Error('the request failed');
      }),
      db.transaction().execute(async (trx) => {
        await trx.insertInto('item').values({ name: 'half done' }).execute();
        await trx.insertInto('item').values({ name: 'taken' }).execute(); // unique violation
      }),
      db.transaction().execute((trx) => trx.insertInto('item').values({ name: 'last' }).execute()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(committed()).toEqual(['taken', 'first', 'last']);
    expect(stats().commits - before.commits).toBe(1);
  });

  test('transactions run and resolve in the order they began, each seeing the writes before it', async () => {
    const { db, committed } = await open();
    const resolved: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        db
          .transaction()
          .execute(async (trx) => {
            // Read-modify-write: two transactions interleaving would write the same number twice.
            const { n } = (await sql<{ n: number }>`select count(*) as n from item`.execute(trx)).rows[0]!;
            await trx
              .insertInto('item')
              .values({ name: `${String(n).padStart(2, '0')} by ${i}` })
              .execute();
          })
          .then(() => resolved.push(i)),
      ),
    );
    expect(resolved).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(committed()).toEqual(Array.from({ length: 50 }, (_, i) => `${String(i).padStart(2, '0')} by ${i}`));
  });

  test('a read outside a transaction never sees a write that is not committed yet', async () => {
    const { db } = await open();
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const inserted = new Promise<void>((resolve) => (written = resolve));
    const writer = db.transaction().execute(async (trx) => {
      await trx.insertInto('item').values({ name: 'pending' }).execute();
      written();
      await holding; // the group stays open while this transaction holds the connection
    });
    await inserted; // the row is written, not committed
    expect(await db.selectFrom('item').select('name').execute()).toEqual([]);
    release();
    await writer;
    expect(await db.selectFrom('item').select('name').execute()).toEqual([{ name: 'pending' }]);
  });

  test('a lone write outside a transaction resolves only once committed', async () => {
    const { db, committed } = await open();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        db
          .insertInto('item')
          .values({ name: `lone-${i}` })
          .execute()
          .then(() => expect(committed()).toContain(`lone-${i}`)),
      ),
    );
    expect(committed()).toHaveLength(10);
  });

  test('when the shared COMMIT fails, every transaction of that group fails and none of its writes stay', async () => {
    const { db, committed } = await open();
    const results = await Promise.allSettled([
      db.transaction().execute((trx) => trx.insertInto('item').values({ name: 'innocent' }).execute()),
      // A deferred foreign key is checked only at the outer COMMIT, so this one fails the group's COMMIT.
      db.transaction().execute((trx) => trx.insertInto('child').values({ id: 1, parent_id: 999 }).execute()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(committed()).toEqual([]);
    // The next group starts clean.
    await db.transaction().execute((trx) => trx.insertInto('item').values({ name: 'after' }).execute());
    expect(committed()).toEqual(['after']);
  });

  describe('through the real server process', () => {
    let child: ChildProcess | null = null;
    afterEach(() => {
      child?.kill('SIGKILL');
      child = null;
    });

    test('every event the API answered 2xx is in the database after a kill -9 of the server', async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-group-commit-kill-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      const file = path.join(dir, 'hami.db');
      const key = 'kill_test_key_0123456789abcdef';
      const server = spawnServer([], {
        PORT: '0',
        HAMI_DATA_DIR: dir,
        DATABASE_URL: `file:${file}`,
        HAMI_API_KEYS: key,
        HAMI_ADMIN_PASSWORD: 'kill-test-password-1',
      });
      child = server.child;
      const exited = server.exited;
      const url = await serverUrl(server);

      // 400 events from 40 clients at once; the server is killed the moment 150 have been answered.
      const answered: string[] = [];
      let killed = false;
      const send = async (id: string) => {
        const res = await fetch(`${url}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'purchase', id, customer: { id: `c-${id}`, email: `${id}@example.com` } }),
        }).catch(() => null);
        if (res && res.status === 202) {
          answered.push(id);
          if (answered.length >= 150 && !killed) {
            killed = true;
            child!.kill('SIGKILL');
          }
        }
      };
      await Promise.all(
        Array.from({ length: 40 }, async (_, client) => {
          for (let i = client; i < 400 && !killed; i += 40) await send(`order-${i}`);
        }),
      );
      await exited;
      expect(killed).toBe(true);

      const after = new SQLite(file);
      const stored = new Set(
        (after.prepare(`select external_id from events where type = 'purchase'`).all() as { external_id: string }[]).map(
          (r) => r.external_id,
        ),
      );
      after.close();
      expect(answered.length).toBeGreaterThanOrEqual(150);
      expect(answered.filter((id) => !stored.has(id))).toEqual([]);
    }, 60_000);
  });
});
