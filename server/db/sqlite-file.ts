import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { ConfigError } from '../config.js';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const MIGRATIONS_TABLE = 'kysely_migration';

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | null)?.code ?? String(error);
}

/**
 * Checks the SQLite file DATABASE_URL names before anything opens it for writing, so that a wrong path stops
 * start-up with the variable and the path named instead of a driver message, and a file that is not Hami's is
 * left exactly as it was: opening it for writing would switch it to WAL and add Hami's migration tables. A missing
 * file in an existing folder is fine (a new database); an empty file too (that is how SQLite starts one).
 */
export function checkSqliteFile(file: string): void {
  if (file === ':memory:') return;
  const shown = path.resolve(file);
  const refuse = (what: string) => new ConfigError('DATABASE_URL', `a SQLite database file Hami can use, but ${shown} ${what}`, undefined);

  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw refuse(`cannot be reached (${errorCode(error)})`);
    const folder = path.dirname(shown);
    let parent;
    try {
      parent = statSync(folder);
    } catch (parentError) {
      throw refuse(`is in a folder that cannot be reached: ${folder} (${errorCode(parentError)}; create it or correct the path)`);
    }
    if (!parent.isDirectory()) throw refuse(`is in ${folder}, which is not a folder`);
    return;
  }
  if (stats.isDirectory()) throw refuse('is a folder (name a file inside it, such as hami.db)');
  if (!stats.isFile()) throw refuse('is not a regular file');
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw refuse(`cannot be read and written by this process (${errorCode(error)})`);
  }
  if (stats.size === 0) return;

  const header = Buffer.alloc(SQLITE_HEADER.length);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw refuse(`cannot be read (${errorCode(error)})`);
  }
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!header.equals(SQLITE_HEADER)) throw refuse('is not a SQLite database');

  let tables: string[];
  const probe = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    tables = probe.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").pluck().all() as string[];
  } catch (error) {
    throw refuse(`cannot be read as a SQLite database (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    probe.close();
  }
  if (tables.length > 0 && !tables.includes(MIGRATIONS_TABLE)) {
    const named = tables.slice(0, 3).join(', ') + (tables.length > 3 ? ', …' : '');
    throw refuse(`holds another application's tables (${named}) and no Hami migrations; it was left untouched`);
  }
}
