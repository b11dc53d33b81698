import type { Executor } from '../db/connect.js';
import type { Selectable } from 'kysely';
import type { Invitation, SuppressionsTable } from '../db/schema.js';
import { ERASED } from './redact.js';

type Suppression = Selectable<SuppressionsTable>;

/*
 * The queries of an erasure (erase.ts): what Hami holds about one customer, and the writes that take their personal
 * data out of each place. Every function runs in the erasure's transaction.
 */

/** Everything an erasure reads about a customer, to change it and to know which texts are theirs. */
export async function customerFootprint(trx: Executor, customer: { id: string; phone: string | null }) {
  const cid = customer.id;
  const [invitations, responses, cases, segmentMessages, events] = await Promise.all([
    trx.selectFrom('invitations').select(['id', 'address', 'status', 'reason', 'expires_at']).where('customer_id', '=', cid).execute(),
    trx.selectFrom('responses').select(['id', 'answers', 'comment', 'attributes']).where('customer_id', '=', cid).execute(),
    trx.selectFrom('callback_cases').select('id').where('customer_id', '=', cid).execute(),
    trx.selectFrom('segment_messages').select(['id', 'address']).where('customer_id', '=', cid).execute(),
    trx.selectFrom('events').select(['id', 'attributes']).where('customer_id', '=', cid).execute(),
  ]);
  const invitationIds = invitations.map((i) => i.id);
  const responseIds = responses.map((r) => r.id);
  const caseIds = cases.map((c) => c.id);
  const history = responseIds.length
    ? await trx.selectFrom('response_history').select(['id', 'answers']).where('response_id', 'in', responseIds).execute()
    : [];
  const entries = caseIds.length
    ? await trx.selectFrom('case_entries').select(['id', 'note']).where('case_id', 'in', caseIds).execute()
    : [];
  const inbound =
    invitationIds.length || customer.phone
      ? await trx
          .selectFrom('inbound_messages')
          .select(['id', 'text'])
          .where((eb) =>
            eb.or([
              ...(invitationIds.length ? [eb('invitation_id', 'in', invitationIds)] : []),
              ...(customer.phone ? [eb('address', '=', customer.phone)] : []),
            ]),
          )
          .execute()
      : [];
  return { invitations, responses, cases, segmentMessages, events, history, entries, inbound };
}

/** The customer row becomes the anonymous placeholder: no contact details, only the kept attributes. */
export async function anonymiseCustomer(
  trx: Executor,
  id: string,
  change: { attributes: string; externalId: string; erasedAt: string; now: Date },
): Promise<void> {
  await trx
    .updateTable('customers')
    .set({
      email: null,
      phone: null,
      name: null,
      time_zone: null,
      attributes: change.attributes,
      external_id: change.externalId,
      erased_at: change.erasedAt,
      updated_at: change.now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

export async function deleteDelightedPerson(trx: Executor, customerId: string): Promise<void> {
  await trx.deleteFrom('delighted_people').where('customer_id', '=', customerId).execute();
}

export async function leaveAutopilot(trx: Executor, customerId: string): Promise<void> {
  await trx.deleteFrom('autopilot_memberships').where('customer_id', '=', customerId).execute();
}

/** A response without its comment and free-text answers; the score, bucket and day stay. */
export async function scrubResponse(trx: Executor, id: string, kept: { answers: string; attributes: string }): Promise<void> {
  await trx
    .updateTable('responses')
    .set({ comment: null, answers: kept.answers, attributes: kept.attributes })
    .where('id', '=', id)
    .execute();
}

export async function setEventAttributes(trx: Executor, id: string, attributes: string): Promise<void> {
  await trx.updateTable('events').set({ attributes }).where('id', '=', id).execute();
}

/** Clears how each consent was asked (free text); the consents themselves stay. Returns how many changed. */
export async function clearConsentDetails(trx: Executor, customerId: string): Promise<number> {
  const result = await trx
    .updateTable('consents')
    .set({ detail: null })
    .where('customer_id', '=', customerId)
    .where('detail', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function setHistoryAnswers(trx: Executor, id: string, answers: string): Promise<void> {
  await trx.updateTable('response_history').set({ answers }).where('id', '=', id).execute();
}

/** Clears the notes of these cases' entries; returns how many changed. */
export async function clearCaseNotes(trx: Executor, caseIds: readonly string[]): Promise<number> {
  const result = await trx
    .updateTable('case_entries')
    .set({ note: null })
    .where('case_id', 'in', caseIds)
    .where('note', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** An invitation without its address and delivery detail, with the status, reason and expiry given. */
export async function scrubInvitation(
  trx: Executor,
  id: string,
  change: { status: Invitation['status']; reason: string | null; expiresAt: string },
): Promise<void> {
  await trx
    .updateTable('invitations')
    .set({ address: null, delivery_detail: null, reason: change.reason, status: change.status, expires_at: change.expiresAt })
    .where('id', '=', id)
    .execute();
}

export async function scrubInboundMessages(trx: Executor, ids: readonly string[]): Promise<void> {
  await trx.updateTable('inbound_messages').set({ text: '', address: ERASED }).where('id', 'in', ids).execute();
}

/** The customer's segment messages lose their address; those still queued are skipped. */
export async function scrubSegmentMessages(trx: Executor, customerId: string): Promise<void> {
  await trx.updateTable('segment_messages').set({ address: null }).where('customer_id', '=', customerId).execute();
  await trx
    .updateTable('segment_messages')
    .set({ status: 'skipped', reason: 'erased' })
    .where('customer_id', '=', customerId)
    .where('status', '=', 'queued')
    .execute();
}

export async function deleteBaleChats(trx: Executor, phones: readonly string[]): Promise<void> {
  await trx.deleteFrom('bale_chats').where('phone', 'in', phones).execute();
}

export async function webhookDeliveryBody(trx: Executor, id: string) {
  return trx.selectFrom('webhook_deliveries').select(['body', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
}

/** A delivery's body rewritten; a pending one is given up, so nothing more about the customer goes out. */
export async function rewriteWebhookDelivery(
  trx: Executor,
  id: string,
  change: { body: string; giveUp: boolean; at: string },
): Promise<void> {
  await trx
    .updateTable('webhook_deliveries')
    .set({ body: change.body, ...(change.giveUp ? { status: 'failed', next_attempt_at: null } : {}), updated_at: change.at })
    .where('id', '=', id)
    .execute();
}

export async function webhookAttemptErrors(trx: Executor, deliveryId: string) {
  return trx.selectFrom('webhook_attempts').select(['id', 'error']).where('delivery_id', '=', deliveryId).execute();
}

/** An attempt without the receiver's answer, and with the error given. */
export async function scrubWebhookAttempt(trx: Executor, id: string, error: string | null): Promise<void> {
  await trx.updateTable('webhook_attempts').set({ response_excerpt: null, error }).where('id', '=', id).execute();
}

/** Cancels those of these jobs that are queued or running; returns how many. */
export async function cancelJobs(trx: Executor, ids: readonly string[], at: string): Promise<number> {
  const cancelled = await trx
    .updateTable('jobs')
    .set({ status: 'cancelled', locked_until: null, updated_at: at })
    .where('id', 'in', ids)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  return Number(cancelled.numUpdatedRows);
}

/** Replaces the jobs' payloads and last errors, which may name the customer. */
export async function scrubJobPayloads(trx: Executor, ids: readonly string[]): Promise<void> {
  await trx
    .updateTable('jobs')
    .set({ payload: JSON.stringify({ erased: true }), last_error: null })
    .where('id', 'in', ids)
    .execute();
}

export async function suppressionsOf(trx: Executor, addresses: readonly string[]): Promise<Suppression[]> {
  return trx.selectFrom('suppressions').selectAll().where('address', 'in', addresses).execute();
}

/** Moves a suppression to another address (its hash), keeping its channel, reason and date. */
export async function moveSuppression(trx: Executor, row: Suppression, address: string): Promise<void> {
  await trx.deleteFrom('suppressions').where('channel', '=', row.channel).where('address', '=', row.address).execute();
  await trx
    .insertInto('suppressions')
    .values({ ...row, address })
    .onConflict((oc) => oc.columns(['channel', 'address']).doNothing())
    .execute();
}
