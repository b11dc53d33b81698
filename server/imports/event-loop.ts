/*
 * An import runs in the server's own process, next to the requests it serves. Kysely's queries on better-sqlite3
 * resolve without giving the event loop a turn, so a loop over 200,000 rows would hold it for a minute: no request
 * read, no timer run. The import therefore pauses (setImmediate: pending I/O runs first) once it has worked for a
 * time slice, and cuts its write transactions at the same slice, so a request's own write (the /healthz probe, an
 * answer) never waits behind more than one slice of rows.
 */

/**
 * Work between two pauses, in ms: short against the 100 ms a page may take, long against one commit's disk sync.
 * Measured (npm run bench -- import-serving): 20 ms gave /healthz a p99 of 233 ms during an API import, 10 ms 110–125 ms,
 * 5 ms about 70 ms, all within the import time before (the commits added are fewer than the waits for the lock saved).
 */
const SLICE_MS = 5;

interface TimeSlice {
  /** Whether this slice's time is used up. */
  due(): boolean;
  /** Lets the event loop run what waits (requests, timers), then starts a new slice. */
  pause(): Promise<void>;
  /** pause() when due(). */
  pauseIfDue(): Promise<void> | undefined;
}

/**
 * `pauseMs`: 0 lets what waits in this process run; more leaves the database free that long, for another process's
 * writes (see ImportOptions.pauseMs).
 */
export function timeSlice(options: { sliceMs?: number; pauseMs?: number } = {}, now: () => number = () => performance.now()): TimeSlice {
  const { sliceMs = SLICE_MS, pauseMs = 0 } = options;
  let started = now();
  const slice: TimeSlice = {
    due: () => now() - started >= sliceMs,
    async pause() {
      await new Promise<void>((resolve) => (pauseMs > 0 ? setTimeout(resolve, pauseMs) : setImmediate(resolve)));
      started = now();
    },
    pauseIfDue: () => (slice.due() ? slice.pause() : undefined),
  };
  return slice;
}
