import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/** A backup that cannot be made as asked (the target exists, no database there…): one line for the person. */
export class BackupRefused extends Error {
  override name = 'BackupRefused';
}

export interface BackupProgress {
  copiedPages: number;
  totalPages: number;
}

interface BackupResult {
  source: string;
  target: string;
  pages: number;
  bytes: number;
  ms: number;
  /** Times the copy started over because the running server changed the database meanwhile. */
  restarts: number;
}

/** Pages copied per step: small enough to report progress, large enough that a busy server rarely restarts a step. */
const PAGES_PER_STEP = 1000;
/** After this many restarts the rest is copied in one step, which a writer cannot interrupt (WAL: it does not wait for us). */
const RESTARTS_BEFORE_ONE_STEP = 2;
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the SQLite database at `source` to `target` with SQLite's online backup API, while the server keeps
 * reading and writing it: the copy is one consistent state of the database (every transaction committed before the
 * copy's last step, none half). It is written next to the target as `.partial`, checked with integrity_check and
 * switched to a single self-contained file (no -wal/-shm), then renamed into place, so a backup that fails or is
 * interrupted never leaves something that looks like a good backup.
 */
export async function backupSqlite(
  source: string,
  target: string,
  options: { force?: boolean; onProgress?: (progress: BackupProgress) => void } = {},
): Promise<BackupResult> {
  const from = path.resolve(source);
  const to = path.resolve(target);
  if (from === to) throw new BackupRefused(`the backup file cannot be the database itself (${from})`);
  if (!existsSync(from))
    throw new BackupRefused(`there is no database at ${from}: nothing to back up (check DATABASE_URL / HAMI_DATA_DIR)`);
  if (!existsSync(path.dirname(to))) throw new BackupRefused(`the folder ${path.dirname(to)} does not exist: create it first`);
  if (existsSync(to)) {
    if (!options.force) throw new BackupRefused(`${to} already exists: choose another file, or add --force to overwrite it`);
    if (statSync(to).isDirectory()) throw new BackupRefused(`${to} is a folder: name the backup file`);
  }

  const partial = `${to}.partial`;
  for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(leftover, { force: true });
  const started = performance.now();
  const db = new SQLite(from, { fileMustExist: true });
  let restarts = 0;
  let pages = 0;
  try {
    db.pragma('busy_timeout = 5000');
    let lastRemaining = Infinity;
    const result = await db.backup(partial, {
      progress({ totalPages, remainingPages }) {
        if (remainingPages > lastRemaining) restarts++;
        lastRemaining = remainingPages;
        options.onProgress?.({ copiedPages: totalPages - remainingPages, totalPages });
        return restarts >= RESTARTS_BEFORE_ONE_STEP ? ALL_PAGES : PAGES_PER_STEP;
      },
    });
    pages = result.totalPages;
    options.onProgress?.({ copiedPages: pages, totalPages: pages });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }

  try {
    verifyAndSeal(partial);
    if (options.force) rmSync(to, { force: true });
    for (const stale of [`${to}-wal`, `${to}-shm`]) rmSync(stale, { force: true });
    renameSync(partial, to);
  } catch (error) {
    for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(leftover, { force: true });
    throw error;
  }
  return { source: from, target: to, pages, bytes: statSync(to).size, ms: Math.round(performance.now() - started), restarts };
}

/** The copy must pass integrity_check; it is then made one file (rollback journal mode), fit to copy anywhere. */
function verifyAndSeal(file: string): void {
  const copy = new SQLite(file, { fileMustExist: true });
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok')
      throw new Error(`the backup copy failed its integrity check (${String(check)}); the database was not changed, try again`);
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}
