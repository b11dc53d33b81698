import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { AppDeps } from '../deps.js';
import type { User } from '../db/schema.js';
import { limitersOf, requestClient } from '../limits/limiters.js';
import { STAND_IN_PASSWORD_HASH, verifyPassword } from './hashing.js';
import { createSession, SESSION_HOURS } from './sessions.js';
import { SESSION_COOKIE } from './staff-session.js';
import { findUserByEmail } from './users.js';

/** How one sign-in ended: signed in (the session cookie is set), refused, or asked to wait after too many failures. */
type SignInResult = { status: 'signed_in'; user: User; csrfToken: string } | { status: 'refused' } | { status: 'wait'; seconds: number };

/**
 * The one sign-in of the dashboard, whichever way the email and password came (POST /api/session as JSON, or the
 * page's own form before its script has loaded, server/http/dashboard-index.ts): the back-off after failures, one
 * password check for every attempt, and on success a new session in the httpOnly cookie of `c`'s answer.
 */
export async function signIn(deps: AppDeps, c: Context, login: { email: string; password: string }): Promise<SignInResult> {
  const backoff = limitersOf(deps).signIn;
  const now = deps.clock.now().getTime();
  const user = await findUserByEmail(deps.db, login.email);
  const attempt = { accountId: user?.id ?? null, email: login.email, client: requestClient(deps, c) };
  const wait = backoff.waitMs(attempt, now);
  if (wait > 0) return { status: 'wait', seconds: Math.ceil(wait / 1000) };
  // Always one password check, also for an unknown email or a disabled account: every "no" takes as long.
  const passwordOk = await verifyPassword(login.password, user?.password_hash ?? STAND_IN_PASSWORD_HASH);
  if (!user || user.disabled_at || !passwordOk) {
    backoff.fail(attempt, now);
    return { status: 'refused' };
  }
  backoff.succeed(attempt);
  const session = await createSession(deps.db, user.id, deps.clock.now());
  setCookie(c, SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: deps.publicUrl.startsWith('https://'),
    path: '/',
    maxAge: SESSION_HOURS * 3600,
  });
  return { status: 'signed_in', user, csrfToken: session.csrfToken };
}
