import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ACTION_KINDS, type ActionKind, type MessageTemplate } from '../../shared/api/segments.js';
import { LOCALES, directionOf, type Locale } from '../../shared/locale.js';
import { messagesFor, withBrand } from '../../shared/customer-messages.js';
import { fillSmsTemplate } from '../../shared/sms.js';
import type { Brand } from '../branding/brand.js';
import type { Config } from '../config.js';
import { SURVEYS_DIR, SurveyFileError } from '../surveys.js';

/*
 * The messages segment actions send, as data files next to the surveys (surveys/messages/{kind}.json with the
 * kind's _ written -), read and validated at start-up: a broken file stops the server with its name and field.
 */

const MESSAGES_DIR = path.join(SURVEYS_DIR, 'messages');

const localized = (check: z.ZodString) =>
  z.object(Object.fromEntries(LOCALES.map((l) => [l, check])) as { [L in Locale]: z.ZodString }).strict();
const withLink = z
  .string()
  .trim()
  .min(1)
  .refine((text) => text.includes('{link}'), 'must contain {link}, where the tracked link goes');

const messageTemplateSchema = z
  .object({
    kind: z.enum(ACTION_KINDS),
    /** Where the tracked link leads unless HAMI_REVIEW_URL / HAMI_REFERRAL_URL say otherwise. */
    targetUrl: z.url({ protocol: /^https?$/ }),
    /** Put in place of {name} for a customer whose name is not known. */
    nameFallback: localized(z.string().trim().min(1)),
    subject: localized(z.string().trim().min(1).max(200)),
    /** Plain text; {name} and {link} are filled in (the HTML version is made from it, escaped). */
    body: localized(withLink),
    sms: localized(withLink),
  })
  .strict();
export type MessageTemplateFile = z.infer<typeof messageTemplateSchema>;

export type MessageTemplates = Record<ActionKind, MessageTemplateFile>;

const fileOf = (kind: ActionKind) => `${kind.replace(/_/g, '-')}.json`;

/** Reads every action's template; throws SurveyFileError naming the file and field at fault. */
export function loadMessageTemplates(dir: string = MESSAGES_DIR): MessageTemplates {
  const entries = ACTION_KINDS.map((kind) => {
    const file = path.join(dir, fileOf(kind));
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new SurveyFileError(file, `cannot be read as JSON (${(error as Error).message})`);
    }
    const parsed = messageTemplateSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new SurveyFileError(file, `${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`);
    }
    if (parsed.data.kind !== kind) throw new SurveyFileError(file, `kind must be "${kind}" in this file`);
    return [kind, parsed.data] as const;
  });
  return Object.fromEntries(entries) as MessageTemplates;
}

/** The link a template's tracked redirect leads to: the configured one, else the file's. */
export function targetUrlOf(templates: MessageTemplates, config: Config['segments'], kind: ActionKind): string {
  const configured = kind === 'review_request' ? config.reviewUrl : config.referralUrl;
  return configured ?? templates[kind].targetUrl;
}

export function templateForApi(templates: MessageTemplates, config: Config['segments'], kind: ActionKind): MessageTemplate {
  const t = templates[kind];
  const texts = Object.fromEntries(
    LOCALES.map((l) => [l, { subject: t.subject[l], body: t.body[l], sms: t.sms[l] }]),
  ) as MessageTemplate['texts'];
  return { kind, texts, targetUrl: targetUrlOf(templates, config, kind) };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Fills {name} and {link}; split/join so a `$&` in a name or link is not read as a replacement pattern. */
function fill(text: string, name: string, link: string): string {
  return fillSmsTemplate(text.split('{name}').join(name), link);
}

/**
 * The email: plain text, and HTML where every customer string is escaped and the link is the one anchor besides
 * the footer's way out (`stopLink`: a marketing message always says how to stop them). Like the survey invitation it
 * carries the brand: the name in front of the subject, the accent colour on the link, and a way out that is a
 * 44 px tall tap target.
 */
export function renderActionEmail(
  template: MessageTemplateFile,
  locale: Locale,
  customerName: string | null,
  link: string,
  stopLink: string,
  brand: Brand,
): { subject: string; text: string; html: string } {
  const name = customerName?.trim() || template.nameFallback[locale];
  const stop = messagesFor(locale).stopMessages;
  const text = `${fill(template.body[locale], name, link)}\n\n--\n${stop}: ${stopLink}`;
  const paragraphs = template.body[locale]
    .split(/\n{2,}/)
    .map((p) =>
      p === '{link}'
        ? `<p><a href="${escapeHtml(link)}" style="color:${brand.accent};word-break:break-all">${escapeHtml(link)}</a></p>`
        : `<p>${escapeHtml(fill(p, name, link)).replace(/\n/g, '<br>')}</p>`,
    );
  const footer = `<p style="font-size:12px;color:#666"><a href="${escapeHtml(stopLink)}" style="display:inline-block;padding:12px 0;line-height:20px;color:#666">${escapeHtml(stop)}</a></p>`;
  const html = `<!doctype html><html lang="${locale}" dir="${directionOf(locale)}"><body style="font:15px/1.6 Tahoma,sans-serif">${paragraphs.join('')}${footer}</body></html>`;
  return { subject: withBrand(brand.name?.[locale] ?? null, template.subject[locale]), text, html };
}

export function renderActionSms(template: MessageTemplateFile, locale: Locale, link: string): string {
  return fillSmsTemplate(template.sms[locale], link);
}
