import { isIP } from 'node:net';

/**
 * Where webhooks may point: the one rule for the Settings subscriptions, the care alert webhook and the CRM
 * webhook, checked when a subscription is saved and again on every attempt (server/http/outbound-fetch.ts), so a
 * stricter rule also applies to subscriptions saved before it.
 *
 * A webhook is a request Hami makes on someone else's say-so, so it must not become a way into the machine or its
 * network (SSRF): loopback, private and link-local ranges (cloud metadata at 169.254.169.254), carrier-grade NAT,
 * unique-local and link-local IPv6, and IPv6 forms that carry one of those IPv4 addresses (mapped, translated,
 * compatible, NAT64, 6to4, Teredo) are refused. An on-prem receiver on a private network is allowed only by the
 * explicit HAMI_WEBHOOK_ALLOW_PRIVATE=1; without it, an alert or CRM URL written with such an address stops start-up.
 */

/** Resolves a host name to every address it has (tests inject one: this sandbox has no public DNS). */
export type HostResolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface WebhookNetworkPolicy {
  resolve: HostResolver;
  /** HAMI_WEBHOOK_ALLOW_PRIVATE=1: private and loopback receivers are allowed (an on-prem chat server). */
  allowPrivate: boolean;
}

/**
 * The URL's shape: an absolute http(s) URL without credentials. Returns why it is refused, or null when the
 * shape is fine. The address it leads to is checked by `webhookUrlRefusal`.
 */
export function webhookUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL such as https://example.com/hooks/hami';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http or https URL';
  if (parsed.username || parsed.password) return 'must not carry a user name or password (the signature authenticates Hami)';
  return null;
}

/** The URL's host as an address or name: IPv6 literals lose their brackets (the URL parser already turned 0x7f.1 into 127.0.0.1). */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

// [first address as a 32-bit number, prefix length, what it is]
const BLOCKED_V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'a "this network" address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a carrier-grade NAT address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address (cloud metadata lives there)'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'a reserved address'],
  ['192.0.2.0', 24, 'a documentation address'],
  ['192.88.99.0', 24, 'a reserved relay address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a benchmarking address'],
  ['198.51.100.0', 24, 'a documentation address'],
  ['203.0.113.0', 24, 'a documentation address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
];

function v4Number(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function v4Problem(address: string): string | null {
  const n = v4Number(address);
  for (const [base, bits, what] of BLOCKED_V4) {
    const size = 2 ** (32 - bits);
    const start = v4Number(base);
    if (n >= start && n < start + size) return what;
  }
  return null;
}

/** The eight 16-bit groups of an IPv6 address (with an embedded dotted IPv4 tail, '::' and a zone id handled). */
function v6Groups(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase();
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (dotted) {
    const n = v4Number(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  return [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups].map((g) => parseInt(g, 16));
}

const v4Of = (high: number, low: number) => `${high >>> 8}.${high & 0xff}.${low >>> 8}.${low & 0xff}`;

function v6Problem(address: string): string | null {
  const g = v6Groups(address);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return 'the unspecified address';
  if (zeros(0, 7) && g[7] === 1) return 'a loopback address';
  // Forms that carry an IPv4 address in the last 32 bits, which a host or a translator on the way reaches as that
  // IPv4 address: IPv4-mapped (::ffff:a.b.c.d), SIIT IPv4-translated (::ffff:0:a.b.c.d), IPv4-compatible
  // (::a.b.c.d) and NAT64's well-known prefix (64:ff9b::a.b.c.d).
  const mapped = zeros(0, 5) && g[5] === 0xffff;
  const translated = zeros(0, 4) && g[4] === 0xffff && g[5] === 0;
  if (mapped || translated || zeros(0, 6) || (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6))) {
    return v4Problem(v4Of(g[6]!, g[7]!));
  }
  // NAT64's local-use prefix (RFC 8215): translated by the operator's own NAT64, wherever in it the IPv4 part
  // sits, so the whole prefix is as private as the network it serves.
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'a local-use NAT64 address (it reaches the private network behind it)';
  if (g[0] === 0x2002) return v4Problem(v4Of(g[1]!, g[2]!)); // 6to4 carries one in groups 2–3
  // Teredo (2001::/32): the server's IPv4 in groups 3–4, the client's in the last 32 bits, inverted.
  if (g[0] === 0x2001 && g[1] === 0) return v4Problem(v4Of(g[2]!, g[3]!)) ?? v4Problem(v4Of(~g[6]! & 0xffff, ~g[7]! & 0xffff));
  if ((g[0]! & 0xfe00) === 0xfc00) return 'a unique-local (private) address';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((g[0]! & 0xffc0) === 0xfec0) return 'a site-local address';
  if ((g[0]! & 0xff00) === 0xff00) return 'a multicast address';
  if (g[0] === 0x2001 && g[1] === 0xdb8) return 'a documentation address';
  if (g[0] === 0x100 && zeros(1, 4)) return 'a discard address';
  return null;
}

/**
 * Why a webhook must not be sent to `address` (an IPv4 or IPv6 address), or null when it is a public address.
 * Not an address at all counts as refused: callers pass what a resolver answered.
 */
export function addressProblem(address: string): string | null {
  const kind = isIP(address.split('%')[0]!);
  if (kind === 4) return v4Problem(address);
  if (kind === 6) return v6Problem(address);
  return 'not an IP address';
}

/**
 * Why a URL whose host is written as an address (or is `localhost`) must not receive webhooks, checked without a
 * lookup, for the webhook URLs set at start-up; null for a public address or any other host name, whose addresses
 * are checked when connecting (they can change).
 */
export function literalHostProblem(url: string): string | null {
  const host = hostOf(new URL(url));
  if (/^localhost\.?$|\.localhost\.?$/i.test(host)) return `a loopback name (${host})`;
  if (!isIP(host.split('%')[0]!)) return null;
  const problem = addressProblem(host);
  return problem && `${problem} (${host})`;
}

/** Resolves `host` (or takes it as the address it is) and returns its addresses, or why the host cannot be used. */
export async function checkedAddresses(
  host: string,
  policy: WebhookNetworkPolicy,
): Promise<{ addresses: { address: string; family: number }[] } | { refused: string }> {
  const literal = isIP(host);
  let addresses: { address: string; family: number }[];
  if (literal) addresses = [{ address: host, family: literal }];
  else {
    try {
      addresses = await policy.resolve(host);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return { refused: `host ${host} could not be resolved${typeof code === 'string' ? ` (${code})` : ''}` };
    }
    if (addresses.length === 0) return { refused: `host ${host} has no address` };
  }
  if (policy.allowPrivate) return { addresses };
  // Every address must be public: the connection could pick any of them.
  for (const { address } of addresses) {
    const problem = addressProblem(address);
    if (problem) {
      return {
        refused: literal
          ? `points at ${problem} (${address}); webhooks go only to public addresses`
          : `host ${host} resolves to ${problem} (${address}); webhooks go only to public addresses`,
      };
    }
  }
  return { addresses };
}

/**
 * The whole check of a webhook URL: its shape, then the address it leads to now. Returns why it is refused, or
 * null. Used when a subscription is saved (a 400 naming `url`); sending checks again, at connection time.
 */
export async function webhookUrlRefusal(url: string, policy: WebhookNetworkPolicy): Promise<string | null> {
  const shape = webhookUrlProblem(url);
  if (shape) return shape;
  const checked = await checkedAddresses(hostOf(new URL(url)), policy);
  return 'refused' in checked ? checked.refused : null;
}
