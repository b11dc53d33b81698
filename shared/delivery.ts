const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface SendPlanInput {
  now: Date;
  /** When the purchase or resolution happened (defaults to when Hami heard of it). */
  occurredAt?: Date;
  /** The event's explicit send time, or "now". */
  sendAt?: Date | 'now';
  delayMinutes: number;
  expiresAfterDays: number;
}

export type SendPlan = { sendAt: Date; expiresAt: Date } | { skip: 'stale'; sendAt: Date };

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
