import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from '../log.js';

/** A request id a caller (a proxy, an integration) sent that is safe to echo into the log. */
const GIVEN_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A path segment that may be a secret: a link token, a webhook key, an id long enough to be one. */
const SECRET_LOOKING = /^[A-Za-z0-9_-]{16,}$/;

/**
 * The route's pattern (`/s/:token`, `/api/callbacks/:id`) for a request: the handler that answered it, or, when a
 * middleware answered first (a 401, a 429), the handler it stood in front of. `answeredAt` is the index in `routes`
 * of the last one that ran (Hono's routeIndex): the first handler from there on is the one, not the last of the
 * list (`/api/segments/:id` also matches `/api/segments/members`, registered before it). Middleware (`use`, method
 * ALL) and mounts (`/*`) are never named. Without a handler (a 404), or for a wildcard handler (`/app/*`), the path
 * with every segment that could be a token masked; control characters in it are escaped by the logger. Never the
 * query string: survey links and exports carry values there.
 */
export function loggedRoute(path: string, routes: readonly { method: string; path: string }[], answeredAt = 0): string {
  const handler = routes.slice(Math.max(answeredAt, 0)).find((r) => r.method !== 'ALL');
  if (handler && !handler.path.endsWith('*')) return handler.path;
  return path
    .split('/')
    .map((segment) => (SECRET_LOOKING.test(segment) ? ':masked' : segment))
    .join('/');
}

/** {@link loggedRoute} for the request in hand, as far as the router has taken it (also from an error handler). */
export function routeOf(c: Context): string {
  return loggedRoute(c.req.path, matchedRoutes(c), c.req.routeIndex);
}

/**
 * One logfmt line per HTTP request: method, route pattern, status, duration and a request id (taken from
 * X-Request-Id when the caller sent a sane one, else made here, and sent back in the answer so a person reporting a
 * problem can quote it). Nothing from the body, the query, cookies or headers is logged.
 */
export function requestLog(options: { log: Logger; now?: () => number }): MiddlewareHandler {
  const now = options.now ?? (() => performance.now());
  return async function requestLogger(c, next) {
    const started = now();
    const given = c.req.header('x-request-id');
    const id = given && GIVEN_ID.test(given) ? given : randomUUID();
    c.header('X-Request-Id', id);
    try {
      await next();
    } finally {
      const status = c.res.status;
      const fields = {
        method: c.req.method,
        route: routeOf(c),
        status,
        ms: Math.round((now() - started) * 10) / 10,
        request: id,
      };
      if (status >= 500) options.log.error('request', fields);
      else options.log.info('request', fields);
    }
  };
}
