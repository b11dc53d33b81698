import { useEffect, useState } from 'preact/hooks';
import type { ThemeCandidate, ThemeDictionaryBody, ThemeEdit, ThemeRetagProgress } from '../../../shared/api/themes.js';
import { THEME_LABEL_MAX_LENGTH } from '../../../shared/themes/theme.js';
import type { Locale } from '../../../shared/locale.js';
import { THEME_ID, type ThemeDefinition } from '../../../shared/themes/theme.js';
import { addDays } from '../../../shared/periods.js';
import { api, ApiError } from '../../api.js';
import { formatDateTime, formatNumber } from '../../i18n/format.js';
import { label, type Messages } from '../../i18n/messages.js';
import { today } from '../../overview-query.js';
import { NotYet } from './parts.js';

/** Candidates are phrases of this many recent days. */
const CANDIDATE_DAYS = 90;
/** How often a running re-tag's progress is asked for. */
const RETAG_POLL_MS = 1000;
const LANGUAGES = ['en', 'fa'] as const satisfies readonly Locale[];

type Problem = { field: string | null; message: string };
/** The server's refusal, by the field at fault; an id already taken said in the dashboard's language. */
function problemOf(m: Messages, caught: unknown): Problem {
  if (!(caught instanceof ApiError)) return { field: null, message: (caught as Error).message };
  const field = (caught.field ?? '').split('.')[0] || null;
  if (caught.code === 'conflict' && field === 'id') return { field, message: m.themeIdTaken };
  return { field, message: caught.message };
}

/** The form's text: terms one per line, as an admin writes a list. */
interface Form {
  id: string;
  isNew: boolean;
  label: Record<Locale, string>;
  terms: Record<Locale, string>;
  enabled: boolean;
}
const formOf = (theme: ThemeDefinition): Form => ({
  id: theme.id,
  isNew: false,
  label: { ...theme.label },
  terms: { en: theme.terms.en.join('\n'), fa: theme.terms.fa.join('\n') },
  enabled: theme.enabled,
});
const EMPTY: Form = { id: '', isNew: true, label: { en: '', fa: '' }, terms: { en: '', fa: '' }, enabled: true };
const lines = (text: string) => [
  ...new Set(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  ),
];
const changeOf = (form: Form): ThemeEdit => ({
  label: { en: form.label.en.trim(), fa: form.label.fa.trim() },
  terms: { en: lines(form.terms.en), fa: lines(form.terms.fa) },
  enabled: form.enabled,
});

/**
 * Settings → Comment themes: the dictionary that tags comments (each theme's names and words in both languages, on
 * or off, an admin's own added), the re-tagging of earlier answers after a change, and the candidate phrases of
 * recent comments that no theme covers, each of which an admin may accept into a theme or make a theme of.
 */
export function ThemeSettings(props: { m: Messages; locale: Locale }) {
  const { m, locale } = props;
  const [dictionary, setDictionary] = useState<ThemeDictionaryBody | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [form, setForm] = useState<Form | null>(null);
  const [formError, setFormError] = useState<Problem | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  // The candidates are asked for again after one is accepted (it is no longer uncovered), not on every poll.
  const [candidatesVersion, setCandidatesVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);

  useEffect(() => {
    api.themes.list().then(
      (body) => (setDictionary(body), setError(null)),
      (caught: Error) => setError(caught.message),
    );
  }, [version]);
  // While a re-tag runs, its progress is asked for until it is done.
  const retagging = !!dictionary?.retag;
  useEffect(() => {
    if (!retagging) return;
    const timer = setTimeout(reload, RETAG_POLL_MS);
    return () => clearTimeout(timer);
  }, [retagging, dictionary]);

  const save = async (event: Event) => {
    event.preventDefault();
    if (!form) return;
    setFormError(null);
    if (form.isNew && !THEME_ID.test(form.id)) return setFormError({ field: 'id', message: m.themeIdRule });
    try {
      const saved = form.isNew
        ? await api.themes.create({ id: form.id, ...changeOf(form) })
        : await api.themes.update(form.id, changeOf(form));
      setFlash(m.themeSaved(changeOf(form).label[locale] || form.id));
      setForm(null);
      setDictionary(saved);
    } catch (caught) {
      setFormError(problemOf(m, caught));
    }
  };

  const act = async (work: () => Promise<ThemeDictionaryBody>, done: string) => {
    setError(null);
    setFlash(null);
    try {
      setDictionary(await work());
      setFlash(done);
    } catch (caught) {
      setError((caught as Error).message);
      reload();
    }
  };

  const invalid = (field: string) => ({
    'aria-invalid': formError?.field === field,
    'aria-describedby': formError?.field === field ? 'theme-form-error' : undefined,
  });

  return (
    <section class="card theme-settings" aria-labelledby="theme-settings-title">
      <h2 id="theme-settings-title">{m.themeSettingsTitle}</h2>
      <p class="muted">{m.themeSettingsIntro}</p>
      <p class="flash" role="status">
        {flash}
      </p>
      {error && dictionary && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {!dictionary ? (
        <NotYet m={m} error={error} />
      ) : (
        <>
          {/* Running from the start on: the progress is polled until GET /api/themes says it is done. */}
          <Retag m={m} locale={locale} dictionary={dictionary} onStarted={(retag) => setDictionary((d) => d && { ...d, retag })} />
          <ul class="theme-dictionary">
            {dictionary.themes.map((theme) => {
              const name = theme.label[locale];
              return (
                <li key={theme.id} data-theme={theme.id} class={theme.enabled ? undefined : 'is-disabled'}>
                  <div class="theme-head">
                    <strong>
                      <bdi>{name}</bdi>
                    </strong>
                    <span class="muted" lang={locale === 'en' ? 'fa' : 'en'}>
                      <bdi>{theme.label[locale === 'en' ? 'fa' : 'en']}</bdi>
                    </span>
                    <code dir="ltr">{theme.id}</code>
                    <span class="status">{theme.builtIn ? m.themeBuiltIn : m.themeOwn}</span>
                    <span class={`status ${theme.enabled ? 'status-resolved' : ''}`}>{theme.enabled ? m.themeOn : m.themeOff}</span>
                  </div>
                  {LANGUAGES.map((language) => (
                    <p key={language} class="theme-terms" lang={language} dir="auto">
                      <span class="visually-hidden">{m.themeTermsIn(label(m, 'locale', language))}: </span>
                      {/* Isolated: the hidden label's language would otherwise set the direction, and an English term
                          starting with punctuation ("<b>") would be drawn back to front in the Persian dashboard. */}
                      <bdi>{theme.terms[language].join(m.listSeparator) || '–'}</bdi>
                    </p>
                  ))}
                  <div class="buttons">
                    <button type="button" aria-label={m.editThemeNamed(name)} onClick={() => (setForm(formOf(theme)), setFormError(null))}>
                      {m.edit}
                    </button>
                    <button
                      type="button"
                      aria-label={theme.enabled ? m.themeSwitchOffNamed(name) : m.themeSwitchOnNamed(name)}
                      onClick={() =>
                        act(() => api.themes.update(theme.id, { ...changeOf(formOf(theme)), enabled: !theme.enabled }), m.themeSaved(name))
                      }
                    >
                      {theme.enabled ? m.themeSwitchOff : m.themeSwitchOn}
                    </button>
                    {!theme.builtIn && (
                      <button
                        type="button"
                        class="danger"
                        aria-label={m.deleteThemeNamed(name)}
                        onClick={() => confirm(m.confirmDeleteTheme(name)) && act(() => api.themes.remove(theme.id), m.themeDeleted(name))}
                      >
                        {m.delete}
                      </button>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
          {!form && (
            <button type="button" onClick={() => (setForm(EMPTY), setFormError(null))}>
              {m.addTheme}
            </button>
          )}
          {form && (
            <form class="theme-form" onSubmit={save} noValidate aria-labelledby="theme-form-title">
              <h3 id="theme-form-title">{form.isNew ? m.addTheme : m.editThemeNamed(form.label[locale] || form.id)}</h3>
              {form.isNew && (
                <label>
                  {m.themeId}
                  <input
                    id="theme-id"
                    dir="ltr"
                    autocomplete="off"
                    value={form.id}
                    {...invalid('id')}
                    onInput={(e) => setForm({ ...form, id: e.currentTarget.value.trim() })}
                  />
                  <span class="hint muted">{m.themeIdRule}</span>
                </label>
              )}
              <div class="theme-form-fields">
                {LANGUAGES.map((language) => (
                  <div key={language} class="theme-form-language" lang={language}>
                    <label>
                      {m.themeNameIn(label(m, 'locale', language))}
                      <input
                        id={`theme-label-${language}`}
                        dir="auto"
                        autocomplete="off"
                        maxLength={THEME_LABEL_MAX_LENGTH}
                        value={form.label[language]}
                        {...invalid('label')}
                        onInput={(e) => setForm({ ...form, label: { ...form.label, [language]: e.currentTarget.value } })}
                      />
                    </label>
                    <label>
                      {m.themeTermsIn(label(m, 'locale', language))}
                      <textarea
                        id={`theme-terms-${language}`}
                        dir="auto"
                        rows={5}
                        value={form.terms[language]}
                        {...invalid('terms')}
                        onInput={(e) => setForm({ ...form, terms: { ...form.terms, [language]: e.currentTarget.value } })}
                      />
                    </label>
                  </div>
                ))}
              </div>
              <p class="hint muted">{m.themeTermsHelp}</p>
              <label class="check">
                <input type="checkbox" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.currentTarget.checked })} />{' '}
                {m.themeOn}
              </label>
              {formError && (
                <p class="field-error" id="theme-form-error" role="alert">
                  {formError.message}
                </p>
              )}
              <div class="buttons">
                <button type="submit" class="primary">
                  {m.save}
                </button>
                <button type="button" onClick={() => setForm(null)}>
                  {m.cancel}
                </button>
              </div>
            </form>
          )}
          <Candidates
            m={m}
            locale={locale}
            themes={dictionary.themes}
            version={candidatesVersion}
            onAccepted={(body, text) => (setDictionary(body), setFlash(text), setCandidatesVersion((v) => v + 1))}
          />
        </>
      )}
    </section>
  );
}

/**
 * Re-tagging the answers already recorded with the dictionary as it is now: it runs on the server in the background
 * (a long history takes minutes), its progress shown as it goes; then how many answers were re-tagged, and when.
 */
function Retag(props: { m: Messages; locale: Locale; dictionary: ThemeDictionaryBody; onStarted: (retag: ThemeRetagProgress) => void }) {
  const { m, locale, dictionary } = props;
  const [started, setStarted] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const running = dictionary.retag;
  const run = async () => {
    setFailure(null);
    try {
      const body = await api.themes.retag();
      setStarted(body.retag.total);
      props.onStarted(body.retag);
    } catch (caught) {
      setFailure(caught instanceof ApiError && caught.code === 'conflict' ? m.retagAlreadyRunning : (caught as Error).message);
    }
  };
  const result = running
    ? m.retagProgress(formatNumber(running.done, locale), formatNumber(running.total, locale))
    : started !== null && dictionary.retaggedAt
      ? m.retagDone(formatNumber(started, locale), formatDateTime(dictionary.retaggedAt, locale))
      : '';
  return (
    <div class={`retag${dictionary.stale ? ' stale' : ''}`} data-stale={String(dictionary.stale)} data-running={String(!!running)}>
      <p>
        {dictionary.stale ? <strong>{m.retagStale} </strong> : null}
        {dictionary.retaggedAt ? m.retagLast(formatDateTime(dictionary.retaggedAt, locale)) : m.retagNever}
      </p>
      <button type="button" class={dictionary.stale ? 'primary' : undefined} disabled={!!running} onClick={run}>
        {running ? m.retagging : m.retagRun}
      </button>
      <p class="flash" role="status" data-retag-result="">
        {result}
      </p>
      {failure && (
        <p class="error" role="alert">
          {failure}
        </p>
      )}
    </div>
  );
}

/** The phrases no theme covers yet, with "Accept into theme…": add the phrase to a theme's terms, or start a theme with it. */
function Candidates(props: {
  m: Messages;
  locale: Locale;
  themes: ThemeDefinition[];
  version: number;
  onAccepted: (dictionary: ThemeDictionaryBody, text: string) => void;
}) {
  const { m, locale, themes } = props;
  const [candidates, setCandidates] = useState<ThemeCandidate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [accepting, setAccepting] = useState<string | null>(null);

  useEffect(() => {
    const to = today();
    api.themes.candidates({ from: addDays(to, 1 - CANDIDATE_DAYS), to }).then(
      (body) => (setCandidates(body.candidates), setError(null)),
      (caught: Error) => setError(caught.message),
    );
  }, [props.version]);

  return (
    <section class="theme-candidates" aria-labelledby="theme-candidates-title">
      <h3 id="theme-candidates-title">{m.candidatesTitle}</h3>
      <p class="muted">{m.candidatesIntro(formatNumber(CANDIDATE_DAYS, locale))}</p>
      {!candidates ? (
        <NotYet m={m} error={error} />
      ) : candidates.length === 0 ? (
        <p class="muted">{m.noCandidates}</p>
      ) : (
        <ul class="candidate-list">
          {candidates.map((candidate) => {
            const key = `${candidate.locale}:${candidate.phrase}`;
            return (
              <li key={key} data-phrase={candidate.phrase}>
                <div class="theme-head">
                  <strong lang={candidate.locale} dir="auto">
                    <bdi>{candidate.phrase}</bdi>
                  </strong>
                  <span class="muted">{label(m, 'locale', candidate.locale)}</span>
                  <span>{m.candidateCounts(formatNumber(candidate.count, locale), formatNumber(candidate.detractors, locale))}</span>
                </div>
                {candidate.examples.length > 0 && (
                  <ul class="candidate-examples" aria-label={m.candidateExamples}>
                    {candidate.examples.map((example, i) => (
                      <li key={i} dir="auto">
                        {example}
                      </li>
                    ))}
                  </ul>
                )}
                {accepting === key ? (
                  <AcceptForm
                    m={m}
                    locale={locale}
                    candidate={candidate}
                    themes={themes}
                    onCancel={() => setAccepting(null)}
                    onAccepted={(dictionary, text) => (setAccepting(null), props.onAccepted(dictionary, text))}
                  />
                ) : (
                  <button type="button" onClick={() => setAccepting(key)}>
                    {m.acceptInto}
                    <span class="visually-hidden"> {m.quoted(candidate.phrase)}</span>
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

const NEW = '';

function AcceptForm(props: {
  m: Messages;
  locale: Locale;
  candidate: ThemeCandidate;
  themes: ThemeDefinition[];
  onCancel: () => void;
  onAccepted: (dictionary: ThemeDictionaryBody, text: string) => void;
}) {
  const { m, locale, candidate, themes } = props;
  const [target, setTarget] = useState(themes[0]?.id ?? NEW);
  const [fresh, setFresh] = useState({ id: '', en: '', fa: '' });
  const [problem, setProblem] = useState<Problem | null>(null);
  const base = `accept-${candidate.locale}-${candidate.phrase.replace(/\W+/g, '_')}`;

  const accept = async (event: Event) => {
    event.preventDefault();
    setProblem(null);
    const theme = themes.find((t) => t.id === target);
    try {
      if (theme) {
        const change = changeOf(formOf(theme));
        change.terms[candidate.locale] = [...new Set([...change.terms[candidate.locale], candidate.phrase])];
        props.onAccepted(await api.themes.update(theme.id, change), m.acceptedInto(candidate.phrase, theme.label[locale]));
      } else {
        if (!THEME_ID.test(fresh.id)) return setProblem({ field: 'id', message: m.themeIdRule });
        const name = { en: fresh.en.trim() || candidate.phrase, fa: fresh.fa.trim() || candidate.phrase };
        const terms = { en: [] as string[], fa: [] as string[] };
        terms[candidate.locale].push(candidate.phrase);
        props.onAccepted(
          await api.themes.create({ id: fresh.id, label: name, terms, enabled: true }),
          m.acceptedInto(candidate.phrase, name[locale]),
        );
      }
    } catch (caught) {
      setProblem(problemOf(m, caught));
    }
  };

  return (
    <form class="accept-form" onSubmit={accept} noValidate aria-label={m.acceptPhraseNamed(candidate.phrase)}>
      <label>
        {m.acceptTarget}
        <select id={`${base}-target`} value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
          {themes.map((theme) => (
            <option key={theme.id} value={theme.id}>
              {theme.label[locale]}
            </option>
          ))}
          <option value={NEW}>{m.acceptNewTheme}</option>
        </select>
      </label>
      {target === NEW && (
        <div class="theme-form-fields">
          <label>
            {m.themeId}
            <input
              id={`${base}-id`}
              dir="ltr"
              autocomplete="off"
              value={fresh.id}
              aria-invalid={problem?.field === 'id'}
              aria-describedby={`${base}-rule`}
              onInput={(e) => setFresh({ ...fresh, id: e.currentTarget.value.trim() })}
            />
            <span class="hint muted" id={`${base}-rule`}>
              {m.themeIdRule}
            </span>
          </label>
          {LANGUAGES.map((language) => (
            <label key={language}>
              {m.themeNameIn(label(m, 'locale', language))}
              <input
                id={`${base}-${language}`}
                dir="auto"
                autocomplete="off"
                maxLength={THEME_LABEL_MAX_LENGTH}
                value={fresh[language]}
                onInput={(e) => setFresh({ ...fresh, [language]: e.currentTarget.value })}
              />
            </label>
          ))}
        </div>
      )}
      {problem && (
        <p class="field-error" role="alert">
          {problem.message}
        </p>
      )}
      <div class="buttons">
        <button type="submit" class="primary">
          {m.acceptAccept}
        </button>
        <button type="button" onClick={props.onCancel}>
          {m.cancel}
        </button>
      </div>
    </form>
  );
}
