import type { Kysely, Transaction } from 'kysely';
import { CONSENT_PURPOSES, type ConsentInput } from '../../shared/api/privacy.js';
import type { Database } from '../db/schema.js';
import { newRowId } from '../db/ids.js';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Records what the customer agreed to (customer.consent of an event or an imported row). Only a change from the
 * latest recorded value of a purpose is written, so an integration that repeats the same consent on every event
 * leaves one row, and the history shows each grant and withdrawal with when and how.
 */
export async function recordConsent(trx: Executor, customerId: string, consent: ConsentInput, now: Date): Promise<number> {
  let written = 0;
  for (const purpose of CONSENT_PURPOSES) {
    const granted = consent[purpose];
    if (granted === undefined) continue;
    const latest = await trx
      .selectFrom('consents')
      .select('granted')
      .where('customer_id', '=', customerId)
      .where('purpose', '=', purpose)
      .orderBy('given_at', 'desc')
      .orderBy('recorded_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest && latest.granted === (granted ? 1 : 0)) continue;
    await trx
      .insertInto('consents')
      .values({
        id: newRowId(),
        customer_id: customerId,
        purpose,
        granted: granted ? 1 : 0,
        given_at: consent.at ? new Date(consent.at).toISOString() : now.toISOString(),
        source: 'integration',
        detail: consent.how ?? null,
        recorded_at: now.toISOString(),
      })
      .execute();
    written++;
  }
  return written;
}
