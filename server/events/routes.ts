import { Hono } from 'hono';
import { requireApiKey } from '../auth/api-keys.js';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { jsonBody } from '../http/json-body.js';
import { eventAcceptedBody } from '../openapi/bodies.js';
import { registerOperations } from '../openapi/registry.js';
import { ingestEvent } from './ingest.js';
import { inputSchemas } from './input.js';
import { DEFAULT_COUNTRY } from '../customers/phone.js';

registerOperations({
  method: 'post',
  path: '/api/v1/events',
  tag: 'Events',
  summary: 'Send a purchase or resolution event',
  description:
    'Plans the survey invitations the event calls for (delay, throttle, quiet hours, opt-outs). The same type and id again answers 200 with the first answer and sends nothing new. At most 64 KiB, as JSON.',
  auth: 'apiKey',
  // The shape is the same in every country; only how a nationally written phone is read differs.
  body: inputSchemas(DEFAULT_COUNTRY).eventInput,
  responses: {
    202: { description: 'Accepted: the invitations planned for it', schema: eventAcceptedBody },
    200: { description: 'Seen before (same type and id): the same body, nothing new planned', schema: eventAcceptedBody },
  },
});

export function eventRoutes(deps: AppDeps) {
  const { eventInput } = inputSchemas(deps.config.defaultCountry);
  // The body's size is limited before this, for every route (server/limits/body-limits.ts).
  return new Hono().use(requireApiKey(deps)).post('/', async (c) => {
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
      throw new ApiError(400, 'invalid_content_type', 'send the event as JSON with "Content-Type: application/json"');
    }
    const result = await ingestEvent(deps, await jsonBody(c, eventInput));
    if (result.body.invitations.some((i) => i.status === 'scheduled' && new Date(i.sendAt) <= deps.clock.now())) deps.jobQueued();
    return c.json(result.body, result.created ? 202 : 200);
  });
}
