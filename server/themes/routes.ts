import { Hono } from 'hono';
import { themeCreate, themeEdit, type ThemeCandidatesBody, type ThemeRetagBody } from '../../shared/api/themes.js';
import { discoverCandidates } from '../../shared/themes/discover.js';
import { THEME_ID } from '../../shared/themes/theme.js';
import { requireStaff, staffUser, type StaffEnv } from '../auth/staff-session.js';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { jsonBody } from '../http/json-body.js';
import { parseFilter, parseTrend } from '../metrics/query.js';
import { themeDays, themeTotals } from './counts.js';
import { createTheme, dictionaryBody, editTheme, removeTheme } from './editing.js';
import './openapi.js';
import { RetagRunning, retagHistory, type RetagProgress } from './retag.js';
import { recentComments } from './store.js';
import { dictionaryOf } from './tagging.js';
import { themeImpactBody, themeTrendBody } from './views.js';

/** Candidates come from the latest comments in range: enough for frequent phrases, bounded work on a big history. */
const CANDIDATE_COMMENTS = 5000;

/** The chosen themes of the trend (`theme=` repeated), each a theme id. */
function parseThemes(values: readonly string[] | undefined): string[] {
  for (const value of values ?? []) {
    if (!THEME_ID.test(value))
      throw new ApiError(400, 'invalid_input', 'theme must be a theme id (lower-case letters, digits and -)', 'theme');
  }
  return [...(values ?? [])];
}

/** Comment themes: the views (GET /api/metrics/themes*) and the dictionary (/api/themes*). Shapes in shared/api/themes.ts. */
export function themeRoutes(deps: AppDeps) {
  const app = new Hono<StaffEnv>();
  const read = requireStaff(deps, 'metrics:read');
  const manage = requireStaff(deps, 'themes:manage');

  app.get('/api/metrics/themes', read, async (c) => {
    const filter = parseFilter(c.req.query());
    const [dictionary, counts] = await Promise.all([dictionaryOf(deps.db), themeTotals(deps.db, deps.surveys, filter)]);
    return c.json(themeImpactBody(dictionary, counts));
  });

  app.get('/api/metrics/themes/trend', read, async (c) => {
    const filter = parseFilter(c.req.query());
    const trend = parseTrend(c.req.query());
    const chosen = parseThemes(c.req.queries('theme'));
    const [dictionary, counts] = await Promise.all([dictionaryOf(deps.db), themeDays(deps.db, deps.surveys, filter, { overall: false })]);
    return c.json(themeTrendBody(dictionary, counts, { from: filter.from, to: filter.to, ...trend }, chosen));
  });

  app.get('/api/themes', read, async (c) => c.json(await dictionaryBody(deps.db)));

  app.post('/api/themes', manage, async (c) => {
    const input = await jsonBody(c, themeCreate);
    if ((await createTheme(deps.db, input, staffUser(c).id, deps.clock.now())) === 'exists') {
      throw new ApiError(409, 'conflict', `a theme with id "${input.id}" exists already`, 'id');
    }
    return c.json(await dictionaryBody(deps.db), 201);
  });

  app.put('/api/themes/:id', manage, async (c) => {
    const edit = await jsonBody(c, themeEdit);
    if ((await editTheme(deps.db, c.req.param('id'), edit, staffUser(c).id, deps.clock.now())) === 'not_found')
      throw new ApiError(404, 'not_found', 'no such theme');
    return c.json(await dictionaryBody(deps.db));
  });

  app.delete('/api/themes/:id', manage, async (c) => {
    if ((await removeTheme(deps.db, c.req.param('id'))) === 'not_found')
      throw new ApiError(404, 'not_found', 'no such theme of your own, nor an edited built-in');
    return c.json(await dictionaryBody(deps.db));
  });

  // In the background rather than inline: a large history takes minutes, longer than a request should. The answer
  // waits only for the total; GET /api/themes shows the progress.
  app.post('/api/themes/retag', manage, async (c) => {
    const started = await new Promise<RetagProgress>((resolve, reject) => {
      retagHistory(deps.db, deps.surveys, { now: () => deps.clock.now(), started: resolve })
        .then((result) => deps.log.info('comments re-tagged with the theme dictionary', { ...result, user: staffUser(c).id }))
        .catch((error: unknown) => {
          reject(error);
          if (!(error instanceof RetagRunning)) deps.log.error('re-tagging comments failed', { error: String(error) });
        });
    }).catch((error: unknown) => {
      if (error instanceof RetagRunning) throw new ApiError(409, 'conflict', 'a re-tag is already running');
      throw error;
    });
    return c.json({ retag: started } satisfies ThemeRetagBody, 202);
  });

  app.get('/api/themes/candidates', manage, async (c) => {
    const { from, to } = parseFilter(c.req.query());
    const [comments, dictionary] = await Promise.all([recentComments(deps.db, { from, to }, CANDIDATE_COMMENTS), dictionaryOf(deps.db)]);
    return c.json({ candidates: discoverCandidates(comments, dictionary) } satisfies ThemeCandidatesBody);
  });
  return app;
}
