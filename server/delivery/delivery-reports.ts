import type { DeliveryReport } from '../channels/sms/provider.js';
import type { Db } from '../db/connect.js';

/**
 * Stores gateway delivery reports on their invitations, matched by the gateway's message id or by our reference
 * (the invitation id, with a ":reminder"/":thanks" suffix for follow-up texts). Returns how many matched.
 */
export async function applyDeliveryReports(db: Db, reports: readonly DeliveryReport[], now: Date): Promise<number> {
  let matched = 0;
  for (const report of reports) {
    let query = db
      .updateTable('invitations')
      .set({ delivery_status: report.state, delivery_detail: report.detail.slice(0, 200), delivery_updated_at: now.toISOString() });
    if (report.providerMessageId) query = query.where('provider_message_id', '=', report.providerMessageId);
    else if (report.reference) query = query.where('id', '=', report.reference.split(':')[0]!);
    else continue;
    const result = await query.executeTakeFirst();
    matched += Number(result.numUpdatedRows ?? 0);
  }
  return matched;
}

/**
 * Gateway message ids of SMS invitations sent since `since` whose delivery is not settled yet (no report, or only
 * "sent"), newest first: what is asked of gateways that report only when asked.
 */
export async function awaitingDeliveryReports(db: Db, since: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('invitations')
    .select('provider_message_id')
    .where('channel', '=', 'sms')
    .where('provider_message_id', 'is not', null)
    .where('sent_at', '>=', since.toISOString())
    .where((eb) => eb.or([eb('delivery_status', 'is', null), eb('delivery_status', '=', 'sent')]))
    .orderBy('sent_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.provider_message_id!).filter((id) => !id.startsWith('outbox-'));
}
