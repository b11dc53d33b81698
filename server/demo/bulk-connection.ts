import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { Database } from '../db/schema.js';
import { runStatement, StatementCache } from '../db/sqlite-statements.js';

/*
 * Loading a year of demo history one small transaction at a time spends most of its time committing (each commit
 * writes its pages to the WAL again). This second connection to the same SQLite file runs the very same store
 * and flow functions, but every transaction they open becomes a savepoint inside one long transaction that the
 * seeder commits every few hundred events, and it reuses prepared statements. Constraints, foreign keys and the
 * functions' own rollback-on-error behave as before. Only for bulk loading while nothing else writes.
 */

const MAX_STATEMENTS = 1000;

class CachingConnection implements DatabaseConnection {
  private readonly statements: StatementCache;
  constructor(sqlite: SQLite.Database) {
    this.statements = new StatementCache(sqlite, MAX_STATEMENTS);
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return runStatement<R>(this.statements.get(query.sql), query.parameters);
  }

  // biome-ignore lint/correctness/useYield: Kysely's connection interface asks for it; an import never streams.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the bulk connection does not stream');
  }
}

/** How long an import waits for the server's write lock before giving up. */
const LOCK_WAIT_MS = 30_000;

/**
 * BEGIN IMMEDIATE, waiting for the lock without blocking the event loop. SQLite's own busy wait sleeps the thread:
 * a server in the same process (the tests, Settings) could then never finish the commit it is waiting on.
 */
async function beginImmediate(sqlite: SQLite.Database): Promise<void> {
  const started = Date.now();
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    try {
      sqlite.exec('begin immediate');
      return;
    } catch (error) {
      const busy = error instanceof SQLite.SqliteError && error.code.startsWith('SQLITE_BUSY');
      if (!busy || Date.now() - started > LOCK_WAIT_MS) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

class SavepointDriver implements Driver {
  private readonly connection: CachingConnection;
  private lock: Promise<void> = Promise.resolve();
  private unlock: (() => void) | null = null;

  constructor(private readonly sqlite: SQLite.Database) {
    this.connection = new CachingConnection(sqlite);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    // One connection, one user at a time (as Kysely's own SQLite driver does).
    for (;;) {
      const held = this.lock;
      await held;
      if (this.lock === held) break;
    }
    this.lock = new Promise<void>((resolve) => (this.unlock = resolve));
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    const unlock = this.unlock;
    this.unlock = null;
    unlock?.();
  }

  /** Whether the running transaction is our own top-level one (no outer transaction around it). */
  private topLevel = false;

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    // Without an outer transaction, take the write lock up front: a transaction that reads and then writes would
    // otherwise fail at once ("database is locked", no busy wait) when the server commits in between.
    this.topLevel = !this.sqlite.inTransaction;
    if (this.topLevel) await beginImmediate(this.sqlite);
    else await connection.executeQuery(CompiledQuery.raw('savepoint app_transaction'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(this.topLevel ? 'commit' : 'release app_transaction'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.topLevel) {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
      return;
    }
    await connection.executeQuery(CompiledQuery.raw('rollback to app_transaction'));
    await connection.executeQuery(CompiledQuery.raw('release app_transaction'));
  }

  async destroy(): Promise<void> {
    this.sqlite.close();
  }
}

interface BulkConnection {
  db: Kysely<Database>;
  /** Commits what was loaded so far and goes on in a new transaction. */
  commit(): void;
  /** Commits (or, after a failure, rolls back) and closes the connection. */
  close(outcome: 'commit' | 'rollback'): Promise<void>;
}

interface BulkOptions {
  /**
   * 'OFF' (default) for re-creatable demo data. An import of real data asks for 'FULL', as the server does: a batch
   * the report counts as imported survives a power cut (one sync per batch of rows costs little).
   */
  synchronous?: 'OFF' | 'FULL';
  /**
   * True (default): one long transaction that `commit()` cuts. False: no outer transaction, so each function's
   * transaction (a savepoint with none around it) commits on its own — for an import that must not hold the
   * write lock between its batches while the server runs.
   */
  outerTransaction?: boolean;
}

/** Opens the bulk-loading connection to the SQLite file at `path` (not for ':memory:', which would be another database). */
export function openBulkConnection(path: string, options: BulkOptions = {}): BulkConnection {
  const outer = options.outerTransaction ?? true;
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  // Without an outer transaction each batch waits for the lock in beginImmediate (asynchronously) instead.
  sqlite.pragma(`busy_timeout = ${outer ? 5000 : 0}`);
  sqlite.pragma('foreign_keys = ON');
  // Re-creatable demo data: no disk sync per commit (see BulkOptions for imports).
  sqlite.pragma(`synchronous = ${options.synchronous ?? 'OFF'}`);
  // The whole demo database fits in memory: no page is read back from the file while loading.
  sqlite.pragma('cache_size = -262144');
  // Checkpoint every 64 MB of log rather than every 4 MB: each page is copied into the database file fewer times.
  sqlite.pragma('wal_autocheckpoint = 16384');
  if (outer) sqlite.exec('begin immediate');
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new SavepointDriver(sqlite),
      createQueryCompiler: () => new SqliteQueryCompiler(),
      createIntrospector: (kysely) => new SqliteIntrospector(kysely),
    },
  });
  return {
    db,
    commit() {
      if (!outer) return;
      sqlite.exec('commit');
      sqlite.exec('begin immediate');
    },
    async close(outcome) {
      if (sqlite.inTransaction) sqlite.exec(outcome);
      // A TRUNCATE checkpoint waits for the other connections and locks their writes out meanwhile: only when
      // nothing else writes (the demo seed). An import beside a running server leaves the log to the server's own
      // checkpoints.
      if (outer) sqlite.pragma('wal_checkpoint(TRUNCATE)');
      await db.destroy();
    },
  };
}
