import type { Executor } from '../db/connect.js';

/*
 * Queries of the Delighted-compatible API (server/delighted-api/). Times are compared as the ISO-8601 text Hami
 * stores on both engines; the callers turn Delighted's Unix seconds into that text.
 */

/** An inclusive range of stored instants (ISO-8601 text); an end left out is open. */
export interface TimeRange {
  from?: string;
  to?: string;
}

interface Page {
  perPage: number;
  /** 1-based. */
  page: number;
}

/** The Hami customer a Delighted-style person with this email (else phone) already is: the oldest such record. */
export async function customerWithAddress(
  db: Executor,
  address: { email?: string; phone?: string },
): Promise<{ id: string; external_id: string } | undefined> {
  for (const [column, value] of [
    ['email', address.email],
    ['phone', address.phone],
  ] as const) {
    if (!value) continue;
    const row = await db
      .selectFrom('customers')
      .select(['id', 'external_id'])
      .where(column, '=', value)
      .where('erased_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (row) return row;
  }
  return undefined;
}

export async function customerWithExternalId(db: Executor, externalId: string): Promise<boolean> {
  return (await db.selectFrom('customers').select('id').where('external_id', '=', externalId).executeTakeFirst()) !== undefined;
}

/**
 * The Delighted person id of each customer: the first one linked to it (an imported Delighted person, or one this API
 * issued), and for a customer with none, its own id, recorded now so it stays its person id whatever is imported later.
 */
export async function personIdsOf(db: Executor, customerIds: readonly string[], now: Date): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const wanted = [...new Set(customerIds)];
  if (!wanted.length) return ids;
  const links = await db
    .selectFrom('delighted_people')
    .select(['customer_id', 'person_id'])
    .where('customer_id', 'in', wanted)
    .orderBy('created_at')
    .orderBy('person_id')
    .execute();
  for (const link of links) if (!ids.has(link.customer_id)) ids.set(link.customer_id, link.person_id);
  const missing = wanted.filter((id) => !ids.has(id));
  if (missing.length) {
    await db
      .insertInto('delighted_people')
      .values(missing.map((id) => ({ person_id: id, customer_id: id, created_at: now.toISOString() })))
      .onConflict((oc) => oc.column('person_id').doNothing())
      .execute();
    for (const id of missing) ids.set(id, id);
  }
  return ids;
}

export type ResponseOrder = { column: 'answered_at' | 'updated_at'; direction: 'asc' | 'desc' };

interface ResponseFilter {
  created: TimeRange;
  updated: TimeRange;
  order: ResponseOrder;
  /** Only this person's answers: by a person id (linked or issued) or an email. */
  personId?: string;
  personEmail?: string;
}

/** One page of scored (NPS) answers, native and imported, with their customer and the callback case opened for it, if any. */
export async function responsePage(db: Executor, filter: ResponseFilter, page: Page) {
  let query = db
    .selectFrom('responses as r')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .leftJoin('callback_cases as k', 'k.response_id', 'r.id')
    .select([
      'r.id',
      'r.customer_id',
      'r.score',
      'r.comment',
      'r.answered_at',
      'r.updated_at',
      'r.attributes',
      'c.email',
      'c.name',
      'c.phone',
      'c.created_at as customer_created_at',
      'c.attributes as customer_attributes',
      'k.id as case_id',
    ])
    .where('r.score', 'is not', null);
  if (filter.created.from) query = query.where('r.answered_at', '>=', filter.created.from);
  if (filter.created.to) query = query.where('r.answered_at', '<=', filter.created.to);
  if (filter.updated.from) query = query.where('r.updated_at', '>=', filter.updated.from);
  if (filter.updated.to) query = query.where('r.updated_at', '<=', filter.updated.to);
  if (filter.personEmail) query = query.where('c.email', '=', filter.personEmail);
  if (filter.personId) {
    const personId = filter.personId;
    query = query.where('r.customer_id', 'in', (eb) =>
      eb.selectFrom('delighted_people').select('customer_id').where('person_id', '=', personId),
    );
  }
  const { column, direction } = filter.order;
  return query
    .orderBy(`r.${column}`, direction)
    .orderBy('r.id', direction)
    .limit(page.perPage)
    .offset((page.page - 1) * page.perPage)
    .execute();
}

/** How many scored answers fall in each NPS bucket (the bucket stored when the answer was recorded). */
export async function bucketCounts(db: Executor, created: TimeRange): Promise<{ bucket: string | null; n: number }[]> {
  let query = db
    .selectFrom('responses')
    .select((eb) => ['bucket', eb.fn.countAll<number | string>().as('n')])
    .where('score', 'is not', null);
  if (created.from) query = query.where('answered_at', '>=', created.from);
  if (created.to) query = query.where('answered_at', '<=', created.to);
  const rows = await query.groupBy('bucket').execute();
  // PostgreSQL counts are int8, returned as text.
  return rows.map((row) => ({ bucket: row.bucket, n: Number(row.n) }));
}

export type SuppressionKind = 'unsubscribe' | 'bounce';

/**
 * One page of email addresses that may not be surveyed by email: opted out ('unsubscribe': every reason but a
 * bounce) or bounced (a permanent delivery failure, reason 'bounced'), oldest first, with the customer behind each
 * (the oldest with that email) when there is one. Addresses kept only as a hash (an erased customer's) are left out.
 */
export async function emailSuppressions(db: Executor, kind: SuppressionKind, range: TimeRange, page: Page) {
  let query = db
    .selectFrom('suppressions as s')
    .select((eb) => [
      's.address',
      's.created_at',
      eb
        .selectFrom('customers as c')
        .select('c.id')
        .whereRef('c.email', '=', 's.address')
        .orderBy('c.created_at')
        .orderBy('c.id')
        .limit(1)
        .as('customer_id'),
      eb
        .selectFrom('customers as c')
        .select('c.name')
        .whereRef('c.email', '=', 's.address')
        .orderBy('c.created_at')
        .orderBy('c.id')
        .limit(1)
        .as('name'),
    ])
    .where('s.channel', '=', 'email')
    .where('s.address', 'like', '%@%')
    .where('s.reason', kind === 'bounce' ? '=' : '<>', 'bounced');
  if (range.from) query = query.where('s.created_at', '>=', range.from);
  if (range.to) query = query.where('s.created_at', '<=', range.to);
  return query
    .orderBy('s.created_at')
    .orderBy('s.address')
    .limit(page.perPage)
    .offset((page.page - 1) * page.perPage)
    .execute();
}

/** The Hami customer (id) a Delighted person names: by person id (imported or issued), else by email, else by phone. */
export async function customerOfPerson(
  db: Executor,
  person: { personId?: string; email?: string; phone?: string },
): Promise<string | undefined> {
  if (person.personId === undefined) return (await customerWithAddress(db, person))?.id;
  const link = await db.selectFrom('delighted_people').select('customer_id').where('person_id', '=', person.personId).executeTakeFirst();
  return link?.customer_id;
}
