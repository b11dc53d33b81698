import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  ACTION_KINDS,
  actionInput,
  EXPORT_FORMATS,
  SEGMENT_PAGE_MAX,
  segmentFilterInput,
  segmentInput,
  segmentPatch,
  type MessageTemplatesBody,
  type SavedSegment,
  type SegmentCountBody,
  type SegmentDetailBody,
  type SegmentFilter,
  type SegmentListBody,
  type SegmentMembersBody,
} from '../../shared/api/segments.js';
import { can } from '../../shared/permissions.js';
import { requireStaff, staffUser, type StaffEnv } from '../auth/staff-session.js';
import type { AppDeps } from '../deps.js';
import type { SegmentRow } from '../db/schema.js';
import { looksLikeToken, tokenHash } from '../delivery/tokens.js';
import { ApiError } from '../http/errors.js';
import { TOO_MANY_GUESSES, unknownTokenGuess } from '../limits/limiters.js';
import { createAction, describeActions, redirectTarget } from './actions.js';
import { downloadHeaders, exportStream } from './export.js';
import { encodeCursor, parseFilterQuery, parseFormat, parsePage } from './query.js';
import {
  actionsOfSegment,
  allMembers,
  countMembersAndReachable,
  deleteSegment,
  findLiveMessageByToken,
  findSegment,
  insertSegment,
  listSegments,
  memberPage,
  recordClick,
  updateSegment,
} from './store.js';
import { jsonBody } from '../http/json-body.js';
import {
  messageTemplatesBody,
  savedSegmentBody,
  segmentActionBody,
  segmentActionListBody,
  segmentCountBody,
  segmentDetailBody,
  segmentListBody,
  segmentMembersBody,
} from '../openapi/bodies.js';
import { apiErrorBodySchema } from '../openapi/document.js';
import { registerOperations } from '../openapi/registry.js';
import { segmentStopRoutes } from './stop-routes.js';
import { templateForApi, type MessageTemplates } from './templates.js';

const tag = 'Segments';
const idParam = z.object({ id: z.string() });
const notFound = { description: 'No such segment', schema: apiErrorBodySchema };
// The filter as query parameters, from the same field schemas parseFilterQuery checks with (bucket is the one rename).
const { basis, survey, from, to, channel, locale, answeredWithinDays, notContactedDays } = segmentFilterInput.shape;
const filterQuery = z.object({
  bucket: z
    .string()
    .optional()
    .describe('promoter, passive and/or detractor: comma-separated or repeated; none means everyone who gave a score'),
  basis,
  survey,
  from,
  to,
  channel,
  locale,
  answeredWithinDays,
  notContactedDays,
});
const FILTER_NOTE = 'attr.NAME=VALUE filters by an event or customer attribute at answer time; any other unknown parameter is a 400.';
const pageQuery = z.object({
  limit: z.string().optional().describe(`1…${SEGMENT_PAGE_MAX}, default 50`),
  cursor: z.string().optional().describe('nextCursor of the previous page'),
  format: z
    .enum(EXPORT_FORMATS)
    .optional()
    .describe('Download every member as CSV (UTF-8 with BOM) or a JSON array instead of a page; needs segments:export'),
});
const membersResponses = {
  200: { description: 'A page of members (or, with format, the whole download)', schema: segmentMembersBody },
};
registerOperations(
  {
    method: 'get',
    path: '/api/segments/members',
    tag,
    summary: 'Members of an unsaved filter, newest answer first, or their export',
    auth: { staff: 'segments:read' },
    description: FILTER_NOTE,
    query: filterQuery.extend(pageQuery.shape),
    responses: membersResponses,
  },
  {
    method: 'get',
    path: '/api/segments/count',
    tag,
    summary: 'The live member count of a filter',
    auth: { staff: 'segments:read' },
    description: FILTER_NOTE,
    query: filterQuery,
    responses: { 200: { description: 'The count', schema: segmentCountBody } },
  },
  {
    method: 'get',
    path: '/api/segments/templates',
    tag,
    summary: 'The message templates actions use, per language',
    auth: { staff: 'segments:read' },
    responses: { 200: { description: 'The templates', schema: messageTemplatesBody } },
  },
  {
    method: 'get',
    path: '/api/segments',
    tag,
    summary: 'Saved segments with live counts',
    auth: { staff: 'segments:read' },
    responses: { 200: { description: 'By name', schema: segmentListBody } },
  },
  {
    method: 'post',
    path: '/api/segments',
    tag,
    summary: 'Save a segment',
    auth: { staff: 'segments:read' },
    body: segmentInput,
    responses: { 201: { description: 'Saved', schema: savedSegmentBody } },
  },
  {
    method: 'get',
    path: '/api/segments/{id}',
    tag,
    summary: 'A saved segment and its actions',
    auth: { staff: 'segments:read' },
    params: idParam,
    responses: { 200: { description: 'The segment', schema: segmentDetailBody }, 404: notFound },
  },
  {
    method: 'patch',
    path: '/api/segments/{id}',
    tag,
    summary: 'Rename a segment or replace its filter',
    auth: { staff: 'segments:read' },
    params: idParam,
    body: segmentPatch,
    responses: { 200: { description: 'The segment after the change', schema: savedSegmentBody }, 404: notFound },
  },
  {
    method: 'delete',
    path: '/api/segments/{id}',
    tag,
    summary: 'Delete a saved segment',
    auth: { staff: 'segments:read' },
    params: idParam,
    responses: { 204: { description: 'Deleted' }, 404: notFound },
  },
  {
    method: 'get',
    path: '/api/segments/{id}/members',
    tag,
    summary: 'Members of a saved segment, or their export',
    auth: { staff: 'segments:read' },
    params: idParam,
    query: pageQuery,
    responses: { ...membersResponses, 404: notFound },
  },
  {
    method: 'get',
    path: '/api/segments/{id}/actions',
    tag,
    summary: "A segment's actions with their counts, newest first",
    auth: { staff: 'segments:read' },
    params: idParam,
    responses: { 200: { description: 'The actions', schema: segmentActionListBody }, 404: notFound },
  },
  {
    method: 'post',
    path: '/api/segments/{id}/actions',
    tag,
    summary: 'Send a referral invitation or review request to the segment',
    auth: { staff: 'segments:act' },
    description:
      'Review requests go to everyone who answered under the other filters, whatever their score (review sites forbid review gating).',
    params: idParam,
    body: actionInput,
    responses: { 202: { description: 'Queued, with its planned counts', schema: segmentActionBody }, 404: notFound },
  },
);

/** /api/segments/* (shapes and roles in shared/api/segments.ts) and the customers' tracked link /r/{token}. */
export function segmentRoutes(deps: AppDeps, templates: MessageTemplates) {
  const app = new Hono<StaffEnv>();
  const read = requireStaff(deps, 'segments:read');
  const now = () => deps.clock.now();

  const saved = async (row: SegmentRow): Promise<SavedSegment> => {
    const filter = JSON.parse(row.filter) as SegmentFilter;
    const counts = await countMembersAndReachable(deps.db, filter, now());
    return {
      id: row.id,
      name: row.name,
      filter,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      createdBy: row.created_by,
      memberCount: counts.members,
      reachableCount: counts.reachable,
    };
  };
  const segmentOr404 = async (id: string) => {
    const row = await findSegment(deps.db, id);
    if (!row) throw new ApiError(404, 'not_found', 'no such segment');
    return row;
  };

  /** A page of members as JSON, or with `format` the whole segment as a download (which needs segments:export). */
  async function members(c: Context<StaffEnv>, filter: SegmentFilter, name: string) {
    const query = c.req.query();
    const format = parseFormat(query);
    if (format) {
      if (!can(staffUser(c).role, 'segments:export'))
        throw new ApiError(403, 'forbidden', `the ${staffUser(c).role} role may not export segments`);
      const at = now();
      deps.log.info('segment exported', { user: staffUser(c).id, format, segment: name });
      return c.body(
        exportStream(format, allMembers(deps.db, filter, at)),
        200,
        downloadHeaders(format, name, at.toISOString().slice(0, 10)),
      );
    }
    const page = parsePage(query);
    const [items, counts] = await Promise.all([memberPage(deps.db, filter, now(), page), countMembersAndReachable(deps.db, filter, now())]);
    const last = items[items.length - 1];
    const body: SegmentMembersBody = {
      members: items,
      total: counts.members,
      reachable: counts.reachable,
      nextCursor: items.length === page.limit && last ? encodeCursor({ answeredAt: last.answeredAt, responseId: last.responseId }) : null,
    };
    return c.json(body);
  }

  app.get('/api/segments/members', read, (c) => members(c, parseFilterQuery(c.req.queries()), 'members'));

  app.get('/api/segments/count', read, async (c) => {
    const filter = parseFilterQuery(c.req.queries());
    const counts = await countMembersAndReachable(deps.db, filter, now());
    return c.json({ count: counts.members, reachable: counts.reachable } satisfies SegmentCountBody);
  });

  app.get('/api/segments/templates', read, (c) =>
    c.json({ items: ACTION_KINDS.map((kind) => templateForApi(templates, deps.config.segments, kind)) } satisfies MessageTemplatesBody),
  );

  app.get('/api/segments', read, async (c) => {
    const rows = await listSegments(deps.db);
    return c.json({ items: await Promise.all(rows.map(saved)) } satisfies SegmentListBody);
  });

  app.post('/api/segments', read, async (c) => {
    const input = await jsonBody(c, segmentInput);
    const at = now().toISOString();
    const row: SegmentRow = {
      id: randomUUID(),
      name: input.name,
      filter: JSON.stringify(input.filter),
      created_by: staffUser(c).id,
      created_at: at,
      updated_at: at,
    };
    await insertSegment(deps.db, row);
    return c.json(await saved(row), 201);
  });

  app.get('/api/segments/:id', read, async (c) => {
    const row = await segmentOr404(c.req.param('id'));
    const body: SegmentDetailBody = {
      ...(await saved(row)),
      actions: await describeActions(deps, await actionsOfSegment(deps.db, row.id)),
    };
    return c.json(body);
  });

  app.patch('/api/segments/:id', read, async (c) => {
    const patch = await jsonBody(c, segmentPatch);
    if (patch.name === undefined && patch.filter === undefined)
      throw new ApiError(400, 'invalid_input', 'send name, filter or both', 'name');
    const id = c.req.param('id');
    const changed = await updateSegment(deps.db, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.filter !== undefined ? { filter: JSON.stringify(patch.filter) } : {}),
      updated_at: now().toISOString(),
    });
    if (!changed) throw new ApiError(404, 'not_found', 'no such segment');
    return c.json(await saved(await segmentOr404(id)));
  });

  app.delete('/api/segments/:id', read, async (c) => {
    if (!(await deleteSegment(deps.db, c.req.param('id')))) throw new ApiError(404, 'not_found', 'no such segment');
    return c.body(null, 204);
  });

  app.get('/api/segments/:id/members', read, async (c) => {
    const row = await segmentOr404(c.req.param('id'));
    return members(c, JSON.parse(row.filter) as SegmentFilter, row.name);
  });

  app.get('/api/segments/:id/actions', read, async (c) => {
    const row = await segmentOr404(c.req.param('id'));
    return c.json({ items: await describeActions(deps, await actionsOfSegment(deps.db, row.id)) });
  });

  app.post('/api/segments/:id/actions', requireStaff(deps, 'segments:act'), async (c) => {
    const action = await jsonBody(c, actionInput);
    const segment = await segmentOr404(c.req.param('id'));
    const row = await createAction(deps, {
      segmentId: segment.id,
      filter: JSON.parse(segment.filter) as SegmentFilter,
      action,
      actorId: staffUser(c).id,
    });
    deps.jobQueued();
    const [described] = await describeActions(deps, [row]);
    return c.json(described, 202);
  });

  // The tracked link in a segment message: count the click, then on to the review or referral page. HEAD (link
  // checkers, previews) is redirected without counting. A link of a skipped message or an erased customer is dead.
  app.on(['GET', 'HEAD'], '/r/:token', async (c) => {
    const token = c.req.param('token');
    const kind = !looksLikeToken(token)
      ? undefined
      : c.req.method === 'HEAD'
        ? (await findLiveMessageByToken(deps.db, tokenHash(token)))?.kind
        : (await recordClick(deps.db, tokenHash(token), now()))?.kind;
    if (!kind) {
      // A token that matches nothing is a guess, limited like those of /s/ and /u/ (server/limits/rules.ts).
      const decision = unknownTokenGuess(deps, c);
      if (!decision.allowed) {
        c.header('Retry-After', String(decision.retryAfterSeconds));
        return c.text(TOO_MANY_GUESSES.en.body, 429);
      }
      return c.text('This link is not valid.', 404);
    }
    const target = redirectTarget(deps, templates, kind);
    if (!target) return c.text('This link is not valid.', 404);
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    return c.redirect(target, 302);
  });
  app.route('/', segmentStopRoutes(deps));
  return app;
}
