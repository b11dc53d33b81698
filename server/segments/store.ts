import { sql, type RawBuilder } from 'kysely';
import type { SegmentFilter, SegmentMember, SkipReason } from '../../shared/api/segments.js';
import { instantAfterDay } from '../../shared/periods.js';
import type { Bucket } from '../../shared/scoring.js';
import { engineOf, type Engine, type Executor } from '../db/connect.js';
import { consentNotWithdrawnSql } from '../customers/consent.js';
import type { SegmentActionRow, SegmentMessageRow, SegmentRow } from '../db/schema.js';

/*
 * The segment queries. One SQL condition decides membership (membersCondition); the member page, the count, the
 * export and an action's audience all use it, so they cannot disagree. Instants are ISO text compared as text,
 * ids are app-made UUIDs; the only engine-specific piece is reading one attribute out of the JSON text
 * (attributeTextSql), kept in one function.
 */
type Condition = RawBuilder<boolean>;

const DAY_MS = 86_400_000;
const and = (conditions: Condition[]): Condition =>
  conditions.length ? sql<boolean>`(${sql.join(conditions, sql` and `)})` : sql<boolean>`1 = 1`;

/**
 * An attribute of a response's JSON as text, the way the rollups compare it (shared attributeText): strings as
 * they are, numbers and booleans as JavaScript prints them. SQLite's JSON1 returns booleans as 1/0, hence the
 * json_type case. On PostgreSQL this is `(attributes::jsonb ->> name)`, which already gives 'true' and '12'.
 * Attribute names reach the path through a bound parameter; names with " or \ are refused at the edge.
 */
function attributeTextSql(engine: Engine, column: string, name: string): RawBuilder<string | null> {
  const col = sql.ref(column);
  if (engine === 'postgres') return sql<string | null>`(cast(${col} as jsonb) ->> ${name})`;
  const path = `$."${name}"`;
  return sql<
    string | null
  >`(case json_type(${col}, ${path}) when 'true' then 'true' when 'false' then 'false' else cast(json_extract(${col}, ${path}) as text) end)`;
}

/** The filters that apply to one answer (alias `a` of responses), bucket included or not. */
function answerConditions(engine: Engine, a: string, filter: SegmentFilter, now: Date, withBuckets: boolean): Condition[] {
  const col = (name: string) => sql.ref(`${a}.${name}`);
  const conditions: Condition[] = [sql<boolean>`${col('score')} is not null`];
  if (withBuckets && filter.buckets.length > 0) conditions.push(sql<boolean>`${col('bucket')} in (${sql.join(filter.buckets)})`);
  if (filter.survey !== undefined) conditions.push(sql<boolean>`${col('survey_id')} = ${filter.survey}`);
  if (filter.from !== undefined) conditions.push(sql<boolean>`${col('answered_at')} >= ${`${filter.from}T00:00:00.000Z`}`);
  if (filter.to !== undefined) conditions.push(sql<boolean>`${col('answered_at')} < ${instantAfterDay(filter.to)}`);
  if (filter.channel !== undefined) conditions.push(sql<boolean>`${col('channel')} = ${filter.channel}`);
  if (filter.locale !== undefined) conditions.push(sql<boolean>`${col('locale')} = ${filter.locale}`);
  if (filter.answeredWithinDays !== undefined) {
    conditions.push(sql<boolean>`${col('answered_at')} >= ${new Date(now.getTime() - filter.answeredWithinDays * DAY_MS).toISOString()}`);
  }
  for (const [name, value] of Object.entries(filter.attributes))
    conditions.push(sql<boolean>`${attributeTextSql(engine, `${a}.attributes`, name)} = ${value}`);
  return conditions;
}

/** `b` is a later answer than `a` (ties on the instant broken by id, so exactly one answer is the latest). */
const laterThan = (b: string, a: string): Condition =>
  sql<boolean>`(${sql.ref(`${b}.answered_at`)} > ${sql.ref(`${a}.answered_at`)} or (${sql.ref(`${b}.answered_at`)} = ${sql.ref(`${a}.answered_at`)} and ${sql.ref(`${b}.id`)} > ${sql.ref(`${a}.id`)}))`;

/**
 * Whether response `r` is the answer that makes its customer a member (one row per member):
 * - latest: r matches every filter and no later scored answer of the customer (to the filter's survey, if any) exists;
 * - ever: r matches every filter and no later answer of the customer also matches them.
 * Plus "not contacted for N days": no invitation and no segment message sent to the customer since.
 */
function membersCondition(engine: Engine, filter: SegmentFilter, now: Date): Condition {
  const conditions = answerConditions(engine, 'r', filter, now, true);
  const later =
    filter.basis === 'latest'
      ? [sql<boolean>`r2.score is not null`, ...(filter.survey !== undefined ? [sql<boolean>`r2.survey_id = ${filter.survey}`] : [])]
      : answerConditions(engine, 'r2', filter, now, true);
  conditions.push(
    sql<boolean>`not exists (select 1 from responses r2 where r2.customer_id = r.customer_id and ${and(later)} and ${laterThan('r2', 'r')})`,
  );
  if (filter.notContactedDays !== undefined) {
    const since = new Date(now.getTime() - filter.notContactedDays * DAY_MS).toISOString();
    conditions.push(sql<boolean>`not exists (select 1 from invitations i where i.customer_id = r.customer_id and i.sent_at >= ${since})`);
    conditions.push(
      sql<boolean>`not exists (select 1 from segment_messages m where m.customer_id = r.customer_id and m.sent_at >= ${since})`,
    );
  }
  return and(conditions);
}

/** Where a page of members starts: after the member with this answer time and response id (newest first). */
export interface MemberCursor {
  answeredAt: string;
  responseId: string;
}

function memberQuery(db: Executor, filter: SegmentFilter, now: Date) {
  return db
    .selectFrom('responses as r')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .where(membersCondition(engineOf(db), filter, now))
    .select([
      'r.id as responseId',
      'r.customer_id as customerId',
      'c.external_id as externalId',
      'c.name',
      'c.email',
      'c.phone',
      'r.score',
      'r.bucket',
      'r.answered_at as answeredAt',
      'r.comment',
      'r.survey_id as surveyId',
      'r.channel',
      'r.locale',
      // 1/0 rather than a boolean: SQLite has none, and pg would give true/false.
      sql<number>`case when ${marketingAllowed('c.id')} then 1 else 0 end`.as('marketingConsent'),
    ]);
}

type MemberRow = Awaited<ReturnType<ReturnType<typeof memberQuery>['execute']>>[number];

const toMember = (row: MemberRow): SegmentMember => ({
  customerId: row.customerId,
  externalId: row.externalId,
  name: row.name,
  email: row.email,
  phone: row.phone,
  // membersCondition requires a score, so score and bucket are set.
  score: row.score!,
  bucket: row.bucket as Bucket,
  answeredAt: row.answeredAt,
  comment: row.comment,
  responseId: row.responseId,
  surveyId: row.surveyId,
  channel: row.channel,
  locale: row.locale,
  marketingConsent: Number(row.marketingConsent) === 1,
});

/** One page of members, newest answer first, after `cursor`. */
export async function memberPage(
  db: Executor,
  filter: SegmentFilter,
  now: Date,
  page: { limit: number; after?: MemberCursor },
): Promise<SegmentMember[]> {
  let query = memberQuery(db, filter, now);
  if (page.after) {
    const { answeredAt, responseId } = page.after;
    // The first term alone is a range the answered_at index can seek to; with only the OR, SQLite scans from the
    // newest answer on every page, and an export of n members costs n²/page.
    query = query
      .where(sql<boolean>`r.answered_at <= ${answeredAt}`)
      .where(sql<boolean>`(r.answered_at < ${answeredAt} or r.id < ${responseId})`);
  }
  const rows = await query.orderBy('r.answered_at', 'desc').orderBy('r.id', 'desc').limit(page.limit).execute();
  return rows.map(toMember);
}

/**
 * Every member, newest first, as an async iterator over keyset pages. Memory stays at one page whatever the size.
 * Pages rather than one long cursor (Kysely's stream(), better-sqlite3's iterate()): on SQLite a cursor holds the
 * one connection for the whole download, so a slow client would stall every other request and the worker; a page
 * query releases it after a few milliseconds.
 */
export async function* allMembers(db: Executor, filter: SegmentFilter, now: Date, pageSize = 1000): AsyncGenerator<SegmentMember> {
  let after: MemberCursor | undefined;
  for (;;) {
    const page = await memberPage(db, filter, now, { limit: pageSize, after });
    yield* page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1]!;
    after = { answeredAt: last.answeredAt, responseId: last.responseId };
  }
}

/** Members who have not withdrawn consent to marketing are the reachable ones (customers/consent.ts). */
const marketingAllowed = (customerIdColumn: string) => consentNotWithdrawnSql(customerIdColumn, 'marketing');

export async function countMembers(db: Executor, filter: SegmentFilter, now: Date): Promise<number> {
  return (await countMembersAndReachable(db, filter, now)).members;
}

/** The member count and, of them, those marketing may message (one query: the same membership condition). */
export async function countMembersAndReachable(
  db: Executor,
  filter: SegmentFilter,
  now: Date,
): Promise<{ members: number; reachable: number }> {
  const row = await db
    .selectFrom('responses as r')
    .where(membersCondition(engineOf(db), filter, now))
    .select(sql<number | string>`count(*)`.as('n'))
    .select(sql<number | string | null>`sum(case when ${marketingAllowed('r.customer_id')} then 1 else 0 end)`.as('reachable'))
    .executeTakeFirstOrThrow();
  return { members: Number(row.n), reachable: Number(row.reachable ?? 0) };
}

// Saved segments.

export async function insertSegment(db: Executor, row: SegmentRow): Promise<void> {
  await db.insertInto('segments').values(row).execute();
}

export async function findSegment(db: Executor, id: string): Promise<SegmentRow | undefined> {
  return db.selectFrom('segments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listSegments(db: Executor): Promise<SegmentRow[]> {
  return db.selectFrom('segments').selectAll().orderBy('name').orderBy('id').execute();
}

export async function updateSegment(
  db: Executor,
  id: string,
  change: { name?: string; filter?: string; updated_at: string },
): Promise<boolean> {
  const result = await db.updateTable('segments').set(change).where('id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteSegment(db: Executor, id: string): Promise<boolean> {
  const result = await db.deleteFrom('segments').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

// Actions and their messages.

export async function insertAction(trx: Executor, row: SegmentActionRow): Promise<void> {
  await trx.insertInto('segment_actions').values(row).execute();
}

export async function actionsOfSegment(db: Executor, segmentId: string): Promise<SegmentActionRow[]> {
  return db
    .selectFrom('segment_actions')
    .selectAll()
    .where('segment_id', '=', segmentId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Per action: messages by status and skip reason, and how many were clicked. */
export async function actionCounts(
  db: Executor,
  actionIds: string[],
): Promise<{ action_id: string; status: string; reason: string | null; n: number; clicked: number }[]> {
  if (actionIds.length === 0) return [];
  const rows = await db
    .selectFrom('segment_messages')
    .where('action_id', 'in', actionIds)
    .select(['action_id', 'status', 'reason'])
    .select(sql<number | string>`count(*)`.as('n'))
    .select(sql<number | string>`count(clicked_at)`.as('clicked'))
    .groupBy(['action_id', 'status', 'reason'])
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n), clicked: Number(r.clicked) }));
}

export async function insertMessage(trx: Executor, row: SegmentMessageRow): Promise<boolean> {
  // The unique (action, customer) pair makes a second plan of the same customer a no-op.
  const result = await trx
    .insertInto('segment_messages')
    .values(row)
    .onConflict((oc) => oc.columns(['action_id', 'customer_id']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function findMessage(db: Executor, id: string) {
  return db
    .selectFrom('segment_messages as m')
    .innerJoin('segment_actions as a', 'a.id', 'm.action_id')
    .innerJoin('customers as c', 'c.id', 'm.customer_id')
    .select(['m.id', 'm.customer_id', 'm.status', 'm.channel', 'm.address', 'm.locale', 'm.send_at', 'a.kind', 'c.name'])
    .where('m.id', '=', id)
    .executeTakeFirst();
}

/** Marks a queued message sent; false when it was not queued any more (another worker got there first). */
export async function markMessageSent(db: Executor, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('segment_messages')
    .set({ status: 'sent', sent_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A queued message that must not go out after all (opted out or consent withdrawn since it was planned). */
export async function markMessageSkipped(db: Executor, id: string, reason: SkipReason): Promise<void> {
  await db.updateTable('segment_messages').set({ status: 'skipped', reason }).where('id', '=', id).where('status', '=', 'queued').execute();
}

export async function markMessageFailed(db: Executor, id: string, reason: string): Promise<void> {
  await db
    .updateTable('segment_messages')
    .set({ status: 'failed', reason: reason.slice(0, 500) })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute();
}

/** The message of a tracked link's token and its action's kind. */
export async function findMessageByToken(db: Executor, tokenHash: string) {
  return db
    .selectFrom('segment_messages as m')
    .innerJoin('segment_actions as a', 'a.id', 'm.action_id')
    .innerJoin('customers as c', 'c.id', 'm.customer_id')
    .select(['m.id', 'a.kind', 'm.channel', 'm.address', 'm.locale', 'm.status', 'c.erased_at'])
    .where('m.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * The message of a tracked link, if the link is live: the message was sent and its customer not erased. A skipped
 * or failed message never reached anyone, and an erased customer's clicks are not recorded (nor redirected).
 */
export async function findLiveMessageByToken(db: Executor, tokenHash: string): Promise<{ id: string; kind: string } | undefined> {
  const found = await findMessageByToken(db, tokenHash);
  return found && found.status === 'sent' && found.erased_at === null ? found : undefined;
}

/** Records a click on a tracked link and returns the message's action kind, or undefined for an unknown or dead link. */
export async function recordClick(db: Executor, tokenHash: string, now: Date): Promise<{ kind: string } | undefined> {
  const found = await findLiveMessageByToken(db, tokenHash);
  if (!found) return undefined;
  await db
    .updateTable('segment_messages')
    .set({ clicks: sql<number>`clicks + 1`, clicked_at: sql<string>`coalesce(clicked_at, ${now.toISOString()})` })
    .where('id', '=', found.id)
    .execute();
  return { kind: found.kind };
}

/** The last time a segment message went (or is queued to go) to the customer, for the marketing throttle. */
export async function lastSegmentMessageSince(db: Executor, customerId: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom('segment_messages')
    .select('id')
    .where('customer_id', '=', customerId)
    .where((eb) =>
      eb.or([eb('sent_at', '>=', since.toISOString()), eb.and([eb('status', '=', 'queued'), eb('created_at', '>=', since.toISOString())])]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
