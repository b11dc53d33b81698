import { systemClock, type Clock } from '../../clock.js';
import { SmsTemporaryError, type SmsProvider } from './provider.js';

/**
 * A per-provider send rate limit. Gateways throttle or ban accounts that exceed their rate, so sends go through a
 * token bucket: it holds up to `perSecond` tokens (at least 1), refills continuously at `perSecond`, and each send
 * takes one. An empty bucket throws SmsTemporaryError with retryAfterMs: the queue requeues the job, and the worker
 * never sleeps holding it.
 */

interface RateLimitOptions {
  /** Sends allowed per second on average; fractions allowed (0.5 = one every two seconds). */
  perSecond: number;
  clock?: Clock;
}

/** Wraps `send` of a provider with a token bucket; the webhook parsers pass through untouched. */
export function withRateLimit(provider: SmsProvider, options: RateLimitOptions): SmsProvider {
  const { perSecond } = options;
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new RangeError('perSecond must be a positive number');
  const clock = options.clock ?? systemClock;
  const capacity = Math.max(1, perSecond);
  let tokens = capacity;
  let last = clock.now().getTime();

  function take(): void {
    const now = clock.now().getTime();
    // A clock moved backwards adds nothing rather than draining the bucket.
    tokens = Math.min(capacity, tokens + (Math.max(0, now - last) / 1000) * perSecond);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return;
    }
    const retryAfterMs = Math.ceil(((1 - tokens) / perSecond) * 1000);
    throw new SmsTemporaryError(`${provider.name} rate limit of ${perSecond}/s reached`, retryAfterMs);
  }

  return {
    name: provider.name,
    send(message) {
      try {
        take();
      } catch (error) {
        return Promise.reject(error);
      }
      return provider.send(message);
    },
    parseDeliveryReports: (request) => provider.parseDeliveryReports(request),
    parseInbound: (request) => provider.parseInbound(request),
    // Questions about what came in or went out are not sends: outside the send budget.
    ...(provider.fetchInbound && { fetchInbound: (cursor: string | null) => provider.fetchInbound!(cursor) }),
    ...(provider.fetchDeliveryReports && { fetchDeliveryReports: (ids: readonly string[]) => provider.fetchDeliveryReports!(ids) }),
  };
}
