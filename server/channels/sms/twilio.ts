import { createHmac } from 'node:crypto';
import { callGateway, excerpt, headerValue, jsonObject, safeEqual, temporaryFromResponse, type GatewayHttpOptions } from './http.js';
import {
  SmsAccountError,
  SmsPermanentError,
  SmsWebhookError,
  type SmsAccountProblem,
  type DeliveryState,
  type SmsProvider,
  type WebhookRequest,
} from './provider.js';

/**
 * Twilio Programmable Messaging: POST form fields to the account's Messages resource with HTTP Basic auth
 * (Account SID : Auth Token). Its webhooks (status callback, incoming message) are form-encoded and signed with
 * X-Twilio-Signature, which this adapter checks.
 */

interface TwilioOptions extends GatewayHttpOptions {
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
 * Error codes about our account, not the message: every text would be refused alike until the operator acts, so
 * they hold the SMS queue (SmsAccountError). 20003 authentication failed (wrong SID or Auth Token), 20005 and 10001
 * account not active (out of funds, suspended, trial not activated), 21606/21212/21661/21659 the From number is not
 * one this account may send from.
 */
const ACCOUNT_CODES: Record<number, SmsAccountProblem> = {
  20003: 'credentials',
  20005: 'account',
  10001: 'account',
  21606: 'sender',
  21212: 'sender',
  21661: 'sender',
  21659: 'sender',
};

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
  // Only some segments of a long text reached the handset: the carrier took the message, but the part with the
  // survey link may be among the missing, so it counts as sent (not failed, not proven delivered).
  partially_delivered: 'sent',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/** Request parameters as Twilio signs them: a name sent more than once carries all its values. */
type TwilioParams = Record<string, string | readonly string[]>;

/**
 * Twilio's request signature, as its own library computes it (twilio-node, src/webhooks/webhooks.ts): HMAC-SHA1,
 * keyed with the Auth Token, over the full URL (query string included) followed by every POST parameter sorted by
 * name, each as name + value with no separators; a repeated name contributes each of its distinct values, sorted,
 * each with the name in front; base64. (For GET callbacks the parameters are in the URL already.)
 */
export function twilioSignature(authToken: string, url: string, params: TwilioParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    if (typeof value === 'string') data += name + value;
    else for (const one of [...new Set(value)].sort()) data += name + one;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * The URL with its port written out (the scheme's default when none is given) and without any port: Twilio signs
 * the URL as it called it, which is not always as it was configured, so its library accepts either form.
 */
function urlVariants(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [url];
  }
  const withPort = new URL(parsed);
  if (!withPort.port) {
    // URL drops a default port however it is set: written out by hand, as twilio-node does.
    const port = withPort.protocol === 'https:' ? '443' : '80';
    const withDefault = `${withPort.protocol}//${withPort.host}:${port}${withPort.pathname}${withPort.search}`;
    const withoutPort = parsed.toString();
    return [...new Set([url, withDefault, withoutPort])];
  }
  const withoutPort = new URL(parsed);
  withoutPort.port = '';
  return [...new Set([url, parsed.toString(), withoutPort.toString()])];
}

/**
 * The POST parameters Twilio signed: the form's pairs as sent (repeated names kept) when the route read them, else
 * the fields minus any that only came from the query string (Twilio signs those as part of the URL).
 */
function bodyParams(request: WebhookRequest): TwilioParams {
  const params: Record<string, string[]> = {};
  if (request.formPairs) {
    for (const [name, value] of request.formPairs) (params[name] ??= []).push(value);
    return params;
  }
  let query: URLSearchParams;
  try {
    query = new URL(request.url).searchParams;
  } catch {
    return request.fields;
  }
  for (const [name, value] of Object.entries(request.fields)) {
    if (query.get(name) !== value) params[name] = [value];
  }
  return params;
}

/** Throws SmsWebhookError 403 unless X-Twilio-Signature matches the request. */
function verifyTwilioRequest(authToken: string, request: WebhookRequest): void {
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
      // 401 is Twilio refusing our credentials whatever the code says (its docs give 20003 with it).
      const problem = status === 401 ? 'credentials' : code === undefined ? undefined : ACCOUNT_CODES[code];
      if (problem) throw new SmsAccountError(what, problem, String(code ?? status));
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
