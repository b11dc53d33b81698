import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connect.js';
import { hashPassword, randomToken } from './hashing.js';

/** The password is carried only when it was generated: one from HAMI_ADMIN_PASSWORD is never printed back. */
export type FirstAdmin = { created: true; email: string; generatedPassword: string | null } | { created: false; email: string };

/**
 * Creates the first admin when there are no users yet: HAMI_ADMIN_EMAIL / HAMI_ADMIN_PASSWORD, or a generated
 * password that start-up prints once. Later starts leave users alone.
 */
export async function ensureFirstAdmin(db: Db, admin: { email: string; password: string | null }, now: Date): Promise<FirstAdmin> {
  const existing = await db.selectFrom('users').select('email').where('role', '=', 'admin').orderBy('created_at').executeTakeFirst();
  if (existing) return { created: false, email: existing.email };
  const password = admin.password ?? randomToken(12);
  // Several server processes starting at once on one PostgreSQL database: one creates the admin, the others find it.
  const inserted = await db
    .insertInto('users')
    .values({
      id: randomUUID(),
      email: admin.email.toLowerCase(),
      name: 'Administrator',
      role: 'admin',
      password_hash: await hashPassword(password),
      disabled_at: null,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return { created: false, email: admin.email.toLowerCase() };
  return { created: true, email: admin.email.toLowerCase(), generatedPassword: admin.password === null ? password : null };
}
