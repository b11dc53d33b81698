import { choicesOf } from './answers.js';
import { localDigits, messagesFor, withBrand } from './customer-messages.js';
import type { Locale } from './locale.js';
import type { SurveyDefinition } from './survey-schema.js';

/*
 * What a survey invitation looks like in Bale (pure, no I/O): the text and the inline keyboard of the one-tap
 * question. The keyboard's shape is the Bot API's InlineKeyboardMarkup (Bale's bot API copies Telegram's:
 * docs.bale.ai, "inline_keyboard": rows of { text, callback_data }), which Safir takes in message_data.message
 * (see server/channels/bale/safir.ts for where that shape comes from).
 */

export interface InlineButton {
  text: string;
  callback_data: string;
}

export interface InlineKeyboard {
  inline_keyboard: InlineButton[][];
}

/** Bot API limit on callback_data: 1–64 bytes. Ours is at most 2 + 22 (token) + 1 + 3. */
const CALLBACK_DATA_MAX = 64;

type BaleCallback = { kind: 'answer'; token: string; value: string } | { kind: 'opt_out'; token: string };

/** The callback data of a button: `a:<link token>:<value>` answers, `u:<link token>` opts out of Bale. */
export function callbackData(callback: BaleCallback): string {
  const data = callback.kind === 'answer' ? `a:${callback.token}:${callback.value}` : `u:${callback.token}`;
  if (new TextEncoder().encode(data).length > CALLBACK_DATA_MAX) throw new Error(`callback data longer than ${CALLBACK_DATA_MAX} bytes`);
  return data;
}

/** Reads a button's callback data; anything not of our making is null. */
export function parseCallbackData(data: string): BaleCallback | null {
  const answer = /^a:([A-Za-z0-9_-]{22}):(\d{1,2}|yes|no)$/.exec(data);
  if (answer) return { kind: 'answer', token: answer[1]!, value: answer[2]! };
  const optOut = /^u:([A-Za-z0-9_-]{22})$/.exec(data);
  return optOut ? { kind: 'opt_out', token: optOut[1]! } : null;
}

/** Eleven buttons do not fit one row on a phone: 0–5 over 6–10, as the email lays them out. */
const PER_ROW = 7;

function rowsOf<T>(items: readonly T[]): T[][] {
  if (items.length <= PER_ROW) return [[...items]];
  const first = Math.ceil(items.length / 2);
  return [items.slice(0, first), items.slice(first)];
}

/**
 * The one-tap question as buttons, then a last row to stop Bale messages. Rows are given in the order the Bot API
 * draws them, left to right; in Persian each row is reversed so 0 is at the right and 10 at the left — the tested
 * right-to-left rule of the page and the email (shared/answers.ts choicesOf), here made explicit because a keyboard
 * is not laid out by the text's direction.
 */
export function baleKeyboard(survey: SurveyDefinition, locale: Locale, token: string): InlineKeyboard {
  const m = messagesFor(locale);
  const question = survey.questions.find((q) => q.id === survey.oneTap)!;
  const buttons = choicesOf(question).map((choice) => ({
    text: typeof choice.label === 'number' ? localDigits(choice.label, locale) : m[choice.label],
    callback_data: callbackData({ kind: 'answer', token, value: choice.value }),
  }));
  const rows = rowsOf(buttons).map((row) => (locale === 'fa' ? row.reverse() : row));
  return { inline_keyboard: [...rows, [{ text: m.optOut, callback_data: callbackData({ kind: 'opt_out', token }) }]] };
}

/**
 * The invitation's text: "{brand}: " first, as in an SMS, the reminder word for the one reminder, the survey's
 * intro, its one-tap question, and the link (for the other questions, and for Bale clients that cannot show buttons).
 */
export function baleInvitationText(input: {
  survey: SurveyDefinition;
  locale: Locale;
  link: string;
  brandName: string | null;
  reminder: boolean;
}): string {
  const { survey, locale } = input;
  const m = messagesFor(locale);
  const question = survey.questions.find((q) => q.id === survey.oneTap)!;
  const intro = withBrand(input.brandName, (input.reminder ? m.reminderPrefix : '') + survey.intro[locale]);
  return `${intro}\n\n${question.text[locale]}\n${m.baleOpenSurvey} ${input.link}`;
}
