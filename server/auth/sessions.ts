import type { Db } from '../db/connect.js';
import type { User } from '../db/schema.js';
import { randomToken, sha256 } from './hashing.js';

/** A session lasts a working day; signing in again starts a new one. */
export const SESSION_HOURS = 12;

export async function createSession(db: Db, userId: string, now: Date): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomToken(32);
  const csrfToken = randomToken(24);
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
  await db
    .insertInto('sessions')
    .values({
      id_hash: sha256(token),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

/** The live session for a cookie token: unknown, expired, or a disabled user's session is none. */
export async function findSession(db: Db, token: string, now: Date): Promise<{ user: User; csrfToken: string } | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.csrf_token', 'sessions.expires_at'])
    .where('sessions.id_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.expires_at <= now.toISOString() || row.disabled_at) return null;
  const { csrf_token: csrfToken, expires_at: _expires, ...user } = row;
  return { user, csrfToken };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', sha256(token)).execute();
}

/** Sessions past their end: findSession already refuses them; housekeeping deletes them. Returns how many. */
export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  return Number((await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst()).numDeletedRows);
}
