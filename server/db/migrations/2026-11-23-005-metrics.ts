import type { Kysely } from 'kysely';

// Per-day rollups for the metrics API (dashboards cost days, not responses), and the indexes its scans use.
// One row per (dimension, value, day, survey, channel, locale): dimension '' with value '' counts every response;
// each dimension a survey declares gets its own rows per value seen. The counts are plain sums, so an answer's
// change is applied as "subtract the old contribution, add the new one".
// `any`: a migration sees the schema of its own day, not today's Database interface.
export async function up(db: Kysely<any>): Promise<void> {
  const counts = [
    'responses',
    ...Array.from({ length: 11 }, (_, i) => `s${i}`),
    'csat_n',
    'csat_satisfied',
    'ces_n',
    'ces_sum',
    'solved_n',
    'solved_yes',
  ];
  let table = db.schema
    .createTable('metric_rollups')
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('dimension_value', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull());
  for (const column of counts) table = table.addColumn(column, 'integer', (c) => c.notNull().defaultTo(0));
  // Key order serves the one query shape: a dimension (or '' for all), one value, a range of days.
  await table
    .addPrimaryKeyConstraint('metric_rollups_pk', ['dimension', 'dimension_value', 'day', 'survey_id', 'channel', 'locale'])
    .execute();

  // What the rollups were last computed for (survey dimensions and question types): when the survey files change,
  // start-up recomputes them from the responses instead of mixing two definitions.
  await db.schema
    .createTable('metric_rollup_state')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('rebuilt_at', 'text', (c) => c.notNull())
    .execute();

  // Latest comments (newest first) and the funnel by planned send day; responses(day, survey_id) already exists,
  // and callback_cases.response_id is unique (so indexed).
  await db.schema.createIndex('responses_answered_at_idx').on('responses').column('answered_at').execute();
  await db.schema.createIndex('invitations_send_at_idx').on('invitations').column('send_at').execute();
}

// `any`: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('invitations_send_at_idx').execute();
  await db.schema.dropIndex('responses_answered_at_idx').execute();
  await db.schema.dropTable('metric_rollup_state').execute();
  await db.schema.dropTable('metric_rollups').execute();
}
