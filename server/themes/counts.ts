import type { MetricsFilter, MetricsSource } from '../../shared/api/metrics.js';
import type { Db } from '../db/connect.js';
import { SCORE_COLUMNS, THEME_DIMENSION, addCounts, countsOf, emptyCounts, hasComment, type Counts } from '../metrics/contribution.js';
import { matchesAttributes } from '../metrics/source.js';
import { rollupDays, whereFilter } from '../metrics/store.js';
import type { DayCounts } from '../metrics/trends.js';
import type { SurveyCatalog } from '../surveys.js';

/*
 * The per-day counts behind the themes views: all answers, the commenters (key '') and each theme's commenters. From
 * the rollups when the filter has no attribute (the '#theme' rows carry no attribute, so a combination is not in
 * them), else from a scan of the responses in range, counted by the same contribution rules.
 */

export interface ThemeDays {
  source: MetricsSource;
  overall: DayCounts[];
  /** '' → responses with a comment; a theme id → those tagged with it. Days in order. */
  byTheme: Map<string, DayCounts[]>;
}

/** Only what the themes views read: responses and the score columns (the others stay 0). */
const READ_COLUMNS = ['responses', ...SCORE_COLUMNS] as const;

async function rollupThemeDays(db: Db, filter: MetricsFilter, withOverall: boolean): Promise<ThemeDays> {
  const [overall, rows] = await Promise.all([
    withOverall ? rollupDays(db, filter, '', '') : [],
    whereFilter(db.selectFrom('metric_rollups'), filter, 'metric_rollups')
      .where('dimension', '=', THEME_DIMENSION)
      .select(['dimension_value', 'day'])
      .select((eb) => READ_COLUMNS.map((c) => eb.fn.sum<number | string>(c).as(c)))
      .groupBy(['dimension_value', 'day'])
      .orderBy('day')
      .execute(),
  ]);
  const byTheme = new Map<string, DayCounts[]>();
  for (const row of rows) {
    const counts: DayCounts = { day: row.day, ...emptyCounts() };
    for (const c of READ_COLUMNS) counts[c] = Number(row[c]);
    let days = byTheme.get(row.dimension_value);
    if (!days) byTheme.set(row.dimension_value, (days = []));
    days.push(counts);
  }
  return { source: 'rollup', overall, byTheme };
}

async function scanThemeDays(db: Db, surveys: SurveyCatalog, filter: MetricsFilter): Promise<ThemeDays> {
  const rows = await whereFilter(db.selectFrom('responses'), filter, 'responses')
    .select(['day', 'survey_id', 'score', 'answers', 'attributes', 'comment', 'themes'])
    .orderBy('day')
    .execute();
  const sums = new Map<string, Map<string, Counts>>();
  const add = (key: string, day: string, counts: Counts) => {
    let days = sums.get(key);
    if (!days) sums.set(key, (days = new Map()));
    let sum = days.get(day);
    if (!sum) days.set(day, (sum = emptyCounts()));
    addCounts(sum, counts);
  };
  for (const row of rows) {
    if (!matchesAttributes(row.attributes, filter.attributes)) continue;
    const counts = countsOf(surveys.byId(row.survey_id), row);
    add('#all', row.day, counts);
    if (!hasComment(row.comment)) continue;
    for (const key of ['', ...(JSON.parse(row.themes) as string[])]) add(key, row.day, counts);
  }
  const daysOf = (key: string): DayCounts[] => [...(sums.get(key) ?? [])].map(([day, counts]) => ({ day, ...counts }));
  const byTheme = new Map([...sums.keys()].filter((key) => key !== '#all').map((key) => [key, daysOf(key)]));
  return { source: 'scan', overall: daysOf('#all'), byTheme };
}

/** Per-day counts; the trend needs no `overall` (only commenters and themes), so it can skip that query. */
export async function themeDays(
  db: Db,
  surveys: SurveyCatalog,
  filter: MetricsFilter,
  options: { overall?: boolean } = {},
): Promise<ThemeDays> {
  return Object.keys(filter.attributes).length === 0
    ? rollupThemeDays(db, filter, options.overall ?? true)
    : scanThemeDays(db, surveys, filter);
}

/** The range's totals (no days): what the impact view reads. */
export interface ThemeTotals {
  source: MetricsSource;
  overall: Counts;
  /** '' → responses with a comment; a theme id → those tagged with it. */
  byTheme: Map<string, Counts>;
}

/** Totals straight from SQL (one row per theme, not per theme and day): the impact view's query at a year's range. */
async function rollupThemeTotals(db: Db, filter: MetricsFilter): Promise<ThemeTotals> {
  const query = (dimension: string) =>
    whereFilter(db.selectFrom('metric_rollups'), filter, 'metric_rollups')
      .where('dimension', '=', dimension)
      .select('dimension_value')
      .select((eb) => READ_COLUMNS.map((c) => eb.fn.sum<number | string | null>(c).as(c)))
      .groupBy('dimension_value')
      .execute();
  const [overall, themes] = await Promise.all([query(''), query(THEME_DIMENSION)]);
  const countsOfRow = (row: Record<(typeof READ_COLUMNS)[number], number | string | null> | undefined) => {
    const counts = emptyCounts();
    for (const c of READ_COLUMNS) counts[c] = Number(row?.[c] ?? 0);
    return counts;
  };
  return {
    source: 'rollup',
    overall: countsOfRow(overall[0]),
    byTheme: new Map(themes.map((row) => [row.dimension_value, countsOfRow(row)])),
  };
}

const total = (days: readonly Counts[]) => days.reduce((sum, day) => addCounts(sum, day), emptyCounts());

export async function themeTotals(db: Db, surveys: SurveyCatalog, filter: MetricsFilter): Promise<ThemeTotals> {
  if (Object.keys(filter.attributes).length === 0) return rollupThemeTotals(db, filter);
  const days = await scanThemeDays(db, surveys, filter);
  return { source: 'scan', overall: total(days.overall), byTheme: new Map([...days.byTheme].map(([key, list]) => [key, total(list)])) };
}
