import { createHash } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { SqliteAdapter, sql, type Transaction } from 'kysely';
import type { Db, Executor } from '../db/connect.js';
import type { Database } from '../db/schema.js';

/** What replaces a removed text where the column cannot be null. */
export const ERASED = '[erased]';

/**
 * The stored form of an opted-out address once its owner is erased or forgotten: a SHA-256, so the address is no
 * longer in the database but the opt-out still holds if the same address comes back (delivery/store.ts isSuppressed
 * looks for both forms).
 */
export function hashedAddress(address: string): string {
  return `sha256:${createHash('sha256').update(address).digest('hex')}`;
}

/** Answers (JSON text) without their free text: scales and yes/no stay, so every score and rollup is unchanged. */
export function withoutFreeText(answersJson: string): string {
  const answers = JSON.parse(answersJson) as Record<string, unknown>;
  return JSON.stringify(Object.fromEntries(Object.entries(answers).filter(([, value]) => typeof value !== 'string')));
}

/** The free-text values of answers (JSON text), to look for elsewhere (webhook bodies, job payloads). */
export function freeTextOf(answersJson: string): string[] {
  return Object.values(JSON.parse(answersJson) as Record<string, unknown>).filter((v): v is string => typeof v === 'string');
}

/**
 * Replaces every occurrence of the known personal values in a text (longest first, so a name inside an email
 * address goes with the address). A safety net for texts whose shape we do not own: errors, excerpts, payloads.
 */
export function redactKnown(text: string, known: readonly string[]): string {
  let result = text;
  for (const value of [...known].sort((a, b) => b.length - a.length)) {
    // Too short to be personal and too likely to hit something else ("1", "ok").
    if (value.trim().length < 3) continue;
    result = result.split(value).join(ERASED);
    // As it appears inside JSON text (quotes, newlines and non-ASCII escaped).
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) result = result.split(escaped).join(ERASED);
  }
  return result;
}

/** Where the SQLite file is, for the checkpoint that empties its write-ahead log; null on PostgreSQL. */
export type SqliteFile = string | null;

/**
 * Runs `work` in one transaction so that what it overwrites or deletes leaves no trace in the SQLite file:
 * secure_delete (set on the transaction's own connection, and set back) zeroes freed cells and pages, and once the
 * transaction has committed a TRUNCATE checkpoint on a connection of its own copies the log into the file and
 * empties it, since the log still holds the old pages. On PostgreSQL the work as is (old row versions go with
 * VACUUM; see the README).
 */
export async function inTransactionWithoutTrace<T>(db: Db, file: SqliteFile, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return db.transaction().execute(work);
  const result = await db.transaction().execute(async (trx) => {
    const before = await sql<{ secure_delete: number }>`pragma secure_delete`.execute(trx);
    // 0 (off), 1 (on) or 2 (FAST, the connection's default: see server/db/connect.ts).
    const previous = [0, 1, 2].includes(Number(before.rows[0]?.secure_delete)) ? Number(before.rows[0]!.secure_delete) : 0;
    await sql`pragma secure_delete = 1`.execute(trx);
    try {
      return await work(trx);
    } finally {
      await sql.raw(`pragma secure_delete = ${previous}`).execute(trx);
    }
  });
  if (file && file !== ':memory:') emptyWriteAheadLog(file);
  return result;
}

/** Best effort: a reader in the middle of a long query can keep old pages in the log until the next checkpoint. */
function emptyWriteAheadLog(file: string): void {
  const connection = new SQLite(file);
  try {
    connection.pragma('busy_timeout = 5000');
    connection.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    connection.close();
  }
}

/** `column LIKE %value%` for each value, OR-ed, in chunks the engines accept. */
export async function idsMentioning(
  trx: Executor,
  table: 'jobs' | 'webhook_deliveries',
  column: 'payload' | 'body',
  values: readonly string[],
): Promise<string[]> {
  const found = new Set<string>();
  for (let i = 0; i < values.length; i += 100) {
    const chunk = values.slice(i, i + 100);
    // The values are UUIDs: LIKE's wildcards (% and _) never occur in them.
    const rows = await trx
      .selectFrom(table)
      .select('id')
      .where((eb) => eb.or(chunk.map((v) => sql<boolean>`${sql.ref(column)} like ${`%${v}%`}`)))
      .execute();
    for (const row of rows) found.add(row.id);
  }
  return [...found];
}

/** The SQLite file of a configuration (null for PostgreSQL). */
export function sqliteFileOf(config: { database: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string } }): SqliteFile {
  return config.database.kind === 'sqlite' ? config.database.path : null;
}
