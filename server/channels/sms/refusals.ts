import { temporaryFromResponse, type GatewayHttpOptions, type GatewayResponse } from './http.js';
import { SmsAccountError, SmsPermanentError, SmsTemporaryError, type InboundBatch, type SmsAccountProblem } from './provider.js';

/**
 * What a gateway's refusal means for us, shared by the adapters of the Iranian panels (SMS.ir, Ghasedak,
 * Melipayamak). Each adapter keeps its codes in an exported table of these kinds.
 *
 * - an account problem (SmsAccountProblem: credit, credentials, sender, account): nothing is wrong with the message
 *   or the number, and it gets better once someone fixes the account (a template the panel lacks counts here too):
 *   SmsAccountError, which holds the SMS queue and alerts the admins (delivery/channel-hold.ts), never a failure.
 * - retry: the gateway is busy, rate-limited or broken for now.
 * - bad-number: the number itself cannot take texts: permanent, and the number is suppressed.
 * - blocked: the number is on the operators' blacklist for advertising texts: permanent for free text (a template
 *   send on a service line still reaches it), the number is not suppressed.
 * - refused: this message will never be taken (bad text, a word filtered): permanent.
 */
export type RefusalKind = SmsAccountProblem | 'retry' | 'bad-number' | 'blocked' | 'refused';

/** The error for a refusal of `kind`; `what` already names the gateway and `code` is its own code. */
export function refusalError(
  kind: RefusalKind,
  what: string,
  code: string,
  response?: GatewayResponse,
  options: GatewayHttpOptions = {},
): Error {
  switch (kind) {
    case 'credit':
    case 'credentials':
    case 'sender':
    case 'account':
      return new SmsAccountError(`${what} (an account problem: fix it in the gateway's panel; the text is retried)`, kind, code);
    case 'retry':
      return response ? temporaryFromResponse(what, response, options) : new SmsTemporaryError(what);
    case 'bad-number':
      return new SmsPermanentError(what, true);
    case 'blocked':
      return new SmsPermanentError(`${what} (on the operators' blacklist for advertising texts: a template send reaches it)`);
    case 'refused':
      return new SmsPermanentError(what);
  }
}

/** An HTTP status without a readable gateway code: 401/403 are the account, 5xx/408/429 retried, other 4xx refused. */
export function refusalForHttpStatus(status: number): RefusalKind {
  if (status === 401 || status === 403) return 'credentials';
  if (status >= 500 || status === 408 || status === 429) return 'retry';
  if (status >= 400) return 'refused';
  // A 1xx/3xx (fetch follows redirects) or an unreadable 2xx: the gateway misbehaving; try again later.
  return 'retry';
}

/**
 * An Iranian mobile as the panels' docs write it, 09xxxxxxxxx. The panels send within Iran only: another country's
 * number is refused for this gateway (not suppressed: another channel or gateway may still reach it).
 */
export function toIranianMobile(gateway: string, e164: string): string {
  const match = e164.trim().match(/^\+98(9\d{9})$/);
  if (!match?.[1]) throw new SmsPermanentError(`${gateway} sends to Iranian mobiles only (+989…), not "${e164}"`);
  return `0${match[1]}`;
}

/** A sender as a panel reports it (9121234567, 989121234567, 09121234567) in a form handleInboundSms reads. */
export function panelSender(raw: unknown): string {
  const text = String(raw ?? '').trim();
  return /^9\d{9}$/.test(text) ? `0${text}` : text;
}

/**
 * Inbox texts with increasing numeric ids, after `cursor`: the ones above it, oldest first, and the new mark. The
 * first call (cursor null) only sets the mark: texts already in the inbox came before Hami asked anything.
 */
export function afterCursor(items: ReadonlyArray<{ id: number; from: string; text: unknown }>, cursor: string | null): InboundBatch {
  const valid = items.filter(
    (item): item is { id: number; from: string; text: string } => Number.isSafeInteger(item.id) && typeof item.text === 'string',
  );
  const mark = cursor === null ? null : Number(cursor);
  const highest = valid.reduce((max, item) => Math.max(max, item.id), mark ?? 0);
  const fresh = mark === null ? [] : valid.filter((item) => item.id > mark).sort((a, b) => a.id - b.id);
  return { replies: fresh.map(({ from, text }) => ({ from, text })), cursor: String(highest) };
}
