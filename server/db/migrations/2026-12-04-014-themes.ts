import type { Kysely } from 'kysely';

// Comment themes (issue 18). responses.themes holds the theme ids the comment was tagged with when it was recorded
// (JSON array, sorted; '[]' for no comment or no theme), so the rollups and the scan count themes without reading
// text. theme_dictionary holds the admin's part of the dictionary: edits of built-in themes (by the built-in's id)
// and the admin's own themes. theme_state says which dictionary the stored tags come from: its fingerprint and its
// definitions (answers recorded from now on are tagged with that same dictionary, so counts never mix two), and when
// history was last re-tagged. A database from before themes has every response at '[]' and no state: start-up tags
// it once.
// `any`: a migration sees the schema of its own day, not today's Database interface.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('responses')
    .addColumn('themes', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .createTable('theme_dictionary')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db.schema
    .createTable('theme_state')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('dictionary', 'text', (c) => c.notNull())
    .addColumn('retagged_at', 'text')
    .execute();
}

// `any`: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('theme_state').execute();
  await db.schema.dropTable('theme_dictionary').execute();
  await db.schema.alterTable('responses').dropColumn('themes').execute();
}
