import { parseScore } from './scoring.js';
import { isScaleQuestion, scaleOf, type Question, type SurveyDefinition } from './survey-schema.js';

/** One answer value: a number for scales, true/false for yes/no, text for free text. */
export type AnswerValue = number | boolean | string;
export type Answers = Record<string, AnswerValue>;

type AnswerError = { questionId: string; message: string };

const YES = new Set(['yes', 'true', '1', 'y', 'بله', 'آری']);
const NO = new Set(['no', 'false', '0', 'n', 'خیر', 'نه']);

/**
 * Reads one raw answer (from a link, a form or an API) for `question`.
 * Returns undefined for "not answered" and an error message for a value that cannot be that answer.
 */
export function parseAnswer(question: Question, raw: string): { value?: AnswerValue; error?: string } {
  const text = raw.trim();
  if (text === '') return {};
  if (isScaleQuestion(question)) {
    const { min, max } = scaleOf(question);
    const score = parseScore(text, min, max);
    return score === null ? { error: `must be a whole number from ${min} to ${max}` } : { value: score };
  }
  if (question.type === 'yes_no') {
    const word = text.toLowerCase();
    if (YES.has(word)) return { value: true };
    if (NO.has(word)) return { value: false };
    return { error: 'must be yes or no' };
  }
  if (text.length > question.maxLength) return { error: `must be at most ${question.maxLength} characters` };
  return { value: text };
}

/**
 * Reads a submitted form: every question of the survey that has a value.
 * Unknown fields are ignored (a form may carry buttons and hidden fields); invalid values are reported per question.
 */
export function parseAnswers(
  survey: SurveyDefinition,
  raw: Record<string, string | undefined>,
): { answers: Answers; errors: AnswerError[] } {
  const answers: Answers = {};
  const errors: AnswerError[] = [];
  for (const question of survey.questions) {
    const value = raw[question.id];
    if (value === undefined) continue;
    const parsed = parseAnswer(question, value);
    if (parsed.error) errors.push({ questionId: question.id, message: parsed.error });
    else if (parsed.value !== undefined) answers[question.id] = parsed.value;
  }
  return { answers, errors };
}

/** The survey's NPS answer, if it asks one and it was answered. */
export function npsScoreOf(survey: SurveyDefinition, answers: Answers): number | null {
  const question = survey.questions.find((q) => q.type === 'nps');
  const value = question ? answers[question.id] : undefined;
  return typeof value === 'number' ? value : null;
}

/** One choice of a tappable question: `value` goes in the link or form, `label` is what the customer sees. */
export interface Choice {
  value: string;
  label: number | 'yes' | 'no';
}

/**
 * The choices of a scale or yes/no question, lowest first. In a right-to-left page the same order, laid out by the
 * browser from the right, puts 0 at the right and 10 at the left: one rule for page, email and dashboard.
 */
export function choicesOf(question: Question): Choice[] {
  if (question.type === 'yes_no')
    return [
      { value: 'yes', label: 'yes' },
      { value: 'no', label: 'no' },
    ];
  if (!isScaleQuestion(question)) return [];
  const { min, max } = scaleOf(question);
  return Array.from({ length: max - min + 1 }, (_, i) => ({ value: String(min + i), label: min + i }));
}
