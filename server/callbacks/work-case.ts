import type { FieldError } from '../../shared/api/errors.js';
import type { CallbackPatch } from '../../shared/api/staff.js';
import { callbackDueAt, canMoveCase, closesWithOutcome, type CaseStatus } from '../../shared/callback-rules.js';
import { caseNote } from '../../shared/case-notes.js';
import type { AppDeps } from '../deps.js';
import { can } from '../../shared/permissions.js';
import { findUserById } from '../auth/users.js';
import { getCustomer } from '../customers/store.js';
import type { User } from '../db/schema.js';
import { planInvitation } from '../delivery/plan-invitation.js';
import { enqueueJob } from '../delivery/queue.js';
import { emitWebhookEvent } from '../webhooks/emit.js';
import { appendCaseEntry, findCaseForChange, setCaseOwner, setCaseReason, setCaseStatus } from './store.js';

/** A request the case rules refuse; `field` names the input at fault, `fields` every one when there are several. */
export class CaseRuleError extends Error {
  override name = 'CaseRuleError';
  constructor(
    message: string,
    readonly field?: string,
    readonly status: 400 | 404 | 409 = 400,
    readonly fields?: FieldError[],
  ) {
    super(message);
  }
}

/**
 * What closing a case still lacks, every field at once, so the form can mark them all in one go: the reason
 * category (the root cause, counted in the overview) and the outcome message the customer is sent.
 */
function missingForClosing(patch: Pick<CallbackPatch, 'reason' | 'outcome'>): FieldError[] {
  const missing: FieldError[] = [];
  if (!patch.reason) missing.push({ field: 'reason', message: 'closing a case needs a reason category (the root cause)' });
  if (!patch.outcome)
    missing.push({ field: 'outcome', message: 'closing a case needs the outcome message for the customer, even when the answer is no' });
  return missing;
}

export const CASE_OUTCOME_JOB = 'case.outcome';

/**
 * Applies one staff change to a case, in one transaction, each step timed in the audit trail: assignment, a
 * note, a status change. Closing needs a reason category and the outcome message, which is queued to the
 * customer; resolving also plans the follow-up survey ("is it solved now?").
 */
export async function workCase(
  deps: Pick<AppDeps, 'db' | 'clock' | 'surveys' | 'secret' | 'config'>,
  input: { caseId: string; actor: User; patch: CallbackPatch },
): Promise<void> {
  const { patch, actor } = input;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    // Two staff changing one case at once: on PostgreSQL the second waits for the first and then checks its rule
    // against the status the first left (open → resolved, then resolved → unresolvable is refused), as on SQLite.
    const current = await findCaseForChange(trx, input.caseId);
    if (!current) throw new CaseRuleError('no such callback case', undefined, 404);
    const entry = (kind: string, extra: { fromStatus?: CaseStatus; toStatus?: CaseStatus; note?: string | null } = {}) =>
      appendCaseEntry(trx, { caseId: current.id, at: now, kind, actorId: actor.id, ...extra });

    // A second close (a double click, or two staff at once: on PostgreSQL the later one waits above and then sees
    // the case closed) is refused, so the first outcome sent to the customer and its reason stand as recorded.
    if (patch.status && patch.status === current.status && closesWithOutcome(current.status)) {
      throw new CaseRuleError(`the case is already ${current.status}`, 'status', 409);
    }
    if (patch.ownerId !== undefined && patch.ownerId !== current.owner_id) {
      let ownerName: string | null = null;
      if (patch.ownerId !== null) {
        const owner = await findUserById(trx, patch.ownerId);
        // Whoever may work cases may own one.
        if (!owner || owner.disabled_at || !can(owner.role, 'callbacks:work')) {
          throw new CaseRuleError('ownerId must be an active care or admin user', 'ownerId');
        }
        ownerName = owner.name;
      }
      await setCaseOwner(trx, current.id, patch.ownerId, now);
      await entry('assigned', { note: caseNote({ kind: 'owner', name: ownerName }) });
    }

    if (patch.status && patch.status !== current.status) {
      if (!canMoveCase(current.status, patch.status)) {
        throw new CaseRuleError(`a ${current.status} case cannot become ${patch.status}`, 'status', 409);
      }
      const closing = closesWithOutcome(patch.status);
      const missing = closing ? missingForClosing(patch) : [];
      if (missing.length > 0) throw new CaseRuleError(missing.map((f) => f.message).join('; '), missing[0]!.field, 400, missing);
      const survey = deps.surveys.byId(current.survey_id);
      await setCaseStatus(trx, current.id, {
        status: patch.status,
        closedAt: closing ? now : null,
        ...(closing ? { reason: patch.reason! } : {}),
        // Reopened by hand: a new deadline from now.
        ...(patch.status === 'open' ? { dueAt: callbackDueAt(now, survey?.slaHours) } : {}),
        // A case nobody claimed belongs to whoever works it.
        ...(current.owner_id === null && patch.ownerId === undefined ? { ownerId: actor.id } : {}),
        now,
      });
      await entry('status', { fromStatus: current.status, toStatus: patch.status, note: patch.note ?? null });
      if (closing) {
        await entry('outcome', { note: patch.outcome! });
        await enqueueJob(trx, { name: CASE_OUTCOME_JOB, payload: { caseId: current.id, outcome: patch.outcome! }, runAt: now }, now);
        await emitWebhookEvent(trx, 'callback.closed', { caseId: current.id }, now);
      }
      if (patch.status === 'resolved') {
        const followUp = deps.surveys.forTrigger('callback_resolved');
        const customer = await getCustomer(trx, current.customer_id);
        if (followUp) {
          const planned = await planInvitation(trx, {
            survey: followUp,
            customer,
            eventId: null,
            now,
            secret: deps.secret,
            rules: deps.config.delivery,
            caseId: current.id,
          });
          await entry('follow_up', {
            note: caseNote(
              planned.status === 'scheduled'
                ? { kind: 'follow_up_planned', sendAt: planned.sendAt }
                : { kind: 'follow_up_not_sent', reason: planned.reason ?? 'unknown' },
            ),
          });
        }
      }
    } else if (patch.note) {
      await entry('note', { note: patch.note });
    }
    if (patch.reason && !patch.status && closesWithOutcome(current.status)) {
      await setCaseReason(trx, current.id, patch.reason, now);
      await entry('reason', { note: patch.reason });
    }
  });
}
