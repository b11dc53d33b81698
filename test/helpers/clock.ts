import type { Clock } from '../../server/clock.js';

/** A clock the test moves by hand: rules about hours and days are tested without waiting. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | string = '2026-03-01T09:00:00Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * The real time, shifted forward by hand: for a page whose own timers run in real time (the kiosk's reset) while the
 * test moves past a server rule (the kiosk's burst window) at once instead of waiting for it.
 */
export class ShiftedClock implements Clock {
  private shift = 0;
  now(): Date {
    return new Date(Date.now() + this.shift);
  }
  advance(ms: number): void {
    this.shift += ms;
  }
}
