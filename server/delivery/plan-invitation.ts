import type { Transaction } from 'kysely';
import type { PlannedInvitation, SkipReason } from '../../shared/api/events.js';
import { afterQuietHours, isThrottled, planSend } from '../../shared/delivery.js';
import { isLocale, DEFAULT_LOCALE } from '../../shared/locale.js';
import type { Channel, SurveyDefinition } from '../../shared/survey-schema.js';
import type { Config } from '../config.js';
import { consentWithdrawn } from '../customers/consent.js';
import type { Customer, Database } from '../db/schema.js';
import { enqueueJob } from './queue.js';
import { insertInvitation, isSuppressed, lastInvitationNear, toPlanned } from './store.js';
import { invitationToken, tokenHash } from './tokens.js';
import { newRowId } from '../db/ids.js';

export const SEND_INVITATION_JOB = 'invitation.send';

interface PlanRequest {
  survey: SurveyDefinition;
  customer: Customer;
  eventId: string | null;
  occurredAt?: Date;
  /** The event's explicit send time: used as given (no quiet hours), but throttle and opt-out still apply. */
  sendAt?: Date | 'now';
  now: Date;
  secret: string;
  rules: Config['delivery'];
  /** For a follow-up survey: the case it follows up. */
  caseId?: string;
}

/** The customer's address on a channel, or null when they have none there (SMS and Bale both reach the phone number). */
export function addressFor(customer: Pick<Customer, 'email' | 'phone'>, channel: Channel): string | null {
  return channel === 'email' ? customer.email : customer.phone;
}

/** The customer's time zone for quiet hours: their own, or the installation's default. */
export function timeZoneOf(customer: Pick<Customer, 'time_zone'>, rules: Config['delivery']): string {
  return customer.time_zone ?? rules.defaultTimeZone;
}

/**
 * The first of `channels` the customer can be reached on: they have an address there and have not opted out of
 * it. When none is usable, says why ('opted_out' if an address exists but every one is suppressed).
 */
async function chooseChannel(
  trx: Transaction<Database>,
  customer: Pick<Customer, 'email' | 'phone'>,
  channels: readonly Channel[],
): Promise<{ channel: Channel; address: string } | { skip: 'no_address' | 'opted_out' }> {
  let suppressed = false;
  for (const channel of channels) {
    const address = addressFor(customer, channel);
    if (!address) continue;
    if (await isSuppressed(trx, channel, address)) {
      suppressed = true;
      continue;
    }
    return { channel, address };
  }
  return { skip: suppressed ? 'opted_out' : 'no_address' };
}

/**
 * Plans the invitation for one survey and customer, inside the caller's transaction: the send time (the
 * survey's delay, moved out of the customer's quiet hours, or the event's explicit sendAt), their consent to
 * surveys, the throttle, the first usable channel; a skipped invitation says why. The send job is queued in the same transaction.
 */
export async function planInvitation(trx: Transaction<Database>, request: PlanRequest): Promise<PlannedInvitation> {
  const { survey, customer, now, rules } = request;
  const id = newRowId();
  const plan = planSend({
    now,
    occurredAt: request.occurredAt,
    sendAt: request.sendAt,
    delayMinutes: survey.delayMinutes,
    expiresAfterDays: survey.expiresAfterDays,
  });

  let sendAt = plan.sendAt;
  let skip: SkipReason | null = 'skip' in plan ? plan.skip : null;
  if (!skip && request.sendAt === undefined && rules.quietHours) {
    sendAt = afterQuietHours(sendAt, timeZoneOf(customer, rules), rules.quietHours);
  }
  let channel: Channel = survey.channels[0]!;
  let address: string | null = null;
  // Before the throttle: a customer who withdrew consent to surveys is told apart from one asked recently.
  if (!skip && (await consentWithdrawn(trx, customer.id, 'surveys'))) skip = 'no_consent';
  if (!skip && survey.throttle && rules.throttleDays > 0) {
    const last = await lastInvitationNear(trx, customer.id, sendAt, rules.throttleDays);
    if (isThrottled(last, sendAt, rules.throttleDays)) skip = 'throttled';
  }
  if (!skip) {
    const choice = await chooseChannel(trx, customer, survey.channels);
    if ('skip' in choice) skip = choice.skip;
    else ({ channel, address } = choice);
  }

  const expiresAt = new Date(sendAt.getTime() + survey.expiresAfterDays * 86_400_000);
  const invitation = {
    id,
    event_id: request.eventId,
    customer_id: customer.id,
    survey_id: survey.id,
    channel,
    status: skip ? ('skipped' as const) : ('scheduled' as const),
    reason: skip,
    address,
    locale: isLocale(customer.locale) ? customer.locale : DEFAULT_LOCALE,
    token_hash: tokenHash(invitationToken(request.secret, id)),
    send_at: sendAt.toISOString(),
    expires_at: expiresAt.toISOString(),
    sent_at: null,
    opened_at: null,
    answered_at: null,
    created_at: now.toISOString(),
    provider_message_id: null,
    delivery_status: null,
    delivery_detail: null,
    delivery_updated_at: null,
    reminder_sent_at: null,
    public_link_id: null,
    case_id: request.caseId ?? null,
  };
  await insertInvitation(trx, invitation);
  // A dead mail server or SMS gateway delays a survey, it does not drop it: the send is retried (hourly at most)
  // until the link would expire, when the job ends by itself with the invitation marked 'expired'.
  if (!skip) await enqueueJob(trx, { name: SEND_INVITATION_JOB, payload: { invitationId: id }, runAt: sendAt, maxAttempts: 10_000 }, now);
  return toPlanned(invitation);
}
