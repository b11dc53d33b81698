/**
 * Failed sign-ins are limited per account and per client address: 5 failures within 15 minutes lock further
 * tries for the rest of the window. In memory: a restart forgives, which costs an attacker a restart per 5 guesses.
 */
export const LOGIN_FAILURES_ALLOWED = 5;
export const LOGIN_WINDOW_MS = 15 * 60_000;

export function createLoginLimiter() {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number) => (failures.get(key) ?? []).filter((t) => now - t < LOGIN_WINDOW_MS);
  return {
    /** Milliseconds until `keys` may try again, or 0 when they may now. */
    blockedFor(keys: string[], now: number): number {
      let wait = 0;
      for (const key of keys) {
        const times = recent(key, now);
        if (times.length >= LOGIN_FAILURES_ALLOWED) wait = Math.max(wait, times[0]! + LOGIN_WINDOW_MS - now);
      }
      return wait;
    },
    fail(keys: string[], now: number): void {
      for (const key of keys) failures.set(key, [...recent(key, now), now]);
      if (failures.size > 10_000) failures.delete(failures.keys().next().value!);
    },
    succeed(keys: string[]): void {
      for (const key of keys) failures.delete(key);
    },
  };
}
