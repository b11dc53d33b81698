import { randomBytes, randomUUID } from 'node:crypto';
import type { Answers } from '../../shared/answers.js';
import type { Locale } from '../../shared/locale.js';
import type { PublicLink, SurveyDefinition } from '../../shared/survey-schema.js';
import type { Db } from '../db/connect.js';
import type { Customer, Invitation } from '../db/schema.js';
import { insertInvitation } from '../delivery/store.js';
import { tokenHash } from '../delivery/tokens.js';
import { recordAnswer, type RecordedAnswer } from '../responses/record-answer.js';
import type { SurveyCatalog } from '../surveys.js';

/** The survey and its public link named in a /p/{surveyId}/{linkId} address, if both exist. */
export function findPublicLink(
  surveys: SurveyCatalog,
  surveyId: string,
  linkId: string,
): { survey: SurveyDefinition; link: PublicLink } | undefined {
  const survey = surveys.byId(surveyId);
  const link = survey?.publicLinks.find((l) => l.id === linkId);
  return survey && link ? { survey, link } : undefined;
}

/** A fresh link token: 128 random bits, base64url — the same shape as an invitation's, so /s/{token} takes it. */
function randomLinkToken(): string {
  return randomBytes(16).toString('base64url');
}

export interface PublicAnswer extends RecordedAnswer {
  invitationId: string;
  customerId: string;
  /** Opens /s/{token} to see and change the answer. Never shown after a kiosk answer. */
  token: string;
}

/**
 * Records an answer given through a public link or kiosk. Such a person is not known to us, so the answer gets
 * an anonymous customer (no contact details, the page's language) and its own invitation (channel 'link' or
 * 'kiosk', marked with the link's id, a fresh random token of which only the hash is kept). The answer then
 * goes through recordAnswer like any other: score, history, callback case for a detractor; the response
 * carries the link's attributes (its location) over the rest.
 *
 * recordAnswer opens its own transaction and Kysely cannot nest one in another, so this is two transactions:
 * customer and invitation first (the invitation 'opened', never 'answered' without an answer), then the answer,
 * which marks the invitation answered. Should the answer fail, both rows are removed again; a crash between
 * the two leaves at most an opened, unanswered invitation of nobody, which no sending ever picks up (no address).
 */
export async function recordPublicAnswer(
  db: Db,
  input: { survey: SurveyDefinition; link: PublicLink; locale: Locale; answers: Answers; now: Date },
): Promise<PublicAnswer> {
  const { survey, link, locale, now } = input;
  const at = now.toISOString();
  const token = randomLinkToken();
  const customer: Customer = {
    id: randomUUID(),
    external_id: `anon:${randomUUID()}`,
    email: null,
    phone: null,
    name: null,
    locale,
    time_zone: null,
    attributes: '{}',
    created_at: at,
    updated_at: at,
  };
  const invitation: Invitation = {
    id: randomUUID(),
    event_id: null,
    customer_id: customer.id,
    survey_id: survey.id,
    channel: link.kiosk ? 'kiosk' : 'link',
    status: 'opened',
    reason: null,
    address: null,
    locale,
    token_hash: tokenHash(token),
    send_at: at,
    expires_at: new Date(now.getTime() + survey.expiresAfterDays * 86_400_000).toISOString(),
    sent_at: null,
    opened_at: at,
    answered_at: null,
    created_at: at,
    provider_message_id: null,
    delivery_status: null,
    delivery_detail: null,
    delivery_updated_at: null,
    reminder_sent_at: null,
    public_link_id: link.id,
    case_id: null,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('customers').values(customer).execute();
    await insertInvitation(trx, invitation);
  });
  let recorded: RecordedAnswer;
  try {
    recorded = await recordAnswer(db, {
      invitation,
      survey,
      answers: input.answers,
      source: link.kiosk ? 'kiosk' : 'form',
      now,
      attributes: link.attributes,
    });
  } catch (error) {
    await db
      .transaction()
      .execute(async (trx) => {
        await trx.deleteFrom('invitations').where('id', '=', invitation.id).execute();
        await trx.deleteFrom('customers').where('id', '=', customer.id).execute();
      })
      .catch(() => undefined); // the answer's own error is the one worth reporting
    throw error;
  }
  return { ...recorded, invitationId: invitation.id, customerId: customer.id, token };
}
