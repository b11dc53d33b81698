import { Hono } from 'hono';
import { z } from 'zod';
import { apiKeyBody, apiKeyInput, apiKeyListBody, createdApiKeyBody } from '../../shared/api/api-keys.js';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { jsonBody } from '../http/json-body.js';
import { apiErrorBodySchema } from '../openapi/document.js';
import { registerOperations } from '../openapi/registry.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.js';
import { requireStaff, staffUser, type StaffEnv } from './staff-session.js';

const tag = 'API keys';
registerOperations(
  {
    method: 'get',
    path: '/api/keys',
    tag,
    summary: 'List API keys (never the keys themselves)',
    auth: { staff: 'keys:manage' },
    responses: { 200: { description: 'Newest first, revoked ones included', schema: apiKeyListBody } },
  },
  {
    method: 'post',
    path: '/api/keys',
    tag,
    summary: 'Create an API key',
    auth: { staff: 'keys:manage' },
    body: apiKeyInput,
    description: 'The answer is the only time the key is shown; Hami keeps only its hash.',
    responses: { 201: { description: 'The new key, shown once', schema: createdApiKeyBody } },
  },
  {
    method: 'delete',
    path: '/api/keys/{id}',
    tag,
    summary: 'Revoke an API key',
    auth: { staff: 'keys:manage' },
    params: z.object({ id: z.string() }),
    description:
      'Requests with the key are refused (401) from now on. The key stays listed with revokedAt; revoking again changes nothing.',
    responses: {
      200: { description: 'The revoked key', schema: apiKeyBody },
      404: { description: 'No such key', schema: apiErrorBodySchema },
    },
  },
);

/** /api/keys: the Settings page's API keys (admin only; shapes in shared/api/api-keys.ts). */
export function apiKeyRoutes(deps: AppDeps) {
  const app = new Hono<StaffEnv>();
  const manage = requireStaff(deps, 'keys:manage');

  app.get('/api/keys', manage, async (c) => c.json({ items: await listApiKeys(deps.db) }));

  app.post('/api/keys', manage, async (c) => {
    const input = await jsonBody(c, apiKeyInput);
    const created = await createApiKey(deps.db, input.name, deps.clock.now());
    deps.log.info('api key created', { user: staffUser(c).id, key: created.id, name: created.name });
    return c.json(created, 201);
  });

  app.delete('/api/keys/:id', manage, async (c) => {
    // By id only: a prefix is for people at a terminal, the dashboard has the id.
    const result = await revokeApiKey(deps.db, c.req.param('id'), deps.clock.now(), { byPrefix: false });
    if (result.status !== 'revoked' && result.status !== 'already_revoked') throw new ApiError(404, 'not_found', 'no such API key');
    if (result.status === 'revoked') deps.log.info('api key revoked', { user: staffUser(c).id, key: result.key.id });
    return c.json(result.key);
  });
  return app;
}
