import { callGateway, excerpt, jsonObject, type GatewayHttpOptions, type GatewayResponse } from './http.js';
import { SmsWebhookError, type DeliveryReport, type DeliveryState, type SmsProvider } from './provider.js';
import { afterCursor, panelSender, refusalError, refusalForHttpStatus, toIranianMobile, type RefusalKind } from './refusals.js';

/**
 * Melipayamak / Farapayamak (one platform: rest.payamak-panel.com), REST as in its docs (melipayamak.com/api) and
 * official SDK Melipayamak/melipayamak-node (src/sms/rest.js). Form-encoded POSTs with username and password; every
 * reply is `{ Value, RetStatus, StrRetStatus }` where a successful send's Value is its recId (a long number) and a
 * refusal's Value is a small return code.
 * - free text: POST /api/SendSMS/SendSMS `username, password, to, from, text, isFlash`
 * - template: POST /api/SendSMS/BaseServiceNumber `username, password, to, bodyId, text` (the values of {0}, {1}…
 *   joined by ";"), sent from the shared service line, which reaches the operators' blacklist
 * - delivery: POST /api/SendSMS/GetDeliveries2 `recId` → Value is the delivery code
 * - replies: POST /api/SendSMS/GetMessages `location=1` (inbox), `index`, `count` → `Data: [{ MsgID, Body, SenderNumber }]`
 * No webhooks are used: replies and delivery reports are fetched (see poll.ts).
 */

interface MelipayamakOptions extends GatewayHttpOptions {
  /** SMS_MELIPAYAMAK_USERNAME */
  username: string;
  /** SMS_MELIPAYAMAK_PASSWORD (the panel password or its API key, which the panel accepts in its place) */
  password: string;
  /** SMS_MELIPAYAMAK_FROM: the line free text goes out on. */
  from: string;
  /** Defaults to https://rest.payamak-panel.com */
  baseUrl?: string;
}

/** SendSMS return codes (melipayamak.com/api/sendsms, sendsimplesms), by what they mean for us. */
const MELIPAYAMAK_SEND_KINDS: Readonly<Record<number, RefusalKind>> = {
  0: 'credentials', // username or password wrong
  2: 'credit', // credit not enough
  3: 'retry', // daily sending limit
  4: 'retry', // sending volume limit
  5: 'sender', // sender number not valid
  6: 'retry', // the system is being updated
  7: 'refused', // text holds a filtered word
  9: 'account', // public lines cannot send through the web service
  10: 'account', // user not active
  11: 'retry', // not sent
  12: 'account', // user's documents incomplete
  14: 'refused', // text holds a link (not allowed on this line)
  15: 'refused', // more than one number without "لغو11"
  35: 'blocked', // (REST) the number is on the telecom blacklist
};

/** BaseServiceNumber return codes (melipayamak.com/api/sendbybasenumber2): a template or line the panel has not set up is the account's. */
const MELIPAYAMAK_TEMPLATE_KINDS: Readonly<Record<number, RefusalKind>> = {
  [-7]: 'sender', // sender number error
  [-6]: 'retry', // internal error
  [-5]: 'account', // the values do not match the approved text's variables
  [-4]: 'account', // bodyId wrong or not approved
  [-3]: 'sender', // line not defined
  [-2]: 'refused', // one number per call
  [-1]: 'account', // web service access disabled
  0: 'credentials', // username or password wrong
};

/** GetDeliveries2 codes (payamak-panel): 100 unknown and 400 in the send list say nothing new. */
const MELIPAYAMAK_DELIVERY_STATES: Readonly<Record<number, DeliveryState | null>> = {
  0: 'sent', // sent to the telecom
  1: 'delivered', // reached the phone
  2: 'failed', // did not reach the phone
  3: 'failed', // telecom error
  5: 'failed', // unknown error
  8: 'sent', // reached the telecom
  16: 'failed', // did not reach the telecom
  35: 'failed', // blacklist
  100: null,
  200: 'sent', // sent
  300: 'failed', // filtered
  400: null,
  500: 'failed', // refused
};

const NO_WEBHOOKS = 'Melipayamak is not set up to call webhooks: Hami fetches its replies and delivery reports';

/** A recId is a long number; return codes are one or two digits (or negative). */
const RECID = /^\d{5,}$/;

/** Adapter for Melipayamak's REST API. */
export function createMelipayamakProvider(options: MelipayamakOptions): SmsProvider {
  const base = `${(options.baseUrl ?? 'https://rest.payamak-panel.com').replace(/\/+$/, '')}/api/SendSMS`;
  const credentials = { username: options.username, password: options.password };

  const post = (method: string, fields: Record<string, string>) =>
    callGateway(
      'Melipayamak',
      `${base}/${method}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' },
        body: new URLSearchParams({ ...credentials, ...fields }).toString(),
      },
      options,
    );

  /** The reply when HTTP and RetStatus say it was read; the refusal its code calls for otherwise. */
  function replyOf(
    response: GatewayResponse,
    kinds: Readonly<Record<number, RefusalKind>>,
  ): { value: string; json: Record<string, unknown> } {
    const json = jsonObject(response.body);
    const raw = json?.Value;
    const value = raw === undefined || raw === null ? '' : String(raw).trim();
    if (!json || response.status >= 300 || !/^-?\d+$/.test(value)) {
      throw refusalError(
        refusalForHttpStatus(response.status),
        `Melipayamak answered HTTP ${response.status}${response.body ? `: ${excerpt(response.body)}` : ''}`,
        `HTTP ${response.status}`,
        response,
        options,
      );
    }
    if (RECID.test(value) && json.RetStatus === 1) return { value, json };
    const code = Number(value);
    const word = typeof json.StrRetStatus === 'string' ? ` ${excerpt(json.StrRetStatus)}` : '';
    throw refusalError(kinds[code] ?? 'refused', `Melipayamak refused with ${code}${word}`, String(code), response, options);
  }

  return {
    name: 'melipayamak',
    async send(message) {
      const to = toIranianMobile('Melipayamak', message.to);
      if (message.template) {
        const text = message.template.params.map(({ value }) => value).join(';');
        const { value } = replyOf(await post('BaseServiceNumber', { to, bodyId: message.template.id, text }), MELIPAYAMAK_TEMPLATE_KINDS);
        return { providerMessageId: value };
      }
      const { value } = replyOf(
        await post('SendSMS', { to, from: options.from, text: message.text, isFlash: 'false' }),
        MELIPAYAMAK_SEND_KINDS,
      );
      return { providerMessageId: value };
    },
    async fetchDeliveryReports(ids) {
      const reports: DeliveryReport[] = [];
      for (const recId of ids) {
        if (!RECID.test(recId)) continue;
        const response = await post('GetDeliveries2', { recId });
        const json = jsonObject(response.body);
        const code = Number(json?.Value);
        // A recId this panel does not know (sent through another gateway before a switch) gives no report.
        if (response.status < 300 && json?.RetStatus !== 1) continue;
        if (response.status >= 300 || !Number.isInteger(code))
          throw refusalError(
            refusalForHttpStatus(response.status),
            `Melipayamak answered HTTP ${response.status}`,
            `HTTP ${response.status}`,
            response,
            options,
          );
        const state = MELIPAYAMAK_DELIVERY_STATES[code];
        if (state) reports.push({ providerMessageId: recId, state, detail: `delivery ${code}` });
      }
      return reports;
    },
    async fetchInbound(cursor) {
      const response = await post('GetMessages', { location: '1', index: '0', count: '100', from: '' });
      const json = jsonObject(response.body);
      const retStatus = (json?.MyBase as Record<string, unknown> | undefined)?.RetStatus ?? json?.RetStatus;
      if (response.status >= 300 || retStatus !== 1) {
        throw refusalError(
          refusalForHttpStatus(response.status >= 300 ? response.status : 401),
          `Melipayamak inbox answered HTTP ${response.status}${response.body ? `: ${excerpt(response.body)}` : ''}`,
          `HTTP ${response.status}`,
          response,
          options,
        );
      }
      // GetMessages pages the inbox (newest first) without marking anything read: the cursor is the highest MsgID handled.
      const items = Array.isArray(json?.Data) ? (json.Data as Array<Record<string, unknown>>) : [];
      return afterCursor(
        items.map((item) => ({ id: Number(item.MsgID), from: panelSender(item.SenderNumber), text: item.Body })),
        cursor,
      );
    },
    parseDeliveryReports() {
      throw new SmsWebhookError(NO_WEBHOOKS);
    },
    parseInbound() {
      throw new SmsWebhookError(NO_WEBHOOKS);
    },
  };
}
