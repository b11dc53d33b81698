import { MAX_IMPORT_BYTES } from '../../shared/api/imports.js';

/*
 * Every limit the server puts on one client, in one table. All of them are counted in the memory of one server
 * process: several processes behind one address (the scale-out set-up) each count on their own, so a client
 * spread over N processes gets up to N times these numbers, and a restart forgets them.
 */

/** At most `max` within any `windowMs`. */
export interface RateRule {
  max: number;
  windowMs: number;
}

/**
 * Request bodies, judged before any of it is buffered: by Content-Length when stated, else counted as it arrives
 * and cut off past the limit (413). 64 KiB is far above any real event, sign-in, staff change or form answer.
 */
export interface BodyLimit {
  maxBytes: number;
  /** What to do instead, said in the 413. */
  hint?: string;
  /**
   * Applied by the route once the staff session is checked, not before every route: an anonymous client never gets
   * this limit, and its body is not read at all (it is answered 401 first).
   */
  afterAuthentication?: true;
}

export const BODY_LIMITS = {
  default: { maxBytes: 64 * 1024, hint: 'send one event or change per request' },
  /** Help desks and shops send whole tickets and orders (comments, line items) to /api/v1/hooks/. */
  inboundHooks: { maxBytes: 256 * 1024 },
  /** A CSV file to POST /api/imports. */
  imports: { maxBytes: MAX_IMPORT_BYTES, hint: 'import bigger files with npx hami import', afterAuthentication: true },
} as const satisfies Record<string, BodyLimit>;

/** 65536 as "64 KiB", 52428800 as "50 MiB". */
export const bytesText = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`);

/** The body limit of a request path. */
export function bodyLimitOf(path: string): BodyLimit {
  if (path === '/api/imports') return BODY_LIMITS.imports;
  if (path.startsWith('/api/v1/hooks/')) return BODY_LIMITS.inboundHooks;
  return BODY_LIMITS.default;
}

/**
 * A kiosk tablet refuses only true bursts: a second answer within 2 s of the last one (a child hammering the
 * button), and more than 20 a minute (one every 3 s, kept up for a whole minute). One real person needs at least
 * 3–5 s to read, tap a score and send, so a queue of customers never meets either rule, and the next person can
 * answer as soon as the thank-you page has started over. A refused answer is not lost: the form comes back with it
 * pre-selected. (A double tap on Send is one form posted twice: server/public-links/kiosk-forms.ts thanks it again
 * without counting it.)
 */
export const KIOSK_ANSWER_LIMITS: readonly RateRule[] = [
  { max: 1, windowMs: 2_000 },
  { max: 20, windowMs: 60_000 },
];

/**
 * A public link (poster, receipt) takes at most 30 answers an hour from one network address: generous for a
 * shop's Wi-Fi where many customers share an address, and a hard cap for a script filling in the form.
 */
export const PUBLIC_LINK_ANSWER_LIMITS: readonly RateRule[] = [{ max: 30, windowMs: 60 * 60_000 }];

/**
 * Survey, opt-out and tracked links (/s/, /u/, /r/) that match nothing: at most 20 per client in 10 minutes. A
 * person mistypes a link a few times at most; a script guessing tokens (2^128 of them) gets nowhere either way.
 * Only unknown tokens count and only they are refused: a client over the limit still opens its valid links.
 */
export const TOKEN_GUESS_LIMITS: readonly RateRule[] = [{ max: 20, windowMs: 10 * 60_000 }];

/** Failed sign-ins: free tries, then a wait that doubles with each further failure, up to a cap. */
export interface BackoffRule {
  /** Failures before any wait. */
  free: number;
  /** The first wait, doubled with each failure after it. */
  firstWaitMs: number;
  maxWaitMs: number;
  /** Failures are forgotten after this long without one. */
  forgetAfterMs: number;
}

/**
 * Per account (and per unknown email, so both answer alike): after 5 failures 1 s, then 2 s, 4 s … at most
 * 2 minutes. A stranger can slow the owner down by that much, never lock them out; a guesser gets one try per
 * 2 minutes per account.
 */
export const SIGN_IN_ACCOUNT_BACKOFF: BackoffRule = { free: 5, firstWaitMs: 1000, maxWaitMs: 2 * 60_000, forgetAfterMs: 60 * 60_000 };

/** Per client address (IPv6: per /64): more free failures, since an office shares one address. */
export const SIGN_IN_ADDRESS_BACKOFF: BackoffRule = { free: 20, firstWaitMs: 1000, maxWaitMs: 2 * 60_000, forgetAfterMs: 60 * 60_000 };

/** Past this many keys a limiter forgets idle ones (and, under a flood of new keys, the least recently used). */
export const MAX_TRACKED_KEYS = 10_000;
