import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** The reverse proxies and load balancers whose X-Forwarded-For is believed (HAMI_TRUSTED_PROXIES). */
export type TrustedProxies = BlockList;

/** An address without an IPv4-mapped prefix (::ffff:1.2.3.4 is 1.2.3.4) or IPv6 zone, with its family; null if not one. */
function plainAddress(text: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const address = text
    .trim()
    .replace(/^::ffff:(?=\d{1,3}(?:\.\d{1,3}){3}$)/i, '')
    .replace(/%.*$/, '');
  const version = isIP(address);
  if (version === 4) return { address, family: 'ipv4' };
  if (version === 6) return { address: address.toLowerCase(), family: 'ipv6' };
  return null;
}

/**
 * "127.0.0.1, 10.0.0.0/8, ::1" as a set of addresses and CIDR ranges. Throws an Error naming the first entry that
 * is neither (the configuration turns it into a ConfigError naming the variable).
 */
export function parseTrustedProxies(text: string): TrustedProxies {
  const list = new BlockList();
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('no address given');
  for (const entry of entries) {
    const [addressText = '', prefixText, ...rest] = entry.split('/');
    const plain = plainAddress(addressText);
    const bits = plain?.family === 'ipv4' ? 32 : 128;
    const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    if (!plain || rest.length > 0 || !(prefix >= 0 && prefix <= bits)) throw new Error(`"${entry}" is not an IP address or CIDR range`);
    list.addSubnet(plain.address, prefix, plain.family);
  }
  return list;
}

function isTrusted(proxies: TrustedProxies, address: { address: string; family: 'ipv4' | 'ipv6' }): boolean {
  return proxies.check(address.address, address.family);
}

/** One X-Forwarded-For entry as an address: "1.2.3.4", "1.2.3.4:5678", "2001:db8::1" or "[2001:db8::1]:443". */
function forwardedEntry(entry: string) {
  const text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  return plainAddress(bracketed?.[1] ?? v4WithPort?.[1] ?? text);
}

/**
 * The client's address: the connection's own, unless that is a trusted proxy; then the right-most address in
 * X-Forwarded-For that is not a trusted proxy (each proxy appends the address it got the request from, so the
 * entries left of the first untrusted one are the client's to write, and not believed). An entry that is not an
 * address stops the walk at the proxy that passed it on. Without trusted proxies the header is ignored: anyone
 * can write it, and trusting it would let a script pick a new address for every try.
 */
export function forwardedClient(
  remote: string | undefined,
  forwardedFor: string | undefined,
  proxies: TrustedProxies | null,
): string | undefined {
  const connection = remote === undefined ? null : plainAddress(remote);
  if (!connection) return remote;
  if (!proxies || !isTrusted(proxies, connection)) return connection.address;
  let current = connection;
  for (const entry of (forwardedFor ?? '').split(',').reverse()) {
    if (entry.trim() === '') continue;
    const hop = forwardedEntry(entry);
    if (!hop) return current.address;
    if (!isTrusted(proxies, hop)) return hop.address;
    current = hop;
  }
  return current.address;
}

/**
 * The part of a client address that identifies one client: an IPv4 address (also when written IPv4-mapped,
 * ::ffff:1.2.3.4), or the /64 network of an IPv6 address, since one home or phone gets a whole /64 to pick from.
 */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('%')[0]!.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = address.includes('::') && tail ? tail.split(':') : [];
  const missing = Math.max(0, 8 - headGroups.length - tailGroups.length);
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** The client of a request as a limiter key (clientKey of forwardedClient): what every limiter counts by. */
export function clientAddress(c: Context, proxies: TrustedProxies | null): string {
  let remote: string | undefined;
  try {
    remote = getConnInfo(c).remote.address;
  } catch {
    remote = undefined; // not served by @hono/node-server (app.request in a unit test)
  }
  return clientKey(forwardedClient(remote, c.req.header('x-forwarded-for'), proxies));
}
