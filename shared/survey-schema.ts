import { z } from 'zod';
import { DEFAULT_SLA_HOURS } from './callback-rules.js';
import { LOCALES } from './locale.js';
import { smsTemplatesSchema } from './sms-templates.js';
import { AUTOPILOT_INTERVALS } from './autopilot.js';

/** Every visible string in a survey file is given in each language. */
const localizedText = z
  .object(
    Object.fromEntries(LOCALES.map((l) => [l, z.string().trim().min(1)])) as {
      [L in (typeof LOCALES)[number]]: z.ZodString;
    },
  )
  .strict();

const questionId = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'use lower-case letters, digits and _ (at most 40)');

const base = { id: questionId, text: localizedText, optional: z.boolean().default(false) };
const scaleLabels = { lowLabel: localizedText, highLabel: localizedText };

/** Question types as a discriminated union: each type knows its own shape. */
export const questionSchema = z.discriminatedUnion('type', [
  z.object({ ...base, ...scaleLabels, type: z.literal('nps') }).strict(),
  z.object({ ...base, ...scaleLabels, type: z.literal('csat') }).strict(),
  z.object({ ...base, ...scaleLabels, type: z.literal('ces') }).strict(),
  z.object({ ...base, type: z.literal('yes_no') }).strict(),
  z.object({ ...base, type: z.literal('text'), maxLength: z.number().int().min(1).max(10_000).default(2000) }).strict(),
]);

/** 'autopilot': the recurring relationship survey sent to autopilot members every `everyMonths` (server/autopilot/). */
export const SURVEY_TRIGGERS = ['purchase', 'resolution', 'callback_resolved', 'autopilot'] as const;
/** Every channel a survey can go by. `bale`: the Bale messenger (Safir), to the customer's phone number. */
export const CHANNELS = ['email', 'sms', 'bale'] as const;

const attributeValue = z.union([z.string().max(200), z.number(), z.boolean()]);
/** An event or customer attribute's name, as events send it (`attributes: { product: … }`). */
const attributeName = z.string().min(1, 'an attribute name cannot be empty').max(64, 'an attribute name has at most 64 characters');

/** A public link (for a poster, a receipt or a kiosk tablet): its attributes go with every answer it collects. */
export const publicLinkSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'use lower-case letters, digits and - (at most 40)'),
    attributes: z.record(z.string().min(1).max(64), attributeValue).default({}),
    /** A kiosk link resets after each answer, for a tablet at a counter. */
    kiosk: z.boolean().default(false),
  })
  .strict();

export const surveySchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'use lower-case letters, digits and - (at most 64)'),
    trigger: z.enum(SURVEY_TRIGGERS),
    /** Minutes between the event and the invitation, unless the event names its own sendAt. */
    delayMinutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 90),
    /** Days a link stays open for answers (and for changing them). */
    expiresAfterDays: z.number().int().min(1).max(365).default(14),
    /** Hours within which a detractor must be called back. */
    slaHours: z
      .number()
      .positive()
      .max(24 * 30)
      .default(DEFAULT_SLA_HOURS),
    /** Channels in order of preference. */
    channels: z.array(z.enum(CHANNELS)).min(1),
    /** At most one survey per customer per throttle period (HAMI_THROTTLE_DAYS); false for follow-ups in a case. */
    throttle: z.boolean().default(true),
    /** For the autopilot survey only: every how many months a member is asked again (3, 6 or 12). */
    everyMonths: z
      .union(
        AUTOPILOT_INTERVALS.map((n) => z.literal(n)),
        { error: `must be one of ${AUTOPILOT_INTERVALS.join(', ')} (months)` },
      )
      .optional(),
    /** One reminder this many days after sending, if still unanswered (omit for none). */
    reminderAfterDays: z.number().int().min(1).max(60).optional(),
    /** The question answered by one tap in the message (its scale becomes the links). */
    oneTap: questionId,
    /** What staff call the survey (alerts, exports); the id stands in when it is not given. */
    name: localizedText.optional(),
    subject: localizedText,
    /** The SMS text; {link} stands for the survey link. Keep it to one segment (70 characters in Persian). */
    sms: localizedText.optional(),
    /** Per gateway, a template of its panel sent instead of the free text (reaches blacklisted numbers; see sms-templates.ts). */
    smsTemplates: smsTemplatesSchema.optional(),
    publicLinks: z.array(publicLinkSchema).default([]),
    /**
     * Attributes rolled up per day, so the dashboard can filter trends by them at the cost of days, not responses
     * (each adds rollup rows per value: keep them to attributes with few values, like product line or region).
     */
    // '#…' names are the rollups' own dimensions (comment themes: '#theme').
    dimensions: z
      .array(attributeName.refine((name) => !name.startsWith('#'), 'a dimension name cannot start with #'))
      .max(10, 'at most 10 dimensions')
      .default([]),
    intro: localizedText,
    thanks: localizedText,
    questions: z.array(questionSchema).min(1),
  })
  .strict()
  .superRefine((survey, ctx) => {
    const ids = new Set<string>();
    survey.questions.forEach((q, i) => {
      if (ids.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `duplicate question id "${q.id}"` });
      ids.add(q.id);
    });
    if (survey.channels.includes('sms')) {
      if (!survey.sms) ctx.addIssue({ code: 'custom', path: ['sms'], message: 'a survey sent by SMS needs its "sms" text' });
    }
    for (const locale of LOCALES) {
      if (survey.sms && !survey.sms[locale].includes('{link}')) {
        ctx.addIssue({ code: 'custom', path: ['sms', locale], message: 'must contain {link}, where the survey link goes' });
      }
    }
    const linkIds = new Set<string>();
    survey.publicLinks.forEach((link, i) => {
      if (linkIds.has(link.id))
        ctx.addIssue({ code: 'custom', path: ['publicLinks', i, 'id'], message: `duplicate public link id "${link.id}"` });
      linkIds.add(link.id);
    });
    if (survey.reminderAfterDays !== undefined && survey.reminderAfterDays >= survey.expiresAfterDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['reminderAfterDays'],
        message: 'must be less than expiresAfterDays (the link would be closed)',
      });
    }
    const dimensions = new Set<string>();
    survey.dimensions.forEach((name, i) => {
      if (dimensions.has(name)) ctx.addIssue({ code: 'custom', path: ['dimensions', i], message: `duplicate dimension "${name}"` });
      dimensions.add(name);
    });
    if (survey.trigger === 'autopilot' && survey.everyMonths === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['everyMonths'],
        message: `the autopilot survey needs "everyMonths": ${AUTOPILOT_INTERVALS.join(', ')}`,
      });
    }
    if (survey.trigger !== 'autopilot' && survey.everyMonths !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['everyMonths'],
        message: 'only the autopilot survey ("trigger": "autopilot") repeats every few months',
      });
    }
    const oneTap = survey.questions.find((q) => q.id === survey.oneTap);
    if (!oneTap) ctx.addIssue({ code: 'custom', path: ['oneTap'], message: `no question with id "${survey.oneTap}"` });
    else if (oneTap.type === 'text')
      ctx.addIssue({ code: 'custom', path: ['oneTap'], message: 'a text question cannot be answered by one tap' });
  });

export type SurveyDefinition = z.infer<typeof surveySchema>;
export type Question = z.infer<typeof questionSchema>;
type ScaleQuestion = Extract<Question, { type: 'nps' | 'csat' | 'ces' }>;
export type SurveyTrigger = (typeof SURVEY_TRIGGERS)[number];
export type Channel = (typeof CHANNELS)[number];
/** How an invitation reached the customer: a channel, or a survey's public link or kiosk (server/public-links/). */
export type InvitationChannel = Channel | 'link' | 'kiosk';

export function isChannel(value: InvitationChannel): value is Channel {
  return (CHANNELS as readonly string[]).includes(value);
}
export type PublicLink = z.infer<typeof publicLinkSchema>;

const SCALES = { nps: [0, 10], csat: [1, 5], ces: [1, 7] } as const;

/** The inclusive range of a scale question. */
export function scaleOf(question: ScaleQuestion): { min: number; max: number } {
  const [min, max] = SCALES[question.type];
  return { min, max };
}

export function isScaleQuestion(question: Question): question is ScaleQuestion {
  return question.type === 'nps' || question.type === 'csat' || question.type === 'ces';
}
