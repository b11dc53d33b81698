import type { Transaction } from 'kysely';
import type { EraseResult, ErasureCounts } from '../../shared/api/privacy.js';
import type { Db } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { auditPrivacy, type PrivacyActor } from './audit.js';
import { findCustomer } from './find-customer.js';
import { ERASED, freeTextOf, hashedAddress, idsMentioning, inTransactionWithoutTrace, redactKnown, withoutFreeText, type SqliteFile } from './redact.js';

/**
 * Erases one customer (by Hami's id or external id) in one transaction; what happens to each place their data
 * lives is the table in export.ts. The customer row stays as an anonymous placeholder (erased_at set) with its
 * responses' scores, buckets, days, surveys and attributes, so NPS and the rollups are unchanged; nothing is sent
 * to them afterwards (queued jobs cancelled, unsent invitations skipped, links closed). Erasing again changes
 * nothing and says so. Null when there is no such customer.
 */
export async function eraseCustomer(db: Db, file: SqliteFile, id: string, actor: PrivacyActor, now: Date): Promise<EraseResult | null> {
  return inTransactionWithoutTrace(db, file, async (trx) => {
    const customer = await findCustomer(trx, id);
    if (!customer) return null;
    if (customer.erased_at) return { customerId: customer.id, erasedAt: customer.erased_at, alreadyErased: true, changed: zeroCounts() };
    const changed = await eraseInTransaction(trx, customer, now);
    await trx
      .updateTable('customers')
      .set({ email: null, phone: null, name: null, time_zone: null, external_id: `erased:${customer.id}`, erased_at: now.toISOString(), updated_at: now.toISOString() })
      .where('id', '=', customer.id)
      .execute();
    await auditPrivacy(trx, { action: 'erase', customerId: customer.id, actor, at: now, detail: changed });
    return { customerId: customer.id, erasedAt: now.toISOString(), alreadyErased: false, changed };
  });
}

function zeroCounts(): ErasureCounts {
  return { responses: 0, answerVersions: 0, caseEntries: 0, invitations: 0, messagesReceived: 0, segmentMessages: 0, webhookDeliveries: 0, jobsCancelled: 0, jobsScrubbed: 0, optOutsHashed: 0 };
}

type CustomerRow = { id: string; email: string | null; phone: string | null; name: string | null; external_id: string };

async function eraseInTransaction(trx: Transaction<Database>, customer: CustomerRow, now: Date): Promise<ErasureCounts> {
  const counts = zeroCounts();
  const at = now.toISOString();
  const cid = customer.id;
  const [invitations, responses, cases, segmentMessages] = await Promise.all([
    trx.selectFrom('invitations').select(['id', 'address', 'status', 'reason', 'expires_at']).where('customer_id', '=', cid).execute(),
    trx.selectFrom('responses').select(['id', 'answers', 'comment']).where('customer_id', '=', cid).execute(),
    trx.selectFrom('callback_cases').select('id').where('customer_id', '=', cid).execute(),
    trx.selectFrom('segment_messages').select(['id', 'address']).where('customer_id', '=', cid).execute(),
  ]);
  const invitationIds = invitations.map((i) => i.id);
  const responseIds = responses.map((r) => r.id);
  const caseIds = cases.map((c) => c.id);
  const addresses = [...new Set([customer.email, customer.phone, ...invitations.map((i) => i.address), ...segmentMessages.map((m) => m.address)].filter((a): a is string => !!a))];
  const history = responseIds.length ? await trx.selectFrom('response_history').select(['id', 'answers']).where('response_id', 'in', responseIds).execute() : [];
  const entries = caseIds.length ? await trx.selectFrom('case_entries').select(['id', 'note']).where('case_id', 'in', caseIds).execute() : [];
  const inbound =
    invitationIds.length || customer.phone
      ? await trx
          .selectFrom('inbound_messages')
          .select(['id', 'text'])
          .where((eb) =>
            eb.or([...(invitationIds.length ? [eb('invitation_id', 'in', invitationIds)] : []), ...(customer.phone ? [eb('address', '=', customer.phone)] : [])]),
          )
          .execute()
      : [];
  // Every personal text we hold, to take out of texts whose shape we do not own (webhook bodies, job payloads, errors).
  const known = [
    ...addresses,
    customer.name,
    customer.external_id,
    ...responses.flatMap((r) => [r.comment, ...freeTextOf(r.answers)]),
    ...history.flatMap((h) => freeTextOf(h.answers)),
    ...entries.map((e) => e.note),
    ...inbound.map((m) => m.text),
  ].filter((t): t is string => !!t);

  for (const r of responses) {
    await trx.updateTable('responses').set({ comment: null, answers: withoutFreeText(r.answers) }).where('id', '=', r.id).execute();
    counts.responses++;
  }
  for (const h of history) {
    await trx.updateTable('response_history').set({ answers: withoutFreeText(h.answers) }).where('id', '=', h.id).execute();
    counts.answerVersions++;
  }
  if (caseIds.length) {
    const result = await trx.updateTable('case_entries').set({ note: null }).where('case_id', 'in', caseIds).where('note', 'is not', null).executeTakeFirst();
    counts.caseEntries = Number(result.numUpdatedRows);
  }
  for (const invitation of invitations) {
    const unsent = invitation.status === 'scheduled';
    await trx
      .updateTable('invitations')
      .set({
        address: null,
        delivery_detail: null,
        reason: unsent ? 'erased' : invitation.reason === null ? null : redactKnown(invitation.reason, known),
        status: unsent ? 'skipped' : invitation.status,
        // The link stops taking answers: nothing new about them comes in.
        expires_at: invitation.expires_at < at ? invitation.expires_at : at,
      })
      .where('id', '=', invitation.id)
      .execute();
    counts.invitations++;
  }
  if (inbound.length) {
    await trx.updateTable('inbound_messages').set({ text: '', address: ERASED }).where('id', 'in', inbound.map((m) => m.id)).execute();
    counts.messagesReceived = inbound.length;
  }
  if (segmentMessages.length) {
    await trx.updateTable('segment_messages').set({ address: null }).where('customer_id', '=', cid).execute();
    await trx.updateTable('segment_messages').set({ status: 'skipped', reason: 'erased' }).where('customer_id', '=', cid).where('status', '=', 'queued').execute();
    counts.segmentMessages = segmentMessages.length;
  }
  counts.optOutsHashed = await hashSuppressions(trx, addresses);

  const deliveryIds = await idsMentioning(trx, 'webhook_deliveries', 'body', [cid]);
  for (const deliveryId of deliveryIds) {
    const delivery = await trx.selectFrom('webhook_deliveries').select(['body', 'status']).where('id', '=', deliveryId).executeTakeFirstOrThrow();
    await trx
      .updateTable('webhook_deliveries')
      .set({
        body: redactKnown(JSON.stringify(scrubBody(JSON.parse(delivery.body), cid)), known),
        // Nothing more about them goes out: a pending delivery is given up.
        ...(delivery.status === 'pending' ? { status: 'failed', next_attempt_at: null } : {}),
        updated_at: at,
      })
      .where('id', '=', deliveryId)
      .execute();
    const attempts = await trx.selectFrom('webhook_attempts').select(['id', 'error']).where('delivery_id', '=', deliveryId).execute();
    for (const attempt of attempts) {
      await trx
        .updateTable('webhook_attempts')
        .set({ response_excerpt: null, error: attempt.error === null ? null : redactKnown(attempt.error, known) })
        .where('id', '=', attempt.id)
        .execute();
    }
    counts.webhookDeliveries++;
  }

  const jobIds = await idsMentioning(trx, 'jobs', 'payload', [cid, ...invitationIds, ...responseIds, ...caseIds, ...segmentMessages.map((m) => m.id), ...deliveryIds]);
  if (jobIds.length) {
    // A running job whose worker is mid-send may still finish (at most that one message); it cannot be claimed again.
    const cancelled = await trx
      .updateTable('jobs')
      .set({ status: 'cancelled', locked_until: null, updated_at: at })
      .where('id', 'in', jobIds)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    counts.jobsCancelled = Number(cancelled.numUpdatedRows);
    await trx.updateTable('jobs').set({ payload: JSON.stringify({ erased: true }), last_error: null }).where('id', 'in', jobIds).execute();
    counts.jobsScrubbed = jobIds.length;
  }
  return counts;
}

/** Opt-outs and bounces of these addresses keep holding, under the address's hash instead of the address. */
export async function hashSuppressions(trx: Transaction<Database>, addresses: readonly string[]): Promise<number> {
  if (addresses.length === 0) return 0;
  const rows = await trx.selectFrom('suppressions').selectAll().where('address', 'in', addresses).execute();
  for (const row of rows) {
    await trx.deleteFrom('suppressions').where('channel', '=', row.channel).where('address', '=', row.address).execute();
    await trx
      .insertInto('suppressions')
      .values({ ...row, address: hashedAddress(row.address) })
      .onConflict((oc) => oc.columns(['channel', 'address']).doNothing())
      .execute();
  }
  return rows.length;
}

/** A webhook body without the customer's contact details and free text (shapes in shared/api/webhooks.ts). */
function scrubBody(body: unknown, customerId: string): unknown {
  if (Array.isArray(body)) return body.map((item) => scrubBody(item, customerId));
  if (body === null || typeof body !== 'object') return body;
  const object = { ...(body as Record<string, unknown>) };
  const customer = object.customer as Record<string, unknown> | undefined;
  if (customer && customer.id === customerId) {
    object.customer = { ...customer, name: null, email: null, phone: null, externalId: `erased:${customerId}` };
    const response = object.response as Record<string, unknown> | undefined;
    if (response && typeof response === 'object') {
      object.response = { ...response, comment: null, answers: JSON.parse(withoutFreeText(JSON.stringify(response.answers ?? {}))) as unknown };
    }
  }
  for (const [key, value] of Object.entries(object)) if (key !== 'customer' && key !== 'response') object[key] = scrubBody(value, customerId);
  return object;
}
