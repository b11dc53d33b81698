import { useState } from 'preact/hooks';
import type { ImportKind, ImportReport, ImportRowError } from '../../shared/api/imports.js';
import type { Locale } from '../../shared/locale.js';
import { api } from '../api.js';
import { importProblemText } from '../i18n/api-errors.js';
import { formatNumber } from '../i18n/format.js';
import { label, type Messages } from '../i18n/messages.js';

// The contract's IMPORT_KINDS, written out so the dashboard does not bundle zod; `satisfies` keeps them in step.
const KINDS = ['customers', 'events', 'delighted-people', 'delighted-responses'] as const satisfies readonly ImportKind[];

/** Settings → Import: a CSV file and its kind; the report counts rows and lists each bad row (row, field, reason). */
export function ImportSettings(props: { m: Messages; locale: Locale }) {
  const { m, locale } = props;
  const [kind, setKind] = useState<ImportKind>('customers');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const n = (value: number) => formatNumber(value, locale);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      setReport(await api.imports.run(kind, file));
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card import-settings" aria-labelledby="import-title">
      <h2 id="import-title">{m.importTitle}</h2>
      <p class="muted">{m.importIntro}</p>
      <form class="inline-form" onSubmit={submit}>
        <label for="import-kind">{m.importKind}</label>
        <select id="import-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as ImportKind)}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {label(m, 'importKind', k)}
            </option>
          ))}
        </select>
        <span />
        <label for="import-file">{m.importFile}</label>
        <input id="import-file" type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        <button type="submit" class="primary" disabled={!file || busy}>
          {busy ? m.importing : m.importRun}
        </button>
      </form>
      {error && (
        <p class="error" role="alert">
          {m.somethingWrong} {error}
        </p>
      )}
      {report && (
        <div class="import-report" role="status">
          <p>{m.importCounts(report.rows, n(report.imported), n(report.updated), n(report.skipped), n(report.failed))}</p>
          {report.notices.map((notice) => (
            <p key={`${notice.code}-${notice.detail}`}>
              {notice.code === 'not_nps'
                ? m.importNoticeNotNps(n(notice.rows), notice.detail)
                : `${n(notice.rows)} × ${notice.code} ${notice.detail}`}
            </p>
          ))}
          {report.errors.length > 0 && (
            <table class="key-table">
              <caption>{m.importErrors}</caption>
              <thead>
                <tr>
                  <th scope="col">{m.importRow}</th>
                  <th scope="col">{m.importField}</th>
                  <th scope="col">{m.importReason}</th>
                </tr>
              </thead>
              <tbody>
                {report.errors.map((e) => (
                  <tr key={`${e.row}-${e.field}`}>
                    <td>{n(e.row)}</td>
                    <td>
                      <code dir="ltr">{e.field}</code>
                    </td>
                    <ImportProblem m={m} locale={locale} error={e} />
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}

/** The reason a row failed, in the dashboard's language; the server's English, kept left-to-right, when there is no word for it. */
function ImportProblem(props: { m: Messages; locale: Locale; error: ImportRowError }) {
  const text = importProblemText(props.m, props.locale, props.error);
  return text === null ? (
    <td dir="ltr" lang="en">
      {props.error.reason}
    </td>
  ) : (
    <td>{text}</td>
  );
}
