import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parseAnswer } from '../../shared/answers.js';
import { messagesFor, withBrand } from '../../shared/customer-messages.js';
import { toLatinDigits } from '../../shared/digits.js';
import { isLocale, DEFAULT_LOCALE } from '../../shared/locale.js';
import { fillSmsTemplate } from '../../shared/sms.js';
import { isOptOutReply } from '../../shared/sms-opt-out.js';
import { readSender } from '../customers/phone.js';
import type { AppDeps } from '../deps.js';
import { surveyLink } from '../delivery/links.js';
import { enqueueJob } from '../delivery/queue.js';
import { findInvitation, isSuppressed, suppress } from '../delivery/store.js';
import { invitationToken } from '../delivery/tokens.js';
import { PermanentJobError, type JobDefinition } from '../delivery/worker.js';
import { SmsPermanentError, type InboundSms } from '../channels/sms/provider.js';
import { recordAnswer } from './record-answer.js';

type InboundOutcome = 'opt_out' | 'answer' | 'comment' | 'unmatched';

export const SMS_THANKS_JOB = 'sms.thanks';

/**
 * A text from a customer: the sender is read as E.164 whatever form the gateway wrote it in (`0912…`, `98912…`,
 * `0098…`; a national form in HAMI_DEFAULT_COUNTRY), so it matches the stored phone; then an opt-out word suppresses the number; otherwise it answers the latest open survey sent
 * to that number — a valid answer to its one-tap question (a score 0–10 in any digits, or yes/no) is recorded
 * and thanked with the comment link; anything else is kept as the customer's comment.
 */
export async function handleInboundSms(
  deps: Pick<AppDeps, 'db' | 'clock' | 'surveys' | 'log' | 'config'>,
  message: InboundSms,
): Promise<InboundOutcome> {
  const { db } = deps;
  const now = deps.clock.now();
  const text = message.text.trim();
  // A sender that is no phone number (an alphanumeric sender id) is kept as given: it matches nothing.
  const from = readSender(message.from, deps.config.defaultCountry) ?? message.from.trim();
  const log = async (outcome: InboundOutcome, invitationId: string | null) => {
    await db
      .insertInto('inbound_messages')
      .values({
        id: randomUUID(),
        channel: 'sms',
        address: from,
        text: text.slice(0, 2000),
        received_at: now.toISOString(),
        invitation_id: invitationId,
        outcome,
      })
      .execute();
    deps.log.info('inbound SMS', { outcome, invitation: invitationId ?? undefined });
    return outcome;
  };

  if (isOptOutReply(text)) {
    await suppress(db, 'sms', from, 'opted_out', now);
    return log('opt_out', null);
  }
  const invitation = await db
    .selectFrom('invitations')
    .selectAll()
    .where('channel', '=', 'sms')
    .where('address', '=', from)
    .where('status', 'in', ['sent', 'opened', 'answered'])
    .where('expires_at', '>', now.toISOString())
    .orderBy('sent_at', 'desc')
    .executeTakeFirst();
  const survey = invitation && deps.surveys.byId(invitation.survey_id);
  if (!invitation || !survey || text === '') return log('unmatched', invitation?.id ?? null);

  const oneTap = survey.questions.find((q) => q.id === survey.oneTap)!;
  const parsed = parseAnswer(oneTap, toLatinDigits(text));
  if (parsed.value !== undefined) {
    await recordAnswer(db, {
      invitation,
      survey,
      answers: { [oneTap.id]: parsed.value },
      source: 'sms',
      now,
      alsoInTransaction: async (trx) => {
        await enqueueJob(trx, { name: SMS_THANKS_JOB, payload: { invitationId: invitation.id }, runAt: now }, now);
      },
    });
    return log('answer', invitation.id);
  }
  const comment = survey.questions.find((q) => q.type === 'text');
  if (!comment) return log('unmatched', invitation.id);
  await recordAnswer(db, { invitation, survey, answers: { [comment.id]: text.slice(0, comment.maxLength) }, source: 'sms', now });
  return log('comment', invitation.id);
}

const thanksPayload = z.object({ invitationId: z.string().min(1) });

/** After a score by SMS: "Anar Shop: Thank you! Tell us more: <link>", so the customer can add the reason on the page. */
export function smsThanksJob(
  deps: Pick<AppDeps, 'db' | 'sms' | 'secret' | 'publicUrl' | 'config'>,
): JobDefinition<z.infer<typeof thanksPayload>> {
  return {
    name: SMS_THANKS_JOB,
    schema: thanksPayload,
    async handle({ invitationId }) {
      const invitation = await findInvitation(deps.db, invitationId);
      if (!invitation?.address) return;
      const locale = isLocale(invitation.locale) ? invitation.locale : DEFAULT_LOCALE;
      const link = surveyLink(deps.publicUrl, invitationToken(deps.secret, invitation.id));
      if (await isSuppressed(deps.db, 'sms', invitation.address)) return;
      try {
        await deps.sms.send({
          to: invitation.address,
          text: withBrand(deps.config.brand.name?.[locale] ?? null, fillSmsTemplate(messagesFor(locale).smsThanks, link)),
          reference: `${invitation.id}:thanks`,
        });
      } catch (error) {
        if (error instanceof SmsPermanentError) throw new PermanentJobError(error.message);
        throw error;
      }
    },
  };
}
