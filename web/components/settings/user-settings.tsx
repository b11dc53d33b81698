import { TableScroll } from '../bits.js';
import { useEffect, useState } from 'preact/hooks';
import type { ListedUser, Role, UserPatch } from '../../../shared/api/staff.js';
import { api, ApiError } from '../../api.js';
import type { Messages } from '../../i18n/messages.js';
import { ShownOnce } from '../shown-once.js';
import { NotYet, RoleOptions } from './parts.js';

type Problem = { field: string | null; message: string };

/** The server's error, in the dashboard's language where it is one of this section's own. */
function problemOf(m: Messages, caught: unknown): Problem {
  if (caught instanceof ApiError && caught.code === 'last_admin') return { field: null, message: m.lastAdminRule };
  return { field: caught instanceof ApiError ? (caught.field ?? null) : null, message: (caught as Error).message };
}

/**
 * Settings → Users: every staff account with its role and status; add one (Hami makes the password and shows it
 * once), change a role, disable or enable, reset a password (shown once). The last active admin is protected by the
 * server (409 last_admin), which this section says in the dashboard's language.
 */
export function UserSettings(props: { m: Messages; selfId: string }) {
  const { m, selfId } = props;
  const [users, setUsers] = useState<ListedUser[] | null>(null);
  const [version, setVersion] = useState(0);
  const [form, setForm] = useState({ email: '', name: '', role: 'care' as Role });
  const [formError, setFormError] = useState<Problem | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const reload = () => setVersion((v) => v + 1);

  useEffect(() => {
    api.staff.list().then(
      (body) => setUsers(body.users),
      (caught: Error) => setError(caught.message),
    );
  }, [version]);

  const add = async (event: Event) => {
    event.preventDefault();
    setFormError(null);
    try {
      const created = await api.staff.add(form);
      if (created.generatedPassword) setSecret({ label: m.newUserPassword(created.email), value: created.generatedPassword });
      setForm({ email: '', name: '', role: 'care' });
      reload();
    } catch (caught) {
      setFormError(problemOf(m, caught));
    }
  };

  const change = async (user: ListedUser, patch: UserPatch) => {
    if (patch.disabled && !confirm(m.confirmDisableUser(user.name))) return;
    setError(null);
    try {
      const changed = await api.staff.change(user.id, patch);
      // An admin who made themselves care or marketing no longer has this page: start over with their new role.
      if (changed.id === selfId && changed.role !== 'admin') return location.reload();
    } catch (caught) {
      setError(problemOf(m, caught).message);
    }
    // Also after a refusal: the select goes back to the role the server kept.
    reload();
  };

  const resetPassword = async (user: ListedUser) => {
    if (!confirm(m.confirmResetPassword(user.name))) return;
    setError(null);
    try {
      const reset = await api.staff.resetPassword(user.id);
      setSecret({ label: m.resetUserPassword(reset.user.email), value: reset.password });
    } catch (caught) {
      setError(problemOf(m, caught).message);
    }
  };

  const fieldError = (field: string) =>
    formError?.field === field ? (
      <p class="field-error" id={`user-${field}-error`} role="alert">
        {formError.message}
      </p>
    ) : null;
  const invalid = (field: string) => ({
    'aria-invalid': formError?.field === field,
    'aria-describedby': formError?.field === field ? `user-${field}-error` : undefined,
  });

  return (
    <section class="card user-settings" aria-labelledby="users-title">
      <h2 id="users-title">{m.usersTitle}</h2>
      <p class="muted">{m.usersIntro}</p>
      {secret && <ShownOnce m={m} label={secret.label} value={secret.value} onDone={() => setSecret(null)} />}
      <form class="user-form" onSubmit={add} noValidate aria-labelledby="add-user-title">
        <h3 id="add-user-title">{m.addUser}</h3>
        <div class="user-form-fields">
          <label>
            {m.email}
            <input
              id="user-email"
              type="email"
              dir="ltr"
              autocomplete="off"
              value={form.email}
              {...invalid('email')}
              onInput={(e) => setForm({ ...form, email: e.currentTarget.value })}
            />
          </label>
          <label>
            {m.userName}
            <input
              id="user-name"
              autocomplete="off"
              value={form.name}
              {...invalid('name')}
              onInput={(e) => setForm({ ...form, name: e.currentTarget.value })}
            />
          </label>
          <label>
            {m.userRole}
            <select
              id="user-role"
              value={form.role}
              {...invalid('role')}
              onChange={(e) => setForm({ ...form, role: e.currentTarget.value as Role })}
            >
              <RoleOptions m={m} />
            </select>
          </label>
          <button type="submit" class="primary">
            {m.addUser}
          </button>
        </div>
        {fieldError('email')}
        {fieldError('name')}
        {fieldError('role')}
        {formError && !['email', 'name', 'role'].includes(formError.field ?? '') && (
          <p class="error" role="alert">
            {formError.message}
          </p>
        )}
      </form>
      {error && users && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {!users ? (
        <NotYet m={m} error={error} />
      ) : (
        <TableScroll m={m} title={m.usersTitle}>
          <table class="key-table user-table">
            <thead>
              <tr>
                <th scope="col">{m.userName}</th>
                <th scope="col">{m.email}</th>
                <th scope="col">{m.userRole}</th>
                <th scope="col">{m.userStatus}</th>
                <th scope="col">
                  <span class="visually-hidden">{m.colActions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} data-user={user.email} class={user.disabled ? 'is-disabled' : undefined}>
                  <th scope="row">
                    <bdi>{user.name}</bdi> {user.id === selfId && <span class="muted">{m.you}</span>}
                  </th>
                  <td>
                    <bdi dir="ltr">{user.email}</bdi>
                  </td>
                  <td>
                    <select
                      aria-label={m.roleOf(user.name)}
                      value={user.role}
                      onChange={(e) => change(user, { role: e.currentTarget.value as Role })}
                    >
                      <RoleOptions m={m} />
                    </select>
                  </td>
                  <td>{user.disabled ? m.userDisabled : m.active}</td>
                  <td class="row-actions">
                    {user.disabled ? (
                      <button type="button" aria-label={m.enableNamed(user.name)} onClick={() => change(user, { disabled: false })}>
                        {m.enableUser}
                      </button>
                    ) : (
                      <button
                        type="button"
                        class="danger"
                        aria-label={m.disableNamed(user.name)}
                        onClick={() => change(user, { disabled: true })}
                      >
                        {m.disableUser}
                      </button>
                    )}
                    <button type="button" aria-label={m.resetNamed(user.name)} onClick={() => resetPassword(user)}>
                      {m.resetPassword}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
