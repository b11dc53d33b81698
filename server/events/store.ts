import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

export async function findEventId(db: Executor, type: string, externalId: string): Promise<string | undefined> {
  const row = await db.selectFrom('events').select('id').where('type', '=', type).where('external_id', '=', externalId).executeTakeFirst();
  return row?.id;
}

export async function insertEvent(
  trx: Transaction<Database>,
  event: { id: string; type: string; externalId: string; customerId: string; occurredAt: Date; requestedSendAt: string | null; attributes: object; receivedAt: Date },
): Promise<void> {
  await trx
    .insertInto('events')
    .values({
      id: event.id,
      type: event.type,
      external_id: event.externalId,
      customer_id: event.customerId,
      occurred_at: event.occurredAt.toISOString(),
      requested_send_at: event.requestedSendAt,
      attributes: JSON.stringify(event.attributes),
      received_at: event.receivedAt.toISOString(),
    })
    .execute();
}

export async function eventAttributes(db: Executor, eventId: string): Promise<Record<string, string | number | boolean>> {
  const row = await db.selectFrom('events').select('attributes').where('id', '=', eventId).executeTakeFirst();
  return row ? JSON.parse(row.attributes) : {};
}
