import { z } from 'zod';

/*
 * The fields every filter and time-stamped input shares (metrics, segments, the callback list and its metrics,
 * events, consent, imports), checked here once so that no endpoint compares a date or an attribute name it has not
 * understood.
 */

/**
 * A UTC day as YYYY-MM-DD: a day that exists (no 30 February, no month 13) in a four-digit year. Checked as a
 * calendar date, not with Date.parse, which rolls 2026-02-30 over to 2 March and reads +010000-01-01 as year 10000;
 * a day that passed the check also compares correctly as text with the day keys stored.
 */
export const dayKey = z.iso.date({ error: 'must be a real date as YYYY-MM-DD (a year from 0000 to 9999)' });

/**
 * ISO-8601 with a date, a time and an offset (Z or ±hh:mm), so the instant is never ambiguous: a real date, and in
 * UTC still within years 0000–9999 (9999-12-31T23:00-05:00 is in year 10000, which toISOString writes as
 * +010000-…, text that sorts before every other instant stored).
 */
export const isoInstant = z.iso
  .datetime({ offset: true, error: 'must be an ISO-8601 date-time with an offset, e.g. 2026-05-01T10:00:00Z' })
  // Zod runs this even after the format failed; that value is refused already, so it passes here.
  .refine((value) => {
    const time = Date.parse(value);
    return Number.isNaN(time) || /^\d{4}-/.test(new Date(time).toISOString());
  }, 'must be within the years 0000 to 9999 in UTC');

/**
 * The one key a JavaScript object cannot hold as data: assigning `__proto__` replaces the prototype instead, and
 * zod strips it from a record without a word. Every attribute map refuses it by name (JSON bodies in
 * server/http/json-body.ts, filters here, CSV columns in server/imports/mapping.ts), so no filter or attribute
 * silently loses it: a filter on it would otherwise match everyone.
 */
export const UNKEEPABLE_NAME = '__proto__';
export const UNKEEPABLE_NAME_RULE = `must not be ${UNKEEPABLE_NAME}: JavaScript objects cannot keep that name`;

const ATTRIBUTE_NAME_RULE = `must be an attribute name: 1 to 64 characters, without control characters, " or \\, and not ${UNKEEPABLE_NAME}`;

/**
 * The name in `attr.NAME=VALUE`. Control characters (NUL first: PostgreSQL cannot take it), `"` or `\` (they
 * would end or escape SQLite's JSON path, see server/segments/store.ts) and UNKEEPABLE_NAME are refused rather
 * than looked up.
 */
export const attributeName = z.string().regex(/^(?!__proto__$)[^\u0000-\u001f\u007f-\u009f"\\]{1,64}$/, ATTRIBUTE_NAME_RULE);

/** A NUL or half a surrogate pair: nothing stored can hold one, and PostgreSQL refuses to compare with it. */
const UNSTORABLE = /[\u0000\ud800-\udfff]/u;

/** `attr.NAME=VALUE` filters as { NAME: VALUE }: a value is compared with the stored text. */
export const attributeFilters = z
  .record(
    attributeName,
    z
      .string()
      .max(500, 'must be at most 500 characters')
      .refine((value) => !UNSTORABLE.test(value), 'must be text without NUL'),
    {
      error: (issue) => (issue.code === 'invalid_key' ? ATTRIBUTE_NAME_RULE : undefined),
    },
  )
  .default({});
