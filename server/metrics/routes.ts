import { Hono } from 'hono';
import { z } from 'zod';
import { CHANNELS } from '../../shared/survey-schema.js';
import { LOCALES } from '../../shared/locale.js';
import {
  metricsFilterInput,
  trendInput,
  type CommentsBody,
  type FilterOptionsBody,
  type NpsTrendBody,
  type ReasonsBody,
  type SatisfactionTrendBody,
  type SummaryBody,
} from '../../shared/api/metrics.js';
import { topKeywords } from '../../shared/keywords.js';
import { requireStaff, type StaffEnv } from '../auth/staff-session.js';
import type { AppDeps } from '../deps.js';
import { commentsBody, filterOptionsBody, npsTrendBody, reasonsBody, satisfactionTrendBody, summaryBody } from '../openapi/bodies.js';
import { registerOperations, type Operation } from '../openapi/registry.js';
import { COMMENTS_MAX_LIMIT, parseCommentOptions, parseFilter, parseTrend } from './query.js';
import { paretoOf } from './reasons.js';
import { dailyCounts, detractorCaseReasons, detractorComments, invitationFunnel, latestComments, rolledUpValues } from './store.js';
import { distributionOf, npsTotalsOf, npsTrend, satisfactionOf, satisfactionTrend, sumCounts } from './trends.js';

const KEYWORDS = 20;

// The query parameters, from the same field schemas parseFilter and parseTrend use.
const { from, to, survey, channel, locale } = metricsFilterInput.shape;
const filterQuery = z.object({ from, to, survey, channel, locale });
const trendQuery = filterQuery.extend(trendInput.shape);
const FILTER_NOTE =
  'Filters: from and to are inclusive UTC days (at most three years apart); attr.NAME=VALUE filters by an event or customer attribute (surveys declare which are rolled up).';
const metricsOperation = (path: string, summary: string, query: z.ZodObject, schema: z.ZodType, description?: string): Operation => ({
  method: 'get',
  path,
  tag: 'Metrics',
  summary,
  auth: { staff: 'metrics:read' },
  query,
  description: [description, FILTER_NOTE].filter(Boolean).join(' '),
  responses: { 200: { description: 'The figures', schema } },
});
registerOperations(
  metricsOperation('/api/metrics/nps', 'NPS trend with 95% margins of error and significant changes', trendQuery, npsTrendBody),
  metricsOperation('/api/metrics/satisfaction', 'CSAT, CES and solved-rate trend', trendQuery, satisfactionTrendBody),
  metricsOperation('/api/metrics/summary', 'NPS, satisfaction, score distribution and invitation funnel', filterQuery, summaryBody),
  metricsOperation(
    '/api/metrics/reasons',
    'Why detractors are unhappy: case reasons (Pareto) and comment keywords',
    filterQuery,
    reasonsBody,
  ),
  metricsOperation(
    '/api/metrics/comments',
    'Latest comments, newest first',
    filterQuery.extend({
      q: z.string().optional().describe('Only comments containing this text'),
      theme: z.string().optional().describe('Only comments tagged with this theme id (GET /api/themes); combines with q'),
      limit: z.string().regex(/^\d+$/).optional().describe(`1…${COMMENTS_MAX_LIMIT}, default 20`),
    }),
    commentsBody,
  ),
  {
    method: 'get',
    path: '/api/metrics/filters',
    tag: 'Metrics',
    summary: 'What the filters can offer: surveys, channels, locales, dimension values',
    auth: { staff: 'metrics:read' },
    responses: { 200: { description: 'The options', schema: filterOptionsBody } },
  },
);

/** GET /api/metrics/*: parse the query, check the permission, query, answer (shapes in shared/api/metrics.ts). */
export function metricsRoutes(deps: AppDeps) {
  const app = new Hono<StaffEnv>();
  app.use('/api/metrics/*', requireStaff(deps, 'metrics:read'));

  app.get('/api/metrics/nps', async (c) => {
    const filter = parseFilter(c.req.query());
    const trend = parseTrend(c.req.query());
    const { source, days } = await dailyCounts(deps.db, deps.surveys, filter);
    return c.json({ ...npsTrend(days, { from: filter.from, to: filter.to, ...trend }), source } satisfies NpsTrendBody);
  });

  app.get('/api/metrics/satisfaction', async (c) => {
    const filter = parseFilter(c.req.query());
    const trend = parseTrend(c.req.query());
    const { source, days } = await dailyCounts(deps.db, deps.surveys, filter);
    return c.json({ ...satisfactionTrend(days, { from: filter.from, to: filter.to, ...trend }), source } satisfies SatisfactionTrendBody);
  });

  app.get('/api/metrics/summary', async (c) => {
    const filter = parseFilter(c.req.query());
    const [{ source, days }, funnel] = await Promise.all([dailyCounts(deps.db, deps.surveys, filter), invitationFunnel(deps.db, filter)]);
    const total = sumCounts(days);
    const body: SummaryBody = {
      nps: npsTotalsOf(total),
      satisfaction: satisfactionOf(total),
      distribution: distributionOf(total),
      responses: total.responses,
      funnel,
      source,
    };
    return c.json(body);
  });

  app.get('/api/metrics/reasons', async (c) => {
    const filter = parseFilter(c.req.query());
    const [reasons, comments] = await Promise.all([detractorCaseReasons(deps.db, filter), detractorComments(deps.db, filter)]);
    return c.json({ categories: paretoOf(reasons), keywords: topKeywords(comments, KEYWORDS), source: 'scan' } satisfies ReasonsBody);
  });

  app.get('/api/metrics/comments', async (c) => {
    const filter = parseFilter(c.req.query());
    const items = await latestComments(deps.db, filter, parseCommentOptions(c.req.query()));
    return c.json({ items, source: 'scan' } satisfies CommentsBody);
  });

  app.get('/api/metrics/filters', async (c) => {
    const seen = await rolledUpValues(deps.db);
    const dimensions: Record<string, string[]> = {};
    for (const name of [...new Set(deps.surveys.all.flatMap((s) => s.dimensions))].sort())
      dimensions[name] = seen.dimensions.get(name) ?? [];
    const body: FilterOptionsBody = {
      surveys: [...new Set([...deps.surveys.all.map((s) => s.id), ...seen.surveys])].sort(),
      channels: [...CHANNELS],
      locales: [...LOCALES],
      dimensions,
    };
    return c.json(body);
  });
  return app;
}
