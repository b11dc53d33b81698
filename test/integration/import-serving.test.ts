import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ImportReport } from '../../shared/api/imports.js';
import { runImportCommand } from '../../server/imports/cli.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { ADMIN, signIn } from '../helpers/staff.js';

/*
 * An import shares the server's process (the API) or its database (the CLI). These tests check the order of things,
 * not milliseconds: a request sent once the import has begun storing rows is answered while the import still runs —
 * before the import's own answer, with part of the file not yet stored. (Before, on SQLite, each batch of 2,000 rows
 * was written without giving the event loop a turn: the request waited for the last batch.)
 */

const ROWS = 3000;

/** `ROWS` years-old purchase events (stored without a survey: the import's own work only), ids prefixed. */
function eventsFile(prefix: string): string {
  const lines = ['Order ID,Type,Customer ID,Order Date'];
  for (let i = 0; i < ROWS; i++) lines.push(`${prefix}-${i},purchase,${prefix}-c${i % 500},2020-01-0${1 + (i % 9)}`);
  return `${lines.join('\n')}\n`;
}

describe('the server answers while a big import runs', { timeout: 120_000 }, () => {
  let hami: TestHami;
  let dir: string;

  beforeAll(async () => {
    hami = await startTestHami();
    dir = mkdtempSync(path.join(os.tmpdir(), 'import-serving-'));
  });
  afterAll(async () => {
    await hami.stopAndClean();
    rmSync(dir, { recursive: true, force: true });
  });

  const stored = async (prefix: string) =>
    Number(
      (
        await hami.deps.db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('external_id', 'like', `${prefix}-%`)
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** Starts `importing`, waits until it has stored rows, then asks /healthz; returns what had happened when it answered. */
  async function healthzDuring(prefix: string, importing: () => Promise<unknown>) {
    let importDone = false;
    const running = importing().then((result) => {
      importDone = true;
      return result;
    });
    await eventually(async () => (await stored(prefix)) > 0, 60_000);
    const health = await fetch(`${hami.url}/healthz`);
    const answered = { status: health.status, importDone, rowsStored: await stored(prefix) };
    return { answered, result: await running };
  }

  test('/healthz sent during a POST /api/imports is answered before the import, with part of the file still to go', async () => {
    const admin = await signIn(hami, ADMIN.email, ADMIN.password);
    const { answered, result } = await healthzDuring('api', () =>
      fetch(`${hami.url}/api/imports?kind=events`, {
        method: 'POST',
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'text/csv' },
        body: eventsFile('api'),
      }).then((r) => r.json() as Promise<ImportReport>),
    );
    expect(answered).toEqual({ status: 200, importDone: false, rowsStored: expect.any(Number) });
    expect(answered.rowsStored).toBeLessThan(ROWS);
    expect(result).toMatchObject({ rows: ROWS, imported: ROWS, failed: 0 });
  });

  test('/healthz sent during `hami import` on the same database is answered before the import ends', async () => {
    const file = path.join(dir, 'cli.csv');
    writeFileSync(file, eventsFile('cli'));
    const io = { env: { HAMI_DATA_DIR: hami.dataDir, DATABASE_URL: hami.databaseUrl }, out: () => {}, err: () => {} };
    const { answered, result } = await healthzDuring('cli', () => runImportCommand(io, file, {}));
    expect(answered).toEqual({ status: 200, importDone: false, rowsStored: expect.any(Number) });
    expect(answered.rowsStored).toBeLessThan(ROWS);
    expect(result).toBe(0);
    expect(await stored('cli')).toBe(ROWS);
  });
});
