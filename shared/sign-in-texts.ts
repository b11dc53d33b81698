import type { Locale } from './locale.js';

/**
 * What the dashboard's sign-in page says, in one place for both of its renderings: the server writes the form into
 * the page itself (server/http/sign-in-page.tsx), usable before any script arrives on a slow line, and the dashboard's
 * dictionaries (web/i18n/messages.ts) take these same texts for the form the script draws over it.
 */
export const SIGN_IN_TEXTS = {
  en: {
    title: 'Hami',
    skipToContent: 'Skip to content',
    loginTitle: 'Sign in to Hami',
    email: 'Email',
    password: 'Password',
    signIn: 'Sign in',
    wrongCredentials: 'Wrong email or password.',
    tooManyAttempts: 'Too many attempts. Wait a moment (at most two minutes) and try again.',
    signInIncomplete: 'Enter your email and your password.',
  },
  fa: {
    title: 'حامی',
    skipToContent: 'رفتن به محتوا',
    loginTitle: 'ورود به حامی',
    email: 'ایمیل',
    password: 'گذرواژه',
    signIn: 'ورود',
    wrongCredentials: 'ایمیل یا گذرواژه درست نیست.',
    tooManyAttempts: 'تلاش‌ها بیش از حد بود. کمی (حداکثر دو دقیقه) صبر کنید و دوباره امتحان کنید.',
    signInIncomplete: 'ایمیل و گذرواژهٔ خود را وارد کنید.',
  },
} as const satisfies Record<Locale, Record<string, string>>;

/** The reasons the server's form gives after a refused post, each a key of the texts above. */
export type SignInRefusal = 'wrongCredentials' | 'tooManyAttempts' | 'signInIncomplete';
