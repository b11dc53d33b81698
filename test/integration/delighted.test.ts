import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HOUSEKEEPING_JOB } from '../../server/housekeeping.js';
import { recordAnswer } from '../../server/responses/record-answer.js';
import { rebuildRollups } from '../../server/metrics/rollups.js';
import { HOUR, ManualClock } from '../helpers/clock.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { ADMIN, signIn, signInAgain, type StaffClient } from '../helpers/staff.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/imports');

describe('migration from Delighted', { timeout: 30_000 }, () => {
  let hami: TestHami;
  let admin: StaffClient;
  const clock = new ManualClock('2026-07-01T09:00:00Z');

  /** POST /api/imports with the fixture as the CSV body. */
  // `any` body: a report or an error body depending on status, and each test asserts the shape it expects.
  async function upload(kind: string, file: string, contentType = 'text/csv'): Promise<{ status: number; body: any }> {
    const res = await fetch(`${hami.url}/api/imports?kind=${kind}`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': contentType },
      body: readFileSync(path.join(FIXTURES, file)),
    });
    return { status: res.status, body: await res.json() };
  }

  /** A native Hami answer: event through the API, sent by the worker, answered through recordAnswer. */
  async function nativeAnswer(n: number, at: string, score: number) {
    clock.set(at);
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: `native-${n}`,
      sendAt: 'now',
      customer: { id: `n-${n}`, email: `n${n}@example.com` },
    });
    const invitation = await eventually(() =>
      hami.deps.db
        .selectFrom('invitations')
        .selectAll()
        .where('id', '=', body.invitations[0].id)
        .where('sent_at', 'is not', null)
        .executeTakeFirst(),
    );
    clock.advance(HOUR);
    await recordAnswer(hami.deps.db, {
      invitation,
      survey: hami.deps.surveys.byId(invitation.survey_id)!,
      answers: { nps: score },
      source: 'form',
      now: clock.now(),
    });
  }

  beforeAll(async () => {
    hami = await startTestHami({ clock });
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
  });
  afterAll(() => hami.stopAndClean());

  test('people become customers; a "Customer ID" property is their id, else their email; other columns are attributes', async () => {
    const { status, body } = await upload('delighted-people', 'delighted-people.csv');
    expect(status).toBe(200);
    expect(body).toMatchObject({ kind: 'delighted-people', rows: 2, imported: 2, failed: 0 });
    const customers = await hami.deps.db
      .selectFrom('customers')
      .select(['external_id', 'name', 'attributes'])
      .orderBy('external_id')
      .execute();
    expect(customers).toEqual([
      { external_id: 'ali@example.com', name: 'Ali', attributes: JSON.stringify({ Plan: 'basic' }) },
      { external_id: 'c-1', name: 'سارا احمدی', attributes: JSON.stringify({ Plan: 'gold' }) },
    ]);
  });

  test('responses become responses at their own time, with no case opened and nothing sent; bad rows are named', async () => {
    const { status, body } = await upload('delighted-responses', 'delighted-responses.csv');
    expect(status).toBe(200);
    expect(body).toEqual({
      kind: 'delighted-responses',
      rows: 6,
      imported: 3,
      updated: 0,
      skipped: 0,
      failed: 2,
      dryRun: false,
      errors: [
        { row: 5, field: 'Score', reason: 'must be a whole number from 0 to 10', code: 'invalid_score' },
        { row: 7, field: 'Created At', reason: 'is not a date-time Hami can read, e.g. 2024-03-05T14:22:10Z', code: 'invalid_date' },
      ],
      // The CSAT row is no error: it is left out and said so.
      notices: [{ code: 'not_nps', detail: 'csat', rows: 1 }],
    });
    const detractor = await hami.deps.db
      .selectFrom('responses')
      .innerJoin('customers', 'customers.id', 'responses.customer_id')
      .select(['customers.external_id', 'score', 'bucket', 'comment', 'day', 'answered_at', 'survey_id', 'responses.attributes'])
      .where('score', '=', 2)
      .executeTakeFirstOrThrow();
    expect(detractor).toEqual({
      external_id: 'c-1',
      score: 2,
      bucket: 'detractor',
      comment: 'ارسال خیلی دیر بود، دو هفته',
      day: '2026-06-10',
      answered_at: '2026-06-10T08:00:00.000Z',
      survey_id: 'delighted-import',
      attributes: JSON.stringify({ Plan: 'gold', Tags: 'late', Product: 'هدفون' }),
    });
    expect(await hami.deps.db.selectFrom('callback_cases').select('id').execute()).toEqual([]);
    expect(await hami.deps.db.selectFrom('jobs').select('id').where('name', '!=', HOUSEKEEPING_JOB).execute()).toEqual([]);
  });

  test('uploading the export again imports nothing twice', async () => {
    const { body } = await upload('delighted-responses', 'delighted-responses.csv');
    expect(body).toMatchObject({ imported: 0, skipped: 3, failed: 2 });
    const count = await hami.deps.db
      .selectFrom('responses')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
  });

  test('the NPS trend runs on across the switch, from the rollups, and equals a full rebuild', async () => {
    await nativeAnswer(1, '2026-07-02T09:00:00Z', 10);
    await nativeAnswer(2, '2026-07-03T09:00:00Z', 9);
    await nativeAnswer(3, '2026-07-03T12:00:00Z', 5);
    // Sessions last 12 hours and the clock moved days.
    admin = await signInAgain(hami, admin);
    const trend = async () => (await admin.call('GET', '/api/metrics/nps?from=2026-06-01&to=2026-07-31&interval=month')).body;
    const before = await trend();
    // June (Delighted): 2, 10, 8 → 1 promoter, 1 detractor of 3 = 0. July (Hami): 10, 9, 5 → (2 − 1) / 3 = 33.3.
    // Both: 3 promoters, 2 detractors of 6 = 16.7.
    expect(before.source).toBe('rollup');
    expect(before.total).toMatchObject({ n: 6, promoters: 3, passives: 1, detractors: 2 });
    expect(before.total.nps).toBeCloseTo(16.67, 1);
    expect(before.points.map((p: { start: string; n: number; nps: number }) => [p.start, p.n, Math.round(p.nps * 10) / 10])).toEqual([
      ['2026-06-01', 3, 0],
      ['2026-07-01', 3, 33.3],
    ]);
    await rebuildRollups(hami.deps.db, hami.deps.surveys.all);
    expect(await trend()).toEqual(before);
  });

  test("responses that name the person only by Delighted's id land on the customer the people file made, whichever file comes first", async () => {
    const customers = async () =>
      Number(
        (
          await hami.deps.db
            .selectFrom('customers')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const people = await upload('delighted-people', 'delighted-people-by-id.csv');
    expect(people.body).toMatchObject({ rows: 2, imported: 2, failed: 0 });
    const before = await customers();
    const responses = await upload('delighted-responses', 'delighted-responses-by-id.csv');
    // Three NPS answers; two CSAT rows and one CES row are left out without failing the import.
    expect(responses.body).toMatchObject({
      rows: 6,
      imported: 3,
      failed: 0,
      errors: [],
      notices: [
        { code: 'not_nps', detail: 'csat', rows: 2 },
        { code: 'not_nps', detail: 'ces7', rows: 1 },
      ],
    });
    // Person 203 is in no people file yet: one new customer, and only one.
    expect(await customers()).toBe(before + 1);
    const landed = await hami.deps.db
      .selectFrom('responses')
      .innerJoin('customers', 'customers.id', 'responses.customer_id')
      .select(['customers.external_id', 'customers.email', 'customers.phone', 'score', 'channel'])
      .where('survey_id', '=', 'delighted-import')
      .where('answered_at', '>=', '2026-05-01')
      .where('answered_at', '<', '2026-06-01')
      .orderBy('answered_at')
      .execute();
    expect(landed).toEqual([
      // The people file's Customer ID, and Delighted's web and kiosk sources kept as Hami's link and kiosk channels.
      { external_id: 'shop-77', email: 'neda@example.com', phone: null, score: 3, channel: 'link' },
      { external_id: '+989125551234', email: null, phone: '+989125551234', score: 9, channel: 'kiosk' },
      { external_id: 'delighted:203', email: null, phone: null, score: 10, channel: 'sms' },
    ]);
    // The people file for 203 comes later: it completes that customer instead of making a second one.
    const later = await upload('delighted-people', 'delighted-people-later.csv');
    expect(later.body).toMatchObject({ rows: 1, imported: 0, updated: 1, failed: 0 });
    expect(await customers()).toBe(before + 1);
    const person = await hami.deps.db
      .selectFrom('customers')
      .select(['email', 'name'])
      .where('external_id', '=', 'delighted:203')
      .executeTakeFirstOrThrow();
    expect(person).toEqual({ email: 'late@example.com', name: 'Late Person' });

    // Erasing a customer also forgets which Delighted person they were.
    const links = () =>
      hami.deps.db
        .selectFrom('delighted_people as p')
        .innerJoin('customers as c', 'c.id', 'p.customer_id')
        .select('p.person_id')
        .where('c.external_id', '=', 'shop-77')
        .execute();
    expect(await links()).toEqual([{ person_id: '201' }]);
    expect((await admin.call('POST', '/api/customers/shop-77/erase')).status).toBe(200);
    expect(await links()).toEqual([]);
  });

  test('a file that is not a Delighted export is refused naming the missing column', async () => {
    const wrong = await upload('delighted-responses', 'customers.csv');
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'invalid_input', field: 'Score' });
  });
});
