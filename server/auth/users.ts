import { randomUUID } from 'node:crypto';
import type { Role, StaffUser } from '../../shared/api/staff.js';
import type { Db } from '../db/connect.js';
import type { User } from '../db/schema.js';
import { isUniqueViolation } from '../http/errors.js';
import { hashPassword } from './hashing.js';

export function toStaffUser(user: Pick<User, 'id' | 'email' | 'name' | 'role'>): StaffUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role as Role };
}

export class DuplicateUserError extends Error {
  override name = 'DuplicateUserError';
}

export async function createUser(db: Db, input: { email: string; name: string; role: Role; password: string }, now: Date): Promise<StaffUser> {
  const email = input.email.trim().toLowerCase();
  const duplicate = () => new DuplicateUserError(`a user with email ${email} already exists`);
  const existing = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw duplicate();
  const user = { id: randomUUID(), email, name: input.name.trim(), role: input.role, password_hash: await hashPassword(input.password), disabled_at: null, created_at: now.toISOString() };
  try {
    await db.insertInto('users').values(user).execute();
  } catch (error) {
    // The same address created twice at once: both pass the check above (hashing takes a while), the unique
    // email settles it, and the later one is told the account exists rather than getting a 500.
    if (isUniqueViolation(error)) throw duplicate();
    throw error;
  }
  return toStaffUser(user);
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export async function listUsers(db: Db): Promise<(StaffUser & { disabled: boolean })[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('name').execute();
  return rows.map((u) => ({ ...toStaffUser(u), disabled: u.disabled_at !== null }));
}

/** Disabling also ends the user's sessions: a departed colleague is out at once. */
export async function disableUser(db: Db, email: string, now: Date): Promise<boolean> {
  const user = await findUserByEmail(db, email);
  if (!user) return false;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ disabled_at: now.toISOString() }).where('id', '=', user.id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
  });
  return true;
}

/** A new password ends every session of the user. */
export async function resetPassword(db: Db, email: string, password: string): Promise<boolean> {
  const user = await findUserByEmail(db, email);
  if (!user) return false;
  const hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash }).where('id', '=', user.id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
  });
  return true;
}
