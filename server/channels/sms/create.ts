import type { Clock } from '../../clock.js';
import type { SmsConfig } from './config.js';
import { createHttpSmsProvider } from './http.js';
import { createGhasedakProvider } from './ghasedak.js';
import { createKavenegarProvider } from './kavenegar.js';
import { createMelipayamakProvider } from './melipayamak.js';
import { createSmsOutbox } from './outbox.js';
import type { SmsProvider } from './provider.js';
import { withRateLimit } from './rate-limit.js';
import { createSmsIrProvider } from './smsir.js';
import { createTwilioProvider } from './twilio.js';

interface CreateSmsProviderOptions {
  /** Defaults to the global fetch (looked up at call time). Tests pass theirs so msw can answer. */
  fetch?: typeof fetch;
  /** Where the dev outbox writes sms.jsonl when no provider is configured. */
  outboxDir: string;
  clock?: Clock;
  /** Gateway request deadline; defaults to 10 s. */
  timeoutMs?: number;
  /**
   * Public URL (with its secret) for delivery reports, for gateways that take it with each message (Twilio's
   * StatusCallback). Kavenegar's and the generic gateway's are set up on the gateway's side.
   */
  deliveryReportUrl?: string | null;
}

/** The provider the configuration names (the dev outbox when none), behind the per-provider rate limit. */
export function createSmsProvider(config: SmsConfig, options: CreateSmsProviderOptions): SmsProvider {
  const { clock } = options;
  const now = clock ? () => clock.now() : undefined;
  const http = { fetch: options.fetch, timeoutMs: options.timeoutMs, now };
  let provider: SmsProvider;
  switch (config.provider) {
    case null:
      provider = createSmsOutbox({ outboxDir: options.outboxDir, clock: options.clock });
      break;
    case 'kavenegar':
      provider = createKavenegarProvider({ ...http, ...config.kavenegar });
      break;
    case 'twilio':
      provider = createTwilioProvider({ ...http, ...config.twilio, statusCallbackUrl: options.deliveryReportUrl ?? null });
      break;
    case 'http':
      provider = createHttpSmsProvider({ ...http, ...config.http });
      break;
    case 'smsir':
      provider = createSmsIrProvider({ ...http, ...config.smsir });
      break;
    case 'ghasedak':
      provider = createGhasedakProvider({ ...http, ...config.ghasedak });
      break;
    case 'melipayamak':
      provider = createMelipayamakProvider({ ...http, ...config.melipayamak });
      break;
  }
  return withRateLimit(provider, { perSecond: config.ratePerSecond, clock: options.clock });
}

/** For the start-up banner: which gateway SMS goes to, without any credential. */
export function describeSmsConfig(config: SmsConfig, outboxDir: string): string {
  switch (config.provider) {
    case null:
      return `dev outbox ${outboxDir}/sms.jsonl (set SMS_PROVIDER to send real SMS)`;
    case 'kavenegar':
      return `Kavenegar${config.kavenegar.sender ? ` from ${config.kavenegar.sender}` : ''}, ${config.ratePerSecond}/s`;
    case 'twilio':
      return `Twilio ${config.twilio.messagingServiceSid ? `service ${config.twilio.messagingServiceSid}` : `from ${config.twilio.from}`}, ${config.ratePerSecond}/s`;
    case 'http':
      return `SMS gateway ${new URL(config.http.url).origin}, ${config.ratePerSecond}/s`;
    case 'smsir':
      return `SMS.ir from ${config.smsir.lineNumber}, ${config.ratePerSecond}/s`;
    case 'ghasedak':
      return `Ghasedak from ${config.ghasedak.lineNumber}, ${config.ratePerSecond}/s`;
    case 'melipayamak':
      return `Melipayamak from ${config.melipayamak.from}, ${config.ratePerSecond}/s`;
  }
}
