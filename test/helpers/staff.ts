import type { Role } from '../../shared/api/staff.js';
import type { TestHami } from './hami.js';

export const ADMIN = { email: 'admin@localhost', password: 'correct horse battery' };

/** A signed-in staff member: fetch with the session cookie and, for changes, the CSRF token. */
export interface StaffClient {
  email: string;
  password: string;
  cookie: string;
  csrfToken: string;
  userId: string;
  call(method: string, path: string, body?: unknown, options?: { csrf?: string | null }): Promise<{ status: number; body: any }>;
}

// `any` bodies: each test asserts the shape it expects for the status it got.
export async function signIn(hami: Pick<TestHami, 'url'>, email: string, password: string): Promise<StaffClient> {
  const res = await fetch(`${hami.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed with ${res.status}: ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const body = (await res.json()) as { csrfToken: string; user: { id: string } };
  const client: StaffClient = {
    email,
    password,
    cookie,
    csrfToken: body.csrfToken,
    userId: body.user.id,
    async call(method, path, payload, options = {}) {
      const headers: Record<string, string> = { cookie: client.cookie };
      if (payload !== undefined) headers['content-type'] = 'application/json';
      const csrf = options.csrf === undefined ? client.csrfToken : options.csrf;
      if (csrf !== null) headers['x-csrf-token'] = csrf;
      const r = await fetch(`${hami.url}${path}`, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload) });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : null };
    },
  };
  return client;
}

/** Signs the same person in again (sessions last 12 hours, and tests move the clock by days). */
export function signInAgain(hami: TestHami, client: StaffClient): Promise<StaffClient> {
  return signIn(hami, client.email, client.password);
}

/** Creates a user as the admin and signs them in. */
export async function staffMember(hami: TestHami, admin: StaffClient, role: Role, name = `${role} person`): Promise<StaffClient> {
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const created = await admin.call('POST', '/api/users', { email, name, role, password: 'a long enough password' });
  if (created.status !== 201) throw new Error(`could not create ${role}: ${JSON.stringify(created.body)}`);
  return signIn(hami, email, 'a long enough password');
}
