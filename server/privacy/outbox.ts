import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { smsOutboxFile } from '../channels/sms/outbox.js';

/*
 * The dev outbox (no SMTP_URL / no SMS_PROVIDER) keeps every message as a file under <data>/outbox: survey emails,
 * reminders, outcome messages and staff alerts as .eml, SMS as lines of sms.jsonl. An erasure removes the ones that
 * name the customer, found by the ids of their rows (their invitations, cases, responses and segment messages:
 * in file names, Message-IDs, SMS references and case links) and by their addresses and name, so the folder does
 * not keep what the database no longer does.
 */

/** What names the customer in a message: ids of their rows, their addresses and name. */
export interface OutboxTraces {
  ids: readonly string[];
  texts: readonly string[];
}

/** The text of an .eml as a search sees it: raw, plus quoted-printable and base64 parts decoded (nodemailer uses both). */
function searchableMail(raw: string): string {
  const quotedPrintable = Buffer.from(
    raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
  const base64 = (raw.match(/(?:^[A-Za-z0-9+/]{8,}={0,2}\r?\n)+/gm) ?? []).map((block) =>
    Buffer.from(block.replace(/\s+/g, ''), 'base64').toString('utf8'),
  );
  return [raw, quotedPrintable, ...base64].join('\n');
}

function names(text: string, traces: OutboxTraces): boolean {
  // Texts shorter than 3 characters ("ok", a score) would match unrelated messages.
  return traces.ids.some((id) => text.includes(id)) || traces.texts.some((t) => t.trim().length >= 3 && text.includes(t));
}

/** Removes the outbox's .eml files and sms.jsonl lines that name the customer; returns how many messages went. */
export function scrubOutbox(outboxDir: string, traces: OutboxTraces): number {
  if (!existsSync(outboxDir)) return 0;
  let removed = 0;
  for (const file of readdirSync(outboxDir)) {
    if (!file.endsWith('.eml')) continue;
    const full = path.join(outboxDir, file);
    if (names(file, traces) || names(searchableMail(readFileSync(full, 'latin1')), traces)) {
      rmSync(full, { force: true });
      removed++;
    }
  }
  const sms = smsOutboxFile(outboxDir);
  if (existsSync(sms)) {
    const lines = readFileSync(sms, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    // Each line is JSON: texts are searched as written there and, for escaped ones (quotes, newlines), as they read.
    const kept = lines.filter((line) => !names(line, traces) && !namesParsed(line, traces));
    if (kept.length !== lines.length) {
      // A new file then a rename: a reader never sees half a file.
      writeFileSync(`${sms}.tmp`, kept.map((line) => `${line}\n`).join(''), 'utf8');
      renameSync(`${sms}.tmp`, sms);
      removed += lines.length - kept.length;
    }
  }
  return removed;
}

function namesParsed(line: string, traces: OutboxTraces): boolean {
  const entry = JSON.parse(line) as { to?: unknown; text?: unknown; reference?: unknown };
  return [entry.to, entry.text, entry.reference].some((value) => typeof value === 'string' && names(value, traces));
}
