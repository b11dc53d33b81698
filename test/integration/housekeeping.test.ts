import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SESSION_HOURS } from '../../server/auth/sessions.js';
import { invitationToken } from '../../server/delivery/tokens.js';
import { HOUSEKEEPING_INTERVAL_MS, HOUSEKEEPING_JOB } from '../../server/housekeeping.js';
import { HOUR, ManualClock } from '../helpers/clock.js';
import { eventually, startTestHami, type TestHami } from '../helpers/hami.js';
import { ADMIN, signIn } from '../helpers/staff.js';

/*
 * Rows that only matter for a while (sessions for SESSION_HOURS, one-tap rows for the scanner window) are deleted
 * by the hourly housekeeping job once they have expired, also where nobody signs in or taps again. The clock is
 * moved by hand; the job runs on the server's own worker.
 */
describe('housekeeping of expired rows', () => {
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  let hami: TestHami;

  beforeAll(async () => {
    hami = await startTestHami({ clock, env: { HAMI_THROTTLE_DAYS: '0', HAMI_QUIET_HOURS: 'off' } });
  });
  afterAll(() => hami.stopAndClean());

  const count = async (table: 'sessions' | 'one_tap_taps') =>
    Number(
      (
        await hami.deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const housekeepingRuns = async () =>
    (await hami.deps.db.selectFrom('jobs').select('id').where('name', '=', HOUSEKEEPING_JOB).where('status', '=', 'done').execute()).length;

  /** Moves the clock on and waits until the housekeeping run that came due has run on the worker. */
  async function passTime(ms: number): Promise<void> {
    const runs = await housekeepingRuns();
    clock.advance(ms);
    hami.deps.jobQueued();
    await eventually(async () => (await housekeepingRuns()) > runs, 5000);
  }

  test('expired sessions and one-tap rows past the scanner window are deleted; live ones stay', async () => {
    await eventually(async () => (await housekeepingRuns()) === 1); // the run queued at start-up
    const early = await signIn(hami, ADMIN.email, ADMIN.password);
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: 'hk-1',
      sendAt: 'now',
      customer: { id: 'hk-c', email: 'hk@example.com' },
    });
    const link = `${hami.url}/s/${invitationToken(hami.deps.secret, body.invitations[0].id)}`;
    expect((await fetch(`${link}?score=9`, { redirect: 'manual' })).status).toBe(303);
    expect(await count('sessions')).toBe(1);
    expect(await count('one_tap_taps')).toBe(1);

    // An hour on: the tap is stale and goes; the session lasts SESSION_HOURS and stays.
    await passTime(HOUSEKEEPING_INTERVAL_MS);
    expect(await count('one_tap_taps')).toBe(0);
    expect(await count('sessions')).toBe(1);
    expect((await early.call('GET', '/api/session')).status).toBe(200);

    // Past the session's end: deleted, and a session started since is kept.
    await passTime((SESSION_HOURS - 2) * HOUR);
    const later = await signIn(hami, ADMIN.email, ADMIN.password);
    await passTime(HOUR);
    const left = await hami.deps.db.selectFrom('sessions').select('expires_at').execute();
    expect(left).toHaveLength(1);
    expect(left[0]!.expires_at > clock.now().toISOString()).toBe(true);
    expect((await later.call('GET', '/api/session')).status).toBe(200);
    expect((await early.call('GET', '/api/session')).status).toBe(401);
  });

  test('one run is queued at a time: each run queues the next an hour on', async () => {
    const queued = await hami.deps.db
      .selectFrom('jobs')
      .select('run_at')
      .where('name', '=', HOUSEKEEPING_JOB)
      .where('status', '=', 'queued')
      .execute();
    expect(queued).toEqual([{ run_at: new Date(clock.now().getTime() + HOUSEKEEPING_INTERVAL_MS).toISOString() }]);
  });
});
