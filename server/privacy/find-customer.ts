import { readSender, type CountryCode } from '../customers/phone.js';
import type { Executor } from '../db/connect.js';

/**
 * The customer by Hami's id or by the id the shop knows them by. Hami's id wins when a value is both (an external
 * id that happens to equal another customer's Hami id). An erased customer is found by Hami's id only: their
 * external id was replaced. A customer known only by a phone (a hook or a Delighted person without id or email)
 * has it in E.164 as their id: it is found however the number is written (`0912 123 4567`, read in `country`).
 */
export async function findCustomer(db: Executor, id: string, country: CountryCode) {
  const byExternalId = (externalId: string) =>
    db.selectFrom('customers').selectAll().where('external_id', '=', externalId).executeTakeFirst();
  const found = (await db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst()) ?? (await byExternalId(id));
  if (found) return found;
  const phone = readSender(id, country);
  return phone && phone !== id ? byExternalId(phone) : undefined;
}
