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

export const EVENT_TYPES = ['purchase', 'resolution'] as const;

/** How `customer.phone` was read: E.164, or why it cannot be a mobile ("is a landline number: a mobile number is expected, such as …"). */
export type PhoneReading = { ok: true; e164: string } | { ok: false; message: string };

/**
 * Reads `customer.phone` in the server's default country (server/customers/phone.ts). Injected rather than imported:
 * the phone metadata it needs is server-side only, and the country comes from HAMI_DEFAULT_COUNTRY.
 */
type PhoneReader = (written: string) => PhoneReading;

const PHONE_DESCRIPTION =
  'A mobile number, stored and returned in E.164 (+989121234567). Accepted as people write it: +98 912 123 4567, 0098 912…, ' +
  'or nationally in the default country (HAMI_DEFAULT_COUNTRY, Iran when unset: 0912 123 4567, 912 123 4567), with Persian or ' +
  'Arabic-Indic digits, spaces, dashes, dots or brackets. A number from another country is written internationally (+44 7911 123456). ' +
  'A landline, a service number, a number too short or too long, or letters are refused with a 400 naming the field.';

/**
 * The events API's input (see the public contract in DESIGN.md), with `customer.phone` read by `readPhone` into E.164:
 * the events API, the hooks and the imports all check what they are given with these, so one number written any
 * way is one customer.
 */
export function eventSchemas(readPhone: PhoneReader) {
  const phone = z
    .string({ error: 'must be a phone number as text' })
    .max(64, 'is too long for a phone number')
    .transform((written, ctx) => {
      const reading = readPhone(written);
      if (reading.ok) return reading.e164;
      ctx.addIssue({ code: 'custom', message: reading.message });
      return z.NEVER;
    })
    .describe(PHONE_DESCRIPTION);

  const customerInput = z
    .object({
      id: z
        .string({ error: 'is required' })
        .trim()
        .min(1, 'is required')
        .max(200)
        .refine(
          (id) => !id.startsWith(ERASED_ID_PREFIX),
          `must not start with "${ERASED_ID_PREFIX}": that names an erased customer, who is never written to again`,
        ),
      email: z.email({ error: 'must be an email address' }).max(254).optional(),
      phone: phone.optional(),
      name: z.string().trim().max(200).optional(),
      locale: z.enum(LOCALES, { error: `must be one of ${LOCALES.join(', ')}` }).optional(),
      timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Tehran').optional(),
      attributes: attributes.optional(),
      consent: consentInput.optional(),
    })
    .strict();

  const eventInput = z
    .object({
      type: z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(', ')}` }),
      id: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200),
      occurredAt: isoInstant.optional(),
      sendAt: z.union([z.literal('now'), isoInstant], { error: 'must be "now" or an ISO-8601 date-time with an offset' }).optional(),
      customer: customerInput,
      attributes: attributes.optional(),
    })
    .strict();

  return { customerInput, eventInput };
}

export type EventSchemas = ReturnType<typeof eventSchemas>;
/** A checked event: `customer.phone`, when given, is E.164. */
export type EventInput = z.output<EventSchemas['eventInput']>;
export type CustomerInput = z.output<EventSchemas['customerInput']>;
export type EventType = (typeof EVENT_TYPES)[number];

export type InvitationStatus = 'scheduled' | 'sent' | 'opened' | 'answered' | 'skipped' | 'failed' | 'expired';

/**
 * Why an invitation was not planned or not sent. 'no_consent': the customer's latest consent to surveys
 * (customer.consent.surveys) is a withdrawal, checked when planned and again when sent. 'left_autopilot': the
 * customer was taken off autopilot before its survey went out.
 */
export type SkipReason = 'no_address' | 'opted_out' | 'throttled' | 'no_consent' | 'stale' | 'no_survey' | 'left_autopilot';

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
