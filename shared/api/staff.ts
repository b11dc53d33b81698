import { z } from 'zod';
import type { Locale } from '../locale.js';
import { STAFF_STATUSES, type CaseStatus } from '../callback-rules.js';
import { ROLES, type Role } from '../roles.js';

export { ROLES, type Role };

export interface StaffUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** POST /api/session */
export const loginInput = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(200) }).strict();
export interface SessionBody {
  user: StaffUser;
  csrfToken: string;
  /** The company's name per language (HAMI_BRAND_NAME, _FA), null when unset: the outcome preview signs with it. */
  brandName: Record<Locale, string> | null;
}

/** POST /api/users (admin only) */
export const newUserInput = z
  .object({
    email: z.email({ error: 'must be an email address' }).max(254),
    name: z.string().trim().min(1, 'is required').max(200),
    role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }),
    password: z.string().min(10, 'must be at least 10 characters').max(200),
  })
  .strict();

/**
 * POST /api/users from the dashboard: the password may be left out, and the server then makes one and answers it
 * once (as `hami user add` prints one), so an admin never has to invent a password for someone else.
 */
export const addUserInput = newUserInput.extend({ password: newUserInput.shape.password.optional() });

/** A staff account as Settings lists it (GET /api/users). */
export interface ListedUser extends StaffUser {
  disabled: boolean;
}

/** The answer to POST /api/users: the account, and the generated password (shown once) when none was given. */
export interface CreatedUserBody extends ListedUser {
  generatedPassword: string | null;
}

/** PATCH /api/users/{id}: a new role, or disabled (sessions end, sign-in refused) / enabled again. */
export const userPatchInput = z
  .object({
    role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }).optional(),
    disabled: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict()
  .refine((patch) => patch.role !== undefined || patch.disabled !== undefined, { error: 'give role or disabled', path: ['role'] });
export type UserPatch = z.infer<typeof userPatchInput>;

/** POST /api/users/{id}/password: a new generated password, shown once; every session of the user ends. */
export interface PasswordResetBody {
  user: ListedUser;
  password: string;
}

/** Why a case was closed (the root cause), so detractor reasons can be counted. */
export const REASON_CATEGORIES = [
  'shipping_delay',
  'product_defect',
  'support_response',
  'billing_refund',
  'price',
  'website_app',
  'other',
] as const;
export type ReasonCategory = (typeof REASON_CATEGORIES)[number];

export { CASE_STATUSES as CALLBACK_STATUSES } from '../callback-rules.js';

/** PATCH /api/callbacks/{id} */
export const callbackPatchInput = z
  .object({
    status: z.enum(STAFF_STATUSES).optional(),
    ownerId: z.string().min(1).nullable().optional(),
    note: z.string().trim().min(1).max(5000).optional(),
    reason: z.enum(REASON_CATEGORIES, { error: `must be one of ${REASON_CATEGORIES.join(', ')}` }).optional(),
    /** Required when closing: the message the customer is sent with the result, even when the answer is no. */
    outcome: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();
export type CallbackPatch = z.infer<typeof callbackPatchInput>;

export interface CallbackItem {
  id: string;
  customer: { id: string; name: string | null; email: string | null; phone: string | null };
  surveyId: string;
  score: number | null;
  comment: string | null;
  status: CaseStatus;
  ownerId: string | null;
  ownerName: string | null;
  dueAt: string;
  openedAt: string;
  overdue: boolean;
  reason: string | null;
}

export interface CaseEntry {
  at: string;
  kind: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
  /** Null for roles that may not read case notes. */
  note: string | null;
  actor: string | null;
}

export interface CallbackDetail extends CallbackItem {
  locale: string;
  channel: string;
  answers: Record<string, string | number | boolean>;
  history: CaseEntry[];
  /** Where the outcome goes (or went) when the case is closed: null when the customer has no usable address. */
  outcomeChannel: 'email' | 'sms' | null;
}

/** GET /api/customers/{id}/timeline: everything about one customer, oldest first. */
export interface TimelineItem {
  at: string;
  /** 'autopilot': a membership, at its next planned send (in the future). */
  kind: 'event' | 'invitation' | 'answer' | 'case' | 'case_entry' | 'consent' | 'autopilot';
  title: string;
  detail: Record<string, unknown>;
}

/** GET /api/callbacks/metrics */
export interface LoopMetrics {
  from: string;
  to: string;
  opened: number;
  contacted: number;
  medianHoursToFirstContact: number | null;
  contactedWithinSlaShare: number | null;
  closed: number;
  closureRate: number | null;
  recovered: number;
  byOwner: {
    ownerId: string;
    ownerName: string;
    cases: number;
    contacted: number;
    medianHoursToFirstContact: number | null;
    contactedWithinSlaShare: number | null;
    closed: number;
    recovered: number;
  }[];
}
