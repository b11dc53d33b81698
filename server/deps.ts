import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/connect.js';
import type { EmailTransport } from './channels/email/transport.js';
import type { SmsProvider } from './channels/sms/provider.js';
import type { BaleChannel } from './channels/bale/channel.js';
import type { Logger } from './log.js';
import type { SurveyCatalog } from './surveys.js';
import type { HostResolver } from './webhooks/url-policy.js';

/** What the areas of the server need from the outside world; tests build one with a temp database and a clock. */
export interface AppDeps {
  db: Db;
  clock: Clock;
  config: Config;
  /** Base of the links sent to customers (PUBLIC_URL, or this server's own address). */
  publicUrl: string;
  /** Signs link tokens and cookies (HAMI_SECRET or the kept one). */
  secret: string;
  surveys: SurveyCatalog;
  email: EmailTransport;
  sms: SmsProvider;
  /** The Bale messenger (Safir), or its dev outbox. */
  bale: BaleChannel;
  /** For outbound webhooks (tests pass one msw intercepts). */
  fetch: typeof fetch;
  /**
   * Resolves webhook host names for the SSRF check (server/http/outbound-fetch.ts); unset: the system resolver.
   * Tests set one, since this sandbox has no public DNS.
   */
  resolveHost?: HostResolver;
  log: Logger;
  /** Tells the worker a job is due now, so it need not wait for its next poll. */
  jobQueued(): void;
}
