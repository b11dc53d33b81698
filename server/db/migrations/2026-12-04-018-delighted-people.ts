import type { Kysely } from 'kysely';

// Delighted's person id → the Hami customer it became. A Delighted responses export names the person by that id (and
// sometimes only by it), while the people export says who the person is: the import joins the two through this
// table, whichever file comes first, so a person never splits into two customers.
// `any`: a migration sees the schema of its own day, not today's Database interface.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('delighted_people')
    .addColumn('person_id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('delighted_people_customer_idx').on('delighted_people').column('customer_id').execute();
}

// `any`: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('delighted_people').execute();
}
