import { Hono } from 'hono';
import { z } from 'zod';
import { dayKey } from '../../shared/api/fields.js';
import { callbackPatchInput, CALLBACK_STATUSES } from '../../shared/api/staff.js';
import { isCaseStatus } from '../../shared/callback-rules.js';
import { instantAfterDay } from '../../shared/periods.js';
import { can } from '../../shared/permissions.js';
import { requireStaff, staffUser, type StaffEnv } from '../auth/staff-session.js';
import { customerTimeline } from '../customers/timeline.js';
import type { AppDeps } from '../deps.js';
import { attributeParams } from '../http/attribute-params.js';
import { ApiError, validationError } from '../http/errors.js';
import { jsonBody } from '../http/json-body.js';
import { callbackDetailBody, callbackListBody, loopMetricsBody, timelineBody } from '../openapi/bodies.js';
import { apiErrorBodySchema } from '../openapi/document.js';
import { registerOperations } from '../openapi/registry.js';
import { loopMetrics } from './loop-metrics.js';
import { callbackDetail, listCallbacks } from './queries.js';
import { CaseRuleError, workCase } from './work-case.js';

const tag = 'Callbacks';
const idParam = z.object({ id: z.string() });
const notFound = { description: 'No such case', schema: apiErrorBodySchema };
const loopMetricsQuery = z.object({
  from: dayKey.optional().describe('YYYY-MM-DD, default 30 days ago'),
  to: dayKey.optional().describe('YYYY-MM-DD (inclusive), default today'),
});
registerOperations(
  {
    method: 'get',
    path: '/api/callbacks',
    tag,
    summary: 'The callback list (detractor cases)',
    auth: { staff: 'callbacks:read' },
    description: 'Overdue cases first. Also filters by any attribute with attr.NAME=VALUE.',
    query: z.object({
      status: z.enum(CALLBACK_STATUSES).optional(),
      owner: z.string().optional().describe('A user id, or "me"'),
      overdue: z.enum(['true', 'false']).optional(),
      survey: z.string().optional(),
    }),
    responses: { 200: { description: 'The cases', schema: callbackListBody } },
  },
  {
    method: 'get',
    path: '/api/callbacks/metrics',
    tag,
    summary: 'How the loop is worked: time to first contact, SLA share, closures',
    auth: { staff: 'callbacks:metrics' },
    query: loopMetricsQuery,
    responses: { 200: { description: 'The figures, overall and by owner', schema: loopMetricsBody } },
  },
  {
    method: 'get',
    path: '/api/callbacks/{id}',
    tag,
    summary: 'One case with its answers and history',
    auth: { staff: 'callbacks:read' },
    params: idParam,
    responses: { 200: { description: 'The case', schema: callbackDetailBody }, 404: notFound },
  },
  {
    method: 'patch',
    path: '/api/callbacks/{id}',
    tag,
    summary: 'Work a case: status, owner, note, reason, outcome',
    auth: { staff: 'callbacks:work' },
    params: idParam,
    description: 'Closing (resolved or unresolvable) needs a reason and the outcome told to the customer.',
    body: callbackPatchInput,
    responses: { 200: { description: 'The case after the change', schema: callbackDetailBody }, 404: notFound },
  },
  {
    method: 'get',
    path: '/api/customers/{id}/timeline',
    tag: 'Customers',
    summary: 'Everything about one customer, oldest first',
    auth: { staff: 'customers:timeline' },
    params: idParam,
    description: 'Case notes are left out (null) for roles without case-notes:read.',
    responses: {
      200: { description: 'The timeline', schema: timelineBody },
      404: { description: 'No such customer', schema: apiErrorBodySchema },
    },
  },
);

/** The callback list, the case view and its changes, the loop metrics, and the customer timeline. */
export function callbackRoutes(deps: AppDeps) {
  const app = new Hono<StaffEnv>();

  app.get('/api/callbacks', requireStaff(deps, 'callbacks:read'), async (c) => {
    const q = c.req.query();
    const status = q.status || undefined;
    if (status !== undefined && !isCaseStatus(status)) {
      throw new ApiError(400, 'invalid_input', `status must be one of ${CALLBACK_STATUSES.join(', ')}`, 'status');
    }
    if (q.overdue !== undefined && !['true', 'false'].includes(q.overdue))
      throw new ApiError(400, 'invalid_input', 'overdue must be true or false', 'overdue');
    const attributes = attributeParams(q);
    const owner = q.owner === 'me' ? staffUser(c).id : q.owner;
    const items = await listCallbacks(
      deps.db,
      { status, owner, overdue: q.overdue === 'true', survey: q.survey, attributes },
      deps.clock.now(),
    );
    return c.json({ items });
  });

  app.get('/api/callbacks/metrics', requireStaff(deps, 'callbacks:metrics'), async (c) => {
    const query = loopMetricsQuery.safeParse({ from: c.req.query('from'), to: c.req.query('to') });
    if (!query.success) throw validationError(query.error);
    const from = query.data.from ?? new Date(deps.clock.now().getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
    const to = query.data.to ?? deps.clock.now().toISOString().slice(0, 10);
    // `to` is inclusive: the whole last day counts.
    const end = instantAfterDay(to);
    return c.json(await loopMetrics(deps.db, new Date(from).toISOString(), end));
  });

  app.get('/api/callbacks/:id', requireStaff(deps, 'callbacks:read'), async (c) => {
    const detail = await callbackDetail(deps.db, c.req.param('id'), deps.clock.now(), true);
    if (!detail) throw new ApiError(404, 'not_found', 'no such callback case');
    return c.json(detail);
  });

  app.patch('/api/callbacks/:id', requireStaff(deps, 'callbacks:work'), async (c) => {
    const patch = await jsonBody(c, callbackPatchInput);
    if (Object.keys(patch).length === 0) throw new ApiError(400, 'invalid_input', 'send at least one of status, ownerId, note, reason');
    try {
      await workCase(deps, { caseId: c.req.param('id'), actor: staffUser(c), patch });
    } catch (error) {
      if (error instanceof CaseRuleError)
        throw new ApiError(error.status, error.status === 404 ? 'not_found' : 'invalid_change', error.message, error.field, error.fields);
      throw error;
    }
    deps.jobQueued();
    return c.json(await callbackDetail(deps.db, c.req.param('id'), deps.clock.now(), true));
  });

  app.get('/api/customers/:id/timeline', requireStaff(deps, 'customers:timeline'), async (c) => {
    const items = await customerTimeline(deps.db, c.req.param('id'), can(staffUser(c).role, 'case-notes:read'));
    if (!items) throw new ApiError(404, 'not_found', 'no such customer');
    return c.json({ items });
  });
  return app;
}
