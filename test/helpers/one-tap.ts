import { ANSWER_SETTLE_JOB } from '../../server/responses/record-answer.js';
import { eventually, type TestHami } from './hami.js';

/**
 * Lets one-tap answers settle (server/responses/one-tap.ts): what an answer sets off (case, alerts, webhooks)
 * waits out the scanner window in a settle job. Rather than move the test's clock, which would shift every time
 * the test expects to be the tap's, the pending settle jobs are made due now; then this waits until they ran.
 */
export async function settleOneTapAnswers(hami: TestHami): Promise<void> {
  await hami.deps.db
    .updateTable('jobs')
    .set({ run_at: hami.deps.clock.now().toISOString() })
    .where('name', '=', ANSWER_SETTLE_JOB)
    .where('status', '=', 'queued')
    .execute();
  hami.deps.jobQueued();
  await eventually(async () => {
    const pending = await hami.deps.db
      .selectFrom('jobs')
      .select('id')
      .where('name', '=', ANSWER_SETTLE_JOB)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    return pending === undefined;
  });
}
