import { sql, type SelectQueryBuilder } from 'kysely';
import type { CommentItem, MetricsFilter, MetricsSource, SummaryBody } from '../../shared/api/metrics.js';
import { instantAfterDay } from '../../shared/periods.js';
import { normaliseText } from '../../shared/text-normal.js';
import { engineOf, type Db } from '../db/connect.js';
import { normalisedSql } from '../db/normal-text.js';

import type { SurveyCatalog } from '../surveys.js';
import { COUNT_COLUMNS, addCounts, countsOf, emptyCounts, type Counts } from './contribution.js';
import { matchesAttributes, planSource, type SourcePlan } from './source.js';
import type { DayCounts } from './trends.js';

/*
 * The metrics queries. Days are 'YYYY-MM-DD' text and instants ISO text, compared as text on both engines; sums
 * come back as numbers whatever the driver gives (PostgreSQL returns bigint sums as strings).
 */

type ResponseFilterColumns = 'day' | 'survey_id' | 'channel' | 'locale';

/** The range and the survey/channel/locale filters on a table that has those columns (the themes views use it too). */
export function whereFilter<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  filter: MetricsFilter,
  table: string,
): SelectQueryBuilder<DB, TB, O> {
  const col = (name: ResponseFilterColumns) => sql.ref(`${table}.${name}`);
  let q = query.where(sql<boolean>`${col('day')} >= ${filter.from}`).where(sql<boolean>`${col('day')} <= ${filter.to}`);
  if (filter.survey !== undefined) q = q.where(sql<boolean>`${col('survey_id')} = ${filter.survey}`);
  if (filter.channel !== undefined) q = q.where(sql<boolean>`${col('channel')} = ${filter.channel}`);
  if (filter.locale !== undefined) q = q.where(sql<boolean>`${col('locale')} = ${filter.locale}`);
  return q;
}

/** Per-day sums from the rollup rows of one dimension value ('' / '' for all responses). */
export async function rollupDays(db: Db, filter: MetricsFilter, dimension: string, value: string): Promise<DayCounts[]> {
  const rows = await whereFilter(db.selectFrom('metric_rollups'), filter, 'metric_rollups')
    .where('dimension', '=', dimension)
    .where('dimension_value', '=', value)
    .select('day')
    .select((eb) => COUNT_COLUMNS.map((c) => eb.fn.sum<number | string>(c).as(c)))
    .groupBy('day')
    .orderBy('day')
    .execute();
  return rows.map((row) => {
    const counts = emptyCounts();
    for (const c of COUNT_COLUMNS) counts[c] = Number(row[c]);
    return { day: row.day, ...counts };
  });
}

/** Per-day counts from the responses themselves (indexed by day), attributes filtered here rather than in SQL. */
export async function scanDays(db: Db, surveys: SurveyCatalog, filter: MetricsFilter): Promise<DayCounts[]> {
  const rows = await whereFilter(db.selectFrom('responses'), filter, 'responses')
    .select(['day', 'survey_id', 'score', 'answers', 'attributes'])
    .execute();
  const byDay = new Map<string, Counts>();
  for (const row of rows) {
    if (!matchesAttributes(row.attributes, filter.attributes)) continue;
    let counts = byDay.get(row.day);
    if (!counts) byDay.set(row.day, (counts = emptyCounts()));
    addCounts(counts, countsOf(surveys.byId(row.survey_id), row));
  }
  return [...byDay].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, counts]) => ({ day, ...counts }));
}

/** The per-day counts behind every response-based view, and which source gave them (see planSource). */
export async function dailyCounts(
  db: Db,
  surveys: SurveyCatalog,
  filter: MetricsFilter,
): Promise<{ source: MetricsSource; days: DayCounts[] }> {
  const plan: SourcePlan = planSource(filter, surveys.all);
  if (plan.source === 'rollup') return { source: 'rollup', days: await rollupDays(db, filter, plan.dimension, plan.value) };
  return { source: 'scan', days: await scanDays(db, surveys, filter) };
}

/** The first instant of `day` and of the day after `to`, for half-open ranges over ISO instants. */
const dayRange = (filter: MetricsFilter) => ({ start: `${filter.from}T00:00:00.000Z`, end: instantAfterDay(filter.to) });

/**
 * The invitation funnel: invitations planned to be sent on a day in the range (by send_at), excluding skipped ones
 * (throttled, opted out, no address: never meant to go) and public-link answers (nobody was invited). Each is
 * counted at the furthest stage it reached, whenever that happened: sent (or answered, e.g. by an SMS reply),
 * opened (page visited, or answered by a one-tap link straight from the message), answered. The response rate is
 * answered / sent, as a percentage. Attribute filters match the event's and customer's attributes.
 */
export async function invitationFunnel(db: Db, filter: MetricsFilter): Promise<SummaryBody['funnel']> {
  const { start, end } = dayRange(filter);
  let query = db
    .selectFrom('invitations as i')
    .where('i.send_at', '>=', start)
    .where('i.send_at', '<', end)
    .where('i.status', '!=', 'skipped')
    .where('i.public_link_id', 'is', null);
  if (filter.survey !== undefined) query = query.where('i.survey_id', '=', filter.survey);
  if (filter.channel !== undefined) query = query.where('i.channel', '=', filter.channel);
  if (filter.locale !== undefined) query = query.where('i.locale', '=', filter.locale);
  let stages: { planned: number; sent: number; opened: number; answered: number };
  if (Object.keys(filter.attributes).length === 0) {
    const row = await query
      .select([
        sql<number | string>`count(*)`.as('planned'),
        sql<number | string>`count(case when i.sent_at is not null or i.answered_at is not null then 1 end)`.as('sent'),
        sql<number | string>`count(case when i.opened_at is not null or i.answered_at is not null then 1 end)`.as('opened'),
        sql<number | string>`count(i.answered_at)`.as('answered'),
      ])
      .executeTakeFirstOrThrow();
    stages = { planned: Number(row.planned), sent: Number(row.sent), opened: Number(row.opened), answered: Number(row.answered) };
  } else {
    const rows = await query
      .innerJoin('customers as c', 'c.id', 'i.customer_id')
      .leftJoin('events as e', 'e.id', 'i.event_id')
      .select(['i.sent_at', 'i.opened_at', 'i.answered_at', 'c.attributes as customer_attributes', 'e.attributes as event_attributes'])
      .execute();
    stages = { planned: 0, sent: 0, opened: 0, answered: 0 };
    for (const row of rows) {
      // The same merge as the response's attributes: the event's own win over the customer's.
      const merged = JSON.stringify({ ...JSON.parse(row.customer_attributes), ...JSON.parse(row.event_attributes ?? '{}') });
      if (!matchesAttributes(merged, filter.attributes)) continue;
      stages.planned++;
      if (row.sent_at !== null || row.answered_at !== null) stages.sent++;
      if (row.opened_at !== null || row.answered_at !== null) stages.opened++;
      if (row.answered_at !== null) stages.answered++;
    }
  }
  return { ...stages, responseRate: stages.sent === 0 ? null : (stages.answered / stages.sent) * 100 };
}

/** Root causes recorded on the cases of responses in range that are (still) detractors, with their attributes. */
export async function detractorCaseReasons(db: Db, filter: MetricsFilter): Promise<string[]> {
  const rows = await whereFilter(db.selectFrom('responses as r'), filter, 'r')
    .innerJoin('callback_cases as k', 'k.response_id', 'r.id')
    .where('r.bucket', '=', 'detractor')
    .where('k.reason', 'is not', null)
    .select(['k.reason', 'r.attributes'])
    .execute();
  return rows.filter((r) => matchesAttributes(r.attributes, filter.attributes)).map((r) => r.reason!);
}

/** The comments of detractors in range. */
export async function detractorComments(db: Db, filter: MetricsFilter): Promise<string[]> {
  const rows = await whereFilter(db.selectFrom('responses'), filter, 'responses')
    .where('bucket', '=', 'detractor')
    .where('comment', 'is not', null)
    .select(['comment', 'attributes'])
    .execute();
  return rows.filter((r) => matchesAttributes(r.attributes, filter.attributes)).map((r) => r.comment!);
}

/** `q` as a LIKE pattern that matches it literally anywhere: %, _ and the escape character itself are escaped. */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const COMMENT_PAGE = 200;

/**
 * The latest comments in range, newest first, with the customer's name and the callback case they opened, if any. `q` matches anywhere in the comment,
 * both in normal form (shared/text-normal.ts): case-blind, and blind to Arabic or Persian letters, ZWNJ, diacritics
 * and digit sets. `theme` keeps the comments tagged with that theme. Attribute filters
 * are applied to pages of candidates until `limit` are found.
 */
export async function latestComments(
  db: Db,
  filter: MetricsFilter,
  options: { q?: string; theme?: string; limit: number },
): Promise<CommentItem[]> {
  const items: CommentItem[] = [];
  for (let offset = 0; items.length < options.limit; offset += COMMENT_PAGE) {
    let query = whereFilter(db.selectFrom('responses as r'), filter, 'r')
      .leftJoin('customers as c', 'c.id', 'r.customer_id')
      // One case at most per response (unique response_id): the comment links to it.
      .leftJoin('callback_cases as k', 'k.response_id', 'r.id')
      .where('r.comment', 'is not', null)
      .where('r.comment', '!=', '');
    if (options.q)
      query = query.where(
        sql<boolean>`${normalisedSql(engineOf(db), sql.ref('r.comment'))} like ${containsPattern(normaliseText(options.q))} escape '\\'`,
      );
    // responses.themes is a JSON array of ids ([a-z0-9-], nothing LIKE treats specially): the quoted id is one element.
    if (options.theme) query = query.where('r.themes', 'like', `%"${options.theme}"%`);
    const rows = await query
      .select([
        'r.id',
        'k.id as case_id',
        'r.customer_id',
        'c.name',
        'r.survey_id',
        'r.channel',
        'r.locale',
        'r.score',
        'r.bucket',
        'r.comment',
        'r.answered_at',
        'r.attributes',
      ])
      .orderBy('r.answered_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(COMMENT_PAGE)
      .offset(offset)
      .execute();
    for (const row of rows) {
      if (items.length === options.limit) break;
      if (!matchesAttributes(row.attributes, filter.attributes)) continue;
      items.push({
        responseId: row.id,
        customerId: row.customer_id,
        customerName: row.name,
        surveyId: row.survey_id,
        channel: row.channel,
        locale: row.locale,
        score: row.score,
        bucket: row.bucket,
        comment: row.comment!,
        answeredAt: row.answered_at,
        caseId: row.case_id,
      });
    }
    if (rows.length < COMMENT_PAGE) break;
  }
  return items;
}

/** Survey ids and the values of each dimension that the rollups have seen. */
export async function rolledUpValues(db: Db): Promise<{ surveys: string[]; dimensions: Map<string, string[]> }> {
  const surveys = await db.selectFrom('metric_rollups').where('dimension', '=', '').select('survey_id').distinct().execute();
  const values = await db
    .selectFrom('metric_rollups')
    .where('dimension', '!=', '')
    .select(['dimension', 'dimension_value'])
    .distinct()
    .orderBy('dimension')
    .orderBy('dimension_value')
    .execute();
  const dimensions = new Map<string, string[]>();
  for (const { dimension, dimension_value } of values) dimensions.set(dimension, [...(dimensions.get(dimension) ?? []), dimension_value]);
  return { surveys: surveys.map((s) => s.survey_id), dimensions };
}
