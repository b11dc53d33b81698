import type { Transaction } from 'kysely';
import { firstSendAt, type AutopilotInterval, type MemberCalendar } from '../../shared/autopilot.js';
import type { SurveyDefinition } from '../../shared/survey-schema.js';
import type { AppDeps } from '../deps.js';
import type { AutopilotMembership, Customer, Database } from '../db/schema.js';
import { addressFor, timeZoneOf } from '../delivery/plan-invitation.js';
import { enqueueJob, takeQueuedJob } from '../delivery/queue.js';
import { findInvitation, markInvitationSkipped } from '../delivery/store.js';
import {
  deleteMembership,
  findMembership,
  insertMembership,
  lockMembership,
  setMembershipProperties,
  type AutopilotChannel,
} from './store.js';

/*
 * Autopilot: a customer added to it gets the relationship survey (the survey file with "trigger": "autopilot") every
 * `everyMonths`, on work-day mornings in their time zone (shared/autopilot.ts), until removed. Each member has one
 * queued job at a time (AUTOPILOT_JOB, send-job.ts) that plans their next invitation through the delivery rules.
 */

export const AUTOPILOT_JOB = 'autopilot.send';

/** The relationship survey and its interval, when this Hami has one (a survey file with "trigger": "autopilot"). */
export function autopilotSurvey(surveys: AppDeps['surveys']): (SurveyDefinition & { everyMonths: AutopilotInterval }) | null {
  const survey = surveys.forTrigger('autopilot');
  return survey?.everyMonths ? { ...survey, everyMonths: survey.everyMonths } : null;
}

/** The job key of a member's queued job: found again by it when they are removed. */
export const memberKey = (customerId: string, channel: string) => `${customerId}:${channel}`;

export function calendarOf(
  customer: Pick<Customer, 'id' | 'time_zone'>,
  channel: string,
  everyMonths: AutopilotInterval,
  rules: AppDeps['config']['delivery'],
): MemberCalendar {
  return { memberKey: memberKey(customer.id, channel), timeZone: timeZoneOf(customer, rules), everyMonths };
}

/** Why a customer cannot join: autopilot is off (no survey), its survey is not sent on the channel, or they have no address there. */
export type JoinRefusal = 'autopilot_off' | 'channel_not_in_survey' | 'no_address';
type JoinResult = { created: boolean; membership: AutopilotMembership } | { refused: JoinRefusal };

/**
 * Adds the customer to autopilot on `channel`, inside the caller's transaction, with their first send spread over
 * the first interval and its job queued in the same commit. Already a member: their properties are replaced (when
 * given) and their schedule kept, as Delighted does.
 */
export async function joinAutopilot(
  trx: Transaction<Database>,
  deps: Pick<AppDeps, 'surveys' | 'config'>,
  request: { customer: Customer; channel: AutopilotChannel; properties?: Record<string, unknown>; now: Date },
): Promise<JoinResult> {
  const { customer, channel, now } = request;
  const survey = autopilotSurvey(deps.surveys);
  if (!survey) return { refused: 'autopilot_off' };
  if (!survey.channels.includes(channel)) return { refused: 'channel_not_in_survey' };
  if (!addressFor(customer, channel)) return { refused: 'no_address' };
  const existing = await findMembership(trx, customer.id, channel);
  if (existing) {
    if (request.properties) await setMembershipProperties(trx, customer.id, channel, request.properties, now);
    return { created: false, membership: (await findMembership(trx, customer.id, channel))! };
  }
  const calendar = calendarOf(customer, channel, survey.everyMonths, deps.config.delivery);
  const sendAt = firstSendAt(now, calendar);
  const jobId = await enqueueJob(
    trx,
    { name: AUTOPILOT_JOB, payload: { customerId: customer.id, channel }, runAt: sendAt, key: calendar.memberKey, maxAttempts: 10_000 },
    now,
  );
  const membership: AutopilotMembership = {
    customer_id: customer.id,
    channel,
    properties: JSON.stringify(request.properties ?? {}),
    next_send_at: sendAt.toISOString(),
    next_job_id: jobId,
    last_sent_at: null,
    last_invitation_id: null,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
  await insertMembership(trx, membership);
  return { created: true, membership };
}

/**
 * Takes the customer off autopilot on `channel`: the membership and its queued job go, and an autopilot survey
 * planned but not yet sent is cancelled (skipped, 'left_autopilot'). Surveys already sent can still be answered.
 * Null when they were not a member.
 */
export async function leaveAutopilot(
  trx: Transaction<Database>,
  customerId: string,
  channel: AutopilotChannel,
): Promise<AutopilotMembership | null> {
  const membership = await lockMembership(trx, customerId, channel);
  if (!membership) return null;
  await deleteMembership(trx, customerId, channel);
  // A worker may hold the job right now: then it finds no membership (it locks it first) and plans nothing.
  await takeQueuedJob(trx, AUTOPILOT_JOB, memberKey(customerId, channel));
  if (membership.last_invitation_id) {
    const invitation = await findInvitation(trx, membership.last_invitation_id);
    if (invitation?.status === 'scheduled') await markInvitationSkipped(trx, invitation.id, 'left_autopilot');
  }
  return membership;
}
