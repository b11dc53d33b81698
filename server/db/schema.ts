import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { EventType, InvitationStatus } from '../../shared/api/events.js';
import type { ConsentPurpose } from '../../shared/api/privacy.js';
import type { ActionAudience, ActionChannel, ActionKind } from '../../shared/api/segments.js';
import type { DeliveryStatus } from '../../shared/api/webhooks.js';
import type { CaseStatus } from '../../shared/callback-rules.js';
import type { Role } from '../../shared/roles.js';
import type { Bucket } from '../../shared/scoring.js';
import type { Channel, InvitationChannel } from '../../shared/survey-schema.js';
import type { WebhookEvent } from '../../shared/webhook-events.js';

/*
 * The one Database interface. Conventions that keep SQLite and PostgreSQL alike:
 * - ids are UUID strings made in the app (crypto.randomUUID), never engine-generated;
 * - instants are ISO-8601 UTC strings (Date#toISOString), which sort and compare as text on both engines;
 * - day keys are 'YYYY-MM-DD' strings; JSON is stored as text and parsed in the store that owns it.
 */

export interface CustomersTable {
  id: string;
  /** The id the shop or help desk knows the customer by. */
  external_id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  locale: string;
  time_zone: string | null;
  attributes: string;
  created_at: string;
  updated_at: string;
  /**
   * Set when the customer was erased (server/privacy/erase.ts): contact details, name and free text are gone, the
   * row stays so their scores keep counting. Optional on insert (and left out of `Customer`) so code that makes a
   * new customer need not mention it.
   */
  erased_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface EventsTable {
  id: string;
  type: EventType;
  external_id: string;
  customer_id: string;
  occurred_at: string;
  requested_send_at: string | null;
  attributes: string;
  received_at: string;
}

export interface InvitationsTable {
  id: string;
  event_id: string | null;
  customer_id: string;
  survey_id: string;
  channel: InvitationChannel;
  /** scheduled → sent → opened → answered; or skipped / failed / expired. */
  status: InvitationStatus;
  reason: string | null;
  /** The address used (email or phone) at planning time. */
  address: string | null;
  locale: string;
  /** SHA-256 of the link token; the token itself is derived from the secret and never stored. */
  token_hash: string;
  send_at: string;
  expires_at: string;
  sent_at: string | null;
  opened_at: string | null;
  answered_at: string | null;
  created_at: string;
  /** The gateway's id for the message (SMS), to match delivery reports. */
  provider_message_id: string | null;
  /** From delivery reports: sent | delivered | failed. */
  delivery_status: string | null;
  delivery_detail: string | null;
  delivery_updated_at: string | null;
  reminder_sent_at: string | null;
  /** Set when the answer came through a survey's public link or kiosk rather than a personal invitation. */
  public_link_id: string | null;
  /** For a follow-up survey: the callback case it asks about. */
  case_id: string | null;
}

export interface ResponsesTable {
  id: string;
  /** Unique: a link answers one invitation only. */
  invitation_id: string;
  customer_id: string;
  survey_id: string;
  channel: InvitationChannel;
  locale: string;
  /** The latest NPS score (null when the question was skipped) and its bucket. */
  score: number | null;
  bucket: Bucket | null;
  /** The latest answers, JSON {questionId: value}. */
  answers: string;
  comment: string | null;
  /** The theme ids the comment was tagged with (JSON array, sorted; '[]' without a comment), see server/themes/. */
  themes: Generated<string>;
  /** The event's and the customer's attributes at answer time, JSON. */
  attributes: string;
  /** UTC day of the first answer, for per-day grouping. */
  day: string;
  answered_at: string;
  updated_at: string;
}

export interface ResponseHistoryTable {
  id: string;
  response_id: string;
  answers: string;
  score: number | null;
  /** 'link' (one tap), 'form' (page submit). */
  source: string;
  recorded_at: string;
}

/** A one-tap link GET of the last few seconds (server/responses/one-tap.ts: scanners tap every value at once). */
export interface OneTapTapsTable {
  id: string;
  invitation_id: string;
  /** The tapped value as in the link (?score=7, or yes/no). */
  value: string;
  at: string;
}

export interface CallbackCasesTable {
  id: string;
  /** Unique: one case per answer. */
  response_id: string;
  customer_id: string;
  survey_id: string;
  status: CaseStatus;
  owner_id: string | null;
  due_at: string;
  reason: string | null;
  opened_at: string;
  closed_at: string | null;
  updated_at: string;
}

/** The audit trail of a case: appended, never updated. */
export interface CaseEntriesTable {
  id: string;
  case_id: string;
  at: string;
  kind: string;
  from_status: CaseStatus | null;
  to_status: CaseStatus | null;
  note: string | null;
  actor_id: string | null;
  /** Order within the case (entries of one request share `at`). */
  seq: number;
}

export interface JobsTable {
  id: string;
  name: string;
  payload: string;
  /** What the job is about, for jobs that are looked up by it (a settle job: its response id); else null. */
  key: string | null;
  /** queued | running | done | failed | cancelled (its customer was erased before it ran) */
  status: string;
  run_at: string;
  attempts: number;
  max_attempts: number;
  /** While running: when the claim lapses and another worker may take the job (a crashed worker's job). */
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  /** The first characters, to recognise a key in a list without revealing it. */
  prefix: string;
  key_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  disabled_at: string | null;
  created_at: string;
}

/** Addresses and numbers that must never be contacted again on a channel. */
export interface SuppressionsTable {
  channel: Channel;
  address: string;
  reason: string;
  created_at: string;
}

/** A Bale chat and the customer number it belongs to (learned from a button tap), for opt-outs typed to the bot. */
export interface BaleChatsTable {
  chat_id: string;
  /** E.164, as the invitation's bale address. */
  phone: string;
  updated_at: string;
}

/** Texts customers sent us (two-way SMS), and what each was taken as. */
export interface InboundMessagesTable {
  id: string;
  channel: Channel;
  address: string;
  text: string;
  received_at: string;
  invitation_id: string | null;
  outcome: string;
}

/** The one row /healthz writes to prove the database takes writes. */
export interface HealthProbeTable {
  id: string;
  checked_at: string;
}

/**
 * A channel on hold because the gateway refused our account (server/delivery/channel-hold.ts): sends wait, one
 * attempt at `probe_at` tries again, the first success releases every held job.
 */
export interface ChannelHoldsTable {
  channel: Channel;
  /** The gateway (kavenegar, twilio, …) that refused. */
  provider: string;
  /** What to fix: credit | credentials | sender | account. */
  problem: string;
  /** The gateway's own code. */
  code: string;
  detail: string;
  held_since: string;
  /** When one send may try the gateway again. */
  probe_at: string;
}

/** A signed-in staff member. Only the SHA-256 of the cookie's token is stored. */
export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

/**
 * Per-day sums for the metrics API. dimension '' / dimension_value '' is the row of all responses; each dimension a
 * survey declares has rows per value. Every count is a sum of per-response contributions (server/metrics/contribution.ts).
 */
export interface MetricRollupsTable {
  dimension: string;
  dimension_value: string;
  day: string;
  survey_id: string;
  channel: string;
  locale: string;
  /** Responses, scored or not. */
  responses: number;
  /** How many scored 0, 1, … 10. */
  s0: number;
  s1: number;
  s2: number;
  s3: number;
  s4: number;
  s5: number;
  s6: number;
  s7: number;
  s8: number;
  s9: number;
  s10: number;
  csat_n: number;
  /** CSAT answers of 4 or 5. */
  csat_satisfied: number;
  ces_n: number;
  ces_sum: number;
  /** Answers to "Was your problem solved?", and the yeses among them. */
  solved_n: number;
  solved_yes: number;
}

/** What the rollups were computed for; a different definition at start-up means they are recomputed. */
export interface MetricRollupStateTable {
  id: string;
  definition: string;
  rebuilt_at: string;
}

/** The admin's part of the theme dictionary: an edited built-in (by its id) or an own theme; definition is a ThemeDefinition's JSON. */
export interface ThemeDictionaryTable {
  id: string;
  definition: string;
  updated_at: string;
  updated_by: string | null;
}

/**
 * One row (id 'themes'): the dictionary the stored tags come from (its fingerprint and its definitions as JSON), which
 * answers recorded now are tagged with too, and when history was last re-tagged with it (null: never, e.g. on upgrade).
 */
export interface ThemeStateTable {
  id: string;
  fingerprint: string;
  dictionary: string;
  retagged_at: string | null;
}

/** A saved segment: a name and its filter (JSON of shared/api/segments.ts SegmentFilter). */
export interface SegmentsTable {
  id: string;
  name: string;
  filter: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A referral invitation or review request sent to a segment; `filter` is the audience's filter at that moment. */
export interface SegmentActionsTable {
  id: string;
  segment_id: string;
  kind: ActionKind;
  channel: ActionChannel;
  /** 'segment' | 'all_answered' (review requests: every bucket, see review gating). */
  audience: ActionAudience;
  notice: string | null;
  filter: string;
  created_by: string | null;
  created_at: string;
}

/** One customer an action considered: skipped (with reason) → or queued → sent | failed; clicked_at on the first click. */
export interface SegmentMessagesTable {
  id: string;
  action_id: string;
  customer_id: string;
  channel: ActionChannel;
  address: string | null;
  locale: string;
  status: string;
  reason: string | null;
  /** SHA-256 of the /r/{token} link token (the token is derived from the secret, never stored). */
  token_hash: string;
  send_at: string;
  sent_at: string | null;
  clicked_at: string | null;
  clicks: number;
  created_at: string;
}

/** An outbound webhook subscription (Settings → Webhooks). `events` is a JSON array of event names; `active` 0/1. */
export interface WebhooksTable {
  id: string;
  url: string;
  description: string;
  secret: string;
  events: string;
  active: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** One event for one subscription: pending → delivered | failed. A resend is a new row with the same body. */
export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event: WebhookEvent;
  /** The body's `id`, shared by a delivery and its resends. */
  event_id: string;
  body: string;
  status: DeliveryStatus;
  next_attempt_at: string | null;
  resend_of: string | null;
  created_at: string;
  updated_at: string;
}

/** Each POST of a delivery, for the log: status code (null when there was no answer), time taken, error, answer excerpt. */
export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  at: string;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_excerpt: string | null;
}

/** What a customer agreed to (or withdrew), when and how. Appended, never updated. */
export interface ConsentsTable {
  id: string;
  customer_id: string;
  /** 'marketing' | 'surveys' (shared/api/privacy.ts CONSENT_PURPOSES). */
  purpose: ConsentPurpose;
  /** 1 granted, 0 withdrawn. */
  granted: number;
  /** When the customer gave or withdrew it (as the integration says), ISO-8601. */
  given_at: string;
  /** How it reached Hami: 'integration' (with an event or an imported row). */
  source: string;
  /** How it was asked, as the integration describes it (e.g. "checkout checkbox, terms v3"). */
  detail: string | null;
  recorded_at: string;
}

/** Exports, erasures and retention purges: who, when, counts. Never personal data. */
export interface PrivacyAuditTable {
  id: string;
  /** 'export' | 'erase' | 'retention' */
  action: string;
  customer_id: string | null;
  /** A staff user id, 'cli' or 'retention'. */
  actor: string;
  at: string;
  /** JSON: counts of what was changed. */
  detail: string;
}

/** Delighted's person id → the customer it was imported as (server/imports/delighted.ts joins people and responses by it). */
export interface DelightedPeopleTable {
  person_id: string;
  customer_id: string;
  created_at: string;
}

/** A customer on autopilot on one channel (server/autopilot/): the recurring relationship survey. */
export interface AutopilotMembershipsTable {
  customer_id: string;
  /** 'email' or 'sms' (Delighted's platforms). */
  channel: string;
  /** JSON: the properties given when they were added (also kept as customer attributes). */
  properties: string;
  /** When the queued job `next_job_id` plans their next survey. */
  next_send_at: string;
  next_job_id: string;
  /** Their last autopilot survey's send time: the next one counts from it. */
  last_sent_at: string | null;
  last_invitation_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface Database {
  customers: CustomersTable;
  events: EventsTable;
  invitations: InvitationsTable;
  responses: ResponsesTable;
  response_history: ResponseHistoryTable;
  one_tap_taps: OneTapTapsTable;
  callback_cases: CallbackCasesTable;
  case_entries: CaseEntriesTable;
  jobs: JobsTable;
  api_keys: ApiKeysTable;
  users: UsersTable;
  suppressions: SuppressionsTable;
  inbound_messages: InboundMessagesTable;
  bale_chats: BaleChatsTable;
  sessions: SessionsTable;
  health_probe: HealthProbeTable;
  channel_holds: ChannelHoldsTable;
  metric_rollups: MetricRollupsTable;
  metric_rollup_state: MetricRollupStateTable;
  theme_dictionary: ThemeDictionaryTable;
  theme_state: ThemeStateTable;
  segments: SegmentsTable;
  segment_actions: SegmentActionsTable;
  segment_messages: SegmentMessagesTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  consents: ConsentsTable;
  privacy_audit: PrivacyAuditTable;
  delighted_people: DelightedPeopleTable;
  autopilot_memberships: AutopilotMembershipsTable;
}

export type Customer = Selectable<Omit<CustomersTable, 'erased_at'>>;
export type NewEvent = Insertable<EventsTable>;
export type NewJobRow = Insertable<JobsTable>;
export type Invitation = Selectable<InvitationsTable>;
export type NewInvitation = Insertable<InvitationsTable>;
export type ResponseRow = Selectable<ResponsesTable>;
export type AutopilotMembership = Selectable<AutopilotMembershipsTable>;
export type CallbackCase = Selectable<CallbackCasesTable>;
export type Job = Selectable<JobsTable>;
export type User = Selectable<UsersTable>;
export type SegmentRow = Selectable<SegmentsTable>;
export type SegmentActionRow = Selectable<SegmentActionsTable>;
export type SegmentMessageRow = Selectable<SegmentMessagesTable>;
export type WebhookRow = Selectable<WebhooksTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>;
