import type { Transaction } from 'kysely';
import type { EventAccepted, EventInput, PlannedInvitation } from '../../shared/api/events.js';
import { checkConsentAt } from '../customers/consent.js';
import { upsertCustomer } from '../customers/store.js';
import type { AppDeps } from '../deps.js';
import type { Database } from '../db/schema.js';
import { planInvitation } from '../delivery/plan-invitation.js';
import { invitationsOfEvent } from '../delivery/store.js';
import { findEventId, insertEvent } from './store.js';
import { newRowId } from '../db/ids.js';
import { isUniqueViolation } from '../http/errors.js';

type IngestResult = { created: boolean; body: EventAccepted };

/**
 * Takes one purchase or resolution event: the customer is created or updated by their id, the event is stored
 * once per type + id (a repeat returns what the first call planned and sends nothing new), and the survey
 * invitation is planned with its send job — all in one transaction.
 */
export async function ingestEvent(
  deps: Pick<AppDeps, 'db' | 'clock' | 'surveys' | 'secret' | 'config'>,
  input: EventInput,
): Promise<IngestResult> {
  const now = deps.clock.now();
  checkConsentAt(input.customer.consent, now);
  // The same event (or two events of one new customer) arriving at the same moment: the one that lost the race on
  // a unique key runs again and finds the winner's rows, so both callers get the same consistent answer.
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.db.transaction().execute((trx) => ingestEventInTransaction(trx, deps, input, now));
    } catch (error) {
      if (attempt >= 3 || !isUniqueViolation(error)) throw error;
    }
  }
}

/**
 * ingestEvent inside the caller's transaction, so a bulk import can take a few hundred events per commit with the
 * very same rules (one commit per event would spend most of an import syncing the disk).
 */
export async function ingestEventInTransaction(
  trx: Transaction<Database>,
  deps: Pick<AppDeps, 'surveys' | 'secret' | 'config'>,
  input: EventInput,
  now: Date,
): Promise<IngestResult> {
  const { surveys } = deps;
  const existing = await findEventId(trx, input.type, input.id);
  if (existing) return { created: false, body: { event: existing, invitations: await invitationsOfEvent(trx, existing) } };

  const customer = await upsertCustomer(trx, input.customer, now);
  const eventId = newRowId();
  const occurredAt = input.occurredAt ? new Date(input.occurredAt) : now;
  const sendAt = input.sendAt === undefined ? undefined : input.sendAt === 'now' ? 'now' : new Date(input.sendAt);
  await insertEvent(trx, {
    id: eventId,
    type: input.type,
    externalId: input.id,
    customerId: customer.id,
    occurredAt,
    requestedSendAt: input.sendAt ?? null,
    attributes: input.attributes ?? {},
    receivedAt: now,
  });
  const survey = surveys.forTrigger(input.type);
  const invitations: PlannedInvitation[] = [];
  if (survey) {
    invitations.push(
      await planInvitation(trx, { survey, customer, eventId, occurredAt, sendAt, now, secret: deps.secret, rules: deps.config.delivery }),
    );
  }
  return { created: true, body: { event: eventId, invitations } };
}
