import { z } from 'zod';
import { CHANNELS, SURVEY_TRIGGERS } from '../survey-schema.js';

/*
 * Read-only views of what is configured outside the dashboard, for Settings (admins only, 'settings:read'):
 *
 *   GET /api/settings/branding → BrandingBody     HAMI_BRAND_* as the server read them at start-up
 *   GET /api/surveys           → SurveyTextsBody  each survey file's texts in both languages, and its public links
 */

const localized = z.object({ en: z.string(), fa: z.string() });

export const brandingBody = z.object({
  name: localized.nullable().describe('HAMI_BRAND_NAME and HAMI_BRAND_NAME_FA; null when unset'),
  logo: z
    .object({ src: z.string().describe('Where the dashboard and customer pages load it from'), source: z.enum(['file', 'url']) })
    .nullable()
    .describe('HAMI_BRAND_LOGO; null when unset'),
  accent: z.string().describe('HAMI_BRAND_COLOR (#rrggbb), or Hami’s own blue'),
  accentIsDefault: z.boolean().describe('True when HAMI_BRAND_COLOR is unset'),
  senderName: z.string().nullable().describe('HAMI_BRAND_SENDER (or the brand name): the display name on emails'),
  mailFrom: z.string().describe('MAIL_FROM: the address emails are sent from'),
  replyTo: z.string().nullable().describe('HAMI_BRAND_REPLY_TO: where customers’ replies go'),
});
export type BrandingBody = z.infer<typeof brandingBody>;

const qrFiles = z.object({ svg: z.string(), png: z.string() });

const publicLinkView = z.object({
  id: z.string(),
  kiosk: z.boolean(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  /** The address the poster, receipt or kiosk opens, per language. */
  url: localized,
  /** The QR code of each language's address, as SVG and PNG (/p/{survey}/{link}/qr.svg|png[?lang=fa] on this server). */
  qr: z.object({ en: qrFiles, fa: qrFiles }),
});
export type PublicLinkView = z.infer<typeof publicLinkView>;

const questionView = z.object({
  id: z.string(),
  type: z.enum(['nps', 'csat', 'ces', 'yes_no', 'text']),
  optional: z.boolean(),
  text: localized,
  lowLabel: localized.nullable(),
  highLabel: localized.nullable(),
});

export const surveyTextsBody = z.object({
  surveys: z.array(
    z.object({
      id: z.string(),
      trigger: z.enum(SURVEY_TRIGGERS),
      everyMonths: z
        .number()
        .int()
        .nullable()
        .describe('The autopilot survey: every how many months a member is asked; null for the others'),
      channels: z.array(z.enum(CHANNELS)),
      subject: localized.describe('The email subject'),
      sms: localized.nullable().describe('The SMS text; {link} stands for the survey link'),
      intro: localized,
      thanks: localized,
      questions: z.array(questionView),
      publicLinks: z.array(publicLinkView),
    }),
  ),
});
export type SurveyTextsBody = z.infer<typeof surveyTextsBody>;
export type SurveyTexts = SurveyTextsBody['surveys'][number];
