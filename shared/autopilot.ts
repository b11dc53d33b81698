import { instantOfLocal, localParts } from './delivery.js';

/*
 * Autopilot's calendar: when a member's recurring relationship survey goes out. Sends land on a work-day morning in
 * the customer's time zone, between 09:00 and 11:00 (each member at their own minute of that window, so a big list
 * does not hit the mail server at 09:00 sharp). The time-zone arithmetic is Intl's (shared/delivery.ts); the date
 * arithmetic here is on calendar dates only.
 */

/** Every how many months a member is asked again (the autopilot survey's `everyMonths`). */
export const AUTOPILOT_INTERVALS = [3, 6, 12] as const;
export type AutopilotInterval = (typeof AUTOPILOT_INTERVALS)[number];

/** The morning window, local time: sends start at 09:00 and end before 11:00. */
const MORNING_START_HOUR = 9;
const MORNING_MINUTES = 120;

/**
 * Days of the week (0 Sunday … 6 Saturday) that are not work days, by time zone. Iran's weekend is Friday, and
 * Thursday is a day off for government offices, schools and many businesses: a relationship survey there goes out
 * Saturday to Wednesday. Afghanistan keeps the same weekend. Everywhere else: Saturday and Sunday.
 */
const WEEKENDS: Record<string, readonly number[]> = {
  'Asia/Tehran': [4, 5],
  'Asia/Kabul': [4, 5],
};
const DEFAULT_WEEKEND = [0, 6] as const;

function weekendOf(timeZone: string): readonly number[] {
  return WEEKENDS[timeZone] ?? DEFAULT_WEEKEND;
}

/** A calendar date (no time, no zone), carried as a UTC midnight so that adding days is plain arithmetic. */
type CalendarDay = Date;
const DAY_MS = 86_400_000;

function localDay(at: Date, timeZone: string): CalendarDay {
  const { year, month, day } = localParts(at, timeZone);
  return new Date(Date.UTC(year, month - 1, day));
}

const plusDays = (day: CalendarDay, days: number): CalendarDay => new Date(day.getTime() + days * DAY_MS);

/** `months` calendar months later, the day of the month clamped to the month's length (31 Aug + 6 → 28 Feb). */
export function plusMonths(day: CalendarDay, months: number): CalendarDay {
  const year = day.getUTCFullYear();
  const month = day.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(day.getUTCDate(), lastDay)));
}

const isWorkDay = (day: CalendarDay, timeZone: string) => !weekendOf(timeZone).includes(day.getUTCDay());

/** 32-bit FNV-1a: a stable, evenly spread number from a customer id (not for secrets). */
function spreadHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The member's own minute of the morning window: the same every time, different between members. */
export function morningMinuteOf(memberKey: string): number {
  return spreadHash(`${memberKey}#minute`) % MORNING_MINUTES;
}

/** The instant of the member's send slot on `day`, in `timeZone`. */
function slotOn(day: CalendarDay, timeZone: string, memberKey: string): Date {
  const minute = MORNING_START_HOUR * 60 + morningMinuteOf(memberKey);
  return instantOfLocal(timeZone, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), Math.floor(minute / 60), minute % 60);
}

export interface MemberCalendar {
  /** Stable per member (the customer's id and the channel): picks their day and minute. */
  memberKey: string;
  timeZone: string;
  everyMonths: AutopilotInterval;
}

/**
 * The first send of a new member: one of the work days of the first interval (from today, local time, to the same
 * day `everyMonths` later), picked by the member's hash, so 10,000 members added at once are spread evenly over
 * every work day of the interval instead of all going out tomorrow. Today counts while its slot is still ahead.
 */
export function firstSendAt(now: Date, member: MemberCalendar): Date {
  const today = localDay(now, member.timeZone);
  const end = plusMonths(today, member.everyMonths);
  const workDays: CalendarDay[] = [];
  for (let day = today; day < end; day = plusDays(day, 1)) {
    if (isWorkDay(day, member.timeZone) && (day > today || slotOn(day, member.timeZone, member.memberKey) > now)) workDays.push(day);
  }
  const pick = workDays[spreadHash(member.memberKey) % workDays.length]!;
  return slotOn(pick, member.timeZone, member.memberKey);
}

/** The member's first slot at or after `at`: the same work-day morning if still ahead, else the next work day's. */
export function slotAtOrAfter(at: Date, member: Pick<MemberCalendar, 'memberKey' | 'timeZone'>): Date {
  for (let day = localDay(at, member.timeZone); ; day = plusDays(day, 1)) {
    if (!isWorkDay(day, member.timeZone)) continue;
    const slot = slotOn(day, member.timeZone, member.memberKey);
    if (slot >= at) return slot;
  }
}

/**
 * The next send after the member's last one: `everyMonths` calendar months after that day (local time), on the
 * member's slot, moved to the next work day when it falls on the weekend.
 */
export function nextSendAfter(lastSend: Date, member: MemberCalendar): Date {
  const due = plusMonths(localDay(lastSend, member.timeZone), member.everyMonths);
  return slotAtOrAfter(slotOn(due, member.timeZone, member.memberKey), member);
}

/** Delighted's `frequency`: the interval in seconds, a month counted as 30 days as Delighted counts its 90-day default. */
export function intervalSeconds(everyMonths: AutopilotInterval): number {
  return everyMonths * 30 * 86_400;
}
