import { Hono } from 'hono';
import { brandingBody, surveyTextsBody } from '../../shared/api/settings.js';
import { requireStaff, type StaffEnv } from '../auth/staff-session.js';
import type { AppDeps } from '../deps.js';
import { registerOperations } from '../openapi/registry.js';
import { brandingView, surveyTextsView } from './views.js';

const tag = 'Settings';
registerOperations(
  {
    method: 'get',
    path: '/api/settings/branding',
    tag,
    summary: 'The branding customers see (HAMI_BRAND_*), read-only',
    auth: { staff: 'settings:read' },
    description: 'Set by environment variables and read at start-up; change them and restart to change the brand.',
    responses: { 200: { description: 'The brand as configured', schema: brandingBody } },
  },
  {
    method: 'get',
    path: '/api/surveys',
    tag,
    summary: 'Every survey’s texts in both languages, and its public links with their QR codes',
    auth: { staff: 'settings:read' },
    description: 'Read-only: surveys are the files in surveys/, validated at start-up.',
    responses: { 200: { description: 'The surveys in file order', schema: surveyTextsBody } },
  },
);

/** Settings' read-only views of what is configured outside the dashboard: the brand and the survey files (admin only). */
export function adminRoutes(deps: AppDeps) {
  const app = new Hono<StaffEnv>();
  const read = requireStaff(deps, 'settings:read');
  const branding = brandingView(deps.config.brand, deps.config.mailFrom);

  app.get('/api/settings/branding', read, (c) => c.json(branding));
  app.get('/api/surveys', read, (c) => c.json({ surveys: deps.surveys.all.map((survey) => surveyTextsView(survey, deps.publicUrl)) }));
  return app;
}
