import type { Kysely } from 'kysely';

// SMS, delivery reports, reminders, public links and two-way SMS.
// `any`: a migration sees the schema of its own day, not today's Database interface.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('invitations').addColumn('provider_message_id', 'text').execute();
  await db.schema.alterTable('invitations').addColumn('delivery_status', 'text').execute();
  await db.schema.alterTable('invitations').addColumn('delivery_detail', 'text').execute();
  await db.schema.alterTable('invitations').addColumn('delivery_updated_at', 'text').execute();
  await db.schema.alterTable('invitations').addColumn('reminder_sent_at', 'text').execute();
  await db.schema.alterTable('invitations').addColumn('public_link_id', 'text').execute();
  await db.schema.createIndex('invitations_provider_message_idx').on('invitations').column('provider_message_id').execute();
  await db.schema.createIndex('invitations_address_idx').on('invitations').columns(['channel', 'address', 'sent_at']).execute();

  await db.schema
    .createTable('inbound_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('invitation_id', 'text', (c) => c.references('invitations.id'))
    /** What it was taken as: score, answer, comment, opt_out, unmatched. */
    .addColumn('outcome', 'text', (c) => c.notNull())
    .execute();
}

// `any`: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('inbound_messages').execute();
  await db.schema.dropIndex('invitations_address_idx').execute();
  await db.schema.dropIndex('invitations_provider_message_idx').execute();
  for (const column of [
    'public_link_id',
    'reminder_sent_at',
    'delivery_updated_at',
    'delivery_detail',
    'delivery_status',
    'provider_message_id',
  ]) {
    await db.schema.alterTable('invitations').dropColumn(column).execute();
  }
}
