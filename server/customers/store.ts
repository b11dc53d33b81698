import type { Selectable, Transaction } from 'kysely';
import type { CustomerInput } from '../../shared/api/events.js';
import { DEFAULT_LOCALE } from '../../shared/locale.js';
import { prepared } from '../db/prepared.js';
import type { Customer, CustomersTable, Database } from '../db/schema.js';
import { newRowId } from '../db/ids.js';
import type { Executor } from '../db/connect.js';
import { recordConsent } from './consent.js';

const customerByExternalId = prepared((db, p: { externalId: string }) =>
  db.selectFrom('customers').selectAll().where('external_id', '=', p.externalId),
);
const insertCustomer = prepared((db, row: Customer) => db.insertInto('customers').values(row));
type CustomerChange = Pick<Customer, 'id' | 'email' | 'phone' | 'name' | 'locale' | 'time_zone' | 'attributes' | 'updated_at'>;
const updateCustomer = prepared((db, { id, ...change }: CustomerChange) => db.updateTable('customers').set(change).where('id', '=', id));

/**
 * Creates the customer, or updates the one with this external id: fields the event carries replace the stored
 * ones, fields it leaves out are kept, and attributes are merged (newer values win). A consent it carries is
 * recorded (customers/consent.ts). An erased customer's external id was replaced, so they come back as a new customer.
 */
export async function upsertCustomer(trx: Transaction<Database>, input: CustomerInput, now: Date): Promise<Customer> {
  const at = now.toISOString();
  const existing = await customerByExternalId.executeTakeFirst(trx, { externalId: input.id });
  if (!existing) {
    const customer: Customer = {
      id: newRowId(),
      external_id: input.id,
      email: input.email?.toLowerCase() ?? null,
      phone: input.phone ?? null,
      name: input.name ?? null,
      locale: input.locale ?? DEFAULT_LOCALE,
      time_zone: input.timeZone ?? null,
      attributes: JSON.stringify(input.attributes ?? {}),
      created_at: at,
      updated_at: at,
    };
    await insertCustomer.run(trx, customer);
    if (input.consent) await recordConsent(trx, customer.id, input.consent, now);
    return customer;
  }
  if (input.consent) await recordConsent(trx, existing.id, input.consent, now);
  const attributes = input.attributes ? JSON.stringify({ ...JSON.parse(existing.attributes), ...input.attributes }) : existing.attributes;
  const change: CustomerChange = {
    id: existing.id,
    email: input.email?.toLowerCase() ?? existing.email,
    phone: input.phone ?? existing.phone,
    name: input.name ?? existing.name,
    locale: input.locale ?? existing.locale,
    time_zone: input.timeZone ?? existing.time_zone,
    attributes,
    updated_at: at,
  };
  const unchanged = (['email', 'phone', 'name', 'locale', 'time_zone', 'attributes'] as const).every(
    (field) => change[field] === existing[field],
  );
  // A repeat customer with nothing new (most rows of an import, most events) costs no write.
  if (unchanged) return existing;
  await updateCustomer.run(trx, change);
  return { ...existing, ...change };
}

/** True when the customer has an email or a phone: someone can call or write back. */
export async function hasContactDetails(trx: Transaction<Database>, customerId: string): Promise<boolean> {
  const customer = await trx.selectFrom('customers').select(['email', 'phone']).where('id', '=', customerId).executeTakeFirst();
  return Boolean(customer?.email || customer?.phone);
}

/** The customer (erased or not: erased_at says); throws for one that does not exist. */
export async function getCustomer(db: Executor, id: string): Promise<Selectable<CustomersTable>> {
  return db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The customer, or undefined for an id that does not exist. */
export async function findCustomer(db: Executor, id: string): Promise<Customer | undefined> {
  return db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The customer with the shop's own id (Customer ID), if any. */
export async function findCustomerByExternalId(db: Executor, externalId: string): Promise<Customer | undefined> {
  return customerByExternalId.executeTakeFirst(db, { externalId });
}

/** The customer's email and phone as they are now; throws for a customer that does not exist. */
export async function contactDetailsOf(db: Executor, id: string): Promise<Pick<Customer, 'email' | 'phone'>> {
  return db.selectFrom('customers').select(['email', 'phone']).where('id', '=', id).executeTakeFirstOrThrow();
}

/** The customer's own time zone setting (null: none given); throws for a customer that does not exist. */
export async function timeZoneSettingOf(db: Executor, id: string): Promise<Pick<Customer, 'time_zone'>> {
  return db.selectFrom('customers').select('time_zone').where('id', '=', id).executeTakeFirstOrThrow();
}
