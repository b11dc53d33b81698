import { excerpt, jsonApi, jsonObject, type GatewayHttpOptions, type GatewayResponse } from './http.js';
import { SmsWebhookError, type DeliveryReport, type DeliveryState, type SmsProvider } from './provider.js';
import { afterCursor, panelSender, refusalError, refusalForHttpStatus, toIranianMobile, type RefusalKind } from './refusals.js';

/**
 * Ghasedak's current REST API (https://gateway.ghasedak.me/rest/api/v1/WebService/…, documented at ghasedak.me/docs;
 * shapes as in the official SDKs ghasedakapi/ghasedaksms-php and ghasedakapi/ghasedak_sms_node). The key goes in the
 * `ApiKey` header; bodies are JSON; every reply is `{ isSuccess, statusCode, message, data }` (the docs' samples
 * capitalise the names, so both spellings are read).
 * - free text: POST SendSingleSMS `{ message, receptor, lineNumber, clientReferenceId }` → data `{ messageId, … }`
 * - template: POST SendOtpSMS `{ receptors: [{ mobile, clientReferenceId }], templateName, inputs: [{ param, value }] }`
 *   → data `{ items: [{ receptor, messageId, cost }] }`
 * - delivery: GET CheckSmsStatus?Ids=…&Type=1 → data `[{ messageId, status }]`
 * - replies: GET GetReceivedSmses?LineNumber=…&IsRead=false → data `{ items: [{ id, message, sender, lineNumber }] }`
 * Ghasedak calls no webhooks for these: replies and delivery reports are fetched (see poll.ts).
 */

interface GhasedakOptions extends GatewayHttpOptions {
  /** SMS_GHASEDAK_API_KEY */
  apiKey: string;
  /** SMS_GHASEDAK_LINE_NUMBER: the line texts go out on and replies arrive at. */
  lineNumber: string;
  /** Defaults to https://gateway.ghasedak.me */
  baseUrl?: string;
}

/**
 * statusCode follows HTTP's meanings (the docs' failure sample is 401 for a bad key). Its SDKs carry no table of the
 * other codes, so these are read by meaning: 402 and 418 are the credit, as in Ghasedak's own v2 API; a refusal the
 * table does not name is judged by its class, then by its message (see ghasedakRefusal).
 */
const GHASEDAK_STATUS_KINDS: Readonly<Record<number, RefusalKind>> = {
  401: 'credentials',
  402: 'credit',
  403: 'credentials',
  418: 'credit',
  429: 'retry',
};

/** CheckSmsStatus `status` (ghasedak.me/docs): 0 none yet, 7 under investigation and 8 unknown say nothing. */
const GHASEDAK_DELIVERY_STATES: Readonly<Record<number, DeliveryState | null>> = {
  0: null,
  1: 'failed', // cancelled
  2: 'failed', // blacklist
  3: 'sent', // handed to the operator
  4: 'failed', // did not reach the phone
  5: 'delivered', // reached the phone
  6: 'failed', // sending failed
  7: null,
  8: null,
};

/** A refusal the table does not name: credit and key words mean the account, receptor words a bad number. */
function ghasedakRefusal(statusCode: number, message: string): RefusalKind {
  const known = GHASEDAK_STATUS_KINDS[statusCode];
  if (known) return known;
  if (/اعتبار|موجودی|credit/i.test(message)) return 'credit';
  if (/apikey|api key|کلید/i.test(message)) return 'credentials';
  if (/لیست سیاه|blacklist/i.test(message)) return 'blocked';
  if (statusCode >= 400 && statusCode < 500 && /گیرنده|receptor|mobile|موبایل/i.test(message)) return 'bad-number';
  return refusalForHttpStatus(statusCode);
}

const NO_WEBHOOKS = 'Ghasedak calls no webhooks: Hami fetches its replies and delivery reports';

/** Reads a field whichever way the reply capitalises it. */
function field(object: Record<string, unknown> | null | undefined, name: string): unknown {
  if (!object) return undefined;
  return object[name] ?? object[name.charAt(0).toUpperCase() + name.slice(1)];
}

/** Adapter for Ghasedak's REST API (WebService). */
export function createGhasedakProvider(options: GhasedakOptions): SmsProvider {
  const base = `${(options.baseUrl ?? 'https://gateway.ghasedak.me').replace(/\/+$/, '')}/rest/api/v1/WebService`;

  function dataOf(response: GatewayResponse): unknown {
    const json = jsonObject(response.body);
    const ok = field(json, 'isSuccess');
    const code = field(json, 'statusCode');
    const text = field(json, 'message');
    if (ok === true && response.status < 300) return field(json, 'data');
    if (typeof code !== 'number') {
      throw refusalError(
        refusalForHttpStatus(response.status),
        `Ghasedak answered HTTP ${response.status}${response.body ? `: ${excerpt(response.body)}` : ''}`,
        `HTTP ${response.status}`,
        response,
        options,
      );
    }
    const message = typeof text === 'string' ? text : '';
    throw refusalError(
      ghasedakRefusal(code, message),
      `Ghasedak refused with ${code}${message ? ` ${excerpt(message)}` : ''}`,
      String(code),
      response,
      options,
    );
  }

  const { post, get } = jsonApi('Ghasedak', base, { apikey: options.apiKey, accept: 'application/json' }, options);

  return {
    name: 'ghasedak',
    async send(message) {
      const receptor = toIranianMobile('Ghasedak', message.to);
      if (message.template) {
        const data = dataOf(
          await post('/SendOtpSMS', {
            receptors: [{ mobile: receptor, clientReferenceId: message.reference }],
            templateName: message.template.id,
            inputs: message.template.params.map(({ name, value }) => ({ param: name, value })),
            udh: false,
          }),
        ) as Record<string, unknown> | null;
        const items = field(data, 'items');
        const id = Array.isArray(items) ? field(items[0] as Record<string, unknown>, 'messageId') : undefined;
        return { providerMessageId: typeof id === 'string' || typeof id === 'number' ? String(id) : null };
      }
      const data = dataOf(
        await post('/SendSingleSMS', {
          message: message.text,
          receptor,
          lineNumber: options.lineNumber,
          clientReferenceId: message.reference,
        }),
      ) as Record<string, unknown> | null;
      const id = field(data, 'messageId');
      return { providerMessageId: typeof id === 'string' || typeof id === 'number' ? String(id) : null };
    },
    async fetchDeliveryReports(ids) {
      if (ids.length === 0) return [];
      const data = dataOf(await get(`/CheckSmsStatus?${new URLSearchParams({ Ids: ids.join(','), Type: '1' })}`));
      if (!Array.isArray(data)) return [];
      const reports: DeliveryReport[] = [];
      for (const item of data as Array<Record<string, unknown>>) {
        const id = field(item, 'messageId');
        const code = field(item, 'status');
        const state = typeof code === 'number' ? GHASEDAK_DELIVERY_STATES[code] : null;
        if (state && (typeof id === 'string' || typeof id === 'number'))
          reports.push({ providerMessageId: String(id), state, detail: `status ${String(code)}` });
      }
      return reports;
    },
    async fetchInbound(cursor) {
      const data = dataOf(
        await get(`/GetReceivedSmses?${new URLSearchParams({ LineNumber: options.lineNumber, IsRead: 'false' })}`),
      ) as Record<string, unknown> | null;
      const items = field(data, 'items');
      const texts = (Array.isArray(items) ? (items as Array<Record<string, unknown>>) : []).map((item) => ({
        id: Number(field(item, 'id')),
        from: panelSender(field(item, 'sender')),
        text: field(item, 'message'),
      }));
      return afterCursor(texts, cursor);
    },
    parseDeliveryReports() {
      throw new SmsWebhookError(NO_WEBHOOKS);
    },
    parseInbound() {
      throw new SmsWebhookError(NO_WEBHOOKS);
    },
  };
}
