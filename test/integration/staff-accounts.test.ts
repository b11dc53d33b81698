import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../server/cli.js';
import { ManualClock } from '../helpers/clock.js';
import { startTestHami, type TestHami } from '../helpers/hami.js';
import { ADMIN, signIn, staffMember, type StaffClient } from '../helpers/staff.js';

/**
 * Staff accounts managed from Settings (the same rules as `npx hami user …`): add with a generated password shown
 * once, change a role, disable (sessions end, sign-in refused) and enable, reset a password; the last active admin
 * is never disabled or demoted; and Settings' read-only views of the brand and the survey files.
 */
describe('staff accounts in Settings', () => {
  let hami: TestHami;
  let admin: StaffClient;
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  let serial = 0;
  const email = () => `person-${++serial}@example.com`;

  const login = (address: string, password: string) =>
    fetch(`${hami.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: address, password }),
    });
  const userOf = async (id: string) => (await admin.call('GET', '/api/users')).body.users.find((u: { id: string }) => u.id === id);
  /** A fresh admin account for a test that changes admins, so each test starts from known admins. */
  async function anotherAdmin(): Promise<StaffClient> {
    return staffMember(hami, admin, 'admin');
  }

  beforeAll(async () => {
    hami = await startTestHami({
      clock,
      env: {
        HAMI_BRAND_NAME: 'DigiShop',
        HAMI_BRAND_NAME_FA: 'دیجی‌شاپ',
        HAMI_BRAND_COLOR: '#7a1f5c',
        HAMI_BRAND_REPLY_TO: 'care@digishop.example',
        PUBLIC_URL: 'https://survey.digishop.example',
      },
    });
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
  });
  afterAll(() => hami.stopAndClean());

  test('an admin adds a user without a password: Hami makes one, answers it once, and it signs in', async () => {
    const address = email();
    const created = await admin.call('POST', '/api/users', { email: address, name: 'Sara Ahmadi', role: 'care' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: address, name: 'Sara Ahmadi', role: 'care', disabled: false });
    expect(created.body.generatedPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect((await login(address, created.body.generatedPassword)).status).toBe(200);
    // The list never carries a password.
    const listed = await admin.call('GET', '/api/users');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.generatedPassword);
    expect(await userOf(created.body.id)).toEqual({
      id: created.body.id,
      email: address,
      name: 'Sara Ahmadi',
      role: 'care',
      disabled: false,
    });

    // A password given by the admin (the public contract) is used as it is, and none is answered back.
    const typed = await admin.call('POST', '/api/users', {
      email: email(),
      name: 'Reza',
      role: 'marketing',
      password: 'a long enough password',
    });
    expect(typed).toMatchObject({ status: 201, body: { generatedPassword: null } });
  });

  test('a new role takes effect on the user’s next request, without signing in again', async () => {
    const care = await staffMember(hami, admin, 'care');
    expect((await care.call('GET', '/api/callbacks')).status).toBe(200);
    const changed = await admin.call('PATCH', `/api/users/${care.userId}`, { role: 'marketing' });
    expect(changed).toMatchObject({ status: 200, body: { id: care.userId, role: 'marketing', disabled: false } });
    expect((await care.call('GET', '/api/callbacks')).status).toBe(403);
    expect((await care.call('GET', '/api/segments')).status).toBe(200);
  });

  test('a disabled user’s sessions end at once and their sign-in is refused; enabled again, they sign in', async () => {
    const care = await staffMember(hami, admin, 'care');
    const disabled = await admin.call('PATCH', `/api/users/${care.userId}`, { disabled: true });
    expect(disabled).toMatchObject({ status: 200, body: { disabled: true } });
    expect((await care.call('GET', '/api/session')).status).toBe(401);
    expect((await login(care.email, care.password)).status).toBe(401);
    expect((await userOf(care.userId)).disabled).toBe(true);

    const enabled = await admin.call('PATCH', `/api/users/${care.userId}`, { disabled: false });
    expect(enabled).toMatchObject({ status: 200, body: { disabled: false } });
    expect((await login(care.email, care.password)).status).toBe(200);
  });

  test('a password reset answers a new password once, ends the user’s sessions, and the old password stops working', async () => {
    const marketing = await staffMember(hami, admin, 'marketing');
    const reset = await admin.call('POST', `/api/users/${marketing.userId}/password`);
    expect(reset.status).toBe(200);
    expect(reset.body.user).toMatchObject({ id: marketing.userId, email: marketing.email });
    expect(reset.body.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect((await marketing.call('GET', '/api/session')).status).toBe(401);
    expect((await login(marketing.email, marketing.password)).status).toBe(401);
    expect((await login(marketing.email, reset.body.password)).status).toBe(200);
  });

  test('the last active admin can be neither disabled nor demoted (409 naming the rule); with a second admin, they can', async () => {
    // Every admin but the first is disabled here first, so the first is the last active one.
    const others = (await admin.call('GET', '/api/users')).body.users.filter(
      (u: { role: string; id: string }) => u.role === 'admin' && u.id !== admin.userId,
    );
    for (const other of others) expect((await admin.call('PATCH', `/api/users/${other.id}`, { disabled: true })).status).toBe(200);

    for (const [patch, field] of [
      [{ disabled: true }, 'disabled'],
      [{ role: 'care' }, 'role'],
      [{ role: 'marketing', disabled: true }, 'disabled'],
    ] as const) {
      const refused = await admin.call('PATCH', `/api/users/${admin.userId}`, patch);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toEqual({
        code: 'last_admin',
        field,
        message: expect.stringContaining('the last active admin cannot be disabled or given another role'),
      });
    }
    expect(await userOf(admin.userId)).toMatchObject({ role: 'admin', disabled: false });
    // A disabled admin does not count: enabling one makes the first no longer the last.
    const second = others[0] ? others[0].id : (await anotherAdmin()).userId;
    if (others[0]) expect((await admin.call('PATCH', `/api/users/${second}`, { disabled: false })).status).toBe(200);
    const demoted = await admin.call('PATCH', `/api/users/${second}`, { role: 'care' });
    expect(demoted).toMatchObject({ status: 200, body: { role: 'care' } });
    expect((await admin.call('PATCH', `/api/users/${admin.userId}`, { disabled: true })).status).toBe(409);
  });

  test('two admins demoting each other at the same moment: one wins, the other is told the rule', async () => {
    const first = await anotherAdmin();
    const second = await anotherAdmin();
    // Only these two stay active admins.
    const others = (await admin.call('GET', '/api/users')).body.users.filter(
      (u: { role: string; id: string; disabled: boolean }) =>
        u.role === 'admin' && !u.disabled && u.id !== first.userId && u.id !== second.userId,
    );
    for (const other of others) expect((await first.call('PATCH', `/api/users/${other.id}`, { role: 'care' })).status).toBe(200);
    const [a, b] = await Promise.all([
      first.call('PATCH', `/api/users/${second.userId}`, { role: 'care' }),
      second.call('PATCH', `/api/users/${first.userId}`, { role: 'care' }),
    ]);
    // The loser is refused by the rule (409), or, when the winner's change landed first, as no longer an admin (403).
    const [won, lost] = a.status === 200 ? [a, b] : [b, a];
    expect(won.status).toBe(200);
    expect([403, 409]).toContain(lost.status);
    const admins = (await first.call('GET', '/api/users')).body.users.filter(
      (u: { role: string; disabled: boolean }) => u.role === 'admin' && !u.disabled,
    );
    expect(admins).toHaveLength(1);
    // The first admin of the file is brought back for the tests after this one.
    const winner = a.status === 200 ? first : second;
    expect((await winner.call('PATCH', `/api/users/${admin.userId}`, { role: 'admin', disabled: false })).status).toBe(200);
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
  });

  test('`hami user disable` and `set-role` obey the same last-admin rule as the dashboard', async () => {
    const only = await anotherAdmin();
    const users = (await admin.call('GET', '/api/users')).body.users as { id: string; email: string; role: string; disabled: boolean }[];
    for (const other of users.filter((u) => u.role === 'admin' && u.id !== only.userId)) {
      expect((await only.call('PATCH', `/api/users/${other.id}`, { role: 'marketing' })).status).toBe(200);
    }
    const out: string[] = [];
    const err: string[] = [];
    const env = { HAMI_DATA_DIR: hami.dataDir, DATABASE_URL: hami.databaseUrl };
    const cli = (...args: string[]) => runCli(args, { env, out: (line) => out.push(line), err: (line) => err.push(line) });
    expect(await cli('user', 'disable', '--email', only.email)).toBe(1);
    expect(await cli('user', 'set-role', '--email', only.email, '--role', 'care')).toBe(1);
    expect(err).toEqual([
      `hami: ${only.email}: the last active admin cannot be disabled or given another role: make another user admin first`,
      `hami: ${only.email}: the last active admin cannot be disabled or given another role: make another user admin first`,
    ]);
    expect(await cli('user', 'set-role', '--email', ADMIN.email, '--role', 'admin')).toBe(0);
    expect(out).toEqual([`${ADMIN.email} is now admin (was marketing)`]);
    expect(await cli('user', 'disable', '--email', only.email)).toBe(0);
    expect((await only.call('GET', '/api/session')).status).toBe(401);
    expect(await cli('user', 'enable', '--email', only.email)).toBe(0);
    expect(out.slice(1)).toEqual([`disabled ${only.email}; their sessions have ended`, `enabled ${only.email}; they can sign in again`]);
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
  });

  test('a change names the field at fault, and an unknown user is 404', async () => {
    const care = await staffMember(hami, admin, 'care');
    const cases: [unknown, string][] = [
      [{ role: 'owner' }, 'role'],
      [{ disabled: 'yes' }, 'disabled'],
      [{}, 'role'],
      [{ role: 'care', password: 'x' }, 'password'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.call('PATCH', `/api/users/${care.userId}`, body);
      expect(`${JSON.stringify(body)} → ${res.status} ${res.body.error?.field}`).toBe(`${JSON.stringify(body)} → 400 ${field}`);
    }
    expect((await admin.call('PATCH', '/api/users/nobody', { role: 'care' })).body.error).toMatchObject({ code: 'not_found' });
    expect((await admin.call('POST', '/api/users/nobody/password')).status).toBe(404);
    const noName = await admin.call('POST', '/api/users', { email: email(), name: ' ', role: 'care' });
    expect(noName).toMatchObject({ status: 400, body: { error: { field: 'name' } } });
  });

  test('care and marketing may not add, change, disable or reset anyone, nor read the settings views (403)', async () => {
    const care = await staffMember(hami, admin, 'care');
    const marketing = await staffMember(hami, admin, 'marketing');
    const target = care.userId;
    const requests: [string, string, unknown][] = [
      ['POST', '/api/users', { email: email(), name: 'X', role: 'admin' }],
      ['PATCH', `/api/users/${target}`, { role: 'admin' }],
      ['PATCH', `/api/users/${marketing.userId}`, { disabled: true }],
      ['POST', `/api/users/${target}/password`, undefined],
      ['GET', '/api/surveys', undefined],
      ['GET', '/api/settings/branding', undefined],
    ];
    for (const client of [care, marketing]) {
      for (const [method, path, body] of requests) {
        const res = await client.call(method, path, body);
        expect(`${method} ${path} → ${res.status}`).toBe(`${method} ${path} → 403`);
      }
    }
    expect((await userOf(target)).role).toBe('care');
    expect((await care.call('GET', '/api/session')).status).toBe(200);
  });

  test('Settings shows the brand as HAMI_BRAND_* set it, read-only', async () => {
    const branding = await admin.call('GET', '/api/settings/branding');
    expect(branding).toEqual({
      status: 200,
      body: {
        name: { en: 'DigiShop', fa: 'دیجی‌شاپ' },
        logo: null,
        accent: '#7a1f5c',
        accentIsDefault: false,
        senderName: 'DigiShop',
        mailFrom: 'Hami <surveys@localhost>',
        replyTo: 'care@digishop.example',
      },
    });
  });

  test('Settings lists each survey’s texts in both languages and its public links with their addresses and QR codes', async () => {
    const { status, body } = await admin.call('GET', '/api/surveys');
    expect(status).toBe(200);
    const purchase = body.surveys.find((s: { id: string }) => s.id === 'post-purchase');
    expect(purchase.subject.en.length).toBeGreaterThan(0);
    expect(purchase.subject.fa).toMatch(/[\u0600-\u06FF]/);
    expect(purchase.questions[0]).toMatchObject({
      type: 'nps',
      text: { en: expect.any(String), fa: expect.stringMatching(/[\u0600-\u06FF]/) },
    });
    expect(purchase.questions[0].lowLabel.fa).toMatch(/[\u0600-\u06FF]/);
    const store = purchase.publicLinks.find((l: { id: string }) => l.id === 'store-tehran');
    expect(store).toMatchObject({
      kiosk: true,
      url: {
        en: 'https://survey.digishop.example/p/post-purchase/store-tehran',
        fa: 'https://survey.digishop.example/p/post-purchase/store-tehran?lang=fa',
      },
      qr: { en: { svg: '/p/post-purchase/store-tehran/qr.svg', png: '/p/post-purchase/store-tehran/qr.png' } },
    });
    // The QR addresses answer with the images.
    const svg = await fetch(`${hami.url}${store.qr.fa.svg}`);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    const png = await fetch(`${hami.url}${store.qr.en.png}`);
    expect([png.status, png.headers.get('content-type')]).toEqual([200, 'image/png']);
  });
});
