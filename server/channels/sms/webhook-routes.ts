import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { hmac } from '../../auth/hashing.js';
import type { AppDeps } from '../../deps.js';
import { applyDeliveryReports } from '../../delivery/delivery-reports.js';
import { ApiError } from '../../http/errors.js';
import { badFormField, readForm } from '../../http/form-body.js';
import { parseJsonBytes } from '../../http/json-body.js';
import { handleInboundSms } from '../../responses/sms-replies.js';
import { SmsWebhookError, type WebhookRequest } from './provider.js';

/**
 * The secret part of the SMS webhook URLs, derived from HAMI_SECRET: gateways that do not sign their callbacks
 * (Kavenegar, most generic ones) can only be told apart from strangers by knowing this URL.
 */
function smsWebhookKey(secret: string): string {
  return hmac(secret, 'sms-webhooks').subarray(0, 16).toString('base64url');
}

export function smsWebhookUrls(publicUrl: string, secret: string): { status: string; inbound: string } {
  const base = `${publicUrl}/hooks/sms/${smsWebhookKey(secret)}`;
  return { status: `${base}/status`, inbound: `${base}/inbound` };
}

function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The webhook's fields from its query string and its body (JSON or a form), with the same text checks as every
 * other way customer text comes in: a reply that is not valid UTF-8, or holds a NUL or a lone surrogate, is refused
 * with a 400 naming the field rather than stored altered.
 */
async function readWebhook(c: Context, publicUrl: string): Promise<WebhookRequest> {
  const url = new URL(c.req.url);
  const refuse = (field: string) =>
    new ApiError(
      400,
      'invalid_input',
      `${field || 'a field name'} is not text that can be stored (invalid UTF-8, a NUL or a lone surrogate)`,
      field || undefined,
    );
  const brokenQuery = badFormField(url.search.slice(1));
  if (brokenQuery !== null) throw refuse(brokenQuery);
  const fields: Record<string, string> = { ...c.req.query() };
  let formPairs: Array<[string, string]> | undefined;
  const type = c.req.header('content-type') ?? '';
  if (c.req.method === 'POST') {
    if (type.includes('application/json')) {
      const json = parseJsonBytes(await c.req.arrayBuffer(), 'the webhook body');
      if (json && typeof json === 'object' && !Array.isArray(json)) {
        for (const [key, value] of Object.entries(json)) if (value !== null && typeof value !== 'object') fields[key] = String(value);
      }
    } else {
      const form = await readForm(c);
      if (form.broken !== null) throw refuse(form.broken);
      Object.assign(fields, form.fields);
      formPairs = form.pairs;
    }
  }
  return { method: c.req.method, url: `${publicUrl}${url.pathname}${url.search}`, headers: c.req.header(), fields, formPairs };
}

/** Delivery reports and inbound texts from the SMS gateway. Routes only translate; the rules live elsewhere. */
export function smsWebhookRoutes(deps: AppDeps) {
  const app = new Hono();
  const key = smsWebhookKey(deps.secret);
  const guard = async (c: Context, next: () => Promise<void>) => {
    if (!sameKey(c.req.param('key') ?? '', key)) throw new ApiError(404, 'not_found', 'no such webhook');
    await next();
  };

  const status = async (c: Context) => {
    try {
      const reports = deps.sms.parseDeliveryReports(await readWebhook(c, deps.publicUrl));
      const matched = await applyDeliveryReports(deps.db, reports, deps.clock.now());
      return c.json({ ok: true, received: reports.length, matched });
    } catch (error) {
      if (error instanceof SmsWebhookError) throw new ApiError(error.status, 'invalid_webhook', error.message);
      throw error;
    }
  };
  const inbound = async (c: Context) => {
    try {
      const message = deps.sms.parseInbound(await readWebhook(c, deps.publicUrl));
      const outcome = await handleInboundSms(deps, message);
      // Twilio reads the answer as TwiML; an empty Response sends no automatic reply.
      if (deps.sms.name === 'twilio') return c.body('<Response></Response>', 200, { 'content-type': 'text/xml' });
      return c.json({ ok: true, outcome });
    } catch (error) {
      if (error instanceof SmsWebhookError) throw new ApiError(error.status, 'invalid_webhook', error.message);
      throw error;
    }
  };
  app.on(['GET', 'POST'], '/hooks/sms/:key/status', guard, status);
  app.on(['GET', 'POST'], '/hooks/sms/:key/inbound', guard, inbound);
  return app;
}
