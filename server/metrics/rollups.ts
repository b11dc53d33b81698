import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { engineOf, type Executor } from '../db/connect.js';
import { daysBetween } from '../../shared/periods.js';
import type { SurveyDefinition } from '../../shared/survey-schema.js';
import { prepared } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import {
  COUNT_COLUMNS,
  KEY_COLUMNS,
  RollupSums,
  THEME_DIMENSION,
  contributionOf,
  type CountColumn,
  type RollupKey,
  type RollupRow,
  type RollupSource,
} from './contribution.js';

const STATE_ID = 'rollups';
/** Rows per INSERT: 24 columns × 400 stays far below SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_BATCH = 400;

/**
 * Adds rows into the rollups: a new key is inserted, an existing one gets its counts added
 * (INSERT … ON CONFLICT DO UPDATE SET c = table.c + excluded.c, the same statement on SQLite and PostgreSQL).
 * The rows must have distinct keys (PostgreSQL refuses to update one row twice in a statement).
 */
export async function addToRollups(db: Executor, rows: readonly RollupRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    const batch = rows.slice(i, i + INSERT_BATCH);
    // An answer's change (a handful of rows) runs as a statement built once per row count; a rebuild's big batches
    // are built each time (a prepared statement per batch size would only fill the cache).
    if (batch.length <= PREPARED_ROWS) await upsertRows.run(db, flatten(batch));
    else await upsertBuilt(db, batch).execute();
  }
  // A row can lose its last response (a comment no longer mentions a theme, a one-tap answer taken back): with it
  // gone, the rollups hold exactly the rows a rebuild would make. Its other counts are 0 too (each counts responses).
  for (const { dimension, dimension_value, day, survey_id, channel, locale, responses } of rows) {
    if (responses < 0) await deleteIfEmpty.run(db, { dimension, dimension_value, day, survey_id, channel, locale });
  }
}

const deleteIfEmpty = prepared((db, key: RollupKey) =>
  db
    .deleteFrom('metric_rollups')
    .where('dimension', '=', key.dimension)
    .where('dimension_value', '=', key.dimension_value)
    .where('day', '=', key.day)
    .where('survey_id', '=', key.survey_id)
    .where('channel', '=', key.channel)
    .where('locale', '=', key.locale)
    .where('responses', '=', 0),
);

const increments = () =>
  Object.fromEntries(COUNT_COLUMNS.map((c) => [c, sql<number>`${sql.ref(`metric_rollups.${c}`)} + ${sql.ref(`excluded.${c}`)}`])) as Record<
    CountColumn,
    RawBuilder<number>
  >;

function upsertBuilt(db: Executor, rows: readonly RollupRow[]) {
  return db
    .insertInto('metric_rollups')
    .values(rows)
    .onConflict((oc) => oc.columns(KEY_COLUMNS).doUpdateSet(increments()));
}

/** Up to this many rows (the overall row and one per dimension of a survey) go through a prepared statement. */
const PREPARED_ROWS = 16;
const COLUMNS = [...KEY_COLUMNS, ...COUNT_COLUMNS] as const;
/** Rows as one flat parameters object, `${row}:${column}`: prepared() takes named values, not arrays. */
type FlatRows = Record<string, string | number>;

function flatten(rows: readonly RollupRow[]): FlatRows {
  const flat: FlatRows = {};
  rows.forEach((row, i) => {
    for (const column of COLUMNS) flat[`${i}:${column}`] = row[column];
  });
  return flat;
}

const upsertRows = prepared((db, flat: FlatRows) => {
  const count = Object.keys(flat).length / COLUMNS.length;
  const rows = Array.from(
    { length: count },
    (_, i) => Object.fromEntries(COLUMNS.map((column) => [column, flat[`${i}:${column}`]])) as unknown as RollupRow,
  );
  return upsertBuilt(db, rows);
});

/**
 * Keeps the rollups in step with one response, inside the transaction that writes it: the old contribution
 * (none for a first answer) comes out, the new one goes in. Only the difference is written, so changing a score
 * from 3 to 9 moves one count from s3 to s9 and leaves `responses` alone.
 */
export async function updateRollups(
  trx: Transaction<Database>,
  survey: SurveyDefinition | undefined,
  before: RollupSource | null,
  after: RollupSource,
): Promise<void> {
  const change = new RollupSums().add(contributionOf(survey, after));
  if (before) change.add(contributionOf(survey, before), -1);
  await addToRollups(trx, change.rows());
}

/**
 * What the rollups depend on besides the responses: each survey's dimensions and the questions whose answers
 * are counted, and that comment themes are counted (dimension '#theme'; rollups from before themes lack its rows).
 * Stored with the rollups, so start-up can tell when the survey files changed under them. The theme dictionary is
 * not part of it: the rollups count the tags stored in responses.themes, and a re-tag moves both together
 * (server/themes/retag.ts), so they cannot drift apart when the dictionary changes.
 */
function rollupDefinition(surveys: readonly SurveyDefinition[]): string {
  const parts = [...surveys]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((s) => ({ id: s.id, dimensions: s.dimensions, questions: s.questions.map((q) => `${q.id}:${q.type}`) }));
  return JSON.stringify({ themes: THEME_DIMENSION, surveys: parts });
}

/**
 * Recomputes every rollup row from the responses, in one transaction (readers see the old rows or the new ones,
 * never half). For a new database, after the survey files change, or after data was written around recordAnswer
 * (the demo seeder, an import). Returns how many responses it read.
 */
export async function rebuildRollups(
  db: Kysely<Database>,
  surveys: readonly SurveyDefinition[],
  now: Date = new Date(),
): Promise<{ responses: number; rows: number }> {
  const byId = new Map(surveys.map((s) => [s.id, s]));
  return db.transaction().execute(async (trx) => {
    // PostgreSQL runs other writers meanwhile (another server process rebuilding too, answers adding to the
    // rollups): this lock makes them wait for the rebuild, while plain reads go on. SQLite has one writer anyway.
    if (engineOf(db) === 'postgres') await sql`lock table metric_rollups in exclusive mode`.execute(trx);
    const sums = new RollupSums();
    let responses = 0;
    // One day at a time through the responses(day, …) index: memory holds a day of responses plus the sums, and
    // since responses arrive in time order, a day's rows sit together on disk.
    const span = await trx
      .selectFrom('responses')
      .select((eb) => [eb.fn.min<string | null>('day').as('first'), eb.fn.max<string | null>('day').as('last')])
      .executeTakeFirstOrThrow();
    const days = span.first !== null && span.last !== null ? daysBetween(span.first, span.last) : [];
    for (const day of days) {
      const rows = await trx
        .selectFrom('responses')
        .select(['day', 'survey_id', 'channel', 'locale', 'score', 'answers', 'attributes', 'comment', 'themes'])
        .where('day', '=', day)
        .execute();
      for (const response of rows) sums.add(contributionOf(byId.get(response.survey_id), response));
      responses += rows.length;
    }
    const rows = sums.rows();
    await trx.deleteFrom('metric_rollups').execute();
    await addToRollups(trx, rows);
    await saveDefinition(trx, rollupDefinition(surveys), now);
    return { responses, rows: rows.length };
  });
}

async function saveDefinition(trx: Transaction<Database>, definition: string, now: Date): Promise<void> {
  await trx
    .insertInto('metric_rollup_state')
    .values({ id: STATE_ID, definition, rebuilt_at: now.toISOString() })
    .onConflict((oc) => oc.column('id').doUpdateSet({ definition, rebuilt_at: now.toISOString() }))
    .execute();
}

/**
 * Start-up check: rebuilds the rollups when they were computed for other survey definitions, or never (a database
 * from before rollups existed). Returns whether it rebuilt.
 */
export async function ensureRollupsCurrent(
  db: Kysely<Database>,
  surveys: readonly SurveyDefinition[],
  now: Date = new Date(),
): Promise<boolean> {
  const state = await db.selectFrom('metric_rollup_state').select('definition').where('id', '=', STATE_ID).executeTakeFirst();
  if (state?.definition === rollupDefinition(surveys)) return false;
  await rebuildRollups(db, surveys, now);
  return true;
}
