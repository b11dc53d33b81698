/*
 * The README's overview pictures, taken on the demo's year of data rather than a test's few answers:
 *   npx tsx test/e2e/demo-screenshots.ts        (writes web/docs/overview-en.png and overview-fa.png)
 * Not a test: it checks nothing the browser tests do not already check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/config.js';
import { seedDemoData } from '../../server/demo/seed.js';
import { silentLogger } from '../../server/log.js';
import { startHami } from '../../server/start.js';
import { ensureDashboardBuilt, launchBrowser, ROOT } from './browser.js';

const DOCS = path.join(ROOT, 'web/docs');
const ADMIN = { email: 'admin@example.com', password: 'demo screenshots only' };

ensureDashboardBuilt();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hami-demo-shots-'));
console.log('Filling a demo database (about half a minute)…');
const hami = await startHami(
  loadConfig({ HAMI_DATA_DIR: dataDir, PORT: '0', HAMI_ADMIN_EMAIL: ADMIN.email, HAMI_ADMIN_PASSWORD: ADMIN.password }),
  {
    log: silentLogger,
    prepare: async (deps) => {
      await seedDemoData(deps, { onProgress: (line) => console.log(line) });
    },
  },
);
const browser = await launchBrowser();
try {
  const { page } = browser;
  await page.goto(`${hami.url}/app/`);
  await page.fill('#login-email', ADMIN.email);
  await page.fill('#login-password', ADMIN.password);
  await page.click('button[type=submit]');
  await page.locator('canvas').first().waitFor();
  // Let the charts finish their first animation before the picture.
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(DOCS, 'overview-en.png'), fullPage: true });
  await page.click('header.top button[lang=fa]');
  await page.locator('html[dir=rtl]').waitFor();
  await page.waitForTimeout(2000);
  await page.screenshot({ path: path.join(DOCS, 'overview-fa.png'), fullPage: true });
  console.log(`Saved ${path.join(DOCS, 'overview-en.png')} and overview-fa.png`);
} finally {
  await browser.close();
  await hami.close();
  rmSync(dataDir, { recursive: true, force: true });
}
