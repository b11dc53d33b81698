import type { Kysely } from 'kysely';

// Entries written in one request share a timestamp: a per-case sequence number keeps the trail in the order written.
// `any`: a migration sees the schema of its own day, not today's Database interface.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('case_entries')
    .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// `any`: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_entries').dropColumn('seq').execute();
}
