import type { Kysely } from 'kysely';

// Privacy: a customer can be erased (the row stays as an anonymous placeholder, marked with erased_at, so their
// scores still count), what each customer consented to is recorded, and every export, erasure and retention purge
// leaves an audit entry that holds no personal data (ids and counts only).
// `any`: a migration sees the schema of its own day, not today's Database interface.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customers').addColumn('erased_at', 'text').execute();

  await db.schema
    .createTable('consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('granted', 'integer', (c) => c.notNull())
    .addColumn('given_at', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consents_customer_idx').on('consents').columns(['customer_id', 'given_at']).execute();

  await db.schema
    .createTable('privacy_audit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('action', 'text', (c) => c.notNull())
    // No foreign key: a retention run concerns many customers and has none.
    .addColumn('customer_id', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('privacy_audit_at_idx').on('privacy_audit').columns(['at']).execute();
}

// `any`: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('privacy_audit').execute();
  await db.schema.dropTable('consents').execute();
  await db.schema.alterTable('customers').dropColumn('erased_at').execute();
}
