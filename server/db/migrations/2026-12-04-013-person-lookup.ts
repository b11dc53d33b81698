import type { Kysely } from 'kysely';

// Consent follows the person: the latest word is looked up over every customer sharing the email or phone
// (server/customers/consent.ts), once per planned invitation, so both are indexed.
// `any`: a migration sees the schema of its own day, not today's Database interface.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('customers_email_idx').on('customers').column('email').execute();
  await db.schema.createIndex('customers_phone_idx').on('customers').column('phone').execute();
}

// `any`: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('customers_phone_idx').execute();
  await db.schema.dropIndex('customers_email_idx').execute();
}
