import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { openGroupCommitDatabase } from './group-commit.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/**
 * Opens the database named by the configuration. SQLite runs in WAL mode (readers never wait for the writer),
 * waits up to 5 s on a lock instead of failing, enforces foreign keys, and syncs every commit (synchronous=FULL)
 * so an answer or a 'sent' mark that was committed survives a power cut.
 */
export function openDatabase(database: Config['database']): Db {
  if (database.kind === 'postgres') {
    throw new Error('DATABASE_URL names PostgreSQL, which this version does not support yet: use file:PATH for SQLite.');
  }
  // Group commit: concurrent writes share one synchronous=FULL commit; each is answered only once it is on disk.
  return openGroupCommitDatabase<Database>(database.path, () => openSqlite(database.path));
}

function openSqlite(path: string): SQLite.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = FULL');
  return sqlite;
}
