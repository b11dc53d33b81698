import type { Config } from '../config.js';
import { baleWebhookUrl } from './bale/webhook-routes.js';
import { smsWebhookUrls } from './sms/webhook-routes.js';

/**
 * Where each configured channel's gateway must call Hami back, for the start-up banner: one entry per webhook, with
 * where it is set up on the provider's side. A new channel or gateway adds its entries here, so every one is printed
 * the same way. The URLs carry a secret and are printed only on the operator's console.
 */
interface WebhookEndpoint {
  channel: string;
  /** What arrives there: "delivery reports", "replies", … */
  purpose: string;
  /** Empty when the channel needs no webhook and `setUp` says why (gateways Hami polls). */
  url: string;
  /** Where to enter it at the provider, or that nothing needs doing. */
  setUp: string;
}

function smsEndpoints(sms: Config['sms'], publicUrl: string, secret: string): WebhookEndpoint[] {
  if (sms.provider === null) return [];
  const { status, inbound } = smsWebhookUrls(publicUrl, secret);
  const entry = (purpose: string, url: string, setUp: string): WebhookEndpoint => ({ channel: 'sms', purpose, url, setUp });
  switch (sms.provider) {
    case 'kavenegar':
      return [
        entry('delivery reports', status, 'Kavenegar panel: delivery report URL'),
        entry('replies', inbound, "Kavenegar panel: the line's receive URL"),
      ];
    case 'twilio':
      return [
        entry('delivery reports', status, 'sent with each message as StatusCallback: nothing to set'),
        entry('replies', inbound, 'Twilio Console: the number\'s "A message comes in" webhook, HTTP POST'),
      ];
    case 'http':
      return [
        entry('delivery reports', status, 'your gateway: POST { reference, status } with the bearer token'),
        entry('replies', inbound, 'your gateway: POST { from, text } with the bearer token'),
      ];
    // These call no webhooks: Hami fetches their replies and delivery reports (server/channels/sms/poll.ts).
    case 'smsir':
    case 'ghasedak':
    case 'melipayamak': {
      const gateway = { smsir: 'SMS.ir', ghasedak: 'Ghasedak', melipayamak: 'Melipayamak' }[sms.provider];
      return [entry('none to set up', '', `replies and delivery reports are fetched from ${gateway} every minute`)];
    }
  }
}

function baleEndpoints(bale: Config['bale'], publicUrl: string, secret: string): WebhookEndpoint[] {
  if (!bale.enabled) return [];
  // Set once with the Bot API's setWebhook (README, "Bale"); updates to any other URL are refused.
  return [
    {
      channel: 'bale',
      purpose: 'button taps and «لغو»',
      url: baleWebhookUrl(publicUrl, secret),
      setUp: "the bot's setWebhook: see the README, Bale",
    },
  ];
}

/** Every webhook the configured channels need, in channel order. Email needs none (bounces come back over SMTP). */
export function channelWebhooks(config: Pick<Config, 'sms' | 'bale'>, publicUrl: string, secret: string): WebhookEndpoint[] {
  return [...smsEndpoints(config.sms, publicUrl, secret), ...baleEndpoints(config.bale, publicUrl, secret)];
}

/** The banner's lines: "  sms webhooks   delivery reports URL  (where)", the channel named once. */
export function webhookBannerLines(endpoints: readonly WebhookEndpoint[]): string[] {
  const width = Math.max(0, ...endpoints.map((e) => e.purpose.length));
  return endpoints.map((e, i) => {
    const label = i > 0 && endpoints[i - 1]!.channel === e.channel ? '' : `${e.channel} webhooks`;
    if (e.url === '') return `  ${label.padEnd(15)}${e.purpose}: ${e.setUp}`;
    return `  ${label.padEnd(15)}${e.purpose.padEnd(width + 1)}${e.url}  (${e.setUp})`;
  });
}
