import { z } from 'zod';
import {
  DELIVERY_PAGE_DEFAULT,
  DELIVERY_PAGE_MAX,
  WEBHOOK_EVENTS,
  WEBHOOK_MAX_ATTEMPTS,
  deliveryListBody,
  webhookCreatedBody,
  webhookDeliveryBody,
  webhookEventBodies,
  webhookInput,
  webhookListBody,
  webhookPatch,
  type WebhookEvent,
} from '../../shared/api/webhooks.js';
import { apiErrorBodySchema } from '../openapi/document.js';
import { registerOperations, registerWebhook } from '../openapi/registry.js';

/* The webhooks API and the bodies Hami sends, in the OpenAPI document (same schemas the routes validate with). */

const tag = 'Webhooks';
const auth = { staff: 'webhooks:manage' } as const;
const idParam = z.object({ id: z.string() });
const notFound = (what: string) => ({ description: `No such ${what}`, schema: apiErrorBodySchema });

registerOperations(
  {
    method: 'get',
    path: '/api/webhooks',
    tag,
    summary: 'Webhook subscriptions',
    auth,
    responses: { 200: { description: 'Oldest first; secrets are never listed', schema: webhookListBody } },
  },
  {
    method: 'post',
    path: '/api/webhooks',
    tag,
    summary: 'Add a webhook subscription',
    auth,
    body: webhookInput,
    description: 'The URL must be http(s). Without a `secret` one is made; either way it is in the answer this once.',
    responses: { 201: { description: 'Added, with its secret', schema: webhookCreatedBody } },
  },
  {
    method: 'patch',
    path: '/api/webhooks/{id}',
    tag,
    summary: 'Change, activate or deactivate a subscription, or set or rotate its secret',
    auth,
    params: idParam,
    body: webhookPatch,
    responses: {
      200: { description: 'The subscription; `secret` only when it was set or rotated', schema: webhookCreatedBody },
      404: notFound('webhook'),
    },
  },
  {
    method: 'delete',
    path: '/api/webhooks/{id}',
    tag,
    summary: 'Delete a subscription and its delivery log',
    auth,
    params: idParam,
    responses: { 204: { description: 'Deleted' }, 404: notFound('webhook') },
  },
  {
    method: 'get',
    path: '/api/webhooks/{id}/deliveries',
    tag,
    summary: 'The delivery log: newest first, each with its attempts',
    auth,
    params: idParam,
    query: z.object({ limit: z.string().optional().describe(`1…${DELIVERY_PAGE_MAX}, default ${DELIVERY_PAGE_DEFAULT}`) }),
    responses: { 200: { description: 'Deliveries', schema: deliveryListBody }, 404: notFound('webhook') },
  },
  {
    method: 'post',
    path: '/api/webhooks/deliveries/{id}/resend',
    tag,
    summary: 'Send a delivery’s body again as a new delivery',
    auth,
    params: idParam,
    description: 'The same bytes (so the same event `id`), a new delivery id, signed with a fresh timestamp.',
    responses: {
      202: { description: 'The new delivery, queued', schema: webhookDeliveryBody },
      404: notFound('delivery'),
      409: { description: 'The webhook is inactive', schema: apiErrorBodySchema },
    },
  },
);

const SIGNING =
  'POSTed as JSON with X-Hami-Event, X-Hami-Delivery (the delivery id), X-Hami-Timestamp (Unix seconds) and ' +
  'X-Hami-Signature: `sha256=` + hex HMAC-SHA256(secret, timestamp + "." + raw body). Check the signature over the raw body ' +
  'and refuse timestamps older than 5 minutes. Any answer but 2xx is retried with backoff (15 s, 30 s, 1 min, …) up to ' +
  `${WEBHOOK_MAX_ATTEMPTS} attempts, except a 4xx other than 408/429, which is final. Dedupe on the body's \`id\`.`;

const WHEN: Record<WebhookEvent, string> = {
  'response.created': 'A customer answered a survey for the first time (a changed answer is not sent again).',
  'callback.opened': 'A detractor answer opened a callback case, or reopened one (a follow-up "not solved", a changed answer).',
  'callback.overdue': 'A callback case reached its due time without being contacted.',
  'callback.closed': 'A case was closed: resolved or unresolvable by staff, or withdrawn because the customer changed their answer.',
  'segment.entered': "A customer's latest answer made them a promoter who was not one before.",
};

for (const event of WEBHOOK_EVENTS) registerWebhook(event, webhookEventBodies[event], `${WHEN[event]}\n\n${SIGNING}`);
