import type { Bucket } from './scoring.js';

const HOUR = 3_600_000;

export const CASE_STATUSES = ['open', 'contacted', 'resolved', 'unresolvable', 'withdrawn'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** A detractor's callback is due SLA hours after the answer (24 by default). */
export function callbackDueAt(answeredAt: Date, slaHours = 24): Date {
  return new Date(answeredAt.getTime() + slaHours * HOUR);
}

export interface CaseState {
  status: CaseStatus;
  ownerId: string | null;
}

export type CaseAction = 'open' | 'reopen_withdrawn' | 'withdraw' | 'note' | 'none';

/**
 * What a changed answer does to the callback case (the customer may change a score while the survey is open):
 * - becomes a detractor, no case yet: open one, due SLA hours from this answer;
 * - becomes a detractor again after an automatic withdrawal: reopen that case, due from this answer;
 * - stops being a detractor while the case is still open and nobody has taken it: withdraw it (no one wastes a call);
 * - any other change to a case someone is working, or has closed: leave its status and add a note, so the owner
 *   sees the new score before calling.
 */
export function caseActionOnAnswer(previous: CaseState | null, bucket: Bucket | null): CaseAction {
  const detractor = bucket === 'detractor';
  if (!previous) return detractor ? 'open' : 'none';
  if (previous.status === 'withdrawn') return detractor ? 'reopen_withdrawn' : 'none';
  if (!detractor && previous.status === 'open' && previous.ownerId === null) return 'withdraw';
  return 'note';
}
