import { z } from 'zod';
import { LOCALES, isTimeZone } from '../locale.js';
import { isoInstant } from './fields.js';
import { consentInput, ERASED_ID_PREFIX } from './privacy.js';

const attributeValue = z.union([z.string().max(500), z.number(), z.boolean()], {
  error: 'must be a string, number or boolean',
});
const attributes = z
  .record(z.string().min(1).max(64), attributeValue)
  .refine((value) => Object.keys(value).length <= 50, 'at most 50 attributes');

export const customerInput = z
  .object({
    id: z
      .string({ error: 'is required' })
      .trim()
      .min(1, 'is required')
      .max(200)
      .refine((id) => !id.startsWith(ERASED_ID_PREFIX), `must not start with "${ERASED_ID_PREFIX}": that names an erased customer, who is never written to again`),
    email: z.email({ error: 'must be an email address' }).max(254).optional(),
    phone: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +989121234567')
      .optional(),
    name: z.string().trim().max(200).optional(),
    locale: z.enum(LOCALES, { error: `must be one of ${LOCALES.join(', ')}` }).optional(),
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Tehran').optional(),
    attributes: attributes.optional(),
    consent: consentInput.optional(),
  })
  .strict();

export const EVENT_TYPES = ['purchase', 'resolution'] as const;

/** The body of POST /api/v1/events (see the public contract in DESIGN.md). */
export const eventInput = z
  .object({
    type: z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(', ')}` }),
    id: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200),
    occurredAt: isoInstant.optional(),
    sendAt: z.union([z.literal('now'), isoInstant], { error: 'must be "now" or an ISO-8601 date-time with an offset' }).optional(),
    customer: customerInput,
    attributes: attributes.optional(),
  })
  .strict();

export type EventInput = z.infer<typeof eventInput>;
export type CustomerInput = z.infer<typeof customerInput>;
export type EventType = (typeof EVENT_TYPES)[number];

export type InvitationStatus = 'scheduled' | 'sent' | 'opened' | 'answered' | 'skipped' | 'failed' | 'expired';

/**
 * Why an invitation was not planned or not sent. 'no_consent': the customer's latest consent to surveys
 * (customer.consent.surveys) is a withdrawal, checked when planned and again when sent.
 */
export type SkipReason = 'no_address' | 'opted_out' | 'throttled' | 'no_consent' | 'stale' | 'no_survey';

export interface PlannedInvitation {
  id: string;
  channel: string;
  status: InvitationStatus;
  sendAt: string;
  reason?: string;
}

/** The 202 (new) or 200 (repeat) body of POST /api/v1/events. */
export interface EventAccepted {
  event: string;
  invitations: PlannedInvitation[];
}
