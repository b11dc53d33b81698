import type { z } from 'zod';
import { metricsFilterInput, trendInput, type MetricsFilter } from '../../shared/api/metrics.js';
import { THEME_ID } from '../../shared/themes/theme.js';
import { attributeParams } from '../http/attribute-params.js';
import { ApiError, validationError } from '../http/errors.js';

type Query = Record<string, string>;

const COMMENTS_DEFAULT_LIMIT = 20;
export const COMMENTS_MAX_LIMIT = 100;
const MAX_SEARCH_LENGTH = 200;

/** Parses with `schema`, or throws the 400 naming the field. */
function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw validationError(parsed.error);
}

/** The filters every metrics endpoint takes: from, to, survey, channel, locale and attr.NAME=VALUE. */
export function parseFilter(query: Query): MetricsFilter {
  for (const field of ['from', 'to'] as const) {
    if (!query[field]) throw new ApiError(400, 'invalid_input', `${field} is required, as a date YYYY-MM-DD`, field);
  }
  return parseOrThrow(metricsFilterInput, {
    from: query.from,
    to: query.to,
    survey: query.survey || undefined,
    channel: query.channel || undefined,
    locale: query.locale || undefined,
    attributes: attributeParams(query),
  });
}

export function parseTrend(query: Query) {
  return parseOrThrow(trendInput, { interval: query.interval || undefined, calendar: query.calendar || undefined });
}

/** The comments view's own parameters: `q` (a substring), `theme` (a theme id) and `limit` (1…100, default 20). */
export function parseCommentOptions(query: Query): { q?: string; theme?: string; limit: number } {
  let limit = COMMENTS_DEFAULT_LIMIT;
  if (query.limit !== undefined) {
    limit = Number(query.limit);
    if (!/^\d+$/.test(query.limit) || limit < 1 || limit > COMMENTS_MAX_LIMIT) {
      throw new ApiError(400, 'invalid_input', `limit must be a whole number from 1 to ${COMMENTS_MAX_LIMIT}`, 'limit');
    }
  }
  const q = query.q?.trim();
  if (q && q.length > MAX_SEARCH_LENGTH) throw new ApiError(400, 'invalid_input', `q must be at most ${MAX_SEARCH_LENGTH} characters`, 'q');
  const theme = query.theme || undefined;
  if (theme !== undefined && !THEME_ID.test(theme))
    throw new ApiError(400, 'invalid_input', 'theme must be a theme id (lower-case letters, digits and -)', 'theme');
  return { ...(q ? { q } : {}), ...(theme ? { theme } : {}), limit };
}
