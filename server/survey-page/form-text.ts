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
 * The field of a url-encoded request body that must be refused (see badFormField), or null; null too for other
 * content types (multipart forms are parsed by Hono as they are).
 */
export async function badFormFieldOf(contentType: string | undefined, text: () => Promise<string>): Promise<string | null> {
  if (!/^application\/x-www-form-urlencoded/i.test(contentType ?? '')) return null;
  return badFormField(await text());
}
