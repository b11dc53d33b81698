import type { Kysely } from 'kysely';

// Staff sessions, and the link from a follow-up survey to the case it follows up.
// `any`: a migration sees the schema of its own day, not today's Database interface.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
  await db.schema.alterTable('invitations').addColumn('case_id', 'text').execute();
  await db.schema.createIndex('invitations_case_idx').on('invitations').column('case_id').execute();
  await db.schema.createIndex('callback_cases_customer_idx').on('callback_cases').column('customer_id').execute();
}

// `any`: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('callback_cases_customer_idx').execute();
  await db.schema.dropIndex('invitations_case_idx').execute();
  await db.schema.alterTable('invitations').dropColumn('case_id').execute();
  await db.schema.dropTable('sessions').execute();
}
