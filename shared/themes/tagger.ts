import { tokenize } from '../keywords.js';
import { normaliseText } from '../text-normal.js';
import type { ThemeDefinition, ThemeTagger } from './theme.js';

/**
 * Compiles a dictionary into a tagger. First version: a theme is mentioned when one of its terms appears as a run
 * of whole words of the normalised text (stemming and negation come with the full tagger).
 */
export function compileThemes(themes: readonly ThemeDefinition[]): ThemeTagger {
  const compiled = themes
    .filter((t) => t.enabled)
    .map((t) => ({ id: t.id, terms: [...t.terms.en, ...t.terms.fa].map((term) => ` ${tokenize(term).join(' ')} `) }));
  return {
    tag(text: string): string[] {
      const words = ` ${tokenize(normaliseText(text)).join(' ')} `;
      return compiled.filter((t) => t.terms.some((term) => words.includes(term))).map((t) => t.id).sort();
    },
  };
}
