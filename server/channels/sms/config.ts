import { z } from 'zod';
import { ConfigError } from '../../config.js';

/**
 * SMS settings from the environment (SMS_PROVIDER and SMS_*; see DESIGN.md). Unset SMS_PROVIDER means the dev
 * outbox. A named provider without its credentials stops start-up with a one-line message naming the variable;
 * keys and tokens are never echoed.
 */

type SmsProviderName = 'kavenegar' | 'twilio' | 'http' | 'smsir' | 'ghasedak' | 'melipayamak';

export interface KavenegarCredentials {
  apiKey: string;
  /** The sending line; null uses the account's default line. */
  sender: string | null;
}

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
  /** E.164; null when a Messaging Service picks the sender. */
  from: string | null;
  messagingServiceSid: string | null;
}

export interface HttpGatewayCredentials {
  url: string;
  token: string;
}

export interface SmsIrCredentials {
  apiKey: string;
  /** The line free text goes out on (digits). */
  lineNumber: string;
}

export interface GhasedakCredentials {
  apiKey: string;
  /** The line texts go out on and replies arrive at (digits). */
  lineNumber: string;
}

export interface MelipayamakCredentials {
  username: string;
  password: string;
  /** The line free text goes out on (digits). */
  from: string;
}

/** Exactly one provider's credentials are present, matching `provider`. */
export type SmsConfig =
  | { provider: null; ratePerSecond: number }
  | { provider: 'kavenegar'; ratePerSecond: number; kavenegar: KavenegarCredentials }
  | { provider: 'twilio'; ratePerSecond: number; twilio: TwilioCredentials }
  | { provider: 'http'; ratePerSecond: number; http: HttpGatewayCredentials }
  | { provider: 'smsir'; ratePerSecond: number; smsir: SmsIrCredentials }
  | { provider: 'ghasedak'; ratePerSecond: number; ghasedak: GhasedakCredentials }
  | { provider: 'melipayamak'; ratePerSecond: number; melipayamak: MelipayamakCredentials };

/** Sends per second when SMS_RATE_PER_SECOND is unset: below every gateway's default account limit. */
const DEFAULT_SMS_RATE_PER_SECOND = 5;

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

/** A value that must be present when `provider` is chosen. */
function required(env: Env, name: string, provider: SmsProviderName, what: string): string {
  const value = read(env, name);
  if (value === undefined) throw new ConfigError(name, `set when SMS_PROVIDER=${provider} (${what})`, undefined);
  return value;
}

/** A secret: checked for shape, never echoed. */
function secret(env: Env, name: string, provider: SmsProviderName, what: string): string {
  const value = required(env, name, provider, what);
  if (!/^[\x21-\x7e]+$/.test(value)) throw new ConfigError(name, `${what}: visible ASCII without spaces`, undefined);
  return value;
}

function matching(value: string | undefined, name: string, pattern: RegExp, expected: string): string | null {
  if (value === undefined) return null;
  if (!pattern.test(value)) throw new ConfigError(name, expected, value);
  return value;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const LINE = /^\d{3,20}$/;

/** A required line number of a panel (digits only). */
function line(env: Env, name: string, provider: SmsProviderName, what: string): string {
  const value = required(env, name, provider, what);
  if (!LINE.test(value)) throw new ConfigError(name, `${what}: digits only, such as 30004505000017`, value);
  return value;
}
const httpUrl = z.url({ protocol: /^https?$/ });

function parseRate(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_SMS_RATE_PER_SECOND;
  const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(value > 0 && value <= 1000)) {
    throw new ConfigError('SMS_RATE_PER_SECOND', 'a number of messages per second above 0 and at most 1000, such as 5 or 0.5', raw);
  }
  return value;
}

/** Reads and validates the SMS variables. Throws ConfigError on the first bad or missing value. */
export function loadSmsConfig(env: Env = process.env): SmsConfig {
  const ratePerSecond = parseRate(read(env, 'SMS_RATE_PER_SECOND'));
  const name = read(env, 'SMS_PROVIDER');
  if (name === undefined) return { provider: null, ratePerSecond };
  const provider = name.toLowerCase();
  switch (provider) {
    case 'kavenegar':
      return {
        provider,
        ratePerSecond,
        kavenegar: {
          apiKey: secret(env, 'SMS_KAVENEGAR_API_KEY', provider, 'the API key from the Kavenegar panel'),
          sender: matching(
            read(env, 'SMS_KAVENEGAR_SENDER'),
            'SMS_KAVENEGAR_SENDER',
            /^\d{3,20}$/,
            'a Kavenegar line number (digits), such as 10004346',
          ),
        },
      };
    case 'twilio': {
      const accountSid = required(env, 'SMS_TWILIO_ACCOUNT_SID', provider, 'the Account SID, AC followed by 32 hex digits');
      matching(accountSid, 'SMS_TWILIO_ACCOUNT_SID', /^AC[0-9a-fA-F]{32}$/, 'an Account SID: AC followed by 32 hex digits');
      const authToken = secret(env, 'SMS_TWILIO_AUTH_TOKEN', provider, 'the Auth Token from the Twilio Console');
      const from = matching(read(env, 'SMS_TWILIO_FROM'), 'SMS_TWILIO_FROM', E164, 'an E.164 phone number such as +15017122661');
      const messagingServiceSid = matching(
        read(env, 'SMS_TWILIO_MESSAGING_SERVICE_SID'),
        'SMS_TWILIO_MESSAGING_SERVICE_SID',
        /^MG[0-9a-fA-F]{32}$/,
        'a Messaging Service SID: MG followed by 32 hex digits',
      );
      if (from === null && messagingServiceSid === null) {
        throw new ConfigError(
          'SMS_TWILIO_FROM',
          'set when SMS_PROVIDER=twilio (an E.164 number such as +15017122661), unless SMS_TWILIO_MESSAGING_SERVICE_SID is set',
          undefined,
        );
      }
      return { provider, ratePerSecond, twilio: { accountSid, authToken, from, messagingServiceSid } };
    }
    case 'http': {
      const url = required(env, 'SMS_HTTP_URL', provider, 'the gateway URL to POST messages to');
      if (!httpUrl.safeParse(url).success) {
        throw new ConfigError('SMS_HTTP_URL', 'an http:// or https:// URL such as https://sms.example.com/send', url);
      }
      const token = secret(env, 'SMS_HTTP_TOKEN', provider, 'the bearer token the gateway expects');
      return { provider, ratePerSecond, http: { url, token } };
    }
    case 'smsir':
      return {
        provider,
        ratePerSecond,
        smsir: {
          apiKey: secret(env, 'SMS_SMSIR_API_KEY', provider, 'the API key from the SMS.ir panel (Developers)'),
          lineNumber: line(env, 'SMS_SMSIR_LINE_NUMBER', provider, 'the SMS.ir line number free text goes out on'),
        },
      };
    case 'ghasedak':
      return {
        provider,
        ratePerSecond,
        ghasedak: {
          apiKey: secret(env, 'SMS_GHASEDAK_API_KEY', provider, 'the API key from the Ghasedak panel'),
          lineNumber: line(env, 'SMS_GHASEDAK_LINE_NUMBER', provider, 'the Ghasedak line number texts go out on'),
        },
      };
    case 'melipayamak':
      return {
        provider,
        ratePerSecond,
        melipayamak: {
          username: required(env, 'SMS_MELIPAYAMAK_USERNAME', provider, 'the Melipayamak panel username'),
          password: secret(env, 'SMS_MELIPAYAMAK_PASSWORD', provider, 'the Melipayamak panel password or API key'),
          from: line(env, 'SMS_MELIPAYAMAK_FROM', provider, 'the Melipayamak line number free text goes out on'),
        },
      };
    default:
      throw new ConfigError('SMS_PROVIDER', 'kavenegar, twilio, http, smsir, ghasedak or melipayamak (or unset for the dev outbox)', name);
  }
}
