import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { DKIM_SIGNED_HEADERS, type DkimConfig } from './dkim.js';

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  /** Where the customer's reply goes (the care team), when not to the sender. */
  replyTo?: string;
  /** Stable per invitation, so a resend after a crash can be recognised as the same message. */
  messageId: string;
}

/** Where mail goes: a real SMTP server, or the dev outbox folder. */
export interface EmailTransport {
  kind: 'smtp' | 'outbox';
  /** For the start-up banner. */
  describe: string;
  send(mail: OutgoingEmail): Promise<{ savedTo?: string }>;
  close(): void;
}

/**
 * An SMTP reply in the 5xx range about this message or its recipient: the server refused for good (no such mailbox,
 * policy); retrying will not help. A 5xx to our login or our sender address (AUTH, MAIL FROM) is not: that is the
 * server's configuration (SMTP_URL credentials, MAIL_FROM), which the operator fixes, so those are retried like an
 * outage and never held against the customer's address.
 */
export function isPermanentSmtpError(error: unknown): boolean {
  const { responseCode: code, command } = (error ?? {}) as { responseCode?: unknown; command?: unknown };
  if (typeof command === 'string' && (command.startsWith('AUTH') || command === 'MAIL FROM')) return false;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** A 5xx to RCPT TO: the mailbox itself is refused (the bounce that suppresses the address). */
export function isRefusedRecipient(error: unknown): boolean {
  return isPermanentSmtpError(error) && (error as { command?: unknown }).command === 'RCPT TO';
}

/** A sender as nodemailer takes it: an object is encoded by it (RFC 2047), so a Persian name arrives intact. */
type Sender = string | { name: string; address: string };

/**
 * The From of every message: MAIL_FROM as written, or its address under the brand's sender name (HAMI_BRAND_SENDER,
 * else HAMI_BRAND_NAME), so customers see "Anar Shop <surveys@anar.example>" without a second address to configure.
 */
export function senderOf(mailFrom: string, senderName: string | null): Sender {
  if (!senderName) return mailFrom;
  const address = /<([^<>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  return { name: senderName, address };
}

export function createEmailTransport(options: {
  smtpUrl: string | null;
  from: Sender;
  outboxDir: string;
  dkim?: DkimConfig | null;
}): EmailTransport {
  const { from } = options;
  // Signed per message (nodemailer's message-level dkim), so the dev outbox's .eml files carry the same signature.
  const dkim = options.dkim ? { ...options.dkim, headerFieldNames: DKIM_SIGNED_HEADERS } : undefined;
  const signed = dkim ? `, DKIM-signed as ${options.dkim!.keySelector}._domainkey.${options.dkim!.domainName}` : '';
  if (options.smtpUrl) {
    const url = new URL(options.smtpUrl);
    // Pooled: a few kept-open connections carry every message instead of a new connection and greeting per email.
    // No requeueing inside the pool: a failed send fails at once and Hami's queue retries it (with its backoff).
    const pooled = new URL(url);
    if (!pooled.searchParams.has('pool')) pooled.searchParams.set('pool', 'true');
    if (!pooled.searchParams.has('maxRequeues')) pooled.searchParams.set('maxRequeues', '0');
    const transporter = nodemailer.createTransport(pooled.toString());
    return {
      kind: 'smtp',
      describe: `SMTP ${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}${signed}`,
      async send(mail) {
        await transporter.sendMail({ from, ...mail, dkim });
        return {};
      },
      close: () => transporter.close(),
    };
  }
  // Without SMTP_URL, nodemailer still builds the real MIME message; it is saved as an .eml file to open or inspect.
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'outbox',
    describe: `dev outbox ${path.resolve(options.outboxDir)} (set SMTP_URL to send real mail)${signed}`,
    async send(mail) {
      const info = await transporter.sendMail({ from, ...mail, dkim });
      mkdirSync(options.outboxDir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = path.join(options.outboxDir, `${stamp}-${mail.messageId.replace(/[^A-Za-z0-9.-]/g, '_')}.eml`);
      writeFileSync(file, info.message as Buffer);
      return { savedTo: file };
    },
    close: () => transporter.close(),
  };
}
