import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { smsSegments } from '../../../shared/sms.js';
import type { Clock } from '../../clock.js';
import { parseGenericDeliveryReport, parseGenericInbound } from './http.js';
import type { SmsProvider } from './provider.js';

/**
 * The dev outbox, used when SMS_PROVIDER is unset: nothing leaves the machine. Each message becomes one JSON line
 * in <outboxDir>/sms.jsonl (append-only, so it can be tailed and read back by the dashboard and tests).
 */

interface SmsOutboxOptions {
  /** The folder for sms.jsonl; created when the first message is written. */
  outboxDir: string;
  clock?: Clock;
}

/** One line of sms.jsonl. */
interface SmsOutboxEntry {
  at: string;
  to: string;
  text: string;
  reference: string;
  providerMessageId: string;
  encoding: 'gsm7' | 'ucs2';
  segments: number;
}

/** The file the outbox writes to. */
export function smsOutboxFile(outboxDir: string): string {
  return path.join(outboxDir, 'sms.jsonl');
}

export function createSmsOutbox(options: SmsOutboxOptions): SmsProvider {
  const file = smsOutboxFile(options.outboxDir);
  return {
    name: 'outbox',
    async send(message) {
      const providerMessageId = `outbox-${message.reference}`;
      const { encoding, segments } = smsSegments(message.text);
      const entry: SmsOutboxEntry = {
        at: (options.clock?.now() ?? new Date()).toISOString(),
        to: message.to,
        text: message.text,
        reference: message.reference,
        providerMessageId,
        encoding,
        segments,
      };
      await mkdir(options.outboxDir, { recursive: true });
      // JSON.stringify escapes newlines inside the text, so one message is always exactly one line.
      await appendFile(file, `${JSON.stringify(entry)}\n`, 'utf8');
      return { providerMessageId };
    },
    // Dev only: the generic JSON shapes, without authentication, so a developer can curl a report or a reply in.
    parseDeliveryReports: (request) => parseGenericDeliveryReport(request.fields),
    parseInbound: (request) => parseGenericInbound(request.fields),
  };
}
