import { sql, type Kysely } from 'kysely';
import { engineOf, type Executor } from '../db/connect.js';
import { prepared } from '../db/prepared.js';
import type { Database, Job, NewJobRow } from '../db/schema.js';
import { newRowId } from '../db/ids.js';

interface NewJob {
  name: string;
  payload: unknown;
  runAt: Date;
  maxAttempts?: number;
  /** What the job is about, when it must be found again by that (see takePendingSettle). */
  key?: string;
}

const insertJob = prepared((db, row: NewJobRow) => db.insertInto('jobs').values(row));

/**
 * Queues a job. Pass the transaction that makes the change the job belongs to, so the two commit together:
 * a job is never queued for a change that rolled back, and never missing for one that committed.
 */
export async function enqueueJob(trx: Executor, job: NewJob, now: Date): Promise<string> {
  const id = newRowId();
  await insertJob.run(trx, {
    id,
    name: job.name,
    payload: JSON.stringify(job.payload),
    key: job.key ?? null,
    status: 'queued',
    run_at: job.runAt.toISOString(),
    attempts: 0,
    max_attempts: job.maxAttempts ?? 12,
    locked_until: null,
    last_error: null,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  });
  return id;
}

const findQueuedByKey = prepared((db, p: { name: string; key: string }) =>
  db.selectFrom('jobs').select(['id', 'payload']).where('name', '=', p.name).where('key', '=', p.key).where('status', '=', 'queued'),
);
const deleteQueued = prepared((db, p: { id: string }) => db.deleteFrom('jobs').where('id', '=', p.id).where('status', '=', 'queued'));

/**
 * Removes and returns the queued job `name` queued with `key`, found on the (name, key) index. Null when there is
 * none, or a worker has claimed it meanwhile (then the worker runs it).
 */
export async function takeQueuedJob(trx: Executor, name: string, key: string): Promise<{ id: string; payload: string } | null> {
  const job = await findQueuedByKey.executeTakeFirst(trx, { name, key });
  if (!job || (await deleteQueued.run(trx, { id: job.id })) === 0) return null;
  return job;
}

/**
 * Claims up to `limit` due jobs for `leaseMs`: queued jobs whose time has come, and running jobs whose claim
 * lapsed (their worker died mid-job). The claim is one UPDATE, so two workers never take the same job:
 * - SQLite has one writer at a time, so the UPDATE's subquery and the update happen as one step;
 * - PostgreSQL runs concurrent UPDATEs, and two could pick the same ids from their subqueries; there the subquery
 *   locks the rows it picks (FOR UPDATE) and passes over rows another worker has just locked (SKIP LOCKED), so
 *   several server processes share the queue without waiting on each other or taking a job twice.
 */
export async function claimDueJobs(db: Kysely<Database>, now: Date, leaseMs: number, limit: number): Promise<Job[]> {
  const at = now.toISOString();
  let due = db
    .selectFrom('jobs')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', at)]),
        eb.and([eb('status', '=', 'running'), eb('locked_until', '<=', at)]),
      ]),
    )
    .orderBy('run_at')
    .limit(limit);
  if (engineOf(db) === 'postgres') due = due.forUpdate().skipLocked();
  return db
    .updateTable('jobs')
    .set({
      status: 'running',
      attempts: sql<number>`attempts + 1`,
      locked_until: new Date(now.getTime() + leaseMs).toISOString(),
      updated_at: at,
    })
    .where('id', 'in', due)
    .returningAll()
    .execute();
}

export async function completeJob(db: Executor, id: string, now: Date): Promise<void> {
  await db.updateTable('jobs').set({ status: 'done', locked_until: null, updated_at: now.toISOString() }).where('id', '=', id).execute();
}

/**
 * Puts a failed job back in the queue to run again at `runAt`. `holdKey` marks a job that waits on a hold (an SMS
 * account problem), so releaseHeldJobs finds it when the hold ends; null clears the mark.
 */
export async function retryJob(db: Executor, id: string, error: string, runAt: Date, now: Date, holdKey?: string | null): Promise<void> {
  await db
    .updateTable('jobs')
    .set({
      status: 'queued',
      run_at: runAt.toISOString(),
      locked_until: null,
      last_error: error.slice(0, 1000),
      updated_at: now.toISOString(),
      ...(holdKey === undefined ? {} : { key: holdKey }),
    })
    .where('id', '=', id)
    .execute();
}

/** Makes every job of `names` waiting on `holdKey` due now (the hold has ended); returns how many. */
export async function releaseHeldJobs(db: Executor, names: readonly string[], holdKey: string, now: Date): Promise<number> {
  const result = await db
    .updateTable('jobs')
    .set({ run_at: now.toISOString(), key: null, updated_at: now.toISOString() })
    .where('name', 'in', names)
    .where('key', '=', holdKey)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Gives up on a job for good; it stays in the table with its error, for the record. */
export async function failJob(db: Executor, id: string, error: string, now: Date): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'failed', locked_until: null, last_error: error.slice(0, 1000), updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}
