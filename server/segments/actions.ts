import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  REVIEW_GATING_NOTICE,
  type ActionAudience,
  type ActionCounts,
  type ActionInput,
  type SegmentAction,
  type SegmentFilter,
  type SkipReason,
} from '../../shared/api/segments.js';
import { afterQuietHours } from '../../shared/delivery.js';
import { DEFAULT_LOCALE, isLocale } from '../../shared/locale.js';
import type { Channel } from '../../shared/survey-schema.js';
import { hmac } from '../auth/hashing.js';
import { isPermanentSmtpError } from '../channels/email/transport.js';
import { SmsPermanentError } from '../channels/sms/provider.js';
import { consentWithdrawn } from '../customers/consent.js';
import type { AppDeps } from '../deps.js';
import type { SegmentActionRow } from '../db/schema.js';
import { addressFor, timeZoneOf } from '../delivery/plan-invitation.js';
import { enqueueJob } from '../delivery/queue.js';
import { isSuppressed } from '../delivery/store.js';
import { tokenHash } from '../delivery/tokens.js';
import { PermanentJobError, type JobDefinition } from '../delivery/worker.js';
import {
  actionCounts,
  allMembers,
  findMessage,
  insertAction,
  insertMessage,
  lastSegmentMessageSince,
  markMessageFailed,
  markMessageSent,
  markMessageSkipped,
} from './store.js';
import { renderActionEmail, renderActionSms, targetUrlOf, type MessageTemplates } from './templates.js';

const SEGMENT_MESSAGE_JOB = 'segment.message';
const DAY_MS = 86_400_000;

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config' | 'secret' | 'publicUrl' | 'email' | 'sms' | 'log'>;

/** The token of a message's tracked link (/r/{token}): derived from the secret like survey links, only its hash stored. */
export function messageToken(secret: string, messageId: string): string {
  return hmac(secret, `segment-message:${messageId}`).subarray(0, 16).toString('base64url');
}

const trackedLink = (publicUrl: string, token: string) => `${publicUrl}/r/${token}`;
/** The message's way out: a page to confirm, and the RFC 8058 one-click POST for mail clients. */
const stopLink = (publicUrl: string, token: string) => `${publicUrl}/r/${token}/stop`;

/**
 * Who an action goes to. A review request drops the bucket filter (and so goes to every customer who answered
 * under the other filters): review sites forbid asking only happy customers ("review gating"), so a request to
 * promoters alone would break their terms and could get the business's reviews removed.
 */
export function audienceOf(
  kind: ActionInput['kind'],
  filter: SegmentFilter,
): { audience: ActionAudience; filter: SegmentFilter; notice: string | null } {
  if (kind === 'review_request') return { audience: 'all_answered', filter: { ...filter, buckets: [] }, notice: REVIEW_GATING_NOTICE };
  return { audience: 'segment', filter, notice: null };
}

/** Sums the per-status rows of an action into its counts. */
export function countsOf(rows: readonly { status: string; reason: string | null; n: number; clicked: number }[]): ActionCounts {
  const counts: ActionCounts = { planned: 0, skipped: 0, skippedByReason: {}, queued: 0, sent: 0, failed: 0, clicked: 0 };
  for (const row of rows) {
    counts.planned += row.n;
    counts.clicked += row.clicked;
    if (row.status === 'skipped') {
      counts.skipped += row.n;
      const reason = row.reason as SkipReason;
      counts.skippedByReason[reason] = (counts.skippedByReason[reason] ?? 0) + row.n;
    } else if (row.status === 'queued' || row.status === 'sent' || row.status === 'failed') counts[row.status] += row.n;
  }
  return counts;
}

/** The API view of actions, with their counts. */
export async function describeActions(deps: Pick<Deps, 'db'>, rows: readonly SegmentActionRow[]): Promise<SegmentAction[]> {
  const counts = await actionCounts(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({
    id: row.id,
    segmentId: row.segment_id,
    kind: row.kind as SegmentAction['kind'],
    channel: row.channel as SegmentAction['channel'],
    audience: row.audience as ActionAudience,
    notice: row.notice,
    createdAt: row.created_at,
    createdBy: row.created_by,
    counts: countsOf(counts.filter((c) => c.action_id === row.id)),
  }));
}

/**
 * Plans an action: one message row per member of its audience — skipped with a reason (consent to marketing
 * withdrawn, no address on the channel, opted out there, messaged by a segment action within HAMI_SEGMENT_THROTTLE_DAYS) or queued with its send job, in
 * one transaction, so the plan and its jobs commit together. Send times move out of the customer's quiet hours.
 */
export async function createAction(
  deps: Deps,
  input: { segmentId: string; filter: SegmentFilter; action: ActionInput; actorId: string },
): Promise<SegmentActionRow> {
  const now = deps.clock.now();
  const { audience, filter, notice } = audienceOf(input.action.kind, input.filter);
  const row: SegmentActionRow = {
    id: randomUUID(),
    segment_id: input.segmentId,
    kind: input.action.kind,
    channel: input.action.channel,
    audience,
    notice,
    filter: JSON.stringify(filter),
    created_by: input.actorId,
    created_at: now.toISOString(),
  };
  const { throttleDays } = deps.config.segments;
  const quiet = deps.config.delivery.quietHours;
  await deps.db.transaction().execute(async (trx) => {
    await insertAction(trx, row);
    for await (const member of allMembers(trx, filter, now)) {
      const customer = await trx
        .selectFrom('customers')
        .select(['email', 'phone', 'locale', 'time_zone'])
        .where('id', '=', member.customerId)
        .executeTakeFirstOrThrow();
      const address = addressFor(customer, input.action.channel);
      let skip: SkipReason | null = null;
      // allMembers already read the person's latest marketing consent, in this transaction, with the same SQL.
      if (!member.marketingConsent) skip = 'no_consent';
      else if (!address) skip = 'no_address';
      else if (await isSuppressed(trx, input.action.channel, address)) skip = 'opted_out';
      else if (throttleDays > 0 && (await lastSegmentMessageSince(trx, member.customerId, new Date(now.getTime() - throttleDays * DAY_MS))))
        skip = 'throttled';
      const id = randomUUID();
      const sendAt = skip || !quiet ? now : afterQuietHours(now, timeZoneOf(customer, deps.config.delivery), quiet);
      const inserted = await insertMessage(trx, {
        id,
        action_id: row.id,
        customer_id: member.customerId,
        channel: input.action.channel,
        address,
        locale: isLocale(customer.locale) ? customer.locale : DEFAULT_LOCALE,
        status: skip ? 'skipped' : 'queued',
        reason: skip,
        token_hash: tokenHash(messageToken(deps.secret, id)),
        send_at: sendAt.toISOString(),
        sent_at: null,
        clicked_at: null,
        clicks: 0,
        created_at: now.toISOString(),
      });
      if (inserted && !skip)
        await enqueueJob(trx, { name: SEGMENT_MESSAGE_JOB, payload: { messageId: id }, runAt: sendAt, maxAttempts: 50 }, now);
    }
  });
  return row;
}

const payload = z.object({ messageId: z.string().min(1) });

/**
 * Sends one planned message. Safe to run again: a message no longer 'queued' is left alone, so a retried or
 * re-claimed job never sends twice once the 'sent' mark is committed (the same guarantee as survey invitations).
 * An opt-out or a withdrawal of consent to marketing between planning and sending is honoured here.
 */
export function segmentMessageJob(deps: Deps, templates: MessageTemplates): JobDefinition<z.infer<typeof payload>> {
  return {
    name: SEGMENT_MESSAGE_JOB,
    schema: payload,
    async handle({ messageId }) {
      const message = await findMessage(deps.db, messageId);
      if (message?.status !== 'queued') return;
      const channel = message.channel as Channel;
      if (await consentWithdrawn(deps.db, message.customer_id, 'marketing')) {
        await markMessageSkipped(deps.db, messageId, 'no_consent');
        return;
      }
      if (!message.address || (await isSuppressed(deps.db, channel, message.address))) {
        await markMessageSkipped(deps.db, messageId, 'opted_out');
        return;
      }
      const kind = message.kind as ActionInput['kind'];
      const template = templates[kind];
      const locale = isLocale(message.locale) ? message.locale : DEFAULT_LOCALE;
      const token = messageToken(deps.secret, messageId);
      const link = trackedLink(deps.publicUrl, token);
      try {
        if (channel === 'sms') {
          await deps.sms.send({ to: message.address, text: renderActionSms(template, locale, link), reference: `segment-${messageId}` });
        } else {
          const stop = stopLink(deps.publicUrl, token);
          const mail = renderActionEmail(template, locale, message.name, link, stop, deps.config.brand);
          const headers = { 'List-Unsubscribe': `<${stop}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
          const replyTo = deps.config.brand.replyTo ?? undefined;
          await deps.email.send({
            to: message.address,
            ...mail,
            headers,
            replyTo,
            messageId: `<segment-${messageId}@${new URL(deps.publicUrl).hostname}>`,
          });
        }
      } catch (error) {
        if (error instanceof SmsPermanentError || isPermanentSmtpError(error)) throw new PermanentJobError((error as Error).message);
        throw error;
      }
      await markMessageSent(deps.db, messageId, deps.clock.now());
      deps.log.info('segment message sent', { message: messageId, kind, channel });
    },
    async onGiveUp({ messageId }, reason) {
      await markMessageFailed(deps.db, messageId, reason);
    },
  };
}

/** Where /r/{token} sends the customer for an action kind. */
export function redirectTarget(deps: Pick<Deps, 'config'>, templates: MessageTemplates, kind: string): string | null {
  return kind === 'referral' || kind === 'review_request' ? targetUrlOf(templates, deps.config.segments, kind) : null;
}
