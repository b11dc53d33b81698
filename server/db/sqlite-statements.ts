import type SQLite from 'better-sqlite3';
import type { QueryResult } from 'kysely';

/**
 * Prepared better-sqlite3 statements of one connection, by SQL text: Kysely hands over the same few SQL strings
 * again and again, and preparing one costs more than running it. Past `max` the cache starts over (a bound, not an LRU:
 * the hot statements are prepared again at once).
 */
export class StatementCache {
  private readonly cache = new Map<string, SQLite.Statement>();
  constructor(
    readonly sqlite: SQLite.Database,
    private readonly max: number,
  ) {}

  get(sql: string): SQLite.Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      if (this.cache.size >= this.max) this.cache.clear();
      statement = this.sqlite.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}

/** Runs a statement and answers as a Kysely driver does: rows for a reader, changes and the last row id for a write. */
export function runStatement<R>(statement: SQLite.Statement, parameters: readonly unknown[]): QueryResult<R> {
  if (statement.reader) return { rows: statement.all(parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}
