import type { LoopMetrics } from '../../shared/api/staff.js';
import { closesWithOutcome } from '../../shared/callback-rules.js';
import type { Db } from '../db/connect.js';

const HOUR = 3_600_000;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface CaseFacts {
  ownerId: string | null;
  ownerName: string | null;
  firstContactHours: number | null;
  withinSla: boolean;
  closed: boolean;
  recovered: boolean;
}

function summarise(cases: CaseFacts[]) {
  const contacted = cases.filter((c) => c.firstContactHours !== null);
  return {
    cases: cases.length,
    contacted: contacted.length,
    medianHoursToFirstContact: median(contacted.map((c) => c.firstContactHours!)),
    contactedWithinSlaShare: cases.length ? cases.filter((c) => c.withinSla).length / cases.length : null,
    closed: cases.filter((c) => c.closed).length,
    recovered: cases.filter((c) => c.recovered).length,
  };
}

/**
 * How well the loop closes, for cases opened in [from, to): median time to first contact (the first move out of
 * 'open'), the share contacted within the SLA, the closure rate, and recovered customers — those who later
 * answered 9–10 or confirmed "solved" on the follow-up. Overall and per owner.
 */
export async function loopMetrics(db: Db, from: string, to: string): Promise<LoopMetrics> {
  const cases = await db
    .selectFrom('callback_cases as k')
    .leftJoin('users as u', 'u.id', 'k.owner_id')
    .select(['k.id', 'k.customer_id', 'k.owner_id', 'u.name as owner_name', 'k.status', 'k.opened_at', 'k.due_at'])
    .where('k.opened_at', '>=', from)
    .where('k.opened_at', '<', to)
    .where('k.status', '!=', 'withdrawn')
    .execute();
  const ids = cases.map((c) => c.id);
  const entries = ids.length
    ? await db
        .selectFrom('case_entries')
        .select(['case_id', 'at', 'kind', 'from_status'])
        .where('case_id', 'in', ids)
        .orderBy('at')
        .orderBy('seq')
        .execute()
    : [];
  const customers = [...new Set(cases.map((c) => c.customer_id))];
  const promoterAnswers = customers.length
    ? await db
        .selectFrom('responses')
        .select(['customer_id', 'answered_at'])
        .where('customer_id', 'in', customers)
        .where('bucket', '=', 'promoter')
        .execute()
    : [];

  const facts: CaseFacts[] = cases.map((c) => {
    const own = entries.filter((e) => e.case_id === c.id);
    const firstMove = own.find((e) => e.kind === 'status' && e.from_status === 'open');
    const firstContactHours = firstMove ? (new Date(firstMove.at).getTime() - new Date(c.opened_at).getTime()) / HOUR : null;
    const recovered =
      own.some((e) => e.kind === 'confirmed') ||
      promoterAnswers.some((r) => r.customer_id === c.customer_id && r.answered_at > c.opened_at);
    return {
      ownerId: c.owner_id,
      ownerName: c.owner_name,
      firstContactHours,
      withinSla: firstMove !== undefined && firstMove.at <= c.due_at,
      closed: closesWithOutcome(c.status),
      recovered,
    };
  });
  const total = summarise(facts);
  const owners = [...new Set(facts.filter((f) => f.ownerId).map((f) => f.ownerId!))];
  return {
    from,
    to,
    opened: total.cases,
    contacted: total.contacted,
    medianHoursToFirstContact: total.medianHoursToFirstContact,
    contactedWithinSlaShare: total.contactedWithinSlaShare,
    closed: total.closed,
    closureRate: total.cases ? total.closed / total.cases : null,
    recovered: total.recovered,
    byOwner: owners.map((ownerId) => {
      const mine = facts.filter((f) => f.ownerId === ownerId);
      const { cases: count, ...rest } = summarise(mine);
      return { ownerId, ownerName: mine[0]!.ownerName ?? '', cases: count, ...rest };
    }),
  };
}
