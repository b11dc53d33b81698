import type { Context } from 'hono';
import type { z } from 'zod';
import { UNKEEPABLE_NAME, UNKEEPABLE_NAME_RULE } from '../../shared/api/fields.js';
import { TEXT_FAULT_MESSAGES, textFault } from '../../shared/text-faults.js';
import { ApiError, validationError } from './errors.js';

/**
 * How deeply a request's JSON may nest. Real payloads (a Shopify order with its line items' price sets) stay under
 * ten levels; 100,000 levels of [[[…]]] would overflow the stack of any recursive walk (the text check, zod).
 */
const MAX_JSON_DEPTH = 64;

/** True when `text` opens more than `max` arrays or objects inside each other (strings are skipped). */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character, a quote among them
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** One decoder for every body: with `fatal` it keeps no state between calls. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Where in a parsed JSON value the first string (value or key) that cannot be stored is ("customer.name"), and why
 * (the end of the 400's message). A key named UNKEEPABLE_NAME is one: zod would drop it from an attribute map unseen.
 */
const at = (path: string[]) => path.join('.') || '(body)';
const faultIn = (text: string) => {
  const fault = textFault(text);
  return fault && TEXT_FAULT_MESSAGES[fault];
};

function faultyText(value: unknown, path: string[] = []): { path: string; message: string } | null {
  if (typeof value === 'string') {
    const message = faultIn(value);
    return message ? { path: at(path), message } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = faultyText(value[i], [...path, String(i)]);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const keyFault = key === UNKEEPABLE_NAME ? UNKEEPABLE_NAME_RULE : faultIn(key);
      const found = keyFault ? { path: at([...path, key]), message: keyFault } : faultyText(inner, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/**
 * A request body read as JSON, refused with one clear 400 for: bytes that are not UTF-8 (decoded strictly, rather
 * than turned into U+FFFD and stored); nesting deeper than MAX_JSON_DEPTH (checked on the text, before anything
 * recurses); text that is not JSON; a NUL or a lone surrogate in any string or key, or a key named `__proto__`
 * (naming the field). Its size was limited before any route ran (server/limits/body-limits.ts).
 */
export function parseJsonBytes(bytes: ArrayBuffer | Uint8Array, what = 'the request body'): unknown {
  let text: string;
  try {
    text = STRICT_UTF8.decode(bytes);
  } catch {
    throw new ApiError(400, 'invalid_encoding', `${what} is not valid UTF-8`);
  }
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new ApiError(400, 'invalid_json', `${what} nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', `${what} is not valid JSON`);
  }
  // Strictly decoded UTF-8 can hold a NUL or a lone surrogate inside JSON only as a \u escape (a raw control
  // character is not JSON), so a body with neither an escape nor that key name needs no walk.
  const faulty = text.includes('\\u') || text.includes(UNKEEPABLE_NAME) ? faultyText(json) : null;
  if (faulty) throw new ApiError(400, 'invalid_input', `${faulty.path} ${faulty.message}`, faulty.path);
  return json;
}

/**
 * The request's JSON body checked against `schema`, refused with one clear error for:
 * - a Content-Type other than application/json (415): a cross-site form or "simple" request (text/plain, no
 *   Content-Type) cannot send it without a CORS preflight, so no page elsewhere can post to the API (login CSRF);
 * - anything parseJsonBytes refuses (400: not UTF-8, nested too deep, not JSON, a NUL or lone surrogate);
 * - a body that is not that shape (400 naming the field).
 */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
    throw new ApiError(415, 'unsupported_media_type', 'send the body as JSON with "Content-Type: application/json"');
  }
  const json = parseJsonBytes(await c.req.arrayBuffer());
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
