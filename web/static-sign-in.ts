import type { SignInRefusal } from '../shared/sign-in-texts.js';

/** Where the person was in the page's own sign-in form when the script took it over. */
export interface StaticSignIn {
  email: string;
  password: string;
  /** Why the server refused the last post of the form, if it did. */
  refusal: SignInRefusal | null;
  /** The id of the focused field (or of the refusal), null when the focus was elsewhere. */
  focusedId: string | null;
}

const REFUSALS: readonly SignInRefusal[] = ['wrongCredentials', 'tooManyAttempts', 'signInIncomplete'];

/**
 * The state of the sign-in form the server wrote into the page (server/http/sign-in-page.tsx), read just before the
 * dashboard draws its own over it: on a slow line the person may have typed for seconds before the script came.
 * null when the page carries no such form (signed in, or the dev server's page).
 */
export function readStaticSignIn(root: HTMLElement): StaticSignIn | null {
  const email = root.querySelector<HTMLInputElement>('#login-email');
  const password = root.querySelector<HTMLInputElement>('#login-password');
  if (!email || !password) return null;
  const refusal = root.querySelector<HTMLElement>('#login-error')?.dataset.refusal;
  const focused = document.activeElement;
  return {
    email: email.value,
    password: password.value,
    refusal: REFUSALS.find((known) => known === refusal) ?? null,
    focusedId: focused && focused !== document.body && root.contains(focused) ? focused.id || null : null,
  };
}
