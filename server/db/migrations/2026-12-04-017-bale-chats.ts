import type { Kysely } from 'kysely';

// Which Bale chat is which customer's number: learned when someone taps a survey button (its callback names the
// invitation, hence the number), so a later "لغو" or "stop" typed to the bot can opt that number out of Bale.
// `any`: a migration sees the schema of its own day, not today's Database interface.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('bale_chats')
    .addColumn('chat_id', 'text', (c) => c.primaryKey())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bale_chats_phone').on('bale_chats').column('phone').execute();
}

// `any`: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('bale_chats').execute();
}
