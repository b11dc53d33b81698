import { z } from 'zod';
import { directionOf } from '../../shared/locale.js';
import { alertHtml, alertText } from '../callbacks/alert-format.js';
import { isPermanentSmtpError } from '../channels/email/transport.js';
import { SmsAccountError } from '../channels/sms/provider.js';
import type { AppDeps } from '../deps.js';
import { engineOf } from '../db/connect.js';
import { smsHoldAlert } from './hold-alert-text.js';
import { SEND_INVITATION_JOB } from './plan-invitation.js';
import { enqueueJob, releaseHeldJobs } from './queue.js';
import { HoldJob, type JobDefinition } from './worker.js';

/*
 * The SMS queue on hold. When the gateway refuses because of our account (SmsAccountError: no credit, a wrong key,
 * a sender line the account may not use), every text would be refused alike, so none is failed or tried: each send
 * waits (HoldJob), the admins get one alert email per hold, and one attempt every PROBE_INTERVAL_MS tries the
 * gateway again. The first attempt that goes through ends the hold and makes every waiting send due at once; a
 * waiting invitation is still 'scheduled', so the usual "only a scheduled invitation is sent" rule sends each once.
 */

export const SMS_HOLD_KEY = 'hold:sms';
const SMS_HOLD_ALERT_JOB = 'sms.hold-alert';
/** How often one held send tries the gateway again: a top-up is noticed within this long. */
export const PROBE_INTERVAL_MS = 5 * 60_000;

/** The jobs that send SMS to customers and wait on the hold. */
// 'invitation.remind' is SEND_REMINDER_JOB, written out: send-invitation.ts imports this module.
const HELD_JOBS = [SEND_INVITATION_JOB, 'invitation.remind'] as const;

type Deps = Pick<AppDeps, 'db' | 'clock' | 'log' | 'jobQueued'>;

/**
 * A send waiting on the SMS hold until `runAt`. The worker asks whether the hold still stands in the transaction
 * that puts the job back, holding the hold's row (FOR SHARE on PostgreSQL; SQLite has one writer at a time), so
 * the release either sees this job waiting and wakes it, or has already ended the hold and the job is due at once.
 */
function smsHoldJob(runAt: Date, reason: string): HoldJob {
  return new HoldJob(runAt, SMS_HOLD_KEY, reason, async (trx) => {
    let query = trx.selectFrom('channel_holds').select('channel').where('channel', '=', 'sms');
    if (engineOf(trx) === 'postgres') query = query.forShare();
    return (await query.executeTakeFirst()) !== undefined;
  });
}

/**
 * Before an SMS send: returns 'open' when SMS is not held, 'probe' when this send is the one attempt allowed now,
 * and throws HoldJob otherwise. Of several sends due at the probe time, the one that moves probe_at on first probes.
 */
async function passSmsHold(deps: Deps): Promise<'open' | 'probe'> {
  const now = deps.clock.now();
  const hold = await deps.db.selectFrom('channel_holds').selectAll().where('channel', '=', 'sms').executeTakeFirst();
  if (!hold) return 'open';
  const reason = `SMS on hold: ${hold.detail}`;
  if (new Date(hold.probe_at) > now) throw smsHoldJob(new Date(hold.probe_at), reason);
  const next = new Date(now.getTime() + PROBE_INTERVAL_MS);
  const claimed = await deps.db
    .updateTable('channel_holds')
    .set({ probe_at: next.toISOString() })
    .where('channel', '=', 'sms')
    .where('probe_at', '=', hold.probe_at)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) throw smsHoldJob(next, reason);
  return 'probe';
}

/**
 * Puts SMS on hold (or keeps it held after a failed probe) and returns the HoldJob to throw. Opening the hold and
 * queueing its one alert are one commit, so two processes that meet the same refusal alert once.
 */
async function holdSms(deps: Deps, provider: string, error: SmsAccountError): Promise<HoldJob> {
  const now = deps.clock.now();
  const probeAt = new Date(now.getTime() + PROBE_INTERVAL_MS);
  const detail = error.message.slice(0, 500);
  const opened = await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('channel_holds')
      .values({
        channel: 'sms',
        provider,
        problem: error.problem,
        code: error.code,
        detail,
        held_since: now.toISOString(),
        probe_at: probeAt.toISOString(),
      })
      .onConflict((oc) => oc.column('channel').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      await trx
        .updateTable('channel_holds')
        .set({ problem: error.problem, code: error.code, detail, probe_at: probeAt.toISOString() })
        .where('channel', '=', 'sms')
        .execute();
      return false;
    }
    await enqueueJob(
      trx,
      {
        name: SMS_HOLD_ALERT_JOB,
        payload: { provider, problem: error.problem, code: error.code, detail, since: now.toISOString() },
        runAt: now,
        maxAttempts: 50,
      },
      now,
    );
    return true;
  });
  if (opened) {
    deps.log.error('SMS on hold: the gateway refused our account; sends wait until it is fixed', {
      provider,
      problem: error.problem,
      code: error.code,
      detail,
    });
    deps.jobQueued();
  }
  return smsHoldJob(probeAt, `SMS on hold: ${detail}`);
}

/** Ends the hold after a send went through, and makes every held send due now. */
async function releaseSmsHold(deps: Deps): Promise<void> {
  const now = deps.clock.now();
  const released = await deps.db.transaction().execute(async (trx) => {
    const ended = await trx.deleteFrom('channel_holds').where('channel', '=', 'sms').executeTakeFirst();
    if (Number(ended.numDeletedRows) === 0) return null;
    return releaseHeldJobs(trx, HELD_JOBS, SMS_HOLD_KEY, now);
  });
  if (released === null) return;
  deps.log.info('SMS hold ended: the gateway accepts our account again; held sends go out now', { held: released });
  deps.jobQueued();
}

/**
 * Runs one SMS send under the hold: waits (HoldJob) while SMS is held and this is not the probe, holds SMS when the
 * gateway refuses our account, and ends the hold when a probe goes through. Other outcomes pass through unchanged.
 */
export async function underSmsHold<T>(deps: Deps & Pick<AppDeps, 'sms'>, send: () => Promise<T>): Promise<T> {
  const gate = await passSmsHold(deps);
  let result: T;
  try {
    result = await send();
  } catch (error) {
    if (error instanceof SmsAccountError) throw await holdSms(deps, deps.sms.name, error);
    throw error;
  }
  if (gate === 'probe') await releaseSmsHold(deps);
  return result;
}

const alertPayload = z.object({ provider: z.string(), problem: z.string(), code: z.string(), detail: z.string(), since: z.string() });

/** The one email to the admins when SMS goes on hold, in the team's language. A dead mail server retries it. */
export function smsHoldAlertJob(
  deps: Pick<AppDeps, 'db' | 'email' | 'config' | 'publicUrl' | 'log'>,
): JobDefinition<z.infer<typeof alertPayload>> {
  return {
    name: SMS_HOLD_ALERT_JOB,
    schema: alertPayload,
    async handle(payload) {
      const locale = deps.config.teamLocale;
      const { subject, alert } = smsHoldAlert(payload, locale, deps.config.delivery.defaultTimeZone, `${deps.publicUrl}/app/`);
      const admins = await deps.db
        .selectFrom('users')
        .select('email')
        .where('role', '=', 'admin')
        .where('disabled_at', 'is', null)
        .execute();
      for (const { email } of admins) {
        try {
          await deps.email.send({
            to: email,
            subject,
            text: alertText(alert),
            html: alertHtml(alert, directionOf(locale)),
            headers: {},
            messageId: `<sms-hold-${payload.since.replace(/[^0-9A-Za-z]/g, '')}-${email.replace(/[^0-9A-Za-z.]/g, '_')}@hami>`,
          });
        } catch (error) {
          if (!isPermanentSmtpError(error)) throw error;
          deps.log.warn('SMS hold alert refused', { error });
        }
      }
    },
  };
}
