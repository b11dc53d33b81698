/**
 * Text Hami refuses to store, wherever customer text comes in (JSON, forms, SMS replies, CSV rows): a NUL
 * character (no field needs one, and PostgreSQL cannot store it) and a lone UTF-16 surrogate (a JSON string may
 * spell one, "\ud800"; it is no character, and each driver would silently store U+FFFD in its place). Bytes that
 * are not UTF-8 are caught where the bytes are decoded.
 */

export type TextFault = 'nul' | 'lone_surrogate' | 'invalid_utf8';

/** What to say after the field's name. */
export const TEXT_FAULT_MESSAGES: Record<TextFault, string> = {
  nul: 'must not contain a NUL character',
  lone_surrogate: 'must not contain a lone surrogate (half of a UTF-16 pair, such as "\\ud800")',
  invalid_utf8: 'is not valid UTF-8',
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The reason `text` cannot be stored, or null when it can. */
export function textFault(text: string): TextFault | null {
  if (text.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(text)) return 'lone_surrogate';
  return null;
}
