import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../../server/db/connect.js';
import { newRowId } from '../../server/db/ids.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { prepared } from '../../server/db/prepared.js';
import type { Customer } from '../../server/db/schema.js';
import { loadConfig } from '../../server/config.js';
import { createTestDatabase, type TestDatabase } from '../helpers/hami.js';

const NOW = '2026-11-23T10:00:00.000Z';

function customer(externalId: string, fields: Partial<Customer> = {}): Customer {
  return {
    id: newRowId(),
    external_id: externalId,
    email: null,
    phone: null,
    name: null,
    locale: 'en',
    time_zone: null,
    attributes: '{}',
    created_at: NOW,
    updated_at: NOW,
    ...fields,
  };
}

describe('prepared queries (built once, run with new values)', () => {
  let dir: string;
  let db: Db;
  let database: TestDatabase;
  const insert = prepared((db, row: Customer) => db.insertInto('customers').values(row));
  const byExternalId = prepared((db, p: { externalId: string }) =>
    db.selectFrom('customers').select(['external_id', 'name', 'email']).where('external_id', '=', p.externalId),
  );

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hami-prepared-'));
    database = await createTestDatabase(dir);
    db = openDatabase(loadConfig({ HAMI_DATA_DIR: dir, DATABASE_URL: database.url }).database);
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('each call runs with its own values, and values with quotes and SQL stay values', async () => {
    const tricky = `x'); drop table customers; --`;
    await insert.run(db, customer('a', { name: 'سارا' }));
    await insert.run(db, customer(tricky, { name: "O'Brien" }));
    expect(await byExternalId.executeTakeFirst(db, { externalId: 'a' })).toEqual({ external_id: 'a', name: 'سارا', email: null });
    expect(await byExternalId.executeTakeFirst(db, { externalId: tricky })).toEqual({ external_id: tricky, name: "O'Brien", email: null });
    expect(await byExternalId.executeTakeFirst(db, { externalId: 'nobody' })).toBeUndefined();
  });

  test('a call that leaves a column out inserts without it, and the next full call still sets every column', async () => {
    const { email: _email, ...withoutEmail } = customer('no-email');
    await insert.run(db, withoutEmail as Customer);
    await insert.run(db, customer('with-email', { email: 'w@example.com' }));
    expect((await byExternalId.executeTakeFirst(db, { externalId: 'no-email' }))?.email).toBeNull();
    expect((await byExternalId.executeTakeFirst(db, { externalId: 'with-email' }))?.email).toBe('w@example.com');
  });

  test('values written into the query itself (an "in" list) are kept, and a write reports the rows it changed', async () => {
    const named = prepared((db, p: { prefix: string }) =>
      db
        .selectFrom('customers')
        .select('external_id')
        .where('locale', 'in', ['en', 'fa'])
        .where('external_id', 'like', p.prefix)
        .orderBy('external_id'),
    );
    expect((await named.execute(db, { prefix: 'with%' })).map((row) => row.external_id)).toEqual(['with-email']);
    const rename = prepared((db, p: { externalId: string; name: string }) =>
      db.updateTable('customers').set({ name: p.name }).where('external_id', '=', p.externalId),
    );
    expect(await rename.run(db, { externalId: 'a', name: 'Sara' })).toBe(1);
    expect(await rename.run(db, { externalId: 'nobody', name: 'x' })).toBe(0);
    expect((await byExternalId.executeTakeFirst(db, { externalId: 'a' }))?.name).toBe('Sara');
  });

  test('a placeholder used as SQL text instead of a value is refused when the query is built', async () => {
    const unsafe = prepared((db, p: { column: string }) => db.selectFrom('customers').select(sql.raw<string>(p.column).as('value')));
    await expect(unsafe.execute(db, { column: 'name' })).rejects.toThrow(/column was used as SQL text/);
  });

  test('inside a transaction the prepared query sees the transaction’s own writes, and a rollback removes them', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await insert.run(trx, customer('in-trx'));
        expect(await byExternalId.executeTakeFirst(trx, { externalId: 'in-trx' })).toBeDefined();
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await byExternalId.executeTakeFirst(db, { externalId: 'in-trx' })).toBeUndefined();
  });
});
