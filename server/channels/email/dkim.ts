import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../config.js';

/**
 * Optional DKIM signing of every outgoing mail (DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY), done by nodemailer.
 * DKIM_PRIVATE_KEY is the PEM text itself (a value starting with -----BEGIN; "\n" written as backslash-n is read as a
 * line break, as env files often hold it) or else the path of a file holding it. The key is read and checked at
 * start-up: nodemailer would otherwise send unsigned mail without a word when the key cannot sign.
 */

export interface DkimConfig {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/**
 * The headers the signature covers: nodemailer's default list (RFC 6376 §5.4's suggestions) plus List-Unsubscribe-Post,
 * which RFC 8058 requires to be signed for one-click unsubscribe to be honoured.
 */
export const DKIM_SIGNED_HEADERS = [
  'From',
  'Sender',
  'Reply-To',
  'Subject',
  'Date',
  'Message-ID',
  'To',
  'Cc',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'Content-ID',
  'Content-Description',
  'In-Reply-To',
  'References',
  'List-Id',
  'List-Help',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
  'List-Subscribe',
  'List-Post',
  'List-Owner',
  'List-Archive',
].join(':');

type Env = Record<string, string | undefined>;
const NAMES = ['DKIM_DOMAIN', 'DKIM_SELECTOR', 'DKIM_PRIVATE_KEY'] as const;
const domainName = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const selector = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function readKey(raw: string): string {
  if (raw.startsWith('-----BEGIN')) return raw.replace(/\\n/g, '\n');
  try {
    return readFileSync(raw, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(
      'DKIM_PRIVATE_KEY',
      `a PEM private key, or the path of a readable file holding one (the file could not be read: ${code})`,
      raw,
    );
  }
}

/** Reads the three DKIM variables: all three or none. Throws ConfigError naming the variable; the key is never echoed. */
export function loadDkimConfig(env: Env): DkimConfig | null {
  const values = NAMES.map((name) => env[name]?.trim() || undefined);
  const set = NAMES.filter((_, i) => values[i] !== undefined);
  if (set.length === 0) return null;
  const missing = NAMES.find((_, i) => values[i] === undefined);
  if (missing)
    throw new ConfigError(
      missing,
      `set when ${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'} (DKIM needs all three, or none)`,
      undefined,
    );
  const [domain, keySelector, keyValue] = values as [string, string, string];
  if (!domainName.test(domain))
    throw new ConfigError(
      'DKIM_DOMAIN',
      'the domain the signature is made for, such as shop.example (the domain of MAIL_FROM, or its parent)',
      domain,
    );
  if (!selector.test(keySelector))
    throw new ConfigError(
      'DKIM_SELECTOR',
      'a selector such as hami2026 (letters, digits and hyphens): the key is published at SELECTOR._domainkey.DOMAIN',
      keySelector,
    );
  const privateKey = readKey(keyValue);
  let type: string | undefined;
  try {
    type = createPrivateKey(privateKey).asymmetricKeyType;
  } catch {
    // The value is a key or a path to one: not echoed.
    throw new ConfigError(
      'DKIM_PRIVATE_KEY',
      'an RSA private key in PEM form (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----), or the path of a file holding one',
      undefined,
    );
  }
  if (type !== 'rsa')
    throw new ConfigError('DKIM_PRIVATE_KEY', `an RSA private key (nodemailer signs rsa-sha256; this one is ${type})`, undefined);
  return { domainName: domain.toLowerCase(), keySelector, privateKey };
}
