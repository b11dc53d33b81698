/**
 * Staff roles: admin does everything; care works callbacks; marketing sees segments and aggregates, not case notes
 * (shared/permissions.ts). Apart from the API schemas so the command line's help loads no zod.
 */
export const ROLES = ['admin', 'care', 'marketing'] as const;
export type Role = (typeof ROLES)[number];
