import type { z } from 'zod';
import { retryDelayMs } from '../../shared/delivery.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { Transaction } from 'kysely';
import type { Database, Job } from '../db/schema.js';
import type { Logger } from '../log.js';
import { claimDueJobs, completeJob, failJob, retryJob } from './queue.js';

/** A failure that retrying cannot fix (a rejected address, a missing record): the job ends at once. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/** Not a failure: the job should run again at `runAt` (quiet hours began, a rate limit is full). */
export class RescheduleJob extends Error {
  override name = 'RescheduleJob';
  constructor(
    readonly runAt: Date,
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * Not a failure: the job waits on a hold (the SMS gateway refused our account) until `runAt`, or until the hold
 * ends and releaseHeldJobs makes it due at once. It never counts against the job. `stillHeld` is asked in the same
 * transaction that puts the job back (and must lock what it reads), so a hold that ended while the job ran cannot
 * leave it waiting: it is then due at once.
 */
export class HoldJob extends RescheduleJob {
  override name = 'HoldJob';
  constructor(
    runAt: Date,
    readonly holdKey: string,
    reason: string,
    readonly stillHeld: (trx: Transaction<Database>) => Promise<boolean>,
  ) {
    super(runAt, reason);
  }
}

/** What the worker lends a running job. */
export interface JobContext {
  /**
   * Marks the job done inside the handler's own last transaction, so its outcome (an invitation marked sent) and
   * the job's end are one commit; without it the worker marks the job done after the handler returns.
   */
  completeIn(trx: Transaction<Database>): Promise<void>;
}

/** One kind of job: its payload schema and what to do. Throwing retries with backoff unless the error is permanent. */
export interface JobDefinition<P = unknown> {
  name: string;
  schema: z.ZodType<P>;
  handle(payload: P, job: Job, context: JobContext): Promise<void>;
  /** Called once when the job is given up (permanent error or attempts exhausted), to record why. */
  onGiveUp?(payload: P, reason: string): Promise<void>;
}

/** A job definition with its payload type erased, for the registry (the worker validates with its schema). */
type RegisteredJob = JobDefinition<unknown>;

/** Registers a typed job definition: its schema guarantees the payload type the handler sees. */
export function registerJob<P>(definition: JobDefinition<P>): RegisteredJob {
  return definition as unknown as RegisteredJob;
}

/** Jobs of a batch run at once by default: the SMTP pool's 5 connections. */
export const WORKER_LANES = 5;

interface WorkerOptions {
  db: Db;
  clock: Clock;
  jobs: readonly RegisteredJob[];
  log: Logger;
  /** How often an idle worker looks for due jobs. 500 ms keeps "due → sent" well under 2 s. */
  pollMs?: number;
  /** How long a claim holds before another worker may take the job over. */
  leaseMs?: number;
  batchSize?: number;
  /**
   * How many jobs of a batch run at once. Sends mostly wait on a mail server or gateway, so several at once use
   * the SMTP pool's connections and share commits; the price is that a crash can resend each message in flight.
   */
  concurrency?: number;
}

export interface Worker {
  /** Runs every job due now, once; returns how many ran. Tests call this directly. */
  runDue(): Promise<number>;
  /** Starts polling in the background. */
  start(): void;
  /** Asks a sleeping worker to look now (after a job was queued for "now"). */
  wake(): void;
  /** Stops polling and waits for the job in hand to finish. */
  stop(): Promise<void>;
}

export function createWorker(options: WorkerOptions): Worker {
  const { db, clock, log } = options;
  const pollMs = options.pollMs ?? 500;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const batchSize = options.batchSize ?? 20;
  const concurrency = Math.max(1, options.concurrency ?? WORKER_LANES);
  const registry = new Map(options.jobs.map((j) => [j.name, j]));
  let running = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;

  /** One log line per job run: name, id, attempt, outcome and duration, plus when it runs again or why it stopped. */
  function logRun(
    job: Job,
    started: number,
    outcome: 'done' | 'rescheduled' | 'retry' | 'failed',
    extra: Record<string, unknown> = {},
  ): void {
    const fields = { name: job.name, job: job.id, attempt: job.attempts, outcome, ms: Math.round(performance.now() - started), ...extra };
    if (outcome === 'failed') log.error('job', fields);
    else if (outcome === 'retry') log.warn('job', fields);
    else log.info('job', fields);
  }

  async function runJob(job: Job): Promise<void> {
    const started = performance.now();
    const definition = registry.get(job.name);
    const now = () => clock.now();
    if (!definition) {
      await failJob(db, job.id, `no handler for job "${job.name}"`, now());
      logRun(job, started, 'failed', { error: 'no handler for this job name' });
      return;
    }
    const parsed = definition.schema.safeParse(JSON.parse(job.payload));
    if (!parsed.success) {
      await failJob(db, job.id, `bad payload: ${parsed.error.message}`, now());
      logRun(job, started, 'failed', { error: 'payload is invalid' });
      return;
    }
    try {
      let completed = false;
      await definition.handle(parsed.data, job, {
        async completeIn(trx) {
          await completeJob(trx, job.id, now());
          completed = true;
        },
      });
      if (!completed) await completeJob(db, job.id, now());
      logRun(job, started, 'done');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof HoldJob) {
        const runAt = await db.transaction().execute(async (trx) => {
          const at = (await error.stillHeld(trx)) ? error.runAt : now();
          await retryJob(trx, job.id, message, at, now(), at === error.runAt ? error.holdKey : null);
          return at;
        });
        logRun(job, started, 'rescheduled', { runAt: runAt.toISOString(), reason: message });
        return;
      }
      if (error instanceof RescheduleJob) {
        await retryJob(db, job.id, message, error.runAt, now());
        logRun(job, started, 'rescheduled', { runAt: error.runAt.toISOString(), reason: message });
        return;
      }
      const permanent = error instanceof PermanentJobError;
      if (permanent || job.attempts >= job.max_attempts) {
        await definition.onGiveUp?.(parsed.data, message);
        await failJob(db, job.id, message, now());
        logRun(job, started, 'failed', { error: message });
      } else {
        // A gateway that says when to come back (Retry-After, a full rate limit) is taken at its word.
        const asked = (error as { retryAfterMs?: unknown }).retryAfterMs;
        const runAt = new Date(now().getTime() + (typeof asked === 'number' && asked > 0 ? asked : retryDelayMs(job.attempts)));
        await retryJob(db, job.id, message, runAt, now());
        logRun(job, started, 'retry', { retryAt: runAt.toISOString(), error: message });
      }
    }
  }

  async function runDue(): Promise<number> {
    const jobs = await claimDueJobs(db, clock.now(), leaseMs, batchSize);
    let next = 0;
    // `concurrency` lanes take the batch's jobs in claim order (oldest due first).
    const lane = async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        try {
          await runJob(job);
        } catch (error) {
          // Its outcome could not be written (the database busy or full): the job keeps its claim and is taken over
          // when the claim lapses, so it is delayed, never dropped; the rest of the batch still runs.
          logRun(job, performance.now(), 'retry', { error, retryAt: 'when its claim lapses' });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, lane));
    return jobs.length;
  }

  async function poll(): Promise<void> {
    while (running) {
      let ran = 0;
      try {
        ran = await runDue();
      } catch (error) {
        // The database was busy or briefly unavailable: nothing is lost, the jobs stay queued.
        log.error('worker could not claim jobs', { error });
      }
      if (ran === 0 && running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeUp = null;
      }
    }
  }

  return {
    runDue,
    start() {
      if (running) return;
      running = true;
      loop = poll();
    },
    wake() {
      wakeUp?.();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}
