import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { callbackDueAt, caseActionOnAnswer, isClosed } from '../../shared/callback-rules.js';
import { caseNote } from '../../shared/case-notes.js';
import type { Bucket } from '../../shared/scoring.js';
import type { Database } from '../db/schema.js';
import { hasContactDetails } from '../customers/store.js';
import { enqueueJob } from '../delivery/queue.js';
import { appendCaseEntry, caseStatusOf, findCaseOfResponse, insertCase, setCaseStatus } from './store.js';
import { NEW_DETRACTOR_JOB, SLA_CHECK_JOB } from './job-names.js';
import { emitWebhookEvent } from '../webhooks/emit.js';

interface AnswerForCase {
  responseId: string;
  customerId: string;
  surveyId: string;
  slaHours: number;
  score: number | null;
  previousScore: number | null;
  bucket: Bucket | null;
  now: Date;
  /** For a follow-up survey: the case it asks about, and the customer's "was it solved?" answer. */
  followUpOf: string | null;
  solved: boolean | null;
  /** The "was it solved?" answer before this one (the customer may answer again, e.g. to add a comment). */
  previousSolved: boolean | null;
}

/** Alerts for a case that (re)opens: the care team now, the SLA check at the due time. */
async function queueCaseAlerts(trx: Transaction<Database>, caseId: string, dueAt: Date, now: Date): Promise<void> {
  await enqueueJob(trx, { name: NEW_DETRACTOR_JOB, payload: { caseId }, runAt: now }, now);
  await enqueueJob(trx, { name: SLA_CHECK_JOB, payload: { caseId }, runAt: dueAt }, now);
  await emitWebhookEvent(trx, 'callback.opened', { caseId }, now);
}

/**
 * A follow-up answer closes the loop: "not solved" (or a detractor score) reopens the case with its history and a
 * new deadline; "solved" is noted as the customer's confirmation (a recovered customer).
 */
async function applyFollowUp(trx: Transaction<Database>, answer: AnswerForCase, caseId: string): Promise<{ caseId: string }> {
  const status = await caseStatusOf(trx, caseId);
  if (!status) return { caseId };
  const { now } = answer;
  if (answer.solved === false || answer.bucket === 'detractor') {
    if (!isClosed(status)) return { caseId };
    const dueAt = callbackDueAt(now, answer.slaHours);
    await setCaseStatus(trx, caseId, { status: 'open', dueAt, closedAt: null, now });
    await appendCaseEntry(trx, {
      caseId,
      at: now,
      kind: 'reopened',
      fromStatus: status,
      toStatus: 'open',
      note: caseNote({ kind: 'follow_up_unsolved' }),
    });
    await queueCaseAlerts(trx, caseId, dueAt, now);
  } else if (answer.solved === true && answer.previousSolved !== true) {
    await appendCaseEntry(trx, { caseId, at: now, kind: 'confirmed', note: caseNote({ kind: 'customer_confirmed' }) });
  }
  return { caseId };
}

/**
 * Keeps the callback list in step with an answer (see caseActionOnAnswer for the rules). Runs in the answer's
 * transaction, so a detractor's answer and its case are saved together or not at all.
 */
export async function updateCaseForAnswer(trx: Transaction<Database>, answer: AnswerForCase): Promise<{ caseId: string | null }> {
  if (answer.followUpOf) return applyFollowUp(trx, answer, answer.followUpOf);
  const existing = await findCaseOfResponse(trx, answer.responseId);
  const action = caseActionOnAnswer(existing ? { status: existing.status, ownerId: existing.owner_id } : null, answer.bucket);
  const { now } = answer;
  const changed = caseNote({ kind: 'score_changed', from: answer.previousScore, to: answer.score });
  switch (action) {
    case 'open': {
      // A case is a promise that someone calls back: an anonymous answer (a public link or kiosk, no email or phone)
      // has nobody to call. It is counted and its comment shown like any other answer, but it alerts no one.
      if (!(await hasContactDetails(trx, answer.customerId))) return { caseId: null };
      const id = randomUUID();
      await insertCase(trx, {
        id,
        response_id: answer.responseId,
        customer_id: answer.customerId,
        survey_id: answer.surveyId,
        status: 'open',
        owner_id: null,
        due_at: callbackDueAt(now, answer.slaHours).toISOString(),
        reason: null,
        opened_at: now.toISOString(),
        closed_at: null,
        updated_at: now.toISOString(),
      });
      await appendCaseEntry(trx, {
        caseId: id,
        at: now,
        kind: 'opened',
        toStatus: 'open',
        note: caseNote({ kind: 'detractor_score', score: answer.score }),
      });
      await queueCaseAlerts(trx, id, callbackDueAt(now, answer.slaHours), now);
      return { caseId: id };
    }
    case 'reopen_withdrawn':
      await setCaseStatus(trx, existing!.id, { status: 'open', dueAt: callbackDueAt(now, answer.slaHours), closedAt: null, now });
      await appendCaseEntry(trx, {
        caseId: existing!.id,
        at: now,
        kind: 'reopened',
        fromStatus: 'withdrawn',
        toStatus: 'open',
        note: changed,
      });
      await queueCaseAlerts(trx, existing!.id, callbackDueAt(now, answer.slaHours), now);
      return { caseId: existing!.id };
    case 'withdraw':
      await setCaseStatus(trx, existing!.id, { status: 'withdrawn', closedAt: now, now });
      await appendCaseEntry(trx, {
        caseId: existing!.id,
        at: now,
        kind: 'withdrawn',
        fromStatus: existing!.status,
        toStatus: 'withdrawn',
        note: changed,
      });
      // Closed by the customer's changed answer rather than by staff: receivers see status 'withdrawn'.
      await emitWebhookEvent(trx, 'callback.closed', { caseId: existing!.id }, now);
      return { caseId: existing!.id };
    case 'note':
      if (answer.score !== answer.previousScore) {
        await appendCaseEntry(trx, { caseId: existing!.id, at: now, kind: 'answer_changed', note: changed });
      }
      return { caseId: existing!.id };
    case 'none':
      return { caseId: existing?.id ?? null };
  }
}
