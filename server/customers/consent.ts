import { sql, type RawBuilder } from 'kysely';
import { CONSENT_PURPOSES, type ConsentInput, type ConsentPurpose } from '../../shared/api/privacy.js';
import { prepared } from '../db/prepared.js';
import { newRowId } from '../db/ids.js';
import { ApiError } from '../http/errors.js';
import type { Executor } from '../db/connect.js';

/*
 * Consent is history (table consents), and it belongs to the person, not to one customer record: the same mailbox
 * or phone can reach Hami under the shop's customer id and, from a hook that knows only the address, under the
 * address itself. So the latest row of a purpose over every customer that shares the customer's id, email or phone
 * is what counts — as opt-outs (per address) already do. "Latest" is by when the customer gave it, but never later
 * than when Hami heard of it (a row dated ahead, stored before such dates were refused, cannot win forever), then by
 * when Hami heard of it, then by id (time-ordered). No row at all means nothing was said, which is not a refusal:
 * only a withdrawal (granted 0 as the latest word) stops messages of that purpose, and a later grant lifts it.
 */

/** How far ahead of Hami's clock consent.at may be (a shop clock running fast); it is then recorded as now. */
const CONSENT_AT_LEEWAY_MS = 5 * 60_000;

/** The latest `granted` (1/0, null when nothing was said) of `purpose` for the person behind `customerId` (a value or a column). */
function latestGrantedSql(customerId: string | RawBuilder<unknown>, purpose: ConsentPurpose): RawBuilder<number | null> {
  const samePerson = sql`select c0.id from customers c0 where c0.id = ${customerId}
    union select o.id from customers o where o.email = (select me.email from customers me where me.id = ${customerId})
    union select o.id from customers o where o.phone = (select me.phone from customers me where me.id = ${customerId})`;
  return sql<number | null>`(select k.granted from consents k where k.purpose = ${purpose} and k.customer_id in (${samePerson})
    order by case when k.given_at < k.recorded_at then k.given_at else k.recorded_at end desc, k.recorded_at desc, k.id desc limit 1)`;
}

// Prepared: it runs once per planned invitation, on the ingest hot path.
const latestConsent = prepared((db, p: { customerId: string; purpose: ConsentPurpose }) =>
  db.selectNoFrom(latestGrantedSql(p.customerId, p.purpose).as('granted')),
);
const latestOf = async (db: Executor, customerId: string, purpose: ConsentPurpose) => {
  const granted = (await latestConsent.executeTakeFirst(db, { customerId, purpose }))?.granted;
  return granted === null || granted === undefined ? undefined : { granted: Number(granted) };
};

/** True when the person's latest word on `purpose` is a withdrawal: no survey (or no marketing message) for them. */
export async function consentWithdrawn(db: Executor, customerId: string, purpose: ConsentPurpose): Promise<boolean> {
  return (await latestOf(db, customerId, purpose))?.granted === 0;
}

/**
 * The same rule as consentWithdrawn as an SQL condition on a customer id column (e.g. 'c.id'), for counts over
 * many customers: true when the latest consent row of `purpose` is not a withdrawal (or there is none).
 */
export function consentNotWithdrawnSql(customerIdColumn: string, purpose: ConsentPurpose): RawBuilder<boolean> {
  return sql<boolean>`coalesce(${latestGrantedSql(sql.ref(customerIdColumn), purpose)}, 1) = 1`;
}

/**
 * consent.at further ahead of `now` than the leeway is refused: a date to come would outrank every later word of
 * the customer. Checked before anything is stored.
 */
export function checkConsentAt(consent: ConsentInput | undefined, now: Date): void {
  const field = 'customer.consent.at';
  if (consent?.at && new Date(consent.at).getTime() > now.getTime() + CONSENT_AT_LEEWAY_MS) {
    throw new ApiError(
      400,
      'invalid_input',
      `${field} is in the future: when the customer gave or withdrew consent can be at most ${CONSENT_AT_LEEWAY_MS / 60_000} minutes after now`,
      field,
    );
  }
}

/**
 * Records what the customer agreed to (customer.consent of an event or an imported row). Only a change from the
 * person's latest value of a purpose (over all their records, as enforced) is written, so an integration that
 * repeats the same consent on every event leaves one row, and the history shows each grant and withdrawal.
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
        // A little ahead (within the leeway) counts as now: the customer cannot have said it later than Hami heard it.
        given_at: new Date(Math.min(consent.at ? new Date(consent.at).getTime() : Infinity, now.getTime())).toISOString(),
        source: 'integration',
        detail: consent.how ?? null,
        recorded_at: now.toISOString(),
      })
      .execute();
    written++;
  }
  return written;
}
