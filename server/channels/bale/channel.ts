import type { InlineKeyboard } from '../../../shared/bale.js';

/**
 * The small interface the Bale channel offers the rest of the server: Safir (server/channels/bale/safir.ts) or the
 * dev outbox (outbox.ts). Adapters translate; the rules (retry, fallback, opt-out) live in delivery/ and responses/.
 */
export interface BaleMessage {
  /** E.164, e.g. +989121234567 */
  to: string;
  text: string;
  /** The one-tap buttons; null sends the text alone. */
  keyboard: InlineKeyboard | null;
  /** Our invitation id: Safir's request_id, so a repeated send after a lost reply is not delivered twice. */
  reference: string;
}

export interface BaleChannel {
  name: 'safir' | 'outbox';
  /** For the start-up banner, without any credential. */
  describe: string;
  send(message: BaleMessage): Promise<{ providerMessageId: string | null }>;
  /** The short notice shown to whoever tapped a button (Bot API answerCallbackQuery). */
  answerCallback(callbackQueryId: string, text: string): Promise<void>;
  /** A message to a chat that wrote to the bot (Bot API sendMessage). */
  reply(chatId: number, text: string): Promise<void>;
}

/**
 * Bale refused the message for good for this number (not on Bale, invalid number, refused request): the
 * invitation falls back to the survey's next channel. `suppressNumber`: the number itself is no phone Bale takes.
 */
export class BalePermanentError extends Error {
  override name = 'BalePermanentError';
  constructor(
    message: string,
    readonly suppressNumber = false,
  ) {
    super(message);
  }
}
