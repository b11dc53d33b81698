import { excerpt, jsonApi, jsonObject, type GatewayHttpOptions, type GatewayResponse } from './http.js';
import {
  SmsPermanentError,
  SmsWebhookError,
  type DeliveryReport,
  type DeliveryState,
  type InboundSms,
  type SmsProvider,
} from './provider.js';
import { panelSender, refusalError, refusalForHttpStatus, toIranianMobile, type RefusalKind } from './refusals.js';

/**
 * SMS.ir REST v1 (https://api.sms.ir/v1, documented at apidocs.sms.ir; the shapes below follow those docs and the
 * official SDKs IPeCompany/smsir-php and hadizareirani/SmsPanelV2.TypeScript). Every request carries the key in the
 * `X-API-KEY` header; every reply is `{ status, message, data }` where status 1 is success and anything else a code
 * from the docs' table (HTTP 400 for a logical error, 401 for the key, 429, 500).
 * - free text: POST /v1/send/bulk `{ lineNumber, messageText, mobiles }` → data `{ packId, messageIds, cost }`
 * - template: POST /v1/send/verify `{ mobile, templateId, parameters: [{ name, value }] }` → data `{ messageId, cost }`
 *   ("verify" sends go out on service lines and reach numbers that blocked advertising texts)
 * - delivery: GET /v1/send/{messageId} → data.deliveryState
 * - replies: GET /v1/receive/latest?count=100 → data `[{ receiveReturnId, messageText, number, mobile, receivedDateTime }]`,
 *   each received text returned once ("read" afterwards).
 * SMS.ir calls no webhooks: replies and delivery reports are fetched (see poll.ts).
 */

interface SmsIrOptions extends GatewayHttpOptions {
  /** SMS_SMSIR_API_KEY */
  apiKey: string;
  /** SMS_SMSIR_LINE_NUMBER: the line free text goes out on (templates use SMS.ir's service line). */
  lineNumber: string;
  /** Defaults to https://api.sms.ir */
  baseUrl?: string;
}

/** SMS.ir's status codes (apidocs.sms.ir, "کدهای وضعیت"), by what they mean for us. */
const SMSIR_STATUS_KINDS: Readonly<Record<number, RefusalKind>> = {
  0: 'retry', // the request failed on their side
  10: 'credentials', // API key invalid
  11: 'credentials', // API key disabled
  12: 'credentials', // API key limited to other IP addresses
  13: 'account', // account disabled
  14: 'account', // account suspended
  15: 'account', // plan does not include the web service
  16: 'refused', // a parameter value is wrong
  20: 'retry', // too many requests
  101: 'sender', // line number invalid
  102: 'credit', // credit not enough
  103: 'refused', // empty text
  104: 'bad-number', // mobile number invalid
  113: 'account', // template not found
  114: 'refused', // a parameter value over 25 characters
  115: 'blocked', // number on the system's blacklist
  116: 'account', // a template parameter left without a value: the template and the survey file disagree
  117: 'refused', // text not approved
  118: 'retry', // too many messages
  119: 'account', // plan does not allow custom templates
  123: 'sender', // sender line needs activating
  124: 'account', // only OTP templates allowed for now
};

/** deliveryState (apidocs.sms.ir, "کدهای وضعیت دلیوری"): 3 and 5 are steps on the way; 8 unknown says nothing. */
const SMSIR_DELIVERY_STATES: Readonly<Record<number, DeliveryState | null>> = {
  1: 'delivered', // reached the phone
  2: 'failed', // did not reach the phone
  3: 'sent', // reached the telecom
  4: 'failed', // did not reach the telecom
  5: 'sent', // reached the operator
  6: 'failed', // failed
  7: 'failed', // blacklist
  8: null, // unknown
};

const NO_WEBHOOKS = 'SMS.ir calls no webhooks: Hami fetches its replies and delivery reports';

/** Adapter for SMS.ir's REST API v1. */
export function createSmsIrProvider(options: SmsIrOptions): SmsProvider {
  const base = `${(options.baseUrl ?? 'https://api.sms.ir').replace(/\/+$/, '')}/v1`;

  /** The reply's data on status 1; otherwise the error its status code (or HTTP status) calls for. */
  function dataOf(response: GatewayResponse): unknown {
    const json = jsonObject(response.body);
    const status = typeof json?.status === 'number' ? json.status : null;
    if (status === 1 && response.status < 300) return json?.data;
    const text = typeof json?.message === 'string' ? ` ${excerpt(json.message)}` : '';
    if (status === null) {
      throw refusalError(
        refusalForHttpStatus(response.status),
        `SMS.ir answered HTTP ${response.status}${response.body ? `: ${excerpt(response.body)}` : ''}`,
        `HTTP ${response.status}`,
        response,
        options,
      );
    }
    const kind = SMSIR_STATUS_KINDS[status] ?? refusalForHttpStatus(response.status);
    throw refusalError(kind, `SMS.ir refused with status ${status}${text}`, String(status), response, options);
  }

  const { post, get } = jsonApi('SMS.ir', base, { 'x-api-key': options.apiKey, accept: 'application/json' }, options);

  return {
    name: 'smsir',
    async send(message) {
      const mobile = toIranianMobile('SMS.ir', message.to);
      if (message.template) {
        const data = dataOf(
          await post('/send/verify', {
            mobile,
            templateId: Number(message.template.id),
            parameters: message.template.params.map(({ name, value }) => ({ name, value })),
          }),
        ) as { messageId?: unknown } | null;
        const id = data?.messageId;
        return { providerMessageId: typeof id === 'number' || typeof id === 'string' ? String(id) : null };
      }
      const data = dataOf(
        await post('/send/bulk', { lineNumber: Number(options.lineNumber), messageText: message.text, mobiles: [mobile] }),
      ) as {
        messageIds?: unknown;
      } | null;
      const id = Array.isArray(data?.messageIds) ? data.messageIds[0] : undefined;
      // The pack is accepted even when this number was not: its id comes back 0 (blacklisted) or null (refused).
      if (id === 0) throw refusalError('blocked', 'SMS.ir took the pack but not this number (message id 0)', '0');
      if (typeof id !== 'number') throw refusalError('refused', 'SMS.ir took the pack but gave this number no message id', 'null');
      return { providerMessageId: String(id) };
    },
    async fetchDeliveryReports(ids) {
      const reports: DeliveryReport[] = [];
      for (const id of ids) {
        if (!/^\d+$/.test(id)) continue;
        let data: { deliveryState?: unknown } | null;
        try {
          data = dataOf(await get(`/send/${id}`)) as { deliveryState?: unknown } | null;
        } catch (error) {
          // An id SMS.ir does not know (111: a text sent through another gateway before a switch) is skipped, not
          // allowed to stop the others' reports; account and network trouble still ends the round.
          if (error instanceof SmsPermanentError) continue;
          throw error;
        }
        const code = data?.deliveryState;
        const state = typeof code === 'number' ? SMSIR_DELIVERY_STATES[code] : null;
        if (state) reports.push({ providerMessageId: id, state, detail: `deliveryState ${String(code)}` });
      }
      return reports;
    },
    async fetchInbound(cursor) {
      // receive/latest hands each text out once, so no mark is needed; the first call still only drains the inbox.
      const data = dataOf(await get('/receive/latest?count=100'));
      const replies = !Array.isArray(data)
        ? []
        : data.flatMap((item: { mobile?: unknown; messageText?: unknown }): InboundSms[] =>
            typeof item?.messageText === 'string' && item.mobile !== undefined
              ? [{ from: panelSender(item.mobile), text: item.messageText }]
              : [],
          );
      return { replies: cursor === null ? [] : replies, cursor: 'latest' };
    },
    parseDeliveryReports() {
      throw new SmsWebhookError(NO_WEBHOOKS);
    },
    parseInbound() {
      throw new SmsWebhookError(NO_WEBHOOKS);
    },
  };
}
