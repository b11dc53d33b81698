import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Answers } from '../../shared/answers.js';
import type { Database, ResponseRow } from '../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

export async function findResponseOfInvitation(db: Executor, invitationId: string): Promise<ResponseRow | undefined> {
  return db.selectFrom('responses').selectAll().where('invitation_id', '=', invitationId).executeTakeFirst();
}

/**
 * Inserts the first answer of an invitation. The unique constraint on invitation_id settles a race between two
 * submissions: the loser inserts nothing and gets false, and then updates the winner's row instead.
 */
export async function insertResponse(trx: Executor, row: ResponseRow): Promise<boolean> {
  const result = await trx.insertInto('responses').values(row).onConflict((oc) => oc.column('invitation_id').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateResponseAnswers(
  trx: Executor,
  id: string,
  change: { answers: Answers; score: number | null; bucket: string | null; comment: string | null; now: Date },
): Promise<void> {
  await trx
    .updateTable('responses')
    .set({
      answers: JSON.stringify(change.answers),
      score: change.score,
      bucket: change.bucket,
      comment: change.comment,
      updated_at: change.now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

export async function appendHistory(trx: Executor, entry: { responseId: string; answers: Answers; score: number | null; source: string; at: Date }): Promise<void> {
  await trx
    .insertInto('response_history')
    .values({
      id: randomUUID(),
      response_id: entry.responseId,
      answers: JSON.stringify(entry.answers),
      score: entry.score,
      source: entry.source,
      recorded_at: entry.at.toISOString(),
    })
    .execute();
}
