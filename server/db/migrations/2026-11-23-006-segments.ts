import type { Kysely } from 'kysely';

// Marketing segments: saved segment definitions, the actions taken on them (a referral invitation or a review
// request), and one row per customer an action considered (skipped with a reason, queued, sent, failed, clicked).
// Plus the indexes the member query needs: "the customer's latest scored answer" is a NOT EXISTS probe on
// responses(customer_id, answered_at), and "not contacted for N days" probes invitations and segment messages by
// customer and sent time.
// `any`: a migration sees the schema of its own day, not today's Database interface.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('segments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('filter', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('segment_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // No foreign key to segments: deleting a segment keeps the record of what was sent on its behalf.
    .addColumn('segment_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('notice', 'text')
    .addColumn('filter', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('segment_actions_segment_idx').on('segment_actions').columns(['segment_id', 'created_at']).execute();

  await db.schema
    .createTable('segment_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('action_id', 'text', (c) => c.notNull().references('segment_actions.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('send_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('clicked_at', 'text')
    .addColumn('clicks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    // One message per customer per action, enforced here: a retried request or a restarted worker cannot double it.
    .addUniqueConstraint('segment_messages_action_customer_unique', ['action_id', 'customer_id'])
    .execute();
  await db.schema.createIndex('segment_messages_customer_sent_idx').on('segment_messages').columns(['customer_id', 'sent_at']).execute();

  await db.schema.createIndex('responses_customer_answered_idx').on('responses').columns(['customer_id', 'answered_at']).execute();
  await db.schema.createIndex('invitations_customer_sent_idx').on('invitations').columns(['customer_id', 'sent_at']).execute();
}

// `any`: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('invitations_customer_sent_idx').execute();
  await db.schema.dropIndex('responses_customer_answered_idx').execute();
  await db.schema.dropTable('segment_messages').execute();
  await db.schema.dropTable('segment_actions').execute();
  await db.schema.dropTable('segments').execute();
}
