import type { Kysely } from 'kysely';

// A channel on hold: the gateway refused because of our account (no credit, a wrong key, a sender line not
// allowed), so sends wait instead of failing, one attempt at a time probes whether the operator has fixed it, and
// the admins are alerted once per hold (server/delivery/channel-hold.ts). One row per held channel; none when sending.
// `any`: a migration sees the schema of its own day, not today's Database interface.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('channel_holds')
    .addColumn('channel', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('problem', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('held_since', 'text', (c) => c.notNull())
    .addColumn('probe_at', 'text', (c) => c.notNull())
    .execute();
}

// `any`: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('channel_holds').execute();
}
