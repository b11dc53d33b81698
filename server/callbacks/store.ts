import { randomUUID } from 'node:crypto';
import type { CaseStatus } from '../../shared/callback-rules.js';
import type { Transaction } from 'kysely';
import type { CallbackCase, Database } from '../db/schema.js';
import { engineOf, type Executor } from '../db/connect.js';

export async function findCaseOfResponse(db: Executor, responseId: string): Promise<CallbackCase | undefined> {
  return db.selectFrom('callback_cases').selectAll().where('response_id', '=', responseId).executeTakeFirst();
}

export async function caseStatusOf(db: Executor, id: string): Promise<CaseStatus | undefined> {
  return (await db.selectFrom('callback_cases').select('status').where('id', '=', id).executeTakeFirst())?.status;
}

export async function insertCase(trx: Executor, row: CallbackCase): Promise<void> {
  await trx.insertInto('callback_cases').values(row).execute();
}

/**
 * A case that is read to be changed: on PostgreSQL its row stays locked until the transaction ends, so two staff
 * changing one case at once are decided one after the other (SQLite writes one transaction at a time anyway).
 */
export async function findCaseForChange(trx: Transaction<Database>, id: string): Promise<CallbackCase | undefined> {
  let read = trx.selectFrom('callback_cases').selectAll().where('id', '=', id);
  if (engineOf(trx) === 'postgres') read = read.forUpdate();
  return read.executeTakeFirst();
}

/** Sets the status; a new due time, a reason or an owner only when given. */
export async function setCaseStatus(
  trx: Executor,
  id: string,
  change: { status: CaseStatus; dueAt?: Date; closedAt: Date | null; reason?: string; ownerId?: string; now: Date },
): Promise<void> {
  await trx
    .updateTable('callback_cases')
    .set({
      status: change.status,
      closed_at: change.closedAt?.toISOString() ?? null,
      updated_at: change.now.toISOString(),
      ...(change.dueAt ? { due_at: change.dueAt.toISOString() } : {}),
      ...(change.reason !== undefined ? { reason: change.reason } : {}),
      ...(change.ownerId !== undefined ? { owner_id: change.ownerId } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function setCaseOwner(trx: Executor, id: string, ownerId: string | null, now: Date): Promise<void> {
  await trx.updateTable('callback_cases').set({ owner_id: ownerId, updated_at: now.toISOString() }).where('id', '=', id).execute();
}

export async function setCaseReason(trx: Executor, id: string, reason: string, now: Date): Promise<void> {
  await trx.updateTable('callback_cases').set({ reason, updated_at: now.toISOString() }).where('id', '=', id).execute();
}

/** Appends to a case's audit trail. There is no update or delete for entries. */
export async function appendCaseEntry(
  trx: Executor,
  entry: {
    caseId: string;
    at: Date;
    kind: string;
    fromStatus?: CaseStatus | null;
    toStatus?: CaseStatus | null;
    note?: string | null;
    actorId?: string | null;
  },
): Promise<void> {
  const last = await trx
    .selectFrom('case_entries')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('case_id', '=', entry.caseId)
    .executeTakeFirst();
  await trx
    .insertInto('case_entries')
    .values({
      seq: Number(last?.seq ?? 0) + 1,
      id: randomUUID(),
      case_id: entry.caseId,
      at: entry.at.toISOString(),
      kind: entry.kind,
      from_status: entry.fromStatus ?? null,
      to_status: entry.toStatus ?? null,
      note: entry.note ?? null,
      actor_id: entry.actorId ?? null,
    })
    .execute();
}

/**
 * The care person a customer's reply to the outcome should reach: the case's owner while their account is active,
 * else whoever wrote the latest outcome; null when neither has an active account.
 */
export async function caseCarerEmail(db: Executor, caseId: string): Promise<string | null> {
  const owner = await db
    .selectFrom('callback_cases as k')
    .innerJoin('users as u', 'u.id', 'k.owner_id')
    .select('u.email')
    .where('k.id', '=', caseId)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  if (owner) return owner.email;
  const author = await db
    .selectFrom('case_entries as e')
    .innerJoin('users as u', 'u.id', 'e.actor_id')
    .select('u.email')
    .where('e.case_id', '=', caseId)
    .where('e.kind', '=', 'outcome')
    .where('u.disabled_at', 'is', null)
    .orderBy('e.seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return author?.email ?? null;
}
