import { createHmac } from 'node:crypto';
import type { WebhookRequest } from '../../server/channels/sms/provider.js';

/** What a gateway received, as msw saw it: enough to assert URL, method, headers and body fields. */
export interface SeenRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string;
  form: URLSearchParams;
  json: unknown;
}

/** Records one request (msw hands the resolver a Request whose body can be read once). */
export async function seeRequest(request: Request): Promise<SeenRequest> {
  const body = await request.text();
  let json: unknown = null;
  try {
    json = JSON.parse(body);
  } catch {
    // A form body: json stays null.
  }
  return { url: request.url, method: request.method, headers: request.headers, body, form: new URLSearchParams(body), json };
}

/**
 * X-Twilio-Signature computed straight from Twilio's documented recipe (full URL, then the POST parameters sorted
 * by name, each name followed by its value, HMAC-SHA1 keyed with the Auth Token, base64), kept apart from the
 * adapter's own helper so a mistake in one is not copied into the other.
 */
export function signLikeTwilio(authToken: string, url: string, params: Record<string, string> | Array<[string, string]>): string {
  // A form with a repeated name is given as pairs: sorted by name, then by value, each name + value appended.
  const pairs = Array.isArray(params) ? params : Object.entries(params);
  const data = [...pairs]
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .reduce((text, [name, value]) => text + name + value, url);
  return createHmac('sha1', Buffer.from(authToken, 'utf8')).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** A webhook request as the routes hand it to an adapter. */
export function webhook(
  fields: Record<string, string>,
  headers: Record<string, string> = {},
  url = 'https://hami.example/hooks/sms/k/status',
): WebhookRequest {
  return { method: 'POST', url, headers, fields };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** The error a call throws (fails the test if it returns). */
export function thrown(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw, but it returned');
}
