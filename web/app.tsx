import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { SessionBody } from '../shared/api/staff.js';
import type { Locale } from '../shared/locale.js';
import { allowedSection, HOME } from './access.js';
import { api, setErrorLanguage, setUnauthorizedHandler } from './api.js';
import { Header } from './components/header.js';
import { applyLocale, initialLocale, keepLocale, messages } from './i18n/messages.js';
import { lazyPage } from './lazy-page.js';
import { LoginPage } from './pages/login.js';
import { navigate, useRoute } from './router.js';
import type { StaticSignIn } from './static-sign-in.js';

// Each page is its own chunk (the overview's carries chart.js): the first load needs only the shell and sign-in.
const CallbacksPage = lazyPage(() => import('./pages/callbacks.js').then((page) => page.CallbacksPage));
const CasePage = lazyPage(() => import('./pages/case.js').then((page) => page.CasePage));
const OverviewPage = lazyPage(() => import('./pages/overview.js').then((page) => page.OverviewPage));
const ThemesPage = lazyPage(() => import('./pages/themes.js').then((page) => page.ThemesPage));
const SegmentsPage = lazyPage(() => import('./pages/segments.js').then((page) => page.SegmentsPage));
const SettingsPage = lazyPage(() => import('./pages/settings.js').then((page) => page.SettingsPage));

/** The page an address is likely to open: fetched while the session is checked, not after it (no waterfall). */
function pageFor(name: string | undefined, id: string | undefined) {
  if (name === 'callbacks') return id ? CasePage : CallbacksPage;
  if (name === 'themes') return ThemesPage;
  if (name === 'segments') return SegmentsPage;
  if (name === 'settings') return SettingsPage;
  return OverviewPage;
}

/**
 * The dashboard: who is signed in, which language, which page. `staticSignIn`: what the person did in the sign-in
 * form the server wrote into the page, which the first LoginPage continues.
 */
export function App(props: { staticSignIn?: StaticSignIn | null }) {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  /**
   * undefined while the session is being checked. The page's own (web/embedded-session.ts) is taken at once, so the
   * first render already draws the sign-in form over the server's, never a "Loading" in between.
   */
  const [session, setSession] = useState<SessionBody | null | undefined>(api.embeddedSession);
  /** Only the first sign-in form continues the server's; after a sign-out the form starts empty. */
  const staticSignIn = useRef(props.staticSignIn ?? null);
  const [notice, setNotice] = useState<'sessionEnded' | 'networkError' | null>(null);
  const route = useRoute();
  const m = messages[locale];

  // Before paint: the direction never lags behind the text.
  useLayoutEffect(() => {
    applyLocale(locale);
    setErrorLanguage(locale);
  }, [locale]);
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setSession(null);
      setNotice('sessionEnded');
    });
    const [name, id] = route.path;
    // The login page's address is not a page to preload; the home page is where signing in leads.
    pageFor(name === 'login' ? HOME : name, id)
      .preload()
      .catch(() => undefined);
    staticSignIn.current = null;
    if (session === undefined) {
      api.session().then(setSession, () => {
        setSession(null);
        setNotice('networkError');
      });
    }
    return () => setUnauthorizedHandler(null);
  }, []);

  const toggleLocale = useCallback(() => {
    const next: Locale = locale === 'en' ? 'fa' : 'en';
    keepLocale(next);
    setLocale(next);
  }, [locale]);

  const signedIn = useCallback(
    (body: SessionBody) => {
      setNotice(null);
      setSession(body);
      // A deep link followed before signing in is kept when the role may use it; otherwise the overview.
      if (!allowedSection(body.user.role, route.path[0])) navigate(`#/${HOME}`, true);
    },
    [route],
  );

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      setSession(null);
      navigate('#/login', true);
    }
  }, []);

  const [name, id] = route.path;
  const section = session ? allowedSection(session.user.role, name) : null;
  // Signed in on the login page, an unknown address or a section the role cannot use (marketing on callbacks).
  const signedInOnWrongPage = !!session && !section;
  useEffect(() => {
    if (signedInOnWrongPage) navigate(`#/${HOME}`, true);
  }, [signedInOnWrongPage]);

  let page;
  if (session === undefined) page = <p class="status-line">{m.loading}</p>;
  else if (session === null)
    page = <LoginPage m={m} notice={notice ? m[notice] : null} onSignedIn={signedIn} initial={staticSignIn.current} />;
  else if (section === 'callbacks' && id)
    page = <CasePage key={id} id={id} m={m} locale={locale} me={session.user} brandName={session.brandName} />;
  else if (section === 'callbacks') page = <CallbacksPage m={m} locale={locale} me={session.user} query={route.query} />;
  else if (section === 'segments') page = <SegmentsPage m={m} locale={locale} savedId={id ?? null} query={route.query} />;
  else if (section === 'settings') page = <SettingsPage m={m} locale={locale} selfId={session.user.id} />;
  else if (section === 'themes')
    page = <ThemesPage m={m} locale={locale} query={route.query} canOpenCases={!!allowedSection(session.user.role, 'callbacks')} />;
  else if (section === 'overview')
    page = <OverviewPage m={m} locale={locale} query={route.query} canOpenCases={!!allowedSection(session.user.role, 'callbacks')} />;
  else page = <p class="status-line">{m.loading}</p>;

  return (
    <>
      {/* biome-ignore lint/a11y/useValidAnchor: a real link to #main, but the hash router would take #main for a page, so the click only moves the focus. */}
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {m.skipToContent}
      </a>
      <Header m={m} locale={locale} user={session?.user ?? null} current={section} onToggleLocale={toggleLocale} onLogout={logout} />
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}
