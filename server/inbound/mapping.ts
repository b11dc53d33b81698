import { z } from 'zod';
import { EVENT_TYPES, eventInput, type EventInput } from '../../shared/api/events.js';
import { isLocale } from '../../shared/locale.js';

/*
 * Inbound webhooks from a help desk ("ticket solved") and a shop ("order delivered"), mapped to the events API's
 * input so they follow exactly its rules (one survey per type + id, throttle, quiet hours, opt-out).
 *
 * The accepted shapes are generic, after what Zendesk / Freshdesk and Shopify / WooCommerce send: snake_case or
 * camelCase, ids as strings or numbers, and only the fields Hami uses; anything else in the body is ignored.
 *
 *   help desk: { ticket: { id, status?, solvedAt?|solved_at?|updated_at?, subject?, channel?|via?, tags?: [..]|"a,b",
 *                requester: { id?|external_id?, email?, name?, phone?, locale? }, agent?|assignee?: name | { name } } }
 *   shop:      { order: { id, name?|order_number?, deliveredAt?|delivered_at?|updated_at?, email?, phone?,
 *                customer?: { id?, email?, phone?, name?|first_name+last_name, locale? },
 *                line_items?|items?: [{ title?|name?, sku? }], total_price?|total?, currency?, shipping_address?: { city? } } }
 *
 * The customer's id is the requester's / customer's id, else their email, else their phone.
 */

// Shop ids beyond 2^53 (Shopify's) arrive already rounded by JSON parsing; they round the same way every time, so the
// type + id key still recognises a retry. Senders that can should send ids as strings.
const id = z.union([z.string().trim().min(1, 'is required').max(200), z.number()], { error: 'is required (a string or a number)' }).transform(String);
const text = z.string().trim().max(500).optional();
const nameOf = z.union([z.string().trim().max(200), z.object({ name: z.string().trim().max(200).optional() }).loose()]).optional();

const person = z
  .object({
    id: id.optional(),
    external_id: id.optional(),
    email: text,
    name: text,
    first_name: text,
    last_name: text,
    phone: text,
    locale: text,
  })
  .loose();

export const helpdeskHook = z
  .object({
    ticket: z
      .object({
        id,
        status: text,
        solvedAt: text,
        solved_at: text,
        updated_at: text,
        subject: text,
        channel: text,
        via: z.union([z.string(), z.object({ channel: z.string().optional() }).loose()]).optional(),
        tags: z.union([z.array(z.string()), z.string()]).optional(),
        requester: person,
        agent: nameOf,
        assignee: nameOf,
        group: nameOf,
      }, { error: 'is required: { "ticket": { "id", "requester": {…} } }' })
      .loose(),
  })
  .loose();

export const shopHook = z
  .object({
    order: z
      .object({
        id,
        name: text,
        order_number: z.union([z.string(), z.number()]).optional(),
        status: text,
        deliveredAt: text,
        delivered_at: text,
        updated_at: text,
        email: text,
        phone: text,
        customer: person.optional(),
        line_items: z.array(z.object({ title: text, name: text, sku: text }).loose()).optional(),
        items: z.array(z.object({ title: text, name: text, sku: text }).loose()).optional(),
        total_price: z.union([z.string(), z.number()]).optional(),
        total: z.union([z.string(), z.number()]).optional(),
        currency: text,
        shipping_address: z.object({ city: text }).loose().optional().nullable(),
      }, { error: 'is required: { "order": { "id", "customer": {…} } }' })
      .loose(),
  })
  .loose();

export type HelpdeskHook = z.infer<typeof helpdeskHook>;
export type ShopHook = z.infer<typeof shopHook>;

/** Ticket states that mean "solved" in the help desks we looked at; a hook for any other state is acknowledged and ignored. */
const SOLVED = new Set(['solved', 'closed', 'resolved', '4', '5']);
/** The order states a shop sends for a delivered (or completed) order. */
const DELIVERED = new Set(['delivered', 'completed', 'fulfilled']);

type Attributes = Record<string, string | number | boolean>;
const compact = (attributes: Record<string, string | number | undefined>): Attributes =>
  Object.fromEntries(Object.entries(attributes).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== ''));
const nameText = (value: z.infer<typeof nameOf>): string | undefined => (typeof value === 'string' ? value : value?.name) || undefined;
/** Instants without an offset are the sender's UTC (Zendesk and Shopify both send offsets; some shops do not). */
const instant = (value: string | undefined): string | undefined => (value && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value.replace(' ', 'T')}Z` : value);

function customerOf(source: z.infer<typeof person> | undefined, fallback: { email?: string; phone?: string } = {}): Record<string, unknown> {
  const email = source?.email || fallback.email;
  const phone = (source?.phone || fallback.phone)?.replace(/[\s\-().]/g, '');
  const name = source?.name || [source?.first_name, source?.last_name].filter(Boolean).join(' ') || undefined;
  const locale = source?.locale?.slice(0, 2).toLowerCase();
  return {
    id: source?.id ?? source?.external_id ?? email ?? phone,
    email: email || undefined,
    phone: phone || undefined,
    name,
    locale: locale && isLocale(locale) ? locale : undefined,
  };
}

export type Mapped = { ignored: string } | { event: unknown };

export function helpdeskEvent(hook: HelpdeskHook): Mapped {
  const { ticket } = hook;
  if (ticket.status && !SOLVED.has(ticket.status.toLowerCase())) return { ignored: `ticket status is "${ticket.status}", not solved` };
  const tags = Array.isArray(ticket.tags) ? ticket.tags.join(',') : ticket.tags;
  const via = typeof ticket.via === 'string' ? ticket.via : ticket.via?.channel;
  return {
    event: {
      type: EVENT_TYPES[1],
      id: ticket.id,
      occurredAt: instant(ticket.solvedAt ?? ticket.solved_at ?? ticket.updated_at),
      customer: customerOf(ticket.requester),
      attributes: compact({ agent: nameText(ticket.agent) ?? nameText(ticket.assignee), group: nameText(ticket.group), channel: ticket.channel ?? via, tags: tags?.slice(0, 500), subject: ticket.subject }),
    },
  };
}

export function shopEvent(hook: ShopHook): Mapped {
  const { order } = hook;
  if (order.status && !DELIVERED.has(order.status.toLowerCase())) return { ignored: `order status is "${order.status}", not delivered` };
  const items = order.line_items ?? order.items ?? [];
  const total = order.total_price ?? order.total;
  return {
    event: {
      type: EVENT_TYPES[0],
      id: order.id,
      occurredAt: instant(order.deliveredAt ?? order.delivered_at ?? order.updated_at),
      customer: customerOf(order.customer, { email: order.email, phone: order.phone }),
      attributes: compact({
        order: order.name ?? (order.order_number === undefined ? undefined : String(order.order_number)),
        product: items[0]?.title ?? items[0]?.name,
        items: items.length || undefined,
        total: total === undefined ? undefined : String(total),
        currency: order.currency,
        city: order.shipping_address?.city,
      }),
    },
  };
}

/** The events API's checks on the mapped event; its field names are turned back into the hook's ("ticket.requester.email"). */
export function checkedEvent(mapped: unknown, names: Record<string, string>): { ok: true; event: EventInput } | { ok: false; field: string; message: string } {
  const parsed = eventInput.safeParse(mapped);
  if (parsed.success) return { ok: true, event: parsed.data };
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  const field = names[path] ?? names[path.split('.').slice(0, -1).join('.')] ?? path;
  return { ok: false, field, message: issue.message };
}
