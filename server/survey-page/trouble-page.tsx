/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { messagesFor } from '../../shared/customer-messages.js';
import { isLocale, type Locale } from '../../shared/locale.js';
import { customerPageHtml } from '../branding/page-brand.js';
import { databaseTrouble, databaseTroubleAnswer } from '../http/errors.js';
import { localeFromHeader } from './load-invitation.js';
import { MessagePage } from './views.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The language of the customer page being served, once known (the invitation's): its error page speaks it. */
    pageLocale: Locale;
  }
}

/** The language for an error page: the page's own when known, else ?lang, else the browser's. */
function troubleLocale(c: Context): Locale {
  const known = c.get('pageLocale');
  if (known) return known;
  const lang = c.req.query('lang');
  return isLocale(lang) ? lang : localeFromHeader(c.req.header('accept-language'));
}

/**
 * A customer page's answer to an error (the survey page, opt-out, public links): a person reads it on a phone, so it
 * is the branded page in their language, saying in plain words whether the answer was saved and what to do. Database
 * trouble is 503 (with Retry-After, nothing saved); anything else is 500.
 */
export function customerTroublePage(error: unknown, c: Context): Response {
  const locale = troubleLocale(c);
  const m = messagesFor(locale);
  const trouble = databaseTrouble(error);
  let status: 500 | 503 = 500;
  let title = m.brokenTitle;
  let body = m.brokenBody;
  if (trouble) {
    const answer = databaseTroubleAnswer(trouble);
    if (answer.retryAfter) c.header('Retry-After', String(answer.retryAfter));
    status = 503;
    title = m.notSavedTitle;
    body = trouble === 'busy' ? m.busyBody : m.cannotSaveBody;
  }
  c.header('Cache-Control', 'no-store');
  const nonce = c.get('secureHeadersNonce') ?? '';
  return c.html(customerPageHtml(c, <MessagePage locale={locale} nonce={nonce} title={title} body={body} />), status);
}
