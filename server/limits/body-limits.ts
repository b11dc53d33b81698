import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorBody } from '../http/errors.js';
import { bodyLimitOf, bytesText, type BodyLimit } from './rules.js';

/**
 * Hono's bodyLimit with a shortcut for the usual case: a request that states its length (Content-Length without
 * Transfer-Encoding) is judged by that header alone, since Node's HTTP parser never reads a body past it. Hono's
 * own check starts by looking at `c.req.raw.body`, which makes @hono/node-server build a full web Request with a
 * stream for every POST, where the body could otherwise be read straight from the Node request (a tenth of an
 * event's CPU in the bench). A body of unstated length (chunked) goes through Hono's check, which reads it up to
 * the limit and stops there; what the client sends after the 413 is discarded unread by @hono/node-server.
 */
function limitBody(options: { maxSize: number; onError: (c: Context) => Response | Promise<Response> }): MiddlewareHandler {
  const counting = bodyLimit(options);
  return async function limitBody(c, next) {
    const length = c.req.header('content-length');
    if (length !== undefined && /^\d+$/.test(length) && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > options.maxSize) return options.onError(c);
      await next();
      return;
    }
    return counting(c, next);
  };
}

/**
 * The 413 of one limit: the JSON error body `payload_too_large` on machine paths, a short text on pages. Hono's
 * check (for a body of unstated length) reads the body into memory up to the limit before the route runs, so a
 * path's limit must be small unless only an authenticated client can reach it (BodyLimit.afterAuthentication).
 */
function limiterOf(limit: BodyLimit, isMachinePath: (path: string) => boolean): MiddlewareHandler {
  const message = `the request body is larger than ${bytesText(limit.maxBytes)}${limit.hint ? `; ${limit.hint}` : ''}`;
  return limitBody({
    maxSize: limit.maxBytes,
    onError: (c) => {
      // The rest of the body is never read: the connection is not reused for another request.
      c.header('Connection', 'close');
      return isMachinePath(c.req.path) ? c.json(errorBody('payload_too_large', message), 413) : c.text('The answer is too long.', 413);
    },
  });
}

/**
 * Every request body is limited here, before any route (and before authentication, so an anonymous client cannot
 * make the server hold a big body either): the limit of its path (server/limits/rules.ts), 413 past it. A limit
 * marked afterAuthentication (imports) is left to its route, which applies it with `bodyLimitAfterAuthentication`
 * once the session is checked; until then nothing reads that body.
 */
export function requestBodyLimits(isMachinePath: (path: string) => boolean): MiddlewareHandler {
  const byLimit = new Map<BodyLimit, MiddlewareHandler>();
  return async function requestBodyLimits(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    const limit = bodyLimitOf(c.req.path);
    if (limit.afterAuthentication) return next();
    let limiter = byLimit.get(limit);
    if (!limiter) byLimit.set(limit, (limiter = limiterOf(limit, isMachinePath)));
    return limiter(c, next);
  };
}

/** An API route's own body limit, for after its authentication (BodyLimit.afterAuthentication): the same 413. */
export function bodyLimitAfterAuthentication(limit: BodyLimit): MiddlewareHandler {
  return limiterOf(limit, () => true);
}
