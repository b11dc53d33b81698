import type { Bucket } from './scoring.js';

const HOUR = 3_600_000;

/*
 * The callback case's lifecycle, in one place for the server's rules and the dashboard (no zod here: the dashboard
 * bundle imports it, like shared/roles.ts).
 */

export const CASE_STATUSES = ['open', 'contacted', 'resolved', 'unresolvable', 'withdrawn'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export function isCaseStatus(value: string): value is CaseStatus {
  return (CASE_STATUSES as readonly string[]).includes(value);
}

/** The statuses staff may set; 'withdrawn' is only ever the customer's changed answer (caseActionOnAnswer). */
export const STAFF_STATUSES = ['open', 'contacted', 'resolved', 'unresolvable'] as const satisfies readonly CaseStatus[];
type StaffStatus = (typeof STAFF_STATUSES)[number];

/** The work still to do: what the callback list shows unless a status is asked for. */
export const ACTIVE_STATUSES = ['open', 'contacted'] as const satisfies readonly CaseStatus[];

/** Closed by staff with a reason and an outcome message sent to the customer. */
export const OUTCOME_STATUSES = ['resolved', 'unresolvable'] as const satisfies readonly StaffStatus[];
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

/** open → contacted → resolved | unresolvable; a closed or withdrawn case reopens only to open. */
const NEXT: Record<CaseStatus, readonly StaffStatus[]> = {
  open: ['contacted', 'resolved', 'unresolvable'],
  contacted: ['resolved', 'unresolvable'],
  resolved: ['open'],
  unresolvable: ['open'],
  withdrawn: ['open'],
};

/** Whether staff may move a case from one status to the other. */
export function canMoveCase(from: CaseStatus, to: CaseStatus): boolean {
  return (NEXT[from] as readonly CaseStatus[]).includes(to);
}

/** No work left on it: resolved, unresolvable or withdrawn (it can only be reopened). */
export function isClosed(status: CaseStatus): boolean {
  return !(ACTIVE_STATUSES as readonly CaseStatus[]).includes(status);
}

/** Closing into this status needs a reason and the outcome message, and a case already in it is not closed again. */
export function closesWithOutcome(status: CaseStatus): status is OutcomeStatus {
  return (OUTCOME_STATUSES as readonly CaseStatus[]).includes(status);
}

/** Only a case nobody has contacted yet is still racing its due time; after that the deadline is history. */
export function awaitsContact(status: CaseStatus): boolean {
  return status === 'open';
}

/** Overdue: nobody has contacted the customer by the due time (instants as ISO-8601 UTC text). */
export function isOverdue(status: CaseStatus, dueAt: string, now: Date): boolean {
  return awaitsContact(status) && dueAt <= now.toISOString();
}

/** Hours within which a detractor is called back when the survey names none. */
export const DEFAULT_SLA_HOURS = 24;

/** A detractor's callback is due SLA hours after the answer (DEFAULT_SLA_HOURS by default). */
export function callbackDueAt(answeredAt: Date, slaHours = DEFAULT_SLA_HOURS): Date {
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
