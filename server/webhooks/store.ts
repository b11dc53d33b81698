import type { Updateable } from 'kysely';
import type { DeliveryStatus, WebhookDelivery, WebhookEvent } from '../../shared/api/webhooks.js';
import type { WebhookAttemptRow, WebhookDeliveriesTable, WebhookDeliveryRow, WebhookRow, WebhooksTable } from '../db/schema.js';
import type { Executor } from '../db/connect.js';

export const eventsOf = (row: WebhookRow): WebhookEvent[] => JSON.parse(row.events) as WebhookEvent[];

/** Active subscriptions that want `event`. The table holds a handful of rows, so the events are matched here. */
export async function activeSubscribers(db: Executor, event: WebhookEvent): Promise<WebhookRow[]> {
  const rows = await db.selectFrom('webhooks').selectAll().where('active', '=', 1).execute();
  return rows.filter((row) => eventsOf(row).includes(event));
}

export function listWebhooks(db: Executor): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').selectAll().orderBy('created_at').orderBy('id').execute();
}

export function findWebhook(db: Executor, id: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertWebhook(db: Executor, row: WebhookRow): Promise<void> {
  await db.insertInto('webhooks').values(row).execute();
}

export async function updateWebhook(db: Executor, id: string, change: Updateable<WebhooksTable>): Promise<void> {
  await db.updateTable('webhooks').set(change).where('id', '=', id).execute();
}

/** Deletes a subscription; its deliveries and their attempts go with it (ON DELETE CASCADE). */
export async function deleteWebhook(db: Executor, id: string): Promise<boolean> {
  const result = await db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The newest delivery of each subscription, for the list's status chip. */
export async function latestDelivery(db: Executor, webhookId: string): Promise<{ status: DeliveryStatus; at: string } | null> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select(['status', 'updated_at'])
    .where('webhook_id', '=', webhookId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { status: row.status as DeliveryStatus, at: row.updated_at } : null;
}

export async function insertDelivery(db: Executor, row: WebhookDeliveryRow): Promise<void> {
  await db.insertInto('webhook_deliveries').values(row).execute();
}

/** Whether the first (not resent) delivery of an event to a subscription exists: a re-run fan-out skips it. */
export async function hasFirstDelivery(db: Executor, webhookId: string, eventId: string): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('webhook_id', '=', webhookId)
    .where('event_id', '=', eventId)
    .where('resend_of', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

export function findDelivery(db: Executor, id: string): Promise<WebhookDeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateDelivery(db: Executor, id: string, change: Updateable<WebhookDeliveriesTable>): Promise<void> {
  await db.updateTable('webhook_deliveries').set(change).where('id', '=', id).execute();
}

export async function insertAttempt(db: Executor, row: WebhookAttemptRow): Promise<void> {
  await db.insertInto('webhook_attempts').values(row).execute();
}

/** A subscription's newest deliveries, each with its attempts in order. */
export async function deliveriesOf(db: Executor, webhookId: string, limit: number): Promise<WebhookDelivery[]> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return withAttempts(db, rows);
}

/** One delivery with its attempts, as the API shows it. */
export async function deliveryForApi(db: Executor, id: string): Promise<WebhookDelivery | undefined> {
  const row = await findDelivery(db, id);
  return row ? (await withAttempts(db, [row]))[0] : undefined;
}

async function withAttempts(db: Executor, rows: WebhookDeliveryRow[]): Promise<WebhookDelivery[]> {
  const attempts = rows.length
    ? await db
        .selectFrom('webhook_attempts')
        .selectAll()
        .where(
          'delivery_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('at')
        .orderBy('id')
        .execute()
    : [];
  return rows.map((row) => ({
    id: row.id,
    webhookId: row.webhook_id,
    event: row.event as WebhookEvent,
    eventId: row.event_id,
    status: row.status as DeliveryStatus,
    createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at,
    resendOf: row.resend_of,
    body: row.body,
    attempts: attempts
      .filter((a) => a.delivery_id === row.id)
      .map((a) => ({
        at: a.at,
        statusCode: a.status_code,
        durationMs: a.duration_ms,
        error: a.error,
        responseExcerpt: a.response_excerpt,
      })),
  }));
}
