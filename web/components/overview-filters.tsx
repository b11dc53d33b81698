import type { Calendar, FilterOptionsBody } from '../../shared/api/metrics.js';
import type { Locale } from '../../shared/locale.js';
import { formatDay } from '../i18n/format.js';
import { DateField } from './date-field.js';
import { label, type Messages } from '../i18n/messages.js';
import { INTERVALS, PRESETS, presetRange, today, type OverviewQuery } from '../overview-query.js';

/** A select with an "all" first option; the overview and the segment builder use it for each filter. */
export function Choice(props: {
  id: string;
  title: string;
  value: string | undefined;
  values: string[];
  name: (value: string) => string;
  onChange: (value: string | undefined) => void;
  all: string;
}) {
  // A value from a shared link that the options do not list (yet) stays selectable, so the control tells the truth.
  const values = props.value && !props.values.includes(props.value) ? [...props.values, props.value] : props.values;
  return (
    <div class="field">
      <label for={props.id}>{props.title}</label>
      <select id={props.id} value={props.value ?? ''} onChange={(e) => props.onChange(e.currentTarget.value || undefined)}>
        <option value="">{props.all}</option>
        {values.map((value) => (
          <option key={value} value={value}>
            {props.name(value)}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The overview's filters. Each change makes a new view, which the page writes into the address (and so into
 * history, a reload, a shared link). The date inputs follow the dashboard's calendar (Jalali in Persian, see
 * DateField); the range is repeated in words next to them.
 */
export function OverviewFilters(props: {
  view: OverviewQuery;
  options: FilterOptionsBody | null;
  calendar: Calendar;
  locale: Locale;
  m: Messages;
  onChange: (view: OverviewQuery) => void;
}) {
  const { view, options, calendar, locale, m, onChange } = props;
  const set = (patch: Partial<OverviewQuery>) => onChange({ ...view, ...patch });
  const setAttribute = (name: string, value: string | undefined) => {
    const attributes = { ...view.attributes };
    if (value) attributes[name] = value;
    else delete attributes[name];
    onChange({ ...view, attributes });
  };
  const now = today();
  const dimensions = { ...Object.fromEntries(Object.keys(view.attributes).map((name) => [name, []])), ...(options?.dimensions ?? {}) };

  return (
    <form class="filters overview-filters" role="search" aria-label={m.filters} onSubmit={(e) => e.preventDefault()}>
      <fieldset class="range">
        <legend>{m.dateRange}</legend>
        <div class="range-row">
          <DateField
            id="f-from"
            label={m.from}
            value={view.from}
            max={view.to}
            required
            m={m}
            locale={locale}
            onChange={(from) => from && set({ from })}
          />
          <DateField
            id="f-to"
            label={m.to}
            value={view.to}
            min={view.from}
            max={now}
            required
            m={m}
            locale={locale}
            onChange={(to) => to && set({ to })}
          />
          <div class="presets" role="group" aria-label={m.quickRanges}>
            {PRESETS.map((preset) => {
              const range = presetRange(preset, view.interval, calendar, now);
              return (
                <button
                  key={preset}
                  type="button"
                  aria-pressed={range.from === view.from && range.to === view.to}
                  onClick={() => set(range)}
                >
                  {m[`preset_${preset}`]}
                </button>
              );
            })}
          </div>
        </div>
        <p class="range-words muted" aria-live="polite">
          {formatDay(view.from, locale)} – {formatDay(view.to, locale)}
        </p>
      </fieldset>
      <div class="field">
        <label for="f-interval">{m.groupBy}</label>
        <select
          id="f-interval"
          value={view.interval}
          onChange={(e) => set({ interval: e.currentTarget.value as OverviewQuery['interval'] })}
        >
          {INTERVALS.map((interval) => (
            <option key={interval} value={interval}>
              {m[`interval_${interval}`]}
            </option>
          ))}
        </select>
      </div>
      <Choice
        id="f-survey"
        title={m.survey}
        all={m.allSurveys}
        value={view.survey}
        values={options?.surveys ?? []}
        name={(v) => label(m, 'survey', v)}
        onChange={(survey) => set({ survey })}
      />
      <Choice
        id="f-channel"
        title={m.channel}
        all={m.allChannels}
        value={view.channel}
        values={options?.channels ?? []}
        name={(v) => label(m, 'channel', v)}
        onChange={(channel) => set({ channel })}
      />
      <Choice
        id="f-locale"
        title={m.customerLanguage}
        all={m.allLanguages}
        value={view.locale}
        values={options?.locales ?? []}
        name={(v) => label(m, 'locale', v)}
        onChange={(value) => set({ locale: value })}
      />
      {Object.entries(dimensions).map(([name, values]) => (
        <Choice
          key={name}
          id={`f-attr-${name.replace(/\W/g, '_')}`}
          title={label(m, 'dimension', name)}
          all={m.allValues}
          value={view.attributes[name]}
          values={values}
          name={(v) => v}
          onChange={(value) => setAttribute(name, value)}
        />
      ))}
    </form>
  );
}
