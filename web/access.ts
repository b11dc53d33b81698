import { can, type Permission } from '../shared/permissions.js';
import type { Role } from '../shared/roles.js';

/**
 * The dashboard's sections and the permission each one reads with, from the table the server enforces
 * (shared/permissions.ts). This only decides what the navigation offers and where a user lands; the API still refuses
 * what a role may not read.
 */
const SECTIONS = {
  overview: 'metrics:read',
  // Comment themes read the metrics too; the dictionary behind them is edited in Settings.
  themes: 'metrics:read',
  callbacks: 'callbacks:read',
  segments: 'segments:read',
  // Brand, survey files, users, webhooks, API keys and imports: the admin's page.
  settings: 'settings:read',
} as const satisfies Record<string, Permission>;

export type Section = keyof typeof SECTIONS;

/** Where everyone lands after signing in, and where an unknown or forbidden address leads. */
export const HOME: Section = 'overview';

export function sectionsFor(role: Role): Section[] {
  return (Object.keys(SECTIONS) as Section[]).filter((section) => can(role, SECTIONS[section]));
}

/** The section an address names, if the role may use it. */
export function allowedSection(role: Role, name: string | undefined): Section | null {
  return sectionsFor(role).find((section) => section === name) ?? null;
}
