import { z } from 'zod';
import { metricsFilterInput, trendInput } from '../../shared/api/metrics.js';
import {
  themeCreate,
  themeEdit,
  type ThemeCandidatesBody,
  type ThemeDictionaryBody,
  type ThemeImpactBody,
  type ThemeRetagBody,
  type ThemeTrendBody,
} from '../../shared/api/themes.js';
import { apiErrorBodySchema } from '../openapi/document.js';
import { npsTotals, source } from '../openapi/bodies.js';
import { registerOperations } from '../openapi/registry.js';

/* The comment-themes API in the OpenAPI document; the bodies are checked against shared/api/themes.ts both ways. */

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const label = z.object({ en: z.string(), fa: z.string() });
const definition = z.object({
  id: z.string(),
  label,
  terms: z.object({ en: z.array(z.string()), fa: z.array(z.string()) }),
  enabled: z.boolean(),
  builtIn: z.boolean(),
});

const themeImpactBody = z.object({
  overall: npsTotals,
  commenters: npsTotals.describe('Answers with a comment'),
  themes: z.array(
    z.object({
      id: z.string(),
      label,
      count: z.number().describe('Comments mentioning the theme'),
      shareOf: z
        .object({ detractors: z.number(), passives: z.number(), promoters: z.number() })
        .describe("Share (0–1) of each bucket's comments that mention it"),
      withTheme: npsTotals,
      withoutTheme: npsTotals.describe('Commenters who do not mention it'),
      effect: z
        .object({
          points: z.number().describe('Overall NPS minus the NPS of every other answer'),
          marginOfError: z.number(),
          p: z.number(),
          significant: z.boolean().describe('A Benjamini–Hochberg discovery among the themes with enough answers'),
        })
        .nullable(),
    }),
  ),
  comparisons: z.number(),
  falseDiscoveryRate: z.number(),
  source,
});
true satisfies Same<z.infer<typeof themeImpactBody>, ThemeImpactBody>;

const themeTrendBody = z.object({
  interval: z.enum(['day', 'week', 'month']),
  periods: z.array(z.string()),
  commenters: z.array(z.number()),
  themes: z.array(z.object({ id: z.string(), label, counts: z.array(z.number()), shares: z.array(z.number().nullable()) })),
  source,
});
true satisfies Same<z.infer<typeof themeTrendBody>, ThemeTrendBody>;

const retagProgress = z.object({ done: z.number(), total: z.number() });
const themeDictionaryBody = z.object({
  themes: z.array(definition),
  retaggedAt: z.string().nullable(),
  stale: z.boolean().describe('The dictionary changed since the last re-tag: answers are still tagged with the old one'),
  retag: retagProgress.nullable().describe('A re-tag running now'),
});
true satisfies Same<z.infer<typeof themeDictionaryBody>, ThemeDictionaryBody>;

const themeRetagBody = z.object({ retag: retagProgress });
true satisfies Same<z.infer<typeof themeRetagBody>, ThemeRetagBody>;

const themeCandidatesBody = z.object({
  candidates: z.array(
    z.object({
      phrase: z.string(),
      locale: z.enum(['en', 'fa']),
      count: z.number(),
      detractors: z.number(),
      examples: z.array(z.string()),
    }),
  ),
});
true satisfies Same<z.infer<typeof themeCandidatesBody>, ThemeCandidatesBody>;

const { from, to, survey, channel, locale } = metricsFilterInput.shape;
const filterQuery = z.object({ from, to, survey, channel, locale });
const FILTER_NOTE =
  'Filters: from and to are inclusive UTC days; attr.NAME=VALUE filters by an attribute (then counted by a scan of the responses).';
const idParam = z.object({ id: z.string() });
const error = (description: string) => ({ description, schema: apiErrorBodySchema });
const manage = { staff: 'themes:manage' } as const;

registerOperations(
  {
    method: 'get',
    path: '/api/metrics/themes',
    tag: 'Metrics',
    summary: "Comment themes: each one's count, share of each bucket and effect on NPS",
    auth: { staff: 'metrics:read' },
    query: filterQuery,
    description: FILTER_NOTE,
    responses: { 200: { description: 'Biggest |effect| first', schema: themeImpactBody } },
  },
  {
    method: 'get',
    path: '/api/metrics/themes/trend',
    tag: 'Metrics',
    summary: 'Mentions of each theme per period',
    auth: { staff: 'metrics:read' },
    query: filterQuery
      .extend(trendInput.shape)
      .extend({ theme: z.string().optional().describe('A theme id; repeat for several (default: every enabled theme)') }),
    description: FILTER_NOTE,
    responses: { 200: { description: 'Counts and shares of the commenters per period', schema: themeTrendBody } },
  },
  {
    method: 'get',
    path: '/api/themes',
    tag: 'Themes',
    summary: 'The theme dictionary in force, and whether history needs a re-tag',
    auth: { staff: 'metrics:read' },
    responses: { 200: { description: 'Built-ins (with the admin’s edits), then own themes', schema: themeDictionaryBody } },
  },
  {
    method: 'post',
    path: '/api/themes',
    tag: 'Themes',
    summary: 'Add a theme of your own',
    auth: manage,
    body: themeCreate,
    description: 'Tags nothing until history is re-tagged (POST /api/themes/retag).',
    responses: {
      201: { description: 'The dictionary after the change', schema: themeDictionaryBody },
      409: error('A theme with this id exists'),
    },
  },
  {
    method: 'put',
    path: '/api/themes/{id}',
    tag: 'Themes',
    summary: 'Edit the labels, terms or enabled state of a theme',
    auth: manage,
    params: idParam,
    body: themeEdit,
    responses: { 200: { description: 'The dictionary after the change', schema: themeDictionaryBody }, 404: error('No such theme') },
  },
  {
    method: 'delete',
    path: '/api/themes/{id}',
    tag: 'Themes',
    summary: 'Delete an own theme, or reset a built-in to what Hami ships',
    auth: manage,
    params: idParam,
    description: 'A built-in theme cannot be deleted: this removes your edit of it. To stop it tagging, PUT it with enabled false.',
    responses: {
      200: { description: 'The dictionary after the change', schema: themeDictionaryBody },
      404: error('No such theme, or a built-in you never edited'),
    },
  },
  {
    method: 'post',
    path: '/api/themes/retag',
    tag: 'Themes',
    summary: 'Re-tag every comment with the dictionary in force',
    auth: manage,
    description:
      'Runs in the background in batches; follow it on GET /api/themes (retag, then stale false). The CLI does the same: `hami themes retag`.',
    responses: { 202: { description: 'Started', schema: themeRetagBody }, 409: error('A re-tag is already running') },
  },
  {
    method: 'get',
    path: '/api/themes/candidates',
    tag: 'Themes',
    summary: 'Frequent phrases of comments in range that no theme covers',
    auth: manage,
    query: z.object({ from, to }),
    responses: { 200: { description: 'Most frequent first', schema: themeCandidatesBody } },
  },
);
