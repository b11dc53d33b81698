import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../helpers/clock.js';
import { eventually, startTestHami, TEST_API_KEY, type TestHami } from '../helpers/hami.js';
import { ADMIN, signIn, type StaffClient } from '../helpers/staff.js';

/** What people write for +98 912 123 4567 (issue 16, point 6). */
const WRITTEN = [
  '09121234567',
  '۰۹۱۲۱۲۳۴۵۶۷',
  '+98 912 123 4567',
  '00989121234567',
  '9121234567',
  '0912-123-4567',
  '\u200f۰۹۱۲ ۱۲۳ ۴۵۶۷\u200f',
  '+۹۸ (۹۱۲) ۱۲۳-۴۵۶۷',
];
const MOBILE = '+989121234567';
const EXPECTED = 'a mobile number is expected, such as 0912 345 6789 or +98 912 345 6789';

describe('phone numbers as people write them (HAMI_DEFAULT_COUNTRY unset: Iran)', { timeout: 30_000 }, () => {
  let hami: TestHami;
  let admin: StaffClient;
  // 11:30 in Tehran and 08:00 UTC: no quiet hours in the way of a survey sent now.
  const clock = new ManualClock('2026-05-10T08:00:00Z');

  beforeAll(async () => {
    hami = await startTestHami({ clock });
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
  });
  afterAll(() => hami.stopAndClean());

  const customersWithPhone = (phone: string) =>
    hami.deps.db.selectFrom('customers').select(['external_id', 'phone']).where('phone', '=', phone).execute();

  async function hook(kind: 'helpdesk' | 'shop', body: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${hami.url}/api/v1/hooks/${kind}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  /** POST /api/imports (the dashboard's upload) with `csv` as the body. */
  async function upload(kind: string, csv: string): Promise<{ status: number; body: any }> {
    const res = await fetch(`${hami.url}/api/imports?kind=${kind}`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'text/csv' },
      body: csv,
    });
    return { status: res.status, body: await res.json() };
  }

  test('the events API takes every written form as one customer with +989121234567, and the survey SMS goes to it', async () => {
    for (const [i, phone] of WRITTEN.entries()) {
      const { status, body } = await hami.postEvent({
        type: 'purchase',
        id: `forms-${i}`,
        sendAt: 'now',
        customer: { id: 'cust-forms', phone, locale: 'fa' },
      });
      expect(status, phone).toBe(202);
      expect(await customersWithPhone(MOBILE), phone).toEqual([{ external_id: 'cust-forms', phone: MOBILE }]);
      // The first event is surveyed; the others fall to the 90-day throttle of the same person.
      expect(body.invitations[0], phone).toMatchObject(
        i === 0 ? { channel: 'sms', status: 'scheduled' } : { status: 'skipped', reason: 'throttled' },
      );
    }
    const invitation = await hami.deps.db
      .selectFrom('invitations')
      .innerJoin('events', 'events.id', 'invitations.event_id')
      .select(['invitations.channel', 'invitations.address'])
      .where('events.external_id', '=', 'forms-0')
      .executeTakeFirstOrThrow();
    expect(invitation).toEqual({ channel: 'sms', address: MOBILE });
    const sent = await eventually(() => {
      const outbox = readFileSync(path.join(hami.dataDir, 'outbox', 'sms.jsonl'), 'utf8');
      return outbox
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { to: string });
    });
    expect(sent.map((message) => message.to)).toEqual([MOBILE]);
  });

  test.each([
    ['a Tehran landline', '021 8888 8888', 'is a landline number'],
    ['a landline written internationally', '+98 21 8888 8888', 'is a landline number'],
    ['a number a digit short', '0912 123 456', 'is not a phone number in use'],
    ['a number too long', '0912 123 456 789', 'is too long for a phone number'],
    ['letters', '0912 ABC 4567', 'is not a phone number'],
  ])('the events API refuses %s with a 400 naming customer.phone and saying what is expected', async (_what, phone, problem) => {
    const { status, body } = await hami.postEvent({ type: 'purchase', id: `bad-${phone}`, customer: { id: 'cust-bad-phone', phone } });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_input', field: 'customer.phone' });
    expect(body.error.message).toMatch(new RegExp(`^customer\\.phone ${problem}.*: ${EXPECTED.replace(/[+.]/g, '\\$&')}$`));
    const stored = await hami.deps.db.selectFrom('customers').select('id').where('external_id', '=', 'cust-bad-phone').executeTakeFirst();
    expect(stored).toBeUndefined();
  });

  test('a mobile from another country written internationally is accepted as it is', async () => {
    const { status } = await hami.postEvent({
      type: 'purchase',
      id: 'abroad-1',
      customer: { id: 'cust-abroad', phone: '+44 7911 123456' },
    });
    expect(status).toBe(202);
    expect(await customersWithPhone('+447911123456')).toEqual([{ external_id: 'cust-abroad', phone: '+447911123456' }]);
  });

  test('a shop hook and a help-desk hook with the phone written nationally find the same person in E.164; a landline alone is refused by its field', async () => {
    const shop = await hook('shop', { order: { id: 'ph-1', status: 'delivered', customer: { phone: '0935 123 4567' } } });
    expect(shop.status).toBe(202);
    const desk = await hook('helpdesk', { ticket: { id: 'ph-2', status: 'solved', requester: { phone: '+98 935 123 4567' } } });
    expect(desk.status).toBe(202);
    expect(await customersWithPhone('+989351234567')).toEqual([{ external_id: '+989351234567', phone: '+989351234567' }]);

    const landline = await hook('shop', { order: { id: 'ph-3', status: 'delivered', billing: { phone: '021-8888-8888' } } });
    expect(landline.status).toBe(400);
    expect(landline.body.error.field).toBe('order.customer.phone');
    expect(landline.body.error.message).toContain('is a landline number');
  });

  test('a privacy export or erasure finds a customer known only by their phone however the number is typed', async () => {
    // The shop hook above made +989351234567 a customer keyed by that number.
    const exported = await admin.call('GET', `/api/customers/${encodeURIComponent('۰۹۳۵ ۱۲۳ ۴۵۶۷')}/export`);
    expect(exported.status).toBe(200);
    expect(exported.body.customer).toMatchObject({ externalId: '+989351234567', phone: '+989351234567' });
    const erased = await admin.call('POST', `/api/customers/${encodeURIComponent('0935-123-4567')}/erase`);
    expect(erased.status).toBe(200);
    expect(await customersWithPhone('+989351234567')).toEqual([]);
    const stranger = await admin.call('GET', `/api/customers/${encodeURIComponent('0912 000 0000')}/export`);
    expect(stranger.status).toBe(404);
  });

  test('a CSV import reads the phone forms as the API does: the good rows imported as E.164, each bad one named with its row', async () => {
    const csv = [
      'id,type,customer id,customer phone',
      'csv-1,purchase,c-csv-1,0912 111 2233',
      'csv-2,purchase,c-csv-2,۰۹۱۲-۱۱۱-۲۲۴۴',
      'csv-3,purchase,c-csv-3,021 8888 8888',
      'csv-4,purchase,c-csv-4,+98 912 111 2255',
      'csv-5,purchase,c-csv-5,0912 111',
      'csv-6,purchase,c-csv-6,0098 912 111 2266',
    ].join('\n');
    const { status, body } = await upload('events', csv);
    expect(status).toBe(200);
    expect(body).toMatchObject({ rows: 6, imported: 4, failed: 2 });
    expect(body.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [4, 'customer.phone'],
      [6, 'customer.phone'],
    ]);
    expect(body.errors[0].reason).toBe(`is a landline number, which cannot receive a survey by SMS: ${EXPECTED}`);
    const phones = await hami.deps.db
      .selectFrom('customers')
      .select(['external_id', 'phone'])
      .where('external_id', 'like', 'c-csv-%')
      .orderBy('external_id')
      .execute();
    expect(phones).toEqual([
      { external_id: 'c-csv-1', phone: '+989121112233' },
      { external_id: 'c-csv-2', phone: '+989121112244' },
      { external_id: 'c-csv-4', phone: '+989121112255' },
      { external_id: 'c-csv-6', phone: '+989121112266' },
    ]);
  });

  test('a Delighted people export: phones in any form become E.164, a person known by phone alone is one customer however it is written, a landline is left out', async () => {
    const csv = [
      'Person ID,Email,Phone,Name',
      'p1,dl1@example.com,۰۹۱۹ ۲۲۲ ۳۳۴۴,Dara',
      'p2,,+98 919 222 3355,Mina',
      'p3,,0919-222-3355,Mina again',
      'p4,dl4@example.com,021 8888 8888,Office',
    ].join('\n');
    const { status, body } = await upload('delighted-people', csv);
    expect(status).toBe(200);
    expect(body).toMatchObject({ rows: 4, imported: 3, updated: 1, failed: 0 });
    const rows = await hami.deps.db
      .selectFrom('customers')
      .select(['external_id', 'phone', 'name'])
      .where('name', 'in', ['Dara', 'Mina', 'Mina again', 'Office'])
      .orderBy('external_id')
      .execute();
    expect(rows).toEqual([
      { external_id: '+989192223355', phone: '+989192223355', name: 'Mina again' },
      { external_id: 'dl1@example.com', phone: '+989192223344', name: 'Dara' },
      { external_id: 'dl4@example.com', phone: null, name: 'Office' },
    ]);
  });
});

describe('HAMI_DEFAULT_COUNTRY=GB', { timeout: 30_000 }, () => {
  let hami: TestHami;
  beforeAll(async () => {
    hami = await startTestHami({ clock: new ManualClock('2026-05-10T10:00:00Z'), env: { HAMI_DEFAULT_COUNTRY: 'GB' } });
  });
  afterAll(() => hami.stopAndClean());

  test('07911 123456 is read as British, an Iranian number still needs its +98, and a refusal shows a British example', async () => {
    const british = await hami.postEvent({ type: 'purchase', id: 'gb-1', customer: { id: 'cust-gb', phone: '07911 123456' } });
    expect(british.status).toBe(202);
    const iranian = await hami.postEvent({ type: 'purchase', id: 'gb-2', customer: { id: 'cust-ir', phone: '+98 912 123 4567' } });
    expect(iranian.status).toBe(202);
    const stored = await hami.deps.db.selectFrom('customers').select(['external_id', 'phone']).orderBy('external_id').execute();
    expect(stored).toEqual([
      { external_id: 'cust-gb', phone: '+447911123456' },
      { external_id: 'cust-ir', phone: '+989121234567' },
    ]);
    const landline = await hami.postEvent({ type: 'purchase', id: 'gb-3', customer: { id: 'cust-gb2', phone: '020 7946 0958' } });
    expect(landline.status).toBe(400);
    expect(landline.body.error.message).toBe(
      'customer.phone is a landline number, which cannot receive a survey by SMS: a mobile number is expected, such as 07400 123456 or +44 7400 123456',
    );
  });
});
