/** @jsxImportSource hono/jsx */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import type { AppDeps } from './deps.js';
import { PROJECT_ROOT } from './paths.js';
import { adminRoutes } from './admin/routes.js';
import { apiKeyRoutes } from './auth/api-key-routes.js';
import { autopilotRoutes } from './autopilot/routes.js';
import { authRoutes } from './auth/routes.js';
import { brandOnRequest } from './branding/page-brand.js';
import { brandingRoutes } from './branding/routes.js';
import { callbackRoutes } from './callbacks/routes.js';
import { delightedRoutes, DELIGHTED_BASE } from './delighted-api/routes.js';
import { eventRoutes } from './events/routes.js';
import { importRoutes } from './imports/routes.js';
import { inboundRoutes } from './inbound/routes.js';
import { compressResponses } from './http/compression.js';
import { dashboardAssets } from './http/dashboard-assets.js';
import { dashboardIndex, dashboardSignIn } from './http/dashboard-index.js';
import { apiErrorResponse, databaseTrouble, errorBody } from './http/errors.js';
import { healthRoute } from './http/health.js';
import { requestLog, routeOf } from './http/request-log.js';
import { refuseUnstorableUrlText } from './http/url-text.js';
import { requestBodyLimits } from './limits/body-limits.js';
import { baselineHeaders, customerPageHeaders, dashboardHeaders } from './http/page-headers.js';
import { smsWebhookRoutes } from './channels/sms/webhook-routes.js';
import { baleWebhookRoutes } from './channels/bale/webhook-routes.js';
import { HomePage } from './home-page.js';
import { metricsRoutes } from './metrics/routes.js';
import { themeRoutes } from './themes/routes.js';
import { openApiRoutes } from './openapi/routes.js';
import { privacyRoutes } from './privacy/routes.js';
import { publicLinkRoutes } from './public-links/routes.js';
import { segmentRoutes } from './segments/routes.js';
import { loadMessageTemplates, type MessageTemplates } from './segments/templates.js';
import { surveyPageRoutes } from './survey-page/routes.js';
import { customerTroublePage } from './survey-page/trouble-page.js';
import { webhookRoutes } from './webhooks/routes.js';

const WEB_DIST = path.join(PROJECT_ROOT, 'dist', 'web');

/** Paths read by programs (the API, gateway webhooks): they get the JSON error body, people get pages. */
const isMachinePath = (path: string) => path.startsWith('/api/') || path.startsWith('/hooks/');

/** Composes one sub-app per area of the product. `messages`: the segment message templates, read at start-up. */
export function createApp(deps: AppDeps, messages: MessageTemplates = loadMessageTemplates()) {
  const app = new Hono();

  // First, so every request gets its one log line, whichever route (or none) answers it.
  app.use(requestLog({ log: deps.log }));
  // Before every route: security headers on every response (server/http/page-headers.ts).
  app.use(
    '*',
    baselineHeaders(() => deps.publicUrl),
  );
  // Before every route and before authentication: no body past its limit is buffered (server/limits/rules.ts).
  app.use('*', requestBodyLimits(isMachinePath));
  // Answers built here (JSON, pages, exports) leave gzip'd when the client takes it; the dashboard's files are precompressed.
  app.use('*', ...compressResponses());
  // A cheap write probe: not-ok (503, with the reason) when the database cannot take writes.
  app.get('/healthz', healthRoute(deps));
  // Before the pages' security headers: customer pages show the brand and their CSP allows an https logo's origin.
  app.use('*', brandOnRequest(deps.config.brand));
  app.route('/', brandingRoutes(deps));
  app.use('/api/*', refuseUnstorableUrlText());
  app.route('/api/v1/events', eventRoutes(deps));
  app.route('/api/v1/autopilot', autopilotRoutes(deps));
  app.route('/api/v1/hooks', inboundRoutes(deps));
  app.route(DELIGHTED_BASE, delightedRoutes(deps));
  app.route('/', authRoutes(deps));
  app.route('/', apiKeyRoutes(deps));
  app.route('/', callbackRoutes(deps));
  app.route('/', metricsRoutes(deps));
  app.route('/', themeRoutes(deps));
  app.route('/', segmentRoutes(deps, messages));
  app.route('/', openApiRoutes({ publicUrl: deps.publicUrl }));
  app.route('/', importRoutes(deps));
  app.route('/', webhookRoutes(deps));
  app.route('/', surveyPageRoutes(deps));
  app.route('/', publicLinkRoutes(deps));
  app.route('/', privacyRoutes(deps));
  app.route('/', adminRoutes(deps));
  app.route('/', smsWebhookRoutes(deps));
  app.route('/', baleWebhookRoutes(deps));

  // The dashboard, when it has been built (npm run build).
  if (existsSync(WEB_DIST)) {
    const root = path.relative(process.cwd(), WEB_DIST);
    // The page itself carries the session (one round trip less on a slow line); its files are served as built…
    const page = dashboardIndex(deps, WEB_DIST);
    app.get('/app/', dashboardHeaders(), page);
    app.get('/app/index.html', dashboardHeaders(), page);
    // …and, signed out, a sign-in form that works before the script has come; it posts to the page's own address.
    const signIn = dashboardSignIn(deps, WEB_DIST);
    app.post('/app/', dashboardHeaders(), signIn);
    app.post('/app/index.html', dashboardHeaders(), signIn);
    app.use('/app/*', dashboardHeaders(), dashboardAssets(root));
    app.get('/app', (c) => c.redirect('/app/'));
  } else {
    app.get('/app/*', customerPageHeaders(), (c) =>
      c.html(`<!doctype html>${(<HomePage nonce={c.get('secureHeadersNonce') ?? ''} />).toString()}`),
    );
  }
  app.get('/', (c) => c.redirect('/app/'));

  app.notFound((c) =>
    isMachinePath(c.req.path)
      ? c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404)
      : c.text('Not found', 404),
  );
  app.onError((error, c) => {
    if (isMachinePath(c.req.path)) return apiErrorResponse(error, c, deps.log);
    if (!databaseTrouble(error)) deps.log.error('request failed', { method: c.req.method, route: routeOf(c), error });
    return customerTroublePage(error, c);
  });
  return app;
}
