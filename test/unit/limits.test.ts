import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { clientKey, forwardedClient, parseTrustedProxies } from '../../server/limits/client-address.js';
import { bodyLimitOf, BODY_LIMITS, SIGN_IN_ACCOUNT_BACKOFF, SIGN_IN_ADDRESS_BACKOFF } from '../../server/limits/rules.js';
import { backoffWaitMs, SignInBackoff } from '../../server/limits/sign-in-backoff.js';

describe('trusted proxies (HAMI_TRUSTED_PROXIES)', () => {
  const proxies = parseTrustedProxies('127.0.0.1, 10.0.0.0/8,::1, 2001:db8:ff::/48');

  test.each([
    ['127.0.0.1', true],
    ['::ffff:127.0.0.1', true],
    ['10.200.3.4', true],
    ['11.0.0.1', false],
    ['::1', true],
    ['2001:db8:ff:12::9', true],
    ['2001:db8:fe::1', false],
  ])('%s is trusted: %s', (address, trusted) => {
    // A trusted connection without X-Forwarded-For is that proxy itself; an untrusted one is the client.
    expect(forwardedClient(address, '198.51.100.1', proxies) === '198.51.100.1').toBe(trusted);
  });

  test.each(['not-an-address', '10.0.0.0/33', '::1/129', '10.0.0.0/8/8', '10.0.0.0/x', '1.2.3'])('"%s" is refused', (text) => {
    expect(() => parseTrustedProxies(`127.0.0.1,${text},`)).toThrow(new RegExp(text.replace(/[./]/g, '\\$&')));
  });

  test('an empty entry between commas is skipped; a list of none is refused', () => {
    expect(() => parseTrustedProxies('127.0.0.1,,::1')).not.toThrow();
    expect(() => parseTrustedProxies(' , ')).toThrow();
  });

  test('a bad value stops start-up with a ConfigError naming the variable; unset means none', () => {
    expect(() => loadConfig({ HAMI_TRUSTED_PROXIES: '10.0.0.0/8,proxy.local' })).toThrow(ConfigError);
    expect(() => loadConfig({ HAMI_TRUSTED_PROXIES: '10.0.0.0/8,proxy.local' })).toThrow(/^HAMI_TRUSTED_PROXIES must be/);
    expect(loadConfig({}).trustedProxies).toBeNull();
    expect(loadConfig({ HAMI_TRUSTED_PROXIES: '10.0.0.0/8' }).trustedProxies).not.toBeNull();
  });
});

describe('the client address from X-Forwarded-For', () => {
  const proxies = parseTrustedProxies('127.0.0.1,10.0.0.0/8,::1');

  test.each<[string, string | undefined, string | undefined]>([
    ['no proxies set: the header is ignored', undefined, '203.0.113.9'],
    ['the right-most entry that is not a proxy', '198.51.100.1, 203.0.113.9', '203.0.113.9'],
    ['proxies in the chain are skipped', '198.51.100.1, 203.0.113.9, 10.1.1.1, 10.2.2.2', '203.0.113.9'],
    ['an entry with a port', '203.0.113.9:51234', '203.0.113.9'],
    ['an IPv6 entry in brackets with a port', '[2001:db8::7]:443', '2001:db8::7'],
    ['a bare IPv6 entry', '2001:DB8::7', '2001:db8::7'],
    ['an IPv4-mapped entry', '::ffff:203.0.113.9', '203.0.113.9'],
    ['junk stops the walk at the proxy that passed it on', 'evil, 10.3.3.3', '10.3.3.3'],
    ['no header: the proxy itself', undefined, '127.0.0.1'],
    ['every entry a proxy: the left-most', '10.4.4.4, 10.5.5.5', '10.4.4.4'],
  ])('%s', (name, header, expected) => {
    const useProxies = name.startsWith('no proxies set') ? null : proxies;
    const remote = name.startsWith('no proxies set') ? '203.0.113.9' : '127.0.0.1';
    expect(forwardedClient(remote, header, useProxies)).toBe(expected);
  });

  test('a connection that is not a trusted proxy is the client, whatever its header says', () => {
    expect(forwardedClient('198.51.100.50', '203.0.113.9', proxies)).toBe('198.51.100.50');
  });

  test('an IPv6 client behind the proxy is counted by its /64', () => {
    expect(clientKey(forwardedClient('::1', '2001:db8:1:2:aaaa::1', proxies))).toBe('2001:db8:1:2::/64');
  });
});

describe('sign-in back-off', () => {
  test('no wait for the free failures, then 1 s doubling up to 2 minutes', () => {
    const waits = Array.from({ length: 16 }, (_, i) => backoffWaitMs(i + 1, SIGN_IN_ACCOUNT_BACKOFF) / 1000);
    expect(waits).toEqual([0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 120, 120, 120, 120, 120]);
    expect(backoffWaitMs(10_000, SIGN_IN_ACCOUNT_BACKOFF)).toBe(120_000);
    expect(backoffWaitMs(19, SIGN_IN_ADDRESS_BACKOFF)).toBe(0);
    expect(backoffWaitMs(20, SIGN_IN_ADDRESS_BACKOFF)).toBe(1000);
  });

  test('failures are forgotten an hour after the last one', () => {
    const backoff = new SignInBackoff();
    const attempt = { accountId: 'u1', email: 'a@example.com', client: '203.0.113.1' };
    for (let i = 0; i < 8; i++) backoff.fail(attempt, 0);
    expect(backoff.waitMs(attempt, 0)).toBe(8000);
    expect(backoff.waitMs(attempt, 60 * 60_000)).toBe(0);
    backoff.fail(attempt, 60 * 60_000);
    expect(backoff.waitMs(attempt, 60 * 60_000)).toBe(0); // one failure, counted afresh
  });

  test('a flood of unknown emails and addresses, far past the bound, keeps memory bounded and never drops an account', () => {
    const backoff = new SignInBackoff(1000);
    const owner = { accountId: 'u1', email: 'owner@example.com', client: '203.0.113.1' };
    for (let i = 0; i < 5; i++) backoff.fail(owner, 0);
    for (let i = 0; i < 50_000; i++) backoff.fail({ accountId: null, email: `x${i}@example.com`, client: `10.0.${i >> 8}.${i & 255}` }, 1);
    expect(backoff.trackedStrangers).toBeLessThanOrEqual(2000);
    // From a new address, the account still waits.
    expect(backoff.waitMs({ ...owner, client: '198.51.100.1' }, 500)).toBe(500);
    backoff.succeed(owner);
    expect(backoff.waitMs({ ...owner, client: '198.51.100.1' }, 500)).toBe(0);
  });
});

describe('body limits', () => {
  test.each([
    ['/api/session', BODY_LIMITS.default.maxBytes],
    ['/api/v1/events', 64 * 1024],
    ['/api/v1/hooks/shop', 256 * 1024],
    ['/api/imports', BODY_LIMITS.imports.maxBytes],
    ['/s/abc', 64 * 1024],
    ['/hooks/sms/key/inbound', 64 * 1024],
  ])('%s takes at most %i bytes', (path, bytes) => expect(bodyLimitOf(path).maxBytes).toBe(bytes));
});
