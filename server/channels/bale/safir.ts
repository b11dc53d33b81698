import { SmsTemporaryError } from '../sms/provider.js';
import { callGateway, excerpt, jsonObject, temporaryFromResponse, type GatewayHttpOptions } from '../sms/http.js';
import { BalePermanentError, type BaleChannel } from './channel.js';

/*
 * Bale's business messaging, Safir (docs.bale.ai/safir), and the Bot API of the same bot (docs.bale.ai).
 *
 * Send (docs.bale.ai/safir, "سرویس ارسال پیام"): POST https://safir.bale.ai/api/v3/send_message, JSON, header
 * `api-access-key`, body { request_id?, bot_id (integer), phone_number ("98…", no + or other characters),
 * message_data: { message: { text, … } } }; reply { message_id, error_data: null | [{ phone_number, code,
 * description }] }. request_id makes a repeated request not send twice.
 *
 * Assumed, not on Bale's page: that message_data.message takes the Bot API's `reply_markup` (an inline keyboard) —
 * as a public Laravel integration sends it (BaleGateway::sendToPhone) and the Safir PHP SDK's "inline-button
 * messages" (ReplyMarkup, InlineKeyboardButton) describe — and that a tap on such a button reaches the same bot's
 * webhook as a Bot API callback_query. The error codes below are those that integration maps
 * (BaleGateway::safirErrorMessage): 2 internal error, 3 rate limit, 4 bad request, 8 invalid phone number,
 * 17 the number has no active Bale account, 20 not enough credit, 21 the bot's contact limit reached.
 *
 * Transient trouble (5xx, 408, 429, timeouts, codes 2 and 3) and account trouble (401/403 bad key, 20 credit, 21
 * limit) are SmsTemporaryError — the job is retried and the worker logs each failure for the admins — because the
 * operator fixes those, not the customer; only what is about this number is permanent for the Bale channel.
 */

const TEMPORARY_CODES = new Set([2, 3]);
const ACCOUNT_CODES = new Map([
  [20, 'not enough Safir credit: top up in the Bale business panel'],
  [21, "the bot's contact limit is reached: raise it in the Bale business panel"],
]);
const BAD_NUMBER_CODES = new Set([8]);

interface SafirOptions extends GatewayHttpOptions {
  apiAccessKey: string;
  botId: number;
  botToken: string;
  /** Defaults to https://safir.bale.ai */
  safirUrl?: string;
  /** Defaults to https://tapi.bale.ai */
  botApiUrl?: string;
}

/** E.164 to Safir's phone_number: "98" and the national number, nothing else. Only Iranian numbers are on Safir. */
export function toSafirPhone(e164: string): string {
  const match = /^\+(98\d{10})$/.exec(e164.trim());
  if (!match)
    throw new BalePermanentError(
      `${e164.startsWith('+98') ? 'not a valid Iranian mobile number' : 'Safir sends only to Iranian (+98) numbers'}`,
      false,
    );
  return match[1]!;
}

interface SafirError {
  code: number | null;
  description: string;
}

function firstError(json: Record<string, unknown> | null): SafirError | null {
  const list = json?.error_data;
  const first = Array.isArray(list) ? (list[0] as Record<string, unknown> | undefined) : null;
  if (!first) return null;
  const code = Number(first.code);
  return { code: Number.isInteger(code) ? code : null, description: typeof first.description === 'string' ? first.description : '' };
}

export function createSafirChannel(options: SafirOptions): BaleChannel {
  const safir = (options.safirUrl ?? 'https://safir.bale.ai').replace(/\/+$/, '');
  const botApi = `${(options.botApiUrl ?? 'https://tapi.bale.ai').replace(/\/+$/, '')}/bot${options.botToken}`;

  /** A Bot API call; its reply is { ok, result } or { ok: false, error_code, description } (docs.bale.ai). */
  async function callBot(method: string, body: Record<string, unknown>): Promise<void> {
    // 'Bale bot API' names the gateway in errors: the URL carries the bot token and is never shown.
    const response = await callGateway(
      'Bale bot API',
      `${botApi}/${method}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      },
      options,
    );
    const json = jsonObject(response.body);
    if (response.status >= 200 && response.status < 300 && json?.ok === true) return;
    const what = `Bale bot API ${method} answered ${response.status}${json?.description ? `: ${excerpt(String(json.description))}` : ''}`;
    if (response.status === 401 || response.status === 404) throw new SmsTemporaryError(`${what} (check BALE_BOT_TOKEN)`);
    throw temporaryFromResponse(what, response, options);
  }

  return {
    name: 'safir',
    describe: `Bale (Safir) bot ${options.botId}`,
    async send(message) {
      const phone = toSafirPhone(message.to);
      const response = await callGateway(
        'Bale Safir',
        `${safir}/api/v3/send_message`,
        {
          method: 'POST',
          headers: { 'api-access-key': options.apiAccessKey, 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({
            request_id: message.reference,
            bot_id: options.botId,
            phone_number: phone,
            message_data: { message: { text: message.text, ...(message.keyboard ? { reply_markup: message.keyboard } : {}) } },
          }),
        },
        options,
      );
      const json = jsonObject(response.body);
      const error = firstError(json);
      const { status } = response;
      if (status >= 200 && status < 300 && !error) {
        const id = json?.message_id;
        return { providerMessageId: typeof id === 'string' || typeof id === 'number' ? String(id) : null };
      }
      const what = `Bale Safir answered ${status}${error ? ` with code ${error.code ?? '?'}${error.description ? ` ${excerpt(error.description)}` : ''}` : response.body ? `: ${excerpt(response.body)}` : ''}`;
      if (status === 401 || status === 403)
        throw new SmsTemporaryError(`${what}: the API access key was refused (check BALE_API_ACCESS_KEY)`);
      const account = error?.code != null ? ACCOUNT_CODES.get(error.code) : undefined;
      if (account) throw new SmsTemporaryError(`${what}: ${account}`);
      if (status >= 500 || status === 408 || status === 429 || (error?.code != null && TEMPORARY_CODES.has(error.code))) {
        throw temporaryFromResponse(what, response, options);
      }
      if (status >= 400 || error) throw new BalePermanentError(what, error?.code != null && BAD_NUMBER_CODES.has(error.code));
      throw temporaryFromResponse(what, response, options);
    },
    answerCallback: (callbackQueryId, text) => callBot('answerCallbackQuery', { callback_query_id: callbackQueryId, text }),
    reply: (chatId, text) => callBot('sendMessage', { chat_id: chatId, text }),
  };
}
