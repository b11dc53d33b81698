import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { EventInput } from '../../shared/api/events.js';
import { hashPassword } from '../auth/hashing.js';
import { appendCaseEntry, setCaseStatus } from '../callbacks/store.js';
import type { AppDeps } from '../deps.js';
import { findInvitation, markInvitationOpened, markInvitationSent } from '../delivery/store.js';
import { ingestEvent } from '../events/ingest.js';
import { recordAnswer } from '../responses/record-answer.js';

const DAY = 86_400_000;

/** A small seeded generator (mulberry32): the demo tells the same story on every machine. */
function generator(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, pick };
}

const FA_FIRST = ['سارا', 'علی', 'مریم', 'رضا', 'زهرا', 'حسین', 'نگار', 'امیر', 'فاطمه', 'مهدی', 'لیلا', 'کاوه'];
const FA_LAST = ['احمدی', 'محمدی', 'حسینی', 'رضایی', 'کریمی', 'موسوی', 'جعفری', 'نوری', 'صادقی', 'رحیمی'];
const EN_FIRST = ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'James', 'Mia', 'Lucas', 'Sophia', 'Ethan'];
const EN_LAST = ['Smith', 'Brown', 'Wilson', 'Taylor', 'Clark', 'Walker', 'Hall', 'Young'];
const PRODUCTS = ['Phone X', 'Laptop Pro', 'Headphones', 'Smartwatch'] as const;
const REGIONS = ['Tehran', 'Isfahan', 'Shiraz', 'Mashhad', 'Tabriz'] as const;
const COMMENTS = {
  detractor: {
    en: ['Delivery took two weeks.', 'The headphones broke after a month.', 'Nobody answered my emails.', 'Refund is still not here.'],
    fa: ['ارسال دو هفته طول کشید.', 'هدفون بعد از یک ماه خراب شد.', 'کسی به ایمیل‌های من جواب نداد.', 'هنوز پولم برنگشته است.'],
  },
  passive: {
    en: ['Fine, but the price is high.', 'OK product, slow shipping.', 'Good, packaging could be better.'],
    fa: ['خوب بود ولی قیمت بالاست.', 'محصول خوب، ارسال کند.', 'خوب بود، بسته‌بندی می‌توانست بهتر باشد.'],
  },
  promoter: {
    en: ['Fast delivery and great quality!', 'Support solved my issue in minutes.', 'Love it, already recommended it.'],
    fa: ['ارسال سریع و کیفیت عالی!', 'پشتیبانی در چند دقیقه مشکلم را حل کرد.', 'عالی بود، به دوستانم هم پیشنهاد دادم.'],
  },
};

/** The demo's care staff sign in with this password (printed by npm run demo; demo data only). */
export const DEMO_CARE_PASSWORD = 'demo-care-2026';

export interface SeedOptions {
  customers?: number;
  events?: number;
  onProgress?: (line: string) => void;
}

/**
 * Fills an empty database with a year of believable history: customers in Persian and English (some reachable only by SMS), purchases and
 * support resolutions, answers of every kind (a dip for Headphones in spring, some changed answers), and
 * detractor cases at every stage. Does nothing when there is already data. Nothing is sent: the demo's
 * invitations are marked as sent in the past.
 */
export async function seedDemoData(deps: AppDeps, options: SeedOptions = {}): Promise<string | null> {
  const { db } = deps;
  const existing = await db.selectFrom('events').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) return null;
  const rng = generator(20_261_123);
  const end = deps.clock.now().getTime();
  const start = end - 365 * DAY;
  const customerCount = options.customers ?? 1500;
  const eventCount = options.events ?? 3000;
  const progress = options.onProgress ?? (() => {});

  // Bulk loading re-creatable demo data does not need a disk sync per commit; restored to FULL below.
  await sql`PRAGMA synchronous = OFF`.execute(db);
  try {
    const staff = [];
    for (const [name, email] of [['Neda Karimi', 'neda@example.com'], ['Tom Baker', 'tom@example.com']] as const) {
      const id = randomUUID();
      staff.push(id);
      await db
        .insertInto('users')
        .values({ id, email, name, role: 'care', password_hash: await hashPassword(DEMO_CARE_PASSWORD), disabled_at: null, created_at: new Date(start).toISOString() })
        .execute();
    }

    const customers = Array.from({ length: customerCount }, (_, i) => {
      const fa = rng.next() < 0.6;
      // Many Persian-speaking customers are reached only by SMS.
      const smsOnly = fa && rng.next() < 0.3;
      return {
        id: `cust-${1000 + i}`,
        name: fa ? `${rng.pick(FA_FIRST)} ${rng.pick(FA_LAST)}` : `${rng.pick(EN_FIRST)} ${rng.pick(EN_LAST)}`,
        ...(smsOnly ? {} : { email: `customer${1000 + i}@example.com` }),
        ...(fa ? { phone: `+98912${String(1_000_000 + i).slice(1)}` } : {}),
        locale: fa ? ('fa' as const) : ('en' as const),
        timeZone: fa ? 'Asia/Tehran' : rng.pick(['Europe/London', 'America/Toronto', 'Europe/Berlin']),
        attributes: { region: rng.pick(REGIONS), tier: rng.pick(['regular', 'regular', 'gold']) },
      };
    });

    let answered = 0;
    for (let i = 0; i < eventCount; i++) {
      if (i % 400 === 0) progress(`demo data: ${i}/${eventCount} events…`);
      const at = start + ((end - start - 2 * DAY) * i) / eventCount + rng.next() * DAY;
      const customer = rng.pick(customers);
      const product = rng.pick(PRODUCTS);
      const type = rng.next() < 0.7 ? 'purchase' : 'resolution';
      const input: EventInput = {
        type,
        id: `${type === 'purchase' ? 'order' : 'ticket'}-${10_000 + i}`,
        occurredAt: new Date(at).toISOString(),
        customer,
        attributes: { product, agent: type === 'resolution' ? rng.pick(['Neda', 'Tom', 'Parisa']) : 'web' },
      };
      const clockAt = (t: number) => ({ now: () => new Date(t) });
      const { body } = await ingestEvent({ ...deps, clock: clockAt(at) }, input);
      const planned = body.invitations[0];
      if (!planned || planned.status !== 'scheduled') continue;
      const sentAt = new Date(planned.sendAt);
      await markInvitationSent(db, planned.id, sentAt);
      await db.updateTable('jobs').set({ status: 'done', updated_at: sentAt.toISOString() }).where('payload', '=', JSON.stringify({ invitationId: planned.id })).execute();
      if (rng.next() > 0.42) continue; // most people never answer

      const invitation = (await findInvitation(db, planned.id))!;
      const survey = deps.surveys.byId(invitation.survey_id)!;
      const month = new Date(at).getUTCMonth();
      // Headphones had a bad batch in spring; December is busy and shipping slips.
      const dip = (product === 'Headphones' && month >= 2 && month <= 4 ? 0.3 : 0) + (month === 11 ? 0.1 : 0);
      const roll = rng.next();
      const score = roll < 0.2 + dip ? Math.floor(rng.next() * 7) : roll < 0.45 + dip / 2 ? 7 + Math.floor(rng.next() * 2) : 9 + Math.floor(rng.next() * 2);
      const bucket = score <= 6 ? 'detractor' : score <= 8 ? 'passive' : 'promoter';
      const answerAt = sentAt.getTime() + rng.next() * 2 * DAY;
      await markInvitationOpened(db, invitation.id, new Date(answerAt));
      const answers: Record<string, number | boolean | string> = { nps: score };
      if (rng.next() < 0.55) answers.reason = rng.pick(COMMENTS[bucket][customer.locale]);
      if (survey.id === 'post-resolution') {
        answers.csat = Math.max(1, Math.min(5, Math.round(score / 2)));
        answers.solved = score >= 7 || rng.next() < 0.2;
      }
      const recorded = await recordAnswer(db, { invitation, survey, answers: { nps: score }, source: 'link', now: new Date(answerAt) });
      await recordAnswer(db, { invitation, survey, answers, source: 'form', now: new Date(answerAt + 60_000) });
      answered++;
      if (recorded.caseId) await workDemoCase(deps, recorded.caseId, answerAt, end, staff, rng);
    }
    // The history is history: no alert mails for last year's detractors. Deadlines still ahead keep their check.
    await db
      .updateTable('jobs')
      .set({ status: 'done' })
      .where('status', '=', 'queued')
      .where((eb) => eb.or([eb('name', '!=', 'case.sla_check'), eb('run_at', '<=', new Date(end).toISOString())]))
      .execute();
    progress(`demo data: ${eventCount}/${eventCount} events, ${answered} answers`);
    return `Demo data: ${customerCount} customers, ${eventCount} events over 12 months, ${answered} answers.\n  demo care staff neda@example.com and tom@example.com, password ${DEMO_CARE_PASSWORD}`;
  } finally {
    await sql`PRAGMA synchronous = FULL`.execute(db);
  }
}

/** Older cases have been worked (contacted, then mostly resolved); the last days' cases are still open. */
async function workDemoCase(deps: AppDeps, caseId: string, openedAt: number, end: number, staff: string[], rng: ReturnType<typeof generator>) {
  const age = end - openedAt;
  // The last days' cases wait on the callback list, some already overdue.
  if (age < 10 * DAY && rng.next() < 0.85) return;
  const owner = rng.pick(staff);
  const contactedAt = new Date(openedAt + (0.1 + rng.next() * 1.4) * DAY);
  await deps.db.updateTable('callback_cases').set({ owner_id: owner }).where('id', '=', caseId).execute();
  await setCaseStatus(deps.db, caseId, { status: 'contacted', closedAt: null, now: contactedAt });
  await appendCaseEntry(deps.db, { caseId, at: contactedAt, kind: 'status', fromStatus: 'open', toStatus: 'contacted', note: 'Called the customer, apologised, arranged a fix.', actorId: owner });
  if (age < 7 * DAY) return;
  const closedAt = new Date(contactedAt.getTime() + rng.next() * 3 * DAY);
  const resolved = rng.next() < 0.85;
  const status = resolved ? 'resolved' : 'unresolvable';
  await deps.db.updateTable('callback_cases').set({ reason: rng.pick(['shipping_delay', 'product_defect', 'support_response', 'refund']) }).where('id', '=', caseId).execute();
  await setCaseStatus(deps.db, caseId, { status, closedAt, now: closedAt });
  await appendCaseEntry(deps.db, { caseId, at: closedAt, kind: 'status', fromStatus: 'contacted', toStatus: status, note: resolved ? 'Replacement sent; customer confirmed.' : 'Outside warranty; explained the options.', actorId: owner });
}
