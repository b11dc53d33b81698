import { createHash } from 'node:crypto';
import type { ThemeDefinition } from '../../shared/themes/theme.js';

/*
 * The dictionary in force: Hami's built-in themes, each replaced by the admin's edit of it when there is one, then the
 * admin's own themes by id. Pure: the store reads the edits, the built-ins come from shared/themes/built-in.ts.
 */

export function dictionaryInForce(builtIns: readonly ThemeDefinition[], edits: readonly ThemeDefinition[]): ThemeDefinition[] {
  const byId = new Map(edits.map((edit) => [edit.id, edit]));
  const shipped = new Set(builtIns.map((theme) => theme.id));
  return [
    ...builtIns.map((theme) => ({ ...(byId.get(theme.id) ?? theme), id: theme.id, builtIn: true })),
    ...edits
      .filter((edit) => !shipped.has(edit.id))
      .map((edit) => ({ ...edit, builtIn: false }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
  ];
}

/**
 * What the tags depend on: each enabled theme's id and terms (labels do not change a tag). Two dictionaries with one
 * fingerprint tag every comment alike, so a re-tag is due exactly when the fingerprint changes.
 */
export function dictionaryFingerprint(themes: readonly ThemeDefinition[]): string {
  const tagging = themes
    .filter((theme) => theme.enabled)
    .map((theme) => [theme.id, theme.terms.en, theme.terms.fa])
    .sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(tagging)).digest('hex').slice(0, 32);
}
