import type { ThemeTagger } from './theme.js';

/*
 * Tagging accuracy against comments labelled by a person: per theme, precision (of the comments the tagger gave the
 * theme, the share a person gave it too), recall (of the comments a person gave the theme, the share the tagger
 * found) and support (how many comments a person gave it). Used by the unit test and the bench.
 */

export interface LabelledComment {
  text: string;
  /** The themes a person reading the comment says it raises. */
  themes: string[];
}

export interface ThemeAccuracy {
  theme: string;
  /** Comments a person labelled with the theme. */
  support: number;
  /** Comments the tagger gave the theme. */
  tagged: number;
  /** Tagged and labelled. */
  correct: number;
  /** correct / tagged; null when the tagger never gave the theme. */
  precision: number | null;
  /** correct / support; null when nobody labelled the theme. */
  recall: number | null;
}

/** Accuracy per theme, for every theme either the labels or the tagger use, in id order. */
export function evaluateTagger(tagger: ThemeTagger, comments: readonly LabelledComment[]): ThemeAccuracy[] {
  const rows = new Map<string, ThemeAccuracy>();
  const row = (theme: string) => {
    let r = rows.get(theme);
    if (!r) rows.set(theme, (r = { theme, support: 0, tagged: 0, correct: 0, precision: null, recall: null }));
    return r;
  };
  for (const comment of comments) {
    const found = new Set(tagger.tag(comment.text));
    for (const theme of comment.themes) {
      row(theme).support++;
      if (found.has(theme)) row(theme).correct++;
    }
    for (const theme of found) row(theme).tagged++;
  }
  return [...rows.values()]
    .map((r) => ({ ...r, precision: r.tagged ? r.correct / r.tagged : null, recall: r.support ? r.correct / r.support : null }))
    .sort((a, b) => (a.theme < b.theme ? -1 : a.theme > b.theme ? 1 : 0));
}
