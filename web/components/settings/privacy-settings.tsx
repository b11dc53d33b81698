import { useState } from 'preact/hooks';
import type { Locale } from '../../../shared/locale.js';
import { api, ApiError } from '../../api.js';
import { formatNumber } from '../../i18n/format.js';
import type { Messages } from '../../i18n/messages.js';

/** Saves `data` as a JSON file the browser downloads (the export is fetched first, so a wrong id is told on this page). */
function saveJson(data: unknown, fileName: string): void {
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Settings → Customer data requests: a customer's export (everything Hami holds, one JSON file) and their erasure,
 * as `hami customer export|erase` do; the server records both in the privacy audit with this admin as the actor.
 */
export function PrivacySettings(props: { m: Messages; locale: Locale }) {
  const { m, locale } = props;
  const [id, setId] = useState('');
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const failed = (caught: unknown) =>
    setResult({ ok: false, message: caught instanceof ApiError && caught.status === 404 ? m.customerNotFound : (caught as Error).message });

  const exportCustomer = async (event: Event) => {
    event.preventDefault();
    const wanted = id.trim();
    if (!wanted) return;
    setBusy(true);
    setResult(null);
    try {
      saveJson(await api.privacy.exportCustomer(wanted), `customer-${wanted.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80)}.json`);
      setResult({ ok: true, message: m.customerExported(wanted) });
    } catch (caught) {
      failed(caught);
    } finally {
      setBusy(false);
    }
  };

  const erase = async () => {
    const wanted = id.trim();
    if (!wanted || !confirm(m.confirmErase(wanted))) return;
    setBusy(true);
    setResult(null);
    try {
      const erased = await api.privacy.erase(wanted);
      const changed = erased.changed;
      setResult({
        ok: true,
        message: erased.alreadyErased
          ? m.customerAlreadyErased(wanted)
          : m.customerErased(wanted, formatNumber(changed.responses, locale, 0), formatNumber(changed.caseEntries, locale, 0)),
      });
    } catch (caught) {
      failed(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card privacy-settings" aria-labelledby="privacy-title">
      <h2 id="privacy-title">{m.privacyTitle}</h2>
      <p class="muted">{m.privacyIntro}</p>
      <form class="privacy-form" onSubmit={exportCustomer} noValidate>
        <label for="privacy-customer">{m.customerIdLabel}</label>
        <input id="privacy-customer" dir="ltr" autocomplete="off" value={id} onInput={(e) => setId(e.currentTarget.value)} />
        <span class="privacy-actions">
          <button type="submit" class="primary" disabled={busy || !id.trim()}>
            {m.exportCustomer}
          </button>
          <button type="button" class="danger" disabled={busy || !id.trim()} onClick={erase}>
            {m.eraseCustomer}
          </button>
        </span>
      </form>
      {result && (
        <p class={result.ok ? 'notice' : 'error'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </p>
      )}
    </section>
  );
}
