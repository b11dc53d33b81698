import type { BrandingBody, SurveyTexts } from '../../shared/api/settings.js';
import type { SurveyDefinition } from '../../shared/survey-schema.js';
import { DEFAULT_ACCENT, type Brand } from '../branding/brand.js';
import { pageBrandOf } from '../branding/page-brand.js';
import { publicLinkUrl } from '../public-links/qr.js';

/** The brand as Settings shows it: the values read from HAMI_BRAND_* and MAIL_FROM, and the logo's address. */
export function brandingView(brand: Brand, mailFrom: string): BrandingBody {
  const logo = pageBrandOf(brand).logo;
  return {
    name: brand.name,
    logo: logo && brand.logo ? { src: logo.src, source: brand.logo.kind } : null,
    accent: brand.accent,
    accentIsDefault: brand.accent === DEFAULT_ACCENT,
    senderName: brand.senderName,
    mailFrom,
    replyTo: brand.replyTo,
  };
}

/** A survey file's texts and public links, as Settings shows them (read-only: surveys are files in surveys/). */
export function surveyTextsView(survey: SurveyDefinition, publicUrl: string): SurveyTexts {
  return {
    id: survey.id,
    trigger: survey.trigger,
    everyMonths: survey.everyMonths ?? null,
    channels: survey.channels,
    subject: survey.subject,
    sms: survey.sms ?? null,
    intro: survey.intro,
    thanks: survey.thanks,
    questions: survey.questions.map((q) => ({
      id: q.id,
      type: q.type,
      optional: q.optional,
      text: q.text,
      lowLabel: 'lowLabel' in q ? q.lowLabel : null,
      highLabel: 'highLabel' in q ? q.highLabel : null,
    })),
    publicLinks: survey.publicLinks.map((link) => {
      const path = `/p/${encodeURIComponent(survey.id)}/${encodeURIComponent(link.id)}`;
      return {
        id: link.id,
        kiosk: link.kiosk,
        attributes: link.attributes,
        url: { en: publicLinkUrl(publicUrl, survey.id, link.id), fa: publicLinkUrl(publicUrl, survey.id, link.id, 'fa') },
        qr: { en: { svg: `${path}/qr.svg`, png: `${path}/qr.png` }, fa: { svg: `${path}/qr.svg?lang=fa`, png: `${path}/qr.png?lang=fa` } },
      };
    }),
  };
}
