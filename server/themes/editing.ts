import type { ThemeDictionaryBody, ThemeCreate, ThemeEdit } from '../../shared/api/themes.js';
import { BUILT_IN_THEMES } from '../../shared/themes/built-in.js';
import type { Db } from '../db/connect.js';
import { dictionaryFingerprint } from './dictionary.js';
import { retagProgress } from './retag.js';
import { deleteEdit, findEdit, readTagState, saveEdit } from './store.js';
import { dictionaryOf } from './tagging.js';

/*
 * The admin's changes to the dictionary. Typed results for what a person can get wrong (an unknown id, an id taken);
 * a change tags nothing until history is re-tagged (see tagging.ts for why).
 */

const isBuiltIn = (id: string) => BUILT_IN_THEMES.some((theme) => theme.id === id);

export async function dictionaryBody(db: Db): Promise<ThemeDictionaryBody> {
  const [themes, state] = await Promise.all([dictionaryOf(db), readTagState(db)]);
  const retaggedAt = state?.retaggedAt ?? null;
  return {
    themes,
    retaggedAt,
    stale: retaggedAt === null || state!.fingerprint !== dictionaryFingerprint(themes),
    retag: retagProgress(db),
  };
}

export async function editTheme(db: Db, id: string, edit: ThemeEdit, by: string, now: Date): Promise<'edited' | 'not_found'> {
  const builtIn = isBuiltIn(id);
  if (!builtIn && !(await findEdit(db, id))) return 'not_found';
  await saveEdit(db, { id, ...edit, builtIn }, by, now);
  return 'edited';
}

export async function createTheme(db: Db, input: ThemeCreate, by: string, now: Date): Promise<'created' | 'exists'> {
  if (isBuiltIn(input.id) || (await findEdit(db, input.id))) return 'exists';
  const { id, ...edit } = input;
  await saveEdit(db, { id, ...edit, builtIn: false }, by, now);
  return 'created';
}

/**
 * Deletes an own theme. A built-in is never deleted (a later version of Hami would ship it again): this resets it to
 * the shipped definition by dropping the admin's edit; PUT enabled false is how it stops tagging.
 */
export async function removeTheme(db: Db, id: string): Promise<'removed' | 'not_found'> {
  return (await deleteEdit(db, id)) ? 'removed' : 'not_found';
}
