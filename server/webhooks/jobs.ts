import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { retryDelayMs } from '../../shared/delivery.js';
import { WEBHOOK_EVENTS, WEBHOOK_MAX_ATTEMPTS } from '../../shared/api/webhooks.js';
import type { WebhookEvent } from '../../shared/webhook-events.js';
import { sendSignedWebhook, webhookAnswerError } from '../callbacks/notify.js';
import type { AppDeps } from '../deps.js';
import { enqueueJob } from '../delivery/queue.js';
import { PermanentJobError, RescheduleJob, type JobDefinition } from '../delivery/worker.js';
import { buildEventBody } from './bodies.js';
import { WEBHOOK_DELIVER_JOB, WEBHOOK_FAN_OUT_JOB } from './job-names.js';
import { activeSubscribers, findDelivery, findWebhook, hasFirstDelivery, insertAttempt, insertDelivery, updateDelivery } from './store.js';
import { OutboundRefusedError } from '../http/outbound-fetch.js';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config' | 'resolveHost' | 'publicUrl' | 'log' | 'jobQueued'>;

const EXCERPT_CHARS = 500;

const fanOutPayload = z.object({
  event: z.enum(WEBHOOK_EVENTS),
  eventId: z.string().min(1),
  at: z.string(),
  responseId: z.string().optional(),
  caseId: z.string().optional(),
});

/**
 * One event to every active subscription that wants it: the body is built once, then one delivery row and one
 * delivery job per subscription, in one transaction. A re-run (its worker died after committing) skips the
 * subscriptions that already have their delivery.
 */
export function webhookFanOutJob(deps: Deps): JobDefinition<z.infer<typeof fanOutPayload>> {
  return {
    name: WEBHOOK_FAN_OUT_JOB,
    schema: fanOutPayload,
    async handle(event) {
      const hooks = await activeSubscribers(deps.db, event.event);
      if (hooks.length === 0) return;
      const body = await buildEventBody(deps, event);
      if (!body) return;
      const text = JSON.stringify(body);
      const now = deps.clock.now();
      await deps.db.transaction().execute(async (trx) => {
        for (const hook of hooks) {
          if (await hasFirstDelivery(trx, hook.id, event.eventId)) continue;
          await queueDelivery(trx, { webhookId: hook.id, event: event.event, eventId: event.eventId, body: text, resendOf: null }, now);
        }
      });
      deps.jobQueued();
    },
  };
}

/** A new pending delivery of `body` and the job that sends it. Returns the delivery id. */
export async function queueDelivery(
  trx: Parameters<typeof enqueueJob>[0],
  delivery: { webhookId: string; event: WebhookEvent; eventId: string; body: string; resendOf: string | null },
  now: Date,
): Promise<string> {
  const id = randomUUID();
  await insertDelivery(trx, {
    id,
    webhook_id: delivery.webhookId,
    event: delivery.event,
    event_id: delivery.eventId,
    body: delivery.body,
    status: 'pending',
    next_attempt_at: now.toISOString(),
    resend_of: delivery.resendOf,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  });
  // The job's own cap is a backstop for bugs; the handler gives up after WEBHOOK_MAX_ATTEMPTS answers.
  await enqueueJob(trx, { name: WEBHOOK_DELIVER_JOB, payload: { deliveryId: id }, runAt: now, maxAttempts: WEBHOOK_MAX_ATTEMPTS + 2 }, now);
  return id;
}

const deliverPayload = z.object({ deliveryId: z.string().min(1) });

/** Why a request got no answer, in words for the log. */
function noAnswer(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'no answer within 10 s';
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}

/**
 * One attempt of a delivery, logged (time, status code, duration, error, the answer's first characters). A
 * failure that may pass is tried again after the queue's backoff (15 s, 30 s, 1 min … at most an hour); the
 * delivery fails after WEBHOOK_MAX_ATTEMPTS attempts or a final 4xx. A subscription deactivated or deleted
 * meanwhile gets nothing more.
 */
export function webhookDeliverJob(deps: Deps): JobDefinition<z.infer<typeof deliverPayload>> {
  return {
    name: WEBHOOK_DELIVER_JOB,
    schema: deliverPayload,
    async handle({ deliveryId }) {
      const delivery = await findDelivery(deps.db, deliveryId);
      if (delivery?.status !== 'pending') return;
      const hook = await findWebhook(deps.db, delivery.webhook_id);
      const at = deps.clock.now();
      if (!hook?.active) {
        await updateDelivery(deps.db, deliveryId, { status: 'failed', next_attempt_at: null, updated_at: at.toISOString() });
        return;
      }
      const attempt = {
        id: randomUUID(),
        delivery_id: deliveryId,
        at: at.toISOString(),
        status_code: null as number | null,
        duration_ms: 0,
        error: null as string | null,
        response_excerpt: null as string | null,
      };
      let failure: Error | null = null;
      // sendSignedWebhook checks the URL's shape and address (SSRF) before and while connecting.
      const started = performance.now();
      try {
        const response = await sendSignedWebhook(deps, hook, delivery.event, delivery.body, { headers: { 'x-hami-delivery': deliveryId } });
        attempt.status_code = response.status;
        attempt.response_excerpt = (await response.text().catch(() => '')).slice(0, EXCERPT_CHARS) || null;
        failure = webhookAnswerError(response.status, 'receiver', response.headers.get('location'));
      } catch (error) {
        failure = error instanceof OutboundRefusedError ? new PermanentJobError(error.message) : new Error(noAnswer(error));
      }
      attempt.duration_ms = Math.round(performance.now() - started);
      attempt.error = failure?.message ?? null;
      const attempts =
        1 +
        Number(
          (
            await deps.db
              .selectFrom('webhook_attempts')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('delivery_id', '=', deliveryId)
              .executeTakeFirst()
          )?.n ?? 0,
        );
      const now = deps.clock.now();
      const final = failure instanceof PermanentJobError || attempts >= WEBHOOK_MAX_ATTEMPTS;
      const retryAt = failure && !final ? new Date(now.getTime() + retryDelayMs(attempts)) : null;
      await deps.db.transaction().execute(async (trx) => {
        await insertAttempt(trx, attempt);
        await updateDelivery(trx, deliveryId, {
          status: failure ? (final ? 'failed' : 'pending') : 'delivered',
          next_attempt_at: retryAt?.toISOString() ?? null,
          updated_at: now.toISOString(),
        });
      });
      if (failure && retryAt) throw new RescheduleJob(retryAt, failure.message);
      if (failure) deps.log.warn('webhook delivery failed for good', { delivery: deliveryId, webhook: hook.id, error: failure.message });
    },
  };
}
