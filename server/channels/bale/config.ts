import { ConfigError } from '../../config.js';

/**
 * Bale settings from the environment. None set: the dev outbox (bale.jsonl). Any set: all three are needed —
 * Safir's API access key and the bot's numeric id to send (docs.bale.ai/safir: `api-access-key` header, `bot_id`
 * in the body), and the same bot's token to answer its button taps (Bot API, tapi.bale.ai/bot<token>/…).
 * Secrets are checked for shape and never echoed.
 */
export type BaleConfig = { enabled: false } | { enabled: true; apiAccessKey: string; botId: number; botToken: string };

type Env = Record<string, string | undefined>;

const VARIABLES = ['BALE_API_ACCESS_KEY', 'BALE_BOT_ID', 'BALE_BOT_TOKEN'] as const;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

export function loadBaleConfig(env: Env = process.env): BaleConfig {
  if (VARIABLES.every((name) => read(env, name) === undefined)) return { enabled: false };
  const missing = VARIABLES.find((name) => read(env, name) === undefined);
  if (missing)
    throw new ConfigError(
      missing,
      `set with ${VARIABLES.filter((n) => n !== missing).join(' and ')} (all three send by Bale), or unset all three for the dev outbox`,
      undefined,
    );
  const apiAccessKey = read(env, 'BALE_API_ACCESS_KEY')!;
  if (!/^[\x21-\x7e]+$/.test(apiAccessKey))
    throw new ConfigError(
      'BALE_API_ACCESS_KEY',
      'the API access key from the Bale business panel (Safir): visible ASCII without spaces',
      undefined,
    );
  const rawId = read(env, 'BALE_BOT_ID')!;
  if (!/^[1-9]\d{0,15}$/.test(rawId)) throw new ConfigError('BALE_BOT_ID', "the bot's numeric id, such as 1234567890", rawId);
  const botToken = read(env, 'BALE_BOT_TOKEN')!;
  // The token BotFather-style bots get: "<bot id>:<secret>". Not echoed: it is a credential.
  if (!/^\d+:[A-Za-z0-9_-]+$/.test(botToken))
    throw new ConfigError('BALE_BOT_TOKEN', "the bot's token from @botfather in Bale, such as 1234567890:AbC…", undefined);
  return { enabled: true, apiAccessKey, botId: Number(rawId), botToken };
}
