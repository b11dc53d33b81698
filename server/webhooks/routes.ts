import { randomBytes, randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import {
  DELIVERY_PAGE_DEFAULT,
  DELIVERY_PAGE_MAX,
  webhookInput,
  webhookPatch,
  type DeliveryListBody,
  type Webhook,
  type WebhookCreatedBody,
  type WebhookDelivery,
  type WebhookListBody,
} from '../../shared/api/webhooks.js';
import { requireStaff, staffUser, type StaffEnv } from '../auth/staff-session.js';
import type { AppDeps } from '../deps.js';
import type { WebhookRow } from '../db/schema.js';
import { ApiError } from '../http/errors.js';
import { jsonBody } from '../http/json-body.js';
import { queueDelivery } from './jobs.js';
import './openapi.js';
import {
  deleteWebhook,
  deliveriesOf,
  deliveryForApi,
  eventsOf,
  findDelivery,
  findWebhook,
  insertWebhook,
  latestDelivery,
  listWebhooks,
  updateWebhook,
} from './store.js';
import { webhookNetworkPolicy } from '../http/outbound-fetch.js';
import { webhookUrlRefusal } from './url-policy.js';

const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

/** The URL's shape and the address it resolves to now (SSRF); sending checks the address again at connection time. */
async function checkUrl(deps: AppDeps, url: string): Promise<void> {
  const problem = await webhookUrlRefusal(url, webhookNetworkPolicy(deps));
  if (problem) throw new ApiError(400, 'invalid_input', `url ${problem}`, 'url');
}

function parseLimit(value: string | undefined): number {
  if (value === undefined) return DELIVERY_PAGE_DEFAULT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > DELIVERY_PAGE_MAX) {
    throw new ApiError(400, 'invalid_input', `limit must be a whole number from 1 to ${DELIVERY_PAGE_MAX}`, 'limit');
  }
  return limit;
}

/** /api/webhooks/* (shapes in shared/api/webhooks.ts): admin only, through 'webhooks:manage'. */
export function webhookRoutes(deps: AppDeps) {
  const app = new Hono<StaffEnv>();
  const manage = requireStaff(deps, 'webhooks:manage');
  const now = () => deps.clock.now().toISOString();

  const toApi = async (row: WebhookRow): Promise<Webhook> => ({
    id: row.id,
    url: row.url,
    description: row.description,
    events: eventsOf(row),
    active: row.active === 1,
    secretHint: row.secret.slice(-4),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastDelivery: await latestDelivery(deps.db, row.id),
  });
  const webhookOr404 = async (id: string) => {
    const row = await findWebhook(deps.db, id);
    if (!row) throw new ApiError(404, 'not_found', 'no such webhook');
    return row;
  };

  app.get('/api/webhooks', manage, async (c) =>
    c.json({ items: await Promise.all((await listWebhooks(deps.db)).map(toApi)) } satisfies WebhookListBody),
  );

  app.post('/api/webhooks', manage, async (c) => {
    const input = await jsonBody(c, webhookInput);
    await checkUrl(deps, input.url);
    const secret = input.secret ?? newSecret();
    const row: WebhookRow = {
      id: randomUUID(),
      url: input.url,
      description: input.description,
      secret,
      events: JSON.stringify(input.events),
      active: input.active ? 1 : 0,
      created_by: staffUser(c).id,
      created_at: now(),
      updated_at: now(),
    };
    await insertWebhook(deps.db, row);
    deps.log.info('webhook added', { webhook: row.id, user: staffUser(c).id, events: input.events });
    return c.json({ webhook: await toApi(row), secret } satisfies WebhookCreatedBody, 201);
  });

  app.patch('/api/webhooks/:id', manage, async (c) => {
    const row = await webhookOr404(c.req.param('id'));
    const patch = await jsonBody(c, webhookPatch);
    if (patch.url !== undefined) await checkUrl(deps, patch.url);
    if (patch.secret && patch.rotateSecret)
      throw new ApiError(400, 'invalid_input', 'rotateSecret cannot be given with a secret of your own', 'rotateSecret');
    const secret = patch.secret ?? (patch.rotateSecret ? newSecret() : undefined);
    await updateWebhook(deps.db, row.id, {
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.events !== undefined ? { events: JSON.stringify(patch.events) } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
      ...(secret !== undefined ? { secret } : {}),
      updated_at: now(),
    });
    const body: WebhookCreatedBody = { webhook: await toApi(await webhookOr404(row.id)), ...(secret !== undefined ? { secret } : {}) };
    return c.json(body);
  });

  app.delete('/api/webhooks/:id', manage, async (c) => {
    if (!(await deleteWebhook(deps.db, c.req.param('id')))) throw new ApiError(404, 'not_found', 'no such webhook');
    deps.log.info('webhook deleted', { webhook: c.req.param('id'), user: staffUser(c).id });
    return c.body(null, 204);
  });

  app.get('/api/webhooks/:id/deliveries', manage, async (c) => {
    const row = await webhookOr404(c.req.param('id'));
    const limit = parseLimit(c.req.query('limit'));
    return c.json({ items: await deliveriesOf(deps.db, row.id, limit) } satisfies DeliveryListBody);
  });

  // The same body again as a new delivery (its own id, attempts and signature time); the event id stays, so a
  // receiver that already has it can tell.
  app.post('/api/webhooks/deliveries/:id/resend', manage, async (c) => {
    const original = await findDelivery(deps.db, c.req.param('id'));
    if (!original) throw new ApiError(404, 'not_found', 'no such delivery');
    const hook = await webhookOr404(original.webhook_id);
    if (!hook.active) throw new ApiError(409, 'inactive', 'the webhook is inactive; activate it to resend');
    const at = deps.clock.now();
    const id = await deps.db
      .transaction()
      .execute((trx) =>
        queueDelivery(
          trx,
          { webhookId: hook.id, event: original.event, eventId: original.event_id, body: original.body, resendOf: original.id },
          at,
        ),
      );
    deps.jobQueued();
    return c.json((await deliveryForApi(deps.db, id))! satisfies WebhookDelivery, 202);
  });

  return app;
}
