import type { TimelineItem } from '../../shared/api/staff.js';
import { membershipsOfCustomer } from '../autopilot/store.js';
import type { Db } from '../db/connect.js';

/**
 * Everything about one customer in time order: events, invitations, every answer (with each change), what they
 * consented to (privacy/consent), cases and their audit trail, and their next autopilot survey (in the future). Case notes are left out for roles that may not read them.
 * `title` is an English summary for API readers; `detail` carries the parts (type, survey, status, score…) so the
 * dashboard can say the same in its own language.
 */
export async function customerTimeline(db: Db, customerId: string, withNotes: boolean): Promise<TimelineItem[] | null> {
  const customer = await db.selectFrom('customers').select('id').where('id', '=', customerId).executeTakeFirst();
  if (!customer) return null;
  const [events, invitations, answers, cases, consents, autopilot] = await Promise.all([
    db.selectFrom('events').selectAll().where('customer_id', '=', customerId).execute(),
    db.selectFrom('invitations').selectAll().where('customer_id', '=', customerId).execute(),
    db
      .selectFrom('response_history as h')
      .innerJoin('responses as r', 'r.id', 'h.response_id')
      .select(['h.recorded_at', 'h.answers', 'h.score', 'h.source', 'r.survey_id', 'r.id as response_id'])
      .where('r.customer_id', '=', customerId)
      .execute(),
    db.selectFrom('callback_cases').selectAll().where('customer_id', '=', customerId).execute(),
    db.selectFrom('consents').selectAll().where('customer_id', '=', customerId).orderBy('given_at').orderBy('id').execute(),
    membershipsOfCustomer(db, customerId),
  ]);
  const entries = cases.length
    ? await db
        .selectFrom('case_entries as e')
        .leftJoin('users as u', 'u.id', 'e.actor_id')
        .select(['e.case_id', 'e.seq', 'e.at', 'e.kind', 'e.from_status', 'e.to_status', 'e.note', 'u.name as actor'])
        .where(
          'e.case_id',
          'in',
          cases.map((c) => c.id),
        )
        .orderBy('e.at')
        .orderBy('e.seq')
        .execute()
    : [];
  const items: TimelineItem[] = [
    ...events.map((e) => ({
      at: e.occurred_at,
      kind: 'event' as const,
      title: `${e.type} ${e.external_id}`,
      detail: { type: e.type, externalId: e.external_id, attributes: JSON.parse(e.attributes) },
    })),
    ...invitations.map((i) => ({
      at: i.sent_at ?? i.send_at,
      kind: 'invitation' as const,
      title: `${i.survey_id} by ${i.channel}: ${i.status}${i.reason ? ` (${i.reason})` : ''}`,
      detail: {
        id: i.id,
        surveyId: i.survey_id,
        status: i.status,
        reason: i.reason,
        channel: i.channel,
        openedAt: i.opened_at,
        answeredAt: i.answered_at,
        deliveryStatus: i.delivery_status,
      },
    })),
    ...answers.map((a) => ({
      at: a.recorded_at,
      kind: 'answer' as const,
      title: `${a.survey_id}: ${a.score ?? '–'} (${a.source})`,
      detail: { responseId: a.response_id, surveyId: a.survey_id, score: a.score, source: a.source, answers: JSON.parse(a.answers) },
    })),
    ...consents.map((c) => ({
      at: c.given_at,
      kind: 'consent' as const,
      title: `${c.purpose}: ${c.granted ? 'granted' : 'withdrawn'}${c.detail ? ` (${c.detail})` : ''}`,
      detail: { purpose: c.purpose, granted: c.granted === 1, source: c.source, how: c.detail, recordedAt: c.recorded_at },
    })),
    ...autopilot.map((a) => ({
      at: a.next_send_at,
      kind: 'autopilot' as const,
      title: `autopilot by ${a.channel}: next survey planned`,
      detail: { channel: a.channel, nextSendAt: a.next_send_at, lastSentAt: a.last_sent_at, joinedAt: a.created_at },
    })),
    ...cases.map((k) => ({
      at: k.opened_at,
      kind: 'case' as const,
      title: `callback case (${k.status})`,
      detail: { id: k.id, status: k.status, dueAt: k.due_at, reason: k.reason },
    })),
    ...entries.map((e) => ({
      at: e.at,
      kind: 'case_entry' as const,
      title: e.to_status ? `${e.kind}: ${e.from_status ?? ''} → ${e.to_status}` : e.kind,
      detail: {
        caseId: e.case_id,
        entry: e.kind,
        fromStatus: e.from_status,
        toStatus: e.to_status,
        actor: e.actor,
        note: withNotes ? e.note : null,
      },
    })),
  ];
  // A stable sort: items of one instant keep the order above (entries already in their written order).
  return items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
