import { z } from 'zod';

/*
 * Autopilot in Hami's own API (POST/GET/DELETE /api/v1/autopilot/members…), for integrators and the dashboard:
 * a customer's membership on one channel and when their next relationship survey is planned.
 */

export const AUTOPILOT_MEMBER_CHANNELS = ['email', 'sms'] as const;

export const autopilotMemberBody = z.object({
  customerId: z.string().describe('The customer id, as events name the customer'),
  channel: z.enum(AUTOPILOT_MEMBER_CHANNELS),
  nextSendAt: z.string().describe('When their next autopilot survey is planned (ISO-8601): a work-day morning in their time zone'),
  lastSentAt: z.string().nullable().describe('Their last autopilot survey; the next one counts from it'),
  joinedAt: z.string(),
  everyMonths: z.number().int().describe('The interval of the autopilot survey (surveys/*.json with "trigger": "autopilot")'),
});
export type AutopilotMember = z.infer<typeof autopilotMemberBody>;

export const autopilotMembersBody = z.object({ memberships: z.array(autopilotMemberBody) });
