import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * The customer by Hami's id or by the id the shop knows them by. Hami's id wins when a value is both (an external
 * id that happens to equal another customer's Hami id). An erased customer is found by Hami's id only: their
 * external id was replaced.
 */
export async function findCustomer(db: Executor, id: string) {
  const byId = await db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
  return byId ?? (await db.selectFrom('customers').selectAll().where('external_id', '=', id).executeTakeFirst());
}
