import type { Transaction } from 'kysely';
import type { Channel } from '../../shared/survey-schema.js';
import type { AutopilotMembership, Database } from '../db/schema.js';
import type { Executor } from '../db/connect.js';

/*
 * Queries of autopilot (server/autopilot/): its memberships, and what it needs to know of a member's invitations.
 */

export type AutopilotChannel = Extract<Channel, 'email' | 'sms'>;
export const AUTOPILOT_CHANNELS: readonly AutopilotChannel[] = ['email', 'sms'];

export async function findMembership(
  db: Executor,
  customerId: string,
  channel: AutopilotChannel,
): Promise<AutopilotMembership | undefined> {
  return db
    .selectFrom('autopilot_memberships')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('channel', '=', channel)
    .executeTakeFirst();
}

export async function membershipsOfCustomer(db: Executor, customerId: string): Promise<AutopilotMembership[]> {
  return db.selectFrom('autopilot_memberships').selectAll().where('customer_id', '=', customerId).orderBy('channel').execute();
}

/**
 * The membership, locked for the rest of the transaction: a write that changes nothing, so that the job planning a
 * member's survey and a request removing them take turns (SQLite has one writer; PostgreSQL locks the row).
 */
export async function lockMembership(
  trx: Transaction<Database>,
  customerId: string,
  channel: string,
): Promise<AutopilotMembership | undefined> {
  return trx
    .updateTable('autopilot_memberships')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('customer_id', '=', customerId)
    .where('channel', '=', channel)
    .returningAll()
    .executeTakeFirst();
}

export async function insertMembership(trx: Executor, row: AutopilotMembership): Promise<void> {
  await trx.insertInto('autopilot_memberships').values(row).execute();
}

export async function setMembershipProperties(
  trx: Executor,
  customerId: string,
  channel: string,
  properties: object,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('autopilot_memberships')
    .set({ properties: JSON.stringify(properties), updated_at: now.toISOString() })
    .where('customer_id', '=', customerId)
    .where('channel', '=', channel)
    .execute();
}

interface Rescheduled {
  nextSendAt: Date;
  nextJobId: string;
  /** The invitation just planned (sent or skipped); when it was planned to go out, `lastSentAt` too. */
  invitationId: string;
  lastSentAt: Date | null;
}

export async function rescheduleMembership(
  trx: Executor,
  customerId: string,
  channel: string,
  change: Rescheduled,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('autopilot_memberships')
    .set({
      next_send_at: change.nextSendAt.toISOString(),
      next_job_id: change.nextJobId,
      last_invitation_id: change.invitationId,
      updated_at: now.toISOString(),
      ...(change.lastSentAt ? { last_sent_at: change.lastSentAt.toISOString() } : {}),
    })
    .where('customer_id', '=', customerId)
    .where('channel', '=', channel)
    .execute();
}

export async function deleteMembership(trx: Executor, customerId: string, channel: string): Promise<void> {
  await trx.deleteFrom('autopilot_memberships').where('customer_id', '=', customerId).where('channel', '=', channel).execute();
}

interface MemberFilter {
  customerIds?: readonly string[];
}

/** One page of the channel's members (oldest first) with the customer behind each. */
export async function membershipPage(
  db: Executor,
  channel: AutopilotChannel,
  filter: MemberFilter,
  page: { perPage: number; page: number },
) {
  let query = db
    .selectFrom('autopilot_memberships as m')
    .innerJoin('customers as c', 'c.id', 'm.customer_id')
    .select([
      'm.customer_id',
      'm.channel',
      'm.properties',
      'm.next_send_at',
      'm.next_job_id',
      'm.last_sent_at',
      'm.created_at',
      'm.updated_at',
      'c.email',
      'c.phone',
      'c.name',
      'c.created_at as customer_created_at',
    ])
    .where('m.channel', '=', channel);
  if (filter.customerIds) {
    if (!filter.customerIds.length) return [];
    query = query.where('m.customer_id', 'in', filter.customerIds);
  }
  return query
    .orderBy('m.created_at')
    .orderBy('m.customer_id')
    .limit(page.perPage)
    .offset((page.page - 1) * page.perPage)
    .execute();
}

/** When the channel's first member joined and its last membership changed (Delighted's configuration times). */
export async function membershipTimes(db: Executor, channel: AutopilotChannel): Promise<{ first: string | null; last: string | null }> {
  const row = await db
    .selectFrom('autopilot_memberships')
    .select((eb) => [eb.fn.min('created_at').as('first'), eb.fn.max('updated_at').as('last')])
    .where('channel', '=', channel)
    .executeTakeFirst();
  return { first: row?.first ?? null, last: row?.last ?? null };
}
