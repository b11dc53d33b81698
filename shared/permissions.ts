import type { Role } from './roles.js';

/**
 * Who may do what, in one table: every staff route names one permission, and this is the only place that maps
 * permissions to roles. Marketing sees aggregates and segments, never case notes.
 */
export const PERMISSIONS = {
  'callbacks:read': ['admin', 'care'],
  'callbacks:work': ['admin', 'care'],
  'callbacks:metrics': ['admin', 'care', 'marketing'],
  'customers:timeline': ['admin', 'care', 'marketing'],
  'metrics:read': ['admin', 'care', 'marketing'],
  'case-notes:read': ['admin', 'care'],
  // Segments are marketing's: care works callbacks and has no use for exporting or messaging customer lists.
  'segments:read': ['admin', 'marketing'],
  'segments:export': ['admin', 'marketing'],
  'segments:act': ['admin', 'marketing'],
  'users:list': ['admin', 'care'],
  'users:manage': ['admin'],
  // API keys let a program write events as the business: admins only.
  'keys:manage': ['admin'],
  // An import writes customers and events in bulk (and can schedule surveys): admins only.
  'imports:run': ['admin'],
  // Webhooks send customer data to other systems and hold signing secrets: admins only.
  'webhooks:manage': ['admin'],
  // Exporting everything about a customer or erasing them: admins only.
  'privacy:manage': ['admin'],
  // Settings' read-only views of the brand and the survey files: the admin's page.
  'settings:read': ['admin'],
  // The theme dictionary decides what every dashboard counts: admins edit it and start re-tags.
  'themes:manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: string, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly string[]).includes(role);
}
