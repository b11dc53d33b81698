import { createHash, timingSafeEqual } from 'node:crypto';
import {
  SmsPermanentError,
  SmsTemporaryError,
  SmsWebhookError,
  type DeliveryReport,
  type DeliveryState,
  type InboundSms,
  type SmsProvider,
  type WebhookRequest,
} from './provider.js';

/**
 * The generic JSON gateway (SMS_PROVIDER=http), exactly as the public contract in DESIGN.md says, plus the small
 * HTTP helpers the other adapters share (deadline, Retry-After, header lookup, constant-time compare).
 */

/** A gateway that has not answered in this long is treated as down for now (the job is retried). */
const DEFAULT_SMS_TIMEOUT_MS = 10_000;

/** What every HTTP adapter takes: the fetch to use (msw intercepts it in tests) and the request deadline. */
export interface GatewayHttpOptions {
  /** Defaults to the global fetch, looked up at call time (so a test's interceptor is seen). */
  fetch?: typeof fetch;
  /** Defaults to DEFAULT_SMS_TIMEOUT_MS. */
  timeoutMs?: number;
  /** For Retry-After given as a date. Defaults to the system time. */
  now?: () => Date;
}

export interface GatewayResponse {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * Sends one request with a deadline and reads the whole body within it. A network failure or a timeout becomes
 * SmsTemporaryError. The message names the gateway, never the URL: Kavenegar's URL carries the API key.
 */
export async function callGateway(gateway: string, url: string, init: RequestInit, options: GatewayHttpOptions): Promise<GatewayResponse> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SMS_TIMEOUT_MS;
  const doFetch: typeof fetch = options.fetch ?? ((input, more) => globalThis.fetch(input, more));
  try {
    const response = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    return { status: response.status, headers: response.headers, body };
  } catch (error) {
    const name = (error as { name?: unknown })?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new SmsTemporaryError(`${gateway} did not answer within ${timeoutMs} ms`);
    }
    // undici puts the reason (ECONNREFUSED, ENOTFOUND…) in cause.code; the message itself says only "fetch failed".
    const code = (error as { cause?: { code?: unknown } })?.cause?.code;
    throw new SmsTemporaryError(`${gateway} could not be reached${typeof code === 'string' ? ` (${code})` : ''}`);
  }
}

/** POST-JSON and GET for a gateway whose API takes JSON bodies and the same headers on every call (SMS.ir, Ghasedak). */
export function jsonApi(gateway: string, base: string, headers: Record<string, string>, options: GatewayHttpOptions) {
  return {
    post: (path: string, body: unknown) =>
      callGateway(
        gateway,
        `${base}${path}`,
        { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) },
        options,
      ),
    get: (path: string) => callGateway(gateway, `${base}${path}`, { method: 'GET', headers }, options),
  };
}

/** Retry-After in milliseconds, from either form the header may take (delta-seconds or an HTTP date). */
function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/** The error for a response the gateway asks us to repeat later, honouring its Retry-After. */
export function temporaryFromResponse(message: string, response: GatewayResponse, options: GatewayHttpOptions): SmsTemporaryError {
  return new SmsTemporaryError(message, parseRetryAfter(response.headers.get('retry-after'), options.now?.() ?? new Date()));
}

/** A header from an already-read webhook request, whatever case the framework left the names in. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** Constant-time string comparison; hashing first makes the time independent of where, and whether, lengths differ. */
export function safeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The JSON object in a response body, or null when the body is not a JSON object. */
export function jsonObject(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A short, single-line excerpt of a gateway's reply, for an error message. */
export function excerpt(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

// ---------------------------------------------------------------------------------------------------------------
// The generic JSON gateway

interface HttpSmsOptions extends GatewayHttpOptions {
  /** SMS_HTTP_URL */
  url: string;
  /** SMS_HTTP_TOKEN: sent as `Authorization: Bearer …`, and expected on the gateway's webhooks. */
  token: string;
}

const GENERIC_STATES: Record<string, DeliveryState> = { sent: 'sent', delivered: 'delivered', failed: 'failed' };

/** Webhooks from the generic gateway carry the same bearer token we send it; anything else is refused (401). */
function requireBearer(request: WebhookRequest, token: string): void {
  const header = headerValue(request.headers, 'authorization');
  const match = header?.match(/^Bearer\s+(.+)$/i);
  if (!match?.[1] || !safeEqual(match[1].trim(), token)) {
    throw new SmsWebhookError('missing or wrong Authorization: Bearer token', 401);
  }
}

/** Reads the generic delivery-report shape `{ reference, status: "delivered"|"failed"|"sent", detail? }`. */
export function parseGenericDeliveryReport(fields: Record<string, string>): DeliveryReport[] {
  const reference = fields.reference?.trim();
  const status = fields.status?.trim().toLowerCase() ?? '';
  const state = GENERIC_STATES[status];
  if (!reference) throw new SmsWebhookError('delivery report without "reference"');
  if (!state) throw new SmsWebhookError('delivery report "status" must be "sent", "delivered" or "failed"');
  const detail = fields.detail?.trim();
  return [{ reference, state, detail: detail ? `${status}: ${detail}` : status }];
}

/** Reads the generic inbound shape `{ from, text }`. */
export function parseGenericInbound(fields: Record<string, string>): InboundSms {
  const from = fields.from?.trim();
  const text = fields.text;
  if (!from || text === undefined) throw new SmsWebhookError('inbound message needs "from" and "text"');
  return { from, text };
}

/**
 * SMS_PROVIDER=http: POST JSON `{ to, text, reference }` to SMS_HTTP_URL with `Authorization: Bearer $SMS_HTTP_TOKEN`.
 * 2xx accepted (providerMessageId from the reply's `id`, if any); 4xx permanent; 5xx, 408, 429, timeout and
 * network failures temporary.
 */
export function createHttpSmsProvider(options: HttpSmsOptions): SmsProvider {
  return {
    name: 'http',
    async send(message) {
      const response = await callGateway(
        'SMS gateway',
        options.url,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${options.token}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify({ to: message.to, text: message.text, reference: message.reference }),
        },
        options,
      );
      const { status } = response;
      if (status >= 200 && status < 300) {
        const id = jsonObject(response.body)?.id;
        return { providerMessageId: typeof id === 'string' || typeof id === 'number' ? String(id) : null };
      }
      const what = `SMS gateway answered ${status}${response.body ? `: ${excerpt(response.body)}` : ''}`;
      // 408 and 429 are the gateway saying "not now"; the contract's "timeout → retry" covers 408.
      if (status >= 500 || status === 408 || status === 429) throw temporaryFromResponse(what, response, options);
      if (status >= 400) throw new SmsPermanentError(what);
      // 1xx/3xx: fetch follows redirects, so this is a gateway misbehaving; try again later rather than drop.
      throw temporaryFromResponse(what, response, options);
    },
    parseDeliveryReports(request) {
      requireBearer(request, options.token);
      return parseGenericDeliveryReport(request.fields);
    },
    parseInbound(request) {
      requireBearer(request, options.token);
      return parseGenericInbound(request.fields);
    },
  };
}
