/** The bench's timing arithmetic, in one place. */

/** The value at percentile `p` (0–100) of `sorted` (ascending); 0 for no values. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * Runs `run` once to warm up (the page cache, prepared statements), then `runs` times timed; returns the median and
 * p95 in ms, and what the warm-up run returned.
 */
export async function medianAndP95<T>(run: () => Promise<T>, runs: number): Promise<{ median: number; p95: number; first: T }> {
  const first = await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p95: percentile(times, 95), first };
}
