import type { ImportRowError } from '../../shared/api/imports.js';
import { isLocale, type Locale } from '../../shared/locale.js';
import { label, type Messages } from './messages.js';

/** An error answer of the API as the dashboard got it: `{ error: { code, message, field? } }`. */
interface ApiErrorParts {
  code: string;
  /** The server's own words (English), kept for codes the dashboard does not know. */
  message: string;
  /** The input at fault as a dotted path ("customer.email"). */
  field?: string;
}

/**
 * The field in the dashboard's language ("Email" / "ایمیل"): by its last part ("customer.email"), else by its first
 * ("label.fa", "terms.en.3": a theme's name, its words); an unknown one by its own name, isolated.
 */
function fieldName(m: Messages, field: string): string {
  const parts = field.split('.');
  // A field given in both languages ("label.fa", "terms.en.3") says which one: "Name (Persian)".
  const language = parts.slice(1).find((part): part is Locale => isLocale(part));
  for (const part of [parts[parts.length - 1]!, parts[0]!]) {
    const known = label(m, 'field', part);
    // label() gives the raw name back when there is no message.
    if (known !== part) return language ? `${known} (${label(m, 'locale', language)})` : known;
  }
  // A Latin identifier inside Persian text.
  return `\u2068${field}\u2069`;
}

/**
 * The message the dashboard shows for an API error, in its own language: each known `code` has one; an unknown
 * code falls back to the server's message. For invalid input the English dashboard shows the server's words,
 * which say exactly what the value must be; the Persian one names the field in Persian.
 */
export function apiErrorMessage(m: Messages, error: ApiErrorParts): string {
  const field = error.field ? fieldName(m, error.field) : null;
  switch (error.code) {
    case 'invalid_input':
    case 'invalid_change':
      return field ? m.invalidField(field, error.message) : m.invalidInput(error.message);
    case 'duplicate':
      return m.duplicateField(field ?? fieldName(m, 'value'));
  }
  const known = label(m, 'apiError', error.code);
  return known === error.code ? error.message : known;
}

/**
 * What is wrong with an imported row, in the dashboard's language; null when only the server's (English) reason
 * says it. English shows that reason as it is: it is the most precise English, naming the allowed values.
 */
export function importProblemText(m: Messages, locale: Locale, error: ImportRowError): string | null {
  if (locale === 'en' || !error.code) return locale === 'en' ? error.reason : null;
  const known = label(m, 'importProblem', error.code);
  return known === error.code ? null : known;
}
