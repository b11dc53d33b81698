import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';

/*
 * The built dashboard's files (dist/web) for a slow line: vite.config.ts writes a .br and a .gz beside every script
 * and style sheet, and serveStatic's `precompressed` sends the one the browser accepts (brotli first) — nothing is
 * compressed per request. vite fingerprints what it bundles (assets/name-[hash].ext): such a file never changes, so a
 * browser keeps it a year without asking again. Anything else is `no-cache`; the page itself, which names the current
 * fingerprints, is answered by server/http/dashboard-index.ts, also `no-cache`, so a new build is picked up at once.
 */

/** vite's fingerprint: `-` and 8 characters of base64url before the extension, under assets/. */
const FINGERPRINTED = /^\/app\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The Cache-Control of a dashboard file by its request path. */
function dashboardCacheControl(requestPath: string): string {
  return FINGERPRINTED.test(requestPath) ? IMMUTABLE : 'no-cache';
}

/** Serves dist/web under /app/: the precompressed variant by Accept-Encoding, cached by fingerprint. */
export function dashboardAssets(root: string): MiddlewareHandler {
  const files = serveStatic({ root, precompressed: true, rewriteRequestPath: (p) => p.replace(/^\/app/, '') });
  return async function dashboardAssets(c, next) {
    // serveStatic answers with the file's Response, or calls next() (and returns nothing) when there is no such file.
    const res = await files(c, next);
    if (!res || (res.status !== 200 && res.status !== 206)) return res;
    res.headers.set('Cache-Control', dashboardCacheControl(c.req.path));
    // Also on an uncompressed answer: a cache between must not hand it to a browser that takes brotli (or the reverse).
    const vary = res.headers.get('Vary');
    if (!vary || !/accept-encoding/i.test(vary)) res.headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    return res;
  };
}
