import { z } from 'zod';
import { afterQuietHours, inQuietHours } from '../../shared/delivery.js';
import type { Channel, SurveyDefinition } from '../../shared/survey-schema.js';
import { ChannelRefused, deliverInvitation, type Delivered } from '../channels/deliver.js';
import { consentWithdrawn } from '../customers/consent.js';
import { contactDetailsOf, timeZoneSettingOf } from '../customers/store.js';
import { requestedSendAt } from '../events/store.js';
import type { AppDeps } from '../deps.js';
import type { Invitation } from '../db/schema.js';
import { underSmsHold } from './channel-hold.js';
import { addressFor, SEND_INVITATION_JOB, timeZoneOf } from './plan-invitation.js';
import { enqueueJob } from './queue.js';
import {
  findInvitation,
  isSuppressed,
  markInvitationDelivered,
  markInvitationExpired,
  markInvitationFailed,
  markInvitationSkipped,
  markReminderSent,
  suppress,
  switchInvitationChannel,
} from './store.js';
import { PermanentJobError, RescheduleJob, type JobDefinition } from './worker.js';

const payload = z.object({ invitationId: z.string().min(1) });
export const SEND_REMINDER_JOB = 'invitation.remind';
const DAY = 86_400_000;

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config' | 'surveys' | 'email' | 'sms' | 'bale' | 'secret' | 'publicUrl' | 'log' | 'jobQueued'>;

/** Sends on the invitation's channel; an SMS waits while the SMS queue is on hold (channel-hold.ts). */
function deliverOnChannel(
  deps: Deps,
  invitation: Invitation,
  survey: SurveyDefinition,
  kind: 'invitation' | 'reminder',
): Promise<Delivered> {
  const send = () => deliverInvitation(deps, invitation, survey, kind);
  return invitation.channel === 'sms' ? underSmsHold(deps, send) : send();
}

/**
 * Throws RescheduleJob when it is night for the customer: a retry or a reminder must not wake anyone. The first
 * send of an event that named its own send time was chosen knowingly and is not moved; its reminder is.
 */
async function respectQuietHours(deps: Deps, invitation: Invitation, now: Date, kind: 'invitation' | 'reminder'): Promise<void> {
  const quiet = deps.config.delivery.quietHours;
  if (!quiet) return;
  const row = await timeZoneSettingOf(deps.db, invitation.customer_id);
  if (kind === 'invitation' && invitation.event_id && (await requestedSendAt(deps.db, invitation.event_id))) return;
  const zone = timeZoneOf(row, deps.config.delivery);
  if (inQuietHours(now, zone, quiet)) throw new RescheduleJob(afterQuietHours(now, zone, quiet), `quiet hours in ${zone}`);
}

/** The next channel of the survey after the one that refused, that the customer can still be reached on. */
async function fallbackChannel(deps: Deps, invitation: Invitation, survey: SurveyDefinition, tried: Set<Channel>) {
  const customer = await contactDetailsOf(deps.db, invitation.customer_id);
  for (const channel of survey.channels) {
    if (tried.has(channel)) continue;
    const address = addressFor(customer, channel);
    if (address && !(await isSuppressed(deps.db, channel, address))) return { channel, address };
  }
  return null;
}

/**
 * Sends one invitation on its channel, falling back to the survey's next channel when one refuses for good.
 * Safe to run again: an invitation that is no longer 'scheduled' is left alone, so a retry after the 'sent' mark
 * never sends twice. A crash between the gateway's acceptance and that mark can resend a message in flight.
 */
export function sendInvitationJob(deps: Deps): JobDefinition<z.infer<typeof payload>> {
  const { db, clock, log } = deps;
  return {
    name: SEND_INVITATION_JOB,
    schema: payload,
    async handle({ invitationId }, _job, { completeIn }) {
      let invitation = await findInvitation(db, invitationId);
      if (!invitation) throw new PermanentJobError(`invitation ${invitationId} does not exist`);
      if (invitation.status !== 'scheduled') return;
      if (new Date(invitation.expires_at) <= clock.now()) {
        await markInvitationExpired(db, invitation.id);
        return;
      }
      const survey = deps.surveys.byId(invitation.survey_id);
      if (!survey) throw new PermanentJobError(`survey "${invitation.survey_id}" is no longer in surveys/`);
      // Consent may have been withdrawn since the invitation was planned: the latest word counts at send time.
      if (await consentWithdrawn(db, invitation.customer_id, 'surveys')) {
        await markInvitationSkipped(db, invitation.id, 'no_consent');
        return;
      }
      await respectQuietHours(deps, invitation, clock.now(), 'invitation');

      const tried = new Set<Channel>();
      let delivered: Delivered | null = null;
      let refusal = '';
      while (!delivered) {
        tried.add(invitation.channel as Channel);
        const suppressed = invitation.address && (await isSuppressed(db, invitation.channel as Channel, invitation.address));
        try {
          if (suppressed) throw new ChannelRefused('opted out', false);
          delivered = await deliverOnChannel(deps, invitation, survey, 'invitation');
        } catch (error) {
          if (!(error instanceof ChannelRefused)) throw error;
          refusal = error.message;
          if (error.suppress && invitation.address)
            await suppress(db, invitation.channel as Channel, invitation.address, 'bounced', clock.now());
          const next = await fallbackChannel(deps, invitation, survey, tried);
          if (!next) {
            if (suppressed) {
              await markInvitationSkipped(db, invitation.id, 'opted_out');
              return;
            }
            throw new PermanentJobError(refusal);
          }
          log.info('falling back to the next channel', {
            invitation: invitation.id,
            from: invitation.channel,
            to: next.channel,
            reason: refusal,
          });
          await switchInvitationChannel(db, invitation.id, next);
          invitation = { ...invitation, channel: next.channel, address: next.address };
        }
      }

      const sentAt = clock.now();
      await db.transaction().execute(async (trx) => {
        await markInvitationDelivered(trx, invitation.id, sentAt, delivered.providerMessageId);
        if (survey.reminderAfterDays !== undefined) {
          const runAt = new Date(sentAt.getTime() + survey.reminderAfterDays * DAY);
          await enqueueJob(trx, { name: SEND_REMINDER_JOB, payload: { invitationId: invitation.id }, runAt, maxAttempts: 10_000 }, sentAt);
        }
        // Sent and done in one commit: a restart finds the job finished, not to be looked at again.
        await completeIn(trx);
      });
      if (delivered.savedTo)
        log.info('dev outbox: survey email saved', { invitation: invitation.id, file: delivered.savedTo, link: delivered.link });
      else log.info('survey sent', { invitation: invitation.id, survey: survey.id, channel: invitation.channel });
    },
    async onGiveUp({ invitationId }, reason) {
      await markInvitationFailed(db, invitationId, reason);
    },
  };
}

/**
 * The one reminder: sent on the invitation's channel if the survey is still unanswered and open, and the
 * customer has neither opted out nor withdrawn consent to surveys meanwhile. A refusal ends the reminder, never
 * the invitation.
 */
export function sendReminderJob(deps: Deps): JobDefinition<z.infer<typeof payload>> {
  const { db, clock, log } = deps;
  return {
    name: SEND_REMINDER_JOB,
    schema: payload,
    async handle({ invitationId }) {
      const invitation = await findInvitation(db, invitationId);
      if (!invitation || !['sent', 'opened'].includes(invitation.status) || invitation.reminder_sent_at) return;
      if (new Date(invitation.expires_at) <= clock.now()) return;
      const survey = deps.surveys.byId(invitation.survey_id);
      if (!survey || !invitation.address || (await isSuppressed(db, invitation.channel as Channel, invitation.address))) return;
      if (await consentWithdrawn(db, invitation.customer_id, 'surveys')) {
        log.info('reminder not sent: consent to surveys withdrawn', { invitation: invitation.id, reason: 'no_consent' });
        return;
      }
      await respectQuietHours(deps, invitation, clock.now(), 'reminder');
      try {
        await deliverOnChannel(deps, invitation, survey, 'reminder');
      } catch (error) {
        if (!(error instanceof ChannelRefused)) throw error;
        if (error.suppress) await suppress(db, invitation.channel as Channel, invitation.address, 'bounced', clock.now());
        log.warn('reminder refused', { invitation: invitation.id, reason: error.message });
        return;
      }
      await markReminderSent(db, invitation.id, clock.now());
      log.info('reminder sent', { invitation: invitation.id, channel: invitation.channel });
    },
  };
}
