import { directionOf, type Locale } from '../../shared/locale.js';

export const messages = {
  en: {
    title: 'Hami',
    tagline: 'Surveys that close the loop',
    health: 'Server',
    healthy: 'running',
    unreachable: 'not reachable',
    language: 'فارسی',
  },
  fa: {
    title: 'حامی',
    tagline: 'نظرسنجی‌ای که حلقه را می‌بندد',
    health: 'سرور',
    healthy: 'در حال اجرا',
    unreachable: 'در دسترس نیست',
    language: 'English',
  },
} satisfies Record<Locale, Record<string, string>>;

/** Sets the page language and direction, so the whole layout flips for Persian. */
export function applyLocale(locale: Locale): void {
  document.documentElement.lang = locale;
  document.documentElement.dir = directionOf(locale);
}
