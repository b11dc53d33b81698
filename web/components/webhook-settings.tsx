import { useEffect, useState } from 'preact/hooks';
import type { Webhook, WebhookDelivery } from '../../shared/api/webhooks.js';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../shared/webhook-events.js';
import type { Locale } from '../../shared/locale.js';
import { api, ApiError } from '../api.js';
import { formatNumber } from '../i18n/format.js';
import { label, type Messages } from '../i18n/messages.js';
import { When } from './bits.js';
import { ShownOnce } from './shown-once.js';
import { WithCode } from './with-code.js';

type Form = { id: string | null; url: string; description: string; events: WebhookEvent[]; secret: string };
/** The headers and the signed text the intro names, the same in every language. */
const WEBHOOK_INTRO_CODES = ['X-Hami-Signature', 'HMAC-SHA256', 'timestamp.body', 'X-Hami-Timestamp'];
const EMPTY: Form = { id: null, url: '', description: '', events: ['response.created'], secret: '' };

/** The server's 400 names the field; the message is shown by that field. */
const fieldOf = (error: unknown) => (error instanceof ApiError ? (error.field ?? '').split('.')[0] || null : null);

/**
 * Settings → Webhooks: the subscriptions with their last delivery, add and edit (URL, description, event
 * checkboxes, an optional own secret), activate/deactivate, delete, the secret shown once, and per hook the delivery
 * log with every attempt and "Resend".
 */
export function WebhookSettings(props: { m: Messages; locale: Locale }) {
  const { m, locale } = props;
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  const [version, setVersion] = useState(0);
  const [form, setForm] = useState<Form | null>(null);
  const [formError, setFormError] = useState<{ field: string | null; message: string } | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [logOf, setLogOf] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = () => setVersion((v) => v + 1);

  useEffect(() => {
    api.webhooks.list().then(
      (body) => setHooks(body.items),
      (caught: Error) => setError(caught.message),
    );
  }, [version]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!form) return;
    setFormError(null);
    try {
      const base = { url: form.url, description: form.description, events: form.events };
      const saved = form.id
        ? await api.webhooks.update(form.id, { ...base, ...(form.secret ? { secret: form.secret } : {}) })
        : await api.webhooks.create({ ...base, ...(form.secret ? { secret: form.secret } : {}) });
      setSecret(saved.secret ?? null);
      setForm(null);
      reload();
    } catch (caught) {
      setFormError({ field: fieldOf(caught), message: (caught as Error).message });
    }
  };

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      reload();
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  const toggleEvent = (name: WebhookEvent, on: boolean) =>
    form &&
    setForm({
      ...form,
      events: on ? WEBHOOK_EVENTS.filter((e) => e === name || form.events.includes(e)) : form.events.filter((e) => e !== name),
    });
  const fieldError = (field: string) =>
    formError?.field === field ? (
      <p class="field-error" id={`hook-${field}-error`}>
        {formError.message}
      </p>
    ) : null;
  const describedBy = (field: string) => (formError?.field === field ? `hook-${field}-error` : undefined);

  return (
    <section class="card webhook-settings" aria-labelledby="webhooks-title">
      <div class="section-head">
        <h2 id="webhooks-title">{m.webhooksTitle}</h2>
        {!form && (
          <button
            type="button"
            onClick={() => {
              setFormError(null);
              setForm(EMPTY);
            }}
          >
            {m.addWebhook}
          </button>
        )}
      </div>
      <p class="muted">
        <WithCode text={m.webhooksIntro} codes={WEBHOOK_INTRO_CODES} />
      </p>
      {error && (
        <p class="error" role="alert">
          {m.somethingWrong} {error}
        </p>
      )}
      {secret && <ShownOnce m={m} label={m.secretOnce} value={secret} onDone={() => setSecret(null)} />}

      {form && (
        <form class="webhook-form" onSubmit={submit} aria-labelledby="webhook-form-title" noValidate>
          <h3 id="webhook-form-title">{form.id ? m.editWebhook : m.addWebhook}</h3>
          <label for="hook-url">{m.webhookUrl}</label>
          <input
            id="hook-url"
            type="url"
            dir="ltr"
            required
            value={form.url}
            aria-invalid={formError?.field === 'url'}
            aria-describedby={describedBy('url')}
            onInput={(e) => setForm({ ...form, url: e.currentTarget.value })}
          />
          {fieldError('url')}
          <label for="hook-description">{m.webhookDescription}</label>
          <input id="hook-description" value={form.description} onInput={(e) => setForm({ ...form, description: e.currentTarget.value })} />
          {fieldError('description')}
          <fieldset aria-describedby={describedBy('events')}>
            <legend>{m.webhookEvents}</legend>
            {WEBHOOK_EVENTS.map((name) => (
              <label key={name} class="check">
                <input
                  type="checkbox"
                  name="events"
                  value={name}
                  checked={form.events.includes(name)}
                  onChange={(e) => toggleEvent(name, e.currentTarget.checked)}
                />
                <code dir="ltr">{name}</code> {label(m, 'event', name)}
              </label>
            ))}
          </fieldset>
          {fieldError('events')}
          <label for="hook-secret">{form.id ? m.webhookNewSecret : m.webhookSecretOptional}</label>
          <input
            id="hook-secret"
            dir="ltr"
            autocomplete="off"
            value={form.secret}
            aria-describedby={describedBy('secret')}
            onInput={(e) => setForm({ ...form, secret: e.currentTarget.value })}
          />
          {fieldError('secret')}
          {formError && !['url', 'description', 'events', 'secret'].includes(formError.field ?? '') && (
            <p class="error" role="alert">
              {formError.message}
            </p>
          )}
          <div class="buttons">
            <button type="submit" class="primary">
              {m.save}
            </button>
            <button type="button" onClick={() => setForm(null)}>
              {m.cancel}
            </button>
          </div>
        </form>
      )}

      {!hooks ? (
        <p class="status-line">{m.loading}</p>
      ) : hooks.length === 0 ? (
        <p class="muted">{m.noWebhooks}</p>
      ) : (
        <ul class="webhook-list">
          {hooks.map((hook) => (
            <li key={hook.id} data-webhook={hook.id}>
              <div class="webhook-head">
                <code dir="ltr" class="webhook-url">
                  {hook.url}
                </code>
                <span class={`status ${hook.active ? 'status-resolved' : ''}`}>{hook.active ? m.active : m.inactive}</span>
                {hook.lastDelivery && <DeliveryChip m={m} status={hook.lastDelivery.status} />}
              </div>
              {hook.description && (
                <p>
                  <bdi>{hook.description}</bdi>
                </p>
              )}
              <p class="muted">
                {hook.events.map((e) => label(m, 'event', e)).join(m.listSeparator)} · {m.secretHint(hook.secretHint)}
              </p>
              <div class="buttons">
                <button
                  type="button"
                  onClick={() => {
                    setFormError(null);
                    setForm({ id: hook.id, url: hook.url, description: hook.description, events: hook.events, secret: '' });
                  }}
                >
                  {m.edit}
                </button>
                <button type="button" onClick={() => act(() => api.webhooks.update(hook.id, { active: !hook.active }))}>
                  {hook.active ? m.deactivate : m.activate}
                </button>
                <button
                  type="button"
                  onClick={() => act(async () => setSecret((await api.webhooks.update(hook.id, { rotateSecret: true })).secret ?? null))}
                >
                  {m.rotateSecret}
                </button>
                <button type="button" aria-expanded={logOf === hook.id} onClick={() => setLogOf(logOf === hook.id ? null : hook.id)}>
                  {m.deliveryLog}
                </button>
                <button
                  type="button"
                  class="danger"
                  onClick={() => confirm(m.confirmDeleteWebhook(hook.url)) && act(() => api.webhooks.remove(hook.id))}
                >
                  {m.delete}
                </button>
              </div>
              {logOf === hook.id && <DeliveryLog m={m} locale={locale} hook={hook} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function DeliveryChip(props: { m: Messages; status: string }) {
  return <span class={`chip delivery-${props.status}`}>{label(props.m, 'delivery', props.status)}</span>;
}

/** A hook's newest deliveries, each with its attempts; re-read every few seconds while one is pending. */
function DeliveryLog(props: { m: Messages; locale: Locale; hook: Webhook }) {
  const { m, locale, hook } = props;
  const [items, setItems] = useState<WebhookDelivery[] | null>(null);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    api.webhooks.deliveries(hook.id).then(
      (body) => current && setItems(body.items),
      (caught: Error) => current && setError(caught.message),
    );
    return () => {
      current = false;
    };
  }, [hook.id, version]);
  const pending = items?.some((d) => d.status === 'pending') ?? false;
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => setVersion((v) => v + 1), 2000);
    return () => clearTimeout(timer);
  }, [pending, items]);

  const resend = async (id: string) => {
    setError(null);
    try {
      await api.webhooks.resend(id);
      setVersion((v) => v + 1);
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  return (
    <div class="delivery-log" aria-label={m.deliveryLogOf(hook.url)} role="region">
      <div class="buttons">
        <button type="button" class="link-button" onClick={() => setVersion((v) => v + 1)}>
          {m.refresh}
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {m.somethingWrong} {error}
        </p>
      )}
      {!items ? (
        <p class="status-line">{m.loading}</p>
      ) : items.length === 0 ? (
        <p class="muted">{m.noDeliveries}</p>
      ) : (
        <ol class="deliveries">
          {items.map((delivery) => (
            <li key={delivery.id} data-delivery={delivery.id}>
              <div class="webhook-head">
                <DeliveryChip m={m} status={delivery.status} />
                <code dir="ltr">{delivery.event}</code>
                <When locale={locale} at={delivery.createdAt} />
                {delivery.resendOf && <span class="muted">{m.resentDelivery}</span>}
                <button type="button" onClick={() => resend(delivery.id)} disabled={!hook.active}>
                  {m.resend}
                </button>
              </div>
              <ul class="attempts">
                {delivery.attempts.map((attempt, index) => (
                  <li key={index}>
                    <When locale={locale} at={attempt.at} relative={false} /> · <span dir="ltr">{attempt.statusCode ?? m.noAnswer}</span> ·{' '}
                    {m.durationMs(formatNumber(attempt.durationMs, locale))}
                    {attempt.error && (
                      <>
                        {' '}
                        ·{' '}
                        <span class="muted" dir="ltr">
                          {attempt.error}
                        </span>
                      </>
                    )}
                    {attempt.responseExcerpt && (
                      <pre class="excerpt" dir="ltr">
                        {attempt.responseExcerpt}
                      </pre>
                    )}
                  </li>
                ))}
              </ul>
              {delivery.status === 'pending' && delivery.nextAttemptAt && (
                <p class="muted">
                  {m.nextAttempt} <When locale={locale} at={delivery.nextAttemptAt} />
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
