import { createMiddleware } from 'hono/factory';
import { authenticateApiKey } from '../auth/api-keys.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { DelightedError } from './errors.js';

/**
 * The key of `Authorization: Basic base64(key + ":")` — Delighted's way: "HTTP Basic Auth. Use your API key as the
 * username and leave the password blank" (https://delighted.com/docs/api; delighted-ruby sends exactly
 * `Basic #{["123abc:"].pack('m0')}`) — or of `Bearer <key>`, as Hami's own API takes it. A password is ignored.
 */
export function keyOfAuthorization(header: string): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1]!;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  return user || null;
}

/** Requires a Hami API key in Delighted's style (Basic, key as user) or as a Bearer token; 401 in Delighted's shape. */
export function requireDelightedKey(options: { db: Db; clock: Clock }) {
  return createMiddleware<{ Variables: { apiKey: { id: string; name: string } } }>(async function requireDelightedKey(c, next) {
    const key = keyOfAuthorization(c.req.header('authorization') ?? '');
    if (!key) {
      c.header('WWW-Authenticate', 'Basic realm="Hami"');
      throw new DelightedError(
        401,
        'send a Hami API key as the HTTP Basic user name with an empty password (or as "Authorization: Bearer <key>")',
      );
    }
    const apiKey = await authenticateApiKey(options.db, key, options.clock.now());
    if (!apiKey) throw new DelightedError(401, 'this API key is unknown or revoked');
    c.set('apiKey', apiKey);
    await next();
  });
}
