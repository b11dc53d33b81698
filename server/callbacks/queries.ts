import type { CallbackDetail, CallbackItem, CaseEntry } from '../../shared/api/staff.js';
import { ACTIVE_STATUSES, isOverdue, type CaseStatus } from '../../shared/callback-rules.js';
import type { Db } from '../db/connect.js';
import { outcomeChannel } from '../../shared/outcome-message.js';
import { isSuppressed } from '../delivery/store.js';
import { attributeTextOf } from '../metrics/contribution.js';

interface CallbackFilter {
  status?: CaseStatus;
  /** A user id, or 'none' for unassigned. */
  owner?: string;
  overdue?: boolean;
  survey?: string;
  /** Answer attributes that must match (attr.product=Laptop). */
  attributes?: Record<string, string>;
}

function baseQuery(db: Db) {
  return db
    .selectFrom('callback_cases as k')
    .innerJoin('customers as c', 'c.id', 'k.customer_id')
    .innerJoin('responses as r', 'r.id', 'k.response_id')
    .leftJoin('users as u', 'u.id', 'k.owner_id')
    .select([
      'k.id',
      'k.status',
      'k.owner_id',
      'k.due_at',
      'k.opened_at',
      'k.reason',
      'k.survey_id',
      'c.id as customer_id',
      'c.name as customer_name',
      'c.email',
      'c.phone',
      'r.score',
      'r.comment',
      'r.answers',
      'r.attributes',
      'r.locale',
      'r.channel',
      'u.name as owner_name',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

function toItem(row: Row, now: Date): CallbackItem {
  return {
    id: row.id,
    customer: { id: row.customer_id, name: row.customer_name, email: row.email, phone: row.phone },
    surveyId: row.survey_id,
    score: row.score,
    comment: row.comment,
    status: row.status,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    dueAt: row.due_at,
    openedAt: row.opened_at,
    overdue: isOverdue(row.status, row.due_at, now),
    reason: row.reason,
  };
}

/** The callback list: open and contacted cases unless a status is asked for; overdue first, then by due time. */
export async function listCallbacks(db: Db, filter: CallbackFilter, now: Date): Promise<CallbackItem[]> {
  let query = baseQuery(db);
  query = filter.status ? query.where('k.status', '=', filter.status) : query.where('k.status', 'in', ACTIVE_STATUSES);
  if (filter.owner === 'none') query = query.where('k.owner_id', 'is', null);
  else if (filter.owner) query = query.where('k.owner_id', '=', filter.owner);
  if (filter.survey) query = query.where('k.survey_id', '=', filter.survey);
  if (filter.overdue) query = query.where('k.status', '=', 'open').where('k.due_at', '<=', now.toISOString());
  const rows = await query.orderBy('k.due_at').limit(1000).execute();
  const items = rows
    .filter((row) => {
      if (!filter.attributes) return true;
      const attributes = JSON.parse(row.attributes) as Record<string, unknown>;
      return Object.entries(filter.attributes).every(([k, v]) => attributeTextOf(attributes, k) === v);
    })
    .map((row) => toItem(row, now));
  // Overdue first (oldest debt first), then the rest by due time; the sort is stable.
  return [...items.filter((i) => i.overdue), ...items.filter((i) => !i.overdue)];
}

async function caseHistory(db: Db, caseId: string, withNotes: boolean): Promise<CaseEntry[]> {
  const rows = await db
    .selectFrom('case_entries as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.at', 'e.kind', 'e.from_status', 'e.to_status', 'e.note', 'u.name as actor'])
    .where('e.case_id', '=', caseId)
    .orderBy('e.at')
    .orderBy('e.seq')
    .execute();
  return rows.map((e) => ({
    at: e.at,
    kind: e.kind,
    fromStatus: e.from_status,
    toStatus: e.to_status,
    note: withNotes ? e.note : null,
    actor: e.actor,
  }));
}

export async function callbackDetail(db: Db, id: string, now: Date, withNotes: boolean): Promise<CallbackDetail | null> {
  const row = await baseQuery(db).where('k.id', '=', id).executeTakeFirst();
  if (!row) return null;
  return {
    ...toItem(row, now),
    locale: row.locale,
    channel: row.channel,
    answers: JSON.parse(row.answers),
    history: await caseHistory(db, id, withNotes),
    outcomeChannel: await usableOutcomeChannel(db, row),
  };
}

/** The outcome's channel (shared rule), unless its address has opted out: then the job sends nothing either. */
async function usableOutcomeChannel(db: Db, row: Pick<Row, 'channel' | 'email' | 'phone'>): Promise<'email' | 'sms' | null> {
  const channel = outcomeChannel({ surveyedBy: row.channel, email: row.email, phone: row.phone });
  const address = channel === 'sms' ? row.phone : row.email;
  return channel && address && !(await isSuppressed(db, channel, address)) ? channel : null;
}
