import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { directionOf, isLocale, DEFAULT_LOCALE } from '../../shared/locale.js';
import { caseNote } from '../../shared/case-notes.js';
import { outcomeChannel, outcomeMessage } from '../../shared/outcome-message.js';
import { isPermanentSmtpError } from '../channels/email/transport.js';
import { SmsPermanentError } from '../channels/sms/provider.js';
import type { AppDeps } from '../deps.js';
import { enqueueJob } from '../delivery/queue.js';
import { isSuppressed } from '../delivery/store.js';
import { PermanentJobError, type JobDefinition } from '../delivery/worker.js';
import { OutboundRefusedError, outboundFetch, webhookNetworkPolicy } from '../http/outbound-fetch.js';
import { alertHtml, alertSlackText, alertText, escapeHtml, oneLine, type StaffAlert } from './alert-format.js';
import { newDetractorAlert, overdueAlert, type AlertCase } from './alert-text.js';
import { appendCaseEntry, caseCarerEmail } from './store.js';
import { emitWebhookEvent } from '../webhooks/emit.js';
import { CASE_OUTCOME_JOB } from './work-case.js';

import { ALERT_WEBHOOK_JOB, NEW_DETRACTOR_JOB, SLA_CHECK_JOB } from './job-names.js';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config' | 'email' | 'sms' | 'publicUrl' | 'log' | 'fetch' | 'secret' | 'surveys'>;
const casePayload = z.object({ caseId: z.string().min(1) });

async function caseSummary(deps: Deps, caseId: string) {
  return deps.db
    .selectFrom('callback_cases as k')
    .innerJoin('customers as c', 'c.id', 'k.customer_id')
    .innerJoin('responses as r', 'r.id', 'k.response_id')
    .innerJoin('invitations as i', 'i.id', 'r.invitation_id')
    .select([
      'k.id',
      'k.status',
      'k.owner_id',
      'k.due_at',
      'k.survey_id',
      'c.name',
      'c.email',
      'c.phone',
      'r.score',
      'r.comment',
      'r.locale',
      'i.channel',
      'i.address',
    ])
    .where('k.id', '=', caseId)
    .executeTakeFirst();
}

const caseUrl = (deps: Deps, caseId: string) => `${deps.publicUrl}/app/#/callbacks/${caseId}`;

/** A case as the alert wording needs it: the survey by its name in the team's language, the link to the case. */
function alertCase(deps: Deps, caseId: string, summary: NonNullable<Awaited<ReturnType<typeof caseSummary>>>): AlertCase {
  const survey = deps.surveys.byId(summary.survey_id);
  return {
    who: summary.name ? oneLine(summary.name) : null,
    score: summary.score,
    surveyName: survey?.name?.[deps.config.teamLocale] ?? summary.survey_id,
    comment: summary.comment,
    dueAt: summary.due_at,
    url: caseUrl(deps, caseId),
  };
}

/** Emails staff; one failed recipient does not stop the others, and a dead mail server retries the job. */
async function mailStaff(deps: Deps, userIds: string[] | 'care-team', subject: string, alert: StaffAlert): Promise<void> {
  let query = deps.db.selectFrom('users').select('email').where('disabled_at', 'is', null);
  query = userIds === 'care-team' ? query.where('role', 'in', ['care', 'admin']) : query.where('id', 'in', userIds.length ? userIds : ['']);
  for (const { email } of await query.execute()) {
    try {
      await deps.email.send({
        to: email,
        subject,
        text: alertText(alert),
        html: alertHtml(alert, directionOf(deps.config.teamLocale)),
        headers: {},
        messageId: `<alert-${Date.now()}-${Math.random().toString(36).slice(2)}@hami>`,
      });
    } catch (error) {
      if (!isPermanentSmtpError(error)) throw error;
      deps.log.warn('staff alert refused', { error });
    }
  }
}

/** Signature of an alert: HMAC-SHA256 over "timestamp.body", so a receiver can check origin and reject replays. */
function signAlert(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** A new detractor: the care team hears at once, by email and on the team's chat webhook. */
export function newDetractorJob(deps: Deps): JobDefinition<z.infer<typeof casePayload>> {
  return {
    name: NEW_DETRACTOR_JOB,
    schema: casePayload,
    async handle({ caseId }) {
      const summary = await caseSummary(deps, caseId);
      if (summary?.status !== 'open') return;
      const { subject, alert, chatPrefix } = newDetractorAlert(
        alertCase(deps, caseId, summary),
        deps.config.teamLocale,
        deps.config.delivery.defaultTimeZone,
      );
      if (deps.config.alertWebhook) {
        const text = alertSlackText({ ...alert, headline: `${chatPrefix}${alert.headline}` });
        await enqueueJob(
          deps.db,
          { name: ALERT_WEBHOOK_JOB, payload: { event: 'callback.opened', caseId, text }, runAt: deps.clock.now() },
          deps.clock.now(),
        );
      }
      await mailStaff(deps, 'care-team', subject, alert);
    },
  };
}

/** At the due time: a case still not contacted is overdue — its owner and the admins are told, and it is noted. */
export function slaCheckJob(deps: Deps): JobDefinition<z.infer<typeof casePayload>> {
  return {
    name: SLA_CHECK_JOB,
    schema: casePayload,
    async handle({ caseId }) {
      const summary = await caseSummary(deps, caseId);
      if (summary?.status !== 'open' || summary.due_at > deps.clock.now().toISOString()) return;
      const admins = await deps.db.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null).execute();
      const recipients = [...new Set([...(summary.owner_id ? [summary.owner_id] : []), ...admins.map((a) => a.id)])];
      const { subject, alert, chatPrefix } = overdueAlert(
        alertCase(deps, caseId, summary),
        deps.config.teamLocale,
        deps.config.delivery.defaultTimeZone,
      );
      await deps.db.transaction().execute(async (trx) => {
        await appendCaseEntry(trx, { caseId, at: deps.clock.now(), kind: 'escalated', note: caseNote({ kind: 'overdue_alerted' }) });
        await emitWebhookEvent(trx, 'callback.overdue', { caseId }, deps.clock.now());
        if (deps.config.alertWebhook) {
          const text = alertSlackText({ ...alert, headline: `${chatPrefix}${alert.headline}` });
          await enqueueJob(
            trx,
            { name: ALERT_WEBHOOK_JOB, payload: { event: 'callback.overdue', caseId, text }, runAt: deps.clock.now() },
            deps.clock.now(),
          );
        }
      });
      await mailStaff(deps, recipients, subject, alert);
    },
  };
}

const webhookPayload = z.object({ event: z.string(), caseId: z.string(), text: z.string() });

/** Posts one alert to the Slack-compatible webhook (its `text` shows in the channel); 5xx and network errors retry. */
export function alertWebhookJob(deps: Deps): JobDefinition<z.infer<typeof webhookPayload>> {
  return {
    name: ALERT_WEBHOOK_JOB,
    schema: webhookPayload,
    async handle({ event, caseId, text }) {
      const hook = deps.config.alertWebhook;
      if (!hook) return;
      await postSignedWebhook(
        deps,
        hook,
        event,
        JSON.stringify({ text, event, case: { id: caseId, url: caseUrl(deps, caseId) } }),
        'alert webhook',
      );
    },
  };
}

/**
 * POSTs a JSON body to a signed webhook: X-Hami-Event, X-Hami-Timestamp (Unix seconds) and X-Hami-Signature
 * (signAlert over "timestamp.body"), plus any `headers` given. Sent through outboundFetch, so it never reaches
 * loopback or private addresses (unless HAMI_WEBHOOK_ALLOW_PRIVATE=1) and never follows a redirect. Returns the
 * receiver's answer whatever its status; a refused URL throws OutboundRefusedError, a network error or no
 * answer within `timeoutMs` throws too.
 */
export async function sendSignedWebhook(
  deps: Pick<AppDeps, 'clock' | 'config' | 'resolveHost'>,
  hook: { url: string; secret: string },
  event: string,
  body: string,
  options: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Response> {
  const timestamp = String(Math.floor(deps.clock.now().getTime() / 1000));
  return outboundFetch(
    hook.url,
    {
      method: 'POST',
      headers: {
        ...options.headers,
        'content-type': 'application/json',
        'x-hami-event': event,
        'x-hami-timestamp': timestamp,
        'x-hami-signature': signAlert(hook.secret, timestamp, body),
      },
      body,
      timeoutMs: options.timeoutMs ?? 10_000,
    },
    webhookNetworkPolicy(deps),
  );
}

/**
 * What a webhook receiver's answer means for the job: null for 2xx; a PermanentJobError for a redirect (never
 * followed: it could lead to an address the URL check refuses, so the URL must name the final address) and for a
 * 4xx other than 408/429 (asking again will not help); otherwise an Error, so the queue retries with backoff.
 */
export function webhookAnswerError(status: number, what: string, location?: string | null): Error | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) {
    return new PermanentJobError(
      `${what} answered ${status}, a redirect${location ? ` to ${location.slice(0, 200)}` : ''}; redirects are not followed: use the final URL`,
    );
  }
  if (status >= 400 && status < 500 && status !== 429 && status !== 408) return new PermanentJobError(`${what} refused with ${status}`);
  return new Error(`${what} answered ${status}`);
}

/** Posts a signed webhook (sendSignedWebhook) and throws webhookAnswerError's error for an answer other than 2xx. */
export async function postSignedWebhook(
  deps: Pick<AppDeps, 'clock' | 'config' | 'resolveHost'>,
  hook: { url: string; secret: string },
  event: string,
  body: string,
  what: string,
): Promise<void> {
  let response: Response;
  try {
    response = await sendSignedWebhook(deps, hook, event, body);
  } catch (error) {
    if (error instanceof OutboundRefusedError) throw new PermanentJobError(`${what} ${error.message}`);
    throw error;
  }
  const error = webhookAnswerError(response.status, what, response.headers.get('location'));
  if (error) throw error;
}

const outcomePayload = z.object({ caseId: z.string(), outcome: z.string() });

/** Tells the customer the result of their case on the channel they were surveyed on, even when the answer is no. */
export function caseOutcomeJob(deps: Deps): JobDefinition<z.infer<typeof outcomePayload>> {
  return {
    name: CASE_OUTCOME_JOB,
    schema: outcomePayload,
    async handle({ caseId, outcome }) {
      const summary = await caseSummary(deps, caseId);
      if (!summary) return;
      const locale = isLocale(summary.locale) ? summary.locale : DEFAULT_LOCALE;
      const message = outcomeMessage(locale, summary.name, outcome, deps.config.brand.name?.[locale] ?? null);
      const channel = outcomeChannel({ surveyedBy: summary.channel, email: summary.email, phone: summary.phone });
      const address = channel === 'sms' ? summary.phone : summary.email;
      if (!channel || !address || (await isSuppressed(deps.db, channel, address))) {
        deps.log.warn('case outcome not sent: no usable address', { case: caseId });
        return;
      }
      try {
        if (channel === 'sms') await deps.sms.send({ to: address, text: message.text, reference: `case-${caseId}` });
        else {
          const html = `<div dir="${locale === 'fa' ? 'rtl' : 'ltr'}" style="font:15px/1.5 Tahoma,sans-serif;white-space:pre-wrap">${escapeHtml(message.text)}</div>`;
          // The customer may well answer this one: the reply reaches the care team (HAMI_BRAND_REPLY_TO), else the
          // person who owns the case — never MAIL_FROM, which is often a no-reply address.
          const replyTo = deps.config.brand.replyTo ?? (await caseCarerEmail(deps.db, caseId)) ?? undefined;
          if (!replyTo) deps.log.warn('case outcome has no Reply-To: no HAMI_BRAND_REPLY_TO and no active owner', { case: caseId });
          await deps.email.send({
            to: address,
            subject: message.subject,
            text: message.text,
            html,
            headers: {},
            replyTo,
            messageId: `<outcome-${caseId}@${new URL(deps.publicUrl).hostname}>`,
          });
        }
      } catch (error) {
        if (error instanceof SmsPermanentError || isPermanentSmtpError(error)) throw new PermanentJobError((error as Error).message);
        throw error;
      }
      deps.log.info('case outcome sent', { case: caseId, channel });
    },
  };
}
