import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { SessionBody } from '../../shared/api/staff.js';
import type { AppDeps } from '../deps.js';
import type { User } from '../db/schema.js';
import { ApiError } from '../http/errors.js';
import { can, type Permission } from '../../shared/permissions.js';
import { findSession } from './sessions.js';
import { toStaffUser } from './users.js';

export const SESSION_COOKIE = 'hami_session';

export type StaffEnv = { Variables: { user: User; csrfToken: string; sessionToken: string } };

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The live session the request's cookie names, or null. */
export async function currentSession(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  c: Context,
): Promise<{ token: string; user: User; csrfToken: string } | null> {
  const token = getCookie(c, SESSION_COOKIE);
  const session = token ? await findSession(deps.db, token, deps.clock.now()) : null;
  return token && session ? { token, ...session } : null;
}

/** What GET /api/session answers (and the dashboard's page carries, server/http/dashboard-index.ts). */
export function sessionBodyOf(deps: Pick<AppDeps, 'config'>, user: User, csrfToken: string): SessionBody {
  return { user: toStaffUser(user), csrfToken, brandName: deps.config.brand.name };
}

/**
 * The one guard of every staff route: a live session (401 otherwise), the route's permission for the user's
 * role (403), and for anything that changes state the session's CSRF token in X-CSRF-Token (403) — a forged
 * cross-site request carries the cookie but cannot know the token.
 */
export function requireStaff(deps: Pick<AppDeps, 'db' | 'clock'>, permission: Permission | null) {
  return createMiddleware<StaffEnv>(async function requireStaff(c, next) {
    const session = await currentSession(deps, c);
    if (!session) throw new ApiError(401, 'unauthenticated', 'sign in first (POST /api/session)');
    if (permission && !can(session.user.role, permission)) {
      throw new ApiError(403, 'forbidden', `the ${session.user.role} role may not do this`);
    }
    if (!SAFE_METHODS.has(c.req.method) && !sameToken(c.req.header('x-csrf-token') ?? '', session.csrfToken)) {
      throw new ApiError(403, 'csrf', 'missing or wrong X-CSRF-Token header (it comes with the session)');
    }
    c.set('user', session.user);
    c.set('csrfToken', session.csrfToken);
    c.set('sessionToken', session.token);
    await next();
  });
}

/** The signed-in user (only inside routes guarded by requireStaff). */
export const staffUser = (c: Context<StaffEnv>): User => c.get('user');
