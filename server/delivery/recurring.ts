import type { Db } from '../db/connect.js';
import { enqueueJob } from './queue.js';

/*
 * A recurring job (the daily retention purge, the hourly housekeeping) is a chain: one queued run at a time, made
 * sure of at start-up, and each run queues the next when it is done.
 */

/** Queues a run of `name` at `runAt` unless one is queued or running already (start-up, every process). */
export async function ensureRecurringJob(db: Db, name: string, runAt: Date, now: Date): Promise<void> {
  const pending = await db
    .selectFrom('jobs')
    .select('id')
    .where('name', '=', name)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  if (!pending) await enqueueJob(db, { name, payload: {}, runAt }, now);
}

/** From inside run `currentJobId`: queues the next run at `runAt` unless another process queued one already. */
export async function queueNextRun(db: Db, name: string, currentJobId: string, runAt: Date, now: Date): Promise<void> {
  const next = await db
    .selectFrom('jobs')
    .select('id')
    .where('name', '=', name)
    .where('status', '=', 'queued')
    .where('id', '!=', currentJobId)
    .executeTakeFirst();
  if (!next) await enqueueJob(db, { name, payload: {}, runAt }, now);
}
