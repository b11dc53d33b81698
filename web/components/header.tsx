import type { StaffUser } from '../../shared/api/staff.js';
import type { Locale } from '../../shared/locale.js';
import { HOME, sectionsFor, type Section } from '../access.js';
import { label, type Messages } from '../i18n/messages.js';

const NAV_LABEL = { overview: 'navOverview', callbacks: 'navCallbacks', segments: 'navSegments', settings: 'navSettings' } as const satisfies Record<Section, keyof Messages>;

export function Header(props: { m: Messages; locale: Locale; user: StaffUser | null; current: Section | null; onToggleLocale: () => void; onLogout: () => void }) {
  const { m, user } = props;
  const other: Locale = props.locale === 'en' ? 'fa' : 'en';
  return (
    <header class="top">
      <a class="brand" href={user ? `#/${HOME}` : '#/login'}>
        {m.title}
      </a>
      {user && (
        <nav aria-label={m.mainNav}>
          {/* Only the sections this role can use. */}
          {sectionsFor(user.role).map((section) => (
            <a key={section} href={`#/${section}`} aria-current={section === props.current ? 'page' : undefined}>
              {m[NAV_LABEL[section]]}
            </a>
          ))}
        </nav>
      )}
      <div class="top-end">
        {user && (
          <span class="who">
            <span class="visually-hidden">{m.signedInAs} </span>
            <bdi class="who-name">{user.name || user.email}</bdi>
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
    </header>
  );
}
