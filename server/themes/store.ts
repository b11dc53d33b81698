import type { DiscoveryComment } from '../../shared/themes/discover.js';
import type { ThemeDefinition } from '../../shared/themes/theme.js';
import { prepared } from '../db/prepared.js';
import type { Executor } from '../db/connect.js';

/* The themes' queries: the admin's dictionary edits and the state of the stored tags (schema in migration 014). */

const STATE_ID = 'themes';

interface TagState {
  /** The fingerprint of the dictionary the stored tags come from, and that dictionary. */
  fingerprint: string;
  dictionary: ThemeDefinition[];
  retaggedAt: string | null;
}

/** The admin's edits of built-ins and own themes, in no particular order (dictionaryInForce orders them). */
export async function listEdits(db: Executor): Promise<ThemeDefinition[]> {
  const rows = await db.selectFrom('theme_dictionary').select('definition').execute();
  return rows.map((row) => JSON.parse(row.definition) as ThemeDefinition);
}

export async function findEdit(db: Executor, id: string): Promise<ThemeDefinition | undefined> {
  const row = await db.selectFrom('theme_dictionary').select('definition').where('id', '=', id).executeTakeFirst();
  return row && (JSON.parse(row.definition) as ThemeDefinition);
}

export async function saveEdit(db: Executor, theme: ThemeDefinition, by: string, now: Date): Promise<void> {
  const values = { id: theme.id, definition: JSON.stringify(theme), updated_at: now.toISOString(), updated_by: by };
  await db
    .insertInto('theme_dictionary')
    .values(values)
    .onConflict((oc) => oc.column('id').doUpdateSet({ definition: values.definition, updated_at: values.updated_at, updated_by: by }))
    .execute();
}

/** Returns whether there was an edit to delete. */
export async function deleteEdit(db: Executor, id: string): Promise<boolean> {
  const result = await db.deleteFrom('theme_dictionary').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// Read with every comment recorded: one primary-key lookup, built once.
const stateFingerprint = prepared((db, p: { id: string }) => db.selectFrom('theme_state').select('fingerprint').where('id', '=', p.id));

export async function tagFingerprint(db: Executor): Promise<string | undefined> {
  return (await stateFingerprint.executeTakeFirst(db, { id: STATE_ID }))?.fingerprint;
}

export async function readTagState(db: Executor): Promise<TagState | undefined> {
  const row = await db.selectFrom('theme_state').selectAll().where('id', '=', STATE_ID).executeTakeFirst();
  return row && { fingerprint: row.fingerprint, dictionary: JSON.parse(row.dictionary) as ThemeDefinition[], retaggedAt: row.retagged_at };
}

/**
 * Makes `dictionary` the one tags come from (answers recorded from now on use it). retaggedAt is cleared until
 * markRetagged: a re-tag cut short (the process stopped) leaves it null, and start-up then finishes the job.
 */
export async function adoptDictionary(db: Executor, fingerprint: string, dictionary: readonly ThemeDefinition[]): Promise<void> {
  const values = { id: STATE_ID, fingerprint, dictionary: JSON.stringify(dictionary), retagged_at: null };
  await db
    .insertInto('theme_state')
    .values(values)
    .onConflict((oc) => oc.column('id').doUpdateSet({ fingerprint, dictionary: values.dictionary, retagged_at: null }))
    .execute();
}

/** History is tagged with the dictionary of `fingerprint` (unless another re-tag adopted a newer one meanwhile). */
export async function markRetagged(db: Executor, fingerprint: string, now: Date): Promise<void> {
  await db
    .updateTable('theme_state')
    .set({ retagged_at: now.toISOString() })
    .where('id', '=', STATE_ID)
    .where('fingerprint', '=', fingerprint)
    .execute();
}

/** The latest `limit` comments answered on a day from `from` to `to`, for phrase discovery. */
export async function recentComments(db: Executor, range: { from: string; to: string }, limit: number): Promise<DiscoveryComment[]> {
  const rows = await db
    .selectFrom('responses')
    .select(['comment', 'locale', 'bucket'])
    .where('day', '>=', range.from)
    .where('day', '<=', range.to)
    .where('comment', 'is not', null)
    .where('comment', '!=', '')
    .orderBy('answered_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    text: row.comment!,
    locale: row.locale === 'fa' ? 'fa' : 'en',
    bucket: row.bucket === 'detractor' || row.bucket === 'passive' || row.bucket === 'promoter' ? row.bucket : null,
  }));
}
