import type { Locale } from '../../shared/locale.js';
import type { StaffAlert } from '../callbacks/alert-format.js';
import { teamDeadline } from '../callbacks/alert-text.js';

/*
 * The words of the "SMS on hold" alert to the admins, in the team's language: what the gateway said, what to fix,
 * and that the waiting texts go out by themselves once it is fixed. Pure, no I/O.
 */

interface SmsHoldFacts {
  provider: string;
  /** credit | credentials | sender | account */
  problem: string;
  code: string;
  detail: string;
  since: string;
}

const PROVIDERS: Record<string, string> = {
  kavenegar: 'Kavenegar',
  twilio: 'Twilio',
  http: 'SMS gateway',
  smsir: 'SMS.ir',
  ghasedak: 'Ghasedak',
  melipayamak: 'Melipayamak',
};
const PROVIDERS_FA: Record<string, string> = {
  kavenegar: 'کاوه‌نگار',
  twilio: 'Twilio',
  http: 'درگاه پیامک',
  smsir: 'اس‌ام‌اس‌دات‌آی‌آر',
  ghasedak: 'قاصدک',
  melipayamak: 'ملی‌پیامک',
};

const WORDING = {
  en: {
    subject: (provider: string) => `SMS sending is on hold: ${provider} refused the account`,
    problems: {
      credit: 'the account has run out of credit. Top it up in the gateway panel.',
      credentials: 'it does not accept the API key or credentials. Check the SMS_* settings against the gateway panel.',
      sender: 'the sender line or number is not one this account may use. Check the sender setting against the gateway panel.',
      account: 'the account is disabled or not active. Check it in the gateway panel.',
    } as Record<string, string>,
    headline: (provider: string, problem: string, since: string, code: string) =>
      `Since ${since}, ${provider} refuses survey texts because ${problem} (code ${code}). No invitation has failed: they wait, and go out by themselves, each once, within 5 minutes of the fix.`,
    footer: 'Dashboard:',
  },
  fa: {
    subject: (provider: string) => `ارسال پیامک متوقف شد: ${provider} حساب را نپذیرفت`,
    problems: {
      credit: 'اعتبار حساب تمام شده است. از پنل درگاه حساب را شارژ کنید.',
      credentials: 'کلید API یا اطلاعات ورود را نمی‌پذیرد. تنظیمات SMS_* را با پنل درگاه مقایسه کنید.',
      sender: 'خط یا شماره فرستنده برای این حساب مجاز نیست. تنظیم فرستنده را با پنل درگاه مقایسه کنید.',
      account: 'حساب غیرفعال است. وضعیت آن را در پنل درگاه بررسی کنید.',
    } as Record<string, string>,
    headline: (provider: string, problem: string, since: string, code: string) =>
      `از ${since}، ${provider} پیامک‌های نظرسنجی را نمی‌پذیرد، چون ${problem} (کد ${code}). هیچ دعوتی از دست نرفته است: همه در صف می‌مانند و تا ۵ دقیقه پس از رفع مشکل، هر کدام یک بار، خودکار ارسال می‌شوند.`,
    footer: 'داشبورد:',
  },
} as const;

/** The alert's subject and body for the team's language and time zone; `link` is the dashboard. */
export function smsHoldAlert(facts: SmsHoldFacts, locale: Locale, timeZone: string, link: string): { subject: string; alert: StaffAlert } {
  const w = WORDING[locale];
  const provider = (locale === 'fa' ? PROVIDERS_FA : PROVIDERS)[facts.provider] ?? facts.provider;
  const problem = w.problems[facts.problem] ?? w.problems.account!;
  const code = locale === 'fa' ? facts.code.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!) : facts.code;
  return {
    subject: w.subject(provider),
    alert: {
      headline: w.headline(provider, problem, teamDeadline(facts.since, locale, timeZone), code),
      quote: facts.detail,
      footer: w.footer,
      link,
    },
  };
}
