import { BUILT_IN_THEMES } from '../../shared/themes/built-in.js';
import type { ThemeDefinition, ThemeTagger } from '../../shared/themes/theme.js';
import { compileThemes } from '../../shared/themes/tagger.js';
import { hasComment } from '../metrics/contribution.js';
import { dictionaryFingerprint, dictionaryInForce } from './dictionary.js';
import { listEdits, readTagState, tagFingerprint } from './store.js';
import type { Executor } from '../db/connect.js';

/*
 * Tagging a comment as its answer is recorded. Answers are tagged with the dictionary history was last re-tagged
 * with (theme_state), not the one the admin is editing: until a re-tag applies the edits, old and new answers are
 * tagged alike and every count comes from one dictionary.
 *
 * Compiling a dictionary costs far more than tagging, so this process keeps compiled taggers by fingerprint; each
 * comment costs one primary-key read of the current fingerprint. So when any process adopts a new dictionary (a
 * re-tag in the server, or `hami themes retag` beside it), every process tags with it from its next comment on.
 */

/** A few dictionaries at most are in use at once (the old and the new one during a re-tag). */
const MAX_CACHED = 4;
const compiled = new Map<string, ThemeTagger>();

function remember(fingerprint: string, dictionary: readonly ThemeDefinition[]): ThemeTagger {
  const tagger = compileThemes(dictionary);
  if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
  compiled.set(fingerprint, tagger);
  return tagger;
}

/** The dictionary in force: the built-ins with the admin's edits, then the admin's own themes. */
export async function dictionaryOf(db: Executor): Promise<ThemeDefinition[]> {
  return dictionaryInForce(BUILT_IN_THEMES, await listEdits(db));
}

/** The tagger of a dictionary, compiled once per process. */
export function taggerForDictionary(dictionary: readonly ThemeDefinition[]): ThemeTagger {
  const fingerprint = dictionaryFingerprint(dictionary);
  return compiled.get(fingerprint) ?? remember(fingerprint, dictionary);
}

/**
 * The tagger answers are tagged with now: the adopted dictionary's; on a database never tagged yet (start-up tags it
 * before serving), the dictionary in force.
 */
async function currentTagger(db: Executor): Promise<ThemeTagger> {
  const fingerprint = await tagFingerprint(db);
  if (fingerprint === undefined) return taggerForDictionary(await dictionaryOf(db));
  const cached = compiled.get(fingerprint);
  if (cached) return cached;
  // Keyed by the fingerprint stored with the dictionary read, in case another re-tag adopted a newer one meanwhile.
  const state = (await readTagState(db))!;
  return compiled.get(state.fingerprint) ?? remember(state.fingerprint, state.dictionary);
}

/** responses.themes for a comment: its theme ids as JSON ('[]' without a comment). */
export async function themesOfComment(db: Executor, comment: string | null): Promise<string> {
  if (!hasComment(comment)) return '[]';
  return JSON.stringify((await currentTagger(db)).tag(comment));
}
