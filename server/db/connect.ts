import { mkdirSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { openGroupCommitDatabase } from './group-commit.js';
import { registerNormaliseText } from './normal-text.js';
import { checkSqliteFile } from './sqlite-file.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** What a store function runs on: the database, or the transaction its caller holds. */
export type Executor = Db | Transaction<Database>;

export type Engine = 'sqlite' | 'postgres';

/**
 * Opens the database named by the configuration. SQLite runs in WAL mode (readers never wait for the writer),
 * waits up to 5 s on a lock instead of failing, enforces foreign keys, and syncs every commit (synchronous=FULL)
 * so an answer or a 'sent' mark that was committed survives a power cut. PostgreSQL gets a connection pool whose
 * 64-bit integers and numerics come back as numbers, as SQLite gives them (counts and sums are far below 2^53).
 */
export function openDatabase(database: Config['database']): Db {
  if (database.kind === 'postgres') {
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool: openPostgresPool(database.url) }) });
  }
  // A folder, an unreadable file, random bytes or another application's database: refused, naming DATABASE_URL.
  checkSqliteFile(database.path);
  // Group commit: concurrent writes share one synchronous=FULL commit; each is answered only once it is on disk.
  return openGroupCommitDatabase<Database>(database.path, () => openSqlite(database.path));
}

/**
 * The database of the configuration, for the server and the CLI: the data folder (Hami's own, where the default
 * SQLite file lives) is made on first use; a DATABASE_URL elsewhere must name a folder that exists, so a typo in
 * it (a volume not mounted) stops start-up instead of quietly starting an empty database in a new folder.
 */
export function openConfiguredDatabase(config: Pick<Config, 'dataDir' | 'database'>): Db {
  mkdirSync(config.dataDir, { recursive: true });
  return openDatabase(config.database);
}

/** Which engine runs behind `db`, for the few queries that must be written differently (locking, JSON). */
export function engineOf(db: Kysely<Database> | Kysely<unknown>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

function openSqlite(path: string): SQLite.Database {
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = FULL');
  // A row rewritten in another size moves within its page and leaves the old copy behind as free space; FAST zeroes
  // such freed space in the pages a write touches anyway (no extra I/O), so an erased customer's old values do
  // not linger there (server/privacy/redact.ts zeroes whole freed pages too, for the erasure itself).
  sqlite.pragma('secure_delete = FAST');
  // Comment search compares normal forms (server/db/normal-text.ts).
  registerNormaliseText(sqlite);
  return sqlite;
}

/** The pool's own type parsers, so the process-wide pg defaults stay untouched for anyone else. */
function numericTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  const toNumber = (value: string) => Number(value);
  types.setTypeParser(pg.types.builtins.INT8, toNumber);
  types.setTypeParser(pg.types.builtins.NUMERIC, toNumber);
  return types;
}

function openPostgresPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 10, types: numericTypes() });
  // A connection the server dropped (restart, failover, pg_terminate_backend) must not crash the process. Idle
  // ones are reported on the pool, which replaces them; one checked out between two statements of a transaction
  // reports on the client itself, with no listener an uncaught exception: its next query fails instead, and the
  // pool drops it on release since it is no longer queryable.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
