import { afterEach, describe, expect, test } from 'vitest';
import { SEND_INVITATION_JOB } from '../../server/delivery/plan-invitation.js';
import { enqueueJob } from '../../server/delivery/queue.js';
import { HOUSEKEEPING_JOB } from '../../server/housekeeping.js';
import { HOUR, ManualClock } from '../helpers/clock.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { drainJobs, eventually, startTestHami, type TestHami } from '../helpers/hami.js';

describe('the delivery worker', () => {
  let hami: TestHami | undefined;
  let smtp: TestSmtpServer | undefined;
  afterEach(async () => {
    await hami?.stopAndClean();
    await smtp?.close();
    hami = smtp = undefined;
  });

  const invitationStatus = async (h: TestHami, id: string) =>
    await h.deps.db.selectFrom('invitations').select(['status', 'reason']).where('id', '=', id).executeTakeFirstOrThrow();

  test('an invitation planned for later is sent when its time comes, not before', async () => {
    smtp = await startSmtpServer();
    const clock = new ManualClock('2026-02-01T12:00:00Z');
    hami = await startTestHami({ smtpUrl: smtp.url, clock });
    const { body } = await hami.postEvent({ type: 'resolution', id: 't-1', customer: { id: 'c', email: 'c@example.com' } });
    expect(body.invitations[0].sendAt).toBe('2026-02-01T13:00:00.000Z'); // post-resolution waits 60 minutes
    await drainJobs(hami);
    expect(smtp.messages).toHaveLength(0);
    clock.advance(HOUR);
    await smtp.waitForMessages(1, 2000);
    // The worker marks the invitation sent once the SMTP server has said yes: a moment after the message arrives.
    await eventually(async () => (await invitationStatus(hami!, body.invitations[0].id)).status === 'sent');
  });

  test('while the SMTP server is down the send is retried with backoff, then delivered exactly once', async () => {
    const clock = new ManualClock('2026-02-01T12:00:00Z');
    // Reserve a port, then close the server so connections are refused.
    const probe = await startSmtpServer();
    const port = probe.port;
    await probe.close();
    hami = await startTestHami({ smtpUrl: `smtp://127.0.0.1:${port}`, clock });
    const { body } = await hami.postEvent({ type: 'purchase', id: 'o-1', sendAt: 'now', customer: { id: 'c', email: 'c@example.com' } });

    const job = await eventually(async () => {
      const row = await hami!.deps.db.selectFrom('jobs').where('name', '=', SEND_INVITATION_JOB).selectAll().executeTakeFirstOrThrow();
      return row.attempts >= 1 && row.status === 'queued' ? row : undefined;
    });
    expect(job.last_error).toMatch(/ECONNREFUSED|connect/i);
    const wait = new Date(job.run_at).getTime() - clock.now().getTime();
    expect(wait).toBeGreaterThanOrEqual(15_000);
    expect(wait).toBeLessThanOrEqual(18_000);
    expect((await invitationStatus(hami, body.invitations[0].id)).status).toBe('scheduled');

    smtp = await startSmtpServer(port);
    await drainJobs(hami);
    expect(smtp.messages).toHaveLength(0); // not due yet: the backoff is respected
    clock.advance(20_000);
    await smtp.waitForMessages(1, 2000);
    clock.advance(HOUR);
    await drainJobs(hami);
    expect(smtp.messages).toHaveLength(1);
    expect((await invitationStatus(hami, body.invitations[0].id)).status).toBe('sent');
    // The first job queued (ids are time-ordered); the reminder came later. Without an order PostgreSQL may give either.
    const done = await hami.deps.db
      .selectFrom('jobs')
      .where('name', '=', SEND_INVITATION_JOB)
      .select(['status', 'attempts'])
      .orderBy('id')
      .executeTakeFirstOrThrow();
    expect(done).toEqual({ status: 'done', attempts: 2 });
  });

  test('a send that keeps failing is retried until the link would have expired, then marked expired, not lost silently', async () => {
    const clock = new ManualClock('2026-02-01T12:00:00Z');
    const probe = await startSmtpServer();
    await probe.close();
    hami = await startTestHami({ smtpUrl: `smtp://127.0.0.1:${probe.port}`, clock });
    const { body } = await hami.postEvent({ type: 'purchase', id: 'o-1', sendAt: 'now', customer: { id: 'c', email: 'c@example.com' } });
    const queuedAfter = (attempts: number) =>
      eventually(async () => {
        const job = await hami!.deps.db.selectFrom('jobs').where('name', '=', SEND_INVITATION_JOB).selectAll().executeTakeFirstOrThrow();
        return job.status === 'queued' && job.attempts === attempts ? job : undefined;
      });
    const delays: number[] = [];
    for (let attempts = 1; attempts <= 10; attempts++) {
      const job = await queuedAfter(attempts);
      delays.push(new Date(job.run_at).getTime() - clock.now().getTime());
      clock.set(job.run_at);
    }
    // Backoff: each wait at least the last (up to jitter), none above an hour.
    expect(delays[0]).toBeGreaterThanOrEqual(15_000);
    expect(delays[9]).toBe(HOUR);
    expect((await invitationStatus(hami, body.invitations[0].id)).status).toBe('scheduled');

    await queuedAfter(11);
    clock.advance(15 * 24 * HOUR); // post-purchase links live 14 days
    const expired = await eventually(async () => {
      const row = await invitationStatus(hami!, body.invitations[0].id);
      return row.status === 'expired' ? row : undefined;
    });
    expect(expired.reason).toBe('expired_before_sending');
    // The invitation and its job are two commits: wait for the second as well.
    const job = await eventually(async () => {
      const row = await hami!.deps.db
        .selectFrom('jobs')
        .where('name', '=', SEND_INVITATION_JOB)
        .select(['status', 'attempts'])
        .executeTakeFirstOrThrow();
      return row.status === 'running' ? undefined : row;
    });
    expect(job).toEqual({ status: 'done', attempts: 12 });
  });

  test('a mailbox the server refuses for good fails the invitation with the reason and suppresses the address', async () => {
    smtp = await startSmtpServer();
    smtp.rejectRecipients.add('gone@example.com');
    hami = await startTestHami({ smtpUrl: smtp.url });
    const { body } = await hami.postEvent({ type: 'purchase', id: 'o-1', sendAt: 'now', customer: { id: 'c', email: 'gone@example.com' } });
    const failed = await eventually(async () => {
      const row = await invitationStatus(hami!, body.invitations[0].id);
      return row.status === 'failed' ? row : undefined;
    });
    expect(failed.reason).toContain('mail server refused the address');
    expect(failed.reason).toContain('550');
    // The invitation and its job are two commits: wait for the second as well.
    const job = await eventually(async () => {
      const row = await hami!.deps.db
        .selectFrom('jobs')
        .where('name', '=', SEND_INVITATION_JOB)
        .select(['status', 'attempts'])
        .executeTakeFirstOrThrow();
      return row.status === 'running' ? undefined : row;
    });
    expect(job).toEqual({ status: 'failed', attempts: 1 });
    const again = await hami.postEvent({ type: 'purchase', id: 'o-2', customer: { id: 'c' } });
    expect(again.body.invitations[0]).toMatchObject({ status: 'skipped', reason: 'opted_out' });
  });

  test('a job whose worker died mid-send is taken over when its claim lapses, and sent once', async () => {
    smtp = await startSmtpServer();
    const clock = new ManualClock('2026-02-01T12:00:00Z');
    hami = await startTestHami({ smtpUrl: smtp.url, clock });
    await hami.worker.stop(); // only this test drives the worker
    await hami.deps.db.deleteFrom('jobs').where('name', '=', HOUSEKEEPING_JOB).execute(); // and counts only the send
    const { body } = await hami.postEvent({
      type: 'purchase',
      id: 'o-1',
      sendAt: '2026-02-01T13:00:00Z',
      customer: { id: 'c', email: 'c@example.com' },
    });
    // A dead worker's claim: running, with a lease that runs out at 13:05.
    await hami.deps.db
      .updateTable('jobs')
      .where('name', '=', SEND_INVITATION_JOB)
      .set({ status: 'running', attempts: 1, locked_until: '2026-02-01T13:05:00.000Z' })
      .execute();
    clock.set('2026-02-01T13:01:00Z');
    expect(await hami.worker.runDue()).toBe(0);
    clock.set('2026-02-01T13:06:00Z');
    expect(await hami.worker.runDue()).toBe(1);
    await smtp.waitForMessages(1);
    expect((await invitationStatus(hami, body.invitations[0].id)).status).toBe('sent');
    expect(await hami.worker.runDue()).toBe(0);
    expect(smtp.messages).toHaveLength(1);
  });

  test('running a send job again after it was sent sends nothing more', async () => {
    smtp = await startSmtpServer();
    hami = await startTestHami({ smtpUrl: smtp.url });
    const { body } = await hami.postEvent({ type: 'purchase', id: 'o-1', sendAt: 'now', customer: { id: 'c', email: 'c@example.com' } });
    await smtp.waitForMessages(1);
    const now = hami.deps.clock.now();
    await enqueueJob(hami.deps.db, { name: 'invitation.send', payload: { invitationId: body.invitations[0].id }, runAt: now }, now);
    hami.worker.wake();
    await eventually(async () => {
      const pending = await hami!.deps.db
        .selectFrom('jobs')
        .where('name', '=', SEND_INVITATION_JOB)
        .select('id')
        .where('name', '=', 'invitation.send')
        .where('status', '!=', 'done')
        .execute();
      return pending.length === 0;
    });
    expect(smtp.messages).toHaveLength(1);
  });

  test('without SMTP_URL the email is saved in the dev outbox with a log line carrying the survey link', async () => {
    const lines: string[] = [];
    hami = await startTestHami({ log: { info: (m, f) => lines.push(`${m} ${JSON.stringify(f)}`), warn() {}, error() {} } });
    await hami.postEvent({ type: 'purchase', id: 'o-1', sendAt: 'now', customer: { id: 'c', email: 'c@example.com', locale: 'fa' } });
    const line = await eventually(() => lines.find((l) => l.startsWith('dev outbox')));
    const file = JSON.parse(line.slice(line.indexOf('{'))).file as string;
    expect(file.startsWith(`${hami.dataDir}/outbox/`)).toBe(true);
    expect(line).toMatch(/"link":"http:\/\/localhost:\d+\/s\/[A-Za-z0-9_-]{22}"/);
    const { readFileSync } = await import('node:fs');
    const eml = readFileSync(file, 'utf8');
    expect(eml).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(eml).toMatch(/Content-Type: text\/html/);
    expect(eml).toMatch(/Content-Type: text\/plain/);
  });
});
