/**
 * The notes Hami itself writes on case entries (a staff member's notes are their own words). They are stored in
 * English for the audit trail, the privacy export and the API; the dashboard reads them back to say the same in
 * its own language, times in the reader's time zone. Writer and reader live here together so they cannot drift
 * apart; entries written before this module keep the same texts.
 */
export type CaseNote =
  | { kind: 'detractor_score'; score: number | null }
  | { kind: 'score_changed'; from: number | null; to: number | null }
  /** null: the case was left without an owner. */
  | { kind: 'owner'; name: string | null }
  | { kind: 'follow_up_planned'; sendAt: string }
  | { kind: 'follow_up_not_sent'; reason: string }
  | { kind: 'follow_up_unsolved' }
  | { kind: 'customer_confirmed' }
  | { kind: 'overdue_alerted' };

const FIXED = {
  follow_up_unsolved: 'the follow-up says the problem is not solved',
  customer_confirmed: 'the customer confirmed the problem is solved',
  overdue_alerted: 'overdue: owner and admins alerted',
} as const;

const score = (value: number | null) => (value === null ? 'none' : String(value));

export function caseNote(note: CaseNote): string {
  switch (note.kind) {
    case 'detractor_score':
      return `detractor score ${score(note.score)}`;
    case 'score_changed':
      return `the customer changed the score from ${score(note.from)} to ${score(note.to)}`;
    case 'owner':
      return `owner: ${note.name ?? 'nobody'}`;
    case 'follow_up_planned':
      return `follow-up survey planned for ${note.sendAt}`;
    case 'follow_up_not_sent':
      return `follow-up survey not sent: ${note.reason}`;
    default:
      return FIXED[note.kind];
  }
}

const SCORE = '(\\d{1,2}|none)';
const readScore = (text: string) => (text === 'none' ? null : Number(text));
const PATTERNS: [RegExp, (match: RegExpExecArray) => CaseNote | null][] = [
  [new RegExp(`^detractor score ${SCORE}$`), (m) => ({ kind: 'detractor_score', score: readScore(m[1]!) })],
  [
    new RegExp(`^the customer changed the score from ${SCORE} to ${SCORE}$`),
    (m) => ({ kind: 'score_changed', from: readScore(m[1]!), to: readScore(m[2]!) }),
  ],
  [/^owner: (.+)$/s, (m) => ({ kind: 'owner', name: m[1] === 'nobody' ? null : m[1]! })],
  [
    /^follow-up survey planned for (\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2}))$/,
    (m) => (Number.isNaN(Date.parse(m[1]!)) ? null : { kind: 'follow_up_planned', sendAt: m[1]! }),
  ],
  [/^follow-up survey not sent: ([a-z_]+)$/, (m) => ({ kind: 'follow_up_not_sent', reason: m[1]! })],
];

/** A note read back, or null for any other text (a person's note, shown as written). */
export function readCaseNote(text: string): CaseNote | null {
  for (const [kind, fixed] of Object.entries(FIXED)) if (text === fixed) return { kind } as CaseNote;
  for (const [pattern, read] of PATTERNS) {
    const match = pattern.exec(text);
    if (match) return read(match);
  }
  return null;
}
