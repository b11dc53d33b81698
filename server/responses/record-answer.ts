import { npsScoreOf, type Answers } from '../../shared/answers.js';
import { bucketOf, type Bucket } from '../../shared/scoring.js';
import type { SurveyDefinition } from '../../shared/survey-schema.js';
import { updateCaseForAnswer } from '../callbacks/on-answer.js';
import { engineOf, type Db } from '../db/connect.js';
import type { Transaction } from 'kysely';
import type { Database, Invitation } from '../db/schema.js';
import { markInvitationAnswered } from '../delivery/store.js';
import { updateRollups } from '../metrics/rollups.js';
import { queueIfEnteredPromoters } from '../segments/webhook.js';
import { emitWebhookEvent } from '../webhooks/emit.js';
import { appendHistory, findResponseOfInvitation, insertResponse, sourceAttributes, updateResponseAnswers } from './store.js';
import { newRowId } from '../db/ids.js';
import { themesOfComment } from '../themes/tagging.js';
import { enqueueJob, takeQueuedJob } from '../delivery/queue.js';

/** How an answer came in; 'bale': a button under the survey message in Bale. */
type AnswerSource = 'link' | 'form' | 'sms' | 'kiosk' | 'bale';

export interface RecordedAnswer {
  responseId: string;
  answers: Answers;
  score: number | null;
  bucket: Bucket | null;
  caseId: string | null;
}

/** The first free-text answer is the response's comment (the "main reason for your score"). */
function commentOf(survey: SurveyDefinition, answers: Answers): string | null {
  const text = survey.questions.find((q) => q.type === 'text' && typeof answers[q.id] === 'string');
  return text ? (answers[text.id] as string) : null;
}

const solvedOf = (answers: Answers): boolean | null => (typeof answers.solved === 'boolean' ? answers.solved : null);

/** What a one-tap answer's settling needs to know about the answer it settles (server/responses/settle-answer.ts). */
export interface PendingSettle {
  responseId: string;
  invitationId: string;
  /** The tap created the response (response.created is then announced when it settles). */
  created: boolean;
  /** The response before the tap: restored if the tap turns out to be a scanner's. */
  previousAnswers: Answers | null;
  previousScore: number | null;
  previousSolved: boolean | null;
  previousComment?: string | null;
  at: string;
}

interface AnswerInput {
  invitation: Invitation;
  survey: SurveyDefinition;
  answers: Answers;
  source: AnswerSource;
  now: Date;
  /** Attributes of where the answer came from (a public link's location), added over the event's and customer's. */
  attributes?: Record<string, string | number | boolean>;
  /** Work that must commit with the answer (queueing a reply), run inside its transaction. */
  alsoInTransaction?: (trx: Transaction<Database>, recorded: RecordedAnswer) => Promise<void>;
  /**
   * A one-tap answer: the answer is saved at once, but its consequences (callback case, alerts, webhooks, CRM
   * event) wait in a settle job until `settleAt`, so a mail scanner's taps can be taken back before anyone hears.
   */
  settleAt?: Date;
}

/**
 * Records answers for an invitation: merged over any earlier ones (the latest value of each question counts),
 * every version kept in the history, score and bucket recomputed, the metrics rollups and the callback case kept in step — one
 * transaction. The response carries survey, channel, locale and the event's and customer's attributes.
 */
export async function recordAnswer(db: Db, input: AnswerInput): Promise<RecordedAnswer> {
  return db.transaction().execute(async (trx) => {
    // Two answers to one link at the same moment: on PostgreSQL the second waits here for the first to commit, so
    // it merges over the first's answers and moves the rollups from what the first left (a no-op update takes the
    // row lock). SQLite runs one write transaction at a time already.
    if (engineOf(db) === 'postgres')
      await trx
        .updateTable('invitations')
        .set((eb) => ({ id: eb.ref('id') }))
        .where('id', '=', input.invitation.id)
        .execute();
    return recordAnswerIn(trx, input);
  });
}

/** recordAnswer inside a transaction the caller holds (the one-tap path locks the invitation first). */
export async function recordAnswerIn(trx: Transaction<Database>, input: AnswerInput): Promise<RecordedAnswer> {
  const { invitation, survey, now } = input;
  let existing = await findResponseOfInvitation(trx, invitation.id);
  if (!existing) {
    const source = await sourceAttributes(trx, invitation.event_id, invitation.customer_id);
    const answers = input.answers;
    const score = npsScoreOf(survey, answers);
    const comment = commentOf(survey, answers);
    const row = {
      id: newRowId(),
      invitation_id: invitation.id,
      customer_id: invitation.customer_id,
      survey_id: survey.id,
      channel: invitation.channel,
      locale: invitation.locale,
      score,
      bucket: score === null ? null : bucketOf(score),
      answers: JSON.stringify(answers),
      comment,
      // Tagged in this transaction, so the rollups count the comment's themes with the answer (server/themes/).
      themes: await themesOfComment(trx, comment),
      // Customer attributes first: the event's own (product, agent…) win on a clash.
      attributes: JSON.stringify({ ...JSON.parse(source.customer), ...JSON.parse(source.event ?? '{}'), ...input.attributes }),
      day: now.toISOString().slice(0, 10),
      answered_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    if (await insertResponse(trx, row)) {
      await updateRollups(trx, survey, null, row);
      return finish(row.id, answers, {
        created: true,
        previousAnswers: null,
        previousScore: null,
        previousSolved: null,
        previousComment: null,
      });
    }
    existing = (await findResponseOfInvitation(trx, invitation.id))!;
  }
  const previousAnswers = JSON.parse(existing.answers) as Answers;
  const answers = { ...previousAnswers, ...input.answers };
  const score = npsScoreOf(survey, answers);
  const comment = commentOf(survey, answers);
  // An unchanged comment keeps its tags (a re-tag is what moves history to another dictionary).
  const themes = comment === existing.comment ? existing.themes : await themesOfComment(trx, comment);
  await updateResponseAnswers(trx, existing.id, { answers, score, bucket: score === null ? null : bucketOf(score), comment, themes, now });
  // The per-day rollups move with the answer in the same transaction: old contribution out, new one in.
  await updateRollups(trx, survey, existing, { ...existing, score, answers: JSON.stringify(answers), comment, themes });
  return finish(existing.id, answers, {
    created: false,
    previousAnswers,
    previousScore: existing.score,
    previousSolved: solvedOf(previousAnswers),
    previousComment: existing.comment,
  });

  async function finish(
    responseId: string,
    answers: Answers,
    before: Omit<PendingSettle, 'responseId' | 'invitationId' | 'at'>,
  ): Promise<RecordedAnswer> {
    const score = npsScoreOf(survey, answers);
    const bucket = score === null ? null : bucketOf(score);
    await appendHistory(trx, { responseId, answers, score, source: input.source, at: now });
    await markInvitationAnswered(trx, invitation.id, now);
    // An earlier one-tap answer still waiting to settle: this answer settles it now, from the state before that tap.
    // (A response made by this very transaction has none: nothing to look for.)
    const pending = before.created ? null : await takePendingSettle(trx, responseId);
    const from = pending
      ? {
          created: pending.created,
          previousScore: pending.previousScore,
          previousSolved: pending.previousSolved,
          previousAnswers: pending.previousAnswers,
          previousComment: pending.previousComment ?? null,
        }
      : before;
    if (input.settleAt) {
      const settle: PendingSettle = { responseId, invitationId: invitation.id, ...from, at: pending?.at ?? now.toISOString() };
      await enqueueJob(trx, { name: ANSWER_SETTLE_JOB, payload: settle, runAt: input.settleAt, key: responseId }, now);
      const recorded = { responseId, answers, score, bucket, caseId: null };
      await input.alsoInTransaction?.(trx, recorded);
      return recorded;
    }
    // Taking over a pending one-tap answer: its case is due from the tap, when the customer first answered.
    const { caseId } = await applyConsequences(trx, {
      invitation,
      survey,
      responseId,
      answers,
      created: from.created,
      previousScore: from.previousScore,
      previousSolved: from.previousSolved,
      now: pending ? new Date(pending.at) : now,
    });
    const recorded = { responseId, answers, score, bucket, caseId };
    await input.alsoInTransaction?.(trx, recorded);
    return recorded;
  }
}

/**
 * What an answer sets off, in its transaction: response.created for a new response, the callback case kept in
 * step (opened, withdrawn, reopened by a follow-up…) and the CRM promoter event.
 */
export async function applyConsequences(
  trx: Transaction<Database>,
  input: {
    invitation: Pick<Invitation, 'customer_id' | 'case_id'>;
    survey: SurveyDefinition;
    responseId: string;
    answers: Answers;
    created: boolean;
    previousScore: number | null;
    previousSolved: boolean | null;
    now: Date;
  },
): Promise<{ caseId: string | null }> {
  const { invitation, survey, responseId, answers, now } = input;
  const score = npsScoreOf(survey, answers);
  const bucket = score === null ? null : bucketOf(score);
  // Only the first answer creates a response; changes to it are not announced again.
  if (input.created) await emitWebhookEvent(trx, 'response.created', { responseId }, now);
  const { caseId } = await updateCaseForAnswer(trx, {
    responseId,
    customerId: invitation.customer_id,
    surveyId: survey.id,
    slaHours: survey.slaHours,
    score,
    previousScore: input.previousScore,
    bucket,
    now,
    followUpOf: invitation.case_id,
    solved: solvedOf(answers),
    previousSolved: input.previousSolved,
  });
  // CRM sync: a customer whose latest answer just made them a promoter is announced once this commits.
  await queueIfEnteredPromoters(trx, { responseId, customerId: invitation.customer_id, bucket, previousScore: input.previousScore, now });
  return { caseId };
}

export const ANSWER_SETTLE_JOB = 'answer.settle';

/** Removes and returns the pending settle job of a response (a one-tap answer not yet final), if there is one. */
export async function takePendingSettle(trx: Transaction<Database>, responseId: string): Promise<PendingSettle | null> {
  const job = await takeQueuedJob(trx, ANSWER_SETTLE_JOB, responseId);
  if (!job) return null;
  return JSON.parse(job.payload) as PendingSettle;
}
