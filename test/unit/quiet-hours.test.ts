import { describe, expect, test } from 'vitest';
import { afterQuietHours, inQuietHours, isThrottled } from '../../shared/delivery.js';

const QUIET = { start: 21, end: 9 };
const at = (iso: string) => new Date(iso);

describe('quiet hours in the customer time zone', () => {
  // Tehran is UTC+03:30 all year (Iran stopped daylight saving in 2022).
  test.each([
    ['20:30 in Tehran is not quiet', 'Asia/Tehran', '2026-03-10T17:00:00Z', '2026-03-10T17:00:00.000Z'],
    ['21:00 in Tehran waits for 09:00 Tehran the next morning', 'Asia/Tehran', '2026-03-10T17:30:00Z', '2026-03-11T05:30:00.000Z'],
    ['02:30 in Tehran waits for 09:00 the same morning', 'Asia/Tehran', '2026-03-10T23:00:00Z', '2026-03-11T05:30:00.000Z'],
    ['08:59 in Tehran waits one minute', 'Asia/Tehran', '2026-03-11T05:29:00Z', '2026-03-11T05:30:00.000Z'],
    ['09:00 in Tehran is no longer quiet', 'Asia/Tehran', '2026-03-11T05:30:00Z', '2026-03-11T05:30:00.000Z'],
    ['the same instant is daytime in London (13:30)', 'Europe/London', '2026-03-10T13:30:00Z', '2026-03-10T13:30:00.000Z'],
    ['21:30 summer time in London waits for 09:00 BST (08:00 UTC)', 'Europe/London', '2026-07-01T20:30:00Z', '2026-07-02T08:00:00.000Z'],
    // New York springs forward on 2026-03-08: quiet starts in EST (UTC−5) and ends in EDT (UTC−4).
    ['21:00 EST before the clocks change waits for 09:00 EDT', 'America/New_York', '2026-03-08T02:00:00Z', '2026-03-08T13:00:00.000Z'],
    ['UTC customers wait for 09:00 UTC', 'UTC', '2026-03-10T22:00:00Z', '2026-03-11T09:00:00.000Z'],
  ])('%s', (_name, zone, sendAt, expected) => {
    expect(afterQuietHours(at(sendAt), zone, QUIET).toISOString()).toBe(expected);
  });

  test('quiet hours within one day (12–14) end the same day', () => {
    expect(afterQuietHours(at('2026-03-10T12:30:00Z'), 'UTC', { start: 12, end: 14 }).toISOString()).toBe('2026-03-10T14:00:00.000Z');
    expect(inQuietHours(at('2026-03-10T14:00:00Z'), 'UTC', { start: 12, end: 14 })).toBe(false);
  });

  test('equal start and end mean no quiet hours at all', () => {
    expect(inQuietHours(at('2026-03-10T03:00:00Z'), 'UTC', { start: 0, end: 0 })).toBe(false);
  });
});

describe('throttling: at most one survey per customer per period', () => {
  test.each([
    ['59 days after the last survey', '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z', 90, true],
    ['exactly 90 days after', '2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z', 90, false],
    ['a survey already scheduled 10 days later', '2026-03-11T00:00:00Z', '2026-03-01T00:00:00Z', 90, true],
    ['no earlier survey', null, '2026-03-01T00:00:00Z', 90, false],
    ['a throttle of 0 days', '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z', 0, false],
  ])('%s', (_name, last, sendAt, days, expected) => {
    expect(isThrottled(last ? at(last) : null, at(sendAt), days)).toBe(expected);
  });
});
