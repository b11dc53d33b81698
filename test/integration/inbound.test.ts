import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../helpers/clock.js';
import { TEST_API_KEY, startTestHami, type TestHami } from '../helpers/hami.js';

describe('inbound webhooks: help desk ticket solved, shop order delivered', { timeout: 30_000 }, () => {
  let hami: TestHami;
  const clock = new ManualClock('2026-11-20T09:00:00Z');

  // `any` body: an accepted body or an error body depending on status; each test asserts the shape it expects.
  async function hook(
    kind: 'helpdesk' | 'shop',
    body: unknown,
    apiKey: string | null = TEST_API_KEY,
  ): Promise<{ status: number; body: any }> {
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
    const event = await hami.deps.db
      .selectFrom('events')
      .innerJoin('customers', 'customers.id', 'events.customer_id')
      .selectAll('customers')
      .select(['events.type', 'events.occurred_at', 'events.attributes as eventAttributes'])
      .where('events.external_id', '=', '4711')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      type: 'resolution',
      occurred_at: '2026-11-20T08:30:00.000Z',
      email: 'maryam@example.com',
      name: 'مریم رضایی',
      locale: 'fa',
    });
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
    const event = await hami.deps.db
      .selectFrom('events')
      .innerJoin('customers', 'customers.id', 'events.customer_id')
      .selectAll('customers')
      .select(['events.external_id as eventId', 'events.occurred_at', 'events.attributes as eventAttributes'])
      .where('events.type', '=', 'purchase')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      eventId: String(order.order.id),
      occurred_at: '2026-11-19T12:30:00.000Z',
      email: 'reza@example.com',
      phone: '+989125550101',
      name: 'Reza Karimi',
    });
    expect(JSON.parse(event.eventAttributes)).toEqual({
      order: '#1001',
      product: 'Headphones',
      items: 2,
      total: '199.00',
      currency: 'USD',
      city: 'Tehran',
    });
    expect((await hook('shop', order)).status).toBe(200);
  });

  test('an open ticket or an unfulfilled order is acknowledged and ignored', async () => {
    expect(await hook('helpdesk', { ticket: { ...ticket.ticket, id: 1, status: 'open' } })).toEqual({
      status: 200,
      body: { ignored: 'ticket status is "open", not solved' },
    });
    expect(await hook('shop', { order: { ...order.order, id: 2, status: 'pending' } })).toEqual({
      status: 200,
      body: { ignored: 'order status is "pending", not delivered' },
    });
  });

  test.each([
    ['helpdesk', { nothing: true }, 'ticket'],
    ['helpdesk', { ticket: { status: 'solved', requester: { email: 'a@example.com' } } }, 'ticket.id'],
    ['helpdesk', { ticket: { id: 5, requester: {} } }, 'ticket.requester.id'],
    ['helpdesk', { ticket: { id: 5, requester: { id: 'x', email: 'not an email' } } }, 'ticket.requester.email'],
    ['helpdesk', { ticket: { id: 5, solvedAt: 'yesterday', requester: { id: 'x' } } }, 'ticket.solvedAt'],
    ['shop', { order: { id: 7, customer: { phone: '0912' } } }, 'order.customer.phone'],
    ['shop', { order: { id: null, email: 'a@example.com' } }, 'order.id'],
    ['helpdesk', { ticket: { id: 6, requester: null } }, 'ticket.requester'],
    ['shop', { order: { id: 8, email: null, customer: null, billing: { email: '', phone: null } } }, 'order.customer.id'],
    ['shop', { order: { id: 7 } }, 'order.customer.id'],
  ] as const)('%s: a bad body is a 400 naming %s', async (kind, body, field) => {
    const res = await hook(kind, body);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
  });

  /** The senders' own payloads, trimmed to what matters, with null where they really send null. */
  const realPayloads = [
    [
      'Shopify (the order itself as the body): customer.phone, first_name, shipping_address and prices null',
      'shop',
      {
        id: 450789469,
        email: 'bob.norman@example.com',
        phone: null,
        name: '#1001',
        number: 1,
        total_price: null,
        currency: 'USD',
        note: null,
        fulfillment_status: 'fulfilled',
        updated_at: '2026-11-19T16:00:00-05:00',
        shipping_address: null,
        billing_address: null,
        customer: { id: 207119551, email: null, first_name: null, last_name: 'Norman', phone: null, tags: '' },
        line_items: [{ title: 'IPod Nano - 8gb', name: 'IPod Nano - 8gb - green', sku: null, price: '199.00' }],
      },
      {
        customerId: '207119551',
        email: 'bob.norman@example.com',
        phone: null,
        name: 'Norman',
        attributes: { order: '#1001', product: 'IPod Nano - 8gb', items: 1, currency: 'USD' },
      },
    ],
    [
      'WooCommerce (the order itself as the body): guest buyer, billing.phone "" and shipping phone null',
      'shop',
      {
        id: 727,
        status: 'completed',
        number: '727',
        currency: 'IRR',
        total: '150000',
        customer_id: 0,
        date_completed: '2026-11-19T12:08:00',
        date_completed_gmt: null,
        billing: { first_name: 'Sara', last_name: '', email: 'sara@example.com', phone: '', company: null },
        shipping: { first_name: 'Sara', phone: null, city: null },
        line_items: [{ name: 'Tea', sku: '' }],
      },
      {
        customerId: 'sara@example.com',
        email: 'sara@example.com',
        phone: null,
        name: 'Sara',
        attributes: { order: '727', product: 'Tea', items: 1, total: '150000', currency: 'IRR' },
      },
    ],
    [
      'WooCommerce: billing.phone null and a phone that is no number ("123") beside an email',
      'shop',
      {
        order: {
          id: 728,
          status: 'completed',
          billing: { first_name: null, last_name: null, email: 'amir@example.com', phone: '123' },
          shipping_address: null,
          total: null,
        },
      },
      { customerId: 'amir@example.com', email: 'amir@example.com', phone: null, name: null, attributes: {} },
    ],
    [
      'Zendesk: assignee, group, requester.phone and external_id null',
      'helpdesk',
      {
        ticket: {
          id: 35436,
          status: 'solved',
          subject: null,
          via: { channel: 'web', source: { from: {}, to: {}, rel: null } },
          tags: null,
          updated_at: '2026-11-20T08:30:00Z',
          requester: { id: 20978392, name: 'Jane', email: 'jane@example.com', phone: null, external_id: null, locale: null },
          assignee: null,
          group: null,
          agent: null,
        },
      },
      { customerId: '20978392', email: 'jane@example.com', phone: null, name: 'Jane', attributes: { channel: 'web' } },
    ],
    [
      'Freshdesk: status as a number (4 resolved), requester phone and name null, phone written nationally',
      'helpdesk',
      {
        ticket: {
          id: 120,
          status: 4,
          subject: 'Refund',
          requester: { id: null, name: null, email: null, phone: null, mobile: '0912 555 0199' },
          agent: { name: null },
          tags: [],
        },
      },
      null,
    ],
  ] as const;

  test.each(realPayloads)('%s: accepted, null read as absent', async (_label, kind, body, expected) => {
    const res = await hook(kind, body);
    if (expected === null) {
      // Freshdesk's `mobile` is not a field Hami reads: with every known contact null the customer cannot be known.
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe('ticket.requester.id');
      return;
    }
    expect(res.status).toBe(202);
    const externalId = String(
      (body as { id?: number }).id ??
        (body as { order?: { id: number }; ticket?: { id: number } }).order?.id ??
        (body as { ticket?: { id: number } }).ticket?.id,
    );
    const row = await hami.deps.db
      .selectFrom('events')
      .innerJoin('customers', 'customers.id', 'events.customer_id')
      .select(['customers.external_id as customerId', 'customers.email', 'customers.phone', 'customers.name', 'events.attributes'])
      .where('events.external_id', '=', externalId)
      .executeTakeFirstOrThrow();
    expect({ ...row, attributes: JSON.parse(row.attributes) }).toEqual(expected);
  });

  test('a help-desk requester known only by a nationally written phone becomes an SMS customer in E.164', async () => {
    const res = await hook('helpdesk', {
      ticket: { id: 121, status: 5, requester: { id: null, name: null, email: null, phone: '۰۹۱۲-۵۵۵-۰۱۹۹' }, assignee: null },
    });
    expect(res.status).toBe(202);
    const customer = await hami.deps.db
      .selectFrom('customers')
      .select(['external_id', 'phone'])
      .where('phone', '=', '+989125550199')
      .executeTakeFirstOrThrow();
    expect(customer).toEqual({ external_id: '+989125550199', phone: '+989125550199' });
  });

  test('without the API key: 401', async () => {
    expect((await hook('helpdesk', ticket, null)).status).toBe(401);
    expect((await hook('shop', order, 'wrong_key_0123456789')).status).toBe(401);
  });
});
