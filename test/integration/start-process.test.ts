import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { spawnServer, waitForOutput, type ServerProcess } from '../helpers/server-process.js';

type Started = ServerProcess;
const run = spawnServer;

describe('starting the server', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  function dataDir(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-start-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  async function stop(started: Started): Promise<void> {
    started.child.kill('SIGTERM');
    await started.exited;
  }

  test.each([
    ['PORT', 'eighty', /^hami: configuration error: PORT must be a whole number from 0 to 65535 \(got "eighty"\)$/],
    ['SMTP_URL', 'mail.example.com', /^hami: configuration error: SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/],
    ['HAMI_SECRET', 'short', /^hami: configuration error: HAMI_SECRET must be at least 32 characters long/],
  ])('a bad %s stops start-up with one line naming it', async (variable, value, expected) => {
    const started = run([], { HAMI_DATA_DIR: dataDir(), [variable]: value });
    expect(await started.exited).toBe(1);
    const lines = started.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
  });

  test('npm start prints the URL, where mail goes and the first admin login; the generated secret is kept across restarts', async () => {
    const dir = dataDir();
    const first = run([], { HAMI_DATA_DIR: dir, PORT: '0' });
    cleanup.push(() => stop(first));
    const [, url] = await waitForOutput(first, /Hami is running at (http:\/\/localhost:\d+)/);
    expect(first.output()).toContain(`dev outbox ${path.join(dir, 'outbox')}`);
    const [, password] = await waitForOutput(first, /first admin\s+admin@localhost\s+password: (\S+)/);
    expect(password!.length).toBeGreaterThanOrEqual(12);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });

    const secretFile = path.join(dir, 'secret');
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    const secret = readFileSync(secretFile, 'utf8');
    await stop(first);

    const second = run([], { HAMI_DATA_DIR: dir, PORT: '0' });
    cleanup.push(() => stop(second));
    await waitForOutput(second, /Hami is running at/);
    expect(second.output()).not.toContain(password!);
    expect(second.output()).toContain('admin          admin@localhost');
    expect(readFileSync(secretFile, 'utf8')).toBe(secret);
  });

  test('npm run demo starts with a year of data and a key that can post an event at once', async () => {
    const dir = dataDir();
    const demo = run(['--demo'], { HAMI_DATA_DIR: dir, PORT: '0' });
    cleanup.push(() => stop(demo));
    const [, url] = await waitForOutput(demo, /Hami is running at (http:\/\/localhost:\d+)/, 60_000);
    const [, answers] = await waitForOutput(demo, /Demo data: \d+ customers, \d+ events over 12 months, (\d+) answers/);
    expect(Number(answers)).toBeGreaterThan(500);
    const [, key] = await waitForOutput(demo, /demo API key\s+(\S+)/);
    const posted = await fetch(`${url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'purchase', id: 'order-1001', sendAt: 'now', customer: { id: 'c-1', email: 'sara@example.com', locale: 'fa' } }),
    });
    expect(posted.status).toBe(202);
    await waitForOutput(demo, /dev outbox: survey email saved.* link=http:\/\/localhost:\d+\/s\/[A-Za-z0-9_-]{22}/, 5000);
  }, 90_000);
});
