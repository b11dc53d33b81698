import type { CustomerExport } from '../../shared/api/privacy.js';
import type { Db } from '../db/connect.js';
import { auditPrivacy, type PrivacyActor } from './audit.js';
import type { CountryCode } from '../customers/phone.js';
import { findCustomer } from './find-customer.js';

/*
 * Where a customer's personal data lives, and what the export (this file) and the erasure (erase.ts) do with it:
 *
 * | place                                   | export                          | erase                                                    |
 * | customers: email, phone, name, tz       | yes                             | nulled; external id → "erased:<id>"; erased_at set       |
 * | customers: locale                       | yes                             | kept                                                     |
 * | customers, events, responses: attributes| yes                             | only the surveys' declared dimensions kept (erase.ts)    |
 * | consents                                | yes                             | kept (ids and dates: the proof); the "how" text nulled   |
 * | suppressions (opt-outs, bounces)        | yes, for their addresses        | address replaced by its SHA-256: the opt-out still holds |
 * | events: type, order id                  | yes                             | kept (business data)                                     |
 * | invitations: address, reason, detail    | yes                             | address and delivery detail nulled, texts redacted;      |
 * |                                         |                                 | unsent ones skipped, links closed (expire now)           |
 * | responses: comment, text answers        | yes, with every version         | comment nulled, text answers removed (also in history);  |
 * | responses: score, bucket, day, survey   | yes                             | kept: NPS and rollups stay equal                         |
 * | callback cases: status, reason, dates   | yes                             | kept                                                     |
 * | case entries: notes, outcome messages   | yes                             | notes nulled (the entries, times and statuses stay)      |
 * | inbound messages (SMS replies)          | yes (by invitation or number)   | text emptied, number replaced                            |
 * | segment messages: address               | yes                             | address nulled; queued ones skipped                      |
 * | webhook deliveries/attempts (bodies)    | yes, bodies that name them      | contact details and free text taken out; pending failed  |
 * | jobs (payloads, errors)                 | no (the same data, in transit)  | queued ones cancelled, payloads and errors scrubbed      |
 * | privacy_audit                           | no                              | one entry with counts only                               |
 * | dev outbox files (.eml, sms.jsonl)      | no                              | messages naming them deleted (privacy/outbox.ts)         |
 */

const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

/**
 * Everything Hami holds about one customer (by Hami's id or external id) as one document, or null when there is
 * no such customer. The export is audited (who, when; not what).
 */
export async function exportCustomer(
  db: Db,
  id: string,
  actor: PrivacyActor,
  now: Date,
  country: CountryCode,
): Promise<CustomerExport | null> {
  const customer = await findCustomer(db, id, country);
  if (!customer) return null;
  const cid = customer.id;
  const [consents, events, invitations, responses, cases, segmentMessages] = await Promise.all([
    // Ids are time-ordered (uuid v7): they keep the order of consents given at one instant.
    db.selectFrom('consents').selectAll().where('customer_id', '=', cid).orderBy('given_at').orderBy('id').execute(),
    db.selectFrom('events').selectAll().where('customer_id', '=', cid).orderBy('occurred_at').execute(),
    db.selectFrom('invitations').selectAll().where('customer_id', '=', cid).orderBy('created_at').execute(),
    db.selectFrom('responses').selectAll().where('customer_id', '=', cid).orderBy('answered_at').execute(),
    db.selectFrom('callback_cases').selectAll().where('customer_id', '=', cid).orderBy('opened_at').execute(),
    db.selectFrom('segment_messages').selectAll().where('customer_id', '=', cid).orderBy('created_at').execute(),
  ]);
  const invitationIds = invitations.map((i) => i.id);
  const addresses = [
    ...new Set(
      [customer.email, customer.phone, ...invitations.map((i) => i.address), ...segmentMessages.map((m) => m.address)].filter(
        (a): a is string => !!a,
      ),
    ),
  ];
  const [history, entries, inbound, optOuts, deliveries] = await Promise.all([
    responses.length
      ? db
          .selectFrom('response_history')
          .selectAll()
          .where(
            'response_id',
            'in',
            responses.map((r) => r.id),
          )
          .orderBy('recorded_at')
          .execute()
      : [],
    cases.length
      ? db
          .selectFrom('case_entries')
          .selectAll()
          .where(
            'case_id',
            'in',
            cases.map((c) => c.id),
          )
          .orderBy('at')
          .orderBy('seq')
          .execute()
      : [],
    invitationIds.length || customer.phone
      ? db
          .selectFrom('inbound_messages')
          .selectAll()
          .where((eb) =>
            eb.or([
              ...(invitationIds.length ? [eb('invitation_id', 'in', invitationIds)] : []),
              ...(customer.phone ? [eb('address', '=', customer.phone)] : []),
            ]),
          )
          .orderBy('received_at')
          .execute()
      : [],
    addresses.length ? db.selectFrom('suppressions').selectAll().where('address', 'in', addresses).orderBy('created_at').execute() : [],
    // A delivery body carries the customer's Hami id (data.customer.id).
    db.selectFrom('webhook_deliveries').selectAll().where('body', 'like', `%"${cid}"%`).orderBy('created_at').execute(),
  ]);

  await auditPrivacy(db, {
    action: 'export',
    customerId: cid,
    actor,
    at: now,
    detail: { responses: responses.length, cases: cases.length },
  });
  return {
    version: 1,
    exportedAt: now.toISOString(),
    customer: {
      id: cid,
      externalId: customer.external_id,
      email: customer.email,
      phone: customer.phone,
      name: customer.name,
      locale: customer.locale,
      timeZone: customer.time_zone,
      attributes: json(customer.attributes),
      createdAt: customer.created_at,
      updatedAt: customer.updated_at,
      erasedAt: customer.erased_at,
    },
    consents: consents.map((c) => ({
      purpose: c.purpose,
      granted: c.granted === 1,
      givenAt: c.given_at,
      source: c.source,
      detail: c.detail,
      recordedAt: c.recorded_at,
    })),
    optOuts: optOuts.map((s) => ({ channel: s.channel, address: s.address, reason: s.reason, at: s.created_at })),
    events: events.map((e) => ({
      id: e.id,
      type: e.type,
      externalId: e.external_id,
      occurredAt: e.occurred_at,
      requestedSendAt: e.requested_send_at,
      attributes: json(e.attributes),
      receivedAt: e.received_at,
    })),
    invitations: invitations.map((i) => ({
      id: i.id,
      surveyId: i.survey_id,
      channel: i.channel,
      status: i.status,
      reason: i.reason,
      address: i.address,
      locale: i.locale,
      sendAt: i.send_at,
      expiresAt: i.expires_at,
      sentAt: i.sent_at,
      openedAt: i.opened_at,
      answeredAt: i.answered_at,
      reminderSentAt: i.reminder_sent_at,
      deliveryStatus: i.delivery_status,
      deliveryDetail: i.delivery_detail,
    })),
    responses: responses.map((r) => ({
      id: r.id,
      invitationId: r.invitation_id,
      surveyId: r.survey_id,
      channel: r.channel,
      locale: r.locale,
      score: r.score,
      bucket: r.bucket,
      answers: json(r.answers),
      comment: r.comment,
      attributes: json(r.attributes),
      day: r.day,
      answeredAt: r.answered_at,
      updatedAt: r.updated_at,
      history: history
        .filter((h) => h.response_id === r.id)
        .map((h) => ({ answers: json(h.answers), score: h.score, source: h.source, recordedAt: h.recorded_at })),
    })),
    callbackCases: cases.map((k) => ({
      id: k.id,
      responseId: k.response_id,
      surveyId: k.survey_id,
      status: k.status,
      ownerId: k.owner_id,
      dueAt: k.due_at,
      reason: k.reason,
      openedAt: k.opened_at,
      closedAt: k.closed_at,
      entries: entries
        .filter((e) => e.case_id === k.id)
        .map((e) => ({ at: e.at, kind: e.kind, fromStatus: e.from_status, toStatus: e.to_status, note: e.note, actorId: e.actor_id })),
    })),
    messagesReceived: inbound.map((m) => ({
      id: m.id,
      channel: m.channel,
      address: m.address,
      text: m.text,
      receivedAt: m.received_at,
      invitationId: m.invitation_id,
      outcome: m.outcome,
    })),
    segmentMessages: segmentMessages.map((m) => ({
      id: m.id,
      actionId: m.action_id,
      channel: m.channel,
      address: m.address,
      status: m.status,
      reason: m.reason,
      sendAt: m.send_at,
      sentAt: m.sent_at,
      clickedAt: m.clicked_at,
      clicks: m.clicks,
    })),
    webhookDeliveries: deliveries.map((d) => ({
      id: d.id,
      webhookId: d.webhook_id,
      event: d.event,
      status: d.status,
      createdAt: d.created_at,
      body: JSON.parse(d.body) as unknown,
    })),
  };
}
