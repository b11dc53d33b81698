import { z } from 'zod';
import { forgetThemes } from '../themes/forget.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { ensureRecurringJob, queueNextRun } from '../delivery/recurring.js';
import type { JobDefinition } from '../delivery/worker.js';
import type { Logger } from '../log.js';
import { auditPrivacy } from './audit.js';
import { hashSuppressions } from './erase.js';
import { ERASED, inTransactionWithoutTrace, sqliteFileOf, withoutFreeText, type SqliteFile } from './redact.js';
import type { Config } from '../config.js';

/*
 * Retention (HAMI_RETENTION_MONTHS = N; unset: kept until erased). Once a day, for data older than N months
 * (the cutoff is the same day and time N calendar months ago):
 * - responses answered before the cutoff lose their comment and free-text answers (in every version);
 * - notes and outcome messages of callback cases closed before the cutoff are removed;
 * - SMS replies received before the cutoff lose their text and number;
 * - invitations and segment messages sent (planned) before the cutoff lose the address they went to;
 * - webhook deliveries made before the cutoff keep only id, event and time; their attempts' excerpts go;
 * - finished jobs last touched before the cutoff lose their payload and error;
 * - customers with no activity since the cutoff (no change to the customer, no event received, no invitation
 *   planned, no answer given or changed) lose email, phone and name, and their opt-outs are kept as hashes.
 * Scores, buckets, days, surveys and attributes stay: NPS and the rollups do not move. A customer who comes back
 * with a new event gets their contact details from it again.
 */

export const RETENTION_JOB = 'privacy.retention';
const DAY_MS = 86_400_000;

/** The same instant N calendar months earlier (the 31st falls back to the month's last day). */
export function retentionCutoff(now: Date, months: number): Date {
  const cutoff = new Date(
    Date.UTC(
      now.getUTCFullYear(),
      now.getUTCMonth() - months,
      1,
      now.getUTCHours(),
      now.getUTCMinutes(),
      now.getUTCSeconds(),
      now.getUTCMilliseconds(),
    ),
  );
  const lastDay = new Date(Date.UTC(cutoff.getUTCFullYear(), cutoff.getUTCMonth() + 1, 0)).getUTCDate();
  cutoff.setUTCDate(Math.min(now.getUTCDate(), lastDay));
  return cutoff;
}

interface RetentionCounts {
  responses: number;
  caseEntries: number;
  messagesReceived: number;
  invitations: number;
  segmentMessages: number;
  webhookDeliveries: number;
  jobs: number;
  customers: number;
  optOutsHashed: number;
  [key: string]: number;
}

/** One purge of everything older than `months` months before `now`, in one transaction, audited with counts. */
async function purgeExpiredPersonalData(db: Db, file: SqliteFile, now: Date, months: number): Promise<RetentionCounts> {
  const cutoff = retentionCutoff(now, months).toISOString();
  return inTransactionWithoutTrace(db, file, async (trx) => {
    const counts: RetentionCounts = {
      responses: 0,
      caseEntries: 0,
      messagesReceived: 0,
      invitations: 0,
      segmentMessages: 0,
      webhookDeliveries: 0,
      jobs: 0,
      customers: 0,
      optOutsHashed: 0,
    };

    const responses = await trx
      .selectFrom('responses')
      .select(['id', 'answers'])
      .where('answered_at', '<', cutoff)
      .where('comment', 'is not', null)
      .execute();
    await forgetThemes(
      trx,
      responses.map((r) => r.id),
    );
    for (const r of responses) {
      await trx
        .updateTable('responses')
        .set({ comment: null, answers: withoutFreeText(r.answers) })
        .where('id', '=', r.id)
        .execute();
      const history = await trx.selectFrom('response_history').select(['id', 'answers']).where('response_id', '=', r.id).execute();
      for (const h of history)
        await trx
          .updateTable('response_history')
          .set({ answers: withoutFreeText(h.answers) })
          .where('id', '=', h.id)
          .execute();
    }
    counts.responses = responses.length;

    const closedCases = trx.selectFrom('callback_cases').select('id').where('closed_at', '<', cutoff);
    counts.caseEntries = Number(
      (
        await trx
          .updateTable('case_entries')
          .set({ note: null })
          .where('case_id', 'in', closedCases)
          .where('note', 'is not', null)
          .executeTakeFirst()
      ).numUpdatedRows,
    );

    counts.messagesReceived = Number(
      (
        await trx
          .updateTable('inbound_messages')
          .set({ text: '', address: ERASED })
          .where('received_at', '<', cutoff)
          .where('address', '!=', ERASED)
          .executeTakeFirst()
      ).numUpdatedRows,
    );
    counts.invitations = Number(
      (
        await trx
          .updateTable('invitations')
          .set({ address: null, delivery_detail: null })
          .where('send_at', '<', cutoff)
          .where('status', '!=', 'scheduled')
          .where('address', 'is not', null)
          .executeTakeFirst()
      ).numUpdatedRows,
    );
    counts.segmentMessages = Number(
      (
        await trx
          .updateTable('segment_messages')
          .set({ address: null })
          .where('send_at', '<', cutoff)
          .where('status', '!=', 'queued')
          .where('address', 'is not', null)
          .executeTakeFirst()
      ).numUpdatedRows,
    );

    const deliveries = await trx
      .selectFrom('webhook_deliveries')
      .select(['id', 'event', 'event_id', 'created_at'])
      .where('created_at', '<', cutoff)
      .where('status', '!=', 'pending')
      .where('body', 'not like', '%"purged":true%')
      .execute();
    for (const d of deliveries) {
      await trx
        .updateTable('webhook_deliveries')
        .set({ body: JSON.stringify({ id: d.event_id, event: d.event, occurredAt: d.created_at, purged: true }) })
        .where('id', '=', d.id)
        .execute();
      await trx.updateTable('webhook_attempts').set({ response_excerpt: null }).where('delivery_id', '=', d.id).execute();
    }
    counts.webhookDeliveries = deliveries.length;

    counts.jobs = Number(
      (
        await trx
          .updateTable('jobs')
          .set({ payload: JSON.stringify({ purged: true }), last_error: null })
          .where('status', 'in', ['done', 'failed', 'cancelled'])
          .where('updated_at', '<', cutoff)
          .where('payload', 'not like', '%"purged":true%')
          .where('payload', 'not like', '%"erased":true%')
          .executeTakeFirst()
      ).numUpdatedRows,
    );

    const inactive = await trx
      .selectFrom('customers as c')
      .select(['c.id', 'c.email', 'c.phone'])
      .where('c.erased_at', 'is', null)
      .where('c.updated_at', '<', cutoff)
      .where((eb) => eb.or([eb('c.email', 'is not', null), eb('c.phone', 'is not', null), eb('c.name', 'is not', null)]))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('events as e').select('e.id').whereRef('e.customer_id', '=', 'c.id').where('e.received_at', '>=', cutoff),
          ),
        ),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('invitations as i').select('i.id').whereRef('i.customer_id', '=', 'c.id').where('i.created_at', '>=', cutoff),
          ),
        ),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('responses as r').select('r.id').whereRef('r.customer_id', '=', 'c.id').where('r.updated_at', '>=', cutoff),
          ),
        ),
      )
      .execute();
    for (const customer of inactive) {
      counts.optOutsHashed += await hashSuppressions(
        trx,
        [customer.email, customer.phone].filter((a): a is string => !!a),
      );
      await trx.updateTable('customers').set({ email: null, phone: null, name: null }).where('id', '=', customer.id).execute();
      // Their older invitations' addresses went above; any planned after the cutoff would have made them active.
    }
    counts.customers = inactive.length;

    await auditPrivacy(trx, { action: 'retention', customerId: null, actor: 'retention', at: now, detail: { months, cutoff, ...counts } });
    return counts;
  });
}

const retentionPayload = z.object({}).passthrough();

/**
 * Makes sure the daily purge is queued (at start-up, when retention is set): one queued run at a time, the first
 * one now. Each run queues the next one a day later.
 */
export async function scheduleRetention(db: Db, now: Date, months: number | null): Promise<void> {
  if (months === null) return;
  await ensureRecurringJob(db, RETENTION_JOB, now, now);
}

/** The daily purge job: purges, then queues tomorrow's run (unless one is already queued). */
export function retentionJob(deps: {
  db: Db;
  clock: Clock;
  log: Logger;
  config: Pick<Config, 'retentionMonths' | 'database'>;
}): JobDefinition<z.infer<typeof retentionPayload>> {
  return {
    name: RETENTION_JOB,
    schema: retentionPayload,
    async handle(_payload, job) {
      const months = deps.config.retentionMonths;
      // Retention turned off since this run was queued: stop the chain.
      if (months === null) return;
      const now = deps.clock.now();
      const counts = await purgeExpiredPersonalData(deps.db, sqliteFileOf(deps.config), now, months);
      deps.log.info('retention purge done', { months, ...counts });
      await queueNextRun(deps.db, RETENTION_JOB, job.id, new Date(now.getTime() + DAY_MS), now);
    },
  };
}
