import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { ApiError } from '../http/errors.js';
import { randomToken, sha256 } from './hashing.js';

/** Makes a new key; the caller shows it once, only its hash is kept. */
export async function createApiKey(db: Db, name: string, now: Date): Promise<{ id: string; key: string }> {
  const key = `hami_${randomToken(24)}`;
  const id = await storeApiKey(db, name, key, now);
  return { id, key };
}

async function storeApiKey(db: Db, name: string, key: string, now: Date): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('api_keys')
    .values({ id, name, prefix: key.slice(0, 9), key_hash: sha256(key), created_at: now.toISOString(), last_used_at: null, revoked_at: null })
    .onConflict((oc) => oc.column('key_hash').doNothing())
    .execute();
  return id;
}

/** Keys from HAMI_API_KEYS are stored (hashed) on start-up, once each. */
export async function storeBootstrapKeys(db: Db, keys: readonly string[], now: Date): Promise<void> {
  for (const key of keys) await storeApiKey(db, 'HAMI_API_KEYS', key, now);
}

/** The active key matching `key`, recording when it was last used. */
export async function authenticateApiKey(db: Db, key: string, now: Date): Promise<{ id: string; name: string } | null> {
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'name'])
    .where('key_hash', '=', sha256(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  await db.updateTable('api_keys').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute();
  return row;
}

/** Requires `Authorization: Bearer <api key>`; sets `apiKey` on the context. */
export function requireApiKey(options: { db: Db; clock: Clock }) {
  return createMiddleware<{ Variables: { apiKey: { id: string; name: string } } }>(async function requireApiKey(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError(401, 'unauthorized', 'send an API key as "Authorization: Bearer <key>" (create one in Settings or with HAMI_API_KEYS)');
    const apiKey = await authenticateApiKey(options.db, match[1]!, options.clock.now());
    if (!apiKey) throw new ApiError(401, 'unauthorized', 'this API key is unknown or revoked');
    c.set('apiKey', apiKey);
    await next();
  });
}
