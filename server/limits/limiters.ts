import type { Context } from 'hono';
import type { AppDeps } from '../deps.js';
import { clientAddress } from './client-address.js';
import { KIOSK_ANSWER_LIMITS, PUBLIC_LINK_ANSWER_LIMITS, TOKEN_GUESS_LIMITS } from './rules.js';
import { SignInBackoff } from './sign-in-backoff.js';
import { SlidingWindowLimiter, type RateDecision } from './sliding-window.js';

/** The limiters of one running app: shared by every route that counts the same thing (one guess count for /s/, /u/ and /r/). */
interface Limiters {
  tokenGuesses: SlidingWindowLimiter;
  kioskAnswers: SlidingWindowLimiter;
  publicLinkAnswers: SlidingWindowLimiter;
  signIn: SignInBackoff;
}

const byApp = new WeakMap<AppDeps, Limiters>();

/** The limiters of the app these deps run (made on first use, so each test's app counts on its own). */
export function limitersOf(deps: AppDeps): Limiters {
  let limiters = byApp.get(deps);
  if (!limiters) {
    limiters = {
      tokenGuesses: new SlidingWindowLimiter(deps.clock, TOKEN_GUESS_LIMITS),
      kioskAnswers: new SlidingWindowLimiter(deps.clock, KIOSK_ANSWER_LIMITS),
      publicLinkAnswers: new SlidingWindowLimiter(deps.clock, PUBLIC_LINK_ANSWER_LIMITS),
      signIn: new SignInBackoff(),
    };
    byApp.set(deps, limiters);
  }
  return limiters;
}

/** The client of this request, as every limiter counts it (behind HAMI_TRUSTED_PROXIES: from X-Forwarded-For). */
export function requestClient(deps: AppDeps, c: Context): string {
  return clientAddress(c, deps.config.trustedProxies);
}

/** The page for a client past the guess limit, in each customer language. */
export const TOO_MANY_GUESSES = {
  en: {
    title: 'Too many tries',
    body: 'Too many links that do not work came from your network. Please wait a few minutes and open the link from your message again.',
  },
  fa: {
    title: 'تلاش‌های بیش از حد',
    body: 'از شبکه شما پیوندهای نظرسنجی نادرست زیادی باز شده است. لطفاً چند دقیقه صبر کنید و دوباره پیوند پیام خود را باز کنید.',
  },
} as const;

/**
 * A link token (/s/, /u/, /r/) matched nothing: counts the guess against the client. Refused (429) only past the
 * limit; a valid token is never looked at here, so a client over the limit still opens its own links.
 */
export function unknownTokenGuess(deps: AppDeps, c: Context): RateDecision {
  return limitersOf(deps).tokenGuesses.take(requestClient(deps, c));
}
