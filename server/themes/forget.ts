import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { RollupSums, countsOf, themeRowsOf } from '../metrics/contribution.js';
import { addToRollups } from '../metrics/rollups.js';

/** Ids per statement, far below both engines' bound-parameter limits. */
const CHUNK = 500;

/**
 * Privacy: when a comment is erased (retention, a customer's erasure), its themes go with it and the rollups follow,
 * so the theme counts are always those of the comments Hami still holds (and a rebuild gives the same). Call it in
 * the erasing transaction, before the comment is cleared.
 */
export async function forgetThemes(trx: Transaction<Database>, responseIds: readonly string[]): Promise<void> {
  for (let i = 0; i < responseIds.length; i += CHUNK) {
    const ids = responseIds.slice(i, i + CHUNK);
    const rows = await trx
      .selectFrom('responses')
      .select(['id', 'day', 'survey_id', 'channel', 'locale', 'score', 'answers', 'attributes', 'comment', 'themes'])
      .where('id', 'in', ids)
      .execute();
    // themeRowsOf reads only the response and its score: no survey needed.
    const removed = new RollupSums();
    for (const row of rows) removed.add(themeRowsOf(row, countsOf(undefined, row)), -1);
    await trx.updateTable('responses').set({ themes: '[]' }).where('id', 'in', ids).execute();
    await addToRollups(trx, removed.rows());
  }
}
