import { useEffect, useState } from 'preact/hooks';
import type { SurveyTexts } from '../../shared/api/settings.js';
import type { Locale } from '../../shared/locale.js';
import { api } from '../api.js';
import { ApiKeySettings } from '../components/api-key-settings.js';
import { ImportSettings } from '../components/import-settings.js';
import { BrandingSettings } from '../components/settings/branding-settings.js';
import { CliCommands } from '../components/settings/cli-commands.js';
import { PrivacySettings } from '../components/settings/privacy-settings.js';
import { PublicLinkSettings } from '../components/settings/public-link-settings.js';
import { SurveyTextSettings } from '../components/settings/survey-texts.js';
import { ThemeSettings } from '../components/settings/theme-settings.js';
import { UserSettings } from '../components/settings/user-settings.js';
import { WebhookSettings } from '../components/webhook-settings.js';
import type { Messages } from '../i18n/messages.js';

/**
 * Settings (#/settings, admin only): users; the brand, the survey texts and their public links with QR codes
 * (read-only); the comment themes' dictionary and its candidates; customer data requests; outbound webhooks, API keys and CSV import; and the CLI's commands.
 */
export function SettingsPage(props: { m: Messages; locale: Locale; selfId: string }) {
  const { m, locale } = props;
  const [surveys, setSurveys] = useState<SurveyTexts[] | null>(null);
  const [surveysError, setSurveysError] = useState<string | null>(null);
  useEffect(() => {
    document.title = `${m.settingsTitle} · ${m.title}`;
  }, [m]);
  useEffect(() => {
    api.settings.surveys().then(
      (body) => setSurveys(body.surveys),
      (caught: Error) => setSurveysError(caught.message),
    );
  }, []);
  return (
    <div class="settings">
      <h1>{m.settingsTitle}</h1>
      <UserSettings m={m} selfId={props.selfId} />
      <BrandingSettings m={m} />
      <PublicLinkSettings m={m} surveys={surveys} error={surveysError} />
      <SurveyTextSettings m={m} locale={locale} surveys={surveys} error={surveysError} />
      <ThemeSettings m={m} locale={locale} />
      <PrivacySettings m={m} locale={locale} />
      <WebhookSettings m={m} locale={locale} />
      <ApiKeySettings m={m} locale={locale} />
      <ImportSettings m={m} locale={locale} />
      <CliCommands m={m} />
    </div>
  );
}
