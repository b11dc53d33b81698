import type { Clock } from '../clock.js';
import { MAX_TRACKED_KEYS, type RateRule } from './rules.js';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * An in-memory sliding-window limiter: it keeps the times of the recent answers of each key and lets one more
 * through only when every rule still has room. Time comes from the injected clock, so tests move it by hand.
 * Memory stays bounded: a key holds at most the largest `max` times, and idle keys are swept.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly longestWindow: number;

  constructor(
    private readonly clock: Clock,
    private readonly rules: readonly RateRule[],
    private readonly maxKeys = MAX_TRACKED_KEYS,
  ) {
    if (rules.length === 0) throw new Error('a rate limiter needs at least one rule');
    this.longestWindow = Math.max(...rules.map((r) => r.windowMs));
  }

  /** Counts one answer for `key` if every rule allows it; otherwise says when to try again, and counts nothing. */
  take(key: string): RateDecision {
    const now = this.clock.now().getTime();
    const times = (this.hits.get(key) ?? []).filter((t) => t > now - this.longestWindow);
    let waitMs = 0;
    for (const rule of this.rules) {
      const inWindow = times.filter((t) => t > now - rule.windowMs);
      if (inWindow.length >= rule.max) {
        // Room frees up when the oldest answer that still counts against this rule leaves the window.
        const oldest = inWindow[inWindow.length - rule.max]!;
        waitMs = Math.max(waitMs, oldest + rule.windowMs - now);
      }
    }
    if (waitMs > 0) {
      this.hits.set(key, times);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    times.push(now);
    this.hits.delete(key); // re-insert so the Map's order is least recently used first
    this.hits.set(key, times);
    if (this.hits.size > this.maxKeys) this.sweep(now);
    return { allowed: true };
  }

  /** How many keys are tracked (for tests of the memory bound). */
  get size(): number {
    return this.hits.size;
  }

  private sweep(now: number): void {
    for (const [key, times] of this.hits) {
      if (times.every((t) => t <= now - this.longestWindow)) this.hits.delete(key);
    }
    // Down to 90% of the bound, so a flood of new keys costs one pass per tenth of it, not one per key.
    for (const key of this.hits.keys()) {
      if (this.hits.size <= this.maxKeys * 0.9) break;
      this.hits.delete(key);
    }
  }
}
