import type { Clock } from '../../clock.js';
import type { BaleChannel } from './channel.js';
import type { BaleConfig } from './config.js';
import { createBaleOutbox } from './outbox.js';
import { createSafirChannel } from './safir.js';

/** Safir when BALE_* are set, the dev outbox otherwise. `fetch`: tests pass theirs (msw). */
export function createBaleChannel(
  config: BaleConfig,
  options: { outboxDir: string; clock?: Clock; fetch?: typeof fetch; timeoutMs?: number },
): BaleChannel {
  if (!config.enabled) return createBaleOutbox({ outboxDir: options.outboxDir, clock: options.clock });
  const { clock } = options;
  return createSafirChannel({ ...config, fetch: options.fetch, timeoutMs: options.timeoutMs, now: clock ? () => clock.now() : undefined });
}
