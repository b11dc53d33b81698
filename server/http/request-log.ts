import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from '../log.js';

/** A request id a caller (a proxy, an integration) sent that is safe to echo into the log. */
const GIVEN_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A path segment that may be a secret: a link token, a webhook key, an id long enough to be one. */
const SECRET_LOOKING = /^[A-Za-z0-9_-]{16,}$/;

/**
 * The route's pattern (`/s/:token`, `/api/callbacks/:id`) as the router matched it: the handler that answered,
 * not a middleware. Without one (a 404), the path with every segment that could be a token masked. Never the
 * query string: survey links and exports carry values there.
 */
export function loggedRoute(path: string, routes: readonly { method: string; path: string }[]): string {
  const handler = [...routes].reverse().find((r) => r.method !== 'ALL' && !r.path.endsWith('*'));
  if (handler) return handler.path;
  return path
    .split('/')
    .map((segment) => (SECRET_LOOKING.test(segment) ? ':masked' : segment))
    .join('/');
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
        route: loggedRoute(c.req.path, matchedRoutes(c)),
        status,
        ms: Math.round((now() - started) * 10) / 10,
        request: id,
      };
      if (status >= 500) options.log.error('request', fields);
      else options.log.info('request', fields);
    }
  };
}
