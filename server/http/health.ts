import { constants } from 'node:fs';
import { access, statfs } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { Context } from 'hono';
import { engineOf, type Db } from '../db/connect.js';
import type { AppDeps } from '../deps.js';
import type { Logger } from '../log.js';
import { sqliteFileOf } from '../privacy/redact.js';
import { databaseTrouble } from './errors.js';

/** Below this much free space on the SQLite file's disk the next writes are about to fail: not healthy. */
const MIN_FREE_BYTES = 1024 * 1024;
const PROBE_ID = 'healthz';

type Health = { ok: true } | { ok: false; reason: 'read_only' | 'full' | 'busy' | 'write_failed'; message: string };

/** Besides a read-only database (databaseTrouble): this server lost the permission to write its file or its tables. */
const NO_WRITE_PERMISSION_CODES = new Set(['SQLITE_PERM', 'SQLITE_AUTH', 'EROFS', 'EACCES', 'EPERM', '42501']);

function unhealthy(reason: Exclude<Health, { ok: true }>['reason']): Health {
  const messages = {
    read_only: 'the database cannot be written: it is read-only or this server lost the permission to write',
    full: 'the database cannot be written: its disk is full (free disk space)',
    busy: 'the database is locked by another writer and did not take a write in time',
    write_failed: 'the database did not take a write',
  };
  return { ok: false, reason, message: messages[reason] };
}

/** What a failed probe write says about the database. */
function reasonOf(error: unknown): Exclude<Health, { ok: true }>['reason'] {
  const trouble = databaseTrouble(error);
  if (trouble) return trouble;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NO_WRITE_PERMISSION_CODES.has(code) ? 'read_only' : 'write_failed';
}

/**
 * A cheap write probe: one row rewritten in one small transaction (on SQLite it shares the group commit with other
 * writes). A database that can no longer be written — read-only (a remount, a revoked grant, PostgreSQL's
 * default_transaction_read_only), full, or locked — answers not-ok with the reason. On SQLite the file and its
 * folder must still be writable (a running server keeps writing through its open handle after a chmod, but would
 * not start again) and the disk and the page limit must leave room for the next write, which an in-place rewrite
 * of one row does not prove.
 */
async function checkHealth(db: Db, sqliteFile: string | null, now: Date, log: Logger): Promise<Health> {
  try {
    if (sqliteFile !== null && sqliteFile !== ':memory:') {
      await access(sqliteFile, constants.W_OK);
      await access(path.dirname(sqliteFile), constants.W_OK);
      const disk = await statfs(path.dirname(sqliteFile));
      if (disk.bavail * disk.bsize < MIN_FREE_BYTES) return unhealthy('full');
    }
    const full = await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('health_probe')
        .values({ id: PROBE_ID, checked_at: now.toISOString() })
        .onConflict((oc) => oc.column('id').doUpdateSet({ checked_at: now.toISOString() }))
        .execute();
      if (engineOf(trx) !== 'sqlite') return false;
      // Read on the writing connection (inside the transaction): max_page_count is that connection's own limit.
      const pragma = async (name: string) =>
        Number(Object.values((await sql.raw<Record<string, unknown>>(`PRAGMA ${name}`).execute(trx)).rows[0] ?? {})[0]);
      return (await pragma('page_count')) >= (await pragma('max_page_count')) && (await pragma('freelist_count')) === 0;
    });
    return full ? unhealthy('full') : { ok: true };
  } catch (error) {
    const reason = reasonOf(error);
    // The detail (codes, paths) goes to the log only: /healthz is public.
    log.warn('health check: the database did not take a write', { reason, error: error instanceof Error ? error.message : String(error) });
    return unhealthy(reason);
  }
}

/** GET /healthz: 200 `{ ok: true }`, or 503 `{ ok: false, reason, message }`. Requests at once share one probe. */
export function healthRoute(deps: Pick<AppDeps, 'db' | 'config' | 'clock' | 'log'>) {
  let inFlight: Promise<Health> | null = null;
  return async function healthz(c: Context) {
    inFlight ??= checkHealth(deps.db, sqliteFileOf(deps.config), deps.clock.now(), deps.log).finally(() => {
      inFlight = null;
    });
    const health = await inFlight;
    return c.json(health, health.ok ? 200 : 503);
  };
}
