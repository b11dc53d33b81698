/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { messagesFor } from '../../shared/customer-messages.js';
import { DEFAULT_LOCALE, isLocale } from '../../shared/locale.js';
import type { AppDeps } from '../deps.js';
import { suppress } from '../delivery/store.js';
import { looksLikeToken, tokenHash } from '../delivery/tokens.js';
import { customerPageHeaders } from '../http/page-headers.js';
import { TOO_MANY_GUESSES, unknownTokenGuess } from '../limits/limiters.js';
import { MessagePage } from '../survey-page/views.js';
import { findMessageByToken } from './store.js';

type Env = { Variables: { secureHeadersNonce?: string } };

/**
 * The way out of marketing messages: GET /r/{token}/stop asks, POST stops (also RFC 8058 one-click, which mail
 * clients send without cookies or a page). The address is suppressed on that channel: nothing more from us there.
 */
export function segmentStopRoutes(deps: AppDeps) {
  const app = new Hono<Env>().use('/r/:token/stop', customerPageHeaders());

  async function load(c: Context<Env>) {
    const token = c.req.param('token') ?? '';
    return looksLikeToken(token) ? findMessageByToken(deps.db, tokenHash(token)) : undefined;
  }
  const page = (c: Context<Env>, status: 200 | 404 | 429, locale: string, title: string, body: string, form?: string) => {
    const lang = isLocale(locale) ? locale : DEFAULT_LOCALE;
    c.header('Cache-Control', 'no-store');
    const html = (
      <MessagePage locale={lang} nonce={c.get('secureHeadersNonce') ?? ''} title={title} body={body}>
        {form && (
          <form method="post" action={form}>
            <button type="submit">{messagesFor(lang).optOutConfirm}</button>
          </form>
        )}
      </MessagePage>
    );
    return c.html(`<!doctype html>${html.toString()}`, status);
  };
  /** A token that matches nothing: a guess, limited like those of /s/ and /u/. */
  const unknown = (c: Context<Env>) => {
    const decision = unknownTokenGuess(deps, c);
    if (!decision.allowed) {
      c.header('Retry-After', String(decision.retryAfterSeconds));
      return page(c, 429, DEFAULT_LOCALE, TOO_MANY_GUESSES[DEFAULT_LOCALE].title, TOO_MANY_GUESSES[DEFAULT_LOCALE].body);
    }
    return page(c, 404, DEFAULT_LOCALE, messagesFor(DEFAULT_LOCALE).notFoundTitle, messagesFor(DEFAULT_LOCALE).notFoundBody);
  };

  app.get('/r/:token/stop', async (c) => {
    const message = await load(c);
    if (!message) return unknown(c);
    const m = messagesFor(isLocale(message.locale) ? message.locale : DEFAULT_LOCALE);
    return page(c, 200, message.locale, m.stopTitle, m.stopQuestion(message.address ?? ''), `/r/${c.req.param('token')}/stop`);
  });

  app.post('/r/:token/stop', async (c) => {
    const message = await load(c);
    if (!message) return unknown(c);
    if (message.address) await suppress(deps.db, message.channel, message.address, 'opted_out', deps.clock.now());
    deps.log.info('opt-out recorded', { segmentMessage: message.id, channel: message.channel });
    const m = messagesFor(isLocale(message.locale) ? message.locale : DEFAULT_LOCALE);
    return page(c, 200, message.locale, m.stopTitle, m.stopDone(message.address ?? ''));
  });
  return app;
}
