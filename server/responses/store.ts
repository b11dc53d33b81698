import { randomUUID } from 'node:crypto';
import type { Answers } from '../../shared/answers.js';
import type { Bucket } from '../../shared/scoring.js';
import { prepared } from '../db/prepared.js';
import type { ResponseRow } from '../db/schema.js';
import type { Executor } from '../db/connect.js';

// The answer path's statements, built once (see server/db/prepared.ts).
const responseOfInvitation = prepared((db, p: { invitationId: string }) =>
  db.selectFrom('responses').selectAll().where('invitation_id', '=', p.invitationId),
);
const insertResponseRow = prepared((db, row: ResponseRow) =>
  db
    .insertInto('responses')
    .values(row)
    .onConflict((oc) => oc.column('invitation_id').doNothing()),
);
const updateAnswers = prepared(
  (
    db,
    p: { id: string; answers: string; score: number | null; bucket: Bucket | null; comment: string | null; themes: string; at: string },
  ) =>
    db
      .updateTable('responses')
      .set({ answers: p.answers, score: p.score, bucket: p.bucket, comment: p.comment, themes: p.themes, updated_at: p.at })
      .where('id', '=', p.id),
);
const insertHistory = prepared(
  (db, row: { id: string; response_id: string; answers: string; score: number | null; source: string; recorded_at: string }) =>
    db.insertInto('response_history').values(row),
);
const attributesOfEvent = prepared((db, p: { id: string }) => db.selectFrom('events').select('attributes').where('id', '=', p.id));
const attributesOfCustomer = prepared((db, p: { id: string }) => db.selectFrom('customers').select('attributes').where('id', '=', p.id));

export async function findResponseOfInvitation(db: Executor, invitationId: string): Promise<ResponseRow | undefined> {
  return responseOfInvitation.executeTakeFirst(db, { invitationId });
}

/** The attributes a new response carries from its event (if any) and its customer, as their JSON text. */
export async function sourceAttributes(
  db: Executor,
  eventId: string | null,
  customerId: string,
): Promise<{ event: string | null; customer: string }> {
  const event = eventId ? await attributesOfEvent.executeTakeFirst(db, { id: eventId }) : undefined;
  const customer = await attributesOfCustomer.executeTakeFirst(db, { id: customerId });
  if (!customer) throw new Error(`customer ${customerId} does not exist`);
  return { event: event?.attributes ?? null, customer: customer.attributes };
}

/**
 * Inserts the first answer of an invitation. The unique constraint on invitation_id settles a race between two
 * submissions: the loser inserts nothing and gets false, and then updates the winner's row instead.
 */
export async function insertResponse(trx: Executor, row: ResponseRow): Promise<boolean> {
  return (await insertResponseRow.run(trx, row)) > 0;
}

export async function updateResponseAnswers(
  trx: Executor,
  id: string,
  change: { answers: Answers; score: number | null; bucket: Bucket | null; comment: string | null; themes: string; now: Date },
): Promise<void> {
  await updateAnswers.run(trx, {
    id,
    answers: JSON.stringify(change.answers),
    score: change.score,
    bucket: change.bucket,
    comment: change.comment,
    themes: change.themes,
    at: change.now.toISOString(),
  });
}

export async function appendHistory(
  trx: Executor,
  entry: { responseId: string; answers: Answers; score: number | null; source: string; at: Date },
): Promise<void> {
  await insertHistory.run(trx, {
    id: randomUUID(),
    response_id: entry.responseId,
    answers: JSON.stringify(entry.answers),
    score: entry.score,
    source: entry.source,
    recorded_at: entry.at.toISOString(),
  });
}

const formSubmission = prepared((db, p: { responseId: string }) =>
  db.selectFrom('response_history').select('id').where('response_id', '=', p.responseId).where('source', 'in', ['form', 'kiosk']).limit(1),
);

/** Whether the customer has sent the survey's form for this response (a tap or an SMS reply alone has not). */
export async function wasSubmittedByForm(db: Executor, responseId: string): Promise<boolean> {
  return (await formSubmission.executeTakeFirst(db, { responseId })) !== undefined;
}

export async function findResponse(db: Executor, id: string): Promise<ResponseRow | undefined> {
  return db.selectFrom('responses').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Puts earlier answers back as they were (a one-tap answer taken back); updated_at stays, nothing new was said. */
export async function restoreResponseAnswers(
  trx: Executor,
  id: string,
  answers: { answers: Answers; score: number | null; bucket: Bucket | null; comment: string | null; themes: string },
): Promise<void> {
  await trx
    .updateTable('responses')
    .set({
      answers: JSON.stringify(answers.answers),
      score: answers.score,
      bucket: answers.bucket,
      comment: answers.comment,
      themes: answers.themes,
    })
    .where('id', '=', id)
    .execute();
}

/** Removes the history one-tap GETs wrote for a response from `since` on. */
export async function deleteLinkHistorySince(trx: Executor, responseId: string, since: string): Promise<void> {
  await trx
    .deleteFrom('response_history')
    .where('response_id', '=', responseId)
    .where('recorded_at', '>=', since)
    .where('source', '=', 'link')
    .execute();
}

/** Deletes a response with its whole history. */
export async function deleteResponse(trx: Executor, responseId: string): Promise<void> {
  await trx.deleteFrom('response_history').where('response_id', '=', responseId).execute();
  await trx.deleteFrom('responses').where('id', '=', responseId).execute();
}

// One-tap GETs of the last few seconds (server/responses/one-tap.ts), on the answer path: built once.
const tapsOf = prepared((db, p: { invitationId: string }) =>
  db.selectFrom('one_tap_taps').select(['value', 'at']).where('invitation_id', '=', p.invitationId),
);
const insertTapRow = prepared((db, row: { id: string; invitation_id: string; value: string; at: string }) =>
  db.insertInto('one_tap_taps').values(row),
);
const deleteTapsOfLinkUntil = prepared((db, p: { invitationId: string; until: string }) =>
  db.deleteFrom('one_tap_taps').where('invitation_id', '=', p.invitationId).where('at', '<=', p.until),
);

export async function tapsOfInvitation(db: Executor, invitationId: string): Promise<{ value: string; at: string }[]> {
  return tapsOf.execute(db, { invitationId });
}

export async function insertTap(trx: Executor, tap: { invitationId: string; value: string; at: Date }): Promise<void> {
  await insertTapRow.run(trx, { id: randomUUID(), invitation_id: tap.invitationId, value: tap.value, at: tap.at.toISOString() });
}

/** Deletes one link's taps made at or before `until`. */
export async function deleteTapsOfInvitation(trx: Executor, invitationId: string, until: string): Promise<void> {
  await deleteTapsOfLinkUntil.run(trx, { invitationId, until });
}

/** Deletes every link's taps made at or before `until`; returns how many. */
export async function deleteTapsUntil(db: Executor, until: string): Promise<number> {
  return Number((await db.deleteFrom('one_tap_taps').where('at', '<=', until).executeTakeFirst()).numDeletedRows);
}
