import type { MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress';

/*
 * gzip for what the server builds per request — API JSON, customer pages, exports — when the client accepts it.
 * Below about a packet (1 KiB) compression saves no round trip and costs CPU, so small answers leave as they are.
 * Hono's compress() honours that threshold only for an answer with a Content-Length, and c.json()/c.html() set none:
 * knownLength() measures those answers (already whole strings in memory) first. A download (Content-Disposition:
 * the segment exports) is a stream of unknown length: it is compressed as it streams, never buffered.
 * The dashboard's own files arrive precompressed (Content-Encoding set), which compress() leaves alone.
 */

const COMPRESS_THRESHOLD_BYTES = 1024;

/** Gives a whole (non-download) compressible answer its Content-Length, so compress() can tell a small one. */
function knownLength(): MiddlewareHandler {
  return async function knownLength(c, next) {
    await next();
    const res = c.res;
    const type = res.headers.get('Content-Type');
    if (!res.body || c.req.method === 'HEAD' || !type || !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type)) return;
    if (res.headers.has('Content-Length') || res.headers.has('Content-Encoding') || res.headers.has('Content-Disposition')) return;
    const body = await res.arrayBuffer();
    c.res = new Response(body, res);
    c.res.headers.set('Content-Length', String(body.byteLength));
  };
}

/** Middleware for the whole app: compress() outside, so it sees the lengths knownLength() sets. */
export function compressResponses(): MiddlewareHandler[] {
  return [compress({ encoding: 'gzip', threshold: COMPRESS_THRESHOLD_BYTES }), knownLength()];
}
