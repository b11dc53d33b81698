import type { FilterOptionsBody } from '../../shared/api/metrics.js';
import { isLocale, type Locale } from '../../shared/locale.js';
import { label, type Messages } from '../i18n/messages.js';
import { BASES, BUCKETS, CHANNELS, EMPTY_VIEW, validDays, type SegmentView } from '../segment-query.js';
import { Choice } from './overview-filters.js';
import { DateField } from './date-field.js';

type DayField = 'answeredWithinDays' | 'notContactedDays';

function DaysField(props: { field: DayField; view: SegmentView; m: Messages; onChange: (raw: string) => void }) {
  const { field, view, m } = props;
  const raw = view[field];
  const invalid = raw.trim() !== '' && validDays(raw) === undefined;
  const id = `s-${field}`;
  return (
    <div class="field days">
      <label for={id}>{m[field]}</label>
      <input
        id={id}
        // Text with a numeric keyboard, so Persian digits can be typed too (a number input takes Latin digits only);
        // validDays reads all three digit sets and says when the count is out of range.
        type="text"
        inputMode="numeric"
        autoComplete="off"
        value={raw}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-error` : undefined}
        onInput={(e) => props.onChange(e.currentTarget.value)}
      />
      {invalid && (
        <p class="field-error" id={`${id}-error`}>
          {m.daysInvalid}
        </p>
      )}
    </div>
  );
}

/**
 * Who is in the segment: score groups, which answer decides, survey, dates, channel, language, the attributes
 * surveys roll up (values from GET /api/metrics/filters) and the two "days" rules. Every change is a new view,
 * which the page writes into the address; the count and the members follow it.
 */
export function SegmentBuilder(props: {
  view: SegmentView;
  options: FilterOptionsBody | null;
  m: Messages;
  locale: Locale;
  onChange: (view: SegmentView) => void;
}) {
  const { view, options, m, locale, onChange } = props;
  const set = (patch: Partial<SegmentView>) => onChange({ ...view, ...patch });
  const toggleBucket = (bucket: (typeof BUCKETS)[number], on: boolean) =>
    set({ buckets: BUCKETS.filter((b) => (b === bucket ? on : view.buckets.includes(b))) });
  const setAttribute = (name: string, value: string | undefined) => {
    const attributes = { ...view.attributes };
    if (value) attributes[name] = value;
    else delete attributes[name];
    set({ attributes });
  };
  // An attribute from a shared link that the options do not list still gets its control.
  const dimensions = { ...Object.fromEntries(Object.keys(view.attributes).map((name) => [name, []])), ...(options?.dimensions ?? {}) };

  return (
    <form class="filters segment-builder" aria-labelledby="builder-title" onSubmit={(e) => e.preventDefault()}>
      <h2 id="builder-title" class="visually-hidden">
        {m.builderTitle}
      </h2>
      <fieldset class="radios">
        <legend>{m.bucketsLegend}</legend>
        <div class="radio-row">
          {BUCKETS.map((bucket) => (
            <label key={bucket} class={`bucket-choice bucket-${bucket}`}>
              <input
                type="checkbox"
                name="bucket"
                value={bucket}
                checked={view.buckets.includes(bucket)}
                onChange={(e) => toggleBucket(bucket, e.currentTarget.checked)}
              />
              {label(m, 'bucket', bucket)} <span class="muted">({m[`range_${bucket}`]})</span>
            </label>
          ))}
        </div>
        {view.buckets.length === 0 && <p class="help">{m.bucketsAll}</p>}
      </fieldset>
      <fieldset class="radios">
        <legend>{m.basisLabel}</legend>
        <div class="radio-row">
          {BASES.map((basis) => (
            <label key={basis}>
              <input type="radio" name="basis" value={basis} checked={view.basis === basis} onChange={() => set({ basis })} />
              {m[`basis_${basis}`]}
            </label>
          ))}
        </div>
      </fieldset>
      <Choice
        id="s-survey"
        title={m.survey}
        all={m.allSurveys}
        value={view.survey}
        values={options?.surveys ?? []}
        name={(v) => label(m, 'survey', v)}
        onChange={(survey) => set({ survey })}
      />
      <DateField
        id="s-from"
        label={m.from}
        value={view.from ?? ''}
        max={view.to}
        m={m}
        locale={locale}
        onChange={(from) => set({ from })}
      />
      <DateField id="s-to" label={m.to} value={view.to ?? ''} min={view.from} m={m} locale={locale} onChange={(to) => set({ to })} />
      <Choice
        id="s-channel"
        title={m.channel}
        all={m.allChannels}
        value={view.channel}
        values={[...CHANNELS]}
        name={(v) => label(m, 'channel', v)}
        onChange={(value) => set({ channel: CHANNELS.find((c) => c === value) })}
      />
      <Choice
        id="s-locale"
        title={m.customerLanguage}
        all={m.allLanguages}
        value={view.locale}
        values={options?.locales ?? ['en', 'fa']}
        name={(v) => label(m, 'locale', v)}
        onChange={(value) => set({ locale: isLocale(value) ? value : undefined })}
      />
      {Object.entries(dimensions).map(([name, values]) => (
        <Choice
          key={name}
          id={`s-attr-${name.replace(/\W/g, '_')}`}
          title={label(m, 'dimension', name)}
          all={m.allValues}
          value={view.attributes[name]}
          values={values}
          name={(v) => v}
          onChange={(value) => setAttribute(name, value)}
        />
      ))}
      <DaysField field="answeredWithinDays" view={view} m={m} onChange={(answeredWithinDays) => set({ answeredWithinDays })} />
      <DaysField field="notContactedDays" view={view} m={m} onChange={(notContactedDays) => set({ notContactedDays })} />
      <button type="button" class="link-button clear" onClick={() => onChange(EMPTY_VIEW)}>
        {m.clearFilters}
      </button>
    </form>
  );
}
