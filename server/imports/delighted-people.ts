import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/*
 * The link from a Delighted person id to the Hami customer it was imported as (table delighted_people), so the
 * people and responses exports join on Delighted's own key whichever is imported first.
 */

/** The customer a Delighted person was imported as, if any (its id and the external id events and imports key on). */
export async function linkedCustomer(
  trx: Transaction<Database>,
  personId: string,
): Promise<{ id: string; external_id: string } | undefined> {
  return trx
    .selectFrom('delighted_people as p')
    .innerJoin('customers as c', 'c.id', 'p.customer_id')
    .select(['c.id', 'c.external_id'])
    .where('p.person_id', '=', personId)
    .executeTakeFirst();
}

/** Records that a Delighted person is this customer (a person already linked keeps its first customer). */
export async function linkPerson(trx: Transaction<Database>, personId: string, customerId: string, now: Date): Promise<void> {
  await trx
    .insertInto('delighted_people')
    .values({ person_id: personId, customer_id: customerId, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('person_id').doNothing())
    .execute();
}
