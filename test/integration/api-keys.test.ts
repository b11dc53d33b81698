import { storeBootstrapKeys } from '../../server/auth/api-keys.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HOUR, ManualClock } from '../helpers/clock.js';
import { startTestHami, TEST_API_KEY, type TestHami } from '../helpers/hami.js';
import { ADMIN, signIn, signInAgain, type StaffClient } from '../helpers/staff.js';

describe('API keys: made in Settings, shown once, stored hashed, last use recorded, revoked', () => {
  let hami: TestHami;
  let admin: StaffClient;
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  let serial = 0;
  const event = () => ({ type: 'purchase', id: `order-${++serial}`, customer: { id: `c-${serial}`, email: `c${serial}@example.com` } });

  beforeAll(async () => {
    hami = await startTestHami({ clock });
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
  });
  afterAll(() => hami.stopAndClean());

  test('create → the key once; it works, its last use is recorded; revoke → refused, listed as revoked', async () => {
    const created = await admin.call('POST', '/api/keys', { name: '  Shop (production)  ' });
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    expect(key).toMatch(/^hami_[A-Za-z0-9_-]{32}$/);
    expect(created.body).toMatchObject({
      name: 'Shop (production)',
      prefix: key.slice(0, 9),
      createdAt: '2026-06-01T10:00:00.000Z',
      lastUsedAt: null,
      revokedAt: null,
    });

    // Only the hash is stored: the key itself appears nowhere in the database or the list.
    const row = await hami.deps.db.selectFrom('api_keys').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(key.slice(9));
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    const listed = await admin.call('GET', '/api/keys');
    expect(JSON.stringify(listed.body)).not.toContain(key.slice(9));
    const mine = () => admin.call('GET', '/api/keys').then((r) => r.body.items.find((k: { id: string }) => k.id === created.body.id));
    expect(await mine()).toEqual({
      id: created.body.id,
      name: 'Shop (production)',
      prefix: key.slice(0, 9),
      createdAt: '2026-06-01T10:00:00.000Z',
      lastUsedAt: null,
      revokedAt: null,
    });

    clock.advance(2 * HOUR);
    expect((await hami.postEvent(event(), { apiKey: key })).status).toBe(202);
    expect((await mine()).lastUsedAt).toBe('2026-06-01T12:00:00.000Z');
    clock.advance(HOUR);
    expect((await hami.postEvent(event(), { apiKey: key })).status).toBe(202);
    expect((await mine()).lastUsedAt).toBe('2026-06-01T13:00:00.000Z');

    admin = await signInAgain(hami, admin);
    const revoked = await admin.call('DELETE', `/api/keys/${created.body.id}`);
    expect(revoked).toMatchObject({ status: 200, body: { id: created.body.id, revokedAt: '2026-06-01T13:00:00.000Z' } });
    const refused = await hami.postEvent(event(), { apiKey: key });
    expect(refused).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    // Revoking again keeps the first time; the refused request did not count as a use.
    clock.advance(HOUR);
    expect((await admin.call('DELETE', `/api/keys/${created.body.id}`)).body.revokedAt).toBe('2026-06-01T13:00:00.000Z');
    expect(await mine()).toMatchObject({ lastUsedAt: '2026-06-01T13:00:00.000Z', revokedAt: '2026-06-01T13:00:00.000Z' });
    // Other keys still work.
    expect((await hami.postEvent(event(), { apiKey: TEST_API_KEY })).status).toBe(202);
  });

  test('the list is newest first and includes the bootstrap key from HAMI_API_KEYS', async () => {
    admin = await signInAgain(hami, admin);
    clock.advance(HOUR);
    await admin.call('POST', '/api/keys', { name: 'Help desk' });
    const { body } = await admin.call('GET', '/api/keys');
    expect(body.items[0].name).toBe('Help desk');
    expect(body.items.map((k: { name: string }) => k.name)).toContain('HAMI_API_KEYS');
    for (const item of body.items)
      expect(Object.keys(item).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt']);
  });

  test.each([
    [{}, 'name'],
    [{ name: '   ' }, 'name'],
    [{ name: 'x'.repeat(101) }, 'name'],
    [{ name: 'ok', scope: 'all' }, 'scope'],
  ])('a bad body %j is a 400 naming %s', async (body, field) => {
    admin = await signInAgain(hami, admin);
    const res = await admin.call('POST', '/api/keys', body);
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'invalid_input', field } } });
  });

  test('revoking an unknown id is a 404; a prefix is not an id here', async () => {
    admin = await signInAgain(hami, admin);
    expect((await admin.call('DELETE', '/api/keys/no-such-key')).status).toBe(404);
    const created = await admin.call('POST', '/api/keys', { name: 'by prefix' });
    expect((await admin.call('DELETE', `/api/keys/${created.body.prefix}`)).status).toBe(404);
  });

  test('a revoked HAMI_API_KEYS key stays revoked when the server starts again with it', async () => {
    admin = await signInAgain(hami, admin);
    const bootstrap = (await admin.call('GET', '/api/keys')).body.items.find((k: { name: string }) => k.name === 'HAMI_API_KEYS');
    expect((await admin.call('DELETE', `/api/keys/${bootstrap.id}`)).status).toBe(200);
    await storeBootstrapKeys(hami.deps.db, [TEST_API_KEY], clock.now());
    expect((await hami.postEvent(event())).status).toBe(401);
    expect((await admin.call('GET', '/api/keys')).body.items.filter((k: { name: string }) => k.name === 'HAMI_API_KEYS')).toHaveLength(1);
  });
});
