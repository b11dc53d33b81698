import { describe, expect, test } from 'vitest';
import { RollupSums, contributionOf, countsOf, emptyCounts, type RollupSource } from '../../server/metrics/contribution.js';
import { loadSurveys } from '../../server/surveys.js';

const surveys = loadSurveys();
const purchase = surveys.byId('post-purchase')!; // nps + text; dimensions product, region
const resolution = surveys.byId('post-resolution')!; // csat, solved, nps, text; dimensions agent, product, region

function response(change: Partial<RollupSource> & { answers?: string } = {}): RollupSource {
  return {
    day: '2026-11-23',
    survey_id: 'post-resolution',
    channel: 'email',
    locale: 'fa',
    score: null,
    answers: '{}',
    attributes: '{}',
    comment: null,
    themes: '[]',
    ...change,
  };
}

describe('countsOf: what one response adds', () => {
  test('a score of 3 counts one response and one s3', () => {
    expect(countsOf(purchase, response({ survey_id: 'post-purchase', score: 3, answers: '{"nps":3}' }))).toEqual({
      ...emptyCounts(),
      responses: 1,
      s3: 1,
    });
  });

  test('a skipped score counts the response and no score', () => {
    expect(countsOf(purchase, response({ answers: '{"reason":"late"}' }))).toEqual({ ...emptyCounts(), responses: 1 });
  });

  test.each([
    [5, 1],
    [4, 1],
    [3, 0],
    [1, 0],
  ])('CSAT %i counts one CSAT answer, %i satisfied (4–5)', (csat, satisfied) => {
    const counts = countsOf(resolution, response({ answers: JSON.stringify({ csat }) }));
    expect(counts).toMatchObject({ csat_n: 1, csat_satisfied: satisfied, ces_n: 0, solved_n: 0 });
  });

  test('"Was your problem solved?" counts answers and yeses', () => {
    expect(countsOf(resolution, response({ answers: '{"solved":true}' }))).toMatchObject({ solved_n: 1, solved_yes: 1 });
    expect(countsOf(resolution, response({ answers: '{"solved":false}' }))).toMatchObject({ solved_n: 1, solved_yes: 0 });
  });

  test('CES adds its value to the sum (post-resolution asks the effort question)', () => {
    expect(countsOf(resolution, response({ answers: '{"effort":6}' }))).toMatchObject({ ces_n: 1, ces_sum: 6 });
    expect(countsOf(resolution, response({ answers: '{"csat":4}' }))).toMatchObject({ ces_n: 0, ces_sum: 0 });
  });

  test('answers are read by question type: a number under a text question is not a CSAT', () => {
    expect(countsOf(purchase, response({ answers: '{"reason":5,"csat":5}' }))).toMatchObject({ csat_n: 0 });
  });

  test('a survey no longer in the files still counts the response and its score', () => {
    expect(countsOf(undefined, response({ score: 10, answers: '{"nps":10,"csat":5}' }))).toEqual({
      ...emptyCounts(),
      responses: 1,
      s10: 1,
    });
  });
});

describe('contributionOf: the rows a response counts in', () => {
  test('the all-responses row and one row per declared dimension the response carries', () => {
    const rows = contributionOf(resolution, response({ score: 9, attributes: '{"agent":"Sara","region":"north","tier":"gold"}' }));
    expect(rows.map((r) => [r.dimension, r.dimension_value])).toEqual([
      ['', ''],
      ['agent', 'Sara'],
      ['region', 'north'],
    ]);
    for (const row of rows)
      expect(row).toMatchObject({ day: '2026-11-23', survey_id: 'post-resolution', channel: 'email', locale: 'fa', responses: 1, s9: 1 });
  });

  test('numbers and booleans are rolled up by their text', () => {
    const rows = contributionOf(purchase, response({ survey_id: 'post-purchase', attributes: '{"product":42,"region":true}' }));
    expect(rows.slice(1).map((r) => r.dimension_value)).toEqual(['42', 'true']);
  });

  test("a comment counts in '#theme' '' (commenters) and in '#theme' per theme it was tagged with", () => {
    const rows = contributionOf(
      purchase,
      response({ survey_id: 'post-purchase', score: 2, comment: 'late and expensive', themes: '["delivery","price"]' }),
    );
    expect(rows.filter((r) => r.dimension === '#theme').map((r) => [r.dimension_value, r.responses, r.s2])).toEqual([
      ['', 1, 1],
      ['delivery', 1, 1],
      ['price', 1, 1],
    ]);
  });

  test("no comment (or only spaces): no '#theme' row", () => {
    expect(contributionOf(purchase, response({ survey_id: 'post-purchase', comment: '  ' })).map((r) => r.dimension)).toEqual(['']);
  });
});

describe('RollupSums: a change is the old contribution out, the new one in', () => {
  test('a score change 3 → 9 moves one count from s3 to s9 in every row, responses unchanged', () => {
    const before = response({ score: 3, answers: '{"nps":3}', attributes: '{"product":"p1"}' });
    const after = { ...before, score: 9, answers: '{"nps":9}' };
    const rows = new RollupSums().add(contributionOf(resolution, after)).add(contributionOf(resolution, before), -1).rows();
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toEqual({ ...row, ...emptyCounts(), s3: -1, s9: 1 });
  });

  test('an unchanged contribution writes nothing', () => {
    const same = response({ score: 7, answers: '{"nps":7,"reason":"ok"}' });
    expect(new RollupSums().add(contributionOf(resolution, same)).add(contributionOf(resolution, same), -1).rows()).toEqual([]);
  });

  test('sums add across responses by key', () => {
    const a = response({ score: 10 });
    const b = response({ score: 0, channel: 'sms' });
    const rows = new RollupSums()
      .add(contributionOf(undefined, a))
      .add(contributionOf(undefined, a))
      .add(contributionOf(undefined, b))
      .rows();
    expect(rows.map((r) => [r.channel, r.responses, r.s10, r.s0])).toEqual([
      ['email', 2, 2, 0],
      ['sms', 1, 0, 1],
    ]);
  });
});
