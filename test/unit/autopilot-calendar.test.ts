import { describe, expect, test } from 'vitest';
import { firstSendAt, morningMinuteOf, nextSendAfter, plusMonths, slotAtOrAfter, type AutopilotInterval } from '../../shared/autopilot.js';

const KEY = 'customer-1:email';
// This member's minute of the 09:00–11:00 window (from the hash of the key): 09:46 local.
const MINUTE = 46;

/** The wall clock of `at` in `timeZone`, e.g. "Sat 2026-09-12 09:46". */
function local(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('weekday')} ${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

const member = (timeZone: string, everyMonths: AutopilotInterval = 6, memberKey = KEY) => ({ memberKey, timeZone, everyMonths });

describe('autopilot: the next send counts from the last one', () => {
  test('the worked example member sends at 09:46 local', () => {
    expect(morningMinuteOf(KEY)).toBe(MINUTE);
  });

  test.each([
    [
      'London: 6 months after Tue 10 March is Thu 10 September, at the member’s minute (summer time)',
      'Europe/London',
      '2026-03-10T09:30:00Z',
      6,
      'Thu 2026-09-10 09:46',
    ],
    [
      'Tehran: 10 September is a Thursday, a day off in Iran: Saturday 12 September',
      'Asia/Tehran',
      '2026-03-10T06:00:00Z',
      6,
      'Sat 2026-09-12 09:46',
    ],
    ['31 August + 6 months is 28 February (a Sunday): Monday 1 March', 'UTC', '2026-08-31T09:00:00Z', 6, 'Mon 2027-03-01 09:46'],
    [
      'New York: winter time in March, summer time in September, 09:46 local both times',
      'America/New_York',
      '2026-03-02T14:00:00Z',
      6,
      'Wed 2026-09-02 09:46',
    ],
    ['every 3 months', 'UTC', '2026-01-14T10:00:00Z', 3, 'Tue 2026-04-14 09:46'],
    ['every 12 months', 'UTC', '2026-01-14T10:00:00Z', 12, 'Thu 2027-01-14 09:46'],
  ] as const)('%s', (_name, zone, last, months, expected) => {
    expect(local(nextSendAfter(new Date(last), member(zone, months)), zone)).toBe(expected);
  });

  test('months are calendar months, the day clamped to the month’s end', () => {
    expect(plusMonths(new Date('2026-08-31T00:00:00Z'), 6).toISOString().slice(0, 10)).toBe('2027-02-28');
    expect(plusMonths(new Date('2027-11-30T00:00:00Z'), 3).toISOString().slice(0, 10)).toBe('2028-02-29');
    expect(plusMonths(new Date('2026-01-15T00:00:00Z'), 12).toISOString().slice(0, 10)).toBe('2027-01-15');
  });
});

describe('autopilot: sends land on work-day mornings in the customer’s time zone', () => {
  test.each([
    [
      'a Friday afternoon in Tehran waits for Saturday morning (Iran works Saturday to Wednesday)',
      'Asia/Tehran',
      '2026-07-03T12:00:00Z',
      'Sat 2026-07-04 09:46',
    ],
    ['a Wednesday evening in Tehran skips Thursday and Friday', 'Asia/Tehran', '2026-07-01T15:00:00Z', 'Sat 2026-07-04 09:46'],
    ['a Saturday in London waits for Monday', 'Europe/London', '2026-07-04T08:00:00Z', 'Mon 2026-07-06 09:46'],
    ['before the member’s minute on a work day: that same morning', 'Europe/London', '2026-07-06T07:00:00Z', 'Mon 2026-07-06 09:46'],
    ['after it: the next work day', 'Europe/London', '2026-07-06T09:00:00Z', 'Tue 2026-07-07 09:46'],
  ] as const)('%s', (_name, zone, at, expected) => {
    expect(local(slotAtOrAfter(new Date(at), member(zone)), zone)).toBe(expected);
  });
});

describe('autopilot: a new member’s first send is spread over the first interval', () => {
  const now = new Date('2026-07-01T10:00:00Z');

  test('10,000 members added at once go out on every work day of the first 3 months, in even shares, never on a weekend', () => {
    const perDay = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const at = firstSendAt(now, member('Europe/London', 3, `customer-${i}:email`));
      expect(at > now && at < new Date('2026-10-01T00:00:00Z')).toBe(true);
      const [weekday, day, time] = local(at, 'Europe/London').split(' ');
      expect(['Sat', 'Sun']).not.toContain(weekday);
      expect(time! >= '09:00' && time! < '11:00').toBe(true);
      perDay.set(day!, (perDay.get(day!) ?? 0) + 1);
    }
    // 2 July to 30 September 2026: 65 work days (at 11:00 London time, 1 July's morning is over).
    expect(perDay.size).toBe(65);
    const mean = 10_000 / 65;
    for (const count of perDay.values()) expect(Math.abs(count - mean)).toBeLessThan(mean * 0.35);
  });

  test('in Tehran the first sends skip Thursdays and Fridays', () => {
    const weekdays = new Set<string>();
    for (let i = 0; i < 2_000; i++)
      weekdays.add(local(firstSendAt(now, member('Asia/Tehran', 6, `c-${i}:sms`)), 'Asia/Tehran').slice(0, 3));
    expect([...weekdays].sort()).toEqual(['Mon', 'Sat', 'Sun', 'Tue', 'Wed']);
  });

  test('the same member always gets the same day and minute (a retried request plans the same)', () => {
    expect(firstSendAt(now, member('Asia/Tehran'))).toEqual(firstSendAt(now, member('Asia/Tehran')));
    expect(local(firstSendAt(now, member('Asia/Tehran', 3)), 'Asia/Tehran')).toBe('Tue 2026-07-21 09:46');
  });
});
