import { useEffect, useState } from 'preact/hooks';
import type { Locale } from '../../shared/locale.js';
import { formatDay } from '../i18n/format.js';
import { jalaliInputText, parseJalaliDay } from '../i18n/jalali.js';
import type { Messages } from '../i18n/messages.js';

interface DateFieldProps {
  id: string;
  label: string;
  /** A day key (YYYY-MM-DD), or '' when empty. */
  value: string;
  min?: string;
  max?: string;
  required?: boolean;
  m: Messages;
  locale: Locale;
  /** A valid day within min/max, or undefined when the field was emptied. */
  onChange: (day: string | undefined) => void;
}

/**
 * A date input in the dashboard's calendar. English keeps the browser's own (Gregorian) picker; Persian takes the
 * Jalali date as text ("۱۴۰۵/۰۹/۱۳", Persian or Latin digits), since the browser's picker is Gregorian only, and
 * repeats the date in words so a typo shows at once.
 */
export function DateField(props: DateFieldProps) {
  const { id, label, value, min, max, required, locale, onChange } = props;
  if (locale === 'en') {
    return (
      <div class="field">
        <label for={id}>{label}</label>
        <input
          id={id}
          type="date"
          value={value}
          min={min}
          max={max}
          required={required}
          onChange={(e) => {
            const day = e.currentTarget.value;
            if (day || !required) onChange(day || undefined);
          }}
        />
      </div>
    );
  }
  return <JalaliField {...props} />;
}

function JalaliField(props: DateFieldProps) {
  const { id, label, value, min, max, required, m, locale, onChange } = props;
  const [text, setText] = useState(() => (value ? jalaliInputText(value) : ''));
  const [error, setError] = useState<string | null>(null);
  // A new value from outside (a quick range, a shared link) replaces what is shown, unless it is what was typed.
  useEffect(() => {
    if ((parseJalaliDay(text) ?? '') !== value) {
      setText(value ? jalaliInputText(value) : '');
      setError(null);
    }
  }, [value]);

  const commit = (typed: string) => {
    if (!typed.trim()) {
      if (required) return setError(m.dateRequired);
      setError(null);
      return onChange(undefined);
    }
    const day = parseJalaliDay(typed);
    if (!day) return setError(m.jalaliDateInvalid);
    if ((min && day < min) || (max && day > max))
      return setError(m.dateOutOfRange(min ? jalaliInputText(min) : '…', max ? jalaliInputText(max) : '…'));
    setError(null);
    setText(jalaliInputText(day));
    if (day !== value) onChange(day);
  };

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div class="field date-field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        dir="ltr"
        autoComplete="off"
        placeholder={m.jalaliDatePlaceholder}
        value={text}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${errorId} ${hintId}` : hintId}
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={(e) => commit(e.currentTarget.value)}
        onKeyDown={(e) => e.key === 'Enter' && commit(e.currentTarget.value)}
      />
      <small id={hintId} class="muted">
        {value && !error ? formatDay(value, locale) : m.jalaliDateHint}
      </small>
      {error && (
        <small id={errorId} class="error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}
