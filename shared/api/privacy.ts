import { z } from 'zod';
import { isoInstant } from './fields.js';

/*
 * Privacy: everything Hami holds about one customer as one JSON document, erasure, and consent.
 *
 *   GET  /api/customers/{id}/export → CustomerExport (version 1)      privacy:manage (admins)
 *   POST /api/customers/{id}/erase  → EraseResult                      privacy:manage (admins)
 *   POST /api/v1/events  customer.consent?: ConsentInput               recorded per customer (table consents)
 *
 * {id} is Hami's customer id or the id the shop knows the customer by (external id).
 */

export const CONSENT_PURPOSES = ['marketing', 'surveys'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/**
 * An erased customer's placeholder keeps this prefix and its Hami id as its external id. Integrations may not use
 * the prefix (customer.id is refused with a 400), so no event or import can write into a placeholder.
 */
export const ERASED_ID_PREFIX = 'erased:';
export const erasedExternalId = (customerId: string) => `${ERASED_ID_PREFIX}${customerId}`;

/** `customer.consent` in POST /api/v1/events: optional; a change from the last recorded value is kept with when and how. */
export const consentInput = z
  .object({
    marketing: z
      .boolean({ error: 'must be true or false' })
      .optional()
      .describe('May we send marketing messages (referral invitations, review requests)?'),
    surveys: z.boolean({ error: 'must be true or false' }).optional().describe('May we ask for feedback (surveys)?'),
    at: isoInstant.optional().describe('When the customer gave or withdrew it; default: when the event arrives'),
    how: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters')
      .optional()
      .describe('How it was asked, e.g. "checkout checkbox, terms v3"'),
  })
  .strict()
  .refine((c) => c.marketing !== undefined || c.surveys !== undefined, { error: 'needs marketing or surveys (true or false)' })
  .describe('What the customer agreed to; recorded with when and how, and shown in their privacy export');
export type ConsentInput = z.infer<typeof consentInput>;

const attributes = z.record(z.string(), z.unknown());

const consentRecord = z.object({
  purpose: z.string().describe('marketing | surveys'),
  granted: z.boolean(),
  givenAt: z.string(),
  source: z.string().describe('integration: sent with an event or an import'),
  detail: z.string().nullable().describe('How it was asked'),
  recordedAt: z.string(),
});

/** GET /api/customers/{id}/export: everything Hami holds about one customer. */
export const customerExportBody = z.object({
  version: z.literal(1).describe('The document format; a new format gets a new number'),
  exportedAt: z.string(),
  customer: z.object({
    id: z.string().describe("Hami's id"),
    externalId: z.string().describe('The id the shop or help desk knows the customer by'),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    name: z.string().nullable(),
    locale: z.string(),
    timeZone: z.string().nullable(),
    attributes,
    createdAt: z.string(),
    updatedAt: z.string(),
    erasedAt: z.string().nullable().describe('Set once the customer was erased: contact details and free text are gone'),
  }),
  consents: z.array(consentRecord).describe('What they agreed to or withdrew, oldest first'),
  optOuts: z
    .array(z.object({ channel: z.string(), address: z.string(), reason: z.string().describe('opted_out | bounced | …'), at: z.string() }))
    .describe('Their addresses and numbers never contacted again'),
  events: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      externalId: z.string(),
      occurredAt: z.string(),
      requestedSendAt: z.string().nullable(),
      attributes,
      receivedAt: z.string(),
    }),
  ),
  invitations: z.array(
    z.object({
      id: z.string(),
      surveyId: z.string(),
      channel: z.string(),
      status: z.string(),
      reason: z.string().nullable(),
      address: z.string().nullable(),
      locale: z.string(),
      sendAt: z.string(),
      expiresAt: z.string(),
      sentAt: z.string().nullable(),
      openedAt: z.string().nullable(),
      answeredAt: z.string().nullable(),
      reminderSentAt: z.string().nullable(),
      deliveryStatus: z.string().nullable(),
      deliveryDetail: z.string().nullable(),
    }),
  ),
  responses: z.array(
    z.object({
      id: z.string(),
      invitationId: z.string(),
      surveyId: z.string(),
      channel: z.string(),
      locale: z.string(),
      score: z.number().nullable(),
      bucket: z.string().nullable(),
      answers: attributes,
      comment: z.string().nullable(),
      attributes,
      day: z.string(),
      answeredAt: z.string(),
      updatedAt: z.string(),
      history: z
        .array(z.object({ answers: attributes, score: z.number().nullable(), source: z.string(), recordedAt: z.string() }))
        .describe('Every version of the answers'),
    }),
  ),
  callbackCases: z.array(
    z.object({
      id: z.string(),
      responseId: z.string(),
      surveyId: z.string(),
      status: z.string(),
      ownerId: z.string().nullable(),
      dueAt: z.string(),
      reason: z.string().nullable(),
      openedAt: z.string(),
      closedAt: z.string().nullable(),
      entries: z
        .array(
          z.object({
            at: z.string(),
            kind: z.string(),
            fromStatus: z.string().nullable(),
            toStatus: z.string().nullable(),
            note: z.string().nullable(),
            actorId: z.string().nullable(),
          }),
        )
        .describe('The audit trail with notes and outcome messages'),
    }),
  ),
  messagesReceived: z
    .array(
      z.object({
        id: z.string(),
        channel: z.string(),
        address: z.string(),
        text: z.string(),
        receivedAt: z.string(),
        invitationId: z.string().nullable(),
        outcome: z.string(),
      }),
    )
    .describe('Texts they sent (SMS replies)'),
  segmentMessages: z
    .array(
      z.object({
        id: z.string(),
        actionId: z.string(),
        channel: z.string(),
        address: z.string().nullable(),
        status: z.string(),
        reason: z.string().nullable(),
        sendAt: z.string(),
        sentAt: z.string().nullable(),
        clickedAt: z.string().nullable(),
        clicks: z.number(),
      }),
    )
    .describe('Referral invitations and review requests considered for them'),
  webhookDeliveries: z
    .array(
      z.object({
        id: z.string(),
        webhookId: z.string(),
        event: z.string(),
        status: z.string(),
        createdAt: z.string(),
        body: z.unknown().describe('The JSON sent to the receiver'),
      }),
    )
    .describe('Data about them sent to other systems'),
});
export type CustomerExport = z.infer<typeof customerExportBody>;

/** What one erasure changed (counts only: the audit entry holds the same, never the data). */
export const erasureCounts = z.object({
  responses: z.number(),
  answerVersions: z.number(),
  caseEntries: z.number(),
  invitations: z.number(),
  messagesReceived: z.number(),
  segmentMessages: z.number(),
  webhookDeliveries: z.number(),
  jobsCancelled: z.number(),
  jobsScrubbed: z.number(),
  optOutsHashed: z.number(),
  events: z.number().describe('Events whose attributes lost every value but the declared metrics dimensions'),
  consents: z.number().describe('Consent records whose "how" text was removed'),
  outboxMessages: z.number().describe('Dev outbox messages (.eml files, sms.jsonl lines) naming them that were removed'),
});
export type ErasureCounts = z.infer<typeof erasureCounts>;

/** POST /api/customers/{id}/erase */
export const eraseResultBody = z.object({
  customerId: z.string(),
  erasedAt: z.string(),
  alreadyErased: z
    .boolean()
    .describe(
      'true: it had been erased before; erasedAt is that first time, and `changed` counts what came back since and was cleared now',
    ),
  changed: erasureCounts,
});
export type EraseResult = z.infer<typeof eraseResultBody>;
