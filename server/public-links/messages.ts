import type { Locale } from '../../shared/locale.js';

/** Words of the public-link and kiosk pages (the survey's own words live in surveys/*.json). */
const publicLinkMessages = {
  en: {
    otherLanguage: 'فارسی',
    kioskThanksTitle: 'Thank you!',
    kioskResets: 'This page starts over for the next customer in a few seconds.',
    nextCustomer: 'Next customer',
    tooFastTitle: 'One moment, please',
    tooFastKiosk: 'We have just received an answer here. Please wait a few seconds, then answer again.',
    tooManyFromNetwork: 'We have received many answers from your network recently. Please try again later.',
    backToSurvey: 'Back to the survey',
    linkNotFoundBody: 'This survey is not available here. Please check the address or scan the code again.',
  },
  fa: {
    otherLanguage: 'English',
    kioskThanksTitle: 'سپاسگزاریم!',
    kioskResets: 'این صفحه تا چند ثانیه دیگر برای مشتری بعدی از نو آغاز می‌شود.',
    nextCustomer: 'مشتری بعدی',
    tooFastTitle: 'لطفاً کمی صبر کنید',
    tooFastKiosk: 'همین الان پاسخی از اینجا دریافت کردیم. لطفاً چند ثانیه صبر کنید و دوباره پاسخ دهید.',
    tooManyFromNetwork: 'به‌تازگی پاسخ‌های زیادی از شبکهٔ شما دریافت کرده‌ایم. لطفاً بعداً دوباره تلاش کنید.',
    backToSurvey: 'بازگشت به نظرسنجی',
    linkNotFoundBody: 'این نظرسنجی اینجا در دسترس نیست. لطفاً نشانی را بررسی کنید یا کد را دوباره اسکن کنید.',
  },
} satisfies Record<Locale, Record<string, string>>;

export type PublicLinkMessages = (typeof publicLinkMessages)['en'];

export function publicLinkMessagesFor(locale: Locale): PublicLinkMessages {
  return publicLinkMessages[locale];
}
