import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { invitationToken } from '../../server/delivery/tokens.js';
import { OutboundRefusedError, outboundFetch } from '../../server/http/outbound-fetch.js';
import { ALERT_WEBHOOK_JOB } from '../../server/callbacks/job-names.js';
import { SEGMENT_ENTERED_JOB } from '../../server/segments/webhook.js';
import { addressProblem, type HostResolver } from '../../server/webhooks/url-policy.js';
import { ManualClock } from '../helpers/clock.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { settleOneTapAnswers } from '../helpers/one-tap.js';
import { ADMIN, signIn, type StaffClient } from '../helpers/staff.js';
import { exampleResolver, PUBLIC_TEST_ADDRESS } from '../helpers/webhook-dns.js';

/*
 * SSRF: webhooks (Settings subscriptions, the care alert webhook, the CRM webhook) never reach this machine or
 * its private network. Real HTTP servers on 127.0.0.1 stand for what an attacker wants to reach: each must
 * receive NOTHING, whether the URL names the address, a host name resolves to it, a public receiver redirects to
 * it, or DNS answers a public address to the check and loopback to the connection (rebinding).
 */

interface Loopback {
  port: number;
  received: { method: string; url: string }[];
  close(): Promise<void>;
}

async function startLoopback(): Promise<Loopback> {
  const received: Loopback['received'] = [];
  const server = createServer((req: IncomingMessage, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '' });
    req.resume();
    res.end('internal secrets');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, received, close: () => new Promise((r) => server.close(() => r())) };
}

/** Names the tests control: `internal.example.com` is loopback, `rebind.example.com` answers public once, then loopback. */
function trickyResolver(): HostResolver & { calls: string[] } {
  const calls: string[] = [];
  const resolver = async (hostname: string) => {
    calls.push(hostname);
    if (hostname === 'internal.example.com') return [{ address: '127.0.0.1', family: 4 }];
    if (hostname === 'metadata.example.com') return [{ address: '169.254.169.254', family: 4 }];
    if (hostname === 'mixed.example.com')
      return [
        { address: PUBLIC_TEST_ADDRESS, family: 4 },
        { address: '10.0.0.5', family: 4 },
      ];
    if (hostname === 'rebind.example.com') {
      const first = calls.filter((h) => h === hostname).length === 1;
      return [{ address: first ? PUBLIC_TEST_ADDRESS : '127.0.0.1', family: 4 }];
    }
    return exampleResolver(hostname);
  };
  return Object.assign(resolver, { calls });
}

describe('which addresses a webhook may reach', () => {
  test.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.1.2', 'a loopback address'],
    ['10.1.2.3', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.10', 'a private address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['169.254.169.254', 'a link-local address (cloud metadata lives there)'],
    ['0.0.0.0', 'a "this network" address'],
    ['::', 'the unspecified address'],
    ['::1', 'a loopback address'],
    ['fd00::1', 'a unique-local (private) address'],
    ['fc12:3456::1', 'a unique-local (private) address'],
    ['fe80::1%eth0', 'a link-local address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::ffff:169.254.169.254', 'a link-local address (cloud metadata lives there)'],
    ['::ffff:10.0.0.1', 'a private address'],
    ['64:ff9b::a9fe:a9fe', 'a link-local address (cloud metadata lives there)'],
    ['2002:7f00:1::1', 'a loopback address'],
    ['224.0.0.1', 'a multicast address'],
    // SIIT IPv4-translated (::ffff:0:a.b.c.d) and IPv4-compatible (::a.b.c.d).
    ['::ffff:0:127.0.0.1', 'a loopback address'],
    ['::ffff:0:a9fe:a9fe', 'a link-local address (cloud metadata lives there)'],
    ['::ffff:0:192.168.1.1', 'a private address'],
    ['::127.0.0.1', 'a loopback address'],
    ['::10.0.0.1', 'a private address'],
    // NAT64: the well-known prefix with the IPv4 address written either way, and the local-use /48 as a whole.
    ['64:ff9b::127.0.0.1', 'a loopback address'],
    ['64:ff9b::10.1.2.3', 'a private address'],
    ['64:ff9b:1::a9fe:a9fe', 'a local-use NAT64 address (it reaches the private network behind it)'],
    ['64:ff9b:1:7f00:1::', 'a local-use NAT64 address (it reaches the private network behind it)'],
    // 6to4 embedding a private address.
    ['2002:a9fe:a9fe::1', 'a link-local address (cloud metadata lives there)'],
    ['2002:c0a8:101::', 'a private address'],
    // Teredo: a public server (65.54.227.120) and a client of 127.0.0.1, 10.0.0.1, 169.254.169.254 (inverted); a private server.
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'a loopback address'],
    ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'a private address'],
    ['2001::4136:e378:0:0:5601:5601', 'a link-local address (cloud metadata lives there)'],
    ['2001:0:a00:1::f7f7:f7f7', 'a private address'],
  ])('%s is refused as %s', (address, what) => {
    expect(addressProblem(address)).toBe(what);
  });

  test.each([
    '93.184.215.14',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '::ffff:0:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
    '2001:0:4136:e378:8000:63bf:f7f7:f7f7',
  ])('%s is a public address', (address) => {
    expect(addressProblem(address)).toBeNull();
  });
});

describe('HAMI_WEBHOOK_ALLOW_PRIVATE', () => {
  test('off unless set to 1; any other value stops start-up naming the variable', () => {
    expect(loadConfig({}).webhookAllowPrivate).toBe(false);
    expect(loadConfig({ HAMI_WEBHOOK_ALLOW_PRIVATE: '1' }).webhookAllowPrivate).toBe(true);
    expect(loadConfig({ HAMI_WEBHOOK_ALLOW_PRIVATE: '0' }).webhookAllowPrivate).toBe(false);
    expect(() => loadConfig({ HAMI_WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(/^HAMI_WEBHOOK_ALLOW_PRIVATE must be 1/);
  });

  const secret = 'a webhook secret of 16+ chars';
  test.each([
    ['HAMI_ALERT_WEBHOOK', 'http://127.0.0.1:8080/services/T0/B0/XsecretX', 'a loopback address (127.0.0.1)'],
    ['HAMI_ALERT_WEBHOOK', 'http://localhost:8080/XsecretX', 'a loopback name (localhost)'],
    ['HAMI_ALERT_WEBHOOK', 'https://[::ffff:0:7f00:1]/XsecretX', 'a loopback address (::ffff:0:7f00:1)'],
    ['HAMI_CRM_WEBHOOK', 'http://169.254.169.254/XsecretX', 'a link-local address (cloud metadata lives there) (169.254.169.254)'],
    ['HAMI_CRM_WEBHOOK', 'https://[64:ff9b::a00:1]/XsecretX', 'a private address (64:ff9b::a00:1)'],
    ['HAMI_CRM_WEBHOOK', 'https://10.1.2.3/XsecretX', 'a private address (10.1.2.3)'],
  ])('%s_URL=%s stops start-up naming the variable and the address, unless HAMI_WEBHOOK_ALLOW_PRIVATE=1', (name, url, what) => {
    const env = { [`${name}_URL`]: url, [`${name}_SECRET`]: secret };
    // What start-up reads the environment with (server/main.ts prints the ConfigError and exits 1).
    const message = (() => {
      try {
        loadConfig(env);
      } catch (error) {
        expect((error as Error).name).toBe('ConfigError');
        return (error as Error).message;
      }
      return 'started';
    })();
    expect(message).toMatch(new RegExp(`^${name}_URL must be `));
    expect(message).toContain(`not ${what}`);
    expect(message).toContain('HAMI_WEBHOOK_ALLOW_PRIVATE=1');
    expect(message, 'the URL, whose path may be its secret, is not shown').not.toContain('XsecretX');
    const allowed = loadConfig({ ...env, HAMI_WEBHOOK_ALLOW_PRIVATE: '1' });
    expect(name === 'HAMI_ALERT_WEBHOOK' ? allowed.alertWebhook?.url : allowed.segments.webhook?.url).toBe(url);
  });

  test('a host name is left for the connection to check, as its addresses can change', () => {
    const config = loadConfig({
      HAMI_ALERT_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x',
      HAMI_ALERT_WEBHOOK_SECRET: secret,
      HAMI_CRM_WEBHOOK_URL: 'http://internal.example.com/crm',
      HAMI_CRM_WEBHOOK_SECRET: secret,
    });
    expect(config.alertWebhook?.url).toBe('https://hooks.slack.com/services/T0/B0/x');
    expect(config.segments.webhook?.url).toBe('http://internal.example.com/crm');
  });
});

describe('webhook subscriptions and deliveries', () => {
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  const resolver = trickyResolver();
  let hami: TestHami;
  let admin: StaffClient;
  let loopback: Loopback;
  let serial = 0;
  // A public receiver that answers with a redirect to the loopback server.
  const msw = setupServer(
    http.post(
      'https://redirector.example.com/hook',
      () => new HttpResponse(null, { status: 302, headers: { location: `http://127.0.0.1:${loopback.port}/steal` } }),
    ),
  );

  beforeAll(async () => {
    loopback = await startLoopback();
    msw.listen({ onUnhandledRequest: 'bypass' });
    hami = await startTestHami({
      clock,
      env: {
        // Host names that resolve to loopback and metadata: an address written out would stop start-up.
        HAMI_ALERT_WEBHOOK_URL: `http://internal.example.com:${loopback.port}/alert`,
        HAMI_ALERT_WEBHOOK_SECRET: 'an alert secret of 16+ chars',
        HAMI_CRM_WEBHOOK_URL: 'http://metadata.example.com/latest/meta-data',
        HAMI_CRM_WEBHOOK_SECRET: 'a crm secret of 16+ chars',
        HAMI_THROTTLE_DAYS: '0',
        HAMI_QUIET_HOURS: 'off',
      },
    });
    hami.deps.resolveHost = resolver;
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await hami.stopAndClean();
    msw.close();
    await loopback.close();
  });

  /** A customer answers `score` by one tap; returns the response id. */
  async function answer(score: number): Promise<string> {
    serial++;
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: `ssrf-${serial}`,
      sendAt: 'now',
      customer: { id: `ssrf-c-${serial}`, email: `s${serial}@example.com` },
    });
    const invitationId = body.invitations[0].id as string;
    await fetch(`${hami.url}/s/${invitationToken(hami.deps.secret, invitationId)}?score=${score}`, { redirect: 'manual' });
    await settleOneTapAnswers(hami);
    return (await hami.deps.db.selectFrom('responses').select('id').where('invitation_id', '=', invitationId).executeTakeFirstOrThrow()).id;
  }

  /** Adds a subscription straight into the table, as one saved before the rule (or by hand) would be. */
  async function storedHook(url: string): Promise<string> {
    const id = `hook-${Math.random().toString(36).slice(2)}`;
    await hami.deps.db
      .insertInto('webhooks')
      .values({
        id,
        url,
        description: 'stored',
        secret: 'whsec_stored_secret_value',
        events: JSON.stringify(['response.created']),
        active: 1,
        created_by: admin.userId,
        created_at: clock.now().toISOString(),
        updated_at: clock.now().toISOString(),
      })
      .execute();
    return id;
  }

  const failedAttempt = async (hookId: string) =>
    eventually(async () => {
      const delivery = await hami.deps.db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('webhook_id', '=', hookId)
        .where('status', '=', 'failed')
        .executeTakeFirst();
      if (!delivery) return undefined;
      return hami.deps.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', delivery.id).executeTakeFirstOrThrow();
    }, 5000);

  test.each([
    ['a loopback IP', () => `http://127.0.0.1:${loopback.port}/hook`, 'points at a loopback address (127.0.0.1)'],
    [
      'the cloud metadata address',
      () => 'http://169.254.169.254/latest/meta-data/',
      'points at a link-local address (cloud metadata lives there)',
    ],
    ['IPv6 loopback', () => `http://[::1]:${loopback.port}/hook`, 'points at a loopback address (::1)'],
    ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${loopback.port}/hook`, 'loopback'],
    [
      'SIIT-translated IPv6 loopback',
      () => `http://[::ffff:0:127.0.0.1]:${loopback.port}/hook`,
      'points at a loopback address (::ffff:0:7f00:1)',
    ],
    [
      'NAT64 metadata',
      () => 'http://[64:ff9b::169.254.169.254]/latest/meta-data/',
      'points at a link-local address (cloud metadata lives there)',
    ],
    ['local-use NAT64', () => 'http://[64:ff9b:1::a00:1]/hook', 'points at a local-use NAT64 address'],
    [
      'Teredo with a loopback client',
      () => `http://[2001:0:4136:e378:8000:63bf:80ff:fffe]:${loopback.port}/hook`,
      'points at a loopback address',
    ],
    ['a decimal-written 127.0.0.1', () => `http://2130706433:${loopback.port}/hook`, 'points at a loopback address (127.0.0.1)'],
    ['a private network', () => 'https://192.168.0.10/hook', 'points at a private address'],
    [
      'a name that resolves to loopback',
      () => `http://internal.example.com:${loopback.port}/hook`,
      'host internal.example.com resolves to a loopback address (127.0.0.1)',
    ],
    [
      'a name with one private address among public ones',
      () => 'https://mixed.example.com/hook',
      'resolves to a private address (10.0.0.5)',
    ],
  ])('saving a subscription to %s is refused with a 400 naming url', async (_what, url, message) => {
    const created = await admin.call('POST', '/api/webhooks', { url: url(), events: ['response.created'] });
    expect(created.status).toBe(400);
    expect(created.body.error.field).toBe('url');
    expect(created.body.error.message).toContain(message);
    expect(await hami.deps.db.selectFrom('webhooks').select('id').where('url', '=', url()).execute()).toEqual([]);
    expect(loopback.received).toEqual([]);
  });

  test('editing a subscription to point at loopback is refused too, and the old URL stays', async () => {
    const created = await admin.call('POST', '/api/webhooks', {
      url: 'https://hooks.example.com/ok',
      events: ['response.created'],
      active: false,
    });
    expect(created.status).toBe(201);
    const patched = await admin.call('PATCH', `/api/webhooks/${created.body.webhook.id}`, {
      url: `http://internal.example.com:${loopback.port}/x`,
    });
    expect(patched.status).toBe(400);
    expect(patched.body.error.field).toBe('url');
    const row = await hami.deps.db.selectFrom('webhooks').select('url').where('id', '=', created.body.webhook.id).executeTakeFirstOrThrow();
    expect(row.url).toBe('https://hooks.example.com/ok');
  });

  test('a stored subscription to a loopback IP is refused at send time: a failed attempt saying why, nothing received', async () => {
    const hookId = await storedHook(`http://127.0.0.1:${loopback.port}/direct`);
    await answer(8);
    const attempt = await failedAttempt(hookId);
    expect(attempt.error).toContain('loopback address (127.0.0.1)');
    expect(attempt.status_code).toBeNull();
    expect(loopback.received).toEqual([]);
    await hami.deps.db.deleteFrom('webhooks').where('id', '=', hookId).execute();
  });

  test('a public receiver that redirects to loopback: the redirect is not followed, the attempt fails saying so', async () => {
    const hookId = await storedHook('https://redirector.example.com/hook');
    await answer(8);
    const attempt = await failedAttempt(hookId);
    expect(attempt.status_code).toBe(302);
    expect(attempt.error).toContain('redirects are not followed');
    expect(attempt.error).toContain(`http://127.0.0.1:${loopback.port}/steal`);
    expect(loopback.received).toEqual([]);
    await hami.deps.db.deleteFrom('webhooks').where('id', '=', hookId).execute();
  });

  test('DNS rebinding: a name public when saved and loopback when sending is refused at send time', async () => {
    const created = await admin.call('POST', '/api/webhooks', {
      url: `http://rebind.example.com:${loopback.port}/hook`,
      events: ['response.created'],
    });
    expect(created.status).toBe(201);
    await answer(8);
    const attempt = await failedAttempt(created.body.webhook.id);
    expect(attempt.error).toContain('host rebind.example.com resolves to a loopback address (127.0.0.1)');
    expect(loopback.received).toEqual([]);
    await admin.call('DELETE', `/api/webhooks/${created.body.webhook.id}`);
  });

  test('the care alert webhook at a loopback name and the CRM webhook at a metadata name send nothing and fail for good', async () => {
    await answer(2); // a detractor: the alert
    await answer(10); // a promoter: the CRM event
    const failed = async (name: string) =>
      eventually(
        () =>
          hami.deps.db
            .selectFrom('jobs')
            .select(['status', 'last_error'])
            .where('name', '=', name)
            .where('status', '=', 'failed')
            .executeTakeFirst(),
        5000,
      );
    expect((await failed(ALERT_WEBHOOK_JOB)).last_error).toContain('host internal.example.com resolves to a loopback address (127.0.0.1)');
    expect((await failed(SEGMENT_ENTERED_JOB)).last_error).toContain('host metadata.example.com resolves to a link-local address');
    expect(loopback.received).toEqual([]);
  });
});

describe('the connection itself checks the address it connects to', () => {
  let loopback: Loopback;
  beforeAll(async () => {
    loopback = await startLoopback();
  });
  afterAll(() => loopback.close());

  test('DNS that answers a public address to the first check and loopback to the connection is refused at the connection', async () => {
    const resolver = trickyResolver();
    const sent = outboundFetch(
      `http://rebind.example.com:${loopback.port}/x`,
      { headers: {}, body: '{}' },
      { resolve: resolver, allowPrivate: false },
    );
    await expect(sent).rejects.toBeInstanceOf(OutboundRefusedError);
    await expect(sent).rejects.toThrow('host rebind.example.com resolves to a loopback address (127.0.0.1)');
    // The first answer (public) passed the check; the connection's own lookup got loopback and refused it.
    expect(resolver.calls).toEqual(['rebind.example.com', 'rebind.example.com']);
    expect(loopback.received).toEqual([]);
  });

  test('with HAMI_WEBHOOK_ALLOW_PRIVATE=1 an on-prem receiver is reached through the same lookup', async () => {
    const resolver = trickyResolver();
    const answer = await outboundFetch(
      `http://internal.example.com:${loopback.port}/onprem`,
      { headers: {}, body: '{}' },
      { resolve: resolver, allowPrivate: true },
    );
    expect(answer.status).toBe(200);
    expect(loopback.received).toEqual([{ method: 'POST', url: '/onprem' }]);
    loopback.received.length = 0;
  });

  test('a redirect comes back as the answer and is never followed', async () => {
    const redirector = createServer((_req, res) => res.writeHead(307, { location: `http://127.0.0.1:${loopback.port}/steal` }).end());
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const port = (redirector.address() as AddressInfo).port;
      const answer = await outboundFetch(
        `http://127.0.0.1:${port}/hook`,
        { headers: {}, body: '{}' },
        { resolve: exampleResolver, allowPrivate: true },
      );
      expect(answer.status).toBe(307);
      expect(loopback.received).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
  });
});
