import { describe, expect, test } from 'vitest';
import { loadSmsConfig } from '../../server/channels/sms/config.js';
import { loadBaleConfig } from '../../server/channels/bale/config.js';
import { describeSmsConfig } from '../../server/channels/sms/create.js';
import { channelWebhooks, webhookBannerLines } from '../../server/channels/webhook-urls.js';
import { ConfigError } from '../../server/config.js';
import { thrown } from '../helpers/sms-gateways.js';

function configError(env: Record<string, string>): ConfigError {
  const error = thrown(() => loadSmsConfig(env));
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

const smsir = { SMS_PROVIDER: 'smsir', SMS_SMSIR_API_KEY: 'PN1TVeBeaAehFLJAKU4Xdfps', SMS_SMSIR_LINE_NUMBER: '30004505000017' };
const ghasedak = { SMS_PROVIDER: 'ghasedak', SMS_GHASEDAK_API_KEY: 'b7ee4c0ffee', SMS_GHASEDAK_LINE_NUMBER: '21000000' };
const melipayamak = {
  SMS_PROVIDER: 'melipayamak',
  SMS_MELIPAYAMAK_USERNAME: 'anarshop',
  SMS_MELIPAYAMAK_PASSWORD: 'p4ss-w0rd',
  SMS_MELIPAYAMAK_FROM: '50004001',
};

describe('loadSmsConfig for the Iranian panels', () => {
  test('each reads its credentials and line', () => {
    expect(loadSmsConfig(smsir)).toEqual({
      provider: 'smsir',
      ratePerSecond: 5,
      smsir: { apiKey: 'PN1TVeBeaAehFLJAKU4Xdfps', lineNumber: '30004505000017' },
    });
    expect(loadSmsConfig({ ...ghasedak, SMS_PROVIDER: 'Ghasedak' })).toEqual({
      provider: 'ghasedak',
      ratePerSecond: 5,
      ghasedak: { apiKey: 'b7ee4c0ffee', lineNumber: '21000000' },
    });
    expect(loadSmsConfig(melipayamak)).toEqual({
      provider: 'melipayamak',
      ratePerSecond: 5,
      melipayamak: { username: 'anarshop', password: 'p4ss-w0rd', from: '50004001' },
    });
  });

  test.each([
    [{ ...smsir, SMS_SMSIR_API_KEY: '' }, 'SMS_SMSIR_API_KEY'],
    [{ ...smsir, SMS_SMSIR_LINE_NUMBER: '' }, 'SMS_SMSIR_LINE_NUMBER'],
    [{ ...ghasedak, SMS_GHASEDAK_API_KEY: '' }, 'SMS_GHASEDAK_API_KEY'],
    [{ ...ghasedak, SMS_GHASEDAK_LINE_NUMBER: '' }, 'SMS_GHASEDAK_LINE_NUMBER'],
    [{ ...melipayamak, SMS_MELIPAYAMAK_USERNAME: '' }, 'SMS_MELIPAYAMAK_USERNAME'],
    [{ ...melipayamak, SMS_MELIPAYAMAK_PASSWORD: '' }, 'SMS_MELIPAYAMAK_PASSWORD'],
    [{ ...melipayamak, SMS_MELIPAYAMAK_FROM: '' }, 'SMS_MELIPAYAMAK_FROM'],
  ])('a missing value names its variable (%#)', (env, variable) => {
    const { message } = configError(env);
    expect(message.startsWith(`${variable} must be set when SMS_PROVIDER=`)).toBe(true);
  });

  test('a line that is not digits is refused and named; keys and passwords are never echoed', () => {
    expect(configError({ ...smsir, SMS_SMSIR_LINE_NUMBER: '3000-4505' }).message).toMatch(/^SMS_SMSIR_LINE_NUMBER must be .*digits only/);
    const key = configError({ ...ghasedak, SMS_GHASEDAK_API_KEY: 'my secret key' }).message;
    expect(key).toMatch(/^SMS_GHASEDAK_API_KEY must be/);
    expect(key).not.toContain('my secret key');
    const password = configError({ ...melipayamak, SMS_MELIPAYAMAK_PASSWORD: 'pass word' }).message;
    expect(password).toMatch(/^SMS_MELIPAYAMAK_PASSWORD must be/);
    expect(password).not.toContain('pass word');
  });

  test('the banner names the gateway and line, never the key, and says no webhook needs setting up', () => {
    const line = describeSmsConfig(loadSmsConfig(smsir), '/data/outbox');
    expect(line).toBe('SMS.ir from 30004505000017, 5/s');
    expect(line).not.toContain(smsir.SMS_SMSIR_API_KEY);
    const banner = (env: Record<string, string>) =>
      webhookBannerLines(
        channelWebhooks(
          { sms: loadSmsConfig(env), bale: loadBaleConfig({}) },
          'https://hami.example',
          'a-secret-of-at-least-thirty-two-characters',
        ),
      );
    expect(banner(melipayamak)).toEqual([
      '  sms webhooks   none to set up: replies and delivery reports are fetched from Melipayamak every minute',
    ]);
    expect(banner({ SMS_PROVIDER: 'kavenegar', SMS_KAVENEGAR_API_KEY: 'k' }).join('\n')).toContain('https://hami.example/hooks/sms/');
    expect(banner({})).toEqual([]);
  });
});
