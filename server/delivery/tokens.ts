import { hmac, sha256 } from '../auth/hashing.js';

/**
 * The link token of an invitation: 128 bits of HMAC-SHA256(secret, invitation id), base64url (22 characters,
 * short enough for an SMS). The database keeps only its SHA-256, so a leaked database holds no working links,
 * and the worker can rebuild a link for a retry or a reminder without storing it.
 */
export function invitationToken(secret: string, invitationId: string): string {
  return hmac(secret, `invitation:${invitationId}`).subarray(0, 16).toString('base64url');
}

export function tokenHash(token: string): string {
  return sha256(token);
}

/** A token has exactly the shape we issue; anything else is rejected before touching the database. */
export function looksLikeToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(value);
}
