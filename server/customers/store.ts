import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { CustomerInput } from '../../shared/api/events.js';
import { DEFAULT_LOCALE } from '../../shared/locale.js';
import type { Database, Customer } from '../db/schema.js';

/**
 * Creates the customer, or updates the one with this external id: fields the event carries replace the stored
 * ones, fields it leaves out are kept, and attributes are merged (newer values win).
 */
export async function upsertCustomer(trx: Transaction<Database>, input: CustomerInput, now: Date): Promise<Customer> {
  const at = now.toISOString();
  const existing = await trx.selectFrom('customers').selectAll().where('external_id', '=', input.id).executeTakeFirst();
  if (!existing) {
    const customer: Customer = {
      id: randomUUID(),
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
    await trx.insertInto('customers').values(customer).execute();
    return customer;
  }
  const updated: Customer = {
    ...existing,
    email: input.email?.toLowerCase() ?? existing.email,
    phone: input.phone ?? existing.phone,
    name: input.name ?? existing.name,
    locale: input.locale ?? existing.locale,
    time_zone: input.timeZone ?? existing.time_zone,
    attributes: JSON.stringify({ ...JSON.parse(existing.attributes), ...input.attributes }),
    updated_at: at,
  };
  await trx.updateTable('customers').set(updated).where('id', '=', existing.id).execute();
  return updated;
}

export function customerAttributes(customer: Pick<Customer, 'attributes'>): Record<string, string | number | boolean> {
  return JSON.parse(customer.attributes);
}
