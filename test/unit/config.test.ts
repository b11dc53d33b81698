import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

const KEY_A = 'hk_aaaaaaaaaaaaaaaaaaaa'; // 23 visible ASCII characters
const KEY_B = 'hk_bbbbbbbbbbbbbbbbbbbb';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected loadConfig(${JSON.stringify(env)}) to throw`);
}

describe('loadConfig defaults (nothing set)', () => {
  const config = loadConfig({});

  test('port 3000', () => expect(config.port).toBe(3000));
  test('SQLite at ./data/hami.db', () => expect(config.database).toEqual({ kind: 'sqlite', path: './data/hami.db' }));
  test('data folder ./data', () => expect(config.dataDir).toBe('./data'));
  test('mail from "Hami <surveys@localhost>"', () => expect(config.mailFrom).toBe('Hami <surveys@localhost>'));
  test('no public URL (the server uses localhost and its port)', () => expect(config.publicUrl).toBeNull());
  test('no SMTP (dev outbox)', () => expect(config.smtpUrl).toBeNull());
  test('no secret (generated and kept on first start)', () => expect(config.secret).toBeNull());
  test('no bootstrap API keys', () => expect(config.bootstrapApiKeys).toEqual([]));
  test('no HOST: every interface, as @hono/node-server listens by default', () => expect(config.host).toBeNull());
  test('admin@localhost with a generated password', () => expect(config.admin).toEqual({ email: 'admin@localhost', password: null }));
  test('phone numbers written nationally (0912…) are Iranian', () => expect(config.defaultCountry).toBe('IR'));
});

describe('blank values count as unset, and values are trimmed', () => {
  test('blank PORT and DATABASE_URL fall back to the defaults', () => {
    const config = loadConfig({ PORT: '   ', DATABASE_URL: '' });
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'sqlite', path: './data/hami.db' });
  });

  test('a PORT with blanks around is read', () => {
    expect(loadConfig({ PORT: ' 8080 ' }).port).toBe(8080);
  });
});

describe('a bad value throws a ConfigError whose message is one line naming the variable', () => {
  test.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['PORT', '1e3'],
    ['PORT', '0x10'],
    ['PUBLIC_URL', 'ftp://x'],
    ['PUBLIC_URL', 'survey.example.com'],
    ['SMTP_URL', 'http://x'],
    ['MAIL_FROM', 'nonsense'],
    ['MAIL_FROM', 'Shop <not an address>'],
    ['HAMI_ADMIN_EMAIL', 'bad'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'file:'],
    // SQLite would open a new, empty database in a file named "shop.db?mode=ro".
    ['DATABASE_URL', 'file:/path/shop.db?mode=ro'],
    ['DATABASE_URL', 'file:shop.db#backup'],
    ['PUBLIC_URL', 'https://survey.example.com/?ref=1'],
    ['PUBLIC_URL', 'https://survey.example.com/#top'],
    ['PUBLIC_URL', 'https://survey.example.com/?'],
    ['HOST', 'not a host'],
    ['HOST', '300.1.1.1:80'],
    ['HOST', 'http://127.0.0.1'],
    ['HAMI_TEAM_LOCALE', 'de'],
    ['HAMI_DEFAULT_COUNTRY', 'Iran'],
    ['HAMI_DEFAULT_COUNTRY', 'XX'],
    ['HAMI_DEFAULT_COUNTRY', '98'],
  ])('%s=%j', (variable, value) => {
    const error = configError({ [variable]: value });
    expect(error.name).toBe('ConfigError');
    expect(error.message.startsWith(`${variable} must be `)).toBe(true);
    expect(error.message).not.toMatch(/[\r\n]/);
    // it shows what it got, so the operator sees the typo
    expect(error.message).toContain(`(got "${value}")`);
  });

  test('PORT=70000 says what is expected', () => {
    expect(configError({ PORT: '70000' }).message).toBe('PORT must be a whole number from 0 to 65535 (got "70000")');
  });

  test('HAMI_ADMIN_PASSWORD too short: named, but the password itself is never shown', () => {
    const error = configError({ HAMI_ADMIN_PASSWORD: 'hunter2' });
    expect(error.message).toMatch(/^HAMI_ADMIN_PASSWORD must be at least 10 characters/);
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toMatch(/[\r\n]/);
  });

  test('HAMI_SECRET too short: named, and the secret is not shown', () => {
    const error = configError({ HAMI_SECRET: 'short-secret' });
    expect(error.message).toMatch(/^HAMI_SECRET must be at least 32 characters/);
    expect(error.message).not.toContain('short-secret');
  });

  test('HAMI_API_KEYS with a too-short key: named, and no part of any key is shown', () => {
    const error = configError({ HAMI_API_KEYS: `${KEY_A},tooshort9` });
    expect(error.message).toMatch(/^HAMI_API_KEYS must be /);
    expect(error.message).not.toContain('tooshort9');
    expect(error.message).not.toContain('toos'); // not even the first characters
    expect(error.message).not.toMatch(/[\r\n]/);
  });

  test('HAMI_API_KEYS with a key holding a non-ASCII character is refused', () => {
    expect(configError({ HAMI_API_KEYS: 'hk_ééééééééééééééééééé' }).message).toMatch(/^HAMI_API_KEYS /);
  });

  test('a bad SMTP_URL does not show the password inside it', () => {
    // an unencoded "/" in the password makes this URL unparseable
    const error = configError({ SMTP_URL: 'smtp://mailer:s3cr/etPass@mail.example.com:587' });
    expect(error.message).toMatch(/^SMTP_URL must be /);
    expect(error.message).not.toContain('s3cr/etPass');
    expect(error.message).not.toContain('etPass');
    // the rest is still shown, so the operator can see which URL is meant
    expect(error.message).toContain('(got "smtp://mailer:***@mail.example.com:587")');
  });

  test('a bad DATABASE_URL does not show the password inside it', () => {
    const error = configError({ DATABASE_URL: 'mysql://hami:Db-Passw0rd@db.internal/hami' });
    expect(error.message).toMatch(/^DATABASE_URL must be /);
    expect(error.message).not.toContain('Db-Passw0rd');
    expect(error.message).toContain('(got "mysql://hami:***@db.internal/hami")');
  });

  test('a value with a line break inside still gives a one-line message', () => {
    const error = configError({ PORT: '80\n80' });
    expect(error.message).toMatch(/^PORT must be /);
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message).toContain('(got "80\\x0a80")');
  });

  test('a very long bad value is cut short in the message', () => {
    const long = `ftp://${'x'.repeat(200)}`;
    const error = configError({ PUBLIC_URL: long });
    expect(error.message).not.toContain(long);
    expect(error.message).toContain('...');
    expect(error.message.length).toBeLessThan(200);
  });
});

describe('good values', () => {
  test.each([
    ['0', 0], // 0 picks a free port (tests)
    ['8080', 8080],
    ['65535', 65535],
  ])('PORT=%s → %i', (value, port) => {
    expect(loadConfig({ PORT: value }).port).toBe(port);
  });

  test.each([
    ['file:/tmp/x.db', { kind: 'sqlite', path: '/tmp/x.db' }],
    ['file:./var/hami.db', { kind: 'sqlite', path: './var/hami.db' }],
    ['/var/lib/hami/hami.db', { kind: 'sqlite', path: '/var/lib/hami/hami.db' }],
    ['./hami.sqlite', { kind: 'sqlite', path: './hami.sqlite' }],
    ['postgres://hami:pw@db:5432/hami', { kind: 'postgres', url: 'postgres://hami:pw@db:5432/hami' }],
    ['postgresql://db/hami', { kind: 'postgres', url: 'postgresql://db/hami' }],
  ] as const)('DATABASE_URL=%s', (value, database) => {
    expect(loadConfig({ DATABASE_URL: value }).database).toEqual(database);
  });

  test.each([
    ['GB', 'GB'],
    ['de', 'DE'],
    [' IR ', 'IR'],
  ])('HAMI_DEFAULT_COUNTRY=%j → %s', (value, country) => {
    expect(loadConfig({ HAMI_DEFAULT_COUNTRY: value }).defaultCountry).toBe(country);
  });

  test.each([
    [undefined, 'en'],
    ['fa', 'fa'],
    ['en', 'en'],
  ])('HAMI_TEAM_LOCALE=%j → staff alerts in %s', (value, locale) => {
    expect(loadConfig(value === undefined ? {} : { HAMI_TEAM_LOCALE: value }).teamLocale).toBe(locale);
  });

  test('HAMI_DATA_DIR moves the default database with it', () => {
    const config = loadConfig({ HAMI_DATA_DIR: '/srv/hami' });
    expect(config.dataDir).toBe('/srv/hami');
    expect(config.database).toEqual({ kind: 'sqlite', path: '/srv/hami/hami.db' });
  });

  test('HAMI_API_KEYS splits on commas, trims each key and drops empty ones', () => {
    expect(loadConfig({ HAMI_API_KEYS: ` ${KEY_A} ,${KEY_B},, ` }).bootstrapApiKeys).toEqual([KEY_A, KEY_B]);
  });

  test('a single API key', () => {
    expect(loadConfig({ HAMI_API_KEYS: KEY_A }).bootstrapApiKeys).toEqual([KEY_A]);
  });

  test.each([
    ['https://survey.example.com/', 'https://survey.example.com'],
    ['https://survey.example.com', 'https://survey.example.com'],
    ['http://localhost:3000//', 'http://localhost:3000'],
    ['https://example.com/hami/', 'https://example.com/hami'],
  ])('PUBLIC_URL=%s → %s (trailing slash trimmed)', (value, expected) => {
    expect(loadConfig({ PUBLIC_URL: value }).publicUrl).toBe(expected);
  });

  test.each(['smtp://user:pass@mail.example.com:587', 'smtps://mail.example.com'])('SMTP_URL=%s is kept', (value) => {
    expect(loadConfig({ SMTP_URL: value }).smtpUrl).toBe(value);
  });

  test.each(['Shop <no-reply@shop.example>', 'no-reply@shop.example', 'فروشگاه <no-reply@shop.example>'])(
    'MAIL_FROM=%s is kept',
    (value) => {
      expect(loadConfig({ MAIL_FROM: value }).mailFrom).toBe(value);
    },
  );

  test('first admin from HAMI_ADMIN_EMAIL and HAMI_ADMIN_PASSWORD', () => {
    expect(loadConfig({ HAMI_ADMIN_EMAIL: 'boss@shop.example', HAMI_ADMIN_PASSWORD: 'ten-chars!' }).admin).toEqual({
      email: 'boss@shop.example',
      password: 'ten-chars!',
    });
  });

  test('HAMI_SECRET of 32 characters is accepted', () => {
    const secret = 's'.repeat(32);
    expect(loadConfig({ HAMI_SECRET: secret }).secret).toBe(secret);
  });
});

describe('HOST chooses the address the server listens on', () => {
  test.each(['127.0.0.1', '0.0.0.0', '::1', '::', 'localhost', 'hami.internal'])('HOST=%s is taken as given', (host) => {
    expect(loadConfig({ HOST: host }).host).toBe(host);
  });
});
