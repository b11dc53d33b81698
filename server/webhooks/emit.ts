import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { WebhookEvent } from '../../shared/api/webhooks.js';
import type { Database } from '../db/schema.js';
import { enqueueJob } from '../delivery/queue.js';
import { WEBHOOK_FAN_OUT_JOB } from './job-names.js';
import { activeSubscribers } from './store.js';

/** What an event is about: an answer (response.created, segment.entered) or a callback case. */
type EventSubject = { responseId: string } | { caseId: string };

/**
 * Inside the transaction of the change an event announces: queues one fan-out job (which builds the body and a
 * delivery per subscription) when any active subscription wants the event, so it is sent exactly when the change
 * commits and never for one that rolled back. No HTTP here. The event id is made now: a re-run fan-out finds it.
 */
export async function emitWebhookEvent(trx: Transaction<Database>, event: WebhookEvent, subject: EventSubject, now: Date): Promise<void> {
  if ((await activeSubscribers(trx, event)).length === 0) return;
  await enqueueJob(
    trx,
    { name: WEBHOOK_FAN_OUT_JOB, payload: { event, eventId: randomUUID(), at: now.toISOString(), ...subject }, runAt: now },
    now,
  );
}
