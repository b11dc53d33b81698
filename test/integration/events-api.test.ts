import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../helpers/clock.js';
import { startTestHami, TEST_API_KEY, type TestHami } from '../helpers/hami.js';

const customer = { id: 'cust-42', email: 'leila@example.com', name: 'Leila', locale: 'fa' };

describe('POST /api/v1/events', () => {
  let hami: TestHami;
  const clock = new ManualClock('2026-05-10T08:00:00Z');

  beforeAll(async () => {
    hami = await startTestHami({ clock });
  });
  afterAll(() => hami.stopAndClean());

  const count = async (table: 'events' | 'invitations' | 'jobs' | 'customers') =>
    Number(
      (
        await hami.deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('refuses a request without an API key, or with an unknown one', async () => {
    const none = await hami.postEvent({ type: 'purchase', id: 'x', customer }, { apiKey: null });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    const wrong = await hami.postEvent({ type: 'purchase', id: 'x', customer }, { apiKey: 'not-a-real-key-at-all' });
    expect(wrong.status).toBe(401);
    expect(await count('events')).toBe(0);
  });

  test.each([
    ['missing customer id', { type: 'purchase', id: 'o-1', customer: { email: 'a@example.com' } }, 'customer.id'],
    ['missing customer', { type: 'purchase', id: 'o-1' }, 'customer'],
    ['bad type', { type: 'refund', id: 'o-1', customer }, 'type'],
    ['missing id', { type: 'purchase', customer }, 'id'],
    [
      'attribute that is an object',
      { type: 'purchase', id: 'o-1', customer, attributes: { product: { name: 'x' } } },
      'attributes.product',
    ],
    [
      'customer attribute that is a list',
      { type: 'purchase', id: 'o-1', customer: { ...customer, attributes: { tags: ['a'] } } },
      'customer.attributes.tags',
    ],
    ['id that is a number', { type: 'purchase', id: 17, customer }, 'id'],
    ['unknown field', { type: 'purchase', id: 'o-1', customer, channel: 'sms' }, 'channel'],
    ['unknown customer field', { type: 'purchase', id: 'o-1', customer: { ...customer, age: 40 } }, 'customer.age'],
    ['sendAt that is not a date', { type: 'purchase', id: 'o-1', customer, sendAt: 'tomorrow' }, 'sendAt'],
    ['sendAt without an offset', { type: 'purchase', id: 'o-1', customer, sendAt: '2026-05-10T10:00:00' }, 'sendAt'],
    ['occurredAt that is not a date', { type: 'purchase', id: 'o-1', customer, occurredAt: 'yesterday' }, 'occurredAt'],
    [
      'email that is not an address',
      { type: 'purchase', id: 'o-1', customer: { ...customer, email: 'leila-at-example' } },
      'customer.email',
    ],
    ['phone that is a landline', { type: 'purchase', id: 'o-1', customer: { ...customer, phone: '021 8888 8888' } }, 'customer.phone'],
    ['unknown locale', { type: 'purchase', id: 'o-1', customer: { ...customer, locale: 'de' } }, 'customer.locale'],
    ['unknown time zone', { type: 'purchase', id: 'o-1', customer: { ...customer, timeZone: 'Mars/Olympus' } }, 'customer.timeZone'],
  ])('answers 400 naming the field for a %s', async (_name, body, field) => {
    const { status, body: error } = await hami.postEvent(body);
    expect(status).toBe(400);
    expect(error.error.code).toBe('invalid_input');
    expect(error.error.field).toBe(field);
    expect(error.error.message).toContain(field);
    expect(await count('events')).toBe(0);
  });

  test('answers 400 for a body that is not JSON, or not sent as JSON', async () => {
    const broken = await hami.postEvent(null, { raw: '{"type": "purchase",' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_json');
    const form = await hami.postEvent(null, { raw: 'type=purchase', contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(400);
    expect(form.body.error.code).toBe('invalid_content_type');
  });

  test('answers 413 for an oversized body and stores nothing', async () => {
    const body = { type: 'purchase', id: 'o-big', customer: { ...customer, name: 'x'.repeat(100) }, attributes: { note: 'y'.repeat(400) } };
    const raw = JSON.stringify({ ...body, padding: 'z'.repeat(70 * 1024) });
    const { status, body: error } = await hami.postEvent(null, { raw });
    expect(status).toBe(413);
    expect(error.error.code).toBe('payload_too_large');
    expect(await count('events')).toBe(0);
  });

  test('a body sent in chunks, without a stated length, is limited the same way: the oversized one refused, a normal one taken', async () => {
    const chunked = (raw: string) => {
      const bytes = new TextEncoder().encode(raw);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
          controller.close();
        },
      });
      // duplex: a stream body is sent with Transfer-Encoding: chunked (not in TypeScript's RequestInit yet).
      const init = {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
        body,
        duplex: 'half',
      };
      return fetch(`${hami.url}/api/v1/events`, init as RequestInit);
    };
    const big = await chunked(JSON.stringify({ type: 'purchase', id: 'o-chunked-big', customer, padding: 'z'.repeat(70 * 1024) }));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(await count('events')).toBe(0);
    const normal = await chunked(JSON.stringify({ type: 'purchase', id: 'o-chunked', customer }));
    expect(normal.status).toBe(202);
    expect(await count('events')).toBe(1);
    await hami.deps.db.deleteFrom('invitations').execute();
    await hami.deps.db.deleteFrom('jobs').execute();
    await hami.deps.db.deleteFrom('events').execute();
  });

  test('plans the invitation after the survey delay and repeats the same answer for the same type and id', async () => {
    const event = { type: 'purchase', id: 'order-9', occurredAt: '2026-05-10T10:30:00Z', customer, attributes: { product: 'Phone X' } };
    const first = await hami.postEvent(event);
    expect(first.status).toBe(202);
    // post-purchase waits 1440 minutes after the purchase.
    expect(first.body.invitations).toEqual([
      { id: expect.any(String), channel: 'email', status: 'scheduled', sendAt: '2026-05-11T10:30:00.000Z' },
    ]);
    const again = await hami.postEvent({ ...event, customer: { ...customer, name: 'Someone else' } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await count('events')).toBe(1);
    expect(await count('invitations')).toBe(1);
    expect(await count('jobs')).toBe(1);
    const job = await hami.deps.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
    expect(job).toMatchObject({ name: 'invitation.send', status: 'queued', run_at: '2026-05-11T10:30:00.000Z' });
  });

  test('the same id with another type is another event', async () => {
    const { status } = await hami.postEvent({ type: 'resolution', id: 'order-9', customer });
    expect(status).toBe(202);
  });

  test('updates the customer by their id: new values replace old ones, attributes merge', async () => {
    await hami.postEvent({
      type: 'purchase',
      id: 'order-10',
      customer: { id: 'cust-7', email: 'old@example.com', name: 'Old', attributes: { tier: 'regular', city: 'Yazd' } },
    });
    await hami.postEvent({
      type: 'purchase',
      id: 'order-11',
      customer: { id: 'cust-7', email: 'New@Example.com', attributes: { tier: 'gold' } },
    });
    const rows = await hami.deps.db.selectFrom('customers').selectAll().where('external_id', '=', 'cust-7').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: 'new@example.com', name: 'Old', locale: 'en' });
    expect(JSON.parse(rows[0]!.attributes)).toEqual({ tier: 'gold', city: 'Yazd' });
  });

  test('an explicit sendAt is used instead of the delay', async () => {
    const { body } = await hami.postEvent({ type: 'purchase', id: 'order-12', sendAt: '2026-05-12T09:15:00+03:30', customer });
    expect(body.invitations[0].sendAt).toBe('2026-05-12T05:45:00.000Z');
    const now = await hami.postEvent({ type: 'purchase', id: 'order-13', sendAt: 'now', customer });
    expect(now.body.invitations[0].sendAt).toBe(clock.now().toISOString());
  });

  test('a customer with no email and no phone is recorded with a skipped invitation saying why', async () => {
    const { status, body } = await hami.postEvent({
      type: 'purchase',
      id: 'order-14',
      customer: { id: 'cust-no-contact', name: 'Nobody' },
    });
    expect(status).toBe(202);
    expect(body.invitations).toEqual([expect.objectContaining({ status: 'skipped', reason: 'no_address' })]);
  });

  test("a customer with a phone but no email is invited by SMS, the survey's next channel", async () => {
    const { body } = await hami.postEvent({ type: 'purchase', id: 'order-16', customer: { id: 'cust-no-mail', phone: '+989121234567' } });
    expect(body.invitations).toEqual([expect.objectContaining({ status: 'scheduled', channel: 'sms' })]);
  });

  test('an event older than the link would live is not surveyed', async () => {
    const { body } = await hami.postEvent({ type: 'purchase', id: 'order-15', occurredAt: '2025-01-01T00:00:00Z', customer });
    expect(body.invitations).toEqual([expect.objectContaining({ status: 'skipped', reason: 'stale' })]);
  });

  test('keys from HAMI_API_KEYS are stored hashed, and their last use is recorded', async () => {
    const keys = await hami.deps.db.selectFrom('api_keys').selectAll().execute();
    expect(keys).toHaveLength(1);
    expect(JSON.stringify(keys)).not.toContain('test_key_0123456789abcdef');
    expect(keys[0]!.last_used_at).toBe(clock.now().toISOString());
  });
});
