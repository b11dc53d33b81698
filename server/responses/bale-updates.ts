import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parseAnswer } from '../../shared/answers.js';
import { parseCallbackData } from '../../shared/bale.js';
import { localDigits, messagesFor } from '../../shared/customer-messages.js';
import type { Locale } from '../../shared/locale.js';
import { isOptOutReply } from '../../shared/sms-opt-out.js';
import type { AppDeps } from '../deps.js';
import { suppress } from '../delivery/store.js';
import { loadLink } from '../survey-page/load-invitation.js';
import { SCANNER_WINDOW_MS } from './one-tap.js';
import { recordAnswer } from './record-answer.js';

/*
 * Updates from the Bale bot that sent the surveys (Bot API Update, docs.bale.ai — Telegram's shape): a tap on a
 * survey button (callback_query, its data ours: shared/bale.ts) or a text typed to the bot (message). Only the
 * fields read here are checked; Bale may add others.
 */
const chatId = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d{1,20}$/)
    .transform(Number),
]);
export const baleUpdateSchema = z.object({
  update_id: z.number().int(),
  message: z.object({ chat: z.object({ id: chatId }), text: z.string().max(4096).optional() }).optional(),
  callback_query: z
    .object({
      id: z.union([z.string().min(1).max(200), z.number().transform(String)]),
      from: z.object({ id: chatId }),
      message: z.object({ chat: z.object({ id: chatId }) }).optional(),
      data: z.string().max(64).optional(),
    })
    .optional(),
});
type BaleUpdate = z.infer<typeof baleUpdateSchema>;
type CallbackQuery = NonNullable<BaleUpdate['callback_query']>;
type Message = NonNullable<BaleUpdate['message']>;

type BaleUpdateOutcome = 'answer' | 'opt_out' | 'closed' | 'unknown_link' | 'unmatched' | 'ignored';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'surveys' | 'bale' | 'log'>;

/** Acts on one update; the notice or reply to the customer is best effort (the answer or opt-out is already kept). */
export async function handleBaleUpdate(deps: Deps, update: BaleUpdate): Promise<BaleUpdateOutcome> {
  if (update.callback_query) return handleButton(deps, update.callback_query);
  if (update.message?.text !== undefined) return handleText(deps, update.message, update.message.text);
  return 'ignored';
}

/**
 * A tap on a survey button. The answer goes the one-tap way (server/responses/one-tap.ts) minus the scanner rule —
 * Bale sends a callback only for a person's tap, never for a link preview — so a second, different tap is a
 * change of mind: the latest counts. Its consequences (case, alerts, webhooks) still wait out SCANNER_WINDOW_MS,
 * so a mis-tap corrected at once opens no callback case.
 */
async function handleButton(deps: Deps, query: CallbackQuery): Promise<BaleUpdateOutcome> {
  const now = deps.clock.now();
  const callback = query.data ? parseCallbackData(query.data) : null;
  if (!callback) {
    await notify(deps, query.id, '');
    return 'ignored';
  }
  const link = await loadLink(deps, callback.token);
  // Only a link sent by Bale is answered by Bale's buttons.
  if (link.kind === 'unknown' || link.invitation.channel !== 'bale' || !link.invitation.address) {
    await notify(deps, query.id, messagesFor('fa').notFoundTitle);
    return 'unknown_link';
  }
  const { invitation, survey, locale } = link;
  const m = messagesFor(locale);
  const phone = invitation.address!;
  await rememberChat(deps, String(query.message?.chat.id ?? query.from.id), phone, now);
  if (callback.kind === 'opt_out') {
    await suppress(deps.db, 'bale', phone, 'opted_out', now);
    deps.log.info('Bale opt-out', { invitation: invitation.id });
    await notify(deps, query.id, m.baleOptedOut);
    return 'opt_out';
  }
  if (link.kind === 'closed') {
    await notify(deps, query.id, m.expiredTitle);
    return 'closed';
  }
  const question = survey.questions.find((q) => q.id === survey.oneTap)!;
  const parsed = parseAnswer(question, callback.value);
  if (parsed.value === undefined) {
    await notify(deps, query.id, m.invalidChoice);
    return 'ignored';
  }
  await recordAnswer(deps.db, {
    invitation,
    survey,
    answers: { [question.id]: parsed.value },
    source: 'bale',
    now,
    settleAt: new Date(now.getTime() + SCANNER_WINDOW_MS),
  });
  const shown =
    typeof parsed.value === 'number' ? m.savedScore(localDigits(parsed.value, locale)) : m.savedChoice(parsed.value ? m.yes : m.no);
  await notify(deps, query.id, shown);
  return 'answer';
}

/**
 * A text typed to the bot: an opt-out word ("لغو", "stop"… as for SMS) stops Bale surveys to the number whose
 * chat this is — known once its owner has tapped a survey button. Other texts are not read.
 */
async function handleText(deps: Deps, message: Message, text: string): Promise<BaleUpdateOutcome> {
  if (!isOptOutReply(text)) return 'unmatched';
  const now = deps.clock.now();
  const locale: Locale = /[\u0600-\u06ff]/.test(text) ? 'fa' : 'en';
  const chat = await deps.db.selectFrom('bale_chats').select('phone').where('chat_id', '=', String(message.chat.id)).executeTakeFirst();
  if (!chat) {
    await reply(deps, message.chat.id, messagesFor(locale).baleStopUnknown);
    return 'unmatched';
  }
  await suppress(deps.db, 'bale', chat.phone, 'opted_out', now);
  await deps.db
    .insertInto('inbound_messages')
    .values({
      id: randomUUID(),
      channel: 'bale',
      address: chat.phone,
      text: text.slice(0, 2000),
      received_at: now.toISOString(),
      invitation_id: null,
      outcome: 'opt_out',
    })
    .execute();
  deps.log.info('Bale opt-out', { by: 'text' });
  await reply(deps, message.chat.id, messagesFor(locale).baleOptedOut);
  return 'opt_out';
}

async function rememberChat(deps: Deps, chat: string, phone: string, now: Date): Promise<void> {
  await deps.db
    .insertInto('bale_chats')
    .values({ chat_id: chat, phone, updated_at: now.toISOString() })
    .onConflict((oc) => oc.column('chat_id').doUpdateSet({ phone, updated_at: now.toISOString() }))
    .execute();
}

// Answered at once, not queued: Bale shows a spinner on the button until the callback is answered, and a queued
// notice would come too late to be worth anything. A failure is logged and nothing more.
async function notify(deps: Deps, callbackQueryId: string, text: string): Promise<void> {
  try {
    await deps.bale.answerCallback(callbackQueryId, text);
  } catch (error) {
    deps.log.warn('Bale: could not answer a button tap', { error: (error as Error).message });
  }
}

async function reply(deps: Deps, chat: number, text: string): Promise<void> {
  try {
    await deps.bale.reply(chat, text);
  } catch (error) {
    deps.log.warn('Bale: could not reply', { error: (error as Error).message });
  }
}
