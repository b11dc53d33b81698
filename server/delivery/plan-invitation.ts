import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { PlannedInvitation } from '../../shared/api/events.js';
import { planSend } from '../../shared/delivery.js';
import { isLocale, DEFAULT_LOCALE } from '../../shared/locale.js';
import type { Channel, SurveyDefinition } from '../../shared/survey-schema.js';
import type { Customer, Database } from '../db/schema.js';
import { enqueueJob } from './queue.js';
import { insertInvitation, isSuppressed, toPlanned } from './store.js';
import { invitationToken, tokenHash } from './tokens.js';

export const SEND_INVITATION_JOB = 'invitation.send';

export interface PlanRequest {
  survey: SurveyDefinition;
  customer: Customer;
  eventId: string | null;
  occurredAt?: Date;
  sendAt?: Date | 'now';
  now: Date;
  secret: string;
}

function addressFor(customer: Customer, channel: Channel): string | null {
  return channel === 'email' ? customer.email : null;
}

/**
 * Plans the invitation for one survey and customer, inside the caller's transaction: picks the first channel of
 * the survey the customer can be reached on, skips (and says why) when there is none or they opted out, and queues
 * the send job for the planned time in the same transaction.
 */
export async function planInvitation(trx: Transaction<Database>, request: PlanRequest): Promise<PlannedInvitation> {
  const { survey, customer, now } = request;
  const id = randomUUID();
  const plan = planSend({
    now,
    occurredAt: request.occurredAt,
    sendAt: request.sendAt,
    delayMinutes: survey.delayMinutes,
    expiresAfterDays: survey.expiresAfterDays,
  });

  let channel: Channel = survey.channels[0]!;
  let address: string | null = null;
  let skip: string | null = 'skip' in plan ? plan.skip : null;
  if (!skip) {
    const reachable = survey.channels.find((c) => addressFor(customer, c) !== null);
    if (!reachable) skip = 'no_address';
    else {
      channel = reachable;
      address = addressFor(customer, reachable);
      if (await isSuppressed(trx, channel, address!)) skip = 'opted_out';
    }
  }

  const expiresAt = 'expiresAt' in plan ? plan.expiresAt : plan.sendAt;
  const invitation = {
    id,
    event_id: request.eventId,
    customer_id: customer.id,
    survey_id: survey.id,
    channel,
    status: skip ? 'skipped' : 'scheduled',
    reason: skip,
    address,
    locale: isLocale(customer.locale) ? customer.locale : DEFAULT_LOCALE,
    token_hash: tokenHash(invitationToken(request.secret, id)),
    send_at: plan.sendAt.toISOString(),
    expires_at: expiresAt.toISOString(),
    sent_at: null,
    opened_at: null,
    answered_at: null,
    created_at: now.toISOString(),
  };
  await insertInvitation(trx, invitation);
  // A dead mail server delays a survey, it does not drop it: the send is retried (hourly at most) until the link
  // would expire, when the job ends by itself with the invitation marked 'expired'.
  if (!skip) await enqueueJob(trx, { name: SEND_INVITATION_JOB, payload: { invitationId: id }, runAt: plan.sendAt, maxAttempts: 10_000 }, now);
  return toPlanned(invitation);
}
