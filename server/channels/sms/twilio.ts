import { createHmac } from 'node:crypto';
import {
  callGateway,
  excerpt,
  headerValue,
  jsonObject,
  safeEqual,
  temporaryFromResponse,
  type GatewayHttpOptions,
} from './http.js';
import {
  SmsPermanentError,
  SmsWebhookError,
  type DeliveryState,
  type SmsProvider,
  type WebhookRequest,
} from './provider.js';

/**
 * Twilio Programmable Messaging: POST form fields to the account's Messages resource with HTTP Basic auth
 * (Account SID : Auth Token). Its webhooks (status callback, incoming message) are form-encoded and signed with
 * X-Twilio-Signature, which this adapter checks.
 */

export interface TwilioOptions extends GatewayHttpOptions {
  /** SMS_TWILIO_ACCOUNT_SID (AC…) */
  accountSid: string;
  /** SMS_TWILIO_AUTH_TOKEN: the Basic-auth password, and the key Twilio signs webhooks with. */
  authToken: string;
  /** SMS_TWILIO_FROM (E.164); used when no Messaging Service is configured. */
  from: string | null;
  /** SMS_TWILIO_MESSAGING_SERVICE_SID (MG…); preferred over `from` when set: Twilio then picks the sender. */
  messagingServiceSid: string | null;
  /** Public URL Twilio should POST status callbacks to (sent per message as StatusCallback); null sends none. */
  statusCallbackUrl?: string | null;
  /** Defaults to https://api.twilio.com */
  baseUrl?: string;
}

/**
 * Error codes that mean this number will never take our texts: 21211 invalid 'To' number, 21614 'To' is not a
 * mobile number, 21610 the recipient replied STOP (Twilio blocks further messages until they reply START).
 */
const SUPPRESS_CODES = new Set([21211, 21614, 21610]);

/**
 * Twilio MessageStatus values. queued/accepted/scheduled/sending are steps before the carrier and say nothing
 * new, so they are skipped, as are the inbound-only receiving/received. read (WhatsApp, RCS) implies delivered.
 */
const STATUS_STATES: Record<string, DeliveryState | null> = {
  accepted: null,
  scheduled: null,
  queued: null,
  sending: null,
  receiving: null,
  received: null,
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/**
 * Twilio's request signature: HMAC-SHA1, keyed with the Auth Token, over the full URL followed by every POST
 * parameter sorted by name, each as name + value with no separators; base64. (For GET callbacks the parameters
 * are in the URL already and nothing is appended.)
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  let data = url;
  for (const name of Object.keys(params).sort()) data += name + params[name];
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * The URL as given, and the same with the port dropped or with the default port written out: Twilio signs the
 * URL exactly as it called it, which a proxy in between may have rewritten in just this way.
 */
function urlVariants(url: string): string[] {
  const match = url.match(/^(https?):\/\/([^/?#:]+)(?::(\d+))?(.*)$/i);
  if (!match) return [url];
  const [, scheme = '', host = '', port, rest = ''] = match;
  const defaultPort = scheme.toLowerCase() === 'https' ? '443' : '80';
  return [...new Set([url, `${scheme}://${host}${rest}`, `${scheme}://${host}:${port ?? defaultPort}${rest}`])];
}

/**
 * The POST parameters alone. Twilio signs the query string as part of the URL, so a query parameter that a
 * framework merged into `fields` (same name, same value) must not be appended a second time.
 */
function bodyParams(request: WebhookRequest): Record<string, string> {
  let query: URLSearchParams;
  try {
    query = new URL(request.url).searchParams;
  } catch {
    return request.fields;
  }
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.fields)) {
    if (query.get(name) !== value) params[name] = value;
  }
  return params;
}

/** Throws SmsWebhookError 403 unless X-Twilio-Signature matches the request. */
export function verifyTwilioRequest(authToken: string, request: WebhookRequest): void {
  const signature = headerValue(request.headers, 'x-twilio-signature')?.trim();
  if (!signature) throw new SmsWebhookError('missing X-Twilio-Signature', 403);
  const params = request.method.toUpperCase() === 'GET' ? {} : bodyParams(request);
  const valid = urlVariants(request.url).some((url) => safeEqual(twilioSignature(authToken, url, params), signature));
  if (!valid) throw new SmsWebhookError('X-Twilio-Signature does not match', 403);
}

/** Adapter for Twilio's Messages resource (POST /2010-04-01/Accounts/{AccountSid}/Messages.json). */
export function createTwilioProvider(options: TwilioOptions): SmsProvider {
  if (!options.from && !options.messagingServiceSid) {
    throw new Error('Twilio needs a From number or a Messaging Service SID');
  }
  const base = (options.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const basic = Buffer.from(`${options.accountSid}:${options.authToken}`, 'utf8').toString('base64');
  return {
    name: 'twilio',
    async send(message) {
      const form = new URLSearchParams({ To: message.to, Body: message.text });
      if (options.messagingServiceSid) form.set('MessagingServiceSid', options.messagingServiceSid);
      else if (options.from) form.set('From', options.from);
      if (options.statusCallbackUrl) form.set('StatusCallback', options.statusCallbackUrl);
      const response = await callGateway(
        'Twilio',
        url,
        {
          method: 'POST',
          headers: {
            authorization: `Basic ${basic}`,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: form.toString(),
        },
        options,
      );
      const { status } = response;
      const json = jsonObject(response.body);
      if (status >= 200 && status < 300) {
        const sid = json?.sid;
        return { providerMessageId: typeof sid === 'string' && sid ? sid : null };
      }
      const code = typeof json?.code === 'number' ? json.code : undefined;
      const text = typeof json?.message === 'string' ? json.message : excerpt(response.body);
      const what = `Twilio answered ${status}${code === undefined ? '' : ` (error ${code})`}${text ? `: ${text}` : ''}`;
      if (status === 429 || status >= 500 || status === 408) throw temporaryFromResponse(what, response, options);
      if (status >= 400) throw new SmsPermanentError(what, code !== undefined && SUPPRESS_CODES.has(code));
      throw temporaryFromResponse(what, response, options);
    },
    parseDeliveryReports(request) {
      verifyTwilioRequest(options.authToken, request);
      const sid = request.fields.MessageSid?.trim();
      // SmsStatus is the older name of the same field; Twilio still sends both.
      const status = (request.fields.MessageStatus ?? request.fields.SmsStatus)?.trim().toLowerCase();
      if (!sid || !status) throw new SmsWebhookError('Twilio status callback needs MessageSid and MessageStatus');
      const state = STATUS_STATES[status];
      if (state === undefined) throw new SmsWebhookError(`unknown Twilio MessageStatus "${status}"`);
      if (state === null) return [];
      const errorCode = request.fields.ErrorCode?.trim();
      return [{ providerMessageId: sid, state, detail: errorCode ? `${status} (error ${errorCode})` : status }];
    },
    parseInbound(request) {
      verifyTwilioRequest(options.authToken, request);
      const from = request.fields.From?.trim();
      const text = request.fields.Body;
      if (!from || text === undefined) throw new SmsWebhookError('Twilio incoming message needs From and Body');
      return { from, text };
    },
  };
}
