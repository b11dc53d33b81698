import { randomBytes, randomUUID } from 'node:crypto';
import type { ListedUser, Role, StaffUser, UserPatch } from '../../shared/api/staff.js';
import { engineOf, type Db } from '../db/connect.js';
import type { User } from '../db/schema.js';
import { isUniqueViolation } from '../http/errors.js';
import { hashPassword } from './hashing.js';

export function toStaffUser(user: Pick<User, 'id' | 'email' | 'name' | 'role'>): StaffUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role as Role };
}

export class DuplicateUserError extends Error {
  override name = 'DuplicateUserError';
}

export async function createUser(
  db: Db,
  input: { email: string; name: string; role: Role; password: string },
  now: Date,
): Promise<StaffUser> {
  const email = input.email.trim().toLowerCase();
  const duplicate = () => new DuplicateUserError(`a user with email ${email} already exists`);
  const existing = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw duplicate();
  const user = {
    id: randomUUID(),
    email,
    name: input.name.trim(),
    role: input.role,
    password_hash: await hashPassword(input.password),
    disabled_at: null,
    created_at: now.toISOString(),
  };
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

export async function findUserById(db: Db, id: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function toListedUser(user: User): ListedUser {
  return { ...toStaffUser(user), disabled: user.disabled_at !== null };
}

export async function listUsers(db: Db): Promise<ListedUser[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('name').execute();
  return rows.map(toListedUser);
}

/** 16 characters of base64url (96 random bits): a password made for someone, shown once (dashboard and CLI). */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

/** The rule both the dashboard and `hami user` obey, stated once. */
export const LAST_ADMIN_RULE = 'the last active admin cannot be disabled or given another role: make another user admin first';

/**
 * Whether `change` would leave no active admin: `user` is an active admin now, is not one after the change, and no
 * other active admin exists. Nobody could then manage users, keys or webhooks from the dashboard.
 */
function removesLastAdmin(user: { role: string; disabled: boolean }, change: UserPatch, otherActiveAdmins: number): boolean {
  const activeAdminBefore = user.role === 'admin' && !user.disabled;
  const activeAdminAfter = (change.role ?? user.role) === 'admin' && !(change.disabled ?? user.disabled);
  return activeAdminBefore && !activeAdminAfter && otherActiveAdmins === 0;
}

type UserChangeResult = { status: 'changed'; user: ListedUser; before: ListedUser } | { status: 'unknown' } | { status: 'last_admin' };

/**
 * Changes a user's role and/or disables or enables them, refusing to leave no active admin (removesLastAdmin).
 * Disabling ends every session of the user at once and keeps the first time it was disabled; enabling clears it.
 * On PostgreSQL the active admins are locked first, so two admins demoting each other at once cannot both succeed.
 */
export async function changeUser(db: Db, id: string, change: UserPatch, now: Date): Promise<UserChangeResult> {
  return db.transaction().execute(async (trx) => {
    let admins = trx.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null);
    if (engineOf(trx) === 'postgres') admins = admins.forUpdate();
    const activeAdminIds = (await admins.execute()).map((row) => row.id);
    const user = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!user) return { status: 'unknown' } as const;
    const before = toListedUser(user);
    if (removesLastAdmin(before, change, activeAdminIds.filter((admin) => admin !== id).length)) return { status: 'last_admin' } as const;
    const disabledAt = change.disabled === undefined ? user.disabled_at : change.disabled ? (user.disabled_at ?? now.toISOString()) : null;
    const updated: User = { ...user, role: change.role ?? user.role, disabled_at: disabledAt };
    await trx.updateTable('users').set({ role: updated.role, disabled_at: updated.disabled_at }).where('id', '=', id).execute();
    if (updated.disabled_at !== null) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    return { status: 'changed', user: toListedUser(updated), before } as const;
  });
}

/** A new password ends every session of the user. */
export async function resetPassword(db: Db, userId: string, password: string): Promise<void> {
  const hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
  });
}
