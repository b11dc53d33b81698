import type { Locale } from '../../shared/locale.js';

/**
 * Words of the public-link and kiosk pages (the survey's own words live in surveys/*.json). A kiosk stands in a
 * shop for everyone who walks past, so it brings its own neutral title and intro instead of the survey's (which may
 * speak of "your order" or "your ticket"), and its own thank-you, said once.
 */
const publicLinkMessages = {
  en: {
    otherLanguage: 'فارسی',
    kioskTitle: 'How did we do today?',
    kioskIntro: 'Your answer is anonymous. Choose a score, add a comment if you like, then press Send.',
    kioskThanksTitle: 'Thank you!',
    kioskThanksBody: 'Your answer helps us do better.',
    /** {seconds} is replaced by the countdown. */
    kioskResets: 'This page starts over for the next customer in {seconds} seconds.',
    nextCustomer: 'Next customer',
    tooFastKiosk: 'One moment: an answer was just sent from this screen. Your choices are kept below; press Send again.',
    tooManyFromNetwork:
      'We have received many answers from your network recently. Your choices are kept below; please send them again later.',
    linkNotFoundBody: 'This survey is not available here. Please check the address or scan the code again.',
  },
  fa: {
    otherLanguage: 'English',
    kioskTitle: 'امروز چطور بودیم؟',
    kioskIntro: 'پاسخ شما بی‌نام است. امتیازی انتخاب کنید، اگر خواستید توضیحی بنویسید و سپس «ارسال» را بزنید.',
    kioskThanksTitle: 'سپاسگزاریم!',
    kioskThanksBody: 'پاسخ شما به ما کمک می‌کند بهتر شویم.',
    kioskResets: 'این صفحه تا {seconds} ثانیهٔ دیگر برای مشتری بعدی از نو آغاز می‌شود.',
    nextCustomer: 'مشتری بعدی',
    tooFastKiosk: 'یک لحظه: همین الان پاسخی از این صفحه فرستاده شد. انتخاب‌های شما در زیر مانده است؛ دوباره «ارسال» را بزنید.',
    tooManyFromNetwork: 'به‌تازگی پاسخ‌های زیادی از شبکهٔ شما دریافت کرده‌ایم. انتخاب‌های شما در زیر مانده است؛ لطفاً بعداً دوباره بفرستید.',
    linkNotFoundBody: 'این نظرسنجی اینجا در دسترس نیست. لطفاً نشانی را بررسی کنید یا کد را دوباره اسکن کنید.',
  },
} satisfies Record<Locale, Record<string, string>>;

type PublicLinkMessages = (typeof publicLinkMessages)['en'];

export function publicLinkMessagesFor(locale: Locale): PublicLinkMessages {
  return publicLinkMessages[locale];
}
