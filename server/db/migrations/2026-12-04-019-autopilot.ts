import type { Kysely } from 'kysely';

// Autopilot (server/autopilot/): the customers who get the recurring relationship survey, one row per customer and
// channel (Delighted's memberships are per platform: email, sms). `next_send_at` is when the queued job
// `next_job_id` plans their next survey; `last_sent_at` is their last autopilot survey, the next one counts from it.
// `any`: a migration sees the schema of its own day, not today's Database interface.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('autopilot_memberships')
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('properties', 'text', (c) => c.notNull())
    .addColumn('next_send_at', 'text', (c) => c.notNull())
    .addColumn('next_job_id', 'text', (c) => c.notNull())
    .addColumn('last_sent_at', 'text')
    .addColumn('last_invitation_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('autopilot_memberships_pk', ['customer_id', 'channel'])
    .execute();
  await db.schema
    .createIndex('autopilot_memberships_list_idx')
    .on('autopilot_memberships')
    .columns(['channel', 'created_at', 'customer_id'])
    .execute();
}

// `any`: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('autopilot_memberships').execute();
}
