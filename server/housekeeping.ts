import { z } from 'zod';
import { deleteExpiredSessions } from './auth/sessions.js';
import type { Clock } from './clock.js';
import type { Db } from './db/connect.js';
import { ensureRecurringJob, queueNextRun } from './delivery/recurring.js';
import type { JobDefinition } from './delivery/worker.js';
import type { Logger } from './log.js';
import { deleteStaleTaps } from './responses/one-tap.js';

/*
 * Rows that stop meaning anything with time and would otherwise pile up: sessions past their end (a session token
 * hash and who it was) and one-tap rows older than the scanner window. An hourly job deletes them.
 */

export const HOUSEKEEPING_JOB = 'housekeeping';
export const HOUSEKEEPING_INTERVAL_MS = 3_600_000;

/** Deletes what has expired by `now`; returns the counts. */
async function deleteExpiredRows(db: Db, now: Date): Promise<{ sessions: number; taps: number }> {
  return { sessions: await deleteExpiredSessions(db, now), taps: await deleteStaleTaps(db, now) };
}

/** At start-up: the first run now, unless one is queued already. */
export function scheduleHousekeeping(db: Db, now: Date): Promise<void> {
  return ensureRecurringJob(db, HOUSEKEEPING_JOB, now, now);
}

export function housekeepingJob(deps: { db: Db; clock: Clock; log: Logger }): JobDefinition<Record<string, unknown>> {
  return {
    name: HOUSEKEEPING_JOB,
    schema: z.object({}).passthrough(),
    async handle(_payload, job) {
      const now = deps.clock.now();
      const deleted = await deleteExpiredRows(deps.db, now);
      if (deleted.sessions + deleted.taps > 0) deps.log.info('expired rows deleted', deleted);
      await queueNextRun(deps.db, HOUSEKEEPING_JOB, job.id, new Date(now.getTime() + HOUSEKEEPING_INTERVAL_MS), now);
    },
  };
}
