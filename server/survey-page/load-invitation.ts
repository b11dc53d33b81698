import { isLocale, type Locale } from '../../shared/locale.js';
import type { SurveyDefinition } from '../../shared/survey-schema.js';
import type { AppDeps } from '../deps.js';
import type { Invitation } from '../db/schema.js';
import { findInvitationByTokenHash } from '../delivery/store.js';
import { looksLikeToken, tokenHash } from '../delivery/tokens.js';

export type LinkState =
  | { kind: 'unknown' }
  | { kind: 'closed'; invitation: Invitation; survey: SurveyDefinition; locale: Locale }
  | { kind: 'open'; invitation: Invitation; survey: SurveyDefinition; locale: Locale };

/** Statuses whose link was never sent: treated as unknown, so a link cannot be guessed into life. */
const NEVER_SENT = new Set(['skipped', 'failed']);

/** Finds the invitation behind a link token and says whether it still takes answers. */
export async function loadLink(deps: Pick<AppDeps, 'db' | 'surveys' | 'clock'>, token: string): Promise<LinkState> {
  if (!looksLikeToken(token)) return { kind: 'unknown' };
  const invitation = await findInvitationByTokenHash(deps.db, tokenHash(token));
  const survey = invitation && deps.surveys.byId(invitation.survey_id);
  if (!invitation || !survey || NEVER_SENT.has(invitation.status)) return { kind: 'unknown' };
  const locale = isLocale(invitation.locale) ? invitation.locale : 'en';
  const open = new Date(invitation.expires_at) > deps.clock.now();
  return { kind: open ? 'open' : 'closed', invitation, survey, locale };
}

/** The language for pages about unknown links: Persian when the browser prefers it. */
export function localeFromHeader(acceptLanguage: string | undefined): Locale {
  const first = acceptLanguage?.split(',')[0]?.trim().slice(0, 2).toLowerCase();
  return isLocale(first) ? first : 'en';
}
