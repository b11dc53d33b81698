import { npsScoreOf, type Answers } from '../../shared/answers.js';
import { bucketOf, type Bucket } from '../../shared/scoring.js';
import type { SurveyDefinition } from '../../shared/survey-schema.js';
import { updateCaseForAnswer } from '../callbacks/on-answer.js';
import type { Db } from '../db/connect.js';
import type { Transaction } from 'kysely';
import type { Database, Invitation } from '../db/schema.js';
import { markInvitationAnswered } from '../delivery/store.js';
import { updateRollups } from '../metrics/rollups.js';
import { queueIfEnteredPromoters } from '../segments/webhook.js';
import { emitWebhookEvent } from '../webhooks/emit.js';
import { appendHistory, findResponseOfInvitation, insertResponse, updateResponseAnswers } from './store.js';
import { newRowId } from '../db/ids.js';

export type AnswerSource = 'link' | 'form' | 'sms' | 'kiosk';

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

/**
 * Records answers for an invitation: merged over any earlier ones (the latest value of each question counts),
 * every version kept in the history, score and bucket recomputed, the metrics rollups and the callback case kept in step — one
 * transaction. The response carries survey, channel, locale and the event's and customer's attributes.
 */
export async function recordAnswer(
  db: Db,
  input: {
    invitation: Invitation;
    survey: SurveyDefinition;
    answers: Answers;
    source: AnswerSource;
    now: Date;
    /** Attributes of where the answer came from (a public link's location), added over the event's and customer's. */
    attributes?: Record<string, string | number | boolean>;
    /** Work that must commit with the answer (queueing a reply), run inside its transaction. */
    alsoInTransaction?: (trx: Transaction<Database>, recorded: RecordedAnswer) => Promise<void>;
  },
): Promise<RecordedAnswer> {
  const { invitation, survey, now } = input;
  return db.transaction().execute(async (trx) => {
    let existing = await findResponseOfInvitation(trx, invitation.id);
    if (!existing) {
      const [event, customer] = await Promise.all([
        invitation.event_id ? trx.selectFrom('events').select('attributes').where('id', '=', invitation.event_id).executeTakeFirst() : undefined,
        trx.selectFrom('customers').select('attributes').where('id', '=', invitation.customer_id).executeTakeFirstOrThrow(),
      ]);
      const answers = input.answers;
      const score = npsScoreOf(survey, answers);
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
        comment: commentOf(survey, answers),
        // Customer attributes first: the event's own (product, agent…) win on a clash.
        attributes: JSON.stringify({ ...JSON.parse(customer.attributes), ...JSON.parse(event?.attributes ?? '{}'), ...input.attributes }),
        day: now.toISOString().slice(0, 10),
        answered_at: now.toISOString(),
        updated_at: now.toISOString(),
      };
      if (await insertResponse(trx, row)) {
        await updateRollups(trx, survey, null, row);
        // Only the first answer creates a response; changes to it are not announced again.
        await emitWebhookEvent(trx, 'response.created', { responseId: row.id }, now);
        return finish(row.id, answers, null, null);
      }
      existing = (await findResponseOfInvitation(trx, invitation.id))!;
    }
    const previousScore = existing.score;
    const previousAnswers = JSON.parse(existing.answers) as Answers;
    const answers = { ...previousAnswers, ...input.answers };
    const score = npsScoreOf(survey, answers);
    await updateResponseAnswers(trx, existing.id, {
      answers,
      score,
      bucket: score === null ? null : bucketOf(score),
      comment: commentOf(survey, answers),
      now,
    });
    // The per-day rollups move with the answer in the same transaction: old contribution out, new one in.
    await updateRollups(trx, survey, existing, { ...existing, score, answers: JSON.stringify(answers) });
    return finish(existing.id, answers, previousScore, solvedOf(previousAnswers));

    async function finish(responseId: string, answers: Answers, previous: number | null, previousSolved: boolean | null): Promise<RecordedAnswer> {
      const score = npsScoreOf(survey, answers);
      const bucket = score === null ? null : bucketOf(score);
      await appendHistory(trx, { responseId, answers, score, source: input.source, at: now });
      await markInvitationAnswered(trx, invitation.id, now);
      const { caseId } = await updateCaseForAnswer(trx, {
        responseId,
        customerId: invitation.customer_id,
        surveyId: survey.id,
        slaHours: survey.slaHours,
        score,
        previousScore: previous,
        bucket,
        now,
        followUpOf: invitation.case_id,
        solved: solvedOf(answers),
        previousSolved,
      });
      // CRM sync: a customer whose latest answer just made them a promoter is announced once this commits.
      await queueIfEnteredPromoters(trx, { responseId, customerId: invitation.customer_id, bucket, previousScore: previous, now });
      const recorded = { responseId, answers, score, bucket, caseId };
      await input.alsoInTransaction?.(trx, recorded);
      return recorded;
    }
  });
}
