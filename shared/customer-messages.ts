import { toPersianDigits } from './digits.js';
import type { Locale } from './locale.js';

/** Fixed words customers see around a survey (the survey's own words live in surveys/*.json). */
export const customerMessages = {
  en: {
    greeting: (name: string | null) => (name ? `Hello ${name},` : 'Hello,'),
    tapToAnswer: 'Tap a number to answer:',
    openSurvey: 'Open the survey',
    optOut: 'Stop receiving these surveys',
    optOutWhy: (brand: string | null) => `You received this because of a recent order or support request${brand ? ` at ${brand}` : ''}.`,
    submit: 'Send',
    update: 'Update my answer',
    optional: '(optional)',
    yes: 'Yes',
    no: 'No',
    saved: 'Your answer is saved.',
    changeHint: 'You can change your answer until the survey closes.',
    savedScore: (score: string) => `Thanks — your ${score} is saved.`,
    savedChoice: (choice: string) => `Thanks — your answer “${choice}” is saved.`,
    tellUsMore: 'Tell us a little more, if you like:',
    changeScore: 'Change score',
    completeTitle: 'Thank you — the survey is complete',
    changeAnswer: 'Change my answer',
    confirmTitle: 'Please confirm your answer',
    confirmBody: 'This link was opened with two different answers within a few seconds. Is this the one you meant?',
    confirmOther: 'Or tap the one you meant:',
    confirm: (choice: string) => `Confirm ${choice}`,
    fixErrors: 'Please check the highlighted answers.',
    required: 'Please answer this question.',
    invalidChoice: 'Please choose one of the options.',
    tooLong: 'This answer is too long.',
    notFoundTitle: 'This survey link does not work',
    notFoundBody: 'The link may be incomplete. Please open it again from your email or message.',
    expiredTitle: 'This survey has closed',
    expiredBody: 'Thank you for your interest. This survey is no longer open for answers.',
    notSavedTitle: 'Your answer was not saved',
    busyBody: 'We are very busy right now and your answer was not saved yet. Please go back and send it again in a few seconds.',
    cannotSaveBody: 'We cannot save anything right now and your answer was not saved. Please try again later.',
    brokenTitle: 'Something went wrong',
    brokenBody: 'Something went wrong on our side. Please try again in a minute.',
    optOutTitle: 'Stop receiving surveys',
    optOutConfirm: 'Unsubscribe',
    optOutQuestion: (address: string) => `Stop sending surveys to ${address}?`,
    optOutDone: (address: string) => `Done. We will not send surveys to ${address} again.`,
    stopMessages: 'Stop receiving messages from us',
    stopTitle: 'Stop receiving messages',
    stopQuestion: (address: string) => `Stop sending messages to ${address}?`,
    stopDone: (address: string) => `Done. We will not send messages to ${address} again.`,
    pageTitle: 'Survey',
    reminderPrefix: 'Reminder: ',
    smsThanks: 'Thank you! Tell us more: {link}',
    smsCommentThanks: 'Thank you for your message.',
    baleOpenSurvey: 'Or open the survey:',
    baleOptedOut: 'Done. We will not send you surveys on Bale again.',
    baleStopUnknown: 'To stop these surveys, tap the last button under our survey message.',
  },
  fa: {
    greeting: (name: string | null) => (name ? `${name} عزیز، سلام` : 'سلام،'),
    tapToAnswer: 'برای پاسخ، روی یک عدد بزنید:',
    openSurvey: 'باز کردن نظرسنجی',
    optOut: 'دیگر این نظرسنجی‌ها را نفرستید',
    optOutWhy: (brand: string | null) => `این پیام به خاطر خرید یا درخواست پشتیبانی اخیر شما${brand ? ` از ${brand}` : ''} ارسال شده است.`,
    submit: 'ارسال',
    update: 'به‌روزرسانی پاسخ',
    optional: '(اختیاری)',
    yes: 'بله',
    no: 'خیر',
    saved: 'پاسخ شما ثبت شد.',
    changeHint: 'تا زمانی که نظرسنجی باز است می‌توانید پاسخ خود را تغییر دهید.',
    savedScore: (score: string) => `سپاس — امتیاز ${score} شما ثبت شد.`,
    savedChoice: (choice: string) => `سپاس — پاسخ «${choice}» شما ثبت شد.`,
    tellUsMore: 'اگر مایلید، کمی بیشتر بگویید:',
    changeScore: 'تغییر امتیاز',
    completeTitle: 'سپاس — نظرسنجی کامل شد',
    changeAnswer: 'تغییر پاسخ',
    confirmTitle: 'لطفاً پاسخ خود را تأیید کنید',
    confirmBody: 'این پیوند در چند ثانیه با دو پاسخ متفاوت باز شد. منظور شما این پاسخ است؟',
    confirmOther: 'یا گزینه مورد نظرتان را بزنید:',
    confirm: (choice: string) => `تأیید ${choice}`,
    fixErrors: 'لطفاً پاسخ‌های مشخص‌شده را بررسی کنید.',
    required: 'لطفاً به این پرسش پاسخ دهید.',
    invalidChoice: 'لطفاً یکی از گزینه‌ها را انتخاب کنید.',
    tooLong: 'این پاسخ بیش از حد طولانی است.',
    notFoundTitle: 'این پیوند نظرسنجی کار نمی‌کند',
    notFoundBody: 'ممکن است پیوند ناقص باشد. لطفاً آن را دوباره از ایمیل یا پیامک خود باز کنید.',
    expiredTitle: 'این نظرسنجی بسته شده است',
    expiredBody: 'از توجه شما سپاسگزاریم. این نظرسنجی دیگر پاسخ نمی‌پذیرد.',
    notSavedTitle: 'پاسخ شما ثبت نشد',
    busyBody: 'در این لحظه سرمان بسیار شلوغ است و پاسخ شما هنوز ثبت نشده است. لطفاً برگردید و چند ثانیه بعد دوباره آن را بفرستید.',
    cannotSaveBody: 'در این لحظه نمی‌توانیم چیزی ثبت کنیم و پاسخ شما ثبت نشد. لطفاً بعداً دوباره تلاش کنید.',
    brokenTitle: 'مشکلی پیش آمد',
    brokenBody: 'مشکلی در سمت ما پیش آمد. لطفاً یک دقیقه دیگر دوباره تلاش کنید.',
    optOutTitle: 'لغو دریافت نظرسنجی',
    optOutConfirm: 'لغو اشتراک',
    optOutQuestion: (address: string) => `ارسال نظرسنجی به ${address} متوقف شود؟`,
    optOutDone: (address: string) => `انجام شد. دیگر نظرسنجی‌ای به ${address} ارسال نمی‌کنیم.`,
    stopMessages: 'دیگر پیامی برای من نفرستید',
    stopTitle: 'لغو دریافت پیام',
    stopQuestion: (address: string) => `ارسال پیام به ${address} متوقف شود؟`,
    stopDone: (address: string) => `انجام شد. دیگر پیامی به ${address} ارسال نمی‌کنیم.`,
    pageTitle: 'نظرسنجی',
    reminderPrefix: 'یادآوری: ',
    smsThanks: 'سپاس! بیشتر بگویید: {link}',
    smsCommentThanks: 'از پیام شما سپاسگزاریم.',
    baleOpenSurvey: 'یا نظرسنجی را باز کنید:',
    baleOptedOut: 'انجام شد. دیگر در بله برای شما نظرسنجی نمی‌فرستیم.',
    baleStopUnknown: 'برای لغو این نظرسنجی‌ها، دکمهٔ آخر زیر پیام نظرسنجی ما را بزنید.',
  },
} satisfies Record<Locale, Record<string, unknown>>;

export type CustomerMessages = (typeof customerMessages)['en'];

export function messagesFor(locale: Locale): CustomerMessages {
  return customerMessages[locale];
}

/**
 * A line the customer sees first (email subject, SMS text) with the company's name in front: "Anar Shop: …",
 * "فروشگاه انار: …". Without a brand the line is unchanged.
 */
export function withBrand(brandName: string | null, line: string): string {
  return brandName ? `${brandName}: ${line}` : line;
}

/** A number as the customer reads it: Persian digits in Persian. */
export function localDigits(value: number, locale: Locale): string {
  return locale === 'fa' ? toPersianDigits(value) : String(value);
}
