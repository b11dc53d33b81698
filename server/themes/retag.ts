import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ThemeTagger } from '../../shared/themes/theme.js';
import { engineOf, type Db } from '../db/connect.js';
import { RollupSums, countsOf, hasComment, themeRowsOf } from '../metrics/contribution.js';
import { addToRollups } from '../metrics/rollups.js';
import type { SurveyCatalog } from '../surveys.js';
import { dictionaryFingerprint } from './dictionary.js';
import { adoptDictionary, markRetagged, readTagState } from './store.js';
import { dictionaryOf, taggerForDictionary } from './tagging.js';

/*
 * Re-tagging history after a dictionary change. First the new dictionary is adopted (answers recorded from then on
 * are tagged with it), then every response is re-tagged in batches by id, each batch in its own short transaction
 * that also moves the rollups' '#theme' rows by the difference. So the SQLite writer is never held for long (answers
 * go on being recorded between batches), the rollups always agree with responses.themes (no rebuild at the end), and
 * a re-tag that stops half-way leaves consistent counts; running it again finishes the job. While it runs, history is
 * part old dictionary, part new: GET /api/themes reports the progress and `stale` until it is done.
 */

const RETAG_BATCH = 1000;

export interface RetagProgress {
  done: number;
  total: number;
}

/** A re-tag is already running in this process (the endpoint answers 409). */
export class RetagRunning extends Error {
  constructor() {
    super('a re-tag is already running');
  }
}

// Per database handle, so two Hami instances in one process (tests) do not see each other's.
const running = new WeakMap<Db, RetagProgress>();

export function retagProgress(db: Db): RetagProgress | null {
  const progress = running.get(db);
  return progress ? { ...progress } : null;
}

const tagsOf = (tagger: ThemeTagger, comment: string | null) => (hasComment(comment) ? JSON.stringify(tagger.tag(comment)) : '[]');

/**
 * Adopts the dictionary in force and re-tags every response with it. Throws RetagRunning when one runs already
 * (in this process: a second process doing the same at once is safe, only wasted work, as each batch re-reads and
 * locks its rows). `start` is called once the total is known (a background run returns then).
 */
export async function retagHistory(
  db: Db,
  surveys: SurveyCatalog,
  options: {
    now: () => Date;
    batchSize?: number;
    onProgress?: (progress: RetagProgress) => void;
    started?: (progress: RetagProgress) => void;
  },
): Promise<{ responses: number; changed: number }> {
  if (running.has(db)) throw new RetagRunning();
  const progress: RetagProgress = { done: 0, total: 0 };
  running.set(db, progress);
  try {
    const dictionary = await dictionaryOf(db);
    const fingerprint = dictionaryFingerprint(dictionary);
    await adoptDictionary(db, fingerprint, dictionary);
    const tagger = taggerForDictionary(dictionary);
    const total = await db
      .selectFrom('responses')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    progress.total = Number(total.n);
    options.started?.({ ...progress });
    let after = '';
    let changed = 0;
    for (;;) {
      const batch = await db.transaction().execute(async (trx) => {
        let query = trx
          .selectFrom('responses')
          .select(['id', 'day', 'survey_id', 'channel', 'locale', 'score', 'answers', 'attributes', 'comment', 'themes'])
          .where('id', '>', after)
          .orderBy('id')
          .limit(options.batchSize ?? RETAG_BATCH);
        // PostgreSQL: an answer changing one of these rows waits for this batch, so both see the other's tags.
        if (engineOf(db) === 'postgres') query = query.forUpdate();
        const rows = await query.execute();
        const byTags = new Map<string, string[]>();
        const difference = new RollupSums();
        for (const row of rows) {
          const themes = tagsOf(tagger, row.comment);
          if (themes === row.themes) continue;
          byTags.set(themes, [...(byTags.get(themes) ?? []), row.id]);
          const counts = countsOf(surveys.byId(row.survey_id), row);
          difference.add(themeRowsOf(row, counts), -1).add(themeRowsOf({ ...row, themes }, counts));
        }
        // One statement per set of tags: a batch has only a few distinct sets.
        for (const [themes, ids] of byTags) await trx.updateTable('responses').set({ themes }).where('id', 'in', ids).execute();
        await addToRollups(trx, difference.rows());
        return { rows: rows.length, last: rows[rows.length - 1]?.id, changed: [...byTags.values()].reduce((n, ids) => n + ids.length, 0) };
      });
      changed += batch.changed;
      progress.done += batch.rows;
      // Answers recorded meanwhile may have added rows: the total grows with them.
      progress.total = Math.max(progress.total, progress.done);
      options.onProgress?.({ ...progress });
      if (batch.last === undefined) break;
      after = batch.last;
      // Let requests in between batches.
      await nextTurn();
    }
    await markRetagged(db, fingerprint, options.now());
    return { responses: progress.done, changed };
  } finally {
    running.delete(db);
  }
}

/**
 * Start-up: a database whose responses were never tagged (new, or from before themes) is tagged now, before anyone
 * reads the themes. After that, re-tags are the admin's to start (the dictionary page says when one is due).
 */
export async function ensureThemesTagged(db: Db, surveys: SurveyCatalog, now: () => Date): Promise<boolean> {
  const state = await readTagState(db);
  if (state?.retaggedAt) return false;
  await retagHistory(db, surveys, { now });
  return true;
}
