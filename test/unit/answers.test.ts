import { beforeAll, describe, expect, test } from 'vitest';
import { choicesOf, npsScoreOf, parseAnswer, parseAnswers } from '../../shared/answers.js';
import type { Question, SurveyDefinition } from '../../shared/survey-schema.js';
import { loadSurveys, type SurveyCatalog } from '../../server/surveys.js';

let catalog: SurveyCatalog;
beforeAll(() => {
  catalog = loadSurveys();
});

function survey(id: string): SurveyDefinition {
  const found = catalog.byId(id);
  if (!found) throw new Error(`test setup: no survey "${id}"`);
  return found;
}

function question(surveyId: string, questionId: string): Question {
  const found = survey(surveyId).questions.find((q) => q.id === questionId);
  if (!found) throw new Error(`test setup: no question "${questionId}" in "${surveyId}"`);
  return found;
}

describe('parseAnswer on the NPS question (post-purchase)', () => {
  test.each([
    ['0', 0],
    ['10', 10],
    ['۸', 8],
    ['٣', 3],
    [' 9 ', 9],
  ])('%j is the score %i', (raw, expected) => {
    expect(parseAnswer(question('post-purchase', 'nps'), raw)).toEqual({ value: expected });
  });

  test.each(['11', '-1', '7.5', 'ten'])('%j is an error naming the range 0 to 10', (raw) => {
    expect(parseAnswer(question('post-purchase', 'nps'), raw)).toEqual({ error: 'must be a whole number from 0 to 10' });
  });

  test.each(['', '   '])('%j is "not answered": neither a value nor an error (a skip is not a zero)', (raw) => {
    expect(parseAnswer(question('post-purchase', 'nps'), raw)).toEqual({});
  });
});

describe('parseAnswer on the CSAT question (post-resolution)', () => {
  test('uses the 1–5 scale: 0 and 6 are errors, 1 and 5 are answers', () => {
    const q = question('post-resolution', 'csat');
    expect(parseAnswer(q, '0')).toEqual({ error: 'must be a whole number from 1 to 5' });
    expect(parseAnswer(q, '6')).toEqual({ error: 'must be a whole number from 1 to 5' });
    expect(parseAnswer(q, '1')).toEqual({ value: 1 });
    expect(parseAnswer(q, '۵')).toEqual({ value: 5 });
  });
});

describe('parseAnswer on a yes/no question (follow-up "solved")', () => {
  test.each(['yes', 'Yes', 'YES', ' yes ', 'y', 'true', '1', 'بله', 'آری'])('%j is yes', (raw) => {
    expect(parseAnswer(question('follow-up', 'solved'), raw)).toEqual({ value: true });
  });

  test.each(['no', 'No', 'n', 'false', '0', 'خیر', 'نه'])('%j is no', (raw) => {
    expect(parseAnswer(question('follow-up', 'solved'), raw)).toEqual({ value: false });
  });

  test.each(['maybe', '2', 'yess', 'شاید'])('%j is an error', (raw) => {
    expect(parseAnswer(question('follow-up', 'solved'), raw)).toEqual({ error: 'must be yes or no' });
  });
});

describe('parseAnswer on a text question', () => {
  test('the real survey text questions default to 2000 characters', () => {
    const q = question('post-purchase', 'reason');
    expect(q.type === 'text' && q.maxLength).toBe(2000);
  });

  test('text up to maxLength is kept, trimmed', () => {
    const q = question('post-purchase', 'reason');
    expect(parseAnswer(q, '  ارسال دیر بود  ')).toEqual({ value: 'ارسال دیر بود' });
    const exactly = 'x'.repeat(2000);
    expect(parseAnswer(q, exactly)).toEqual({ value: exactly });
  });

  test('text over maxLength is an error naming the limit', () => {
    const q = question('post-purchase', 'reason');
    expect(parseAnswer(q, 'x'.repeat(2001))).toEqual({ error: 'must be at most 2000 characters' });
  });

  test('the limit is the question’s own maxLength', () => {
    const q: Question = { id: 'note', type: 'text', optional: true, maxLength: 5, text: { en: 'Note', fa: 'یادداشت' } };
    expect(parseAnswer(q, 'abcde')).toEqual({ value: 'abcde' });
    expect(parseAnswer(q, 'abcdef')).toEqual({ error: 'must be at most 5 characters' });
    // the blanks around are not counted: 5 letters inside
    expect(parseAnswer(q, '  abcde  ')).toEqual({ value: 'abcde' });
  });
});

describe('parseAnswers', () => {
  test('reads every answered question of the survey and ignores fields it does not know', () => {
    const result = parseAnswers(survey('post-resolution'), {
      csat: '۴',
      solved: 'خیر',
      nps: '6',
      reason: 'Took three calls',
      submit: 'Send',
      csrf: 'abc',
    });
    expect(result).toEqual({
      answers: { csat: 4, solved: false, nps: 6, reason: 'Took three calls' },
      errors: [],
    });
  });

  test('skipped and blank questions are left out, not set to zero', () => {
    const result = parseAnswers(survey('post-purchase'), { nps: '9', reason: '   ' });
    expect(result).toEqual({ answers: { nps: 9 }, errors: [] });
    expect(parseAnswers(survey('post-purchase'), {})).toEqual({ answers: {}, errors: [] });
  });

  test('invalid values are reported per question and the valid ones are still read', () => {
    const result = parseAnswers(survey('post-resolution'), { csat: '9', solved: 'perhaps', nps: '10' });
    expect(result.answers).toEqual({ nps: 10 });
    expect(result.errors).toEqual([
      { questionId: 'csat', message: 'must be a whole number from 1 to 5' },
      { questionId: 'solved', message: 'must be yes or no' },
    ]);
  });
});

describe('npsScoreOf', () => {
  test('is the answer to the survey’s NPS question', () => {
    expect(npsScoreOf(survey('post-resolution'), { csat: 2, nps: 4 })).toBe(4);
  });

  test('0 is a score, not "no score"', () => {
    expect(npsScoreOf(survey('post-purchase'), { nps: 0 })).toBe(0);
  });

  test('null when the NPS question was skipped', () => {
    expect(npsScoreOf(survey('post-resolution'), { csat: 5, solved: true })).toBeNull();
  });

  test('null for a survey that asks no NPS question', () => {
    // follow-up asks "solved" (yes/no) and a comment only
    expect(npsScoreOf(survey('follow-up'), { solved: true, nps: 9 })).toBeNull();
  });
});

describe('choicesOf', () => {
  test('the NPS scale is 0..10, lowest first', () => {
    const choices = choicesOf(question('post-purchase', 'nps'));
    expect(choices.map((c) => c.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(choices.map((c) => c.value)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  });

  test('the CSAT scale is 1..5, lowest first', () => {
    expect(choicesOf(question('post-resolution', 'csat'))).toEqual([
      { value: '1', label: 1 },
      { value: '2', label: 2 },
      { value: '3', label: 3 },
      { value: '4', label: 4 },
      { value: '5', label: 5 },
    ]);
  });

  test('a CES scale is 1..7', () => {
    const q: Question = {
      id: 'effort',
      type: 'ces',
      optional: false,
      text: { en: 'Effort?', fa: 'سختی؟' },
      lowLabel: { en: 'Low', fa: 'کم' },
      highLabel: { en: 'High', fa: 'زیاد' },
    };
    expect(choicesOf(q).map((c) => c.label)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test('yes/no is yes then no', () => {
    expect(choicesOf(question('follow-up', 'solved'))).toEqual([
      { value: 'yes', label: 'yes' },
      { value: 'no', label: 'no' },
    ]);
  });

  test('a text question has no choices', () => {
    expect(choicesOf(question('follow-up', 'comment'))).toEqual([]);
  });

  test('every choice value reads back as its own answer', () => {
    for (const q of [question('post-purchase', 'nps'), question('post-resolution', 'csat'), question('follow-up', 'solved')]) {
      const read = choicesOf(q).map((c) => parseAnswer(q, c.value).value);
      const expected = choicesOf(q).map((c) => (c.label === 'yes' ? true : c.label === 'no' ? false : c.label));
      expect(read).toEqual(expected);
    }
  });
});
