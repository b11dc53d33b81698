import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { applyDeliveryReports, awaitingDeliveryReports } from '../../delivery/delivery-reports.js';
import { enqueueJob } from '../../delivery/queue.js';
import { ensureRecurringJob } from '../../delivery/recurring.js';
import type { JobDefinition } from '../../delivery/worker.js';
import { handleInboundSms } from '../../responses/sms-replies.js';

/*
 * SMS.ir, Ghasedak and Melipayamak call no webhooks: a recurring job asks them for the replies received and for the
 * delivery state of recent texts, and hands both to the same code the webhooks feed (handleInboundSms,
 * applyDeliveryReports). The inbox mark (cursor) travels in the job's payload from one run to the next, so a restart
 * neither loses it nor reads an old reply twice.
 */

const SMS_POLL_JOB = 'sms.poll';
/** How often the gateway is asked: a reply is answered within a minute. */
const SMS_POLL_INTERVAL_MS = 60_000;
/** Delivery reports are asked for texts of the last three days, at most this many per run. */
const DELIVERY_WINDOW_MS = 3 * 86_400_000;
const DELIVERY_BATCH = 50;

type Deps = Pick<AppDeps, 'db' | 'clock' | 'surveys' | 'log' | 'config' | 'sms'>;

const payload = z.object({ cursor: z.string().nullable().default(null) });

/** At start-up, when the gateway is one that is asked: the first run now (it only sets the inbox mark). */
export async function scheduleSmsPolling(deps: Pick<Deps, 'db' | 'clock' | 'sms'>): Promise<void> {
  if (!deps.sms.fetchInbound && !deps.sms.fetchDeliveryReports) return;
  const now = deps.clock.now();
  await ensureRecurringJob(deps.db, SMS_POLL_JOB, now, now);
}

/**
 * One round: replies (each through the SMS reply path: opt-out, answer or comment), then delivery reports. Returns
 * the new inbox mark. A gateway that fails is logged and asked again next round; the chain of runs never breaks.
 */
export async function pollSmsGateway(deps: Deps, cursor: string | null): Promise<string | null> {
  const now = deps.clock.now();
  let next = cursor;
  if (deps.sms.fetchInbound) {
    try {
      const batch = await deps.sms.fetchInbound(cursor);
      for (const reply of batch.replies) await handleInboundSms(deps, reply);
      next = batch.cursor;
    } catch (error) {
      deps.log.warn('SMS replies could not be fetched', { gateway: deps.sms.name, error: (error as Error).message });
    }
  }
  if (deps.sms.fetchDeliveryReports) {
    try {
      const ids = await awaitingDeliveryReports(deps.db, new Date(now.getTime() - DELIVERY_WINDOW_MS), DELIVERY_BATCH);
      if (ids.length > 0) await applyDeliveryReports(deps.db, await deps.sms.fetchDeliveryReports(ids), now);
    } catch (error) {
      deps.log.warn('SMS delivery reports could not be fetched', { gateway: deps.sms.name, error: (error as Error).message });
    }
  }
  return next;
}

export function smsPollJob(deps: Deps): JobDefinition<z.infer<typeof payload>> {
  return {
    name: SMS_POLL_JOB,
    schema: payload,
    async handle({ cursor }, job) {
      // The gateway was changed to one with webhooks since this run was queued: the chain ends here.
      if (!deps.sms.fetchInbound && !deps.sms.fetchDeliveryReports) return;
      const next = await pollSmsGateway(deps, cursor);
      const now = deps.clock.now();
      const queued = await deps.db
        .selectFrom('jobs')
        .select('id')
        .where('name', '=', SMS_POLL_JOB)
        .where('status', '=', 'queued')
        .where('id', '!=', job.id)
        .executeTakeFirst();
      if (!queued)
        await enqueueJob(
          deps.db,
          { name: SMS_POLL_JOB, payload: { cursor: next }, runAt: new Date(now.getTime() + SMS_POLL_INTERVAL_MS) },
          now,
        );
    },
  };
}
