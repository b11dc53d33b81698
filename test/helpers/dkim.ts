import { createHash, verify, type KeyObject } from 'node:crypto';

/**
 * A DKIM-Signature check written from RFC 6376 alone (relaxed/relaxed, rsa-sha256), kept apart from nodemailer's
 * signer so a mistake in one is not copied into the other. The public key is given, as DNS would publish it.
 */

interface DkimResult {
  /** The signature's tags (d, s, h, bh, b, …). */
  tags: Record<string, string>;
  /** h= as lower-case header names, in order. */
  signedHeaders: string[];
  bodyHashMatches: boolean;
  signatureValid: boolean;
}

interface HeaderField {
  name: string;
  /** The whole field as sent, folding included, without the final CRLF. */
  raw: string;
}

function headerFields(head: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const line of head.split('\r\n')) {
    if (/^[ \t]/.test(line) && fields.length) fields[fields.length - 1]!.raw += `\r\n${line}`;
    else fields.push({ name: line.slice(0, line.indexOf(':')).trim().toLowerCase(), raw: line });
  }
  return fields;
}

/** RFC 6376 §3.4.2: lower-case name, unfolded, runs of WSP as one SP, no WSP around the colon or at the end. */
function relaxedHeader(field: HeaderField): string {
  const colon = field.raw.indexOf(':');
  const value = field.raw
    .slice(colon + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${field.name}:${value}`;
}

/** RFC 6376 §3.4.4: runs of WSP as one SP, none at line ends, no empty lines at the end, a final CRLF unless empty. */
function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.length ? `${lines.join('\r\n')}\r\n` : '';
}

/** Checks the first DKIM-Signature of a raw message (CRLF line ends, as SMTP carries it) against `publicKey`. */
export function checkDkim(raw: Buffer, publicKey: KeyObject): DkimResult {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const head = text.slice(0, split);
  const body = text.slice(split + 4);
  const fields = headerFields(head);
  const signature = fields.find((f) => f.name === 'dkim-signature');
  if (!signature) throw new Error('no DKIM-Signature header');
  const tagText = signature.raw.slice(signature.raw.indexOf(':') + 1).replace(/\s+/g, '');
  const tags = Object.fromEntries(
    tagText
      .split(';')
      .filter(Boolean)
      .map((tag) => [tag.slice(0, tag.indexOf('=')), tag.slice(tag.indexOf('=') + 1)]),
  );
  if (tags.a !== 'rsa-sha256' || tags.c !== 'relaxed/relaxed') throw new Error(`unexpected a=${tags.a} c=${tags.c}`);
  const bodyHash = createHash('sha256').update(relaxedBody(body), 'latin1').digest('base64');
  const signedHeaders = (tags.h ?? '').split(':').map((name: string) => name.trim().toLowerCase());
  // Each name in h= takes the next instance of that header from the bottom up (§5.4.2).
  const used = new Set<HeaderField>();
  const lines: string[] = [];
  for (const name of signedHeaders) {
    const field = [...fields].reverse().find((f) => f.name === name && !used.has(f) && f !== signature);
    if (!field) continue;
    used.add(field);
    lines.push(`${relaxedHeader(field)}\r\n`);
  }
  // The signature header itself, with b= emptied and no final CRLF (§3.7).
  const unsigned = relaxedHeader({ name: 'dkim-signature', raw: signature.raw.replace(/([;:\s]b=)[^;]*/, '$1') });
  const data = Buffer.from(lines.join('') + unsigned, 'latin1');
  return {
    tags,
    signedHeaders,
    bodyHashMatches: bodyHash === tags.bh,
    signatureValid: verify('sha256', data, publicKey, Buffer.from(tags.b ?? '', 'base64')),
  };
}
