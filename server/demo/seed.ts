import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { CustomerInput, EventInput } from '../../shared/api/events.js';
import type { CallbackPatch } from '../../shared/api/staff.js';
import type { Bucket } from '../../shared/scoring.js';
import type { Channel, SurveyDefinition } from '../../shared/survey-schema.js';
import { hashPassword } from '../auth/hashing.js';
import { SLA_CHECK_JOB } from '../callbacks/job-names.js';
import { workCase } from '../callbacks/work-case.js';
import type { Clock } from '../clock.js';
import type { Invitation, User } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { SEND_INVITATION_JOB } from '../delivery/plan-invitation.js';
import { findInvitation, markInvitationFailed, markInvitationOpened, markInvitationSent, suppress } from '../delivery/store.js';
import { ingestEvent } from '../events/ingest.js';
import { silentLogger } from '../log.js';
import { recordAnswer } from '../responses/record-answer.js';
import { handleInboundSms } from '../responses/sms-replies.js';
import { openBulkConnection } from './bulk-connection.js';
import {
  chooseLaunch,
  DAY,
  HOUR,
  isPeak,
  seasonsFrom,
  tehranDate,
  tehranHour,
  weekdayVolume,
  type Launch,
  type Season,
} from './calendar.js';
import { generator, type Rng } from './random.js';
import * as T from './texts.js';

/** The demo's care staff sign in with this password (printed by npm run demo; demo data only). */
export const DEMO_CARE_PASSWORD = 'demo-care-2026';

export interface SeedOptions {
  customers?: number;
  /** About how many purchase and resolution events the year has. */
  events?: number;
  onProgress?: (line: string) => void;
}

const TEHRAN_OFFSET = 3.5 * HOUR;
const THROTTLE_GAP = 92 * DAY;
/** Extra share of detractors among orders shipped during the courier's backlog (a busy season's order of size). */
const BACKLOG_STRESS = 0.1;

interface DemoCustomer {
  input: CustomerInput;
  locale: T.DemoLocale;
  region: T.Region;
  gold: boolean;
  /** The latest survey sent (or planned) to them: the throttle keeps the next one 90 days away. */
  busyUntil: number;
  /** A return purchase planned for a recovered customer: nobody else's story may take their next survey. */
  reserved: boolean;
}

interface PlannedEvent {
  at: number;
  type: 'purchase' | 'resolution';
  product: T.Product;
  /** A support ticket about a faulty unit of the bad Headphones batch. */
  defectTicket?: boolean;
  /** A recovered detractor buying again. */
  returning?: DemoCustomer;
}

/** What a customer felt, and why: the answer and the comment follow from it. */
interface Mood {
  bucket: Bucket;
  score: number;
  cause: T.Cause;
  comment: string | null;
}

interface Stats {
  events: number;
  returning: number;
  sent: number;
  answered: number;
  cases: number;
  resolved: Set<string>;
  /** Customers who confirmed their problem was solved. */
  recovered: Set<string>;
}

const fixedClock = (t: number): Clock => ({ now: () => new Date(t) });
const persianDigits = (text: string) => text.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
const dayKey = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * Fills an empty database with a year of believable history before the clock's now, through the same code paths
 * real traffic takes (events are ingested, invitations planned and marked sent, answers recorded by link, form and
 * SMS reply, cases worked by the care team, follow-ups answered), so every derived table — cases, rollups — follows.
 * The year has a shape: busy, slower-shipping peaks before Nowruz and in December, a calm summer, a Headphones
 * launch whose bad batch sinks Headphones NPS for seven weeks (its returns and replacements swamp the courier, so
 * delivery complaints rise with it and fall after), and detractors won back after their case was fixed.
 * Does nothing when there is already data. Nothing is sent: the demo's invitations are marked as sent in the past,
 * and only surveys due after now are left to the worker.
 */
export async function seedDemoData(deps: AppDeps, options: SeedOptions = {}): Promise<string | null> {
  const { db } = deps;
  const existing = await db.selectFrom('events').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) return null;
  const rng = generator(20_261_123);
  const end = deps.clock.now().getTime();
  const start = end - 365 * DAY;
  const progress = options.onProgress ?? (() => {});
  const launch = chooseLaunch(start, end);

  // A year of history loads through a bulk connection: the same functions, far fewer commits (see bulk-connection.ts).
  const file = deps.config.database.kind === 'sqlite' && deps.config.database.path !== ':memory:' ? deps.config.database.path : null;
  const bulk = file ? openBulkConnection(file) : null;
  // Without it (an in-memory database), re-creatable demo data still needs no disk sync per commit; restored below.
  // PostgreSQL goes through the server's own pool as it is (its commits are cheap next to SQLite's full sync).
  const pragmas = !bulk && deps.config.database.kind === 'sqlite';
  if (pragmas) await sql`PRAGMA synchronous = OFF`.execute(db);
  let outcome: 'commit' | 'rollback' = 'rollback';
  try {
    const seedDeps: AppDeps = bulk ? { ...deps, db: bulk.db } : deps;
    const staff: User[] = [];
    for (const [name, email] of [
      ['Neda Karimi', 'neda@example.com'],
      ['Tom Baker', 'tom@example.com'],
    ] as const) {
      const id = randomUUID();
      await seedDeps.db
        .insertInto('users')
        .values({
          id,
          email,
          name,
          role: 'care',
          password_hash: await hashPassword(DEMO_CARE_PASSWORD),
          disabled_at: null,
          created_at: new Date(start).toISOString(),
        })
        .execute();
      staff.push(await seedDeps.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    }

    const customers = makeCustomers(rng, options.customers ?? 5600);
    const timeline = makeTimeline(rng, start, end, options.events ?? 9800, launch);
    const seeder = new Seeder(seedDeps, rng, { start, end, launch, staff, customers });
    const returning: PlannedEvent[] = [];
    let next = 0;
    while (next < timeline.length || returning.length > 0) {
      const event =
        returning.length > 0 && (next >= timeline.length || returning[0]!.at <= timeline[next]!.at)
          ? returning.shift()!
          : timeline[next++]!;
      if (seeder.stats.events % 250 === 0) bulk?.commit();
      if (seeder.stats.events % 1000 === 0)
        progress(`demo data: ${seeder.stats.events}/${timeline.length + seeder.stats.returning} events…`);
      const comeBack = await seeder.run(event);
      if (comeBack) {
        const at = returning.findIndex((e) => e.at > comeBack.at);
        returning.splice(at === -1 ? returning.length : at, 0, comeBack);
      }
    }

    // The history is history: no alert or outcome mails for last year's cases, no sends for last year's surveys.
    // Deadlines still ahead keep their check, and surveys due after now are left for the worker to send.
    await seedDeps.db
      .updateTable('jobs')
      .set({ status: 'done', updated_at: new Date(end).toISOString() })
      .where('status', '=', 'queued')
      .where((eb) => eb.or([eb('name', 'not in', [SLA_CHECK_JOB, SEND_INVITATION_JOB]), eb('run_at', '<=', new Date(end).toISOString())]))
      .execute();

    outcome = 'commit';
    const s = seeder.stats;
    progress(`demo data: ${s.events}/${s.events} events, ${s.answered} answers`);
    const rate = s.sent > 0 ? Math.round((s.answered / s.sent) * 100) : 0;
    return [
      `Demo data: ${customers.length} customers, ${s.events} events over 12 months, ${s.answered} answers.`,
      `  ${s.sent} surveys sent, ${rate}% answered; ${s.cases} detractor cases, ${s.resolved.size} resolved, ${s.recovered.size} customers won back`,
      `  story: Headphones launch ${dayKey(launch.promoStart)}, bad batch ${dayKey(launch.batchStart)}…${dayKey(launch.batchEnd - DAY)} (its returns swamp the courier until ${dayKey(launch.backlogEnd - DAY)}); busy Nowruz and December seasons, calm summer`,
      `  demo care staff neda@example.com and tom@example.com, password ${DEMO_CARE_PASSWORD}`,
    ].join('\n');
  } finally {
    if (bulk) await bulk.close(outcome);
    else if (pragmas) await sql`PRAGMA synchronous = FULL`.execute(db);
  }
}

/** Persian speakers are the majority; many of them are reached only by SMS. Some English speakers live abroad. */
function makeCustomers(rng: Rng, count: number): DemoCustomer[] {
  return Array.from({ length: count }, (_, i) => {
    const fa = rng.chance(0.72);
    const region: T.Region = !fa && rng.chance(0.45) ? 'International' : rng.weighted(T.REGION_WEIGHTS);
    const smsOnly = fa && rng.chance(0.38);
    let name: string;
    let mailbox: string;
    if (fa) {
      const [first, firstLatin] = rng.pick(T.FA_FIRST);
      const [last, lastLatin] = rng.pick(T.FA_LAST);
      name = `${first} ${last}`;
      mailbox = `${firstLatin}.${lastLatin}`;
    } else {
      const [first, last] = [rng.pick(T.EN_FIRST), rng.pick(T.EN_LAST)];
      name = `${first} ${last}`;
      mailbox = `${first}.${last}`.toLowerCase();
    }
    const number = String((i * 7919 + 1_234_567) % 10_000_000).padStart(7, '0');
    const phone = fa
      ? `+989${rng.pick(['12', '35', '19', '01', '36'])}${number}`
      : rng.chance(0.2)
        ? `+4477009${number.slice(1)}`
        : undefined;
    const gold = rng.chance(0.2);
    return {
      locale: fa ? 'fa' : 'en',
      region,
      gold,
      busyUntil: -Infinity,
      reserved: false,
      input: {
        id: `cust-${10_000 + i}`,
        name,
        ...(smsOnly ? {} : { email: `${mailbox}${i % 1000}@example.com` }),
        ...(phone ? { phone } : {}),
        locale: fa ? 'fa' : 'en',
        timeZone:
          region === 'International' ? rng.pick(['Europe/London', 'America/Toronto', 'Europe/Berlin', 'Australia/Sydney']) : 'Asia/Tehran',
        attributes: { region, tier: gold ? 'gold' : 'regular' },
      },
    };
  });
}

/** Purchases weighted by product; during the launch promotion Headphones sell four times as well. */
function productAt(rng: Rng, t: number, launch: Launch | null): T.Product {
  const promo = launch !== null && t >= launch.promoStart && t < launch.promoEnd;
  return rng.weighted<T.Product>({ 'Phone X': 28, 'Laptop Pro': 14, Headphones: promo ? 120 : 30, Smartwatch: 28 });
}

/**
 * The year's purchases and support resolutions: daily volume follows the seasons, the weekday and a growing
 * business (and the launch promotion), scaled to about `target` events; a wave of Headphones fault tickets follows
 * the bad batch. Sorted by time.
 */
function makeTimeline(rng: Rng, start: number, end: number, target: number, launch: Launch): PlannedEvent[] {
  // Days run midnight to midnight in Tehran.
  const firstDay = Math.floor((start + TEHRAN_OFFSET) / DAY) * DAY - TEHRAN_OFFSET + DAY;
  const days = Math.floor((end - firstDay) / DAY) + 1;
  const seasons = seasonsFrom(firstDay, days);
  const weights = seasons.map((season, d) => {
    const t = firstDay + d * DAY;
    const promo = t >= launch.promoStart && t < launch.promoEnd ? 1.45 : 1;
    return season.volume * weekdayVolume(t) * promo * (0.92 + (0.16 * (t - start)) / (365 * DAY));
  });
  const scale = target / weights.reduce((a, b) => a + b, 0);
  const events: PlannedEvent[] = [];
  for (let d = 0; d < days; d++) {
    const day = firstDay + d * DAY;
    for (let k = rng.count(weights[d]! * scale); k > 0; k--) {
      const purchase = rng.chance(0.72);
      // Orders come all day and evening; the help desk closes tickets in office hours.
      const at = day + (purchase ? 8 + 16 * ((rng.next() + rng.next()) / 2) : 9 + 10 * rng.next()) * HOUR;
      // Tickets are about what customers have owned for a while, not about this week's promotion.
      events.push({ at, type: purchase ? 'purchase' : 'resolution', product: productAt(rng, at, purchase ? launch : null) });
    }
    if (day >= launch.batchStart + 2 * DAY && day < launch.ticketsEnd) {
      for (let k = rng.count(day < launch.batchEnd ? 3 : 0.6); k > 0; k--) {
        events.push({ at: day + (9 + 10 * rng.next()) * HOUR, type: 'resolution', product: 'Headphones', defectTicket: true });
      }
    }
  }
  return events.filter((e) => e.at < end - 3 * HOUR).sort((a, b) => a.at - b.at);
}

class Seeder {
  readonly stats: Stats = { events: 0, returning: 0, sent: 0, answered: 0, cases: 0, resolved: new Set(), recovered: new Set() };
  private readonly seasons: Season[];
  private readonly firstDay: number;
  private readonly parisaJoins: number;

  constructor(
    private readonly deps: AppDeps,
    private readonly rng: Rng,
    private readonly world: { start: number; end: number; launch: Launch; staff: User[]; customers: DemoCustomer[] },
  ) {
    this.firstDay = Math.floor(world.start / DAY) * DAY - DAY;
    this.seasons = seasonsFrom(this.firstDay, 370);
    // A new agent joins the help desk five months before now and finds her feet in about six weeks.
    this.parisaJoins = world.end - 150 * DAY;
  }

  private at(t: number): AppDeps {
    return { ...this.deps, clock: fixedClock(t) };
  }

  private inBacklog(t: number): boolean {
    return t >= this.world.launch.backlogStart && t < this.world.launch.backlogEnd;
  }

  private seasonAt(t: number): Season {
    return this.seasons[Math.min(this.seasons.length - 1, Math.max(0, Math.floor((t - this.firstDay) / DAY)))]!;
  }

  /** A customer free to be asked again (the throttle): most events reach someone not surveyed lately. */
  private pickCustomer(t: number): DemoCustomer {
    let fallback: DemoCustomer | null = null;
    for (let tries = 0; tries < 8; tries++) {
      const candidate = this.rng.pick(this.world.customers);
      if (candidate.reserved) continue;
      if (candidate.busyUntil + THROTTLE_GAP < t) return candidate;
      fallback ??= candidate;
    }
    return fallback ?? this.rng.pick(this.world.customers);
  }

  private agentAt(t: number): T.Agent {
    const parisa = t >= this.parisaJoins ? 25 : 0;
    return this.rng.weighted<T.Agent>({ Neda: 35, Tom: 30, Omid: 20, Parisa: parisa });
  }

  /** Runs one event's whole story: ingest, send, answer (or not), and the case it may open. Returns a return purchase. */
  async run(event: PlannedEvent): Promise<PlannedEvent | null> {
    const { rng } = this;
    const { end, launch } = this.world;
    this.stats.events++;
    if (event.returning) {
      this.stats.returning++;
      event.returning.reserved = false;
    }
    const customer = event.returning ?? this.pickCustomer(event.at);
    const agent = event.type === 'resolution' ? this.agentAt(event.at) : undefined;
    const input: EventInput = {
      type: event.type,
      id: `${event.type === 'purchase' ? 'order' : 'ticket'}-${100_000 + this.stats.events}`,
      occurredAt: new Date(event.at).toISOString(),
      customer: customer.input,
      attributes: agent ? { product: event.product, agent } : { product: event.product },
    };
    const { body } = await ingestEvent(this.at(event.at), input);
    // Throttled, opted out or unreachable: planned as skipped, nothing more happens.
    const planned = body.invitations[0];
    if (planned?.status !== 'scheduled') return null;
    const sendAt = Date.parse(planned.sendAt);
    customer.busyUntil = Math.max(customer.busyUntil, sendAt);
    const invitation = await this.send(planned.id, sendAt);
    if (!invitation) return null;

    const survey = this.deps.surveys.byId(invitation.survey_id)!;
    const season = this.seasonAt(event.at);
    const defective =
      event.product === 'Headphones' && event.type === 'purchase' && event.at >= launch.batchStart && event.at < launch.batchEnd;
    const mood = this.feel(event, customer, season, agent, defective);
    const answeredAt = await this.answer(
      invitation,
      survey,
      customer,
      mood,
      season,
      event.type === 'resolution' ? { defectTicket: !!event.defectTicket, agent } : null,
    );
    if (answeredAt === null) return null;

    // A unit from the bad batch that seemed fine at first: the customer comes back to the open survey and changes the score.
    let caseOpenedAt = answeredAt;
    if (defective && mood.bucket !== 'detractor' && rng.chance(0.3)) {
      const later = answeredAt + rng.between(4, 10) * DAY;
      if (later < Math.min(end, Date.parse(invitation.expires_at))) {
        const score = rng.int(0, 4);
        const reason = T.detractorComment(rng, 'defect', customer.locale, {
          product: event.product,
          season: null,
          backlog: this.inBacklog(later),
        });
        await recordAnswer(this.deps.db, { invitation, survey, answers: { nps: score, reason }, source: 'form', now: new Date(later) });
        mood.bucket = 'detractor';
        mood.cause = 'defect';
        caseOpenedAt = later;
      }
    }
    if (mood.bucket !== 'detractor') return null;
    return this.workCase(invitation, customer, mood.cause, caseOpenedAt, event.product, 1);
  }

  /** Marks an invitation sent at its time (a few addresses bounce); null when it was not sent before now. */
  private async send(id: string, sendAt: number): Promise<Invitation | null> {
    const { db } = this.deps;
    if (sendAt > this.world.end) return null; // due later: the worker sends it
    const invitation = (await findInvitation(db, id))!;
    if (this.rng.chance(invitation.channel === 'sms' ? 0.02 : 0.012)) {
      await markInvitationFailed(db, id, invitation.channel === 'sms' ? 'gateway: number not in service' : '550 5.1.1 mailbox unavailable');
      if (invitation.channel === 'email' && invitation.address)
        await suppress(db, 'email', invitation.address, 'bounced', new Date(sendAt));
      return null;
    }
    await markInvitationSent(db, id, new Date(sendAt));
    this.stats.sent++;
    return { ...invitation, status: 'sent', sent_at: new Date(sendAt).toISOString() };
  }

  /** The customer's feeling about this purchase or ticket, from the season, the region, the product batch and the agent. */
  private feel(event: PlannedEvent, customer: DemoCustomer, season: Season, agent: T.Agent | undefined, defective: boolean): Mood {
    const { rng } = this;
    const purchase = event.type === 'purchase';
    const year = (event.at - this.world.start) / (365 * DAY);
    let pP = (purchase ? 0.5 : 0.44) + 0.05 * year;
    let pD = (purchase ? 0.15 : 0.2) - 0.025 * year;
    // Slow couriers in the peaks hit far-away customers hardest; support tickets feel it less.
    const remote = customer.region === 'Mashhad' || customer.region === 'Tabriz' || customer.region === 'International';
    // The bad batch's returns and replacements swamp the courier: every order ships late while they last.
    const backlog = this.inBacklog(event.at);
    const stress =
      ((season.stress + (backlog ? BACKLOG_STRESS : 0)) * (remote ? 1.5 : 1) + (customer.region === 'International' ? 0.03 : 0)) *
      (purchase ? 1 : 0.5);
    pD += stress;
    pP -= 1.2 * stress;
    if (customer.gold) pP += 0.04;
    if (agent === 'Neda') [pP, pD] = [pP + 0.07, pD - 0.04];
    if (agent === 'Omid') [pP, pD] = [pP - 0.03, pD + 0.05];
    if (agent === 'Parisa') [pP, pD] = event.at < this.parisaJoins + 42 * DAY ? [pP - 0.04, pD + 0.07] : [pP + 0.02, pD];
    if (defective) [pP, pD] = [0.12, 0.62];
    if (event.defectTicket) [pP, pD] = [0.24, 0.44];
    if (event.returning) [pP, pD] = [0.72, 0.07];
    const roll = rng.next();
    const bucket: Bucket = roll < pD ? 'detractor' : roll < pD + pP ? 'promoter' : 'passive';
    const locale = customer.locale;
    // Comments that name the season only once couriers are actually late for it.
    const nowruz = season.name === 'nowruz' || (season.name === 'backlog' && tehranDate(event.at).month === 4);
    const seasonName = nowruz ? 'nowruz' : season.name === 'yalda' || season.name === 'year_end_sale' ? 'yalda' : null;
    if (bucket === 'detractor') {
      let cause: T.Cause;
      if ((defective || event.defectTicket) && rng.chance(0.9)) cause = 'defect';
      else if (stress > 0 && rng.chance(Math.min(0.9, (1.3 * stress) / pD))) cause = 'delivery';
      else if (purchase)
        cause = rng.weighted<T.Cause>({ delivery: 30, price: 16, support: 10, refund: 8, defect: 12, website: 14, other: 10 });
      else cause = rng.weighted<T.Cause>({ support: 38, refund: 20, defect: 14, delivery: 10, website: 8, price: 5, other: 5 });
      const score = cause === 'defect' ? rng.choose([12, 7, 8, 8, 6, 5, 4]) : rng.choose([5, 3, 4, 6, 7, 9, 10]);
      const comment = rng.chance(0.72)
        ? T.detractorComment(rng, cause, locale, { product: event.product, season: seasonName, agent, backlog })
        : null;
      return { bucket, score, cause, comment };
    }
    if (bucket === 'passive') {
      const cause = purchase
        ? rng.weighted<T.PassiveCause>({ price: 40, delivery: 35, other: 25 })
        : rng.weighted<T.PassiveCause>({ support: 50, price: 15, delivery: 15, other: 20 });
      const comment = rng.chance(0.42) ? T.passiveComment(rng, cause, locale, event.product) : null;
      return { bucket, score: rng.chance(0.45) ? 7 : 8, cause: 'other', comment };
    }
    // Few praise the courier while it is swamped.
    const cause = purchase
      ? rng.weighted<T.PromoterCause>({ delivery: backlog ? 8 : 40, product: 40, price: 20 })
      : rng.weighted<T.PromoterCause>({ support: 75, product: 15, delivery: backlog ? 2 : 10 });
    const comment = !rng.chance(0.36)
      ? null
      : event.returning && rng.chance(0.6)
        ? T.recoveredComment(rng, locale)
        : T.promoterComment(rng, cause, locale, { product: event.product, agent });
    return { bucket, score: rng.chance(0.45) ? 9 : 10, cause: 'other', comment };
  }

  /**
   * Whether and how the customer answers: most never do; some open the page and leave; an unanswered survey gets
   * its reminder after three days. Answers come by one tap (sometimes a changed mind on the form), by the form with a
   * comment, or by SMS reply. A few opt out. Returns when the score was given, or null.
   */
  private async answer(
    invitation: Invitation,
    survey: SurveyDefinition,
    customer: DemoCustomer,
    mood: Mood,
    season: Season,
    resolution: { defectTicket: boolean; agent: T.Agent | undefined } | null,
  ): Promise<number | null> {
    const { rng, deps } = this;
    const { db } = deps;
    const { end } = this.world;
    const sentAt = Date.parse(invitation.sent_at!);
    const expiresAt = Date.parse(invitation.expires_at);
    const sms = invitation.channel === 'sms';
    const opens = rng.chance((sms ? 0.62 : 0.66) + (customer.locale === 'en' ? 0.03 : 0) - (isPeak(season) ? 0.05 : 0));
    const answers = opens && rng.chance(0.64);
    // Most who answer do so within hours; some only after the reminder.
    const reminderAt = survey.reminderAfterDays !== undefined ? sentAt + survey.reminderAfterDays * DAY : Infinity;
    const roll = rng.next();
    let openAt =
      roll < 0.55 ? sentAt + rng.wait(0.7 * HOUR) : roll < 0.8 ? sentAt + 3 * HOUR + rng.wait(10 * HOUR) : reminderAt + rng.wait(8 * HOUR);
    if (openAt >= expiresAt) openAt = sentAt + rng.wait(3 * HOUR);
    const active = opens && openAt < end;
    if ((!active || openAt > reminderAt) && reminderAt < Math.min(end, expiresAt)) {
      await db
        .updateTable('invitations')
        .set({ reminder_sent_at: new Date(reminderAt).toISOString() })
        .where('id', '=', invitation.id)
        .execute();
    }
    if (!active) return null;

    const smsReply = sms && rng.chance(0.45);
    if (!answers) {
      if (rng.chance(0.012)) {
        // Opted out instead of answering: a STOP word by SMS, the unsubscribe link in an email.
        if (sms)
          await handleInboundSms(
            { ...this.at(openAt), log: silentLogger },
            { from: invitation.address!, text: customer.locale === 'fa' ? 'لغو' : 'STOP' },
          );
        else await suppress(db, invitation.channel as Channel, invitation.address!, 'opted_out', new Date(openAt));
        return null;
      }
      if (!smsReply) {
        await markInvitationOpened(db, invitation.id, new Date(openAt));
      }
      return null;
    }

    this.stats.answered++;
    const extra: Record<string, string | number | boolean> = {};
    if (mood.comment) extra.reason = mood.comment;
    if (resolution) {
      // CSAT 1–5 (index + 1).
      extra.csat =
        1 +
        rng.choose(mood.bucket === 'promoter' ? [0, 0, 0, 30, 70] : mood.bucket === 'passive' ? [0, 0, 30, 55, 15] : [30, 35, 25, 10, 0]);
      // CES 1–7 follows CSAT, nudged by the score; no draw from the generator, so the rest of the story stays put.
      extra.effort = Math.min(7, Math.max(1, [1, 2, 4, 5, 6][extra.csat - 1]! + (mood.score % 3) - 1));
      extra.solved = rng.chance(mood.bucket === 'promoter' ? 0.95 : mood.bucket === 'passive' ? 0.8 : resolution.defectTicket ? 0.55 : 0.3);
    }

    if (smsReply) {
      const text = String(mood.score);
      await handleInboundSms(
        { ...this.at(openAt), log: silentLogger },
        { from: invitation.address!, text: customer.locale === 'fa' && rng.chance(0.7) ? persianDigits(text) : text },
      );
      // Some add their reason in a second text.
      if (mood.comment && rng.chance(0.5)) {
        await handleInboundSms(
          { ...this.at(openAt + rng.between(1, 6) * 60_000), log: silentLogger },
          { from: invitation.address!, text: mood.comment },
        );
      }
      return openAt;
    }

    await markInvitationOpened(db, invitation.id, new Date(openAt));
    const submitsForm = rng.chance(resolution ? 0.8 : 0.6) || mood.comment !== null;
    // A few tap one score and settle on another on the form.
    const changesMind = submitsForm && rng.chance(0.06);
    const tapped = changesMind ? Math.max(0, Math.min(10, mood.score + (rng.chance(0.5) ? -1 : 1) * rng.int(1, 3))) : mood.score;
    await recordAnswer(db, { invitation, survey, answers: { nps: tapped }, source: 'link', now: new Date(openAt) });
    if (submitsForm) {
      await recordAnswer(db, {
        invitation,
        survey,
        answers: { nps: mood.score, ...extra },
        source: 'form',
        now: new Date(openAt + rng.between(0.5, 4) * 60_000),
      });
    }
    return openAt;
  }

  /**
   * The care team works a detractor's case as people do: claimed and called within hours (slower in the peaks,
   * never at night or on Friday), closed with the root cause and the outcome told to the customer, then the
   * follow-up survey. Recent cases still wait on the callback list; a few were missed and are overdue.
   */
  private async workCase(
    invitation: Invitation,
    customer: DemoCustomer,
    cause: T.Cause,
    openedAt: number,
    product: T.Product,
    round: number,
  ): Promise<PlannedEvent | null> {
    const { rng, deps } = this;
    const { end, staff } = this.world;
    const kase = await deps.db
      .selectFrom('callback_cases')
      .innerJoin('responses', 'responses.id', 'callback_cases.response_id')
      .select(['callback_cases.id', 'callback_cases.status', 'callback_cases.owner_id'])
      .where('responses.invitation_id', '=', invitation.id)
      .executeTakeFirst();
    if (!kase || (kase.status !== 'open' && round === 1)) return null; // withdrawn: the customer changed their mind
    if (round === 1) this.stats.cases++;
    const owner = kase.owner_id ? staff.find((u) => u.id === kase.owner_id)! : rng.chance(0.55) ? staff[0]! : staff[1]!;
    const lang: T.DemoLocale = owner === staff[0] ? 'fa' : 'en';
    const work = (t: number, patch: CallbackPatch) => workCase(this.at(t), { caseId: kase.id, actor: owner, patch });

    const peak = isPeak(this.seasonAt(openedAt));
    const roll = rng.next();
    const delay =
      roll < (peak ? 0.5 : 0.68) ? 0.3 * HOUR + rng.wait(4 * HOUR) : roll < 0.9 ? rng.between(8, 24) * HOUR : rng.between(24, 64) * HOUR;
    const contactAt = this.officeHours(openedAt + delay);
    // The last days' backlog, and a few recent cases that slipped through.
    const age = end - openedAt;
    const missed = (age < 2 * DAY && rng.chance(0.7)) || (age < 8 * DAY && rng.chance(0.1));
    if (missed || contactAt > end) {
      // Claimed but not called yet, or still unclaimed.
      const claimAt = openedAt + rng.between(0.2, 2) * HOUR;
      if (round === 1 && claimAt < end && rng.chance(0.4)) await work(claimAt, { ownerId: owner.id });
      return null;
    }
    await work(contactAt, { ...(round === 1 ? { ownerId: owner.id } : {}), status: 'contacted', note: rng.pick(T.CONTACT_NOTES[lang]) });

    const reason = T.REASON_OF[cause];
    const days = cause === 'defect' ? rng.between(2, 6) : cause === 'refund' ? rng.between(1, 4) : rng.between(0.2, 3);
    const closeAt = this.officeHours(contactAt + days * DAY);
    if (closeAt > end) return null;
    // A case that came back twice is closed as unresolvable, with the outcome told all the same.
    const unresolvable = round >= 3 || rng.chance(cause === 'price' ? 0.35 : cause === 'defect' ? 0.06 : round > 1 ? 0.2 : 0.09);
    const status = unresolvable ? 'unresolvable' : 'resolved';
    await work(closeAt, {
      status,
      reason,
      note: rng.pick(T.CLOSE_NOTES[reason][lang]),
      outcome: T.OUTCOMES[reason][status][customer.locale],
    });
    if (unresolvable) return null;
    this.stats.resolved.add(kase.id);

    // Some come back to their still-open survey after the call and raise their score.
    const changeAt = closeAt + rng.wait(8 * HOUR);
    if (round === 1 && rng.chance(0.12) && changeAt < Math.min(end, Date.parse(invitation.expires_at))) {
      const survey = deps.surveys.byId(invitation.survey_id)!;
      await recordAnswer(deps.db, { invitation, survey, answers: { nps: rng.int(7, 9) }, source: 'link', now: new Date(changeAt) });
    }
    return this.followUp(kase.id, invitation, customer, cause, product, round);
  }

  /** The follow-up survey the resolution planned: "was your problem solved?" — yes closes the loop, no reopens the case. */
  private async followUp(
    caseId: string,
    original: Invitation,
    customer: DemoCustomer,
    cause: T.Cause,
    product: T.Product,
    round: number,
  ): Promise<PlannedEvent | null> {
    const { rng, deps } = this;
    const { end } = this.world;
    const planned = await deps.db
      .selectFrom('invitations')
      .select(['id', 'status', 'send_at'])
      .where('case_id', '=', caseId)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (planned?.status !== 'scheduled') return null;
    const sendAt = Date.parse(planned.send_at);
    customer.busyUntil = Math.max(customer.busyUntil, sendAt);
    const invitation = await this.send(planned.id, sendAt);
    if (!invitation || !rng.chance(round > 1 ? 0.5 : 0.58)) return null;
    const answerAt = sendAt + (rng.chance(0.7) ? rng.wait(2 * HOUR) : rng.between(3, 30) * HOUR);
    if (answerAt > end) return null;
    const survey = deps.surveys.byId(invitation.survey_id)!;
    const chance: Record<T.Cause, number> = {
      defect: 0.84,
      delivery: 0.9,
      refund: 0.75,
      price: 0.7,
      support: 0.8,
      website: 0.85,
      other: 0.8,
    };
    const solved = rng.chance(chance[cause] + (round > 1 ? 0.08 : 0));
    const comment = rng.chance(0.35) ? T.followUpComment(rng, solved, customer.locale) : null;
    if (invitation.channel === 'sms' && rng.chance(0.5)) {
      await handleInboundSms(
        { ...this.at(answerAt), log: silentLogger },
        { from: invitation.address!, text: solved ? (customer.locale === 'fa' ? 'بله' : 'Yes') : customer.locale === 'fa' ? 'خیر' : 'No' },
      );
    } else {
      await markInvitationOpened(deps.db, invitation.id, new Date(answerAt));
      await recordAnswer(deps.db, { invitation, survey, answers: { solved }, source: 'link', now: new Date(answerAt) });
      if (comment)
        await recordAnswer(deps.db, { invitation, survey, answers: { comment }, source: 'form', now: new Date(answerAt + 90_000) });
    }
    this.stats.answered++;
    if (!solved) {
      // The case reopened with the answer; the owner picks it up again.
      return this.workCase(original, customer, cause, answerAt, product, round + 1);
    }
    this.stats.recovered.add(customer.input.id);
    // Won back: many buy again a few months later (after the 90-day survey pause), happier.
    const again = answerAt + rng.between(100, 170) * DAY;
    if (!rng.chance(0.5) || again > end - 2 * DAY) return null;
    customer.reserved = true;
    return {
      at: again,
      type: 'purchase',
      product: rng.chance(0.5) ? product : productAt(rng, again, this.world.launch),
      returning: customer,
    };
  }

  /** The care team works Saturday to Thursday, 08:30 to 20:00 Tehran time. */
  private officeHours(t: number): number {
    let at = t;
    for (let guard = 0; guard < 4; guard++) {
      const hour = tehranHour(at);
      const friday = tehranDate(at).weekday === 5;
      if (!friday && hour >= 8.5 && hour < 20) return at;
      const midnight = at - hour * HOUR;
      at = (hour < 8.5 && !friday ? midnight : midnight + DAY) + (8.5 + this.rng.wait(1.2)) * HOUR;
    }
    return at;
  }
}
