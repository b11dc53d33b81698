import { sql, type Kysely } from 'kysely';

// A job can carry a key naming what it is about (the response a one-tap settle job settles), so the answer path
// finds a pending job by that key on an index instead of matching every queued job's payload with LIKE.
// `any`: a migration sees the schema of its own day, not today's Database interface.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('key', 'text').execute();
  // Only the few keyed jobs are indexed: the many unkeyed ones (sends, reminders) cost nothing more.
  await db.schema.createIndex('jobs_name_key_idx').on('jobs').columns(['name', 'key']).where(sql.ref('key'), 'is not', null).execute();
  // Settle jobs queued before this migration (a few seconds' worth) get their key from the payload.
  const pending = await db
    .selectFrom('jobs')
    .select(['id', 'payload'])
    .where('name', '=', 'answer.settle')
    .where('status', 'in', ['queued', 'running'])
    .execute();
  for (const job of pending as { id: string; payload: string }[]) {
    const responseId = (JSON.parse(job.payload) as { responseId?: unknown }).responseId;
    if (typeof responseId === 'string') await db.updateTable('jobs').set({ key: responseId }).where('id', '=', job.id).execute();
  }
}

// `any`: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_name_key_idx').execute();
  await db.schema.alterTable('jobs').dropColumn('key').execute();
}
