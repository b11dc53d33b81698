import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { authenticateApiKey } from '../../server/auth/api-keys.js';
import { verifyPassword } from '../../server/auth/hashing.js';
import { runCli } from '../../server/cli.js';
import { openDatabase } from '../../server/db/connect.js';
import { runHamiCommand } from '../helpers/run-cli.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Runs the real CLI the way `npx hami` does (through its launcher), in its own data folder. */
const hami = (args: string[], env: Record<string, string>) => runHamiCommand(args, env, 20_000);

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
    for (const command of [
      'user add',
      'user list',
      'user set-role',
      'user disable',
      'user enable',
      'user reset-password',
      'apikey create <name>',
      'apikey list',
      'apikey revoke <id-or-prefix>',
    ]) {
      expect(top.stdout).toContain(command);
    }

    const add = await hami(['user', 'add', '--help'], dataDir());
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('$ hami user add');
    for (const option of ['--email', '--name', '--role', '--password']) expect(add.stdout).toContain(option);
    expect(add.stdout).toContain('admin, care, marketing');

    const revoke = await hami(['apikey', 'revoke', '--help'], dataDir());
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toContain('$ hami apikey revoke');
    expect(revoke.stdout).toContain('id or its prefix');
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
    const added = await hami(
      ['user', 'add', '--email', 'ali@example.com', '--name', 'Ali', '--role', 'admin', '--password', '0123456789'],
      env,
    );
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
    [
      ['--email', 'b@example.com', '--name', 'B', '--role', 'care', '--password', 'short'],
      /^hami: --password must be at least 10 characters$/,
    ],
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

/** The same commands run in this process (runCli is what the launcher calls): the launcher itself is tested above. */
describe('npx hami apikey …', { timeout: 60_000 }, () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  function freshEnv(): Record<string, string> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-cli-'));
    dirs.push(dir);
    return { HAMI_DATA_DIR: dir };
  }
  async function run(args: string[], env: Record<string, string>) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, { env, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  }
  async function withDb<T>(env: Record<string, string>, work: (db: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> {
    const db = openDatabase({ kind: 'sqlite', path: path.join(env.HAMI_DATA_DIR!, 'hami.db') });
    try {
      return await work(db);
    } finally {
      await db.destroy();
    }
  }

  test('create prints the key once; it authenticates; list shows prefix and last use, never the key; revoke by prefix stops it', async () => {
    const env = freshEnv();
    const created = await run(['apikey', 'create', 'Shop (production)'], env);
    expect(created.code).toBe(0);
    expect(created.err).toEqual([]);
    const key = /key: (hami_\S+)/.exec(created.out.join('\n'))![1]!;
    const prefix = key.slice(0, 9);
    expect(created.out[0]).toMatch(new RegExp(`^created API key "Shop \\(production\\)", id [0-9a-f-]{36}, prefix ${prefix}$`));

    const before = await run(['apikey', 'list'], env);
    expect(before.out.join('\n')).toContain(prefix);
    expect(before.out.join('\n')).not.toContain(key.slice(9));
    expect(before.out[2]).toMatch(/ - +- +Shop \(production\)$/);

    expect(await withDb(env, (db) => authenticateApiKey(db, key, new Date('2026-06-01T10:00:00Z')))).toMatchObject({
      name: 'Shop (production)',
    });
    expect((await run(['apikey', 'list'], env)).out[2]).toContain('2026-06-01 10:00');

    const revoked = await run(['apikey', 'revoke', prefix], env);
    expect(revoked).toMatchObject({ code: 0, err: [] });
    expect(revoked.out[0]).toMatch(new RegExp(`^revoked "Shop \\(production\\)" \\(${prefix}\\)`));
    expect(await withDb(env, (db) => authenticateApiKey(db, key, new Date()))).toBeNull();
    const again = await run(['apikey', 'revoke', prefix], env);
    expect(again.code).toBe(1);
    expect(again.err).toEqual([`hami: no API key with id or prefix ${prefix} (see hami apikey list)`]);
  });

  test('revoke by id; a name that looks like a number is kept as typed', async () => {
    const env = freshEnv();
    const created = await run(['apikey', 'create', '2024'], env);
    const id = /id ([0-9a-f-]{36})/.exec(created.out[0]!)![1]!;
    expect(created.out[0]).toContain('"2024"');
    expect(await run(['apikey', 'revoke', id], env)).toMatchObject({ code: 0 });
    const again = await run(['apikey', 'revoke', id], env);
    expect(again).toMatchObject({ code: 0, err: [] });
    expect(again.out[0]).toMatch(/^"2024" \(hami_.{4}\) was already revoked at /);
    expect((await run(['apikey', 'list'], env)).out).toHaveLength(3);
  });

  test.each([
    [
      ['apikey', 'create'],
      /^hami: apikey create: missing required args for command `apikey create <name>` \(see hami apikey create --help\)$/,
    ],
    [['apikey', 'create', 'two', 'words'], /^hami: apikey create: unused args: `words` \(see hami apikey create --help\)$/],
    [['apikey', 'create', 'x'.repeat(101)], /^hami: the name must be at most 100 characters$/],
    [['apikey', 'create', 'ok', '--scope', 'all'], /^hami: apikey create: unknown option `--scope` \(see hami apikey create --help\)$/],
    [['apikey', 'revoke', 'nope'], /^hami: no API key with id or prefix nope \(see hami apikey list\)$/],
    [['apikey'], /^hami: apikey needs a command: create, list, revoke \(see hami --help\)$/],
    [['apikey', 'rotate'], /^hami: unknown command "apikey rotate"/],
  ])('%j exits 1 with one clear line', async (args, message) => {
    const result = await run(args, freshEnv());
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(message);
  });

  test('values are kept exactly as typed: a password starting with "-" (written --password=-…), a leading zero, a phone-like name', async () => {
    const env = freshEnv();
    const added = await run(
      ['user', 'add', '--email', 'dash@example.com', '--name', '0912', '--role', 'care', '--password=-starts-with-a-dash'],
      env,
    );
    expect(added).toMatchObject({ code: 0, err: [] });
    expect(added.out[0]).toContain('(0912)');
    const hash = await withDb(env, (db) =>
      db.selectFrom('users').select('password_hash').where('email', '=', 'dash@example.com').executeTakeFirstOrThrow(),
    );
    expect(await verifyPassword('-starts-with-a-dash', hash.password_hash)).toBe(true);
    const key = await run(['apikey', 'create', '09121234567'], env);
    expect(key.out[0]).toContain('"09121234567"');
    // Written as a separate word, a value starting with "-" would be read as an option: refused, saying how to write it.
    const ambiguous = await run(['user', 'reset-password', '--email', 'dash@example.com', '--password', '-x-long-enough'], env);
    expect(ambiguous).toMatchObject({
      code: 1,
      err: [
        'hami: user reset-password: --password needs a value (one starting with "-" is written --password=-…) (see hami user reset-password --help)',
      ],
    });
    const twice = await run(['user', 'disable', '--email', 'dash@example.com', '--email', 'other@example.com'], env);
    expect(twice).toMatchObject({ code: 1, err: ['hami: user disable: --email was given more than once (see hami user disable --help)'] });
  });

  test('import takes --map more than once, each value as typed', async () => {
    const dir = freshEnv();
    const file = path.join(dir.HAMI_DATA_DIR!, 'shop.csv');
    writeFileSync(file, 'Client No,Full Name,Mobile\n007,Sara,09121234567\n');
    const result = await run(['import', file, '--kind', 'customers', '--map', 'Client No=id', '--map=Mobile=phone'], dir);
    expect(result).toMatchObject({ code: 0, err: [] });
    const customer = await withDb(dir, (db) =>
      db.selectFrom('customers').select(['external_id', 'name', 'phone']).executeTakeFirstOrThrow(),
    );
    expect(customer).toEqual({ external_id: '007', name: 'Sara', phone: '+989121234567' });
  });

  test('a Delighted export with CSAT and CES rows beside its NPS answers imports cleanly: exit 0, the left-out rows named', async () => {
    const fixture = path.join(ROOT, 'test/fixtures/imports/delighted-responses-by-id.csv');
    const result = await run(['import', '--kind', 'delighted-responses', fixture], freshEnv());
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      expect.stringMatching(/^delighted-responses: 6 rows, imported 3 new, updated 0, skipped 0 already there, 0 with errors$/),
      expect.stringMatching(/^not imported: 2 csat rows — Hami brings over Delighted's NPS answers/),
      expect.stringMatching(/^not imported: 1 ces7 rows — /),
    ]);
  });

  test('import hands the file and options to the CSV import and returns its exit code', async () => {
    const fixture = path.join(ROOT, 'test/fixtures/imports/customers.csv');
    const dry = await run(['import', '--kind', 'customers', fixture, '--dry-run'], freshEnv());
    // The fixture has one bad row on purpose: reported with its row number, and the exit code says so.
    expect(dry.err).toEqual([]);
    expect(dry.code).toBe(1);
    expect(dry.out).toEqual([
      expect.stringMatching(/^customers: 3 rows, would import 2 new.*dry run/),
      'row 4, email: must be an email address',
    ]);
    const missing = await run(['import', 'no-such-file.csv'], freshEnv());
    expect(missing).toMatchObject({ code: 1, err: ['hami import: cannot read no-such-file.csv'] });
    const kind = await run(['import', fixture, '--kind', 'orders'], freshEnv());
    expect(kind.code).toBe(1);
    expect(kind.err).toEqual([expect.stringMatching(/^hami import: --kind must be one of customers, events/)]);
    const none = await run(['import'], freshEnv());
    expect(none).toMatchObject({ code: 1, err: [expect.stringMatching(/^hami: import: missing required args/)] });
  });
});
