const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface SendPlanInput {
  now: Date;
  /** When the purchase or resolution happened (defaults to when Hami heard of it). */
  occurredAt?: Date;
  /** The event's explicit send time, or "now". */
  sendAt?: Date | 'now';
  delayMinutes: number;
  expiresAfterDays: number;
}

type SendPlan = { sendAt: Date; expiresAt: Date } | { skip: 'stale'; sendAt: Date };

/**
 * When an invitation goes out: the event's own sendAt if it names one, otherwise the survey's delay after the
 * event. A time already past means "as soon as possible"; an event so old that its link would already have
 * expired is not surveyed at all (nobody remembers a purchase from last year).
 */
export function planSend(input: SendPlanInput): SendPlan {
  const { now } = input;
  let sendAt: Date;
  if (input.sendAt === 'now') sendAt = now;
  else if (input.sendAt) sendAt = input.sendAt;
  else sendAt = new Date((input.occurredAt ?? now).getTime() + input.delayMinutes * MINUTE);
  if (sendAt.getTime() + input.expiresAfterDays * DAY <= now.getTime()) return { skip: 'stale', sendAt };
  if (sendAt < now) sendAt = now;
  return { sendAt, expiresAt: new Date(sendAt.getTime() + input.expiresAfterDays * DAY) };
}

/**
 * Wait before retry number `attempt` (1-based) of a failed job: 15 s doubling, with up to 20% jitter so a crowd
 * of failures does not retry in lockstep, and never more than an hour. `random` is injectable for tests.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = 15_000 * 2 ** Math.min(20, Math.max(0, attempt - 1));
  return Math.min(Math.round(base * (1 + 0.2 * random())), 60 * MINUTE);
}

export interface QuietHours {
  /** Local hour (0–23) when quiet starts, e.g. 21. */
  start: number;
  /** Local hour (0–23) when quiet ends, e.g. 9. */
  end: number;
}

/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one. */
const wallClocks = new Map<string, Intl.DateTimeFormat>();
function wallClock(timeZone: string): Intl.DateTimeFormat {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClocks.set(timeZone, format);
  }
  return format;
}

/** The wall-clock parts of `at` in `timeZone` (Intl carries the tz database, with its DST rules). */
export function localParts(
  at: Date,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = wallClock(timeZone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** The instant when the clock in `timeZone` shows the given wall time (the later one if a DST jump skips it). */
export function instantOfLocal(timeZone: string, year: number, month: number, day: number, hour: number, minute = 0): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wall;
  // Two rounds settle the offset even across a DST change.
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(guess), timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += wall - shown;
  }
  return new Date(guess);
}

/** True when `at` falls in the quiet hours of `timeZone` (start inclusive, end exclusive; may span midnight). */
export function inQuietHours(at: Date, timeZone: string, quiet: QuietHours): boolean {
  if (quiet.start === quiet.end) return false;
  const { hour } = localParts(at, timeZone);
  return quiet.start < quiet.end ? hour >= quiet.start && hour < quiet.end : hour >= quiet.start || hour < quiet.end;
}

/**
 * Moves a send time out of the customer's night: a time inside quiet hours becomes the end of those quiet hours
 * in the customer's own time zone (21:30 in Tehran → 09:00 the next morning, Tehran time). Other times stay.
 */
export function afterQuietHours(at: Date, timeZone: string, quiet: QuietHours): Date {
  if (!inQuietHours(at, timeZone, quiet)) return at;
  const local = localParts(at, timeZone);
  // Past midnight already (or a quiet span within one day): quiet ends today; otherwise tomorrow.
  const endsToday = local.hour < quiet.end;
  const day = new Date(Date.UTC(local.year, local.month - 1, local.day + (endsToday ? 0 : 1)));
  return instantOfLocal(timeZone, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), quiet.end);
}

/**
 * At most one survey per customer per `days`: the customer was last invited at `lastInvitedAt` (or is already
 * scheduled then), so a new invitation at `sendAt` is throttled when the two are closer than that.
 */
export function isThrottled(lastInvitedAt: Date | null, sendAt: Date, days: number): boolean {
  if (!lastInvitedAt || days <= 0) return false;
  return Math.abs(sendAt.getTime() - lastInvitedAt.getTime()) < days * DAY;
}
