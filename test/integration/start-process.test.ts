import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { notRoot, spawnServer, waitForOutput, type ServerProcess } from '../helpers/server-process.js';

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
    [
      'PUBLIC_URL',
      'https://survey.example.com/?utm=1',
      /^hami: configuration error: PUBLIC_URL must be an http:\/\/ or https:\/\/ URL without \? or #/,
    ],
    ['PUBLIC_URL', 'https://survey.example.com/#x', /^hami: configuration error: PUBLIC_URL must be/],
    ['HOST', 'no such host!', /^hami: configuration error: HOST must be an address to listen on/],
    ['BALE_BOT_ID', '1234567890', /^hami: configuration error: BALE_API_ACCESS_KEY must be set with BALE_BOT_ID and BALE_BOT_TOKEN/],
    ['HOST', '192.0.2.1', /^hami: configuration error: HOST must be an address of this machine \(EADDRNOTAVAIL\) \(got "192\.0\.2\.1"\)$/],
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
    expect(first.output().split(password!)).toHaveLength(2); // printed once
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

  test("with Bale set up, start-up prints where the bot's webhook must point, and never the key or token", async () => {
    const dir = dataDir();
    const env = { BALE_API_ACCESS_KEY: 'safir-key-not-printed', BALE_BOT_ID: '1234567890', BALE_BOT_TOKEN: '1234567890:token-not-printed' };
    const started = run([], { HAMI_DATA_DIR: dir, PORT: '0', PUBLIC_URL: 'https://survey.example.com', ...env });
    cleanup.push(() => stop(started));
    await waitForOutput(started, /Hami is running at/);
    await waitForOutput(
      started,
      /bale webhooks\s+button taps and «لغو» https:\/\/survey\.example\.com\/hooks\/bale\/[A-Za-z0-9_-]{22} {2}\(/,
    );
    expect(started.output()).toMatch(/bale\s+Bale \(Safir\) bot 1234567890/);
    expect(started.output()).not.toContain('not-printed');
  });

  test('a first admin password from HAMI_ADMIN_PASSWORD is never printed', async () => {
    const password = 'env-password-never-shown';
    const started = run([], { HAMI_DATA_DIR: dataDir(), PORT: '0', HAMI_ADMIN_EMAIL: 'boss@example.com', HAMI_ADMIN_PASSWORD: password });
    cleanup.push(() => stop(started));
    await waitForOutput(started, /Hami is running at/);
    await waitForOutput(started, /first admin\s+boss@example.com\s+password: as set in HAMI_ADMIN_PASSWORD/);
    expect(started.output()).not.toContain(password);
  });

  // 127.0.0.2 is a loopback address too on Linux, so a server bound to it alone is not reachable on 127.0.0.1.
  test('HOST chooses the one address the server listens on; unset, it listens on every interface', async () => {
    const bound = run([], { HAMI_DATA_DIR: dataDir(), PORT: '0', HOST: '127.0.0.2' });
    cleanup.push(() => stop(bound));
    const [, url, port] = await waitForOutput(bound, /Hami is running at (http:\/\/127\.0\.0\.2:(\d+))/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

    const everywhere = run([], { HAMI_DATA_DIR: dataDir(), PORT: '0' });
    cleanup.push(() => stop(everywhere));
    const [, everywherePort] = await waitForOutput(everywhere, /Hami is running at http:\/\/localhost:(\d+)/);
    expect((await fetch(`http://127.0.0.2:${everywherePort}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${everywherePort}/healthz`)).status).toBe(200);
  });

  describe('a DATABASE_URL that is not a usable SQLite file stops start-up naming the variable and the path', () => {
    test.each([
      [
        'a folder',
        (dir: string) => {
          mkdirSync(path.join(dir, 'db-folder'));
          return path.join(dir, 'db-folder');
        },
        /is a folder/,
      ],
      [
        'random bytes',
        (dir: string) => {
          writeFileSync(path.join(dir, 'noise.db'), randomBytes(8192));
          return path.join(dir, 'noise.db');
        },
        /is not a SQLite database/,
      ],
      [
        'a file in a folder that does not exist',
        (dir: string) => path.join(dir, 'no-such-folder', 'hami.db'),
        /folder that cannot be reached: .*no-such-folder/,
      ],
      [
        'a file under a file',
        (dir: string) => {
          writeFileSync(path.join(dir, 'plain'), 'x');
          return path.join(dir, 'plain', 'hami.db');
        },
        /plain/,
      ],
    ])('%s', async (_what, make, reason) => {
      const dir = dataDir();
      const file = make(dir);
      const started = run([], { HAMI_DATA_DIR: dir, PORT: '0', DATABASE_URL: `file:${file}` });
      expect(await started.exited).toBe(1);
      const lines = started.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^hami: configuration error: DATABASE_URL must be a SQLite database file/);
      expect(lines[0]).toContain(file);
      expect(lines[0]).toMatch(reason);
    });

    test("another application's SQLite file is refused and left byte for byte as it was", async () => {
      const dir = dataDir();
      const file = path.join(dir, 'shop.db');
      const foreign = new SQLite(file);
      foreign.exec('create table orders (id integer primary key, total real); insert into orders (total) values (12.5)');
      foreign.close();
      const before = readFileSync(file);
      const started = run([], { HAMI_DATA_DIR: dir, PORT: '0', DATABASE_URL: file });
      expect(await started.exited).toBe(1);
      expect(started.output().trim()).toMatch(
        new RegExp(
          `^hami: configuration error: DATABASE_URL must be a SQLite database file .*${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*another application's tables \\(orders\\)`,
        ),
      );
      expect(readFileSync(file).equals(before)).toBe(true);
      const after = new SQLite(file, { readonly: true });
      expect(after.prepare("select name from sqlite_master where type = 'table'").pluck().all()).toEqual(['orders']);
      after.close();
    });

    test("a file the server's user cannot read", async () => {
      const dir = dataDir();
      chmodSync(dir, 0o777);
      const file = path.join(dir, 'private.db');
      const db = new SQLite(file);
      db.exec('create table kysely_migration (name text)');
      db.close();
      chmodSync(file, 0o600);
      const started = run([], { HAMI_DATA_DIR: dir, PORT: '0', DATABASE_URL: file }, notRoot);
      expect(await started.exited).toBe(1);
      expect(started.output().trim()).toMatch(
        /^hami: configuration error: DATABASE_URL must be a SQLite database file .*private\.db cannot be read and written by this process \(EACCES\)$/,
      );
    });
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
      body: JSON.stringify({
        type: 'purchase',
        id: 'order-1001',
        sendAt: 'now',
        customer: { id: 'c-1', email: 'sara@example.com', locale: 'fa' },
      }),
    });
    expect(posted.status).toBe(202);
    await waitForOutput(demo, /dev outbox: survey email saved.* link=http:\/\/localhost:\d+\/s\/[A-Za-z0-9_-]{22}/, 5000);
  }, 90_000);
});
