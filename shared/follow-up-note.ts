/**
 * The note of a case's 'follow_up' entry. The server writes it in English for the audit trail (and old entries
 * already carry this text); the dashboard reads it back to say the same in its own language, with the planned
 * time in the reader's time zone. Writer and reader live here together so the two cannot drift apart.
 */
export type FollowUpNote = { planned: true; sendAt: string } | { planned: false; reason: string };

export function followUpNote(note: FollowUpNote): string {
  return note.planned ? `follow-up survey planned for ${note.sendAt}` : `follow-up survey not sent: ${note.reason}`;
}

const PLANNED = /^follow-up survey planned for (\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2}))$/;
const NOT_SENT = /^follow-up survey not sent: ([a-z_]+)$/;

/** The note read back, or null for any other text (then it is shown as written). */
export function readFollowUpNote(text: string): FollowUpNote | null {
  const planned = PLANNED.exec(text);
  if (planned && !Number.isNaN(Date.parse(planned[1]!))) return { planned: true, sendAt: planned[1]! };
  const notSent = NOT_SENT.exec(text);
  if (notSent) return { planned: false, reason: notSent[1]! };
  return null;
}
