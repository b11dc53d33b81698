import { z } from 'zod';

/**
 * Template ("pattern") sends: a survey may name, per SMS gateway, a template kept in that gateway's panel and which
 * of our values fill its parameters. Numbers on the operators' advertising blacklist do not get free text from
 * advertising lines; a template approved by the gateway goes out on a service line and reaches them.
 *
 * Each gateway's own words are kept (Kavenegar's `template` and `token…`, SMS.ir's `templateId`, Ghasedak's
 * `templateName`, Melipayamak's `bodyId` and its positional {0}, {1}…) so the file reads like the panel it mirrors.
 * Pure: no I/O, shared by the survey loader (validation at start-up) and the sender.
 */

/** What a template parameter is filled with. `token` is the last part of the survey link (…/s/TOKEN). */
const SMS_TEMPLATE_VALUES = ['link', 'token', 'name', 'brand'] as const;
type SmsTemplateValue = (typeof SMS_TEMPLATE_VALUES)[number];

const value = z.enum(SMS_TEMPLATE_VALUES, { message: `use one of ${SMS_TEMPLATE_VALUES.join(', ')}` });
const paramName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'a parameter name: letters, digits and _ (at most 40), as in the panel');
const needsLink = (values: readonly SmsTemplateValue[]) => values.includes('link') || values.includes('token');
const linkMissing = 'the template must carry the survey link: fill one parameter with "link" or "token"';

/**
 * Kavenegar verify/lookup: token, token2 and token3 take no spaces, token10 and token20 do (Kavenegar's REST docs,
 * verify/lookup), so a name or brand belongs in token10 or token20.
 */
const KAVENEGAR_TOKENS = ['token', 'token2', 'token3', 'token10', 'token20'] as const;
const kavenegar = z
  .object({
    template: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'the template name from the Kavenegar panel (letters, digits, - and _)'),
    params: z.partialRecord(z.enum(KAVENEGAR_TOKENS, { message: `Kavenegar's parameters are ${KAVENEGAR_TOKENS.join(', ')}` }), value),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (!needsLink(Object.values(t.params))) ctx.addIssue({ code: 'custom', path: ['params'], message: linkMissing });
    for (const [token, v] of Object.entries(t.params)) {
      if ((v === 'name' || v === 'brand') && (token === 'token' || token === 'token2' || token === 'token3')) {
        ctx.addIssue({
          code: 'custom',
          path: ['params', token],
          message: `"${v}" may hold spaces, which Kavenegar refuses in ${token}: use token10 or token20`,
        });
      }
    }
  });

/** SMS.ir /v1/send/verify: each parameter value is at most 25 characters (its status 114), too short for a link. */
const smsir = z
  .object({
    templateId: z.number().int().positive('the numeric template id from the SMS.ir panel'),
    params: z.record(paramName, value),
  })
  .strict()
  .superRefine((t, ctx) => {
    const values = Object.values(t.params);
    if (!needsLink(values)) ctx.addIssue({ code: 'custom', path: ['params'], message: linkMissing });
    for (const [name, v] of Object.entries(t.params)) {
      if (v === 'link') {
        ctx.addIssue({
          code: 'custom',
          path: ['params', name],
          message: 'SMS.ir takes at most 25 characters per value: write the link up to /s/ into the template and fill this with "token"',
        });
      }
    }
  });

/** Ghasedak SendOtpSMS: templateName and inputs [{param, value}]. */
const ghasedak = z
  .object({
    templateName: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'the template name from the Ghasedak panel'),
    params: z.record(paramName, value),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (!needsLink(Object.values(t.params))) ctx.addIssue({ code: 'custom', path: ['params'], message: linkMissing });
  });

/** Melipayamak BaseServiceNumber: bodyId and the values of {0}, {1}… in order, sent joined by ";". */
const melipayamak = z
  .object({
    bodyId: z.number().int().positive('the numeric bodyId of the approved text in the Melipayamak panel'),
    params: z.array(value).min(1, 'the values of {0}, {1}… in order'),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (!needsLink(t.params)) ctx.addIssue({ code: 'custom', path: ['params'], message: linkMissing });
  });

export const smsTemplatesSchema = z
  .object({ kavenegar: kavenegar.optional(), smsir: smsir.optional(), ghasedak: ghasedak.optional(), melipayamak: melipayamak.optional() })
  .strict();
type SmsTemplates = z.infer<typeof smsTemplatesSchema>;
type SmsTemplateGateway = keyof SmsTemplates;

/** The values a template may be filled with, for one message. */
export interface SmsTemplateValues {
  link: string;
  /** The customer's name; null when unknown (a neutral word stands in). */
  name: string | null;
  /** The brand's name in the message's language; null when unset (the link's host stands in). */
  brand: string | null;
  locale: 'en' | 'fa';
}

/** A template send ready for an adapter: the gateway's template id and its parameters in order. */
interface FilledSmsTemplate {
  id: string;
  params: Array<{ name: string; value: string }>;
}

const NEUTRAL_NAME = { en: 'customer', fa: 'مشتری' } as const;

function fill(kind: SmsTemplateValue, values: SmsTemplateValues): string {
  switch (kind) {
    case 'link':
      return values.link;
    case 'token':
      return values.link.slice(values.link.lastIndexOf('/') + 1);
    case 'name':
      return values.name?.trim() || NEUTRAL_NAME[values.locale];
    case 'brand':
      return values.brand?.trim() || new URL(values.link).hostname;
  }
}

/** SMS.ir refuses a value over 25 characters (status 114); Melipayamak splits values on ";". */
function fitFor(gateway: SmsTemplateGateway, text: string): string {
  if (gateway === 'smsir') return [...text].slice(0, 25).join('');
  if (gateway === 'melipayamak') return text.replaceAll(';', '،');
  return text;
}

/**
 * The template the survey names for `gateway`, filled for one message; null when the survey has none for it (the
 * free text is sent then).
 */
export function smsTemplateFor(templates: SmsTemplates | undefined, gateway: string, values: SmsTemplateValues): FilledSmsTemplate | null {
  if (!templates || !(gateway in templates)) return null;
  const g = gateway as SmsTemplateGateway;
  const entry = (name: string, kind: SmsTemplateValue) => ({ name, value: fitFor(g, fill(kind, values)) });
  switch (g) {
    case 'kavenegar': {
      const t = templates.kavenegar;
      return t ? { id: t.template, params: Object.entries(t.params).map(([name, kind]) => entry(name, kind)) } : null;
    }
    case 'smsir': {
      const t = templates.smsir;
      return t ? { id: String(t.templateId), params: Object.entries(t.params).map(([name, kind]) => entry(name, kind)) } : null;
    }
    case 'ghasedak': {
      const t = templates.ghasedak;
      return t ? { id: t.templateName, params: Object.entries(t.params).map(([name, kind]) => entry(name, kind)) } : null;
    }
    case 'melipayamak': {
      const t = templates.melipayamak;
      return t ? { id: String(t.bodyId), params: t.params.map((kind, i) => entry(String(i), kind)) } : null;
    }
  }
}
