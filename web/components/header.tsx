import { useEffect, useRef, useState } from 'preact/hooks';
import type { StaffUser } from '../../shared/api/staff.js';
import type { Locale } from '../../shared/locale.js';
import { HOME, sectionsFor, type Section } from '../access.js';
import { label, type Messages } from '../i18n/messages.js';

const NAV_LABEL = {
  overview: 'navOverview',
  themes: 'navThemes',
  callbacks: 'navCallbacks',
  segments: 'navSegments',
  settings: 'navSettings',
} as const satisfies Record<Section, keyof Messages>;

/**
 * The top bar. On a phone the navigation and the account controls fold behind a Menu button (a disclosure: the
 * stylesheet shows the button and hides the closed menu only below the header's one-line width).
 */
export function Header(props: {
  m: Messages;
  locale: Locale;
  user: StaffUser | null;
  current: Section | null;
  onToggleLocale: () => void;
  onLogout: () => void;
}) {
  const { m, user } = props;
  const other: Locale = props.locale === 'en' ? 'fa' : 'en';
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);

  // A section chosen (or a sign-out) folds the menu away again.
  useEffect(() => setOpen(false), [props.current, user]);

  function onMenuKey(event: KeyboardEvent) {
    if (event.key !== 'Escape' || !open) return;
    setOpen(false);
    toggle.current?.focus();
  }

  return (
    <header class="top">
      <a class="brand" href={user ? `#/${HOME}` : '#/login'}>
        {m.title}
      </a>
      {user && (
        <button ref={toggle} type="button" class="menu-toggle" aria-expanded={open} aria-controls="top-menu" onClick={() => setOpen(!open)}>
          <span class="menu-icon" aria-hidden="true" />
          {m.menu}
        </button>
      )}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: Escape from any link or button inside the menu bubbles here and closes it. */}
      <div id="top-menu" class={`top-menu${user ? ' foldable' : ''}${open ? ' open' : ''}`} onKeyDown={onMenuKey}>
        {user && (
          <nav aria-label={m.mainNav}>
            {/* Only the sections this role can use. */}
            {sectionsFor(user.role).map((section) => (
              <a
                key={section}
                href={`#/${section}`}
                aria-current={section === props.current ? 'page' : undefined}
                onClick={() => setOpen(false)}
              >
                {m[NAV_LABEL[section]]}
              </a>
            ))}
          </nav>
        )}
        <div class="top-end">
          {user && (
            <span class="who">
              <span class="visually-hidden">{m.signedInAs} </span>
              <bdi class="who-name" title={user.name || user.email}>
                {user.name || user.email}
              </bdi>
              <span class="role">{label(m, 'role', user.role)}</span>
            </span>
          )}
          <button type="button" class="link-button" lang={other} onClick={props.onToggleLocale}>
            {m.language}
          </button>
          {user && (
            <button type="button" class="link-button" onClick={props.onLogout}>
              {m.logout}
            </button>
          )}
        </div>
      </div>
    </header>
  );
}
