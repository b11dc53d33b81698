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
 * Every request body is limited here, before any route (and before authentication, so an anonymous client cannot
 * make the server hold a big body either): the limit of its path (server/limits/rules.ts), 413 past it — the
 * JSON error body `payload_too_large` on machine paths, a short text on pages.
 */
export function requestBodyLimits(isMachinePath: (path: string) => boolean): MiddlewareHandler {
  const byLimit = new Map<BodyLimit, MiddlewareHandler>();
  const limiterOf = (limit: BodyLimit) => {
    let limiter = byLimit.get(limit);
    if (!limiter) {
      const message = `the request body is larger than ${bytesText(limit.maxBytes)}${limit.hint ? `; ${limit.hint}` : ''}`;
      limiter = limitBody({
        maxSize: limit.maxBytes,
        onError: (c) => {
          // The rest of the body is never read: the connection is not reused for another request.
          c.header('Connection', 'close');
          return isMachinePath(c.req.path) ? c.json(errorBody('payload_too_large', message), 413) : c.text('The answer is too long.', 413);
        },
      });
      byLimit.set(limit, limiter);
    }
    return limiter;
  };
  return async function requestBodyLimits(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    return limiterOf(bodyLimitOf(c.req.path))(c, next);
  };
}
