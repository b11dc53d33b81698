import type { InvitationStatus, PlannedInvitation, SkipReason } from '../../shared/api/events.js';
import type { Channel } from '../../shared/survey-schema.js';
import { prepared } from '../db/prepared.js';
import type { Invitation, NewInvitation } from '../db/schema.js';
import { hashedAddress } from '../privacy/redact.js';
import type { Executor } from '../db/connect.js';

const insertInvitationRow = prepared((db, row: NewInvitation) => db.insertInto('invitations').values(row));

export async function insertInvitation(trx: Executor, invitation: NewInvitation): Promise<void> {
  await insertInvitationRow.run(trx, invitation);
}

export function toPlanned(invitation: Pick<Invitation, 'id' | 'channel' | 'status' | 'send_at' | 'reason'>): PlannedInvitation {
  const planned: PlannedInvitation = {
    id: invitation.id,
    channel: invitation.channel,
    status: invitation.status as PlannedInvitation['status'],
    sendAt: invitation.send_at,
  };
  if (invitation.reason) planned.reason = invitation.reason;
  return planned;
}

const invitationsOfEventQuery = prepared((db, p: { eventId: string }) =>
  db
    .selectFrom('invitations')
    .select(['id', 'channel', 'status', 'send_at', 'reason'])
    .where('event_id', '=', p.eventId)
    .orderBy('created_at')
    .orderBy('id'),
);

export async function invitationsOfEvent(db: Executor, eventId: string): Promise<PlannedInvitation[]> {
  return (await invitationsOfEventQuery.execute(db, { eventId })).map(toPlanned);
}

const invitationById = prepared((db, p: { id: string }) => db.selectFrom('invitations').selectAll().where('id', '=', p.id));
const invitationByTokenHash = prepared((db, p: { hash: string }) =>
  db.selectFrom('invitations').selectAll().where('token_hash', '=', p.hash),
);

export async function findInvitation(db: Executor, id: string): Promise<Invitation | undefined> {
  return invitationById.executeTakeFirst(db, { id });
}

export async function findInvitationByTokenHash(db: Executor, hash: string): Promise<Invitation | undefined> {
  return invitationByTokenHash.executeTakeFirst(db, { hash });
}

export async function markInvitationSent(db: Executor, id: string, now: Date): Promise<void> {
  await db
    .updateTable('invitations')
    .set({ status: 'sent', sent_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'scheduled')
    .execute();
}

/** Sent by the channel: the provider's message id kept to match its delivery reports. */
export async function markInvitationDelivered(trx: Executor, id: string, sentAt: Date, providerMessageId: string | null): Promise<void> {
  await trx
    .updateTable('invitations')
    .set({ status: 'sent', sent_at: sentAt.toISOString(), provider_message_id: providerMessageId })
    .where('id', '=', id)
    .where('status', '=', 'scheduled')
    .execute();
}

/** The invitation moves to the next channel of the survey (the previous one refused). */
export async function switchInvitationChannel(db: Executor, id: string, next: { channel: Channel; address: string }): Promise<void> {
  await db.updateTable('invitations').set({ channel: next.channel, address: next.address }).where('id', '=', id).execute();
}

export async function markReminderSent(db: Executor, id: string, now: Date): Promise<void> {
  await db.updateTable('invitations').set({ reminder_sent_at: now.toISOString() }).where('id', '=', id).execute();
}

export async function markInvitationFailed(db: Executor, id: string, reason: string): Promise<void> {
  await db
    .updateTable('invitations')
    .set({ status: 'failed', reason: reason.slice(0, 500) })
    .where('id', '=', id)
    .where('status', '=', 'scheduled')
    .execute();
}

export async function markInvitationSkipped(db: Executor, id: string, reason: SkipReason): Promise<void> {
  await db.updateTable('invitations').set({ status: 'skipped', reason }).where('id', '=', id).where('status', '=', 'scheduled').execute();
}

/** The link's time ran out before it could be sent (the mail server was down that long). */
export async function markInvitationExpired(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('invitations')
    .set({ status: 'expired', reason: 'expired_before_sending' })
    .where('id', '=', id)
    .where('status', '=', 'scheduled')
    .execute();
}

/** Statuses a first visit of the survey page moves to 'opened' (an answered invitation stays answered). */
const OPENABLE: InvitationStatus[] = ['scheduled', 'sent'];
const markOpened = prepared((db, p: { id: string; at: string }) =>
  db.updateTable('invitations').set({ status: 'opened', opened_at: p.at }).where('id', '=', p.id).where('status', 'in', OPENABLE),
);
const markAnswered = prepared((db, p: { id: string; at: string }) =>
  db.updateTable('invitations').set({ status: 'answered', answered_at: p.at }).where('id', '=', p.id).where('answered_at', 'is', null),
);

const markOpenedLocking = prepared((db, p: { id: string; at: string }) =>
  db
    .updateTable('invitations')
    .set((eb) => ({
      status: eb.case().when('status', 'in', OPENABLE).then<InvitationStatus>('opened').else(eb.ref('status')).end(),
      opened_at: eb.case().when('status', 'in', OPENABLE).then(p.at).else(eb.ref('opened_at')).end(),
    }))
    .where('id', '=', p.id),
);

/**
 * Marks the invitation opened, as markInvitationOpened does, with a statement that always writes its row: it also
 * takes the row's lock for the rest of the transaction (PostgreSQL), so answers to one link are decided in turn.
 */
export async function markInvitationOpenedLocking(trx: Executor, id: string, now: Date): Promise<void> {
  await markOpenedLocking.run(trx, { id, at: now.toISOString() });
}

export async function markInvitationOpened(db: Executor, id: string, now: Date): Promise<void> {
  await markOpened.run(db, { id, at: now.toISOString() });
}

export async function markInvitationAnswered(db: Executor, id: string, now: Date): Promise<void> {
  await markAnswered.run(db, { id, at: now.toISOString() });
}

/** Opened and unanswered again: its only answer was taken back (a scanner's taps). */
export async function markInvitationUnanswered(trx: Executor, id: string): Promise<void> {
  await trx.updateTable('invitations').set({ status: 'opened', answered_at: null }).where('id', '=', id).execute();
}

/** The customer an invitation went to, and the callback case it asks about (a follow-up survey). */
export async function findInvitationCustomerAndCase(
  db: Executor,
  id: string,
): Promise<Pick<Invitation, 'customer_id' | 'case_id'> | undefined> {
  return db.selectFrom('invitations').select(['customer_id', 'case_id']).where('id', '=', id).executeTakeFirst();
}

/** Statuses of an invitation that reached (or will reach) the customer: they count for the throttle. */
const CONTACTING: InvitationStatus[] = ['scheduled', 'sent', 'opened', 'answered'];

/** The send time of the customer's latest invitation that counts for the throttle (any survey), if any. */
export async function latestContactAt(db: Executor, customerId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('invitations')
    .select((eb) => eb.fn.max('send_at').as('at'))
    .where('customer_id', '=', customerId)
    .where('status', 'in', CONTACTING)
    .where('public_link_id', 'is', null)
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

const invitationNear = prepared((db, p: { customerId: string; after: string; before: string }) =>
  db
    .selectFrom('invitations')
    .select('send_at')
    .where('customer_id', '=', p.customerId)
    .where('status', 'in', CONTACTING)
    .where('public_link_id', 'is', null)
    .where('send_at', '>', p.after)
    .where('send_at', '<', p.before)
    .orderBy('send_at', 'desc')
    .limit(1),
);

/** The send time of this customer's invitation closest to `sendAt` within `days` either side, if any. */
export async function lastInvitationNear(db: Executor, customerId: string, sendAt: Date, days: number): Promise<Date | null> {
  const span = days * 86_400_000;
  const row = await invitationNear.executeTakeFirst(db, {
    customerId,
    after: new Date(sendAt.getTime() - span).toISOString(),
    before: new Date(sendAt.getTime() + span).toISOString(),
  });
  return row ? new Date(row.send_at) : null;
}

const suppressionOf = prepared((db, p: { channel: Channel; address: string; hashed: string }) =>
  db
    .selectFrom('suppressions')
    .select('address')
    .where('channel', '=', p.channel)
    .where((eb) => eb.or([eb('address', '=', p.address), eb('address', '=', p.hashed)])),
);

/**
 * Suppression is per channel and address: opting out of email does not silence SMS, and vice versa. An erased
 * customer's opt-out is kept as the address's hash (privacy/redact.ts), and holds all the same.
 */
export async function isSuppressed(db: Executor, channel: Channel, address: string): Promise<boolean> {
  return (await suppressionOf.executeTakeFirst(db, { channel, address, hashed: hashedAddress(address) })) !== undefined;
}

export async function suppress(db: Executor, channel: Channel, address: string, reason: string, now: Date): Promise<void> {
  await db
    .insertInto('suppressions')
    .values({ channel, address, reason, created_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['channel', 'address']).doNothing())
    .execute();
}
