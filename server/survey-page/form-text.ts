import type { Context } from 'hono';

/** Form text Hami refuses to store: the survey page's and the public links' forms check it before parsing. */

/** Shown next to the field. */
export const BAD_TEXT = { en: 'This answer has characters that cannot be saved.', fa: 'این پاسخ نویسه‌هایی دارد که ذخیره نمی‌شوند.' } as const;

/**
 * The first field of a url-encoded form whose value is not valid UTF-8 once percent-decoded, or holds a NUL
 * character ('' for a broken field name): such text is refused, never stored as U+FFFD or cut short.
 */
export function badFormField(raw: string): string | null {
  for (const pair of raw.split('&')) {
    const [name = '', value = ''] = pair.split('=');
    let decodedName: string;
    try {
      decodedName = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      return '';
    }
    try {
      if (decodeURIComponent(value.replace(/\+/g, ' ')).includes('\u0000')) return decodedName;
    } catch {
      return decodedName;
    }
    if (decodedName.includes('\u0000')) return '';
  }
  return null;
}

/**
 * A submitted form: its text fields, or the field that must be refused (see badFormField). A url-encoded body (what
 * the pages send) is read once as text, checked and parsed from that text; other forms (multipart) are parsed by
 * Hono as they are. Parsing the text here, rather than asking Hono for the form after the check has read the body,
 * spares a web Response built around the text on every answer.
 */
export async function readForm(c: Context): Promise<{ broken: string; fields?: undefined } | { broken: null; fields: Record<string, string> }> {
  const fields: Record<string, string> = {};
  if (/^application\/x-www-form-urlencoded/i.test(c.req.header('content-type') ?? '')) {
    const text = await c.req.text();
    const broken = badFormField(text);
    if (broken !== null) return { broken };
    // As Hono's parser does: a name given twice keeps its last value.
    for (const [name, value] of new URLSearchParams(text)) fields[name] = value;
    return { broken: null, fields };
  }
  for (const [name, value] of Object.entries(await c.req.parseBody())) if (typeof value === 'string') fields[name] = value;
  return { broken: null, fields };
}
