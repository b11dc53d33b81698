import { attributeFilters, attributeName } from '../../shared/api/fields.js';
import { ApiError } from './errors.js';

const ATTRIBUTE_PREFIX = 'attr.';

/** Whether a query parameter is an attribute filter (`attr.NAME`). */
export const isAttributeParam = (key: string) => key.startsWith(ATTRIBUTE_PREFIX);

/** The query parameter an attribute filter came from, for a 400's `field`: `attr.NAME`. */
export const attributeParam = (name: string) => `${ATTRIBUTE_PREFIX}${name}`;

/**
 * The `attr.NAME=VALUE` query parameters of a filter (metrics, segments, the callback list) as { NAME: VALUE },
 * checked by the one rule for attribute filters (shared/api/fields.ts); a bad name or value, or a name given twice,
 * is a 400 naming the parameter.
 */
export function attributeParams(query: Record<string, string | readonly string[]>): Record<string, string> {
  const given = new Map<string, string>();
  for (const [key, value] of Object.entries(query)) {
    if (!isAttributeParam(key)) continue;
    const values = typeof value === 'string' ? [value] : value;
    if (values.length > 1) throw new ApiError(400, 'invalid_input', `${key} may be given once`, key);
    const name = key.slice(ATTRIBUTE_PREFIX.length);
    // Each name is checked before any object holds it: zod's record would drop a `__proto__` key unseen.
    const named = attributeName.safeParse(name);
    if (!named.success) throw refused(name, named.error.issues[0]!.message);
    given.set(name, values[0] ?? '');
  }
  const parsed = attributeFilters.safeParse(Object.fromEntries(given));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw refused(String(issue.path[0] ?? ''), issue.message);
}

function refused(name: string, message: string): ApiError {
  const field = attributeParam(name);
  return new ApiError(400, 'invalid_input', `${field} ${message}`, field);
}
