import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError, validationError } from './errors.js';

/** Where in a parsed JSON value the first string holding a NUL character is ("customer.name"), or null. */
function nulPath(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || '(body)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], [...path, String(i)]);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = key.includes('\u0000') ? [...path, key].join('.') : nulPath(inner, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/**
 * The request's JSON body checked against `schema` (its size was limited before any route ran:
 * server/limits/body-limits.ts), refused with one clear error for:
 * - a Content-Type other than application/json (415): a cross-site form or "simple" request (text/plain, no
 *   Content-Type) cannot send it without a CORS preflight, so no page elsewhere can post to the API (login CSRF);
 * - bytes that are not UTF-8 (400): decoded strictly, rather than turned into U+FFFD and stored;
 * - a body that is not JSON (400), or not that shape (400 naming the field);
 * - a NUL character in any string (400 naming the field): no text field needs one, and PostgreSQL cannot store it.
 */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
    throw new ApiError(415, 'unsupported_media_type', 'send the body as JSON with "Content-Type: application/json"');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await c.req.arrayBuffer());
  } catch {
    throw new ApiError(400, 'invalid_encoding', 'the request body is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'the request body is not valid JSON');
  }
  const nul = nulPath(json);
  if (nul) throw new ApiError(400, 'invalid_input', `${nul} must not contain a NUL character`, nul);
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
