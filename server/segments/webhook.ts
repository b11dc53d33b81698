import type { Transaction } from 'kysely';
import { z } from 'zod';
import { bucketOf, type Bucket } from '../../shared/scoring.js';
import { postSignedWebhook } from '../callbacks/notify.js';
import type { AppDeps } from '../deps.js';
import type { Database } from '../db/schema.js';
import { enqueueJob } from '../delivery/queue.js';
import type { JobDefinition } from '../delivery/worker.js';
import { emitWebhookEvent } from '../webhooks/emit.js';

/*
 * "segment.entered" for CRM sync: a customer enters the promoters when their latest scored answer becomes a
 * promoter's and was not one before (a first answer of 9–10, or a later or changed answer that moves them up).
 */

export const SEGMENT_ENTERED_JOB = 'segment.entered';

/**
 * Inside the answer's transaction (recordAnswer): decides whether this answer moved the customer into the
 * promoters and, if so, queues the webhook job with it, so the event is sent exactly when the answer commits.
 * `previousScore` is this response's score before the change (null for a new response or a skipped question).
 * The job is queued whether or not a CRM webhook is configured, since recordAnswer does not see the
 * configuration; the job then ends at once (it is one indexed row, and turning the webhook on never finds a gap).
 */
export async function queueIfEnteredPromoters(
  trx: Transaction<Database>,
  answer: { responseId: string; customerId: string; bucket: Bucket | null; previousScore: number | null; now: Date },
): Promise<boolean> {
  if (answer.bucket !== 'promoter') return false;
  const latest = await trx
    .selectFrom('responses')
    .select(['id', 'bucket'])
    .where('customer_id', '=', answer.customerId)
    .where('score', 'is not', null)
    .orderBy('answered_at', 'desc')
    .orderBy('id', 'desc')
    .limit(2)
    .execute();
  // A change to an older answer does not move the customer: their latest answer decides.
  if (latest[0]?.id !== answer.responseId) return false;
  // Before: this same response with its old score (it was already the latest), or the latest other answer.
  const before: Bucket | null =
    answer.previousScore !== null ? bucketOf(answer.previousScore) : ((latest[1]?.bucket as Bucket | undefined) ?? null);
  if (before === 'promoter') return false;
  await enqueueJob(
    trx,
    {
      name: SEGMENT_ENTERED_JOB,
      payload: { responseId: answer.responseId, at: answer.now.toISOString() },
      runAt: answer.now,
      maxAttempts: 12,
    },
    answer.now,
  );
  // The same moment for the subscriptions made in Settings (the env-configured CRM webhook above stays as it is).
  await emitWebhookEvent(trx, 'segment.entered', { responseId: answer.responseId }, answer.now);
  return true;
}

const payload = z.object({ responseId: z.string().min(1), at: z.string() });

/** The body a CRM receives. */
interface SegmentEnteredBody {
  event: 'segment.entered';
  segment: 'promoters';
  occurredAt: string;
  customer: {
    id: string;
    externalId: string;
    name: string | null;
    email: string | null;
    phone: string | null;
    locale: string;
    attributes: Record<string, unknown>;
  };
  response: {
    id: string;
    surveyId: string;
    score: number | null;
    bucket: string | null;
    comment: string | null;
    channel: string;
    locale: string;
    answeredAt: string;
  };
}

/**
 * Posts segment.entered to HAMI_CRM_WEBHOOK_URL, signed like the care alerts and under the same SSRF rule
 * (postSignedWebhook); the queue retries with backoff.
 */
export function segmentEnteredJob(deps: Pick<AppDeps, 'db' | 'clock' | 'config' | 'resolveHost'>): JobDefinition<z.infer<typeof payload>> {
  return {
    name: SEGMENT_ENTERED_JOB,
    schema: payload,
    async handle({ responseId, at }) {
      const hook = deps.config.segments.webhook;
      if (!hook) return;
      const row = await deps.db
        .selectFrom('responses as r')
        .innerJoin('customers as c', 'c.id', 'r.customer_id')
        .select([
          'r.id',
          'r.survey_id',
          'r.score',
          'r.bucket',
          'r.comment',
          'r.channel',
          'r.locale',
          'r.answered_at',
          'c.id as customer_id',
          'c.external_id',
          'c.name',
          'c.email',
          'c.phone',
          'c.locale as customer_locale',
          'c.attributes',
        ])
        .where('r.id', '=', responseId)
        .executeTakeFirst();
      if (!row) return;
      const body: SegmentEnteredBody = {
        event: 'segment.entered',
        segment: 'promoters',
        occurredAt: at,
        customer: {
          id: row.customer_id,
          externalId: row.external_id,
          name: row.name,
          email: row.email,
          phone: row.phone,
          locale: row.customer_locale,
          attributes: JSON.parse(row.attributes) as Record<string, unknown>,
        },
        response: {
          id: row.id,
          surveyId: row.survey_id,
          score: row.score,
          bucket: row.bucket,
          comment: row.comment,
          channel: row.channel,
          locale: row.locale,
          answeredAt: row.answered_at,
        },
      };
      await postSignedWebhook(deps, hook, 'segment.entered', JSON.stringify(body), 'CRM webhook');
    },
  };
}
