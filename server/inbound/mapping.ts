import { z } from 'zod';
import { EVENT_TYPES, type EventInput, type EventSchemas } from '../../shared/api/events.js';
import { isLocale } from '../../shared/locale.js';
import { readMobile, type CountryCode } from '../customers/phone.js';

/*
 * Inbound webhooks from a help desk ("ticket solved") and a shop ("order delivered"), mapped to the events API's
 * input so they follow exactly its rules (one survey per type + id, throttle, quiet hours, opt-out).
 *
 * The accepted shapes are generic, after what Zendesk / Freshdesk and Shopify / WooCommerce send: snake_case or
 * camelCase, ids as strings or numbers, and only the fields Hami uses; anything else in the body is ignored.
 *
 *   help desk: { ticket: { id, status?, solvedAt?|solved_at?|updated_at?, subject?, channel?|via?, tags?: [..]|"a,b",
 *                requester: { id?|external_id?, email?, name?, phone?, locale? }, agent?|assignee?: name | { name } } }
 *   shop:      { order: { id, name?|order_number?|number?, deliveredAt?|delivered_at?|date_completed?|updated_at?, email?, phone?,
 *                customer?|billing?: { id?, email?, phone?, name?|first_name+last_name, locale? },
 *                line_items?|items?: [{ title?|name?, sku? }], total_price?|total?, currency?, shipping_address?: { city? } } }
 *
 * Any field may be null (absent); the order or ticket may also be the body itself, as Shopify and WooCommerce send it.
 * The customer's id is the requester's / customer's id, else their email (lower case), else their phone.
 */

// Shop ids beyond 2^53 (Shopify's) arrive already rounded by JSON parsing; they round the same way every time, so the
// type + id key still recognises a retry. Senders that can should send ids as strings.
const id = z
  .union([z.string().trim().min(1, 'is required').max(200), z.number()], { error: 'is required (a string or a number)' })
  .transform(String);

/**
 * The senders write null for what they do not know (Shopify: customer.phone, first_name, shipping_address;
 * WooCommerce: an empty billing.phone; Zendesk: assignee, requester.phone, external_id; Freshdesk: phone, name):
 * null is "absent", exactly like a missing field.
 */
const nullAsAbsent = <T extends z.ZodType>(schema: T) =>
  schema
    .nullish()
    .transform((value): Exclude<z.output<T>, null> | undefined => (value ?? undefined) as Exclude<z.output<T>, null> | undefined);

const text = nullAsAbsent(z.string().trim().max(500));
const numberOrText = nullAsAbsent(z.union([z.string().trim().max(500), z.number()]).transform(String));
const nameOf = nullAsAbsent(z.union([z.string().trim().max(200), z.object({ name: nullAsAbsent(z.string().trim().max(200)) }).loose()]));

const person = z
  .object({
    id: nullAsAbsent(id),
    external_id: nullAsAbsent(id),
    email: text,
    name: text,
    first_name: text,
    last_name: text,
    phone: text,
    locale: text,
  })
  .loose();

/**
 * Shopify's and WooCommerce's own order webhooks send the order itself as the body, and a help desk's may send the
 * ticket itself: a body with an `id` at the top and no wrapper is read as the wrapped object.
 */
const wrapped = (key: string) => (body: unknown) =>
  body && typeof body === 'object' && !Array.isArray(body) && !(key in body) && 'id' in body ? { [key]: body } : body;

const item = z.object({ title: text, name: text, sku: text }).loose();

export const helpdeskHook = z.preprocess(
  wrapped('ticket'),
  z
    .object({
      ticket: z
        .object(
          {
            id,
            status: numberOrText,
            solvedAt: text,
            solved_at: text,
            updated_at: text,
            subject: text,
            channel: text,
            via: nullAsAbsent(z.union([z.string(), z.object({ channel: text }).loose()])),
            tags: nullAsAbsent(z.union([z.array(z.string().nullable()), z.string()])),
            requester: person,
            agent: nameOf,
            assignee: nameOf,
            group: nameOf,
          },
          { error: 'is required: { "ticket": { "id", "requester": {…} } }' },
        )
        .loose(),
    })
    .loose(),
);

export const shopHook = z.preprocess(
  wrapped('order'),
  z
    .object({
      order: z
        .object(
          {
            id,
            name: text,
            order_number: numberOrText,
            number: numberOrText,
            status: text,
            deliveredAt: text,
            delivered_at: text,
            date_completed: text,
            updated_at: text,
            email: text,
            phone: text,
            customer: nullAsAbsent(person),
            /** WooCommerce's buyer: its email, phone and name when there is no customer object. */
            billing: nullAsAbsent(person),
            line_items: nullAsAbsent(z.array(item)),
            items: nullAsAbsent(z.array(item)),
            total_price: numberOrText,
            total: numberOrText,
            currency: text,
            shipping_address: nullAsAbsent(z.object({ city: text }).loose()),
          },
          { error: 'is required: { "order": { "id", "customer": {…} } }' },
        )
        .loose(),
    })
    .loose(),
);

type HelpdeskHook = z.infer<typeof helpdeskHook>;
type ShopHook = z.infer<typeof shopHook>;

/** Ticket states that mean "solved" in the help desks we looked at; a hook for any other state is acknowledged and ignored. */
const SOLVED = new Set(['solved', 'closed', 'resolved', '4', '5']);
/** The order states a shop sends for a delivered (or completed) order. */
const DELIVERED = new Set(['delivered', 'completed', 'fulfilled']);

type Attributes = Record<string, string | number | boolean>;
type Person = z.output<typeof person>;
const compact = (attributes: Record<string, string | number | undefined>): Attributes =>
  Object.fromEntries(
    Object.entries(attributes).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== ''),
  );
const nameText = (value: z.infer<typeof nameOf>): string | undefined => (typeof value === 'string' ? value : value?.name) || undefined;
/** Instants without an offset are the sender's UTC (Zendesk and Shopify both send offsets; some shops do not). */
const instant = (value: string | undefined): string | undefined =>
  value && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;

function customerOf(
  country: CountryCode,
  source: Person | undefined,
  fallback: { email?: string; phone?: string; person?: Person } = {},
): Record<string, unknown> {
  const other = fallback.person;
  const email = source?.email || fallback.email || other?.email;
  const given = source?.phone || fallback.phone || other?.phone;
  const id = source?.id ?? source?.external_id;
  // Any written form of the number (0912…, +98 912…, Persian digits) becomes E.164. One that cannot be a mobile
  // (WooCommerce takes "123", a company's landline) is dropped when the customer is known otherwise, rather than
  // refusing the order; as the only way to know them it stays as written, so the check refuses it naming the field.
  const reading = given ? readMobile(given, country) : undefined;
  const phone = reading?.ok ? reading.e164 : id !== undefined || email ? undefined : given;
  const named = (p: Person | undefined) => p?.name || [p?.first_name, p?.last_name].filter(Boolean).join(' ') || undefined;
  const name = named(source) ?? named(other);
  const locale = (source?.locale ?? other?.locale)?.slice(0, 2).toLowerCase();
  return {
    // Keyed by the address, a mailbox is one customer whatever its case (the stored email is lower case too).
    id: id ?? (email ? email.toLowerCase() : undefined) ?? phone,
    email: email || undefined,
    phone,
    name,
    locale: locale && isLocale(locale) ? locale : undefined,
  };
}

export type Mapped = { ignored: string } | { event: unknown };

/** The event of a help-desk hook; a phone written nationally is read in `country` (HAMI_DEFAULT_COUNTRY). */
export function helpdeskEvent(hook: HelpdeskHook, country: CountryCode): Mapped {
  const { ticket } = hook;
  if (ticket.status && !SOLVED.has(ticket.status.toLowerCase())) return { ignored: `ticket status is "${ticket.status}", not solved` };
  const tags = Array.isArray(ticket.tags) ? ticket.tags.filter(Boolean).join(',') : ticket.tags;
  const via = typeof ticket.via === 'string' ? ticket.via : ticket.via?.channel;
  return {
    event: {
      type: EVENT_TYPES[1],
      id: ticket.id,
      occurredAt: instant(ticket.solvedAt ?? ticket.solved_at ?? ticket.updated_at),
      customer: customerOf(country, ticket.requester),
      attributes: compact({
        agent: nameText(ticket.agent) ?? nameText(ticket.assignee),
        group: nameText(ticket.group),
        channel: ticket.channel ?? via,
        tags: tags?.slice(0, 500),
        subject: ticket.subject,
      }),
    },
  };
}

/** The event of a shop hook; a phone written nationally is read in `country` (HAMI_DEFAULT_COUNTRY). */
export function shopEvent(hook: ShopHook, country: CountryCode): Mapped {
  const { order } = hook;
  if (order.status && !DELIVERED.has(order.status.toLowerCase())) return { ignored: `order status is "${order.status}", not delivered` };
  const items = order.line_items ?? order.items ?? [];
  const total = order.total_price ?? order.total;
  return {
    event: {
      type: EVENT_TYPES[0],
      id: order.id,
      occurredAt: instant(order.deliveredAt ?? order.delivered_at ?? order.date_completed ?? order.updated_at),
      customer: customerOf(country, order.customer, { email: order.email, phone: order.phone, person: order.billing }),
      attributes: compact({
        order: order.name ?? order.order_number ?? order.number,
        product: items[0]?.title ?? items[0]?.name,
        items: items.length || undefined,
        total,
        currency: order.currency,
        city: order.shipping_address?.city,
      }),
    },
  };
}

/** The events API's checks on the mapped event; its field names are turned back into the hook's ("ticket.requester.email"). */
export function checkedEvent(
  schemas: EventSchemas,
  mapped: unknown,
  names: Record<string, string>,
): { ok: true; event: EventInput } | { ok: false; field: string; message: string } {
  const parsed = schemas.eventInput.safeParse(mapped);
  if (parsed.success) return { ok: true, event: parsed.data };
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  const field = names[path] ?? names[path.split('.').slice(0, -1).join('.')] ?? path;
  return { ok: false, field, message: issue.message };
}
