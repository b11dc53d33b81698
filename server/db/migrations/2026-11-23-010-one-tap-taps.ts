import type { Kysely } from 'kysely';

// One-tap link GETs of the last few seconds, per invitation: different values on one link within seconds are a
// mail scanner, not a person (server/responses/one-tap.ts). Rows older than the window are deleted as taps come.
// `any`: a migration sees the schema of its own day, not today's Database interface.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('one_tap_taps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('invitation_id', 'text', (c) => c.notNull().references('invitations.id').onDelete('cascade'))
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('one_tap_taps_invitation').on('one_tap_taps').columns(['invitation_id', 'at']).execute();
}

// `any`: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('one_tap_taps').execute();
}
