import type { Role } from '../shared/api/staff.js';

/**
 * The dashboard's sections and the roles that may use them, mirroring the permissions the server enforces
 * (server/auth/permissions.ts: 'metrics:read' for the overview and themes, 'callbacks:read' for callbacks, 'segments:read'
 * for segments, admin-only permissions for settings). This only decides what the navigation offers and where a user lands; the API still refuses what a
 * role may not read.
 */
const SECTIONS = {
  overview: ['admin', 'care', 'marketing'],
  // Comment themes read the metrics too ('metrics:read'); the dictionary behind them is edited in Settings.
  themes: ['admin', 'care', 'marketing'],
  callbacks: ['admin', 'care'],
  segments: ['admin', 'marketing'],
  // Webhooks, API keys and imports: 'webhooks:manage', 'keys:manage', 'imports:run' — the admin's alone.
  settings: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Section = keyof typeof SECTIONS;

/** Where everyone lands after signing in, and where an unknown or forbidden address leads. */
export const HOME: Section = 'overview';

export function sectionsFor(role: Role): Section[] {
  return (Object.keys(SECTIONS) as Section[]).filter((section) => (SECTIONS[section] as readonly Role[]).includes(role));
}

/** The section an address names, if the role may use it. */
export function allowedSection(role: Role, name: string | undefined): Section | null {
  return sectionsFor(role).find((section) => section === name) ?? null;
}
