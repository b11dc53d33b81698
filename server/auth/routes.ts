import { Hono } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import { addUserInput, loginInput, userPatchInput, type CreatedUserBody, type PasswordResetBody } from '../../shared/api/staff.js';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { jsonBody } from '../http/json-body.js';
import { apiErrorBodySchema } from '../openapi/document.js';
import { createdUserBody, listedUserBody, passwordResetBody, sessionBody, userListBody } from '../openapi/bodies.js';
import { registerOperations } from '../openapi/registry.js';
import { deleteSession } from './sessions.js';
import { signIn } from './sign-in.js';
import { requireStaff, SESSION_COOKIE, sessionBodyOf, staffUser, type StaffEnv } from './staff-session.js';
import {
  changeUser,
  createUser,
  DuplicateUserError,
  findUserById,
  generatePassword,
  LAST_ADMIN_RULE,
  listUsers,
  resetPassword,
  toListedUser,
} from './users.js';

const tag = 'Staff session and users';
const userParams = z.object({ id: z.string() });
registerOperations(
  {
    method: 'post',
    path: '/api/session',
    tag,
    summary: 'Sign in',
    auth: 'none',
    body: loginInput,
    description:
      'Sets the httpOnly session cookie. After 5 failures for one email (20 from one address), each further try waits 1 s, 2 s, 4 s … up to 2 minutes (429 with Retry-After).',
    responses: {
      200: { description: 'Signed in: the user and the CSRF token for changes', schema: sessionBody },
      401: { description: 'Wrong email or password', schema: apiErrorBodySchema },
      429: { description: 'Too many failed sign-ins; see Retry-After', schema: apiErrorBodySchema },
    },
  },
  {
    method: 'get',
    path: '/api/session',
    tag,
    summary: 'The signed-in user and the CSRF token',
    auth: { staff: null },
    responses: { 200: { description: 'The session', schema: sessionBody } },
  },
  {
    method: 'delete',
    path: '/api/session',
    tag,
    summary: 'Sign out',
    auth: { staff: null },
    responses: { 204: { description: 'Signed out; the cookie is cleared' } },
  },
  {
    method: 'get',
    path: '/api/users',
    tag,
    summary: 'List staff accounts',
    auth: { staff: 'users:list' },
    responses: { 200: { description: 'Every account', schema: userListBody } },
  },
  {
    method: 'post',
    path: '/api/users',
    tag,
    summary: 'Create a staff account',
    auth: { staff: 'users:manage' },
    body: addUserInput,
    description: 'Without a password Hami makes one (as `hami user add` does) and answers it once in generatedPassword.',
    responses: {
      201: { description: 'Created', schema: createdUserBody },
      409: { description: 'An account with this email exists', schema: apiErrorBodySchema },
    },
  },
  {
    method: 'patch',
    path: '/api/users/{id}',
    tag,
    summary: 'Change a role, or disable / enable an account',
    auth: { staff: 'users:manage' },
    params: userParams,
    body: userPatchInput,
    description:
      'Disabling ends every session of the user at once and refuses their sign-in; enabling lets them sign in again. The last active admin can be neither disabled nor given another role (409 last_admin).',
    responses: {
      200: { description: 'The account as it is now', schema: listedUserBody },
      404: { description: 'No such user', schema: apiErrorBodySchema },
      409: { description: 'It would leave no active admin', schema: apiErrorBodySchema },
    },
  },
  {
    method: 'post',
    path: '/api/users/{id}/password',
    tag,
    summary: 'Reset a password',
    auth: { staff: 'users:manage' },
    params: userParams,
    description: 'Hami makes a new password and answers it once; every session of the user ends.',
    responses: {
      200: { description: 'The new password, shown once', schema: passwordResetBody },
      404: { description: 'No such user', schema: apiErrorBodySchema },
    },
  },
);

/** Sign in and out, and staff accounts. */
export function authRoutes(deps: AppDeps) {
  const app = new Hono<StaffEnv>();

  app.post('/api/session', async (c) => {
    const result = await signIn(deps, c, await jsonBody(c, loginInput));
    if (result.status === 'wait') {
      c.header('Retry-After', String(result.seconds));
      throw new ApiError(429, 'too_many_attempts', `too many failed sign-ins; try again in ${result.seconds} seconds`);
    }
    if (result.status === 'refused') throw new ApiError(401, 'invalid_credentials', 'wrong email or password');
    return c.json(sessionBodyOf(deps, result.user, result.csrfToken));
  });

  app.get('/api/session', requireStaff(deps, null), (c) => c.json(sessionBodyOf(deps, staffUser(c), c.get('csrfToken'))));

  app.delete('/api/session', requireStaff(deps, null), async (c) => {
    await deleteSession(deps.db, c.get('sessionToken'));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  app.get('/api/users', requireStaff(deps, 'users:list'), async (c) => c.json({ users: await listUsers(deps.db) }));

  const manage = requireStaff(deps, 'users:manage');
  const noSuchUser = () => new ApiError(404, 'not_found', 'no such user');

  app.post('/api/users', manage, async (c) => {
    const input = await jsonBody(c, addUserInput);
    const generatedPassword = input.password === undefined ? generatePassword() : null;
    let user;
    try {
      user = await createUser(deps.db, { ...input, password: input.password ?? generatedPassword! }, deps.clock.now());
    } catch (error) {
      if (error instanceof DuplicateUserError) throw new ApiError(409, 'duplicate', error.message, 'email');
      throw error;
    }
    deps.log.info('user added', { user: staffUser(c).id, target: user.id, role: user.role });
    return c.json({ ...user, disabled: false, generatedPassword } satisfies CreatedUserBody, 201);
  });

  app.patch('/api/users/:id', manage, async (c) => {
    const patch = await jsonBody(c, userPatchInput);
    const result = await changeUser(deps.db, c.req.param('id'), patch, deps.clock.now());
    if (result.status === 'unknown') throw noSuchUser();
    if (result.status === 'last_admin') throw new ApiError(409, 'last_admin', LAST_ADMIN_RULE, patch.disabled ? 'disabled' : 'role');
    deps.log.info('user changed', {
      user: staffUser(c).id,
      target: result.user.id,
      role: result.user.role,
      disabled: result.user.disabled,
    });
    return c.json(result.user);
  });

  app.post('/api/users/:id/password', manage, async (c) => {
    const user = await findUserById(deps.db, c.req.param('id'));
    if (!user) throw noSuchUser();
    const password = generatePassword();
    await resetPassword(deps.db, user.id, password);
    deps.log.info('password reset', { user: staffUser(c).id, target: user.id });
    return c.json({ user: toListedUser(user), password } satisfies PasswordResetBody);
  });
  return app;
}
