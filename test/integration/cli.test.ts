import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { verifyPassword } from '../../server/auth/hashing.js';
import { openDatabase } from '../../server/db/connect.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI the way `npx hami` does (through its launcher), in its own data folder. */
function hami(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['server/bin/hami.mjs', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH!, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function lines(text: string): string[] {
  return text.trim().split('\n');
}

describe('npx hami user …', { timeout: 60_000 }, () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh, empty data folder: the CLI must migrate it itself. */
  function dataDir(): { HAMI_DATA_DIR: string } {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-cli-'));
    dirs.push(dir);
    return { HAMI_DATA_DIR: dir };
  }

  async function passwordHash(env: { HAMI_DATA_DIR: string }, email: string): Promise<string> {
    const db = openDatabase({ kind: 'sqlite', path: path.join(env.HAMI_DATA_DIR, 'hami.db') });
    try {
      const row = await db.selectFrom('users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow();
      return row.password_hash;
    } finally {
      await db.destroy();
    }
  }

  test('--help lists the user commands, and each command has its own help', async () => {
    const top = await hami(['--help'], dataDir());
    expect(top.code).toBe(0);
    for (const command of ['user add', 'user list', 'user disable', 'user reset-password']) expect(top.stdout).toContain(command);

    const add = await hami(['user', 'add', '--help'], dataDir());
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('$ hami user add');
    for (const option of ['--email', '--name', '--role', '--password']) expect(add.stdout).toContain(option);
    expect(add.stdout).toContain('admin, care, marketing');
  });

  test('add creates a user in a fresh data folder, prints a generated password once, and list shows it', async () => {
    const env = dataDir();
    const added = await hami(['user', 'add', '--email', 'Sara@Example.com', '--name', 'Sara Ahmadi', '--role', 'care'], env);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('sara@example.com');
    const [, password] = /password: (\S+)/.exec(added.stdout) ?? [];
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(await verifyPassword(password!, await passwordHash(env, 'sara@example.com'))).toBe(true);

    const listed = await hami(['user', 'list'], env);
    expect(listed.code).toBe(0);
    const [header, , row] = lines(listed.stdout);
    expect(header!.split(/\s+/)).toEqual(['email', 'name', 'role', 'disabled']);
    expect(row).toMatch(/^sara@example\.com\s+Sara Ahmadi\s+care\s+no$/);
    expect(listed.stdout).not.toContain(password);
  });

  test('a given password is kept exactly as typed (even when it looks like a number) and not printed', async () => {
    const env = dataDir();
    const added = await hami(['user', 'add', '--email', 'ali@example.com', '--name', 'Ali', '--role', 'admin', '--password', '0123456789'], env);
    expect(added.code).toBe(0);
    expect(added.stdout).not.toContain('0123456789');
    expect(await verifyPassword('0123456789', await passwordHash(env, 'ali@example.com'))).toBe(true);
  });

  test('a duplicate email exits 1 with one line naming the email', async () => {
    const env = dataDir();
    expect((await hami(['user', 'add', '--email', 'sara@example.com', '--name', 'Sara', '--role', 'care'], env)).code).toBe(0);
    const again = await hami(['user', 'add', '--email', 'SARA@example.com', '--name', 'Other', '--role', 'admin'], env);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(lines(again.stderr)).toEqual(['hami: a user with email sara@example.com already exists']);
  });

  test.each([
    [['--email', 'b@example.com', '--name', 'B', '--role', 'boss'], /^hami: --role must be one of admin, care, marketing \(got "boss"\)$/],
    [['--email', 'b@example.com', '--name', 'B', '--role', 'care', '--password', 'short'], /^hami: --password must be at least 10 characters$/],
    [['--email', 'not-an-email', '--name', 'B', '--role', 'care'], /^hami: --email must be an email address/],
    [['--name', 'B', '--role', 'care'], /^hami: user add needs --email \(see hami user add --help\)$/],
    [['--email', 'b@example.com', '--name', 'B', '--role', 'care', '--colour', 'red'], /^hami: user add: unknown option `--colour`/],
  ])('bad input %j exits 1 with one line naming the field, and creates nobody', async (args, expected) => {
    const env = dataDir();
    const run = await hami(['user', 'add', ...args], env);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(expected);
    expect((await hami(['user', 'list'], env)).stdout).toContain('no users yet');
  });

  test('disable marks the user disabled in the list; an unknown email exits 1', async () => {
    const env = dataDir();
    await hami(['user', 'add', '--email', 'sara@example.com', '--name', 'Sara', '--role', 'care'], env);
    const disabled = await hami(['user', 'disable', '--email', 'sara@example.com'], env);
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toContain('disabled sara@example.com');
    expect(lines((await hami(['user', 'list'], env)).stdout)[2]).toMatch(/^sara@example\.com\s+Sara\s+care\s+yes$/);

    const unknown = await hami(['user', 'disable', '--email', 'nobody@example.com'], env);
    expect(unknown.code).toBe(1);
    expect(lines(unknown.stderr)).toEqual(['hami: no user with email nobody@example.com']);
  });

  test('reset-password prints a new password once; the old one no longer verifies', async () => {
    const env = dataDir();
    await hami(['user', 'add', '--email', 'sara@example.com', '--name', 'Sara', '--role', 'care', '--password', 'the old password'], env);
    expect(await verifyPassword('the old password', await passwordHash(env, 'sara@example.com'))).toBe(true);

    const reset = await hami(['user', 'reset-password', '--email', 'sara@example.com'], env);
    expect(reset.code).toBe(0);
    const [, password] = /password: (\S+)/.exec(reset.stdout) ?? [];
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const hash = await passwordHash(env, 'sara@example.com');
    expect(await verifyPassword('the old password', hash)).toBe(false);
    expect(await verifyPassword(password!, hash)).toBe(true);

    const unknown = await hami(['user', 'reset-password', '--email', 'nobody@example.com'], env);
    expect(unknown.code).toBe(1);
    expect(lines(unknown.stderr)).toEqual(['hami: no user with email nobody@example.com']);
  });

  test('an unknown command exits non-zero with a line that names the commands', async () => {
    for (const args of [['frobnicate'], ['user', 'frobnicate']]) {
      const run = await hami(args, dataDir());
      expect(run.code).not.toBe(0);
      expect(lines(run.stderr)).toHaveLength(1);
      expect(run.stderr).toMatch(/^hami: unknown command ".*frobnicate".*user add.*--help/);
    }
  });

  test('a bad environment value exits 1 with one line naming the variable', async () => {
    const run = await hami(['user', 'list'], { ...dataDir(), HAMI_TIME_ZONE: 'Mars/Olympus' });
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/^hami: configuration error: HAMI_TIME_ZONE must be an IANA time zone/)]);
  });
});
