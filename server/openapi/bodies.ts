import { z } from 'zod';
import type { EventAccepted } from '../../shared/api/events.js';
import type {
  CommentsBody,
  FilterOptionsBody,
  NpsTrendBody,
  ReasonsBody,
  SatisfactionTrendBody,
  SummaryBody,
} from '../../shared/api/metrics.js';
import {
  ACTION_CHANNELS,
  ACTION_KINDS,
  BUCKETS,
  SKIP_REASONS,
  segmentFilterInput,
  type MessageTemplatesBody,
  type SavedSegment,
  type SegmentAction,
  type SegmentCountBody,
  type SegmentDetailBody,
  type SegmentListBody,
  type SegmentMembersBody,
} from '../../shared/api/segments.js';
import {
  ROLES,
  type CallbackDetail,
  type CallbackItem,
  type CreatedUserBody,
  type ListedUser,
  type LoopMetrics,
  type PasswordResetBody,
  type SessionBody,
  type StaffUser,
  type TimelineItem,
} from '../../shared/api/staff.js';
import { CASE_STATUSES } from '../../shared/callback-rules.js';
import { LOCALES } from '../../shared/locale.js';

/*
 * Schemas of the answers whose types are TypeScript interfaces in shared/api (the server builds them by hand, so
 * there is no parser to reuse). Each is checked against its interface both ways at compile time (`Same`): a field
 * added to, removed from or retyped in the interface fails `npm run typecheck` here until the schema follows.
 */

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const nullableNumber = z.number().nullable();

const staffUserBody = z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(ROLES) });
true satisfies Same<z.infer<typeof staffUserBody>, StaffUser>;

export const sessionBody = z.object({
  user: staffUserBody,
  csrfToken: z.string().describe('Send as X-CSRF-Token on every request that changes state'),
  brandName: z
    .object({ en: z.string(), fa: z.string() })
    .nullable()
    .describe(
      'The company name per language (HAMI_BRAND_NAME, HAMI_BRAND_NAME_FA), null when unset; the outcome message is signed with it',
    ),
});
true satisfies Same<z.infer<typeof sessionBody>, SessionBody>;

export const listedUserBody = staffUserBody.extend({
  disabled: z.boolean().describe('A disabled user cannot sign in and has no sessions'),
});
true satisfies Same<z.infer<typeof listedUserBody>, ListedUser>;
export const userListBody = z.object({ users: z.array(listedUserBody) });
export const createdUserBody = listedUserBody.extend({
  generatedPassword: z.string().nullable().describe('The password Hami made when none was given, shown only in this answer'),
});
true satisfies Same<z.infer<typeof createdUserBody>, CreatedUserBody>;
export const passwordResetBody = z.object({
  user: listedUserBody,
  password: z.string().describe('The new password, shown only in this answer'),
});
true satisfies Same<z.infer<typeof passwordResetBody>, PasswordResetBody>;

export const eventAcceptedBody = z.object({
  event: z.string(),
  invitations: z.array(
    z.object({
      id: z.string(),
      channel: z.string(),
      status: z.enum(['scheduled', 'sent', 'opened', 'answered', 'skipped', 'failed', 'expired']),
      sendAt: z.string(),
      reason: z
        .string()
        .optional()
        .describe('Why it was skipped: throttled, opted_out, no_address, no_consent (customer.consent.surveys withdrawn), …'),
    }),
  ),
});
true satisfies Same<z.infer<typeof eventAcceptedBody>, EventAccepted>;

const callbackItemBody = z.object({
  id: z.string(),
  customer: z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() }),
  surveyId: z.string(),
  score: nullableNumber,
  comment: z.string().nullable(),
  status: z.enum(CASE_STATUSES),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  dueAt: z.string(),
  openedAt: z.string(),
  overdue: z.boolean(),
  reason: z.string().nullable(),
});
true satisfies Same<z.infer<typeof callbackItemBody>, CallbackItem>;

export const callbackListBody = z.object({ items: z.array(callbackItemBody) });

export const callbackDetailBody = callbackItemBody.extend({
  locale: z.string(),
  channel: z.string(),
  answers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  history: z.array(
    z.object({
      at: z.string(),
      kind: z.string(),
      fromStatus: z.enum(CASE_STATUSES).nullable(),
      toStatus: z.enum(CASE_STATUSES).nullable(),
      note: z.string().nullable().describe('Null for roles that may not read case notes'),
      actor: z.string().nullable(),
    }),
  ),
  outcomeChannel: z.enum(['email', 'sms']).nullable().describe('Where the outcome goes (or went) on closing; null: no usable address'),
});
true satisfies Same<z.infer<typeof callbackDetailBody>, CallbackDetail>;

const ownerLoop = z.object({
  ownerId: z.string(),
  ownerName: z.string(),
  cases: z.number(),
  contacted: z.number(),
  medianHoursToFirstContact: nullableNumber,
  contactedWithinSlaShare: nullableNumber,
  closed: z.number(),
  recovered: z.number(),
});
export const loopMetricsBody = z.object({
  from: z.string(),
  to: z.string(),
  opened: z.number(),
  contacted: z.number(),
  medianHoursToFirstContact: nullableNumber,
  contactedWithinSlaShare: nullableNumber,
  closed: z.number(),
  closureRate: nullableNumber,
  recovered: z.number(),
  byOwner: z.array(ownerLoop),
});
true satisfies Same<z.infer<typeof loopMetricsBody>, LoopMetrics>;

export const timelineBody = z.object({
  items: z.array(
    z.object({
      at: z.string(),
      kind: z.enum(['event', 'invitation', 'answer', 'case', 'case_entry', 'consent', 'autopilot']),
      title: z.string(),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
});
true satisfies Same<z.infer<typeof timelineBody>['items'][number], TimelineItem>;

// Metrics.
export const source = z.enum(['rollup', 'scan']).describe('rollup: answered from the per-day rollups; scan: from the responses');
export const npsTotals = z.object({
  n: z.number(),
  promoters: z.number(),
  passives: z.number(),
  detractors: z.number(),
  nps: nullableNumber.describe('−100…100; null when nobody gave a score'),
  marginOfError: nullableNumber.describe('Half-width of the 95% adjusted-Wald interval, in NPS points'),
});
const percentInterval = z
  .object({ low: z.number(), high: z.number() })
  .nullable()
  .describe('95% Wilson interval in percent; null when nobody answered');
const satisfactionTotals = z.object({
  csatN: z.number(),
  csat: nullableNumber,
  csatInterval: percentInterval,
  cesN: z.number(),
  ces: nullableNumber,
  solvedN: z.number(),
  solvedRate: nullableNumber,
  solvedInterval: percentInterval,
});

export const npsTrendBody = z.object({
  total: npsTotals,
  points: z.array(
    npsTotals.extend({
      start: z.string().describe('First day of the period, YYYY-MM-DD'),
      significant: z
        .boolean()
        .describe(
          'Changed from the previous period: two-sample z test, both periods ≥ 30 answers, Benjamini–Hochberg at 5% over the trend',
        ),
    }),
  ),
  comparisons: z.number().describe('How many period-to-period changes were tested'),
  source,
});
true satisfies Same<z.infer<typeof npsTrendBody>, NpsTrendBody>;

export const satisfactionTrendBody = z.object({
  total: satisfactionTotals,
  points: z.array(satisfactionTotals.extend({ start: z.string() })),
  source,
});
true satisfies Same<z.infer<typeof satisfactionTrendBody>, SatisfactionTrendBody>;

export const summaryBody = z.object({
  nps: npsTotals,
  satisfaction: satisfactionTotals,
  distribution: z.array(z.number()).describe('How many answers gave each score, index 0…10'),
  responses: z.number(),
  funnel: z.object({ planned: z.number(), sent: z.number(), opened: z.number(), answered: z.number(), responseRate: nullableNumber }),
  source,
});
true satisfies Same<z.infer<typeof summaryBody>, SummaryBody>;

export const reasonsBody = z.object({
  categories: z.array(z.object({ reason: z.string(), count: z.number(), cumulativeShare: z.number() })),
  keywords: z.array(z.object({ word: z.string(), count: z.number() })),
  source: z.literal('scan'),
});
true satisfies Same<z.infer<typeof reasonsBody>, ReasonsBody>;

export const commentsBody = z.object({
  items: z.array(
    z.object({
      responseId: z.string(),
      customerId: z.string(),
      customerName: z.string().nullable(),
      surveyId: z.string(),
      channel: z.string(),
      locale: z.string(),
      score: nullableNumber,
      bucket: z.string().nullable(),
      comment: z.string(),
      answeredAt: z.string(),
      caseId: z.string().nullable().describe('The callback case this answer opened, if any'),
    }),
  ),
  source: z.literal('scan'),
});
true satisfies Same<z.infer<typeof commentsBody>, CommentsBody>;

export const filterOptionsBody = z.object({
  surveys: z.array(z.string()),
  channels: z.array(z.string()),
  locales: z.array(z.string()),
  dimensions: z.record(z.string(), z.array(z.string())).describe('Declared dimensions with the values seen'),
});
true satisfies Same<z.infer<typeof filterOptionsBody>, FilterOptionsBody>;

// Segments.
const segmentMember = z.object({
  customerId: z.string(),
  externalId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  score: z.number(),
  bucket: z.enum(BUCKETS),
  answeredAt: z.string(),
  comment: z.string().nullable(),
  responseId: z.string(),
  surveyId: z.string(),
  channel: z.string(),
  locale: z.string(),
  marketingConsent: z
    .boolean()
    .describe('false: the customer withdrew consent to marketing (not reachable; actions skip them with reason no_consent)'),
});
export const segmentMembersBody = z.object({
  members: z.array(segmentMember),
  total: z.number(),
  reachable: z.number().describe('Members who have not withdrawn consent to marketing'),
  nextCursor: z.string().nullable(),
});
true satisfies Same<z.infer<typeof segmentMembersBody>, SegmentMembersBody>;

export const segmentCountBody = z.object({
  count: z.number(),
  reachable: z.number().describe('Members who have not withdrawn consent to marketing'),
});
true satisfies Same<z.infer<typeof segmentCountBody>, SegmentCountBody>;

export const savedSegmentBody = z.object({
  id: z.string(),
  name: z.string(),
  filter: segmentFilterInput,
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string().nullable(),
  memberCount: z.number(),
  reachableCount: z.number(),
});
true satisfies Same<z.infer<typeof savedSegmentBody>, SavedSegment>;

export const segmentListBody = z.object({ items: z.array(savedSegmentBody) });
true satisfies Same<z.infer<typeof segmentListBody>, SegmentListBody>;

export const segmentActionBody = z.object({
  id: z.string(),
  segmentId: z.string(),
  kind: z.enum(ACTION_KINDS),
  channel: z.enum(ACTION_CHANNELS),
  audience: z.enum(['segment', 'all_answered']),
  notice: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  counts: z.object({
    planned: z.number(),
    skipped: z.number(),
    skippedByReason: z.partialRecord(z.enum(SKIP_REASONS), z.number()),
    queued: z.number(),
    sent: z.number(),
    failed: z.number(),
    clicked: z.number(),
  }),
});
true satisfies Same<z.infer<typeof segmentActionBody>, SegmentAction>;

export const segmentDetailBody = savedSegmentBody.extend({ actions: z.array(segmentActionBody) });
true satisfies Same<z.infer<typeof segmentDetailBody>, SegmentDetailBody>;

export const segmentActionListBody = z.object({ items: z.array(segmentActionBody) });

const templateTexts = z.object({ subject: z.string(), body: z.string(), sms: z.string() });
export const messageTemplatesBody = z.object({
  items: z.array(
    z.object({
      kind: z.enum(ACTION_KINDS),
      texts: z.object(Object.fromEntries(LOCALES.map((l) => [l, templateTexts])) as Record<(typeof LOCALES)[number], typeof templateTexts>),
      targetUrl: z.string(),
    }),
  ),
});
true satisfies Same<z.infer<typeof messageTemplatesBody>, MessageTemplatesBody>;
