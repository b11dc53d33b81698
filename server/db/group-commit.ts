import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import { runStatement, StatementCache } from './sqlite-statements.js';

/*
 * Group commit for SQLite. With synchronous=FULL every COMMIT waits for the disk (an fsync of the WAL), and that
 * wait, not the SQL, is what limits how many answers and events a second one SQLite file takes. This driver keeps
 * the promise of every commit and shares the wait between the writes that arrive together:
 *
 * - the first write opens one outer transaction (BEGIN IMMEDIATE); each Kysely transaction runs inside it as a
 *   SAVEPOINT, so a failing one rolls back only itself, and hands the connection to the next one at its RELEASE;
 * - the outer COMMIT is issued when nobody waits for the connection (after the event loop has taken in the requests
 *   that arrived meanwhile, via setImmediate), or once the group holds `maxGroup` writes or is `maxWaitMs` old;
 * - a transaction's commit (and a lone write's query) resolves only after that COMMIT has returned: an HTTP answer
 *   sent after it is on disk. If the COMMIT fails, every transaction of the group fails.
 *
 * Checkpoints (copying committed pages from the WAL into the database file, with its own disk sync) run on a third
 * connection in a worker thread, so they do not stall the commits and requests on the main thread; the writer still
 * checkpoints itself if the WAL grows past ~40 MB (the thread fell behind). Neither changes what a commit promises.
 *
 * Reads outside a transaction go to a second connection, which (WAL) sees only committed data: they never wait
 * for a group and never see a write that could still be lost. An in-memory database has no second connection, so
 * there a read made while a group is open waits for that group's commit instead.
 */

interface GroupCommitOptions {
  /** Commit once the group holds this many writes (transactions and lone statements). */
  maxGroup?: number;
  /** Commit once the group's first write is this old (ms), even if the connection is still in demand. */
  maxWaitMs?: number;
  /** Under concurrent load, let a group gather this long (ms) from its first write before it commits. */
  gatherMs?: number;
}

export interface GroupCommitStats {
  /** Writes committed: transactions and lone write statements. */
  writes: number;
  /** Outer COMMITs issued (each one disk sync). */
  commits: number;
  /** The most writes one COMMIT carried. */
  largestGroup: number;
  /** Time spent in COMMIT (the disk sync), in all and the slowest one (ms). */
  commitMs: number;
  slowestCommitMs: number;
}

const SAVEPOINT = 'hami_group_tx';
/** The longest the writer sleeps in SQLite's busy handler at a time, with the event loop stopped. */
const WRITER_BUSY_SLEEP_MS = 10;
const MAX_CACHED_STATEMENTS = 500;

class Mutex {
  private held = false;
  private readonly waiters: (() => void)[] = [];

  lock(): Promise<void> | void {
    if (!this.held) {
      this.held = true;
      return;
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Hands the lock to the next waiter (it stays held) or frees it. */
  unlock(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  get isHeld(): boolean {
    return this.held;
  }
}

interface Group {
  startedAt: number;
  size: number;
  done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/** What Kysely holds between acquireConnection and releaseConnection: one request's use of the database. */
class Lease implements DatabaseConnection {
  /** Inside a Kysely transaction (holding the writer from BEGIN to COMMIT/ROLLBACK). */
  inTransaction = false;
  /** The group this lease wrote in: its release waits for that group's commit. */
  group: Group | null = null;

  constructor(private readonly driver: GroupCommitDriver) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute<R>(this, query);
  }

  streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    return this.driver.stream<R>(this, query);
  }
}

class GroupCommitDriver implements Driver {
  private readonly writer: StatementCache;
  private readonly reader: StatementCache | null;
  private readonly writeLock = new Mutex();
  /** The reader is busy for as long as a stream iterates it. */
  private readonly readLock = new Mutex();
  private group: Group | null = null;
  private commitScheduled = false;
  private closed = false;
  readonly stats: GroupCommitStats = { writes: 0, commits: 0, largestGroup: 0, commitMs: 0, slowestCommitMs: 0 };
  private lockWaitMs: number;
  private readonly writerConnection: SQLite.Database;
  private readonly maxGroup: number;
  private readonly maxWaitMs: number;
  private readonly gatherMs: number;
  private lastGroupSize = 0;

  constructor(
    writer: SQLite.Database,
    reader: SQLite.Database | null,
    private readonly checkpointer: { stop(): Promise<void> } | null,
    options: GroupCommitOptions,
  ) {
    this.writer = new StatementCache(writer, MAX_CACHED_STATEMENTS);
    this.writerConnection = writer;
    this.reader = reader ? new StatementCache(reader, MAX_CACHED_STATEMENTS) : null;
    // The connection's busy_timeout becomes the whole wait for the lock, taken in short sleeps (see beginImmediate).
    this.lockWaitMs = Number(writer.pragma('busy_timeout', { simple: true }));
    writer.pragma(`busy_timeout = ${WRITER_BUSY_SLEEP_MS}`);
    this.maxGroup = options.maxGroup ?? 500;
    this.maxWaitMs = options.maxWaitMs ?? 20;
    this.gatherMs = options.gatherMs ?? 2;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Lease(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    await this.writeLock.lock();
    try {
      await this.join(lease);
      this.writer.get(`savepoint ${SAVEPOINT}`).run();
      lease.inTransaction = true;
    } catch (error) {
      lease.group = null;
      this.releaseWriter();
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    try {
      this.checkGroup(lease);
      this.writer.get(`release ${SAVEPOINT}`).run();
      this.stats.writes++;
    } catch (error) {
      this.undoSavepoint(lease);
      throw error;
    } finally {
      lease.inTransaction = false;
      this.releaseWriter();
    }
    // releaseConnection waits for the group's COMMIT (Kysely awaits it before the transaction resolves).
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    // A failed commit has already undone the savepoint and handed the writer on.
    if (!lease.inTransaction) return;
    try {
      this.undoSavepoint(lease);
    } finally {
      lease.inTransaction = false;
      this.releaseWriter();
    }
  }

  private undoSavepoint(lease: Lease): void {
    // After an error that ended the whole outer transaction there is nothing to roll back to.
    if (lease.group === this.group && this.writer.sqlite.inTransaction) {
      this.writer.get(`rollback to ${SAVEPOINT}`).run();
      this.writer.get(`release ${SAVEPOINT}`).run();
    }
    lease.group = null;
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint "${name}"`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to "${name}"`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release "${name}"`));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const group = (connection as Lease).group;
    (connection as Lease).group = null;
    if (group) await group.done;
  }

  async destroy(): Promise<void> {
    await this.writeLock.lock();
    try {
      if (this.group) this.commitGroup();
    } finally {
      this.closed = true;
      this.writeLock.unlock();
      await this.checkpointer?.stop();
      this.writer.sqlite.close();
      this.reader?.sqlite.close();
    }
  }

  async execute<R>(lease: Lease, query: CompiledQuery): Promise<QueryResult<R>> {
    const parameters = query.parameters as readonly unknown[];
    if (lease.inTransaction) {
      this.checkGroup(lease);
      return this.runOnWriter<R>(query.sql, parameters);
    }
    const statement = this.writer.get(query.sql);
    if (statement.readonly && !lease.group) {
      if (this.reader) {
        await this.readLock.lock();
        try {
          return runStatement<R>(this.reader.get(query.sql), parameters);
        } finally {
          this.readLock.unlock();
        }
      }
      // One connection only: a read made while a group is open could see its uncommitted writes, so it waits.
      await this.writeLock.lock();
      const open = this.group;
      try {
        return runStatement<R>(statement, parameters);
      } finally {
        this.releaseWriter();
        if (open) await open.done;
      }
    }
    // A lone write (or a read after one, which must see it): one statement in the current group.
    await this.writeLock.lock();
    try {
      await this.join(lease);
      const result = this.runOnWriter<R>(query.sql, parameters);
      this.stats.writes++;
      return result;
    } finally {
      this.releaseWriter();
    }
  }

  async *stream<R>(lease: Lease, query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('SQLite streams only select queries');
    const parameters = query.parameters as readonly unknown[];
    if (lease.inTransaction || !this.reader) {
      if (!lease.inTransaction) await this.writeLock.lock();
      try {
        for (const row of this.writer.get(query.sql).iterate(parameters)) yield { rows: [row as R] };
      } finally {
        if (!lease.inTransaction) this.releaseWriter();
      }
      return;
    }
    await this.readLock.lock();
    try {
      for (const row of this.reader.get(query.sql).iterate(parameters)) yield { rows: [row as R] };
    } finally {
      this.readLock.unlock();
    }
  }

  /**
   * BEGIN IMMEDIATE, waiting for another process's write lock (`hami import` on the same file) between event-loop
   * turns: SQLite's own busy wait would sleep the whole server until the lock is free. Each try waits at most the
   * writer's short busy_timeout; after `lockWaitMs` in all, SQLITE_BUSY is the caller's (/healthz says 'busy').
   */
  private async beginImmediate(): Promise<void> {
    const started = performance.now();
    for (let pause = 1; ; pause = Math.min(pause * 2, 10)) {
      try {
        this.writer.get('begin immediate').run();
        return;
      } catch (error) {
        const busy = error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('SQLITE_BUSY');
        if (busy) this.adoptBusyTimeout();
        if (!busy || performance.now() - started >= this.lockWaitMs) throw error;
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  /**
   * A busy_timeout set on the writer since it opened (PRAGMA busy_timeout through a transaction) is a new whole wait
   * for the lock, as it would be on a plain connection; the writer goes back to its short sleeps. Read only when the
   * lock is met, so the path without contention runs no extra statement.
   */
  private adoptBusyTimeout(): void {
    const set = Number(this.writerConnection.pragma('busy_timeout', { simple: true }));
    if (set === WRITER_BUSY_SLEEP_MS) return;
    this.lockWaitMs = set;
    this.writerConnection.pragma(`busy_timeout = ${WRITER_BUSY_SLEEP_MS}`);
  }

  /** Opens the outer transaction if none is open and counts the lease in its group. Holds the writer. */
  private async join(lease: Lease): Promise<void> {
    if (!this.group) {
      await this.beginImmediate();
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const done = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // A group nobody waits on (its only transaction rolled back) must not be an unhandled rejection.
      done.catch(() => {});
      this.group = { startedAt: performance.now(), size: 0, done, resolve, reject };
    }
    if (lease.group !== this.group) {
      lease.group = this.group;
      this.group.size++;
    }
  }

  /** A statement of a transaction whose group has already failed must not run in autocommit mode. */
  private checkGroup(lease: Lease): void {
    if (lease.group !== this.group) throw new Error('the transaction was rolled back with its commit group');
  }

  private runOnWriter<R>(sql: string, parameters: readonly unknown[]): QueryResult<R> {
    try {
      return runStatement<R>(this.writer.get(sql), parameters);
    } catch (error) {
      // Most errors undo one statement; some (disk full, I/O) end the whole transaction: then the group failed.
      if (this.group && !this.writer.sqlite.inTransaction) this.failGroup(error);
      throw error;
    }
  }

  /** Hands the writer on; commits now when the group is full or old, or soon when nobody else wants the writer. */
  private releaseWriter(): void {
    const group = this.group;
    if (group) {
      if (group.size >= this.maxGroup || performance.now() - group.startedAt >= this.maxWaitMs) this.commitGroup();
      else if (this.writeLock.waiting === 0) this.scheduleCommit();
    }
    this.writeLock.unlock();
  }

  /**
   * The COMMIT waits one turn of the event loop: requests that arrived meanwhile are read and run their
   * transactions into the same group first. If the writer is held then, its release decides.
   */
  private scheduleCommit(): void {
    if (this.commitScheduled) return;
    this.commitScheduled = true;
    const commitIfFree = () => {
      this.commitScheduled = false;
      if (this.closed || !this.group || this.writeLock.isHeld) return;
      this.commitGroup();
    };
    // Under concurrent load (the last group held more than one write) the group gathers for up to `gatherMs`
    // while the event loop reads more requests: fewer, fuller disk syncs. A lone writer commits at once.
    const wait = this.lastGroupSize > 1 ? this.group!.startedAt + this.gatherMs - performance.now() : 0;
    if (wait >= 1) setTimeout(commitIfFree, wait);
    else setImmediate(commitIfFree);
  }

  private commitGroup(): void {
    const group = this.group!;
    this.group = null;
    const started = performance.now();
    try {
      this.writer.get('commit').run();
    } catch (error) {
      if (this.writer.sqlite.inTransaction) this.writer.sqlite.exec('rollback');
      group.reject(error);
      return;
    }
    const ms = performance.now() - started;
    this.stats.commits++;
    this.stats.commitMs += ms;
    this.stats.slowestCommitMs = Math.max(this.stats.slowestCommitMs, ms);
    this.stats.largestGroup = Math.max(this.stats.largestGroup, group.size);
    this.lastGroupSize = group.size;
    group.resolve();
  }

  private failGroup(error: unknown): void {
    const group = this.group!;
    this.group = null;
    group.reject(error);
  }
}

/** A worker thread that checkpoints the WAL every `everyMs`, on its own connection. */
const CHECKPOINTER = `
const { workerData, parentPort } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = FULL');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.everyMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.postMessage('closed'); });
`;

function startCheckpointer(file: string, everyMs: number): { stop(): Promise<void> } {
  const worker = new Worker(CHECKPOINTER, {
    eval: true,
    workerData: { file, everyMs, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
  });
  worker.unref();
  // A checkpointer that failed leaves the writer's own (backstop) checkpoints: nothing to report to a request.
  worker.on('error', () => {});
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => resolve();
        worker.once('message', () => void worker.terminate().then(done, done));
        worker.once('exit', done);
        worker.postMessage('stop');
      }),
  };
}

const driverOf = new WeakMap<object, GroupCommitDriver>();

/**
 * A Kysely instance on SQLite with group commit. `open` opens and configures one connection to `file`; it is called
 * twice (writer and committed-only reader) unless the database is in memory.
 */
export function openGroupCommitDatabase<DB>(file: string, open: () => SQLite.Database, options: GroupCommitOptions = {}): Kysely<DB> {
  const inMemory = file === ':memory:';
  let driver: GroupCommitDriver | null = null;
  const db = new Kysely<DB>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => {
        const writer = open();
        const reader = inMemory ? null : open();
        if (!inMemory) writer.pragma('wal_autocheckpoint = 10000');
        return (driver = new GroupCommitDriver(writer, reader, inMemory ? null : startCheckpointer(file, 200), options));
      },
      createQueryCompiler: () => new SqliteQueryCompiler(),
      createIntrospector: (kysely) => new SqliteIntrospector(kysely),
    },
  });
  // Kysely's constructor has created the driver.
  if (driver) driverOf.set(db, driver);
  return db;
}

/** How many writes shared how many commits (for tests and the benchmark); undefined for another kind of database. */
export function groupCommitStats(db: object): GroupCommitStats | undefined {
  const stats = driverOf.get(db)?.stats;
  return stats && { ...stats };
}
