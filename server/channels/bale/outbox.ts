import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../../clock.js';
import type { BaleChannel } from './channel.js';

/**
 * The dev outbox, used when BALE_* are unset: nothing leaves the machine. Each message, button notice and reply is
 * one JSON line in <outboxDir>/bale.jsonl.
 */
function baleOutboxFile(outboxDir: string): string {
  return path.join(outboxDir, 'bale.jsonl');
}

export function createBaleOutbox(options: { outboxDir: string; clock?: Clock }): BaleChannel {
  const file = baleOutboxFile(options.outboxDir);
  const write = async (entry: Record<string, unknown>) => {
    await mkdir(options.outboxDir, { recursive: true });
    await appendFile(file, `${JSON.stringify({ at: (options.clock?.now() ?? new Date()).toISOString(), ...entry })}\n`, 'utf8');
  };
  return {
    name: 'outbox',
    describe: `dev outbox ${file} (set BALE_API_ACCESS_KEY, BALE_BOT_ID and BALE_BOT_TOKEN to send by Bale)`,
    async send(message) {
      await write({ kind: 'message', ...message });
      return { providerMessageId: `outbox-${message.reference}` };
    },
    answerCallback: (callbackQueryId, text) => write({ kind: 'callback_answer', callbackQueryId, text }),
    reply: (chatId, text) => write({ kind: 'reply', chatId, text }),
  };
}
