import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { CONSENT_PURPOSES, type ConsentInput, type ConsentPurpose } from '../../shared/api/privacy.js';
import { prepared } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import { newRowId } from '../db/ids.js';

type Executor = Kysely<Database> | Transaction<Database>;

/*
 * Consent is history (table consents): the latest row of a purpose — by when the customer gave it, then by when
 * Hami heard of it, then by id (time-ordered) — is what counts. No row at all means nothing was said, which is
 * not a refusal: only a withdrawal (granted 0 as the latest word) stops messages of that purpose, and a later
 * grant lifts it.
 */

// Prepared: it runs once per planned invitation, on the ingest hot path.
const latestConsent = prepared((db, p: { customerId: string; purpose: string }) =>
  db
    .selectFrom('consents')
    .select('granted')
    .where('customer_id', '=', p.customerId)
    .where('purpose', '=', p.purpose)
    .orderBy('given_at', 'desc')
    .orderBy('recorded_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1),
);
const latestOf = (db: Executor, customerId: string, purpose: ConsentPurpose) => latestConsent.executeTakeFirst(db, { customerId, purpose });

/** True when the customer's latest word on `purpose` is a withdrawal: no survey (or no marketing message) for them. */
export async function consentWithdrawn(db: Executor, customerId: string, purpose: ConsentPurpose): Promise<boolean> {
  return (await latestOf(db, customerId, purpose))?.granted === 0;
}

/**
 * The same rule as consentWithdrawn as an SQL condition on a customer id column (e.g. 'c.id'), for counts over
 * many customers: true when the latest consent row of `purpose` is not a withdrawal (or there is none).
 */
export function consentNotWithdrawnSql(customerIdColumn: string, purpose: ConsentPurpose): RawBuilder<boolean> {
  return sql<boolean>`coalesce((select k.granted from consents k where k.customer_id = ${sql.ref(customerIdColumn)} and k.purpose = ${purpose} order by k.given_at desc, k.recorded_at desc, k.id desc limit 1), 1) = 1`;
}

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
    const latest = await latestOf(trx, customerId, purpose);
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
