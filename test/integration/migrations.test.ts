import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { openDatabase, type Db } from '../../server/db/connect.js';
import { migrateTo, migrateToLatest } from '../../server/db/migrate.js';
import { takePendingSettle } from '../../server/responses/record-answer.js';
import { createTestDatabase, type TestDatabase } from '../helpers/hami.js';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

async function databaseAt(migration: string): Promise<Db> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-migrations-'));
  const database: TestDatabase = await createTestDatabase(dir);
  const db = openDatabase(loadConfig({ HAMI_DATA_DIR: dir, DATABASE_URL: database.url }).database);
  cleanup = async () => {
    await db.destroy();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  await migrateTo(db, migration);
  return db;
}

test('a one-tap answer still waiting to settle when Hami is upgraded is found by its response afterwards', async () => {
  const db = await databaseAt('2026-11-23-010-one-tap-taps');
  const at = '2026-11-23T10:00:00.000Z';
  const settle = {
    responseId: 'response-1',
    invitationId: 'invitation-1',
    created: true,
    previousAnswers: null,
    previousScore: null,
    previousSolved: null,
    at,
  };
  const job = {
    name: 'answer.settle',
    status: 'queued',
    run_at: at,
    attempts: 0,
    max_attempts: 12,
    locked_until: null,
    last_error: null,
    created_at: at,
    updated_at: at,
  };
  // As the older version queued them: no key column, the response only inside the payload.
  await db
    .insertInto('jobs')
    .values({ ...job, id: 'job-1', payload: JSON.stringify(settle) } as never)
    .execute();
  await db
    .insertInto('jobs')
    .values({ ...job, id: 'job-2', payload: JSON.stringify({ ...settle, responseId: 'response-2' }) } as never)
    .execute();

  await migrateToLatest(db);

  const taken = await db.transaction().execute((trx) => takePendingSettle(trx, 'response-1'));
  expect(taken).toEqual(settle);
  const left = await db.selectFrom('jobs').select(['id', 'key']).orderBy('id').execute();
  expect(left).toEqual([{ id: 'job-2', key: 'response-2' }]);
  // Taken once: a second look finds nothing, so the answer is never settled twice.
  expect(await db.transaction().execute((trx) => takePendingSettle(trx, 'response-1'))).toBeNull();
});
