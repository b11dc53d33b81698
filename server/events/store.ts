import type { Transaction } from 'kysely';
import type { EventType } from '../../shared/api/events.js';
import { prepared } from '../db/prepared.js';
import type { Database, NewEvent } from '../db/schema.js';
import type { Executor } from '../db/connect.js';

const eventIdByExternalId = prepared((db, p: { type: EventType; externalId: string }) =>
  db.selectFrom('events').select('id').where('type', '=', p.type).where('external_id', '=', p.externalId),
);

export async function findEventId(db: Executor, type: EventType, externalId: string): Promise<string | undefined> {
  return (await eventIdByExternalId.executeTakeFirst(db, { type, externalId }))?.id;
}

const insertEventRow = prepared((db, row: NewEvent) => db.insertInto('events').values(row));

export async function insertEvent(
  trx: Transaction<Database>,
  event: {
    id: string;
    type: EventType;
    externalId: string;
    customerId: string;
    occurredAt: Date;
    requestedSendAt: string | null;
    attributes: object;
    receivedAt: Date;
  },
): Promise<void> {
  await insertEventRow.run(trx, {
    id: event.id,
    type: event.type,
    external_id: event.externalId,
    customer_id: event.customerId,
    occurred_at: event.occurredAt.toISOString(),
    requested_send_at: event.requestedSendAt,
    attributes: JSON.stringify(event.attributes),
    received_at: event.receivedAt.toISOString(),
  });
}

/** The send time the event named itself, if it did (null: send after the survey's delay). */
export async function requestedSendAt(db: Executor, eventId: string): Promise<string | null> {
  return (
    (await db.selectFrom('events').select('requested_send_at').where('id', '=', eventId).executeTakeFirst())?.requested_send_at ?? null
  );
}
