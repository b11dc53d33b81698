import { z } from 'zod';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../webhook-events.js';

/*
 * Outbound webhooks (Settings → Webhooks, admin only): subscriptions that receive Hami's events as signed JSON
 * POSTs, a delivery log with every attempt, and "resend". Shapes are declared once here and used by the server
 * (server/webhooks/) and the dashboard's Settings page; the event bodies are zod schemas so the OpenAPI document
 * describes exactly what is sent.
 *
 * Endpoints (staff session with 'webhooks:manage' — admin only; state-changing ones carry X-CSRF-Token):
 *   GET    /api/webhooks                              → WebhookListBody
 *   POST   /api/webhooks                WebhookInput  → 201 WebhookCreatedBody (the secret, shown this once)
 *   PATCH  /api/webhooks/{id}           WebhookPatch  → WebhookCreatedBody (secret only when it was set or rotated)
 *   DELETE /api/webhooks/{id}                         → 204 (its delivery log goes with it)
 *   GET    /api/webhooks/{id}/deliveries[?limit]      → DeliveryListBody (newest first, each with its attempts)
 *   POST   /api/webhooks/deliveries/{id}/resend       → 202 WebhookDelivery (a new delivery of the same body)
 * Bad input → 400 { error: { code: 'invalid_input', message, field } } naming the field ('url', 'events', …).
 *
 * What a receiver gets, per delivery attempt:
 *   POST <url>, Content-Type: application/json, body: one of the WebhookEventBody shapes below
 *   X-Hami-Event:     the event name, e.g. "response.created"
 *   X-Hami-Delivery:  the delivery id (a resend is a new delivery with the same body, so the same body `id`)
 *   X-Hami-Timestamp: Unix seconds when this attempt was sent
 *   X-Hami-Signature: "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + raw body)
 * Verify by recomputing the HMAC over the raw body and rejecting timestamps more than 5 minutes old (replay).
 * 2xx is success. Any other answer or no answer within 10 s is retried with backoff, up to 8 attempts, except a
 * 4xx other than 408/429, which is final. The body `id` is the event's: dedupe on it.
 */

export { WEBHOOK_EVENTS, type WebhookEvent };

/** Attempts per delivery before it is marked failed. */
export const WEBHOOK_MAX_ATTEMPTS = 8;

const events = z
  .array(z.enum(WEBHOOK_EVENTS, { error: `must be one of ${WEBHOOK_EVENTS.join(', ')}` }))
  .min(1, 'must name at least one event')
  .max(WEBHOOK_EVENTS.length)
  .transform((list) => [...new Set(list)]);
/** http(s) only is also checked by the server's one URL policy (server/webhooks/url-policy.ts), which may be stricter. */
const url = z.string().trim().min(1, 'is required').max(2000, 'must be at most 2000 characters');
const secret = z.string().min(16, 'must be at least 16 characters').max(200, 'must be at most 200 characters');

export const webhookInput = z.strictObject({
  url,
  events,
  description: z.string().trim().max(200, 'must be at most 200 characters').default(''),
  active: z.boolean().default(true),
  /** Omitted: the server makes one (whsec_…) and shows it once in the answer. */
  secret: secret.optional(),
});
export type WebhookInput = z.input<typeof webhookInput>;

export const webhookPatch = z.strictObject({
  url: url.optional(),
  events: events.optional(),
  description: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  active: z.boolean().optional(),
  /** Sets a new secret of your own. */
  secret: secret.optional(),
  /** Makes a new secret; it is in the answer, once. */
  rotateSecret: z.literal(true).optional(),
});
export type WebhookPatch = z.input<typeof webhookPatch>;

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const webhookBody = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  active: z.boolean(),
  secretHint: z.string().describe("the secret's last four characters, to tell secrets apart; the secret itself is shown only when made"),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastDelivery: z
    .object({ status: z.enum(DELIVERY_STATUSES), at: z.string() })
    .nullable()
    .describe("the newest delivery's status, if any"),
});
export type Webhook = z.infer<typeof webhookBody>;

export const webhookListBody = z.object({ items: z.array(webhookBody) });
export type WebhookListBody = z.infer<typeof webhookListBody>;

export const webhookCreatedBody = z.object({
  webhook: webhookBody,
  secret: z.string().optional().describe('present only when the secret was just made or set: keep it, it is not shown again'),
});
export type WebhookCreatedBody = z.infer<typeof webhookCreatedBody>;

/** One POST to the receiver. */
const deliveryAttemptBody = z.object({
  at: z.string(),
  statusCode: z.number().int().nullable().describe('null: no answer (timeout, refused connection); error says why'),
  durationMs: z.number().int(),
  error: z.string().nullable(),
  responseExcerpt: z.string().nullable().describe("the first 500 characters of the receiver's answer"),
});

export const webhookDeliveryBody = z.object({
  id: z.string().describe('sent as X-Hami-Delivery'),
  webhookId: z.string(),
  event: z.enum(WEBHOOK_EVENTS),
  eventId: z.string().describe("the event body's id (the same for a resend)"),
  status: z.enum(DELIVERY_STATUSES),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable().describe('when the next attempt is due while pending'),
  resendOf: z.string().nullable().describe('the delivery this one resends'),
  body: z.string().describe('the exact body sent (JSON text)'),
  attempts: z.array(deliveryAttemptBody),
});
export type WebhookDelivery = z.infer<typeof webhookDeliveryBody>;

export const deliveryListBody = z.object({ items: z.array(webhookDeliveryBody) });
export type DeliveryListBody = z.infer<typeof deliveryListBody>;

export const DELIVERY_PAGE_DEFAULT = 50;
export const DELIVERY_PAGE_MAX = 200;

/* ---- Event bodies: a stable envelope { id, event, occurredAt, data } ---- */

export const webhookCustomer = z.object({
  id: z.string().describe("Hami's customer id"),
  externalId: z.string().describe('the id the shop or help desk knows the customer by'),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  locale: z.string(),
  attributes: z.record(z.string(), z.unknown()),
});

export const webhookResponse = z.object({
  id: z.string(),
  surveyId: z.string(),
  score: z.number().int().nullable().describe('NPS 0–10, null when the question was skipped'),
  bucket: z.enum(['promoter', 'passive', 'detractor']).nullable(),
  comment: z.string().nullable(),
  answers: z.record(z.string(), z.unknown()).describe('every answer by question id'),
  channel: z.string(),
  locale: z.string(),
  answeredAt: z.string(),
});

export const webhookCase = z.object({
  id: z.string(),
  status: z.string().describe('open | contacted | resolved | unresolvable | withdrawn'),
  reason: z.string().nullable().describe('root-cause category, set when closed'),
  ownerId: z.string().nullable(),
  dueAt: z.string(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  url: z.string().describe("the case in Hami's dashboard"),
});

const envelope = <E extends WebhookEvent, D extends z.ZodType>(event: E, data: D) =>
  z.object({
    id: z.string().describe('the event id; the same on every attempt and on a resend, so receivers can dedupe'),
    event: z.literal(event),
    occurredAt: z.string().describe('ISO-8601 UTC'),
    data,
  });

export const webhookEventBodies = {
  'response.created': envelope('response.created', z.object({ response: webhookResponse, customer: webhookCustomer })),
  'callback.opened': envelope('callback.opened', z.object({ case: webhookCase, response: webhookResponse, customer: webhookCustomer })),
  'callback.overdue': envelope('callback.overdue', z.object({ case: webhookCase, response: webhookResponse, customer: webhookCustomer })),
  'callback.closed': envelope('callback.closed', z.object({ case: webhookCase, response: webhookResponse, customer: webhookCustomer })),
  'segment.entered': envelope(
    'segment.entered',
    z.object({ segment: z.literal('promoters'), response: webhookResponse, customer: webhookCustomer }),
  ),
} as const satisfies Record<WebhookEvent, z.ZodType>;

export type WebhookEventBody<E extends WebhookEvent = WebhookEvent> = z.infer<(typeof webhookEventBodies)[E]>;
