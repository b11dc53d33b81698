import { useEffect, useState } from 'preact/hooks';
import type { ApiKey } from '../../shared/api/api-keys.js';
import type { Locale } from '../../shared/locale.js';
import { api, ApiError } from '../api.js';
import type { Messages } from '../i18n/messages.js';
import { When } from './bits.js';
import { ShownOnce } from './shown-once.js';
import { WithCode } from './with-code.js';

/** Settings → API keys: the keys by prefix with created, last used and revoked; create (the key shown once); revoke. */
export function ApiKeySettings(props: { m: Messages; locale: Locale }) {
  const { m, locale } = props;
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [version, setVersion] = useState(0);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<{ field: string | null; message: string } | null>(null);

  useEffect(() => {
    api.keys.list().then(
      (body) => setKeys(body.items),
      (caught: Error) => setError({ field: null, message: caught.message }),
    );
  }, [version]);

  const create = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      setCreated((await api.keys.create(name)).key);
      setName('');
      setVersion((v) => v + 1);
    } catch (caught) {
      setError({ field: caught instanceof ApiError ? (caught.field ?? null) : null, message: (caught as Error).message });
    }
  };
  const revoke = async (key: ApiKey) => {
    if (!confirm(m.confirmRevoke(key.name))) return;
    setError(null);
    try {
      await api.keys.revoke(key.id);
      setVersion((v) => v + 1);
    } catch (caught) {
      setError({ field: null, message: (caught as Error).message });
    }
  };

  return (
    <section class="card key-settings" aria-labelledby="keys-title">
      <h2 id="keys-title">{m.apiKeysTitle}</h2>
      <p class="muted">
        <WithCode text={m.apiKeysIntro} codes={['Authorization: Bearer <key>']} />
      </p>
      {created && <ShownOnce m={m} label={m.keyOnce} value={created} onDone={() => setCreated(null)} />}
      <form class="inline-form" onSubmit={create} noValidate>
        <label for="key-name">{m.keyName}</label>
        <input
          id="key-name"
          value={name}
          aria-invalid={error?.field === 'name'}
          aria-describedby={error?.field === 'name' ? 'key-name-error' : undefined}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <button type="submit" class="primary">
          {m.createKey}
        </button>
      </form>
      {error && (
        <p class={error.field ? 'field-error' : 'error'} id={error.field ? 'key-name-error' : undefined} role="alert">
          {error.message}
        </p>
      )}
      {!keys ? (
        <p class="status-line">{m.loading}</p>
      ) : keys.length === 0 ? (
        <p class="muted">{m.noApiKeys}</p>
      ) : (
        <table class="key-table">
          <thead>
            <tr>
              <th scope="col">{m.keyName}</th>
              <th scope="col">{m.colPrefix}</th>
              <th scope="col">{m.colCreated}</th>
              <th scope="col">{m.colLastUsed}</th>
              <th scope="col">{m.colRevoked}</th>
              <th scope="col">
                <span class="visually-hidden">{m.colActions}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id} data-key={key.id}>
                <td>
                  <bdi>{key.name}</bdi>
                </td>
                <td>
                  <code dir="ltr">{key.prefix}…</code>
                </td>
                <td>
                  <When locale={locale} at={key.createdAt} relative={false} />
                </td>
                <td>{key.lastUsedAt ? <When locale={locale} at={key.lastUsedAt} /> : m.never}</td>
                <td>{key.revokedAt ? <When locale={locale} at={key.revokedAt} relative={false} /> : '—'}</td>
                <td>
                  {!key.revokedAt && (
                    <button type="button" class="danger" aria-label={m.revokeNamed(key.name)} onClick={() => revoke(key)}>
                      {m.revoke}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
