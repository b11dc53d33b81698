import { useEffect, useState } from 'preact/hooks';
import type { Locale } from '../shared/locale.js';
import { applyLocale, messages } from './i18n/messages.js';

/**
 * The dashboard shell: language switch (with right-to-left layout for Persian) and the server's status.
 * The Callbacks, Overview and Segments pages are built on this.
 */
export function App() {
  const [locale, setLocale] = useState<Locale>(navigator.language.startsWith('fa') ? 'fa' : 'en');
  const [healthy, setHealthy] = useState<boolean | null>(null);
  const m = messages[locale];

  useEffect(() => applyLocale(locale), [locale]);
  useEffect(() => {
    fetch('/healthz')
      .then((r) => setHealthy(r.ok))
      .catch(() => setHealthy(false));
  }, []);

  return (
    <main style={{ fontFamily: 'system-ui, Tahoma, sans-serif', maxWidth: '48rem', margin: '2rem auto', padding: '0 1rem' }}>
      <header style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <h1>{m.title}</h1>
        <button type="button" onClick={() => setLocale(locale === 'en' ? 'fa' : 'en')}>
          {m.language}
        </button>
      </header>
      <p>{m.tagline}</p>
      <p>
        {m.health}: {healthy === null ? '…' : healthy ? m.healthy : m.unreachable}
      </p>
    </main>
  );
}
