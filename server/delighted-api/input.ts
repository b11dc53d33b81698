import type { Context } from 'hono';
import { z } from 'zod';
import { toLatinDigits } from '../../shared/digits.js';
import { parseJsonBytes } from '../http/json-body.js';
import { DelightedError, invalidFromZod, invalidInput } from './errors.js';
import type { TimeRange } from './store.js';

/*
 * What Delighted's clients send (https://delighted.com/docs/api): JSON (delighted-node lib/adapter.js, delighted-ruby)
 * or a form with bracketed keys (`properties[plan]=gold`, `expand[]=person`, as curl examples and the PHP client write
 * them); numbers and booleans arrive as text in a form, so the schemas read "60" as 60 and "false" as false.
 */

const DELIGHTED_CHANNELS = ['email', 'sms'] as const;

/** A flag as JSON or a form sends it. */
const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')], {
  error: 'must be true or false',
});

/** A whole number as JSON or a form (with any digits) sends it. */
const wholeNumber = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() ? Number(toLatinDigits(value.trim())) : value),
    z
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`),
  );

const propertyValue = z.union([z.string().max(500, 'must be at most 500 characters'), z.number(), z.boolean(), z.null()], {
  error: 'must be text, a number or true/false',
});

/** At most a year: a survey later than that would expire unseen (and Delighted's own limit is far shorter). */
const MAX_DELAY_SECONDS = 366 * 86_400;

export const personInput = z.object({
  email: z
    .email({ error: 'is not an email address' })
    .max(254)
    .optional()
    .describe('Email of the person (required unless phone_number is given)'),
  phone_number: z
    .string()
    .max(64)
    .optional()
    .describe('Phone number (E.164, or as HAMI_DEFAULT_COUNTRY writes it); required for channel sms'),
  name: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  delay: wholeNumber(0, MAX_DELAY_SECONDS)
    .optional()
    .describe('Seconds to wait before the survey is sent (quiet hours still apply). Default 0'),
  properties: z
    .record(z.string().min(1).max(64), propertyValue)
    .refine((value) => Object.keys(value).length <= 50, 'at most 50 properties')
    .optional()
    .describe('Custom properties, kept as customer attributes. Honoured specially: customer_id (the Hami customer id), locale (en or fa)'),
  channel: z.enum(DELIGHTED_CHANNELS, { error: 'must be email or sms' }).optional().describe('email (default) or sms'),
  send: flag.optional().describe('false: create or update the person only, plan no survey'),
  last_sent_at: wholeNumber(0, 32_503_680_000).optional().describe('Accepted and ignored: Hami throttles on the invitations it has sent'),
});
export type PersonInput = z.output<typeof personInput>;

/** The fields of a form body as the object a JSON body would be: `properties[a]=1` → `{ properties: { a: "1" } }`. */
export function formFields(text: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const nested = /^([a-z_]+)\[([^\]]*)\]$/i.exec(key);
    if (!nested) fields[key] = value;
    else if (nested[2] === '') ((fields[nested[1]!] ??= []) as unknown[]).push(value);
    else ((fields[nested[1]!] ??= {}) as Record<string, unknown>)[nested[2]!] = value;
  }
  return fields;
}

/** The request body as an object, from JSON or a form; anything else is a 415 saying what to send. */
export async function bodyFields(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  const bytes = await c.req.arrayBuffer();
  if (/^application\/json\s*(;|$)/i.test(type)) return bytes.byteLength ? parseJsonBytes(bytes) : {};
  if (/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
    // Through the JSON reader: the same checks of every string and key (NUL, lone surrogates, __proto__).
    return parseJsonBytes(new TextEncoder().encode(JSON.stringify(formFields(new TextDecoder().decode(bytes)))));
  }
  throw new DelightedError(415, 'send the body as JSON (Content-Type: application/json) or as a form (application/x-www-form-urlencoded)');
}

/** Delighted's name for a field at fault: properties.plan → properties[plan]. */
const bracketed = (path: string[]) => (path.length > 1 ? `${path[0]}[${path.slice(1).join('][')}]` : (path[0] ?? ''));

export function readPerson(fields: unknown): PersonInput {
  const parsed = personInput.safeParse(fields);
  if (!parsed.success) throw invalidFromZod(parsed.error, bracketed);
  if (!parsed.data.email && !parsed.data.phone_number) throw invalidInput({ email: ["can't be blank when phone_number is not given"] });
  return parsed.data;
}

const unixSeconds = wholeNumber(0, 32_503_680_000).optional();

const ORDERS = ['asc', 'desc', 'asc:created_at', 'desc:created_at', 'asc:updated_at', 'desc:updated_at'] as const;

/** Paging as Delighted's lists take it (https://delighted.com/docs/api/listing-survey-responses): 20 a page by default, at most 100. */
export const pageQuery = z.object({
  per_page: wholeNumber(1, 100).optional().describe('Results per page, 1–100; default 20'),
  page: wholeNumber(1, 1_000_000).optional().describe('1-based page number; default 1'),
  since: unixSeconds.describe('Unix seconds: on or after this time'),
  until: unixSeconds.describe('Unix seconds: on or before this time'),
});

export const responsesQuery = pageQuery.extend({
  updated_since: unixSeconds.describe('Unix seconds: updated on or after this time'),
  updated_until: unixSeconds.describe('Unix seconds: updated on or before this time'),
  order: z
    .enum(ORDERS, { error: `must be one of ${ORDERS.join(', ')}` })
    .optional()
    .describe('asc (default, oldest first) or desc; add :updated_at to sort by the last update'),
  'expand[]': z.enum(['person'], { error: 'can only be person' }).optional().describe('person: the person object instead of its id'),
  person_id: z.string().max(200).optional().describe("Only this person's responses"),
  person_email: z.string().max(254).optional().describe('Only the responses of the person with this email'),
  trend: z.string().max(100).optional().describe('Accepted and ignored: Hami has no Delighted trends'),
});

export const metricsQuery = z.object({
  since: unixSeconds.describe('Unix seconds: responses created on or after this time'),
  until: unixSeconds.describe('Unix seconds: responses created on or before this time'),
  trend: z.string().max(100).optional().describe('Accepted and ignored: Hami has no Delighted trends'),
});

/** The query string as an object; a repeated `expand[]` keeps its values as a list. */
export function readQuery<T extends z.ZodType>(c: Context, schema: T): z.output<T> {
  const query: Record<string, unknown> = { ...c.req.query() };
  const expand = c.req.queries('expand[]');
  if (expand?.length) query['expand[]'] = expand.includes('person') ? 'person' : expand[0];
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw invalidFromZod(parsed.error);
  return parsed.data;
}

export function rangeOf(since: number | undefined, until: number | undefined): TimeRange {
  return {
    ...(since === undefined ? {} : { from: new Date(since * 1000).toISOString() }),
    // Inclusive to the whole second: an answer at 12:00:00.400 is "until 12:00:00".
    ...(until === undefined ? {} : { to: new Date(until * 1000 + 999).toISOString() }),
  };
}

export function pageOf(query: { per_page?: number; page?: number }) {
  return { perPage: query.per_page ?? 20, page: query.page ?? 1 };
}
