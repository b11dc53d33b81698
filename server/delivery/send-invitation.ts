import { z } from 'zod';
import { isLocale, DEFAULT_LOCALE } from '../../shared/locale.js';
import { renderInvitationEmail } from '../channels/email/invitation-email.js';
import { isPermanentSmtpError } from '../channels/email/transport.js';
import type { AppDeps } from '../deps.js';
import { surveyLink } from './links.js';
import { SEND_INVITATION_JOB } from './plan-invitation.js';
import {
  findInvitation,
  isSuppressed,
  markInvitationExpired,
  markInvitationFailed,
  markInvitationSent,
  markInvitationSkipped,
  suppress,
} from './store.js';
import { invitationToken } from './tokens.js';
import { PermanentJobError, type JobDefinition } from './worker.js';

const payload = z.object({ invitationId: z.string().min(1) });

/**
 * Sends one invitation. Safe to run again: an invitation that is no longer 'scheduled' is left alone, so a retry
 * after the 'sent' mark never sends twice. A crash between handing the mail to SMTP and that mark can resend the
 * one message in flight; its Message-ID is the same both times.
 */
export function sendInvitationJob(deps: AppDeps): JobDefinition<z.infer<typeof payload>> {
  const { db, clock, log } = deps;
  return {
    name: SEND_INVITATION_JOB,
    schema: payload,
    async handle({ invitationId }) {
      const invitation = await findInvitation(db, invitationId);
      if (!invitation) throw new PermanentJobError(`invitation ${invitationId} does not exist`);
      if (invitation.status !== 'scheduled') return;
      if (new Date(invitation.expires_at) <= clock.now()) {
        await markInvitationExpired(db, invitation.id);
        return;
      }
      if (!invitation.address || (await isSuppressed(db, 'email', invitation.address))) {
        await markInvitationSkipped(db, invitation.id, invitation.address ? 'opted_out' : 'no_address');
        return;
      }
      const survey = deps.surveys.byId(invitation.survey_id);
      if (!survey) throw new PermanentJobError(`survey "${invitation.survey_id}" is no longer in surveys/`);
      const customer = await db.selectFrom('customers').select(['name']).where('id', '=', invitation.customer_id).executeTakeFirstOrThrow();
      const token = invitationToken(deps.secret, invitation.id);
      const locale = isLocale(invitation.locale) ? invitation.locale : DEFAULT_LOCALE;
      const email = renderInvitationEmail({ survey, locale, customerName: customer.name, publicUrl: deps.publicUrl, token });
      let savedTo: string | undefined;
      try {
        ({ savedTo } = await deps.email.send({
          to: invitation.address,
          ...email,
          messageId: `<invitation-${invitation.id}@${new URL(deps.publicUrl).hostname}>`,
        }));
      } catch (error) {
        if (isPermanentSmtpError(error)) {
          await suppress(db, 'email', invitation.address, 'bounced', clock.now());
          throw new PermanentJobError(`mail server refused the address: ${(error as Error).message}`);
        }
        throw error;
      }
      await markInvitationSent(db, invitation.id, clock.now());
      if (savedTo) log.info('dev outbox: survey email saved', { invitation: invitation.id, file: savedTo, link: surveyLink(deps.publicUrl, token) });
      else log.info('survey email sent', { invitation: invitation.id, survey: survey.id });
    },
    async onGiveUp({ invitationId }, reason) {
      await markInvitationFailed(db, invitationId, reason);
    },
  };
}
