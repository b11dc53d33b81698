import { newRowId } from '../db/ids.js';
import type { Executor } from '../db/connect.js';

/** Who asked: a staff user's id, 'cli' (npx hami), or 'retention' (the daily purge). */
export type PrivacyActor = string;

/** Appends an audit entry: what was done, to whom (Hami's id only), by whom, and counts. Never personal data. */
export async function auditPrivacy(
  db: Executor,
  entry: {
    action: 'export' | 'erase' | 'retention';
    customerId: string | null;
    actor: PrivacyActor;
    at: Date;
    detail: Record<string, number | string | boolean>;
  },
): Promise<void> {
  await db
    .insertInto('privacy_audit')
    .values({
      id: newRowId(),
      action: entry.action,
      customer_id: entry.customerId,
      actor: entry.actor,
      at: entry.at.toISOString(),
      detail: JSON.stringify(entry.detail),
    })
    .execute();
}
