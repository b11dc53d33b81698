import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ImportReport } from '../../shared/api/imports.js';
import type { CliIo } from '../../server/cli.js';
import { runImportCommand } from '../../server/imports/cli.js';
import { NOT_UTF8, readCsv } from '../../server/imports/csv.js';
import { ManualClock } from '../helpers/clock.js';
import { startTestHami, type TestHami } from '../helpers/hami.js';
import { ADMIN, signIn } from '../helpers/staff.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/imports');

/** runImportCommand against the test server's own database, with what it printed. */
async function importFile(hami: TestHami, file: string, options: { kind?: string; map?: string[]; dryRun?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    env: { HAMI_DATA_DIR: hami.dataDir, DATABASE_URL: hami.databaseUrl },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  };
  const code = await runImportCommand(io, path.resolve(FIXTURES, file), options);
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

  test('each bad row carries a code the dashboard words in its own language', async () => {
    const admin = await signIn(hami, ADMIN.email, ADMIN.password);
    const upload = await fetch(`${hami.url}/api/imports?kind=events&dryRun=true`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'text/csv' },
      body: readFileSync(path.resolve(FIXTURES, 'events.csv')),
    });
    expect(((await upload.json()) as ImportReport).errors).toEqual([
      { row: 3, field: 'customer.email', reason: 'must be an email address', code: 'invalid_email' },
      { row: 4, field: 'type', reason: 'must be one of purchase, resolution', code: 'invalid_value' },
      { row: 5, field: 'customer.id', reason: 'is required', code: 'required' },
    ]);
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
    const count = await hami.deps.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
  });

  test('customers are upserted by their id; a dry run writes nothing', async () => {
    const dry = await importFile(hami, 'customers.csv', { kind: 'customers', dryRun: true });
    expect(dry.out[0]).toBe(
      'customers: 3 rows, would import 1 new, updated 1, skipped 0 already there, 1 with errors (dry run: nothing written)',
    );
    expect(await hami.deps.db.selectFrom('customers').select('id').where('external_id', '=', 'c-2').executeTakeFirst()).toBeUndefined();
    const run = await importFile(hami, 'customers.csv', { kind: 'customers' });
    expect(run.out).toEqual([
      'customers: 3 rows, imported 1 new, updated 1, skipped 0 already there, 1 with errors',
      'row 4, email: must be an email address',
    ]);
    const sara = await hami.deps.db.selectFrom('customers').selectAll().where('external_id', '=', 'c-1').executeTakeFirstOrThrow();
    expect(JSON.parse(sara.attributes)).toEqual({ tier: 'طلایی' });
  });

  test('--map names a column the defaults do not know; a missing column stops the import with a message', async () => {
    const missing = await importFile(hami, 'customers.csv', { kind: 'events' });
    expect(missing.code).toBe(1);
    expect(missing.err[0]).toMatch(/^hami import: no column for type/);
    const unknownKind = await importFile(hami, 'customers.csv', { kind: 'orders' });
    expect(unknownKind.err).toEqual([
      'hami import: --kind must be one of customers, events, delighted-people, delighted-responses (got "orders")',
    ]);
  });
});

describe('CSV rows whose text cannot be stored are reported by row number; the other rows import', { timeout: 30_000 }, () => {
  let hami: TestHami;
  let dir: string;
  const clock = new ManualClock('2026-11-22T09:00:00Z');
  const rowsOf = (lines: Array<string | Buffer>) =>
    Buffer.concat(lines.flatMap((line) => [Buffer.isBuffer(line) ? line : Buffer.from(line), Buffer.from('\n')]));
  /** Row 3 holds bytes that are not UTF-8 (a lone 0xFF, then an encoded surrogate), row 5 a NUL; rows 2 and 4 are fine. */
  const file = (prefix: string) =>
    rowsOf([
      'id,email,name',
      `${prefix}-1,${prefix}1@example.com,Sara`,
      Buffer.concat([Buffer.from(`${prefix}-2,${prefix}2@example.com,Bad `), Buffer.from([0xff, 0xed, 0xa0, 0x80]), Buffer.from(' name')]),
      `${prefix}-3,${prefix}3@example.com,رضا`,
      `${prefix}-4,${prefix}4@example.com,Nul\u0000Name`,
    ]);
  const stored = (prefix: string) =>
    hami.deps.db
      .selectFrom('customers')
      .select(['external_id', 'name'])
      .where('external_id', 'like', `${prefix}-%`)
      .orderBy('external_id')
      .execute();

  beforeAll(async () => {
    hami = await startTestHami({ clock });
    dir = mkdtempSync(path.join(os.tmpdir(), 'hami-bad-csv-'));
  });
  afterAll(async () => {
    await hami.stopAndClean();
    rmSync(dir, { recursive: true, force: true });
  });

  test('npx hami import: invalid UTF-8 and a NUL are errors of rows 3 and 5, the rest is imported', async () => {
    writeFileSync(path.join(dir, 'cli.csv'), file('cli'));
    const run = await importFile(hami, path.join(dir, 'cli.csv'), { kind: 'customers' });
    expect(run.out).toEqual([
      'customers: 4 rows, imported 2 new, updated 0, skipped 0 already there, 2 with errors',
      'row 3, name: is not valid UTF-8',
      'row 5, name: must not contain a NUL character',
    ]);
    expect(await stored('cli')).toEqual([
      { external_id: 'cli-1', name: 'Sara' },
      { external_id: 'cli-3', name: 'رضا' },
    ]);
  });

  test('POST /api/imports, as a body and as a multipart upload: the same rows reported, never a 500', async () => {
    const admin = await signIn(hami, ADMIN.email, ADMIN.password);
    const headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken };
    const body = await fetch(`${hami.url}/api/imports?kind=customers`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/csv' },
      body: file('http'),
    });
    expect(body.status).toBe(200);
    expect(await body.json()).toMatchObject({
      rows: 4,
      imported: 2,
      failed: 2,
      errors: [
        { row: 3, field: 'name', reason: 'is not valid UTF-8' },
        { row: 5, field: 'name', reason: 'must not contain a NUL character' },
      ],
    });
    const form = new FormData();
    form.set('file', new Blob([file('form')], { type: 'text/csv' }), 'customers.csv');
    const upload = await fetch(`${hami.url}/api/imports?kind=customers`, { method: 'POST', headers, body: form });
    expect(upload.status).toBe(200);
    expect(await upload.json()).toMatchObject({ imported: 2, failed: 2, errors: [{ row: 3 }, { row: 5 }] });
    expect((await stored('form')).map((row) => row.external_id)).toEqual(['form-1', 'form-3']);
  });

  test('a character split between two chunks of a file is read whole; a broken one is still found', async () => {
    const text = Buffer.from('id,name\nc-1,سارا\n');
    const chunks = [...text].map((byte) => Buffer.from([byte])); // one byte per chunk: every sequence is split
    const records = [];
    for await (const record of readCsv(Readable.from([...chunks, Buffer.from('c-2,'), Buffer.from([0xd8]), Buffer.from('\n')])))
      records.push(record.cells);
    expect(records).toEqual([
      ['id', 'name'],
      ['c-1', 'سارا'],
      ['c-2', NOT_UTF8],
    ]);
  });
});
