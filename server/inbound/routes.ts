import { Hono } from 'hono';
import { z } from 'zod';
import { requireApiKey } from '../auth/api-keys.js';
import type { AppDeps } from '../deps.js';
import { ingestEvent } from '../events/ingest.js';
import { inputSchemas } from '../events/input.js';
import { ApiError } from '../http/errors.js';
import { jsonBody } from '../http/json-body.js';
import { registerOperations } from '../openapi/registry.js';
import { checkedEvent, helpdeskEvent, helpdeskHook, shopEvent, shopHook, type Mapped } from './mapping.js';

/*
 * POST /api/v1/hooks/helpdesk and /api/v1/hooks/shop, authenticated like the events API (Authorization: Bearer
 * <api key>): Zendesk, Freshdesk, Shopify Flow and WooCommerce webhooks can all send a fixed bearer header, which
 * an HMAC scheme of our own could not claim. Each hook becomes one event through ingestEvent, so a repeat (the
 * senders retry) gets the first answer back and sends nothing new.
 */

const accepted = z.object({
  event: z.string(),
  invitations: z.array(
    z.object({ id: z.string(), channel: z.string(), status: z.string(), sendAt: z.string(), reason: z.string().optional() }),
  ),
});
const ignored = z.object({ ignored: z.string() });

/** Where each event field came from in the hook, so a 400 names the field the sender wrote. */
const HELPDESK_FIELDS: Record<string, string> = {
  id: 'ticket.id',
  occurredAt: 'ticket.solvedAt',
  customer: 'ticket.requester',
  'customer.id': 'ticket.requester.id',
  'customer.email': 'ticket.requester.email',
  'customer.phone': 'ticket.requester.phone',
  'customer.name': 'ticket.requester.name',
  attributes: 'ticket',
};
const SHOP_FIELDS: Record<string, string> = {
  id: 'order.id',
  occurredAt: 'order.deliveredAt',
  customer: 'order.customer',
  'customer.id': 'order.customer.id',
  'customer.email': 'order.customer.email',
  'customer.phone': 'order.customer.phone',
  'customer.name': 'order.customer.name',
  attributes: 'order',
};

for (const [path, schema, summary, description] of [
  [
    '/api/v1/hooks/helpdesk',
    helpdeskHook,
    'Help desk "ticket solved" webhook',
    'A solved ticket becomes a resolution event (see POST /api/v1/events): the requester is the customer, agent, group, channel, tags and subject become attributes. Any other ticket status is acknowledged with 200 and ignored. A repeat of the same ticket id returns the first answer and sends nothing.',
  ],
  [
    '/api/v1/hooks/shop',
    shopHook,
    'Shop "order delivered" webhook',
    "A delivered order becomes a purchase event (see POST /api/v1/events): the order's customer is the customer, order number, first product, item count, total, currency and city become attributes. Any other order status is acknowledged with 200 and ignored. A repeat of the same order id returns the first answer and sends nothing.",
  ],
] as const) {
  registerOperations({
    method: 'post',
    path,
    tag: 'Events',
    summary,
    description,
    auth: 'apiKey',
    body: schema,
    responses: {
      202: { description: 'The event was stored and its survey planned', schema: accepted },
      200: { description: 'A repeat (the first answer again), or a status that is ignored', schema: z.union([accepted, ignored]) },
    },
  });
}

export function inboundRoutes(deps: AppDeps) {
  const country = deps.config.defaultCountry;
  const handle = async (mapped: Mapped, names: Record<string, string>) => {
    if ('ignored' in mapped) return { status: 200 as const, body: mapped };
    const checked = checkedEvent(inputSchemas(country), mapped.event, names);
    if (!checked.ok) throw new ApiError(400, 'invalid_input', `${checked.field} ${checked.message}`, checked.field);
    const result = await ingestEvent(deps, checked.event);
    if (result.body.invitations.some((i) => i.status === 'scheduled' && new Date(i.sendAt) <= deps.clock.now())) deps.jobQueued();
    return { status: result.created ? (202 as const) : (200 as const), body: result.body };
  };
  return new Hono()
    .use(requireApiKey(deps))
    .post('/helpdesk', async (c) => {
      const { status, body } = await handle(helpdeskEvent(await jsonBody(c, helpdeskHook), country), HELPDESK_FIELDS);
      return c.json(body, status);
    })
    .post('/shop', async (c) => {
      const { status, body } = await handle(shopEvent(await jsonBody(c, shopHook), country), SHOP_FIELDS);
      return c.json(body, status);
    });
}
