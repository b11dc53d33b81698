import {
  EXPORT_FORMATS,
  SEGMENT_PAGE_DEFAULT,
  SEGMENT_PAGE_MAX,
  segmentFilterInput,
  type ExportFormat,
  type SegmentFilter,
} from '../../shared/api/segments.js';
import { attributeParam, attributeParams, isAttributeParam } from '../http/attribute-params.js';
import { ApiError } from '../http/errors.js';
import type { MemberCursor } from './store.js';

/** Query parameters as Hono's c.req.queries() gives them: every value of every name. */
type Queries = Record<string, string[]>;

/** The query parameters a filter reads; any other (but limit, cursor, format) is refused, so a typo is not silently ignored. */
const FILTER_PARAMS = new Set(['bucket', 'basis', 'survey', 'from', 'to', 'channel', 'locale', 'answeredWithinDays', 'notContactedDays']);
const PAGE_PARAMS = new Set(['limit', 'cursor', 'format']);

/** The query parameter a filter field came from, for the 400's `field`: buckets → bucket, attributes.x → attr.x. */
function paramOf(path: readonly PropertyKey[]): string {
  const [head, next] = path.map(String);
  if (head === 'buckets') return 'bucket';
  if (head === 'attributes') return attributeParam(next ?? '');
  return head ?? '';
}

/** A segment filter from query parameters (`bucket=promoter,passive`, `attr.NAME=VALUE`…); 400 naming the parameter. */
export function parseFilterQuery(queries: Queries): SegmentFilter {
  const one = (name: string) => {
    const values = queries[name];
    if (!values || values.length === 0 || values[0] === '') return undefined;
    if (values.length > 1) throw new ApiError(400, 'invalid_input', `${name} may be given once`, name);
    return values[0];
  };
  for (const key of Object.keys(queries)) {
    if (!isAttributeParam(key) && !FILTER_PARAMS.has(key) && !PAGE_PARAMS.has(key)) {
      throw new ApiError(400, 'invalid_input', `${key} is not a known parameter`, key);
    }
  }
  const attributes = attributeParams(queries);
  const buckets = (queries.bucket ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  const parsed = segmentFilterInput.safeParse({
    buckets: [...new Set(buckets)],
    basis: one('basis'),
    survey: one('survey'),
    from: one('from'),
    to: one('to'),
    channel: one('channel'),
    locale: one('locale'),
    attributes,
    answeredWithinDays: one('answeredWithinDays'),
    notContactedDays: one('notContactedDays'),
  });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = paramOf(issue.path);
  throw new ApiError(400, 'invalid_input', `${field} ${issue.message}`, field);
}

/** `limit` (1…500, default 50) and the opaque `cursor` of the previous page. */
export function parsePage(query: Record<string, string>): { limit: number; after?: MemberCursor } {
  let limit = SEGMENT_PAGE_DEFAULT;
  if (query.limit !== undefined) {
    limit = Number(query.limit);
    if (!/^\d+$/.test(query.limit) || limit < 1 || limit > SEGMENT_PAGE_MAX) {
      throw new ApiError(400, 'invalid_input', `limit must be a whole number from 1 to ${SEGMENT_PAGE_MAX}`, 'limit');
    }
  }
  if (!query.cursor) return { limit };
  const after = decodeCursor(query.cursor);
  if (!after) throw new ApiError(400, 'invalid_input', 'cursor is not one this API gave out', 'cursor');
  return { limit, after };
}

export function encodeCursor(cursor: MemberCursor): string {
  return Buffer.from(`${cursor.answeredAt}|${cursor.responseId}`).toString('base64url');
}

function decodeCursor(value: string): MemberCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(value)) return null;
  const match = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)\|([0-9a-f-]{36})$/.exec(Buffer.from(value, 'base64url').toString());
  return match ? { answeredAt: match[1]!, responseId: match[2]! } : null;
}

/** `format` for an export, or null for a page of JSON. */
export function parseFormat(query: Record<string, string>): ExportFormat | null {
  const format = query.format;
  if (format === undefined || format === '') return null;
  if (!(EXPORT_FORMATS as readonly string[]).includes(format))
    throw new ApiError(400, 'invalid_input', `format must be one of ${EXPORT_FORMATS.join(', ')}`, 'format');
  return format as ExportFormat;
}
