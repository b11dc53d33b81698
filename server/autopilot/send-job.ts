import { z } from 'zod';
import { nextSendAfter, slotAtOrAfter } from '../../shared/autopilot.js';
import type { AppDeps } from '../deps.js';
import { planInvitation } from '../delivery/plan-invitation.js';
import { enqueueJob } from '../delivery/queue.js';
import { RescheduleJob, type JobDefinition } from '../delivery/worker.js';
import { AUTOPILOT_JOB, autopilotSurvey, calendarOf, memberKey } from './membership.js';
import { latestContactAt } from '../delivery/store.js';
import { deleteMembership, lockMembership, rescheduleMembership } from './store.js';
import { getCustomer } from '../customers/store.js';

const payload = z.object({ customerId: z.string().min(1), channel: z.enum(['email', 'sms']) });
const DAY = 86_400_000;

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config' | 'surveys' | 'secret' | 'log' | 'jobQueued'>;

/**
 * A member's autopilot turn: their invitation is planned now through the delivery rules (consent, the throttle,
 * opt-outs, quiet hours; the invitation's own send job then sends it), and their next turn is queued:
 * - planned: `everyMonths` after this send (the next counts from the last send, not from when they joined);
 * - throttled (another survey reached them lately): the first work-day morning after the throttle lets them be asked;
 * - skipped for any other reason (opted out, no consent, no address): one interval later, as if asked, so they keep
 *   their place and are asked again if they opt back in.
 * All of it, and the job's end, is one commit: a crash before it leaves the job to run again, after it nothing is
 * left to do, so a restart never doubles nor drops a turn.
 */
export function autopilotSendJob(deps: Deps): JobDefinition<z.infer<typeof payload>> {
  const { db, clock, log } = deps;
  return {
    name: AUTOPILOT_JOB,
    schema: payload,
    async handle({ customerId, channel }, job, { completeIn }) {
      const survey = autopilotSurvey(deps.surveys);
      // The survey file was taken away: members keep their place, and are looked at again tomorrow.
      if (!survey) throw new RescheduleJob(new Date(clock.now().getTime() + DAY), 'no autopilot survey in surveys/');
      const now = clock.now();
      const planned = await db.transaction().execute(async (trx) => {
        const membership = await lockMembership(trx, customerId, channel);
        // Removed (or removed and added again, with a job of its own) since this job was queued.
        if (!membership || membership.next_job_id !== job.id) return null;
        const customer = await getCustomer(trx, customerId);
        if (customer.erased_at) {
          await deleteMembership(trx, customerId, channel);
          return null;
        }
        const invitation = await planInvitation(trx, {
          survey: { ...survey, channels: [channel], delayMinutes: 0 },
          customer,
          eventId: null,
          now,
          secret: deps.secret,
          rules: deps.config.delivery,
        });
        const calendar = calendarOf(customer, channel, survey.everyMonths, deps.config.delivery);
        const sentAt = invitation.status === 'scheduled' ? new Date(invitation.sendAt) : null;
        let next: Date;
        if (sentAt) next = nextSendAfter(sentAt, calendar);
        else if (invitation.reason === 'throttled') {
          const last = (await latestContactAt(trx, customerId)) ?? now;
          const allowed = new Date(Math.max(last.getTime() + deps.config.delivery.throttleDays * DAY, now.getTime() + 60_000));
          next = slotAtOrAfter(allowed, calendar);
        } else next = nextSendAfter(now, calendar);
        const nextJobId = await enqueueJob(
          trx,
          { name: AUTOPILOT_JOB, payload: { customerId, channel }, runAt: next, key: memberKey(customerId, channel), maxAttempts: 10_000 },
          now,
        );
        await rescheduleMembership(
          trx,
          customerId,
          channel,
          { nextSendAt: next, nextJobId, invitationId: invitation.id, lastSentAt: sentAt },
          now,
        );
        await completeIn(trx);
        return { invitation, next };
      });
      if (!planned) return;
      log.info('autopilot turn', {
        customer: customerId,
        channel,
        invitation: planned.invitation.id,
        status: planned.invitation.status,
        reason: planned.invitation.reason,
        next: planned.next.toISOString(),
      });
      if (planned.invitation.status === 'scheduled' && new Date(planned.invitation.sendAt) <= clock.now()) deps.jobQueued();
    },
  };
}
