import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CliIo } from '../../server/cli.js';
import { runImportCommand } from '../../server/imports/cli.js';
import { ManualClock } from '../helpers/clock.js';
import { startTestHami, type TestHami } from '../helpers/hami.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/imports');

/** runImportCommand against the test server's own database, with what it printed. */
async function importFile(hami: TestHami, file: string, options: { kind?: string; map?: string[]; dryRun?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env: { HAMI_DATA_DIR: hami.dataDir, DATABASE_URL: hami.databaseUrl }, out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await runImportCommand(io, path.join(FIXTURES, file), options);
  return { code, out, err };
}

describe('hami import (CSV of events and customers)', { timeout: 30_000 }, () => {
  let hami: TestHami;
  const clock = new ManualClock('2026-11-22T09:00:00Z');

  beforeAll(async () => {
    hami = await startTestHami({ clock });
  });
  afterAll(() => hami.stopAndClean());

  test('a file with a BOM, Persian text and bad rows: good rows imported, each bad row named with its field', async () => {
    const run = await importFile(hami, 'events.csv');
    expect(run.code).toBe(1);
    expect(run.out).toEqual([
      'events: 5 rows, imported 2 new, updated 0, skipped 0 already there, 3 with errors',
      'row 3, customer.email: must be an email address',
      'row 4, type: must be one of purchase, resolution',
      'row 5, customer.id: is required',
    ]);
    const customer = await hami.deps.db.selectFrom('customers').selectAll().where('external_id', '=', 'c-1').executeTakeFirstOrThrow();
    expect(customer).toMatchObject({ name: 'سارا احمدی', phone: '+989121234567', email: 'sara@example.com', locale: 'fa' });
    const event = await hami.deps.db.selectFrom('events').selectAll().where('external_id', '=', 'A-1').executeTakeFirstOrThrow();
    expect(JSON.parse(event.attributes)).toEqual({ product: 'هدفون' });
    expect(event.occurred_at).toBe('2026-11-20T10:00:00.000Z');
  });

  test('a recent purchase is surveyed as the API would; a years-old ticket is stored without a survey', async () => {
    const invitations = await hami.deps.db
      .selectFrom('invitations')
      .innerJoin('events', 'events.id', 'invitations.event_id')
      .select(['events.external_id', 'invitations.status', 'invitations.reason'])
      .orderBy('events.external_id')
      .execute();
    expect(invitations).toEqual([
      { external_id: 'A-1', status: 'scheduled', reason: null },
      { external_id: 'T-9', status: 'skipped', reason: 'stale' },
    ]);
  });

  test('running the same file again imports nothing twice', async () => {
    const run = await importFile(hami, 'events.csv');
    expect(run.out[0]).toBe('events: 5 rows, imported 0 new, updated 0, skipped 2 already there, 3 with errors');
    const count = await hami.deps.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
  });

  test('customers are upserted by their id; a dry run writes nothing', async () => {
    const dry = await importFile(hami, 'customers.csv', { kind: 'customers', dryRun: true });
    expect(dry.out[0]).toBe('customers: 3 rows, would import 1 new, updated 1, skipped 0 already there, 1 with errors (dry run: nothing written)');
    expect(await hami.deps.db.selectFrom('customers').select('id').where('external_id', '=', 'c-2').executeTakeFirst()).toBeUndefined();
    const run = await importFile(hami, 'customers.csv', { kind: 'customers' });
    expect(run.out).toEqual(['customers: 3 rows, imported 1 new, updated 1, skipped 0 already there, 1 with errors', 'row 4, email: must be an email address']);
    const sara = await hami.deps.db.selectFrom('customers').selectAll().where('external_id', '=', 'c-1').executeTakeFirstOrThrow();
    expect(JSON.parse(sara.attributes)).toEqual({ tier: 'طلایی' });
  });

  test('--map names a column the defaults do not know; a missing column stops the import with a message', async () => {
    const missing = await importFile(hami, 'customers.csv', { kind: 'events' });
    expect(missing.code).toBe(1);
    expect(missing.err[0]).toMatch(/^hami import: no column for type/);
    const unknownKind = await importFile(hami, 'customers.csv', { kind: 'orders' });
    expect(unknownKind.err).toEqual(['hami import: --kind must be one of customers, events, delighted-people, delighted-responses (got "orders")']);
  });
});
