import type { Kysely } from 'kysely';

// One row that /healthz writes on each check: a cheap real write, so a database that can no longer be written
// (read-only, full, permission revoked) shows as not healthy (server/http/health.ts).
// `any`: a migration sees the schema of its own day, not today's Database interface.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('health_probe')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .execute();
}

// `any`: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('health_probe').execute();
}
