/**
 * The one small interface every SMS gateway adapter implements (Kavenegar, Twilio, the generic JSON webhook,
 * and the dev outbox). Adapters translate; the rules (retry, fallback, suppression) live in delivery/.
 */
export interface SmsMessage {
  /** E.164, e.g. +989121234567 */
  to: string;
  text: string;
  /** Our invitation id: sent to gateways that echo it back in delivery reports. */
  reference: string;
  /**
   * A template ("pattern") the gateway keeps, sent instead of `text` by gateways that have a template API. Template
   * sends go out on service lines, which reach numbers on the operators' advertising blacklist; `text` stays the
   * fallback for gateways without one (and what the dev outbox shows).
   */
  template?: SmsTemplateSend;
}

/** A template id as the gateway's panel names it, and its parameters by name (in order, for positional ones). */
export interface SmsTemplateSend {
  id: string;
  params: Array<{ name: string; value: string }>;
}

export interface SmsSent {
  /** The gateway's id for the message, to match its delivery reports; null if it gives none. */
  providerMessageId: string | null;
}

/** The gateway could not take the message now (5xx, timeout, network, rate limit): retry later. */
export class SmsTemporaryError extends Error {
  override name = 'SmsTemporaryError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** What an account-level refusal is about, so the alert can say what to fix. */
export type SmsAccountProblem = 'credit' | 'credentials' | 'sender' | 'account';

/**
 * The gateway refused because of our account, not the message or the number: no credit left, a wrong or revoked
 * API key, a sender line the account may not use, an account disabled or suspended. Every message would be refused
 * the same way until the operator fixes the account, and then every one would go through: so it is temporary for
 * the message (never a reason to fail an invitation or suppress a number) and holds the whole SMS queue, with one
 * alert to the admins, until a later attempt succeeds (server/delivery/channel-hold.ts). Code that knows nothing
 * of holds still treats it as a temporary error and retries.
 */
export class SmsAccountError extends SmsTemporaryError {
  override name = 'SmsAccountError';
  constructor(
    message: string,
    readonly problem: SmsAccountProblem,
    /** The gateway's own code (Kavenegar 418, Twilio 20003 …), for the alert and the log. */
    readonly code: string,
  ) {
    super(message);
  }
}

/** The gateway refused the message for good (bad number, blocked, bad credentials): do not retry. */
export class SmsPermanentError extends Error {
  override name = 'SmsPermanentError';
  constructor(
    message: string,
    readonly suppressNumber = false,
  ) {
    super(message);
  }
}

export type DeliveryState = 'sent' | 'delivered' | 'failed';

/** A delivery report, matched to an invitation by the gateway's message id or by our reference. */
export interface DeliveryReport {
  providerMessageId?: string;
  reference?: string;
  state: DeliveryState;
  /** The gateway's own status word or code, kept for the record. */
  detail: string;
}

/** A text a customer sent to our number. */
export interface InboundSms {
  /** The sender as the gateway wrote it (`0912…`, `98912…`, `+98…`); handleInboundSms reads it as E.164. */
  from: string;
  text: string;
}

/** Texts fetched from a gateway, and the mark to fetch after next time. */
export interface InboundBatch {
  replies: InboundSms[];
  cursor: string | null;
}

/** What a webhook request looks like to an adapter: already read, so adapters stay free of HTTP frameworks. */
export interface WebhookRequest {
  method: string;
  /** The full public URL the gateway called (Twilio signs it). */
  url: string;
  headers: Record<string, string>;
  /** Parsed body: form fields or JSON object; query parameters are merged in for GET callbacks. */
  fields: Record<string, string>;
  /**
   * A form body's name=value pairs as sent, in order and with repeated names kept (`fields` keeps a repeated name's
   * last value only). Absent for JSON bodies and GET callbacks. Twilio signs every pair.
   */
  formPairs?: ReadonlyArray<readonly [string, string]>;
}

/** The gateways Hami has adapters for, and the dev outbox. */
export type SmsGatewayName = 'kavenegar' | 'twilio' | 'http' | 'smsir' | 'ghasedak' | 'melipayamak';

export interface SmsProvider {
  readonly name: SmsGatewayName | 'outbox';
  send(message: SmsMessage): Promise<SmsSent>;
  /**
   * Gateways that do not call webhooks (SMS.ir, Ghasedak, Melipayamak) are asked instead for the texts received
   * after `cursor` (the one the previous call returned; null on the very first call, which only sets the mark so
   * old inbox texts are not read as answers). The cursor is kept by the caller (in the poll job's payload).
   */
  fetchInbound?(cursor: string | null): Promise<InboundBatch>;
  /** The same gateways: the delivery state of messages we sent, by the gateway's message ids. */
  fetchDeliveryReports?(providerMessageIds: readonly string[]): Promise<DeliveryReport[]>;
  /** Reads a delivery-report webhook; throws SmsWebhookError when it is not authentic or not understood. */
  parseDeliveryReports(request: WebhookRequest): DeliveryReport[];
  /** Reads an inbound-message webhook; throws SmsWebhookError when it is not authentic or not understood. */
  parseInbound(request: WebhookRequest): InboundSms;
}

export class SmsWebhookError extends Error {
  override name = 'SmsWebhookError';
  constructor(
    message: string,
    readonly status: 400 | 401 | 403 = 400,
  ) {
    super(message);
  }
}
