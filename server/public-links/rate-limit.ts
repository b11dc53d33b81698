import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { Clock } from '../clock.js';

/** At most `max` answers within any `windowMs`. */
export interface RateRule {
  max: number;
  windowMs: number;
}

/**
 * A kiosk tablet takes one answer per 10 s: nobody answers faster than that, and a person (or a child) tapping
 * the submit button again and again cannot fill the dashboard with copies.
 */
export const KIOSK_ANSWER_LIMITS: readonly RateRule[] = [{ max: 1, windowMs: 10_000 }];

/**
 * A public link (poster, receipt) takes at most 30 answers an hour from one network address: generous for a
 * shop's Wi-Fi where many customers share an address, and a hard cap for a script filling in the form.
 */
export const PUBLIC_LINK_ANSWER_LIMITS: readonly RateRule[] = [{ max: 30, windowMs: 60 * 60_000 }];

/**
 * Survey and opt-out links (/s/, /u/) that match no invitation: at most 20 per client address in 10 minutes. A
 * person mistypes a link a few times at most; a script guessing tokens (2^128 of them) gets nowhere either way,
 * and is stopped before it costs the database a lookup per guess.
 */
export const TOKEN_GUESS_LIMITS: readonly RateRule[] = [{ max: 20, windowMs: 10 * 60_000 }];

/** Past this many tracked keys the limiter forgets idle ones (and, under a flood of addresses, the oldest). */
const MAX_KEYS = 10_000;

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
    private readonly maxKeys = MAX_KEYS,
  ) {
    if (rules.length === 0) throw new Error('a rate limiter needs at least one rule');
    this.longestWindow = Math.max(...rules.map((r) => r.windowMs));
  }

  /** Counts one answer for `key` if every rule allows it; otherwise says when to try again, and counts nothing. */
  take(key: string): RateDecision {
    return this.decide(key, true);
  }

  /** Whether `key` would be allowed one more now, counting nothing (a check before work that counts only on failure). */
  peek(key: string): RateDecision {
    return this.decide(key, false);
  }

  private decide(key: string, count: boolean): RateDecision {
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
    if (!count) return { allowed: true };
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
    for (const key of this.hits.keys()) {
      if (this.hits.size <= this.maxKeys) break;
      this.hits.delete(key);
    }
  }
}

/**
 * The part of a client address that identifies one client: an IPv4 address (also when written IPv4-mapped,
 * ::ffff:1.2.3.4), or the /64 network of an IPv6 address, since one home or phone gets a whole /64 to pick from.
 */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('%')[0]!.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = address.includes('::') && tail ? tail.split(':') : [];
  const missing = Math.max(0, 8 - headGroups.length - tailGroups.length);
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * The client of a request as a limiter key: the address of the connection itself (clientKey). X-Forwarded-For is
 * not read: anyone can write it, and trusting it would let a script pick a new address for every try.
 */
export function clientAddress(c: Context): string {
  try {
    return clientKey(getConnInfo(c).remote.address);
  } catch {
    return 'unknown'; // not served by @hono/node-server (app.request in a unit test)
  }
}
