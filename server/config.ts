import { z } from 'zod';
import type { QuietHours } from '../shared/delivery.js';
import { DEFAULT_LOCALE, isTimeZone, LOCALES, type Locale } from '../shared/locale.js';
import { loadBaleConfig, type BaleConfig } from './channels/bale/config.js';
import { loadSmsConfig, type SmsConfig } from './channels/sms/config.js';
import { loadDkimConfig, type DkimConfig } from './channels/email/dkim.js';
import { loadBrand, type Brand } from './branding/brand.js';
import { countryCodeOf, DEFAULT_COUNTRY, type CountryCode } from './customers/phone.js';
import { parseTrustedProxies, type TrustedProxies } from './limits/client-address.js';
import { literalHostProblem } from './webhooks/url-policy.js';

/** Typed configuration, read once from the environment at start-up (see the table in DESIGN.md / README). */
export interface Config {
  /** 0 picks a free port (tests). */
  port: number;
  /** HOST: the address to listen on; null listens on every interface (what @hono/node-server does by default). */
  host: string | null;
  /** Folder for the SQLite file's neighbours: the kept secret and the dev outbox. */
  dataDir: string;
  database: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };
  /** Null when unset: the server then uses http://localhost:<the port it listens on>. */
  publicUrl: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  /** DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY: every mail signed when set (server/channels/email/dkim.ts). */
  dkim: DkimConfig | null;
  bootstrapApiKeys: string[];
  admin: { email: string; password: string | null };
  /** Null when unset: start-up then loads or creates the kept secret in the data folder. */
  secret: string | null;
  sms: SmsConfig;
  /** BALE_*: the Bale messenger channel (Safir), or the dev outbox when unset. */
  bale: BaleConfig;
  /** HAMI_DEFAULT_COUNTRY (ISO 3166 alpha-2): the country of a phone number written nationally (`0912…`); IR when unset. */
  defaultCountry: CountryCode;
  /** HAMI_BRAND_*: the company's name, logo, colour, sender name and reply-to on what customers see (server/branding/brand.ts). */
  brand: Brand;
  /** Care-team alerts to a Slack-compatible incoming webhook, signed with the secret; null when not set up. */
  alertWebhook: { url: string; secret: string } | null;
  /** HAMI_WEBHOOK_ALLOW_PRIVATE=1: webhooks may go to loopback and private networks (an on-prem receiver); off by default (SSRF). */
  webhookAllowPrivate: boolean;
  /** HAMI_TRUSTED_PROXIES: proxies whose X-Forwarded-For gives the client address (server/limits/client-address.ts); null: the header is ignored. */
  trustedProxies: TrustedProxies | null;
  segments: {
    /** Where the tracked link of a review request / referral invitation leads; null: the template's targetUrl. */
    reviewUrl: string | null;
    referralUrl: string | null;
    /** At most one segment message (referral, review request) per customer per this many days (0 turns it off). */
    throttleDays: number;
    /** CRM sync: "segment.entered" events (a customer becomes a promoter), signed; null when not set up. */
    webhook: { url: string; secret: string } | null;
  };
  /** HAMI_RETENTION_MONTHS: comments and contact details older than this many months are purged daily; null: kept. */
  retentionMonths: number | null;
  delivery: {
    /** At most one survey per customer per this many days, across surveys (0 turns throttling off). */
    throttleDays: number;
    /** No survey goes out in these local hours of the customer; null when turned off. */
    quietHours: QuietHours | null;
    /** For customers whose time zone is not known; also the care team's, for the deadlines in staff alerts. */
    defaultTimeZone: string;
  };
  /** HAMI_TEAM_LOCALE: the language of staff alerts (the care team's). */
  teamLocale: Locale;
}

/** A bad value: the message is one line naming the variable and what is expected. */
export class ConfigError extends Error {
  constructor(variable: string, expected: string, got: string | undefined) {
    // Never echo a password inside a URL (smtp://user:pass@…), and keep the message on one line.
    const safe = got
      ?.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*:)[\s\S]*@/i, '$1***@')
      .replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    const shown = safe === undefined ? '' : ` (got "${safe.length > 60 ? `${safe.slice(0, 57)}...` : safe}")`;
    super(`${variable} must be ${expected}${shown}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function check<T>(env: Env, name: string, schema: z.ZodType<T>, expected: string): T | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  const result = schema.safeParse(raw);
  if (!result.success) throw new ConfigError(name, expected, raw);
  return result.data;
}

const port = z
  .string()
  .regex(/^\d{1,5}$/)
  .transform(Number)
  .pipe(z.number().max(65_535));
const httpUrl = z.url({ protocol: /^https?$/ });
// Links are PUBLIC_URL + a path: a query or fragment in it would end up in the middle of every link.
const baseUrl = httpUrl.refine((url) => !/[?#]/.test(url));
const hostName = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const host = z.union([z.ipv4(), z.ipv6(), z.string().regex(hostName)]);
const smtpUrl = z.url({ protocol: /^smtps?$/ });
const email = z.email();
// "Name <address>" or a bare address.
const mailbox = z.string().regex(/^(?:[^<>\r\n]+<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/);

function parseQuietHours(raw: string | undefined): QuietHours | null {
  if (raw === undefined) return { start: 21, end: 9 };
  if (raw === 'off') return null;
  const match = /^(\d{1,2})-(\d{1,2})$/.exec(raw);
  const [start, end] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(start >= 0 && start <= 23 && end >= 0 && end <= 23 && start !== end)) {
    throw new ConfigError('HAMI_QUIET_HOURS', 'two different local hours START-END such as 21-9, or off', raw);
  }
  return { start, end };
}

/**
 * A signed outbound webhook: NAME_URL and NAME_SECRET (at least 16 characters, required with the URL). Unless
 * `allowPrivate`, a URL written with a loopback or private address is refused here rather than failing every send
 * (a host name is checked when connecting); the URL itself is not echoed, as its path is often a secret.
 */
function loadWebhook(env: Env, name: string, what: string, allowPrivate: boolean): { url: string; secret: string } | null {
  const url = check(env, `${name}_URL`, z.url({ protocol: /^https?$/ }), `an http(s) URL of ${what}`);
  const secret = read(env, `${name}_SECRET`);
  if (!url) return null;
  const problem = allowPrivate ? null : literalHostProblem(url);
  if (problem) {
    throw new ConfigError(
      `${name}_URL`,
      `an http(s) URL of ${what} at a public address, not ${problem} (set HAMI_WEBHOOK_ALLOW_PRIVATE=1 for a receiver on your own network)`,
      undefined,
    );
  }
  if (!secret || secret.length < 16) {
    throw new ConfigError(`${name}_SECRET`, `set (at least 16 characters) when ${name}_URL is: requests are signed with it`, undefined);
  }
  return { url, secret };
}

function loadAlertWebhook(env: Env, allowPrivate: boolean): Config['alertWebhook'] {
  return loadWebhook(env, 'HAMI_ALERT_WEBHOOK', 'a Slack-compatible incoming webhook', allowPrivate);
}

function loadTrustedProxies(env: Env): TrustedProxies | null {
  const raw = read(env, 'HAMI_TRUSTED_PROXIES');
  if (raw === undefined) return null;
  try {
    return parseTrustedProxies(raw);
  } catch {
    throw new ConfigError(
      'HAMI_TRUSTED_PROXIES',
      'comma-separated IP addresses or CIDR ranges of your proxies, such as 127.0.0.1,10.0.0.0/8,::1',
      raw,
    );
  }
}

function loadDefaultCountry(env: Env): CountryCode {
  const raw = read(env, 'HAMI_DEFAULT_COUNTRY');
  if (raw === undefined) return DEFAULT_COUNTRY;
  const code = countryCodeOf(raw);
  if (!code) throw new ConfigError('HAMI_DEFAULT_COUNTRY', 'an ISO 3166 two-letter country code such as IR or GB', raw);
  return code;
}

function parseDatabase(raw: string | undefined, dataDir: string): Config['database'] {
  if (raw === undefined) return { kind: 'sqlite', path: `${dataDir}/hami.db` };
  if (/^postgres(ql)?:\/\//.test(raw)) return { kind: 'postgres', url: raw };
  const path = raw.startsWith('file:') ? raw.slice('file:'.length) : raw;
  if (path === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new ConfigError('DATABASE_URL', 'file:PATH or a path for SQLite, or postgres://… for PostgreSQL', raw);
  }
  // file:shop.db?mode=ro would otherwise open a new, empty database in a file named "shop.db?mode=ro".
  if (raw.startsWith('file:') && /[?#]/.test(path)) {
    throw new ConfigError('DATABASE_URL', 'file:PATH without ?options or #fragment (SQLite opens the path as written)', raw);
  }
  return { kind: 'sqlite', path };
}

/** Reads and validates the environment. Throws ConfigError on the first bad value. */
export function loadConfig(env: Env = process.env): Config {
  const dataDir = read(env, 'HAMI_DATA_DIR') ?? './data';
  const portValue = check(env, 'PORT', port, 'a whole number from 0 to 65535') ?? 3000;
  const publicUrl = check(env, 'PUBLIC_URL', baseUrl, 'an http:// or https:// URL without ? or # such as https://survey.example.com');
  const apiKeys = read(env, 'HAMI_API_KEYS');
  const keys =
    apiKeys === undefined
      ? []
      : apiKeys
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean);
  for (const key of keys) {
    if (!/^[\x21-\x7e]{16,200}$/.test(key)) {
      // The key itself is never echoed: it is a secret.
      throw new ConfigError('HAMI_API_KEYS', 'comma-separated keys of 16 to 200 visible ASCII characters each', undefined);
    }
  }
  const adminPassword = read(env, 'HAMI_ADMIN_PASSWORD');
  if (adminPassword !== undefined && adminPassword.length < 10) {
    // The value itself is never echoed: it is a password.
    throw new ConfigError('HAMI_ADMIN_PASSWORD', 'at least 10 characters long', undefined);
  }
  const webhookAllowPrivate =
    check(env, 'HAMI_WEBHOOK_ALLOW_PRIVATE', z.enum(['0', '1']), '1 (allow webhooks to private and loopback addresses) or 0') === '1';
  const secret = read(env, 'HAMI_SECRET');
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigError('HAMI_SECRET', 'at least 32 characters long (or unset, to have one generated)', undefined);
  }
  return {
    port: portValue,
    host: check(env, 'HOST', host, 'an address to listen on such as 127.0.0.1, ::1 or 0.0.0.0 (unset: every interface)') ?? null,
    dataDir,
    database: parseDatabase(read(env, 'DATABASE_URL'), dataDir),
    publicUrl: publicUrl?.replace(/\/+$/, '') ?? null,
    smtpUrl: check(env, 'SMTP_URL', smtpUrl, 'an smtp:// or smtps:// URL such as smtp://user:pass@mail.example.com:587') ?? null,
    mailFrom: check(env, 'MAIL_FROM', mailbox, 'an address, or "Name <address>"') ?? 'Hami <surveys@localhost>',
    dkim: loadDkimConfig(env),
    bootstrapApiKeys: keys,
    admin: {
      email: check(env, 'HAMI_ADMIN_EMAIL', email, 'an email address') ?? 'admin@localhost',
      password: adminPassword ?? null,
    },
    secret: secret ?? null,
    sms: loadSmsConfig(env),
    bale: loadBaleConfig(env),
    defaultCountry: loadDefaultCountry(env),
    brand: loadBrand(env),
    alertWebhook: loadAlertWebhook(env, webhookAllowPrivate),
    webhookAllowPrivate,
    trustedProxies: loadTrustedProxies(env),
    segments: {
      reviewUrl: check(env, 'HAMI_REVIEW_URL', httpUrl, 'an http(s) URL of your review page (Google, Trustpilot…)') ?? null,
      referralUrl: check(env, 'HAMI_REFERRAL_URL', httpUrl, 'an http(s) URL of your referral page') ?? null,
      throttleDays:
        check(
          env,
          'HAMI_SEGMENT_THROTTLE_DAYS',
          z
            .string()
            .regex(/^\d{1,4}$/)
            .transform(Number),
          'a whole number of days such as 30 (0 to turn off)',
        ) ?? 30,
      webhook: loadWebhook(env, 'HAMI_CRM_WEBHOOK', 'the CRM endpoint for segment events', webhookAllowPrivate),
    },
    retentionMonths:
      check(
        env,
        'HAMI_RETENTION_MONTHS',
        z
          .string()
          .regex(/^\d{1,3}$/)
          .transform(Number)
          .pipe(z.number().min(1)),
        'a whole number of months such as 24 (unset: keep until erased)',
      ) ?? null,
    delivery: {
      throttleDays:
        check(
          env,
          'HAMI_THROTTLE_DAYS',
          z
            .string()
            .regex(/^\d{1,4}$/)
            .transform(Number),
          'a whole number of days such as 90 (0 to turn off)',
        ) ?? 90,
      quietHours: parseQuietHours(read(env, 'HAMI_QUIET_HOURS')),
      defaultTimeZone: check(env, 'HAMI_TIME_ZONE', z.string().refine(isTimeZone), 'an IANA time zone such as Asia/Tehran') ?? 'UTC',
    },
    teamLocale: check(env, 'HAMI_TEAM_LOCALE', z.enum(LOCALES), `one of ${LOCALES.join(', ')}`) ?? DEFAULT_LOCALE,
  };
}
