import { describe, expect, test } from 'vitest';
import { loadBaleConfig } from '../../server/channels/bale/config.js';
import { loadSmsConfig } from '../../server/channels/sms/config.js';
import { smsWebhookUrls } from '../../server/channels/sms/webhook-routes.js';
import { channelWebhooks, webhookBannerLines } from '../../server/channels/webhook-urls.js';

const PUBLIC = 'https://survey.shop.example';
const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const hooks = smsWebhookUrls(PUBLIC, SECRET);
const envs = {
  kavenegar: { SMS_PROVIDER: 'kavenegar', SMS_KAVENEGAR_API_KEY: 'k-0123' },
  twilio: {
    SMS_PROVIDER: 'twilio',
    SMS_TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    SMS_TWILIO_AUTH_TOKEN: 'tok',
    SMS_TWILIO_FROM: '+15017122661',
  },
  http: { SMS_PROVIDER: 'http', SMS_HTTP_URL: 'https://gw.example/send', SMS_HTTP_TOKEN: 'tok' },
};

describe("start-up banner: where each channel's webhooks must point", () => {
  test.each([
    ['kavenegar', /Kavenegar panel: delivery report URL/, /Kavenegar panel: the line's receive URL/],
    ['twilio', /StatusCallback: nothing to set/, /"A message comes in" webhook, HTTP POST/],
    ['http', /POST \{ reference, status \}/, /POST \{ from, text \}/],
  ] as const)('%s: delivery reports and replies, each with where to set it up', (provider, statusWhere, inboundWhere) => {
    const endpoints = channelWebhooks({ sms: loadSmsConfig(envs[provider]), bale: loadBaleConfig({}) }, PUBLIC, SECRET);
    expect(endpoints.map((e) => [e.channel, e.purpose, e.url])).toEqual([
      ['sms', 'delivery reports', hooks.status],
      ['sms', 'replies', hooks.inbound],
    ]);
    const [status, inbound] = webhookBannerLines(endpoints);
    expect(status).toMatch(new RegExp(`^  sms webhooks   delivery reports ${hooks.status.replace(/[.?+]/g, '\\$&')}  \\(`));
    expect(status).toMatch(statusWhere);
    expect(inbound).toMatch(/^ {17}replies {10}https:\/\//);
    expect(inbound).toMatch(inboundWhere);
  });

  test('the dev outbox needs no webhook, so none is printed', () => {
    expect(channelWebhooks({ sms: loadSmsConfig({}), bale: loadBaleConfig({}) }, PUBLIC, SECRET)).toEqual([]);
    expect(webhookBannerLines([])).toEqual([]);
  });
});
