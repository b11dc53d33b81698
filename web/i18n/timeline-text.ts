import type { TimelineItem } from '../../shared/api/staff.js';
import { readCaseNote } from '../../shared/case-notes.js';
import type { Locale } from '../../shared/locale.js';
import { formatDateTime, formatNumber } from './format.js';
import { label, type Messages } from './messages.js';

/**
 * One timeline or audit entry in the dashboard's language. `text` is ours; `id` is an identifier from outside (an
 * order or ticket id) shown as written, isolated, after it; `note` is a note as the person wrote it, unless it is a
 * note Hami wrote itself (a planned follow-up), which is said in the dashboard's language with the time in local
 * time.
 */
interface EntryText {
  text: string;
  id?: string;
  note?: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * A case entry's note: Hami's own notes (shared/case-notes.ts) in the dashboard's language, a planned time local
 * and in the dashboard's calendar; a person's note as written.
 */
export function caseNoteText(m: Messages, locale: Locale, text: string): string {
  const note = readCaseNote(text);
  if (!note) return text;
  const score = (value: number | null) => (value === null ? m.noScore : formatNumber(value, locale));
  switch (note.kind) {
    case 'detractor_score':
      return m.noteDetractorScore(score(note.score));
    case 'score_changed':
      return m.noteScoreChanged(score(note.from), score(note.to));
    case 'owner':
      return m.noteOwner(note.name ?? m.unassigned);
    case 'follow_up_planned':
      return m.followUpPlanned(formatDateTime(note.sendAt, locale));
    case 'follow_up_not_sent':
      return m.followUpNotSent(label(m, 'skipReason', note.reason));
    default:
      return m[`note_${note.kind}`];
  }
}

export function timelineText(m: Messages, locale: Locale, item: TimelineItem): EntryText {
  const d = item.detail;
  const note = text(d.note) ? caseNoteText(m, locale, text(d.note)) : undefined;
  switch (item.kind) {
    case 'event':
      return { text: label(m, 'eventType', text(d.type)), id: text(d.externalId) || undefined };
    case 'invitation': {
      const status = label(m, 'invitationStatus', text(d.status));
      const reason = text(d.reason) ? ` (${label(m, 'skipReason', text(d.reason))})` : '';
      return { text: m.invitationSummary(label(m, 'survey', text(d.surveyId)), label(m, 'channel', text(d.channel)), status + reason) };
    }
    case 'answer': {
      const score = typeof d.score === 'number' ? formatNumber(d.score, locale) : '–';
      return { text: m.answerSummary(label(m, 'survey', text(d.surveyId)), score, label(m, 'answerSource', text(d.source))) };
    }
    case 'autopilot':
      return { text: m.autopilotNext(label(m, 'channel', text(d.channel))) };
    case 'consent':
      return { text: m[d.granted === true ? 'consentGranted' : 'consentWithdrawn'](label(m, 'consentPurpose', text(d.purpose))) };
    case 'case':
      return { text: label(m, 'status', text(d.status)) };
    case 'case_entry': {
      const entry = label(m, 'entry', text(d.entry));
      const to = text(d.toStatus);
      if (!to) return { text: entry, note };
      const from = text(d.fromStatus);
      return { text: m.statusChange(entry, from ? label(m, 'status', from) : '', label(m, 'status', to)), note };
    }
  }
  return { text: item.title };
}
