import type { Locale } from '../locale.js';

/*
 * Comment themes ("delivery", "price", "staff"…): what a comment is about, found offline by a dictionary of words and
 * phrases in English and Persian. The tagger is pure (no I/O): the server tags each comment when the answer is
 * recorded and stores the theme ids with the response; the rollups count them per day.
 */

/** A theme id: what responses and rollups store. Lower-case ASCII letters, digits and '-', 2–40 characters. */
export const THEME_ID = /^[a-z][a-z0-9-]{1,39}$/;

/** The dictionary's limits (checked by the API, shown by the dashboard's forms): terms per language, term and name lengths. */
export const THEME_MAX_TERMS = 50;
export const THEME_TERM_MAX_LENGTH = 60;
export const THEME_LABEL_MAX_LENGTH = 60;

export interface ThemeDefinition {
  id: string;
  label: Record<Locale, string>;
  /**
   * Words and phrases that mark the theme, as people write them ("late", "arrived late", "دیر رسید"). Matched after
   * normaliseText and light stemming, so plural and possessive forms ("delays", "تأخیرها") need no entry of their own.
   */
  terms: Record<Locale, string[]>;
  /** A disabled theme tags nothing (kept so an admin can switch it back on). */
  enabled: boolean;
  /** Shipped with Hami (editable; an admin's edit overrides it) rather than added by an admin. */
  builtIn: boolean;
}

/** A dictionary compiled for tagging: built once per dictionary change, then used for every comment. */
export interface ThemeTagger {
  /** The ids of the enabled themes `text` mentions (negated mentions such as "not late" do not count), sorted. */
  tag(text: string): string[];
}
