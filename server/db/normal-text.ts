import { sql, type RawBuilder } from 'kysely';
import type SQLite from 'better-sqlite3';
import { ARABIC_INDIC_DIGITS, PERSIAN_DIGITS } from '../../shared/digits.js';
import { DROPPED_CHARACTERS, LETTER_FOLDS, normaliseText } from '../../shared/text-normal.js';
import type { Engine } from './connect.js';

/*
 * normaliseText inside a query, so a search compares the stored comment's normal form with the query's without a
 * second stored copy of every comment. SQLite calls the very same function (registered on each connection);
 * PostgreSQL spells its rules with built-ins (normalize, translate, regexp_replace, lower), from the same tables.
 */

const SQLITE_NORMALISE_FUNCTION = 'hami_normalise_text';

/** Makes normaliseText callable from SQL on a SQLite connection (null stays null). */
export function registerNormaliseText(sqlite: SQLite.Database): void {
  sqlite.function(SQLITE_NORMALISE_FUNCTION, { deterministic: true }, (text: unknown) =>
    typeof text === 'string' ? normaliseText(text) : null,
  );
}

// translate() maps one character to one character: the letter folds and both digit sets.
const TRANSLATE_FROM = Object.keys(LETTER_FOLDS).join('') + PERSIAN_DIGITS + ARABIC_INDIC_DIGITS;
const TRANSLATE_TO = Object.values(LETTER_FOLDS).join('') + '0123456789'.repeat(2);

/** The normal form of the text expression `text` (a column reference or value), as the engine computes it. */
export function normalisedSql(engine: Engine, text: RawBuilder<unknown> | ReturnType<typeof sql.ref>): RawBuilder<string> {
  if (engine === 'sqlite') return sql<string>`${sql.raw(SQLITE_NORMALISE_FUNCTION)}(${text})`;
  const folded = sql`translate(normalize(${text}, NFKC), ${TRANSLATE_FROM}, ${TRANSLATE_TO})`;
  const dropped = sql`regexp_replace(${folded}, ${`[${DROPPED_CHARACTERS}]`}, '', 'g')`;
  return sql<string>`lower(btrim(regexp_replace(${dropped}, '\\s+', ' ', 'g')))`;
}
