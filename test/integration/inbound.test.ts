import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../helpers/clock.js';
import { TEST_API_KEY, startTestHami, type TestHami } from '../helpers/hami.js';

describe('inbound webhooks: help desk ticket solved, shop order delivered', { timeout: 30_000 }, () => {
  let hami: TestHami;
  const clock = new ManualClock('2026-11-20T09:00:00Z');

  // `any` body: an accepted body or an error body depending on status; each test asserts the shape it expects.
  async function hook(kind: 'helpdesk' | 'shop', body: unknown, apiKey: string | null = TEST_API_KEY): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    const res = await fetch(`${hami.url}/api/v1/hooks/${kind}`, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  }

  const ticket = {
    ticket: {
      id: 4711,
      status: 'solved',
      solved_at: '2026-11-20T08:30:00Z',
      subject: 'بسته نرسید',
      via: { channel: 'email' },
      tags: ['delivery', 'vip'],
      requester: { id: 'cust-9', email: 'Maryam@Example.com', name: 'مریم رضایی', locale: 'fa-IR' },
      assignee: { name: 'Sara' },
      comments: [{ body: 'ignored by Hami' }],
    },
  };

  const order = {
    order: {
      id: 820982911946154500,
      name: '#1001',
      status: 'delivered',
      delivered_at: '2026-11-19T16:00:00+03:30',
      email: 'reza@example.com',
      customer: { id: 115310627314723950, first_name: 'Reza', last_name: 'Karimi', phone: '+98 912 555 0101' },
      line_items: [{ title: 'Headphones', sku: 'HP-1' }, { title: 'Case' }],
      total_price: '199.00',
      currency: 'USD',
      shipping_address: { city: 'Tehran' },
    },
  };

  beforeAll(async () => {
    hami = await startTestHami({ clock });
  });
  afterAll(() => hami.stopAndClean());

  test('a solved ticket becomes a resolution event for the requester, with agent, tags and subject as attributes', async () => {
    const res = await hook('helpdesk', ticket);
    expect(res.status).toBe(202);
    expect(res.body.invitations).toHaveLength(1);
    const event = await hami.deps.db.selectFrom('events').innerJoin('customers', 'customers.id', 'events.customer_id').selectAll('customers').select(['events.type', 'events.occurred_at', 'events.attributes as eventAttributes']).where('events.external_id', '=', '4711').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ type: 'resolution', occurred_at: '2026-11-20T08:30:00.000Z', email: 'maryam@example.com', name: 'مریم رضایی', locale: 'fa' });
    expect(JSON.parse(event.eventAttributes)).toEqual({ agent: 'Sara', channel: 'email', tags: 'delivery,vip', subject: 'بسته نرسید' });
  });

  test('the same ticket again (a sender retry) gets the first answer and plans nothing new', async () => {
    const first = await hami.deps.db.selectFrom('invitations').select('id').execute();
    const res = await hook('helpdesk', ticket);
    expect(res.status).toBe(200);
    expect((await hami.deps.db.selectFrom('invitations').select('id').execute()).length).toBe(first.length);
  });

  test('a delivered order becomes a purchase event; a numeric id is kept as text', async () => {
    const res = await hook('shop', order);
    expect(res.status).toBe(202);
    const event = await hami.deps.db.selectFrom('events').innerJoin('customers', 'customers.id', 'events.customer_id').selectAll('customers').select(['events.external_id as eventId', 'events.occurred_at', 'events.attributes as eventAttributes']).where('events.type', '=', 'purchase').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ eventId: String(order.order.id), occurred_at: '2026-11-19T12:30:00.000Z', email: 'reza@example.com', phone: '+989125550101', name: 'Reza Karimi' });
    expect(JSON.parse(event.eventAttributes)).toEqual({ order: '#1001', product: 'Headphones', items: 2, total: '199.00', currency: 'USD', city: 'Tehran' });
    expect((await hook('shop', order)).status).toBe(200);
  });

  test('an open ticket or an unfulfilled order is acknowledged and ignored', async () => {
    expect(await hook('helpdesk', { ticket: { ...ticket.ticket, id: 1, status: 'open' } })).toEqual({ status: 200, body: { ignored: 'ticket status is "open", not solved' } });
    expect(await hook('shop', { order: { ...order.order, id: 2, status: 'pending' } })).toEqual({ status: 200, body: { ignored: 'order status is "pending", not delivered' } });
  });

  test.each([
    ['helpdesk', { nothing: true }, 'ticket'],
    ['helpdesk', { ticket: { status: 'solved', requester: { email: 'a@example.com' } } }, 'ticket.id'],
    ['helpdesk', { ticket: { id: 5, requester: {} } }, 'ticket.requester.id'],
    ['helpdesk', { ticket: { id: 5, requester: { id: 'x', email: 'not an email' } } }, 'ticket.requester.email'],
    ['helpdesk', { ticket: { id: 5, solvedAt: 'yesterday', requester: { id: 'x' } } }, 'ticket.solvedAt'],
    ['shop', { order: { id: 7, customer: { id: 'c', phone: '0912' } } }, 'order.customer.phone'],
    ['shop', { order: { id: 7 } }, 'order.customer.id'],
  ] as const)('%s: a bad body is a 400 naming %s', async (kind, body, field) => {
    const res = await hook(kind, body);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
  });

  test('without the API key: 401', async () => {
    expect((await hook('helpdesk', ticket, null)).status).toBe(401);
    expect((await hook('shop', order, 'wrong_key_0123456789')).status).toBe(401);
  });
});
