import { z } from 'zod';
import { LOCALES } from '../locale.js';
import { CHANNELS } from '../survey-schema.js';
import type { Bucket } from '../scoring.js';
import { attributeFilters, dayKey } from './fields.js';

/*
 * The segments API (marketing): find customers by how they answered, save the search under a name, page through
 * or export its members, and act on it (referral invitation, review request). Shapes are declared once here and
 * used by the server (server/segments/) and the dashboard's Segments page.
 *
 * Endpoints (all need a staff session; state-changing ones carry X-CSRF-Token):
 *   GET    /api/segments/members?<filter>[&limit&cursor]        → SegmentMembersBody          segments:read
 *   GET    /api/segments/members?<filter>&format=csv|json       → streamed export (all)       segments:export
 *   GET    /api/segments/count?<filter>                         → SegmentCountBody            segments:read
 *   GET    /api/segments                                        → SegmentListBody (live counts) segments:read
 *   POST   /api/segments            SegmentInput                → 201 SavedSegment            segments:read
 *   GET    /api/segments/{id}                                   → SegmentDetailBody           segments:read
 *   PATCH  /api/segments/{id}       SegmentPatch                → SavedSegment                segments:read
 *   DELETE /api/segments/{id}                                   → 204                         segments:read
 *   GET    /api/segments/{id}/members[?limit&cursor]            → SegmentMembersBody          segments:read
 *   GET    /api/segments/{id}/members?format=csv|json           → streamed export             segments:export
 *   GET    /api/segments/templates                              → MessageTemplatesBody        segments:read
 *   POST   /api/segments/{id}/actions  ActionInput              → 202 SegmentAction           segments:act
 *   GET    /api/segments/{id}/actions                           → { items: SegmentAction[] }  segments:read
 *   GET    /r/{token}   (customer's tracked link: records the click, 302 to the template's target URL; no session)
 *
 * Roles: admin and marketing have segments:read, segments:export and segments:act; care has none of them.
 * Bad input → 400 { error: { code: 'invalid_input', message, field } } with `field` naming the parameter
 * (e.g. 'bucket', 'from', 'attr.product', 'notContactedDays', 'filter.buckets').
 */

export const BUCKETS = ['promoter', 'passive', 'detractor'] as const satisfies readonly Bucket[];

/**
 * Which answer decides a customer's bucket:
 * - 'latest': the customer's most recent scored answer (to the `survey` filter's survey when given, else to any
 *   survey); every other filter (dates, channel, locale, attributes, answered-within) then applies to that answer.
 *   A customer who was a promoter in March and a detractor in April is a detractor.
 * - 'ever': any scored answer matching all filters puts the customer in its bucket; a member is listed once,
 *   with the most recent such answer.
 */
export const BASES = ['latest', 'ever'] as const;
export type Basis = (typeof BASES)[number];

const days = z.coerce
  .number({ error: 'must be a whole number of days' })
  .int('must be a whole number of days')
  .min(1, 'must be at least 1')
  .max(3650, 'must be at most 3650');

/**
 * A segment's definition. As query parameters (GET …/members, …/count): `bucket=promoter` or
 * `bucket=promoter,passive` (or repeated), `basis`, `survey`, `from`, `to` (inclusive UTC days of the answer),
 * `channel`, `locale`, `attr.NAME=VALUE` (an event or customer attribute at answer time), `answeredWithinDays`,
 * `notContactedDays`. As JSON (saved segments) the same names with `buckets` an array and `attributes` an object.
 */
export const segmentFilterInput = z
  .object({
    /** Empty or absent: every bucket (everyone who gave a score). */
    buckets: z
      .array(z.enum(BUCKETS, { error: `must be one of ${BUCKETS.join(', ')}` }))
      .max(3)
      .default([]),
    basis: z.enum(BASES, { error: `must be one of ${BASES.join(', ')}` }).default('latest'),
    survey: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be a survey id')
      .optional(),
    from: dayKey.optional(),
    to: dayKey.optional(),
    channel: z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` }).optional(),
    locale: z.enum(LOCALES, { error: `must be one of ${LOCALES.join(', ')}` }).optional(),
    attributes: attributeFilters,
    /** The deciding answer was given within the last N days (counted from now). */
    answeredWithinDays: days.optional(),
    /** No survey invitation sent and no segment message sent to the customer in the last N days. */
    notContactedDays: days.optional(),
  })
  .strict()
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], message: 'must not be before from' });
export type SegmentFilter = z.infer<typeof segmentFilterInput>;
/** What a client may send: defaults may be left out. */
export type SegmentFilterInput = z.input<typeof segmentFilterInput>;

export const SEGMENT_PAGE_DEFAULT = 50;
export const SEGMENT_PAGE_MAX = 500;

/** One member: the customer and the answer that put them in the segment. Every string is the customer's own, unescaped: escape when showing. */
export interface SegmentMember {
  /** Hami's id of the customer (for /api/customers/{id}/timeline). */
  customerId: string;
  /** The id the shop or help desk knows the customer by. */
  externalId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  /** 0–10: the deciding answer's NPS score. */
  score: number;
  bucket: Bucket;
  /** ISO-8601 UTC instant of that answer. */
  answeredAt: string;
  comment: string | null;
  responseId: string;
  surveyId: string;
  channel: string;
  locale: string;
  /** False when the customer's latest consent to marketing is a withdrawal: not reachable, actions skip them. */
  marketingConsent: boolean;
}

/**
 * GET /api/segments/members and /api/segments/{id}/members: one page, newest answer first. `total` counts all
 * members; `nextCursor` (opaque) fetches the next page with `&cursor=`, null on the last page.
 */
export interface SegmentMembersBody {
  members: SegmentMember[];
  total: number;
  /** Members marketing may message: those who have not withdrawn consent to marketing (marketingConsent true). */
  reachable: number;
  nextCursor: string | null;
}

/** GET /api/segments/count?<filter>: the live member count, for the builder. */
export interface SegmentCountBody {
  count: number;
  /** Of them, not withdrawn from marketing (what a referral or review request can reach at most). */
  reachable: number;
}

/** The export formats: CSV (UTF-8 with BOM, formula cells neutralised with a leading ') or a JSON array of SegmentMember. */
export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** The CSV's columns, in order (header row uses these names). */
export const EXPORT_COLUMNS = [
  'customerId',
  'externalId',
  'name',
  'email',
  'phone',
  'score',
  'bucket',
  'answeredAt',
  'comment',
  'surveyId',
  'channel',
  'locale',
  'marketingConsent',
] as const;

/** POST /api/segments */
export const segmentInput = z
  .object({
    name: z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters'),
    filter: segmentFilterInput,
  })
  .strict();
export type SegmentInput = z.input<typeof segmentInput>;

/** PATCH /api/segments/{id}: a new name and/or a whole new filter. */
export const segmentPatch = z
  .object({
    name: z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters').optional(),
    filter: segmentFilterInput.optional(),
  })
  .strict();
export type SegmentPatch = z.input<typeof segmentPatch>;

export interface SavedSegment {
  id: string;
  name: string;
  filter: SegmentFilter;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  /** Members now (computed on every read: counts are live). */
  memberCount: number;
  /** Members who have not withdrawn consent to marketing. */
  reachableCount: number;
}

/** GET /api/segments: saved segments, by name. */
export interface SegmentListBody {
  items: SavedSegment[];
}

/** GET /api/segments/{id}: the segment and its actions (newest first) with their counts. */
export interface SegmentDetailBody extends SavedSegment {
  actions: SegmentAction[];
}

/** Actions marketing can take on a segment; each uses the message template surveys/messages/{kind-file}.json. */
export const ACTION_KINDS = ['referral', 'review_request'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/**
 * Channels a segment action (review or referral request) can go by. Not Bale: Safir sends as the business's bot to
 * customers who were surveyed, and marketing there is not what they agreed to by answering a survey.
 */
export const ACTION_CHANNELS = ['email', 'sms'] as const satisfies readonly (typeof CHANNELS)[number][];
export type ActionChannel = (typeof ACTION_CHANNELS)[number];

/** POST /api/segments/{id}/actions */
export const actionInput = z
  .object({
    kind: z.enum(ACTION_KINDS, { error: `must be one of ${ACTION_KINDS.join(', ')}` }),
    channel: z.enum(ACTION_CHANNELS, { error: `must be one of ${ACTION_CHANNELS.join(', ')}` }),
  })
  .strict();
export type ActionInput = z.infer<typeof actionInput>;

/**
 * Who an action goes to. 'segment': the segment's members. 'all_answered': review requests ignore the bucket
 * filter and go to everyone who answered under the segment's other filters (every bucket), because review sites
 * (Google, Trustpilot…) forbid asking only happy customers for reviews ("review gating").
 */
export type ActionAudience = 'segment' | 'all_answered';

/** The skip reasons a recipient may get. 'no_consent': their latest consent to marketing is a withdrawal. */
export const SKIP_REASONS = ['opted_out', 'no_address', 'throttled', 'no_consent'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface ActionCounts {
  /** Recipients considered (members of the audience when the action was made). */
  planned: number;
  /** Not messaged, by reason (opted out on the channel, no address for it, contacted too recently). */
  skipped: number;
  skippedByReason: Partial<Record<SkipReason, number>>;
  /** Waiting in the queue. */
  queued: number;
  sent: number;
  failed: number;
  /** Recipients who opened the tracked link at least once. */
  clicked: number;
}

export interface SegmentAction {
  id: string;
  segmentId: string;
  kind: ActionKind;
  channel: ActionChannel;
  audience: ActionAudience;
  /** Why the audience differs from the segment (review gating), in English for staff; null when it does not. */
  notice: string | null;
  createdAt: string;
  createdBy: string | null;
  counts: ActionCounts;
}

/** GET /api/segments/templates: the message templates actions use, per language (for a preview). */
export interface MessageTemplate {
  kind: ActionKind;
  /** By locale: email subject and body (plain text; {name} and {link} placeholders) and the SMS text. */
  texts: Record<(typeof LOCALES)[number], { subject: string; body: string; sms: string }>;
  /** Where the tracked link leads (configured by HAMI_REVIEW_URL / HAMI_REFERRAL_URL). */
  targetUrl: string;
}
export interface MessageTemplatesBody {
  items: MessageTemplate[];
}

/** The fixed message an action on a review request carries in its `notice`. */
export const REVIEW_GATING_NOTICE =
  'Review requests go to every customer who answered under this segment\u2019s other filters, whatever their score: review sites forbid asking only happy customers (review gating).';
