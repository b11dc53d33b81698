import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApiKey } from './auth/api-keys.js';
import { describeSmsConfig } from './channels/sms/create.js';
import { channelWebhooks, webhookBannerLines } from './channels/webhook-urls.js';
import { ConfigError, loadConfig } from './config.js';
import { DEMO_BRAND_ENV } from './demo/brand.js';
import { seedDemoData } from './demo/seed.js';
import { startHami } from './start.js';
import { SurveyFileError } from './surveys.js';

/** `npm start` / `npm run demo`: migrate, serve, work the queue, and say where everything is. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { demo: { type: 'boolean', default: false } } });
  const env = { ...process.env };
  // The demo keeps its data apart from real data unless told otherwise.
  if (values.demo && !env.DATABASE_URL) env.DATABASE_URL = `file:${path.join(env.HAMI_DATA_DIR || './data', 'demo.db')}`;
  // The demo is a branded shop (server/demo/brand.ts) unless HAMI_BRAND_NAME says whose it is.
  if (values.demo && !env.HAMI_BRAND_NAME) Object.assign(env, DEMO_BRAND_ENV);
  const config = loadConfig(env);

  let demoKey: string | null = null;
  const hami = await startHami(config, {
    prepare: values.demo
      ? async (deps) => {
          const seeded = await seedDemoData(deps, { onProgress: (line) => console.log(line) });
          if (seeded) console.log(seeded);
          demoKey = (await createApiKey(deps.db, 'demo', deps.clock.now())).key;
        }
      : undefined,
  });

  const db = config.database.kind === 'sqlite' ? `${path.resolve(config.database.path)} (SQLite)` : 'PostgreSQL';
  const lines = [
    '',
    `Hami is running at ${hami.url}`,
    `  dashboard      ${hami.url}/app/  (staff sign in here)`,
    `  survey links   ${hami.deps.publicUrl}/s/…`,
    `  database       ${db}`,
    `  mail           ${hami.deps.email.describe}`,
    `  sms            ${describeSmsConfig(config.sms, path.join(config.dataDir, 'outbox'))}`,
    `  bale           ${hami.deps.bale.describe}`,
  ];
  lines.push(...webhookBannerLines(channelWebhooks(config, hami.deps.publicUrl, hami.deps.secret)));
  for (const survey of hami.deps.surveys.all) {
    for (const link of survey.publicLinks) {
      lines.push(
        `  public link    ${hami.deps.publicUrl}/p/${survey.id}/${link.id}${link.kiosk ? ' (kiosk)' : ''}  QR: …/qr.svg, …/qr.png`,
      );
    }
  }
  const admin = hami.firstAdmin;
  if (admin.created) {
    lines.push(
      admin.generatedPassword === null
        ? `  first admin    ${admin.email}  password: as set in HAMI_ADMIN_PASSWORD`
        : `  first admin    ${admin.email}  password: ${admin.generatedPassword}  (generated, shown only now: keep it)`,
    );
  } else {
    lines.push(`  admin          ${admin.email} (password as set on first start)`);
  }
  if (demoKey) {
    lines.push(
      `  demo API key   ${demoKey}`,
      '',
      'Send a survey now:',
      `  curl -X POST ${hami.url}/api/v1/events -H 'Authorization: Bearer ${demoKey}' -H 'Content-Type: application/json' \\`,
      `    -d '{"type":"purchase","id":"order-1001","sendAt":"now","customer":{"id":"c-1","email":"sara@example.com","name":"Sara","locale":"fa"}}'`,
    );
  }
  lines.push('', 'Press Ctrl+C to stop.');
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: finishing the job in hand and stopping…`);
    await hami.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`hami: configuration error: ${error.message}`);
  else if (error instanceof SurveyFileError) console.error(`hami: survey file error: ${error.message}`);
  else if ((error as NodeJS.ErrnoException)?.code === 'EADDRINUSE')
    console.error(`hami: port ${(error as { port?: number }).port ?? ''} is in use: stop the other server or set PORT to another port`);
  else console.error('hami: could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
