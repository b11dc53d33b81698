import { createHash } from 'node:crypto';
import { callGateway, excerpt, jsonObject, temporaryFromResponse, type GatewayHttpOptions } from './http.js';
import {
  SmsAccountError,
  SmsPermanentError,
  SmsWebhookError,
  type DeliveryReport,
  type DeliveryState,
  type SmsAccountProblem,
  type SmsProvider,
} from './provider.js';

/**
 * Kavenegar (kavenegar.com), the common Iranian gateway. REST v1: the API key is part of the path, parameters are
 * form-encoded, and every reply is `{ return: { status, message }, entries }` where return.status 200 means done
 * and anything else is an error code (the HTTP status may or may not match, so return.status is what we read).
 * Its webhooks (delivery URL and receive URL, set in the Kavenegar panel) are not signed: the caller checks a
 * secret in the webhook URL, and this adapter only parses.
 */

interface KavenegarOptions extends GatewayHttpOptions {
  /** SMS_KAVENEGAR_API_KEY */
  apiKey: string;
  /** SMS_KAVENEGAR_SENDER: the line number to send from; null uses the account's default line. */
  sender: string | null;
  /** Defaults to https://api.kavenegar.com */
  baseUrl?: string;
}

/** return.status codes that mean "not now": 409 server cannot answer, 451 too many calls from this IP, 402 failed. */
const TEMPORARY_CODES = new Set([402, 409, 451]);
/** The receptor itself is wrong: 411 invalid receptor. Suppressed so the number is not tried again. */
const BAD_RECEPTOR_CODES = new Set([411]);
/**
 * return.status codes about our account, not the message (Kavenegar's API docs and SDKs): every text would be
 * refused alike until the operator acts, so they hold the SMS queue (SmsAccountError) instead of failing
 * invitations. 401 account disabled, 403 API key not valid, 407 the key may not use this method, 412 sender line
 * not valid for this account, 418 not enough credit, 501 a test account may only text its owner's number.
 */
const ACCOUNT_CODES: Record<number, SmsAccountProblem> = {
  401: 'account',
  403: 'credentials',
  407: 'account',
  412: 'sender',
  418: 'credit',
  501: 'account',
};

/**
 * The receptor as Kavenegar expects it: an Iranian mobile as 09xxxxxxxxx (its documented form), any other country
 * in the international 00 form. Throws SmsPermanentError (suppress) for something that is not E.164.
 */
export function toKavenegarReceptor(e164: string): string {
  const match = e164.trim().match(/^\+([1-9]\d{6,14})$/);
  if (!match?.[1]) throw new SmsPermanentError(`"${e164}" is not an E.164 phone number`, true);
  const digits = match[1];
  return digits.startsWith('98') ? `0${digits.slice(2)}` : `00${digits}`;
}

/**
 * Kavenegar's `localid` is numeric (a Long) and makes a repeated send with the same localid return the first
 * message instead of sending again. Our reference is a UUID, so it is mapped to a stable number: all-digit
 * references pass through, others become the first 52 bits of their SHA-256 (a safe integer, collisions negligible
 * for the short window Kavenegar keeps local ids).
 */
export function kavenegarLocalId(reference: string): string {
  if (/^\d{1,18}$/.test(reference)) return reference;
  const hex = createHash('sha256').update(reference, 'utf8').digest('hex').slice(0, 13);
  return String(parseInt(hex, 16));
}

/**
 * Kavenegar message status codes (sms/status, and the delivery URL's `status`): 1 queued and 2 scheduled say
 * nothing new and are skipped; 4/5 sent to the operator; 10 delivered; 6 failed, 11 undelivered, 13 cancelled,
 * 14 blocked by the recipient. 100 answers a status query about an unknown id: no news about delivery either.
 */
const STATUS_STATES: Record<number, DeliveryState | null> = {
  1: null,
  2: null,
  4: 'sent',
  5: 'sent',
  6: 'failed',
  10: 'delivered',
  11: 'failed',
  13: 'failed',
  14: 'failed',
  100: null,
};

/** Adapter for Kavenegar's REST API (POST …/v1/{API_KEY}/sms/send.json). */
export function createKavenegarProvider(options: KavenegarOptions): SmsProvider {
  const base = (options.baseUrl ?? 'https://api.kavenegar.com').replace(/\/+$/, '');
  const sendUrl = `${base}/v1/${encodeURIComponent(options.apiKey)}/sms/send.json`;
  // Template sends (Kavenegar's REST docs, verify/lookup): the template's name and its token…token20 values; they
  // go out on Kavenegar's service line, which reaches numbers that blocked advertising texts. Same reply shape.
  const lookupUrl = `${base}/v1/${encodeURIComponent(options.apiKey)}/verify/lookup.json`;
  return {
    name: 'kavenegar',
    async send(message) {
      const receptor = toKavenegarReceptor(message.to);
      let form: URLSearchParams;
      if (message.template) {
        form = new URLSearchParams({ receptor, template: message.template.id });
        for (const { name, value } of message.template.params) form.set(name, value);
      } else {
        form = new URLSearchParams({ receptor, message: message.text });
        if (options.sender) form.set('sender', options.sender);
        form.set('localid', kavenegarLocalId(message.reference));
      }
      const response = await callGateway(
        'Kavenegar',
        message.template ? lookupUrl : sendUrl,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' },
          body: form.toString(),
        },
        options,
      );
      const json = jsonObject(response.body);
      const ret = json?.return as { status?: unknown; message?: unknown } | undefined;
      const code = typeof ret?.status === 'number' ? ret.status : Number(ret?.status);
      if (!json || !Number.isInteger(code)) {
        // No Kavenegar reply to read: judge by the HTTP status alone.
        const what = `Kavenegar answered HTTP ${response.status}${response.body ? `: ${excerpt(response.body)}` : ''}`;
        if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
          throw new SmsPermanentError(what);
        }
        // A 2xx we cannot read may have been sent; repeating it is safe because localid makes Kavenegar deduplicate.
        throw temporaryFromResponse(what, response, options);
      }
      if (code === 200) {
        const entries = Array.isArray(json.entries) ? (json.entries as Array<Record<string, unknown>>) : [];
        const id = entries[0]?.messageid;
        return { providerMessageId: typeof id === 'number' || typeof id === 'string' ? String(id) : null };
      }
      const text = typeof ret?.message === 'string' ? ret.message : '';
      const what = `Kavenegar refused with ${code}${text ? ` ${excerpt(text)}` : ''}`;
      const problem = ACCOUNT_CODES[code];
      if (problem) throw new SmsAccountError(what, problem, String(code));
      if (TEMPORARY_CODES.has(code) || code >= 500) throw temporaryFromResponse(what, response, options);
      // The rest of 400–432 (bad parameters, an empty or too long text, an unknown template, …) is about this
      // message and does not get better by retrying.
      throw new SmsPermanentError(what, BAD_RECEPTOR_CODES.has(code));
    },
    parseDeliveryReports(request): DeliveryReport[] {
      const messageId = request.fields.messageid?.trim();
      const raw = request.fields.status?.trim() ?? '';
      if (!messageId || !/^\d+$/.test(raw)) throw new SmsWebhookError('Kavenegar delivery report needs "messageid" and a numeric "status"');
      const code = Number(raw);
      const state = STATUS_STATES[code];
      if (state === undefined) throw new SmsWebhookError(`unknown Kavenegar status ${code}`);
      if (state === null) return [];
      const word = request.fields.statustext?.trim();
      return [{ providerMessageId: messageId, state, detail: word ? `${code} ${word}` : String(code) }];
    },
    parseInbound(request) {
      // The receive URL is called with from, to, message (and messageid); `sender` is the name its inbox API uses.
      const from = (request.fields.from ?? request.fields.sender)?.trim();
      const text = request.fields.message;
      if (!from || text === undefined) throw new SmsWebhookError('Kavenegar inbound message needs "from" and "message"');
      return { from, text };
    },
  };
}
