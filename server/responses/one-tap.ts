import type { Transaction } from 'kysely';
import { z } from 'zod';
import { npsScoreOf, type Answers } from '../../shared/answers.js';
import { bucketOf } from '../../shared/scoring.js';
import type { SurveyDefinition } from '../../shared/survey-schema.js';
import type { AppDeps } from '../deps.js';
import type { Db } from '../db/connect.js';
import type { Database, Invitation } from '../db/schema.js';
import { findInvitationCustomerAndCase, markInvitationOpenedLocking, markInvitationUnanswered } from '../delivery/store.js';
import type { JobDefinition } from '../delivery/worker.js';
import { contributionOf, RollupSums } from '../metrics/contribution.js';
import { addToRollups, updateRollups } from '../metrics/rollups.js';
import { ANSWER_SETTLE_JOB, applyConsequences, recordAnswerIn, takePendingSettle, type PendingSettle } from './record-answer.js';
import {
  deleteLinkHistorySince,
  deleteResponse,
  deleteTapsOfInvitation,
  deleteTapsUntil,
  findResponse,
  findResponseOfInvitation,
  insertTap,
  restoreResponseAnswers,
  tapsOfInvitation,
} from './store.js';
import { themesOfComment } from '../themes/tagging.js';

/*
 * Mail scanners (Outlook Safe Links, Proofpoint, Mimecast…) fetch every link in an email within seconds of its
 * arrival, before the customer reads it: GET and HEAD on all eleven ?score= links. A person taps one.
 *
 * The rule (DESIGN.md): HEAD never records. A one-tap GET records at once — the person sees "saved" and the
 * dashboard counts it — but what the answer sets off (callback case, care alerts, webhooks, CRM event) waits in a
 * settle job for SCANNER_WINDOW_MS. A second one-tap GET with a different answer on the same link within the
 * window means a scanner: in one transaction the answer is taken back (response and history gone or restored,
 * rollups back, invitation open again, the settle job deleted), and every further one-tap GET in the window only
 * shows the page. Waiting with the consequences, rather than undoing them, is what makes the take-back complete:
 * a staff alert or a webhook already sent could not be called back, a settle job not yet run can.
 *
 * Every tap is written to one_tap_taps, and each tap's decision is made after locking the invitation's row, so
 * taps fetched in parallel (scanners do) are decided one after another on SQLite and PostgreSQL alike, and the
 * last of them always sees the others. The price: a person who taps 3 and then 9 within ten seconds is taken for
 * a scanner; the page they land on still takes their answer by its form.
 */

/** Different one-tap answers on one link within this many milliseconds are a scanner. */
export const SCANNER_WINDOW_MS = 10_000;

type OneTapOutcome = 'recorded' | 'scanner';

/**
 * Taps older than the scanner window decide nothing any more. A link's old taps go when it is tapped again; this
 * clears those of links nobody taps again (housekeeping). Returns how many.
 */
export async function deleteStaleTaps(db: Db, now: Date): Promise<number> {
  const until = new Date(now.getTime() - SCANNER_WINDOW_MS).toISOString();
  return deleteTapsUntil(db, until);
}

/**
 * A one-tap GET: records `answers` (the one-tap question's parsed answer) unless the link's recent taps show a
 * scanner, in which case an answer from those taps that has not settled yet is taken back. One transaction.
 */
export async function recordOneTap(
  deps: Pick<AppDeps, 'db'>,
  input: { invitation: Invitation; survey: SurveyDefinition; answers: Answers; now: Date },
): Promise<OneTapOutcome> {
  const { invitation, survey, now } = input;
  // Taps are compared by the answer they give, not by how the link wrote it: ۹, ٩, 09 and 9 are one person's 9.
  const value = JSON.stringify(input.answers);
  const windowStart = new Date(now.getTime() - SCANNER_WINDOW_MS).toISOString();
  return deps.db.transaction().execute(async (trx) => {
    // Opening the link also locks the invitation's row: taps on one link are decided one after another.
    await markInvitationOpenedLocking(trx, invitation.id, now);
    const taps = await tapsOfInvitation(trx, invitation.id);
    // Taps older than the window no longer count; most links have none, so the delete runs only when needed.
    if (taps.some((tap) => tap.at <= windowStart)) await deleteTapsOfInvitation(trx, invitation.id, windowStart);
    await insertTap(trx, { invitationId: invitation.id, value, at: now });
    const recent = new Set([value, ...taps.filter((tap) => tap.at > windowStart).map((tap) => tap.value)]);
    if (recent.size > 1) {
      await takeBackUnsettled(trx, invitation, survey);
      return 'scanner';
    }
    await recordAnswerIn(trx, {
      invitation,
      survey,
      answers: input.answers,
      source: 'link',
      now,
      settleAt: new Date(now.getTime() + SCANNER_WINDOW_MS),
    });
    return 'recorded';
  });
}

/** Undoes a one-tap answer that has not settled: the response as it was before the tap, the invitation open again. */
async function takeBackUnsettled(trx: Transaction<Database>, invitation: Invitation, survey: SurveyDefinition): Promise<void> {
  const response = await findResponseOfInvitation(trx, invitation.id);
  if (!response) return;
  const pending = await takePendingSettle(trx, response.id);
  // Settled already (a form submit, or the window had passed): a person's answer, kept.
  if (!pending) return;
  await deleteLinkHistorySince(trx, response.id, pending.at);
  if (pending.created || pending.previousAnswers === null) {
    // The response's whole contribution comes out of the rollups.
    await addToRollups(trx, new RollupSums().add(contributionOf(survey, response), -1).rows());
    await deleteResponse(trx, response.id);
    await markInvitationUnanswered(trx, invitation.id);
    return;
  }
  const answers = pending.previousAnswers;
  const score = npsScoreOf(survey, answers);
  const comment = pending.previousComment ?? null;
  const themes = comment === response.comment ? response.themes : await themesOfComment(trx, comment);
  await restoreResponseAnswers(trx, response.id, { answers, score, bucket: score === null ? null : bucketOf(score), comment, themes });
  await updateRollups(trx, survey, response, { ...response, score, answers: JSON.stringify(answers), comment, themes });
}

const settlePayload = z.object({
  responseId: z.string(),
  invitationId: z.string(),
  created: z.boolean(),
  previousAnswers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable(),
  previousScore: z.number().nullable(),
  previousSolved: z.boolean().nullable(),
  previousComment: z.string().nullable().optional(),
  at: z.string(),
}) satisfies z.ZodType<PendingSettle>;

/**
 * Makes a one-tap answer final once the scanner window has passed: what the answer sets off (case, alerts,
 * webhooks, CRM event), timed at the tap, from the response as it is now.
 */
export function answerSettleJob(deps: Pick<AppDeps, 'db' | 'surveys'>): JobDefinition<z.infer<typeof settlePayload>> {
  return {
    name: ANSWER_SETTLE_JOB,
    schema: settlePayload,
    async handle(settle) {
      await deps.db.transaction().execute(async (trx) => {
        const response = await findResponse(trx, settle.responseId);
        const invitation = await findInvitationCustomerAndCase(trx, settle.invitationId);
        const survey = response && deps.surveys.byId(response.survey_id);
        if (!response || !invitation || !survey) return;
        await applyConsequences(trx, {
          invitation,
          survey,
          responseId: response.id,
          answers: JSON.parse(response.answers) as Answers,
          created: settle.created,
          previousScore: settle.previousScore,
          previousSolved: settle.previousSolved,
          now: new Date(settle.at),
        });
      });
    },
  };
}
