import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { LOGO_PATH, readLogoFile } from './brand.js';
import { logoVersionOf } from './page-brand.js';

/**
 * GET /brand/logo: the logo file of HAMI_BRAND_LOGO, for pages and emails; 404 when the logo is a URL or unset.
 * Pages ask for /brand/logo?v={hash}: cached for a year, and a changed file (after a restart) gets a new address;
 * without the version it is revalidated by ETag. An SVG can hold script: it is served with a policy that runs
 * none, so opening it on its own is harmless too.
 */
export function brandingRoutes(deps: Pick<AppDeps, 'config'>) {
  const app = new Hono();
  // Read once, like the pages' version of its address (server/branding/page-brand.tsx).
  const file = readLogoFile(deps.config.brand);
  const version = file && logoVersionOf(file.body);
  app.get(LOGO_PATH, (c) => {
    if (!file || !version) return c.text('Not found', 404);
    const etag = `"${version}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', c.req.query('v') === version ? 'public, max-age=31536000, immutable' : 'public, no-cache');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    return c.body(new Uint8Array(file.body), 200, { 'Content-Type': file.contentType });
  });
  return app;
}
