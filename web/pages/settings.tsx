import { useEffect } from 'preact/hooks';
import type { Locale } from '../../shared/locale.js';
import { ApiKeySettings } from '../components/api-key-settings.js';
import { ImportSettings } from '../components/import-settings.js';
import { WebhookSettings } from '../components/webhook-settings.js';
import type { Messages } from '../i18n/messages.js';

/** Settings (#/settings, admin only): outbound webhooks, API keys and CSV import. */
export function SettingsPage(props: { m: Messages; locale: Locale }) {
  const { m, locale } = props;
  useEffect(() => {
    document.title = `${m.settingsTitle} · ${m.title}`;
  }, [m]);
  return (
    <div class="settings">
      <h1>{m.settingsTitle}</h1>
      <WebhookSettings m={m} locale={locale} />
      <ApiKeySettings m={m} locale={locale} />
      <ImportSettings m={m} locale={locale} />
    </div>
  );
}
