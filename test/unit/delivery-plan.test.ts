import { describe, expect, test } from 'vitest';
import { planSend, retryDelayMs } from '../../shared/delivery.js';

const at = (iso: string) => new Date(iso);
const NOW = at('2026-05-01T10:00:00.000Z');
const DAY_MS = 86_400_000;

describe('planSend', () => {
  test('sends the survey delay after the event happened', () => {
    // occurred 09:00, delay 1440 min = 24 h → 2026-05-02 09:00; expires 14 days later → 2026-05-16 09:00
    expect(planSend({ now: NOW, occurredAt: at('2026-05-01T09:00:00Z'), delayMinutes: 1440, expiresAfterDays: 14 })).toEqual({
      sendAt: at('2026-05-02T09:00:00Z'),
      expiresAt: at('2026-05-16T09:00:00Z'),
    });
  });

  test('without occurredAt the delay counts from now', () => {
    // now 10:00 + 60 min → 11:00; expires 7 days later → 2026-05-08 11:00
    expect(planSend({ now: NOW, delayMinutes: 60, expiresAfterDays: 7 })).toEqual({
      sendAt: at('2026-05-01T11:00:00Z'),
      expiresAt: at('2026-05-08T11:00:00Z'),
    });
  });

  test('a delay of 0 sends at once', () => {
    expect(planSend({ now: NOW, delayMinutes: 0, expiresAfterDays: 14 })).toEqual({
      sendAt: NOW,
      expiresAt: at('2026-05-15T10:00:00Z'),
    });
  });

  test('sendAt "now" sends now, ignoring the delay and occurredAt', () => {
    expect(planSend({ now: NOW, occurredAt: at('2026-05-01T09:00:00Z'), sendAt: 'now', delayMinutes: 1440, expiresAfterDays: 14 })).toEqual(
      { sendAt: NOW, expiresAt: at('2026-05-15T10:00:00Z') },
    );
  });

  test('an explicit sendAt in the future is used as given, ignoring the delay', () => {
    // 2026-05-03 08:30 + 14 days → 2026-05-17 08:30
    expect(
      planSend({
        now: NOW,
        occurredAt: at('2026-05-01T09:00:00Z'),
        sendAt: at('2026-05-03T08:30:00Z'),
        delayMinutes: 1440,
        expiresAfterDays: 14,
      }),
    ).toEqual({ sendAt: at('2026-05-03T08:30:00Z'), expiresAt: at('2026-05-17T08:30:00Z') });
  });

  test('a delayed send time already past becomes now, and the link runs from now', () => {
    // occurred 2026-04-28 10:00 + 24 h → 2026-04-29 10:00 (past, not expired: +14 d = 2026-05-13)
    // → send now; expires now + 14 d = 2026-05-15 10:00
    expect(planSend({ now: NOW, occurredAt: at('2026-04-28T10:00:00Z'), delayMinutes: 1440, expiresAfterDays: 14 })).toEqual({
      sendAt: NOW,
      expiresAt: at('2026-05-15T10:00:00Z'),
    });
  });

  test('an explicit sendAt in the past becomes now', () => {
    expect(planSend({ now: NOW, sendAt: at('2026-04-30T00:00:00Z'), delayMinutes: 60, expiresAfterDays: 14 })).toEqual({
      sendAt: NOW,
      expiresAt: at('2026-05-15T10:00:00Z'),
    });
  });

  test('an event so old its link would have expired is skipped as stale', () => {
    // occurred 2026-04-01 10:00 + 24 h → 2026-04-02 10:00; + 14 d = 2026-04-16 10:00 ≤ now → stale
    expect(planSend({ now: NOW, occurredAt: at('2026-04-01T10:00:00Z'), delayMinutes: 1440, expiresAfterDays: 14 })).toEqual({
      skip: 'stale',
      sendAt: at('2026-04-02T10:00:00Z'),
    });
  });

  test('an explicit sendAt older than the link lifetime is stale too', () => {
    // 2026-04-20 + 7 d = 2026-04-27 ≤ now → stale
    expect(planSend({ now: NOW, sendAt: at('2026-04-20T10:00:00Z'), delayMinutes: 0, expiresAfterDays: 7 })).toEqual({
      skip: 'stale',
      sendAt: at('2026-04-20T10:00:00Z'),
    });
  });

  test('a link that would expire exactly now is stale; one millisecond later it is not', () => {
    const exactly = new Date(NOW.getTime() - 14 * DAY_MS);
    expect(planSend({ now: NOW, sendAt: exactly, delayMinutes: 0, expiresAfterDays: 14 })).toEqual({
      skip: 'stale',
      sendAt: exactly,
    });
    const justInside = new Date(NOW.getTime() - 14 * DAY_MS + 1);
    expect(planSend({ now: NOW, sendAt: justInside, delayMinutes: 0, expiresAfterDays: 14 })).toEqual({
      sendAt: NOW,
      expiresAt: new Date(NOW.getTime() + 14 * DAY_MS),
    });
  });

  test.each([
    [1, '2026-05-02T11:00:00.000Z'],
    [7, '2026-05-08T11:00:00.000Z'],
    [14, '2026-05-15T11:00:00.000Z'],
    [365, '2027-05-01T11:00:00.000Z'],
  ])('expiresAt is sendAt + %i days', (days, expected) => {
    const plan = planSend({ now: NOW, delayMinutes: 60, expiresAfterDays: days });
    expect('expiresAt' in plan && plan.expiresAt.toISOString()).toBe(expected);
  });

  test('does not change the dates it was given', () => {
    const sendAt = at('2026-04-30T00:00:00Z');
    planSend({ now: NOW, sendAt, delayMinutes: 0, expiresAfterDays: 14 });
    expect(sendAt.toISOString()).toBe('2026-04-30T00:00:00.000Z');
  });
});

describe('retryDelayMs', () => {
  const noJitter = () => 0;

  test.each([
    [1, 15_000], // 15 s
    [2, 30_000], // 30 s
    [3, 60_000], // 1 min
    [4, 120_000],
    [5, 240_000],
    [6, 480_000],
    [7, 960_000],
    [8, 1_920_000], // 32 min
    [9, 3_600_000], // 15 s × 2⁸ = 64 min, capped at 60 min
    [10, 3_600_000],
    [30, 3_600_000],
  ])('retry %i waits %i ms before jitter', (attempt, expected) => {
    expect(retryDelayMs(attempt, noJitter)).toBe(expected);
  });

  test('attempt 0 or below waits like the first retry', () => {
    expect(retryDelayMs(0, noJitter)).toBe(15_000);
    expect(retryDelayMs(-3, noJitter)).toBe(15_000);
  });

  test.each([
    [1, 0.5, 16_500], // 15 000 × (1 + 0.2 × 0.5)
    [3, 0.25, 63_000], // 60 000 × 1.05
    [8, 0.5, 2_112_000], // 1 920 000 × 1.1
    [9, 0.5, 3_600_000], // 3 840 000 × 1.1, capped at an hour
  ])('retry %i with random %s waits %i ms', (attempt, r, expected) => {
    expect(retryDelayMs(attempt, () => r)).toBe(expected);
  });

  test('jitter adds at most 20%', () => {
    // random just under 1: 15 000 × 1.19999998 → 18 000 after rounding, never more
    expect(retryDelayMs(1, () => 0.9999999)).toBe(18_000);
    expect(retryDelayMs(20, () => 0.9999999)).toBe(3_600_000); // the hour cap holds with jitter too
  });

  test('with real randomness every delay stays within [base, base × 1.2] and at most an hour', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const base = Math.min(15_000 * 2 ** (attempt - 1), 3_600_000);
      for (let i = 0; i < 50; i++) {
        const delay = retryDelayMs(attempt);
        expect(delay).toBeGreaterThanOrEqual(base);
        expect(delay).toBeLessThanOrEqual(Math.min(base * 1.2, 3_600_000));
      }
    }
  });
});
