import { baleInvitationText, baleKeyboard } from '../../shared/bale.js';
import { messagesFor } from '../../shared/customer-messages.js';
import { isLocale, DEFAULT_LOCALE } from '../../shared/locale.js';
import { invitationSmsText } from '../../shared/sms.js';
import { smsTemplateFor } from '../../shared/sms-templates.js';
import type { SurveyDefinition } from '../../shared/survey-schema.js';
import type { AppDeps } from '../deps.js';
import type { Invitation } from '../db/schema.js';
import { surveyLink } from '../delivery/links.js';
import { invitationToken } from '../delivery/tokens.js';
import { renderInvitationEmail } from './email/invitation-email.js';
import { isPermanentSmtpError, isRefusedRecipient } from './email/transport.js';
import { BalePermanentError } from './bale/channel.js';
import { SmsPermanentError } from './sms/provider.js';

/** The channel refused this address for good; `suppress` says the address itself is bad (bounce, invalid number). */
export class ChannelRefused extends Error {
  override name = 'ChannelRefused';
  constructor(
    message: string,
    readonly suppress: boolean,
  ) {
    super(message);
  }
}

export interface Delivered {
  providerMessageId: string | null;
  /** Dev outbox only: where the message was saved, and the link to click. */
  savedTo?: string;
  link: string;
}

async function customerName(deps: Pick<AppDeps, 'db'>, invitation: Invitation): Promise<string | null> {
  const customer = await deps.db
    .selectFrom('customers')
    .select(['name'])
    .where('id', '=', invitation.customer_id)
    .executeTakeFirstOrThrow();
  return customer.name;
}

/**
 * Sends an invitation (or its one reminder) on the invitation's channel. Temporary failures are thrown as they
 * are (the job retries); permanent ones become ChannelRefused so the caller can fall back or give up.
 */
export async function deliverInvitation(
  deps: Pick<AppDeps, 'db' | 'email' | 'sms' | 'bale' | 'secret' | 'publicUrl' | 'config'>,
  invitation: Invitation,
  survey: SurveyDefinition,
  kind: 'invitation' | 'reminder',
): Promise<Delivered> {
  const token = invitationToken(deps.secret, invitation.id);
  const link = surveyLink(deps.publicUrl, token);
  const locale = isLocale(invitation.locale) ? invitation.locale : DEFAULT_LOCALE;
  const { brand } = deps.config;
  if (!invitation.address) throw new ChannelRefused(`no ${invitation.channel} address`, false);

  if (invitation.channel === 'sms') {
    if (!survey.sms) throw new ChannelRefused(`survey "${survey.id}" has no SMS text`, false);
    try {
      // A template the survey names for this gateway goes instead of the free text (it reaches blacklisted numbers).
      const template = survey.smsTemplates
        ? smsTemplateFor(survey.smsTemplates, deps.sms.name, {
            link,
            locale,
            brand: brand.name?.[locale] ?? null,
            name: await customerName(deps, invitation),
          })
        : null;
      const { providerMessageId } = await deps.sms.send({
        ...(template && { template }),
        to: invitation.address,
        text: invitationSmsText({
          template: survey.sms[locale],
          link,
          brandName: brand.name?.[locale] ?? null,
          reminderPrefix: kind === 'reminder' ? messagesFor(locale).reminderPrefix : '',
        }),
        reference: kind === 'reminder' ? `${invitation.id}:reminder` : invitation.id,
      });
      return { providerMessageId, link };
    } catch (error) {
      if (error instanceof SmsPermanentError) throw new ChannelRefused(`SMS gateway refused: ${error.message}`, error.suppressNumber);
      throw error;
    }
  }

  if (invitation.channel === 'bale') {
    try {
      const { providerMessageId } = await deps.bale.send({
        to: invitation.address,
        text: baleInvitationText({ survey, locale, link, brandName: brand.name?.[locale] ?? null, reminder: kind === 'reminder' }),
        keyboard: baleKeyboard(survey, locale, token),
        reference: kind === 'reminder' ? `${invitation.id}:reminder` : invitation.id,
      });
      return { providerMessageId, link };
    } catch (error) {
      // Not on Bale, or a number Bale does not take: the survey's next channel gets its turn.
      if (error instanceof BalePermanentError) throw new ChannelRefused(`Bale refused: ${error.message}`, error.suppressNumber);
      throw error;
    }
  }

  const email = renderInvitationEmail({
    survey,
    locale,
    customerName: await customerName(deps, invitation),
    publicUrl: deps.publicUrl,
    token,
    brand,
    reminder: kind === 'reminder',
  });
  try {
    const { savedTo } = await deps.email.send({
      to: invitation.address,
      ...email,
      // A reply to a survey reaches the care team when HAMI_BRAND_REPLY_TO names it; otherwise it goes to MAIL_FROM.
      replyTo: brand.replyTo ?? undefined,
      messageId: `<${kind}-${invitation.id}@${new URL(deps.publicUrl).hostname}>`,
    });
    return { providerMessageId: null, savedTo, link };
  } catch (error) {
    if (isRefusedRecipient(error)) throw new ChannelRefused(`mail server refused the address: ${(error as Error).message}`, true);
    if (isPermanentSmtpError(error)) throw new ChannelRefused(`mail server refused the message: ${(error as Error).message}`, false);
    throw error;
  }
}
