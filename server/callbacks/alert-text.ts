import type { Locale } from '../../shared/locale.js';
import type { StaffAlert } from './alert-format.js';

/*
 * The words of the staff alerts, in the team's language (HAMI_TEAM_LOCALE): the deadline in the team's time zone
 * (HAMI_TIME_ZONE) with the zone named, the survey by its name, and the link to the case. Pure, no I/O.
 */

export interface AlertCase {
  /** The customer's name already flattened to one line (oneLine), or null. */
  who: string | null;
  score: number | null;
  surveyName: string;
  comment: string | null;
  dueAt: string;
  url: string;
}

const DATE_TAG: Record<Locale, string> = { en: 'en-GB', fa: 'fa-IR-u-ca-persian' };

/** "4 Dec 2026, 15:24 GMT+3:30" / "۱۴ آذر ۱۴۰۵، ۱۵:۲۴ (وقت تهران)": the deadline as the team reads it. */
export function teamDeadline(iso: string, locale: Locale, timeZone: string): string {
  const date = new Date(iso);
  const when = new Intl.DateTimeFormat(DATE_TAG[locale], { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
  const zone =
    new Intl.DateTimeFormat(DATE_TAG[locale], { timeZone, timeZoneName: 'long' }).formatToParts(date).find((p) => p.type === 'timeZoneName')
      ?.value ?? timeZone;
  return `${when} (${zone})`;
}

const number = (value: number | null, locale: Locale) =>
  value === null ? '–' : new Intl.NumberFormat(locale === 'fa' ? 'fa-IR' : 'en').format(value);

const WORDING = {
  en: {
    someone: 'A customer',
    someoneLower: 'a customer',
    newSubject: (who: string, score: string) => `New detractor: ${who} (${score})`,
    newHeadline: (who: string, score: string, survey: string) => `${who} scored ${score} on the survey "${survey}".`,
    newFooter: (deadline: string) => `Call back by ${deadline}:`,
    newChat: 'New detractor: ',
    overdueSubject: (who: string) => `Overdue callback: ${who}`,
    overdueHeadline: (who: string, score: string, survey: string, deadline: string) =>
      `The callback to ${who} (score ${score} on the survey "${survey}") was due ${deadline} and nobody has contacted them yet.`,
    overdueFooter: 'Open the case:',
    overdueChat: 'Overdue callback: ',
  },
  fa: {
    someone: 'یک مشتری',
    someoneLower: 'یک مشتری',
    newSubject: (who: string, score: string) => `مشتری ناراضی جدید: ${who} (${score})`,
    newHeadline: (who: string, score: string, survey: string) => `${who} در نظرسنجی «${survey}» امتیاز ${score} داد.`,
    newFooter: (deadline: string) => `تا ${deadline} با او تماس بگیرید:`,
    newChat: 'مشتری ناراضی جدید: ',
    overdueSubject: (who: string) => `تماس عقب‌افتاده: ${who}`,
    overdueHeadline: (who: string, score: string, survey: string, deadline: string) =>
      `مهلت تماس با ${who} (امتیاز ${score} در نظرسنجی «${survey}») ${deadline} بود و هنوز کسی با او تماس نگرفته است.`,
    overdueFooter: 'پرونده را باز کنید:',
    overdueChat: 'تماس عقب‌افتاده: ',
  },
} as const;

interface WordedAlert {
  subject: string;
  alert: StaffAlert;
  /** The prefix of the chat message's first line. */
  chatPrefix: string;
}

/** A new detractor: who, the score, the survey, and by when to call (team's zone), with the link. */
export function newDetractorAlert(c: AlertCase, locale: Locale, timeZone: string): WordedAlert {
  const w = WORDING[locale];
  const score = number(c.score, locale);
  return {
    subject: w.newSubject(c.who ?? w.someone, score),
    alert: {
      headline: w.newHeadline(c.who ?? w.someone, score, c.surveyName),
      quote: c.comment || null,
      footer: w.newFooter(teamDeadline(c.dueAt, locale, timeZone)),
      link: c.url,
    },
    chatPrefix: w.newChat,
  };
}

/** An overdue callback: who, the score and survey, when it was due (team's zone), with the link. */
export function overdueAlert(c: AlertCase, locale: Locale, timeZone: string): WordedAlert {
  const w = WORDING[locale];
  return {
    subject: w.overdueSubject(c.who ?? w.someone),
    alert: {
      headline: w.overdueHeadline(c.who ?? w.someoneLower, number(c.score, locale), c.surveyName, teamDeadline(c.dueAt, locale, timeZone)),
      quote: null,
      footer: w.overdueFooter,
      link: c.url,
    },
    chatPrefix: w.overdueChat,
  };
}
