import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { ApiKey } from '../../shared/api/api-keys.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { ApiKeysTable } from '../db/schema.js';
import { prepared } from '../db/prepared.js';
import { ApiError } from '../http/errors.js';
import { randomToken, sha256 } from './hashing.js';

/** Makes a new key; the caller shows it once, only its hash is kept. */
export async function createApiKey(db: Db, name: string, now: Date): Promise<ApiKey & { key: string }> {
  const key = `hami_${randomToken(24)}`;
  const id = await storeApiKey(db, name, key, now);
  return { id, name, prefix: key.slice(0, 9), createdAt: now.toISOString(), lastUsedAt: null, revokedAt: null, key };
}

const toApiKey = (row: Omit<ApiKeysTable, 'key_hash'>): ApiKey => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

/** Every key, newest first, revoked ones included (their revokedAt says so). */
export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toApiKey);
}

type RevokeResult =
  | { status: 'revoked' | 'already_revoked'; key: ApiKey }
  | { status: 'unknown' }
  | { status: 'ambiguous'; matches: ApiKey[] };

/**
 * Revokes the key with id `idOrPrefix`, or else (with byPrefix) the one active key with exactly that prefix, as
 * `hami apikey list` shows it. A prefix matching several active keys revokes none: the caller names them. Revoking twice keeps the first time.
 */
export async function revokeApiKey(db: Db, idOrPrefix: string, now: Date, options: { byPrefix: boolean }): Promise<RevokeResult> {
  const all = await listApiKeys(db);
  let key = all.find((k) => k.id === idOrPrefix);
  if (!key && options.byPrefix) {
    const matches = all.filter((k) => k.revokedAt === null && k.prefix === idOrPrefix);
    if (matches.length > 1) return { status: 'ambiguous', matches };
    key = matches[0];
  }
  if (!key) return { status: 'unknown' };
  if (key.revokedAt !== null) return { status: 'already_revoked', key };
  const revokedAt = now.toISOString();
  await db.updateTable('api_keys').set({ revoked_at: revokedAt }).where('id', '=', key.id).where('revoked_at', 'is', null).execute();
  return { status: 'revoked', key: { ...key, revokedAt } };
}

async function storeApiKey(db: Db, name: string, key: string, now: Date): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('api_keys')
    .values({
      id,
      name,
      prefix: key.slice(0, 9),
      key_hash: sha256(key),
      created_at: now.toISOString(),
      last_used_at: null,
      revoked_at: null,
    })
    .onConflict((oc) => oc.column('key_hash').doNothing())
    .execute();
  return id;
}

/** Keys from HAMI_API_KEYS are stored (hashed) on start-up, once each. */
export async function storeBootstrapKeys(db: Db, keys: readonly string[], now: Date): Promise<void> {
  for (const key of keys) await storeApiKey(db, 'HAMI_API_KEYS', key, now);
}

/** "Last used" is kept to the minute: a shop sending thousands of events a minute costs one write, not one each. */
const LAST_USED_RESOLUTION_MS = 60_000;

// Every API request looks its key up: built once (see server/db/prepared.ts).
const activeKeyByHash = prepared((db, p: { hash: string }) =>
  db.selectFrom('api_keys').select(['id', 'name', 'last_used_at']).where('key_hash', '=', p.hash).where('revoked_at', 'is', null),
);

/** The active key matching `key`, recording when it was last used (to the minute). */
export async function authenticateApiKey(db: Db, key: string, now: Date): Promise<{ id: string; name: string } | null> {
  const row = await activeKeyByHash.executeTakeFirst(db, { hash: sha256(key) });
  if (!row) return null;
  if (row.last_used_at === null || now.getTime() - Date.parse(row.last_used_at) >= LAST_USED_RESOLUTION_MS) {
    await db.updateTable('api_keys').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute();
  }
  return { id: row.id, name: row.name };
}

/** Requires `Authorization: Bearer <api key>`; sets `apiKey` on the context. */
export function requireApiKey(options: { db: Db; clock: Clock }) {
  return createMiddleware<{ Variables: { apiKey: { id: string; name: string } } }>(async function requireApiKey(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match)
      throw new ApiError(
        401,
        'unauthorized',
        'send an API key as "Authorization: Bearer <key>" (create one in Settings or with HAMI_API_KEYS)',
      );
    const apiKey = await authenticateApiKey(options.db, match[1]!, options.clock.now());
    if (!apiKey) throw new ApiError(401, 'unauthorized', 'this API key is unknown or revoked');
    c.set('apiKey', apiKey);
    await next();
  });
}
