import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { callbackDueAt, caseActionOnAnswer, type CaseStatus } from '../../shared/callback-rules.js';
import type { Bucket } from '../../shared/scoring.js';
import type { Database } from '../db/schema.js';
import { appendCaseEntry, findCaseOfResponse, insertCase, setCaseStatus } from './store.js';

export interface AnswerForCase {
  responseId: string;
  customerId: string;
  surveyId: string;
  slaHours: number;
  score: number | null;
  previousScore: number | null;
  bucket: Bucket | null;
  now: Date;
}

/**
 * Keeps the callback list in step with an answer (see caseActionOnAnswer for the rules). Runs in the answer's
 * transaction, so a detractor's answer and its case are saved together or not at all.
 */
export async function updateCaseForAnswer(trx: Transaction<Database>, answer: AnswerForCase): Promise<{ caseId: string | null }> {
  const existing = await findCaseOfResponse(trx, answer.responseId);
  const action = caseActionOnAnswer(existing ? { status: existing.status as CaseStatus, ownerId: existing.owner_id } : null, answer.bucket);
  const { now } = answer;
  const changed = `the customer changed the score from ${answer.previousScore ?? 'none'} to ${answer.score ?? 'none'}`;
  switch (action) {
    case 'open': {
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
      await appendCaseEntry(trx, { caseId: id, at: now, kind: 'opened', toStatus: 'open', note: `detractor score ${answer.score}` });
      return { caseId: id };
    }
    case 'reopen_withdrawn':
      await setCaseStatus(trx, existing!.id, { status: 'open', dueAt: callbackDueAt(now, answer.slaHours), closedAt: null, now });
      await appendCaseEntry(trx, { caseId: existing!.id, at: now, kind: 'reopened', fromStatus: 'withdrawn', toStatus: 'open', note: changed });
      return { caseId: existing!.id };
    case 'withdraw':
      await setCaseStatus(trx, existing!.id, { status: 'withdrawn', closedAt: now, now });
      await appendCaseEntry(trx, { caseId: existing!.id, at: now, kind: 'withdrawn', fromStatus: existing!.status, toStatus: 'withdrawn', note: changed });
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
