import type { Answers } from '../../shared/answers.js';
import { csat } from '../../shared/scoring.js';
import type { SurveyDefinition } from '../../shared/survey-schema.js';
import type { MetricRollupsTable, ResponseRow } from '../db/schema.js';

/*
 * What one response adds to the per-day rollups. The one definition used by the incremental update (inside the
 * answer's transaction), the full rebuild and the scan path, so the three cannot disagree.
 */

export const SCORE_COLUMNS = ['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10'] as const;
export const COUNT_COLUMNS = [
  'responses',
  ...SCORE_COLUMNS,
  'csat_n',
  'csat_satisfied',
  'ces_n',
  'ces_sum',
  'solved_n',
  'solved_yes',
] as const;
export const KEY_COLUMNS = ['dimension', 'dimension_value', 'day', 'survey_id', 'channel', 'locale'] as const;

export type CountColumn = (typeof COUNT_COLUMNS)[number];
export type Counts = Record<CountColumn, number>;
export type RollupKey = Pick<MetricRollupsTable, (typeof KEY_COLUMNS)[number]>;
export type RollupRow = RollupKey & Counts;

/** The stored columns of a response that the rollups read (answers, attributes and themes as their JSON text). */
export type RollupSource = Pick<
  ResponseRow,
  'day' | 'survey_id' | 'channel' | 'locale' | 'score' | 'answers' | 'attributes' | 'comment' | 'themes'
>;

/**
 * The rollup dimension of comment themes: value '' counts the responses with a comment (the "commenters"), value
 * <theme id> those whose comment was tagged with it. '#' cannot start a survey's dimension (shared/survey-schema.ts).
 */
export const THEME_DIMENSION = '#theme';

/** Whether a response has a comment worth counting (and tagging): some text besides spaces. */
export function hasComment(comment: string | null): comment is string {
  return comment !== null && comment.trim() !== '';
}

/** The question id of "Was your problem solved?" in every survey that asks it. */
const SOLVED_QUESTION = 'solved';

const ZERO_COUNTS = Object.freeze(Object.fromEntries(COUNT_COLUMNS.map((c) => [c, 0])) as Counts);

export function emptyCounts(): Counts {
  // Spreading a template is several times faster than building the object, and a rebuild makes millions.
  return { ...ZERO_COUNTS };
}

/** Adds `counts` × `sign` into `into` (sign −1 takes a contribution back out). */
export function addCounts(into: Counts, counts: Counts, sign: 1 | -1 = 1): Counts {
  for (const column of COUNT_COLUMNS) into[column] += sign * counts[column];
  return into;
}

/**
 * The counts of one response: itself, its score's column, and its CSAT, CES and "solved" answers as the survey's
 * question types say (a survey no longer in the files still counts its responses and scores).
 */
export function countsOf(survey: SurveyDefinition | undefined, response: Pick<RollupSource, 'score' | 'answers'>): Counts {
  const counts = emptyCounts();
  counts.responses = 1;
  const scoreColumn = response.score === null ? undefined : SCORE_COLUMNS[response.score];
  if (scoreColumn) counts[scoreColumn] = 1;
  const answers = JSON.parse(response.answers) as Answers;
  for (const question of survey?.questions ?? []) {
    const value = answers[question.id];
    if (question.type === 'csat' && typeof value === 'number') {
      counts.csat_n += 1;
      counts.csat_satisfied += csat([value]).satisfied;
    } else if (question.type === 'ces' && typeof value === 'number') {
      counts.ces_n += 1;
      counts.ces_sum += value;
    } else if (question.type === 'yes_no' && question.id === SOLVED_QUESTION && typeof value === 'boolean') {
      counts.solved_n += 1;
      counts.solved_yes += value ? 1 : 0;
    }
  }
  return counts;
}

/** An attribute value as the rollups and filters compare it: numbers and booleans by their text ("3", "true"). */
function attributeText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * The attribute `name` of a parsed attribute map as text, only when the map holds it itself: `toString` or
 * `constructor` must not be found on Object.prototype, or a filter on them would match a function's text.
 */
export function attributeTextOf(attributes: Readonly<Record<string, unknown>>, name: string): string | undefined {
  return Object.hasOwn(attributes, name) ? attributeText(attributes[name]) : undefined;
}

/**
 * The rows a response counts in: the all-responses row (dimension '') and one row per dimension its survey
 * declares, for the value the response carries (a response without that attribute has no row for it).
 */
export function contributionOf(survey: SurveyDefinition | undefined, response: RollupSource): RollupRow[] {
  const counts = countsOf(survey, response);
  const base = { day: response.day, survey_id: response.survey_id, channel: response.channel, locale: response.locale };
  const rows: RollupRow[] = [{ dimension: '', dimension_value: '', ...base, ...counts }];
  const attributes = JSON.parse(response.attributes) as Record<string, unknown>;
  for (const dimension of survey?.dimensions ?? []) {
    const value = attributeTextOf(attributes, dimension);
    if (value !== undefined) rows.push({ dimension, dimension_value: value, ...base, ...counts });
  }
  rows.push(...themeRowsOf(response, counts));
  return rows;
}

/**
 * The '#theme' rows of a response with `counts` (see THEME_DIMENSION): none without a comment. They carry only the
 * response and its score (all the themes views read), so they can be moved without the survey's question types.
 */
export function themeRowsOf(response: RollupSource, counts: Counts): RollupRow[] {
  if (!hasComment(response.comment)) return [];
  const scored = emptyCounts();
  scored.responses = counts.responses;
  for (const column of SCORE_COLUMNS) scored[column] = counts[column];
  const base = {
    dimension: THEME_DIMENSION,
    day: response.day,
    survey_id: response.survey_id,
    channel: response.channel,
    locale: response.locale,
  };
  return ['', ...(JSON.parse(response.themes) as string[])].map((value) => ({ ...base, dimension_value: value, ...scored }));
}

/**
 * One string per rollup key. NUL separates the parts: only dimension_value (customer data) may contain one, and
 * with the others NUL-free (formats checked at input, names from the survey files) and it last, keys stay distinct.
 */
function rollupKeyOf(row: RollupKey): string {
  return `${row.dimension}\0${row.day}\0${row.survey_id}\0${row.channel}\0${row.locale}\0${row.dimension_value}`;
}

/** Running sums of contributions by rollup key (a change is −old +new; a rebuild adds every response). */
export class RollupSums {
  private readonly byKey = new Map<string, RollupRow>();

  add(rows: readonly RollupRow[], sign: 1 | -1 = 1): this {
    for (const row of rows) {
      const key = rollupKeyOf(row);
      let sum = this.byKey.get(key);
      if (!sum) this.byKey.set(key, (sum = { ...row, ...emptyCounts() }));
      addCounts(sum, row, sign);
    }
    return this;
  }

  /** The summed rows; those whose counts all cancel out are left out (nothing to write). */
  rows(): RollupRow[] {
    return [...this.byKey.values()].filter((row) => COUNT_COLUMNS.some((c) => row[c] !== 0));
  }
}
