import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { AppDeps } from '../deps.js';

/** The hidden field that names one showing of the kiosk form (question ids cannot hold a '-', so none collides). */
export const KIOSK_FORM_FIELD = 'kiosk-form';

/** A fresh name for one showing of the kiosk form. */
export const newKioskFormId = () => randomBytes(12).toString('base64url');

/** The form id a post carries, if it has the shape newKioskFormId makes (anything else is not remembered). */
export const kioskFormIdOf = (value: string | undefined) => (value && /^[A-Za-z0-9_-]{16}$/.test(value) ? value : undefined);

const REMEMBER_MS = 60_000;
const MAX_REMEMBERED = 1_000;

/**
 * The kiosk forms answered in the last minute. A double tap on Send posts one form twice: the second post is the
 * same person's answer, so it gets the thank-you again instead of a second record or a "one moment" note that would
 * invite a third. Held in memory (a restart forgets it, as it does the limits), bounded in size.
 */
class AnsweredKioskForms {
  private readonly answered = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  /** Whether the form was answered; if not, it is counted as answered from now on. */
  seenElseRemember(formId: string): boolean {
    const now = this.clock.now().getTime();
    const at = this.answered.get(formId);
    if (at !== undefined && at > now - REMEMBER_MS) return true;
    this.answered.set(formId, now);
    if (this.answered.size > MAX_REMEMBERED) {
      // Oldest first (Map keeps insertion order): drop down to 90% in one pass.
      for (const key of this.answered.keys()) {
        if (this.answered.size <= MAX_REMEMBERED * 0.9) break;
        this.answered.delete(key);
      }
    }
    return false;
  }

  /** Forgets a form whose answer could not be recorded, so sending it again records it. */
  forget(formId: string): void {
    this.answered.delete(formId);
  }
}

const byApp = new WeakMap<AppDeps, AnsweredKioskForms>();

/** The answered kiosk forms of the app these deps run. */
export function answeredKioskFormsOf(deps: AppDeps): AnsweredKioskForms {
  let forms = byApp.get(deps);
  if (!forms) {
    forms = new AnsweredKioskForms(deps.clock);
    byApp.set(deps, forms);
  }
  return forms;
}
