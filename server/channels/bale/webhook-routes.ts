import { Hono } from 'hono';
import { hmac } from '../../auth/hashing.js';
import type { AppDeps } from '../../deps.js';
import { ApiError } from '../../http/errors.js';
import { parseJsonBytes } from '../../http/json-body.js';
import { baleUpdateSchema, handleBaleUpdate } from '../../responses/bale-updates.js';
import { safeEqual } from '../sms/http.js';

/**
 * The secret part of the Bale webhook URL, derived from HAMI_SECRET. Bale's bot webhooks are not signed (its
 * setWebhook takes a URL and nothing to sign with), so knowing this URL is what tells Bale apart from strangers.
 */
function baleWebhookKey(secret: string): string {
  return hmac(secret, 'bale-webhook').subarray(0, 16).toString('base64url');
}

export function baleWebhookUrl(publicUrl: string, secret: string): string {
  return `${publicUrl}/hooks/bale/${baleWebhookKey(secret)}`;
}

/** Updates from the Bale bot (button taps, texts). Routes only translate; the rules are in responses/bale-updates.ts. */
export function baleWebhookRoutes(deps: AppDeps) {
  const app = new Hono();
  const key = baleWebhookKey(deps.secret);
  app.post('/hooks/bale/:key', async (c) => {
    // The same answer as for any unknown path: a wrong key learns nothing.
    if (!safeEqual(c.req.param('key'), key)) throw new ApiError(404, 'not_found', 'no such webhook');
    const parsed = baleUpdateSchema.safeParse(parseJsonBytes(await c.req.arrayBuffer(), 'the Bale update'));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ApiError(
        400,
        'invalid_input',
        `not a Bale update: ${issue.path.join('.') || 'body'} ${issue.message}`,
        issue.path.join('.') || undefined,
      );
    }
    const outcome = await handleBaleUpdate(deps, parsed.data);
    return c.json({ ok: true, outcome });
  });
  return app;
}
