import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CASE_OUTCOME_JOB } from '../../server/callbacks/work-case.js';
import { invitationToken } from '../../server/delivery/tokens.js';
import { rebuildRollups } from '../../server/metrics/rollups.js';
import { startTestHami, testEngine, type TestHami } from '../helpers/hami.js';
import { ADMIN, signIn, staffMember, type StaffClient } from '../helpers/staff.js';

/*
 * Changes that read a row and then write from what they read must not lose one another when they arrive at the
 * same moment. SQLite runs one write transaction at a time; PostgreSQL runs them side by side, so there the row is
 * locked first (server/callbacks/work-case.ts, server/responses/record-answer.ts). Runs on both engines.
 */
describe(`changes at the same moment (${testEngine})`, () => {
  let hami: TestHami;
  let admin: StaffClient;
  let care: StaffClient;
  let serial = 0;

  beforeAll(async () => {
    hami = await startTestHami();
    admin = await signIn(hami, ADMIN.email, ADMIN.password);
    care = await staffMember(hami, admin, 'care');
  });
  afterAll(() => hami.stopAndClean());

  /** A customer invited now; returns the link token. */
  async function invited(): Promise<{ token: string; invitationId: string }> {
    serial++;
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: `o-${serial}`,
      customer: { id: `c-${serial}`, email: `c${serial}@example.com` },
    });
    const invitationId: string = body.invitations[0].id;
    return { token: invitationToken(hami.deps.secret, invitationId), invitationId };
  }

  const submit = (token: string, fields: Record<string, string>) =>
    fetch(`${hami.url}/s/${token}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' }).then((r) => r.status);

  test('two staff closing one case at once: one closes it, the other is told it is already closed, one outcome is sent', async () => {
    const { token, invitationId } = await invited();
    expect(await submit(token, { nps: '2', reason: 'late' })).toBe(303);
    const response = await hami.deps.db
      .selectFrom('responses')
      .select('id')
      .where('invitation_id', '=', invitationId)
      .executeTakeFirstOrThrow();
    const { id: caseId } = await hami.deps.db
      .selectFrom('callback_cases')
      .select('id')
      .where('response_id', '=', response.id)
      .executeTakeFirstOrThrow();

    const results = await Promise.all([
      admin.call('PATCH', `/api/callbacks/${caseId}`, {
        status: 'resolved',
        reason: 'shipping_delay',
        outcome: 'A new one is on its way.',
      }),
      care.call('PATCH', `/api/callbacks/${caseId}`, {
        status: 'unresolvable',
        reason: 'other',
        outcome: 'We could not reach the courier.',
      }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const closings = await hami.deps.db
      .selectFrom('case_entries')
      .select(['kind', 'seq'])
      .where('case_id', '=', caseId)
      .where('kind', 'in', ['status', 'outcome'])
      .execute();
    expect(closings.map((e) => e.kind).sort()).toEqual(['outcome', 'status']);
    const outcomeJobs = await hami.deps.db.selectFrom('jobs').select('payload').where('name', '=', CASE_OUTCOME_JOB).execute();
    expect(outcomeJobs.filter((j) => j.payload.includes(caseId))).toHaveLength(1);
    // The audit trail's order stays total: no two entries of the case share a position.
    const seqs = (await hami.deps.db.selectFrom('case_entries').select('seq').where('case_id', '=', caseId).execute()).map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  test('the same new user created twice at once (also in another letter case): one 201, one 409, one account', async () => {
    const email = `twin-${Date.now()}@example.com`;
    const user = (address: string) => ({ email: address, name: 'Twin', role: 'marketing', password: 'a long enough password' });
    const results = await Promise.all([
      admin.call('POST', '/api/users', user(email)),
      admin.call('POST', '/api/users', user(email.toUpperCase())),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const refused = results.find((r) => r.status === 409)!;
    expect(refused.body.error).toMatchObject({ code: 'duplicate', field: 'email' });
    const rows = await hami.deps.db.selectFrom('users').select('id').where('email', '=', email).execute();
    expect(rows).toHaveLength(1);
  });

  test('closing an already closed case is refused with 409, and the first outcome and reason stay', async () => {
    const { token, invitationId } = await invited();
    expect(await submit(token, { nps: '1', reason: 'rude' })).toBe(303);
    const response = await hami.deps.db
      .selectFrom('responses')
      .select('id')
      .where('invitation_id', '=', invitationId)
      .executeTakeFirstOrThrow();
    const { id: caseId } = await hami.deps.db
      .selectFrom('callback_cases')
      .select('id')
      .where('response_id', '=', response.id)
      .executeTakeFirstOrThrow();
    const first = await admin.call('PATCH', `/api/callbacks/${caseId}`, {
      status: 'resolved',
      reason: 'support_response',
      outcome: 'We apologised.',
    });
    expect(first.status).toBe(200);
    const again = await care.call('PATCH', `/api/callbacks/${caseId}`, { status: 'resolved', reason: 'other', outcome: 'Something else.' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'invalid_change', field: 'status' });
    const row = await hami.deps.db
      .selectFrom('callback_cases')
      .select(['status', 'reason'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'resolved', reason: 'support_response' });
    const outcomes = await hami.deps.db
      .selectFrom('case_entries')
      .select('note')
      .where('case_id', '=', caseId)
      .where('kind', '=', 'outcome')
      .execute();
    expect(outcomes.map((o) => o.note)).toEqual(['We apologised.']);
  });

  test("two staff resolving one case at once: one 200, one 409, and the winner's outcome is the one kept", async () => {
    const { token, invitationId } = await invited();
    expect(await submit(token, { nps: '3', reason: 'slow' })).toBe(303);
    const response = await hami.deps.db
      .selectFrom('responses')
      .select('id')
      .where('invitation_id', '=', invitationId)
      .executeTakeFirstOrThrow();
    const { id: caseId } = await hami.deps.db
      .selectFrom('callback_cases')
      .select('id')
      .where('response_id', '=', response.id)
      .executeTakeFirstOrThrow();
    const patches = [
      { status: 'resolved', reason: 'shipping_delay', outcome: 'First outcome.' },
      { status: 'resolved', reason: 'other', outcome: 'Second outcome.' },
    ];
    const results = await Promise.all([
      admin.call('PATCH', `/api/callbacks/${caseId}`, patches[0]),
      care.call('PATCH', `/api/callbacks/${caseId}`, patches[1]),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = patches[results.findIndex((r) => r.status === 200)]!;
    const row = await hami.deps.db.selectFrom('callback_cases').select('reason').where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row.reason).toBe(winner.reason);
    const outcomes = await hami.deps.db
      .selectFrom('case_entries')
      .select('note')
      .where('case_id', '=', caseId)
      .where('kind', '=', 'outcome')
      .execute();
    expect(outcomes.map((o) => o.note)).toEqual([winner.outcome]);
  });

  test('twenty answers to one link at once: the dashboard counts equal a recount from the responses', async () => {
    const { token, invitationId } = await invited();
    const scores = Array.from({ length: 20 }, (_, i) => String(i % 11));
    const statuses = await Promise.all(scores.map((nps) => submit(token, { nps, reason: `score ${nps}` })));
    expect(statuses.every((s) => s === 303)).toBe(true);
    const response = await hami.deps.db
      .selectFrom('responses')
      .select(['id', 'score'])
      .where('invitation_id', '=', invitationId)
      .executeTakeFirstOrThrow();
    const history = await hami.deps.db.selectFrom('response_history').select('id').where('response_id', '=', response.id).execute();
    expect(history).toHaveLength(20);

    const incremental = await hami.deps.db.selectFrom('metric_rollups').selectAll().execute();
    await rebuildRollups(hami.deps.db, hami.deps.surveys.all);
    const recounted = await hami.deps.db.selectFrom('metric_rollups').selectAll().execute();
    const sorted = (rows: object[]) => rows.map((r) => JSON.stringify(r)).sort();
    expect(sorted(incremental)).toEqual(sorted(recounted));
  });
});
