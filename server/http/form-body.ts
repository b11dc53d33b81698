import type { Context } from 'hono';
import { textFault } from '../../shared/text-faults.js';

/**
 * Forms as customers and gateways post them (the survey page, public links, SMS webhooks), read strictly: a field
 * whose text is not valid UTF-8 or holds a NUL (shared/text-faults.ts) is refused, never stored as U+FFFD or cut
 * short. Browsers send url-encoded forms, or multipart ones when told to; both are checked.
 */

/** One decoder for every form: with `fatal` it keeps no state between calls. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeStrict(bytes: Uint8Array): string | null {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The first field of a url-encoded form whose value is not valid UTF-8 once percent-decoded, or holds text that
 * cannot be stored, or null when every field is fine. A name with a NUL or a lone surrogate is itself named (a filter
 * such as `attr.` + NUL is refused as that field); a name that is not UTF-8 at all is ''.
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
    if (textFault(decodedName)) return decodedName;
    try {
      if (textFault(decodeURIComponent(value.replace(/\+/g, ' ')))) return decodedName;
    } catch {
      return decodedName;
    }
  }
  return null;
}

/**
 * A url-encoded body as text, decoded strictly: raw bytes that are not UTF-8 are not turned into U+FFFD (as
 * c.req.text() would) but percent-escaped, so badFormField refuses the field they are in exactly as it does %FF.
 */
function urlEncodedText(bytes: Uint8Array): string {
  const text = decodeStrict(bytes);
  if (text !== null) return text;
  return Array.from(bytes, (byte) => (byte < 0x80 ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0')}`)).join('');
}

const CRLF_CRLF = Buffer.from('\r\n\r\n');

/**
 * The first text field of a multipart form whose bytes are not valid UTF-8 or whose text cannot be stored ('' for
 * a broken field name), or null. File parts (with a filename) are left to whoever reads the file.
 */
function badMultipartField(body: Uint8Array, contentType: string): string | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) return null;
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let start = bytes.indexOf(delimiter);
  while (start !== -1) {
    const next = bytes.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = bytes.subarray(start + delimiter.length, next);
    start = next;
    const headerEnd = part.indexOf(CRLF_CRLF);
    if (headerEnd === -1) continue;
    const headers = decodeStrict(part.subarray(0, headerEnd));
    if (headers === null || textFault(headers)) return '';
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    if (/;\s*filename\*?=/i.test(disposition)) continue;
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1] ?? '';
    // The part's text ends before the CRLF that precedes the next delimiter.
    const text = decodeStrict(part.subarray(headerEnd + CRLF_CRLF.length, Math.max(headerEnd + CRLF_CRLF.length, part.length - 2)));
    if (text === null || textFault(text)) return name;
  }
  return null;
}

/**
 * A submitted form: its text fields, or the field that must be refused (see badFormField, badMultipartField). The
 * body is read once and checked before it is parsed; a url-encoded one is parsed from the same text, which spares
 * a web Response built around it on every answer.
 */
export async function readForm(
  c: Context,
): Promise<
  | { broken: string; fields?: undefined; pairs?: undefined }
  | { broken: null; fields: Record<string, string>; pairs: Array<[string, string]> }
> {
  const fields: Record<string, string> = {};
  // Every name=value in order, a repeated name included: what a signature over the whole form (Twilio's) covers.
  const pairs: Array<[string, string]> = [];
  const type = c.req.header('content-type') ?? '';
  if (/^multipart\/form-data/i.test(type)) {
    const body = new Uint8Array(await c.req.arrayBuffer());
    const broken = badMultipartField(body, type);
    if (broken !== null) return { broken };
    let form: FormData;
    try {
      form = await new Response(body, { headers: { 'content-type': type } }).formData();
    } catch {
      return { broken: '' };
    }
    for (const [name, value] of form) {
      if (typeof value !== 'string') continue;
      fields[name] = value;
      pairs.push([name, value]);
    }
    return { broken: null, fields, pairs };
  }
  const text = /^application\/x-www-form-urlencoded/i.test(type) ? urlEncodedText(new Uint8Array(await c.req.arrayBuffer())) : '';
  const broken = badFormField(text);
  if (broken !== null) return { broken };
  // As Hono's parser does: a name given twice keeps its last value.
  for (const [name, value] of new URLSearchParams(text)) {
    fields[name] = value;
    pairs.push([name, value]);
  }
  return { broken: null, fields, pairs };
}
