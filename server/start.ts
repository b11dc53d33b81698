import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { ensureFirstAdmin, type FirstAdmin } from './auth/first-admin.js';
import { storeBootstrapKeys } from './auth/api-keys.js';
import { loadOrCreateSecret } from './auth/secret.js';
import { createEmailTransport, senderOf } from './channels/email/transport.js';
import { systemClock, type Clock } from './clock.js';
import { ConfigError, type Config } from './config.js';
import { openConfiguredDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { ensureRollupsCurrent } from './metrics/rollups.js';
import { ensureThemesTagged } from './themes/retag.js';
import type { AppDeps } from './deps.js';
import { sendInvitationJob, sendReminderJob } from './delivery/send-invitation.js';
import { autopilotSendJob } from './autopilot/send-job.js';
import { smsHoldAlertJob } from './delivery/channel-hold.js';
import { smsThanksJob } from './responses/sms-replies.js';
import { answerSettleJob } from './responses/one-tap.js';
import { alertWebhookJob, caseOutcomeJob, newDetractorJob, slaCheckJob } from './callbacks/notify.js';
import { createSmsProvider } from './channels/sms/create.js';
import { createBaleChannel } from './channels/bale/create.js';
import { smsWebhookUrls } from './channels/sms/webhook-routes.js';
import { scheduleSmsPolling, smsPollJob } from './channels/sms/poll.js';
import { createWorker, registerJob, type Worker } from './delivery/worker.js';
import { createLogger, type Logger } from './log.js';
import { loadSurveys } from './surveys.js';
import { segmentMessageJob } from './segments/actions.js';
import { loadMessageTemplates } from './segments/templates.js';
import { segmentEnteredJob } from './segments/webhook.js';
import { webhookDeliverJob, webhookFanOutJob } from './webhooks/jobs.js';
import { retentionJob, scheduleRetention } from './privacy/retention.js';
import { housekeepingJob, scheduleHousekeeping } from './housekeeping.js';
import { LOCALES } from '../shared/locale.js';
import { invitationSmsText, smsSegments } from '../shared/sms.js';

interface StartOptions {
  clock?: Clock;
  log?: Logger;
  /** Worker poll interval (ms). */
  pollMs?: number;
  /** The fetch SMS gateways are called with (tests pass one msw intercepts). */
  fetch?: typeof fetch;
  /** Runs after migrations and before serving: the demo fills the database here. */
  prepare?: (deps: AppDeps) => Promise<void>;
}

export interface RunningHami {
  url: string;
  deps: AppDeps;
  worker: Worker;
  firstAdmin: FirstAdmin;
  close(): Promise<void>;
}

/**
 * An SMS text over one segment costs double: say so at start-up, counted as it will be sent — the brand's name in
 * front and the link as long as it will be.
 */
function warnLongSmsTexts(deps: AppDeps): void {
  const link = `${deps.publicUrl}/s/${'x'.repeat(22)}`;
  for (const survey of deps.surveys.all) {
    if (!survey.sms) continue;
    for (const locale of LOCALES) {
      const brandName = deps.config.brand.name?.[locale] ?? null;
      const { segments, characters, encoding } = smsSegments(invitationSmsText({ template: survey.sms[locale], link, brandName }));
      if (segments > 1) {
        const nameVariable = locale === 'fa' ? 'HAMI_BRAND_NAME_FA' : 'HAMI_BRAND_NAME';
        deps.log.warn('SMS text takes more than one segment', {
          survey: survey.id,
          locale,
          segments,
          characters,
          encoding,
          hint: `shorten the sms text in the survey file, PUBLIC_URL${brandName ? ` or the brand name (${nameVariable})` : ''}`,
        });
      }
    }
  }
}

/**
 * Development means links that only this machine opens: PUBLIC_URL unset (the server's own address) or naming a
 * loopback host. Anywhere else a plain http:// PUBLIC_URL is worth a warning: mail clients offer RFC 8058 one-click
 * unsubscribe (List-Unsubscribe-Post) only for an https link, and customers' links travel in the clear.
 */
export function plainHttpWarning(publicUrl: string | null): string | null {
  if (publicUrl === null) return null;
  const url = new URL(publicUrl);
  if (url.protocol === 'https:') return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1') return null;
  return 'PUBLIC_URL is not https: mail clients offer one-click unsubscribe (RFC 8058) only for https links, and survey links travel unencrypted; put Hami behind TLS and set PUBLIC_URL=https://…';
}

/** Where this machine reaches the server: localhost when it listens everywhere, else the HOST it listens on. */
function localUrl(host: string | null, port: number): string {
  if (host === null || host === '0.0.0.0' || host === '::') return `http://localhost:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Migrates, loads the surveys, starts HTTP and the worker. Everything `npm start` does, callable from tests. */
export async function startHami(config: Config, options: StartOptions = {}): Promise<RunningHami> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger();
  const surveys = loadSurveys();
  const messages = loadMessageTemplates();
  const db = openConfiguredDatabase(config);
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const secret = loadOrCreateSecret(config.dataDir, config.secret);
  const outboxDir = path.join(config.dataDir, 'outbox');
  const email = createEmailTransport({
    smtpUrl: config.smtpUrl,
    from: senderOf(config.mailFrom, config.brand.senderName),
    outboxDir,
    dkim: config.dkim,
  });
  const sms = createSmsProvider(config.sms, {
    fetch: options.fetch,
    outboxDir,
    clock,
    // Twilio is told per message where to report delivery.
    deliveryReportUrl: config.publicUrl ? smsWebhookUrls(config.publicUrl, secret).status : undefined,
  });
  const bale = createBaleChannel(config.bale, { outboxDir, clock, fetch: options.fetch });
  const firstAdmin = await ensureFirstAdmin(db, config.admin, clock.now());
  await storeBootstrapKeys(db, config.bootstrapApiKeys, clock.now());

  let worker: Worker | null = null;
  const deps: AppDeps = {
    db,
    clock,
    config,
    secret,
    surveys,
    email,
    sms,
    bale,
    log,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    publicUrl: config.publicUrl ?? localUrl(config.host, config.port),
    jobQueued: () => worker?.wake(),
  };
  warnLongSmsTexts(deps);
  const httpWarning = plainHttpWarning(config.publicUrl);
  if (httpWarning) log.warn(httpWarning, { publicUrl: config.publicUrl });
  // Rollups computed for other survey dimensions, or not yet (one from before rollups), are recomputed from the
  // responses before anyone reads them. Before the demo's seeding: it answers through recordAnswer, which keeps
  // the rollups in step, so a second full rebuild afterwards would only cost time.
  // Responses never tagged with comment themes (a new database, or one from before themes) are tagged first, so a
  // rebuild below counts their tags.
  await ensureThemesTagged(db, surveys, () => clock.now());
  await ensureRollupsCurrent(db, surveys.all, clock.now());
  // HAMI_RETENTION_MONTHS: the daily purge of old comments and contact details is queued once (privacy/retention.ts).
  await scheduleRetention(db, clock.now(), config.retentionMonths);
  // Expired sessions and stale one-tap rows: deleted hourly (housekeeping.ts).
  await scheduleHousekeeping(db, clock.now());
  // SMS.ir, Ghasedak, Melipayamak: replies and delivery reports are fetched every minute (channels/sms/poll.ts).
  await scheduleSmsPolling({ db, clock, sms });
  await options.prepare?.(deps);
  const app = createApp(deps, messages);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host ?? undefined }, () => resolve(s));
    s.once('error', (error: NodeJS.ErrnoException) => {
      // A HOST this machine has no address for: named, like every other bad setting.
      if (config.host !== null && ['EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN'].includes(error.code ?? '')) {
        reject(new ConfigError('HOST', `an address of this machine (${error.code})`, config.host));
      } else reject(error);
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = localUrl(config.host, port);
  if (!config.publicUrl) deps.publicUrl = url;

  const jobs = [
    registerJob(sendInvitationJob(deps)),
    registerJob(sendReminderJob(deps)),
    registerJob(smsThanksJob(deps)),
    registerJob(newDetractorJob(deps)),
    registerJob(slaCheckJob(deps)),
    registerJob(alertWebhookJob(deps)),
    registerJob(caseOutcomeJob(deps)),
    registerJob(segmentMessageJob(deps, messages)),
    registerJob(segmentEnteredJob(deps)),
    registerJob(retentionJob(deps)),
    registerJob(housekeepingJob(deps)),
    registerJob(smsPollJob(deps)),
    registerJob(webhookFanOutJob(deps)),
    registerJob(webhookDeliverJob(deps)),
    registerJob(answerSettleJob(deps)),
    registerJob(smsHoldAlertJob(deps)),
    registerJob(autopilotSendJob(deps)),
  ];
  worker = createWorker({ db, clock, log, jobs, pollMs: options.pollMs });
  worker.start();

  return {
    url,
    deps,
    worker,
    firstAdmin,
    async close() {
      await worker!.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      email.close();
      await db.destroy();
    },
  };
}
