import { z } from 'zod';

/*
 * API keys for integrations (POST /api/v1/events and the inbound webhooks), managed by admins in Settings and with
 * `npx hami apikey create|list|revoke`. A key is shown once, when it is made; only its SHA-256 hash is kept, with
 * the first characters (`prefix`) to recognise it in a list.
 *
 *   GET    /api/keys              → ApiKeyListBody                 keys:manage
 *   POST   /api/keys  ApiKeyInput → 201 CreatedApiKeyBody (key)    keys:manage
 *   DELETE /api/keys/{id}         → 200 ApiKey (revokedAt set)      keys:manage (revoking twice keeps the first time)
 */

/** POST /api/keys */
export const apiKeyInput = z
  .object({
    name: z
      .string({ error: 'is required' })
      .trim()
      .min(1, 'is required')
      .max(100, 'must be at most 100 characters')
      .describe('What the key is for, e.g. "Shop (production)"'),
  })
  .strict();

export const apiKeyBody = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the key, to recognise it'),
  createdAt: z.string().describe('ISO-8601 UTC'),
  lastUsedAt: z.string().nullable().describe('When a request last authenticated with it; null if never'),
  revokedAt: z.string().nullable().describe('When it was revoked; null while it works'),
});
export type ApiKey = z.infer<typeof apiKeyBody>;

/** GET /api/keys: newest first, revoked ones included (with revokedAt). */
export const apiKeyListBody = z.object({ items: z.array(apiKeyBody) });
export type ApiKeyListBody = z.infer<typeof apiKeyListBody>;

/** 201 of POST /api/keys: the only time the key itself is shown. */
export const createdApiKeyBody = apiKeyBody.extend({
  key: z.string().describe('The key: shown only now, keep it (send as Authorization: Bearer <key>)'),
});
export type CreatedApiKeyBody = z.infer<typeof createdApiKeyBody>;
