import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { loadDkimConfig } from '../../server/channels/email/dkim.js';
import { ConfigError } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import { plainHttpWarning } from '../../server/start.js';
import { checkDkim } from '../helpers/dkim.js';
import { startTestHami, type TestHami } from '../helpers/hami.js';
import { thrown } from '../helpers/sms-gateways.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const DKIM = { DKIM_DOMAIN: 'shop.example', DKIM_SELECTOR: 'hami2026' };

describe('DKIM signing', () => {
  let dir = '';
  let hami: TestHami | undefined;
  let smtp: TestSmtpServer | undefined;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hami-dkim-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await hami?.stopAndClean();
    await smtp?.close();
    hami = smtp = undefined;
  });

  /** One survey email through a real SMTP server on loopback, as it arrived. */
  async function surveyMail(keyValue: string): Promise<Buffer> {
    smtp = await startSmtpServer();
    hami = await startTestHami({
      smtpUrl: smtp.url,
      env: { ...DKIM, DKIM_PRIVATE_KEY: keyValue, MAIL_FROM: 'Anar <surveys@shop.example>' },
    });
    expect(hami.deps.email.describe).toContain('DKIM-signed as hami2026._domainkey.shop.example');
    await hami.postEvent({ type: 'purchase', id: 'o-1', sendAt: 'now', customer: { id: 'c-1', email: 'sara@example.com' } });
    await smtp.waitForMessages(1);
    return smtp.raw[0]!;
  }

  test.each([
    ['the PEM text itself', () => PEM],
    ['the PEM on one line with \\n escapes, as env files hold it', () => PEM.trimEnd().replace(/\n/g, '\\n')],
    [
      'a file path',
      () => {
        const file = path.join(dir, 'dkim.pem');
        writeFileSync(file, PEM);
        return file;
      },
    ],
  ])(
    'a survey email carries a DKIM signature that verifies with the public key, covering List-Unsubscribe and List-Unsubscribe-Post (key given as %s)',
    async (_label, key) => {
      const raw = await surveyMail(key());
      const result = checkDkim(raw, publicKey);
      expect(result.tags).toMatchObject({ v: '1', d: 'shop.example', s: 'hami2026' });
      expect(result.bodyHashMatches).toBe(true);
      expect(result.signatureValid).toBe(true);
      expect(result.signedHeaders).toEqual(expect.arrayContaining(['from', 'subject', 'list-unsubscribe', 'list-unsubscribe-post']));
      expect(raw.toString('latin1')).toMatch(/\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n/i);
    },
  );

  test('a List-Unsubscribe-Post changed on the way no longer verifies (the check can fail)', async () => {
    const raw = await surveyMail(PEM);
    const tampered = Buffer.from(raw.toString('latin1').replace(/List-Unsubscribe=One-Click/i, 'List-Unsubscribe=Never'), 'latin1');
    expect(checkDkim(tampered, publicKey).signatureValid).toBe(false);
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(checkDkim(raw, otherKey).signatureValid).toBe(false);
  });

  test('without the DKIM variables mail goes unsigned', async () => {
    smtp = await startSmtpServer();
    hami = await startTestHami({ smtpUrl: smtp.url });
    await hami.postEvent({ type: 'purchase', id: 'o-1', sendAt: 'now', customer: { id: 'c-1', email: 'sara@example.com' } });
    await smtp.waitForMessages(1);
    expect(smtp.raw[0]!.toString('latin1')).not.toMatch(/^DKIM-Signature:/im);
  });

  function configError(env: Record<string, string>): string {
    const error = thrown(() => loadDkimConfig(env));
    expect(error).toBeInstanceOf(ConfigError);
    return error.message;
  }

  test.each([
    [{ DKIM_DOMAIN: 'shop.example' }, /^DKIM_SELECTOR must be set when DKIM_DOMAIN is \(DKIM needs all three, or none\)$/],
    [{ DKIM_DOMAIN: 'shop.example', DKIM_SELECTOR: 's1' }, /^DKIM_PRIVATE_KEY must be set when DKIM_DOMAIN and DKIM_SELECTOR are/],
    [{ DKIM_PRIVATE_KEY: 'x' }, /^DKIM_DOMAIN must be set when DKIM_PRIVATE_KEY is/],
  ])('only some of the three DKIM variables: start-up names the missing one (%#)', (env, message) => {
    expect(configError(env)).toMatch(message);
  });

  test('a key that cannot be read or is not an RSA key stops start-up with a clear message, never echoing the key', () => {
    expect(configError({ ...DKIM, DKIM_PRIVATE_KEY: '/nonexistent/dkim.pem' })).toMatch(
      /^DKIM_PRIVATE_KEY must be .*could not be read: ENOENT/,
    );
    const broken = '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----';
    const message = configError({ ...DKIM, DKIM_PRIVATE_KEY: broken });
    expect(message).toMatch(/^DKIM_PRIVATE_KEY must be an RSA private key in PEM form/);
    expect(message).not.toContain('not a key');
    const ed25519 = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(configError({ ...DKIM, DKIM_PRIVATE_KEY: ed25519 })).toMatch(/rsa-sha256; this one is ed25519/);
    expect(configError({ ...DKIM, DKIM_DOMAIN: 'not a domain', DKIM_PRIVATE_KEY: PEM })).toMatch(/^DKIM_DOMAIN must be/);
  });
});

describe('start-up warning when PUBLIC_URL is not https', () => {
  test.each([
    ['http://survey.shop.example', true],
    ['http://203.0.113.7:3000', true],
    ['https://survey.shop.example', false],
    ['http://localhost:3000', false],
    ['http://127.0.0.1:8080', false],
    ['http://[::1]:3000', false],
    ['http://hami.localhost', false],
  ])('PUBLIC_URL=%s warns: %s', (url, warns) => {
    const warning = plainHttpWarning(url);
    if (warns) expect(warning).toMatch(/PUBLIC_URL is not https: .*one-click unsubscribe \(RFC 8058\)/);
    else expect(warning).toBeNull();
  });

  test("unset PUBLIC_URL (development: the server's own address) does not warn", () => {
    expect(plainHttpWarning(null)).toBeNull();
  });

  test('the server says so in its start-up log', async () => {
    const lines: string[] = [];
    const hami = await startTestHami({ env: { PUBLIC_URL: 'http://survey.shop.example' }, log: createLogger((line) => lines.push(line)) });
    await hami.stopAndClean();
    expect(lines.filter((line) => line.includes('PUBLIC_URL is not https'))).toHaveLength(1);
  });
});
