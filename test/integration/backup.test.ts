import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { runCli } from '../../server/cli.js';
import { invitationToken } from '../../server/delivery/tokens.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { runHamiCommand as hamiCommand, type CommandRun as Run } from '../helpers/run-cli.js';

/** Backups copy SQLite's file; the PostgreSQL run checks only that the command points to pg_dump. */
const onSqlite = process.env.HAMI_TEST_ENGINE !== 'postgres';

/** The server's SQLite file as DATABASE_URL, for a command run next to it. */
function databaseUrlOf(hami: TestHami): string {
  const database = hami.deps.config.database;
  if (database.kind !== 'sqlite') throw new Error('backups copy a SQLite file');
  return `file:${database.path}`;
}

/** runCli in this process, collecting what it prints. */
async function cli(args: string[], env: Record<string, string>): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('npx hami backup', { timeout: 90_000 }, () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  function tempDir(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-backup-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  test('--help says what it does, that it works while the server runs, and offers --force', async () => {
    const help = await hamiCommand(['backup', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('$ hami backup <file>');
    expect(help.stdout).toMatch(/Copy the SQLite database to <file> while the server runs .*for PostgreSQL use pg_dump/);
    expect(help.stdout).toMatch(/--force\s+Overwrite <file> if it exists/);
    const all = await hamiCommand(['--help'], {});
    expect(all.stdout).toMatch(/backup <file>/);
  });

  test('PostgreSQL is refused with one line saying to use pg_dump', async () => {
    const dir = tempDir();
    const run = await cli(['backup', path.join(dir, 'b.db')], { HAMI_DATA_DIR: dir, DATABASE_URL: 'postgres://hami@127.0.0.1:5432/hami' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^hami: DATABASE_URL is PostgreSQL: back it up with pg_dump/);
    expect(existsSync(path.join(dir, 'b.db'))).toBe(false);
  });

  if (!onSqlite) return;

  test('a target that exists is refused unless --force; a missing folder or database is named', async () => {
    const hami = await startTestHami();
    cleanup.push(() => hami.stopAndClean());
    const dir = tempDir();
    const env = { HAMI_DATA_DIR: hami.dataDir, DATABASE_URL: databaseUrlOf(hami) };
    const target = path.join(dir, 'b.db');
    writeFileSync(target, 'an older backup');

    const refused = await cli(['backup', target], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`hami: ${target} already exists: choose another file, or add --force to overwrite it`);

    const forced = await cli(['backup', target, '--force'], env);
    expect(forced.code).toBe(0);
    const copy = new SQLite(target, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete'); // one self-contained file
    copy.close();

    const noFolder = await cli(['backup', path.join(dir, 'missing', 'b.db')], env);
    expect(noFolder.stderr).toBe(`hami: the folder ${path.join(dir, 'missing')} does not exist: create it first`);
    const noDatabase = await cli(['backup', path.join(dir, 'c.db')], {
      HAMI_DATA_DIR: dir,
      DATABASE_URL: `file:${path.join(dir, 'none.db')}`,
    });
    expect(noDatabase.stderr).toMatch(/^hami: there is no database at .*none\.db: nothing to back up/);
  });

  test('a backup taken while events are being posted, restored into a fresh data folder, starts and holds every event committed before it began', async () => {
    const hami = await startTestHami();
    cleanup.push(() => hami.stopAndClean());
    const backupDir = tempDir();
    const backupFile = path.join(backupDir, 'hami-backup.db');

    // Events keep arriving for the whole backup; each one answered 202 is committed.
    const committed: { id: string; at: number }[] = [];
    let posting = true;
    let serial = 0;
    const writer = (async () => {
      while (posting) {
        const id = `o-${serial++}`;
        const { status } = await hami.postEvent({
          type: 'purchase',
          id,
          customer: { id: `c-${id}`, email: `${id}@example.com` },
          attributes: { note: 'x'.repeat(400) },
        });
        expect(status).toBe(202);
        committed.push({ id, at: Date.now() });
      }
    })();
    await eventually(() => committed.length >= 40, 20_000);

    const startedAt = Date.now();
    const committedBefore = committed.filter((e) => e.at < startedAt).map((e) => e.id);
    const run = await hamiCommand(['backup', backupFile], { HAMI_DATA_DIR: hami.dataDir, DATABASE_URL: databaseUrlOf(hami) });
    const postedDuring = committed.length - committedBefore.length;
    posting = false;
    await writer;

    expect(run.stderr).toMatch(/backup: 100% \(\d+ of \d+ pages\)/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^backed up .*hami\\.db to ${backupFile}: \\d+ pages, [\\d.]+ MB, integrity ok, in [\\d.]+ s`));
    expect(postedDuring).toBeGreaterThan(0); // the server really was writing during the backup
    const firstLink = await hami.deps.db.selectFrom('invitations').select('id').orderBy('id').executeTakeFirstOrThrow();

    // The documented restore: server stopped, the backup moved into place as the database file, no stale -wal/-shm,
    // the data folder's secret kept (it signs the links already sent), then start.
    const restoredDir = tempDir();
    copyFileSync(backupFile, path.join(restoredDir, 'hami.db'));
    copyFileSync(path.join(hami.dataDir, 'secret'), path.join(restoredDir, 'secret'));
    for (const stale of ['hami.db-wal', 'hami.db-shm']) rmSync(path.join(restoredDir, stale), { force: true });
    const restored = await startTestHami({
      env: { HAMI_DATA_DIR: restoredDir, DATABASE_URL: `file:${path.join(restoredDir, 'hami.db')}` },
    });
    cleanup.push(() => restored.stopAndClean());

    const events = new Set((await restored.deps.db.selectFrom('events').select('external_id').execute()).map((e) => e.external_id));
    for (const id of committedBefore) expect(events.has(id)).toBe(true);
    expect(events.size).toBeGreaterThanOrEqual(committedBefore.length);
    expect(events.size).toBeLessThanOrEqual(committed.length);
    // Each event restored whole: its customer, invitation and send job came with it.
    const counts = await Promise.all(
      (['customers', 'invitations'] as const).map(async (table) =>
        Number(
          (
            await restored.deps.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ),
    );
    expect(counts).toEqual([events.size, events.size]);
    const check = new SQLite(path.join(restoredDir, 'hami.db'), { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    // A survey link sent before the backup still opens on the restored server.
    const page = await fetch(`${restored.url}/s/${invitationToken(restored.deps.secret, firstLink.id)}`);
    expect(page.status).toBe(200);
    expect((await restored.postEvent({ type: 'purchase', id: 'after-restore', customer: { id: 'new' } })).status).toBe(202);
  });
});
