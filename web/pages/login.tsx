import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { SessionBody } from '../../shared/api/staff.js';
import { api, ApiError } from '../api.js';
import type { Messages } from '../i18n/messages.js';
import type { StaticSignIn } from '../static-sign-in.js';

/**
 * The sign-in form. `initial`: the state of the form the server wrote into the page (server/http/sign-in-page.tsx),
 * which this one replaces when the script has come — what was typed, the refusal and the focus carry on.
 */
export function LoginPage(props: {
  m: Messages;
  notice: string | null;
  onSignedIn: (session: SessionBody) => void;
  initial?: StaticSignIn | null;
}) {
  const { m, initial } = props;
  const [email, setEmail] = useState(initial?.email ?? '');
  const [password, setPassword] = useState(initial?.password ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(initial?.refusal ? m[initial.refusal] : null);
  /** Counts failed attempts, so a second identical error moves the focus again. */
  const [failures, setFailures] = useState(0);
  const emailInput = useRef<HTMLInputElement>(null);
  const errorLine = useRef<HTMLParagraphElement>(null);

  // Before paint and in the same task as the render: a keystroke typed meanwhile lands where the person was typing.
  useLayoutEffect(() => {
    const kept = initial ? (initial.focusedId ? document.getElementById(initial.focusedId) : null) : emailInput.current;
    if (kept && document.activeElement !== kept) kept.focus();
  }, []);
  useEffect(() => {
    document.title = `${m.loginTitle}`;
  }, [m]);

  // After a failed sign-in the focus goes to the reason, so a screen reader or keyboard user starts from it.
  useEffect(() => {
    if (failures > 0) errorLine.current?.focus();
  }, [failures]);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      props.onSignedIn(await api.login(email.trim(), password));
    } catch (caught) {
      const status = caught instanceof ApiError ? caught.status : -1;
      setError(
        status === 401
          ? m.wrongCredentials
          : status === 429
            ? m.tooManyAttempts
            : status === 0
              ? m.networkError
              : `${m.somethingWrong} ${(caught as Error).message}`,
      );
      setPassword('');
      setBusy(false);
      setFailures((n) => n + 1);
    }
  }

  const message = error ?? props.notice;
  return (
    <section class="login card" aria-labelledby="login-title">
      <h1 id="login-title">{m.loginTitle}</h1>
      <form onSubmit={submit} noValidate>
        {message && (
          <p class="error" role="alert" id="login-error" tabIndex={-1} ref={errorLine}>
            {message}
          </p>
        )}
        <label for="login-email">{m.email}</label>
        <input
          id="login-email"
          ref={emailInput}
          type="email"
          name="email"
          autoComplete="username"
          dir="ltr"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
          aria-describedby={message ? 'login-error' : undefined}
        />
        <label for="login-password">{m.password}</label>
        <input
          id="login-password"
          type="password"
          name="password"
          autoComplete="current-password"
          dir="ltr"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? m.signingIn : m.signIn}
        </button>
      </form>
    </section>
  );
}
