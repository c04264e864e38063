import { useState } from 'react';
import { api, DEFAULT_EXPORT_DAYS, MAX_EXPORT_DAYS, type Export, type ExportKind } from '../../api';
import { Card } from '../../components/Card';
import { Field } from '../../components/Field';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatDateTime, plural } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { usePageTitle } from '../../hooks/usePageTitle';
import { ScheduledReports } from '../schedules/ScheduledReports';
import { ExportStatus } from './ExportStatus';
import { download, useExport } from './useExport';
import './exports.css';

/** The organization-wide reports, as the Reports page offers them. */
const REPORTS: { kind: ExportKind; title: string; what: string }[] = [
  { kind: 'viewings', title: 'Viewings', what: 'Every episode watched in the range: who, what, when, how long, and whether it was completed.' },
  { kind: 'assignments', title: 'Assignments', what: 'Every open assignment’s people and where they stand today (the range does not apply).' },
  { kind: 'labs', title: 'Labs', what: 'Every lab started or completed in the range, with scores.' },
  { kind: 'logins', title: 'Logins', what: 'Every sign-in in the range.' },
];

/** What each kind of export is called in the list. */
export const KIND_NAMES: Record<ExportKind, string> = {
  'user-activity': 'Activity of a person',
  'team-activity': 'Activity of a team',
  'assignment-activity': 'Activity of an assignment',
  viewings: 'Viewings',
  assignments: 'Assignments',
  labs: 'Labs',
  logins: 'Logins',
  'idle-seats': 'Idle seats',
  audit: 'Audit log',
};

function isoDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The days a range covers, both included; NaN when a day is missing. */
function rangeDays(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
}

/** The Reports page: four organization-wide exports over a date range, and the recent exports. */
export function Reports() {
  usePageTitle('Reports');
  const today = new Date();
  const [from, setFrom] = useState(isoDay(new Date(today.getFullYear(), today.getMonth(), today.getDate() - (DEFAULT_EXPORT_DAYS - 1))));
  const [to, setTo] = useState(isoDay(today));
  const recent = useLoad((signal) => api.exports(signal), []);
  const days = rangeDays(from, to);
  const rangeError =
    !from || !to
      ? 'Choose the first and the last day.'
      : days < 1
        ? 'The first day must not be after the last.'
        : days > MAX_EXPORT_DAYS
          ? `A report covers at most ${MAX_EXPORT_DAYS} days; choose a shorter range.`
          : undefined;
  return (
    <>
      <PageHeader title="Reports" subtitle="Excel workbooks of your organization’s activity. Files are kept for 7 days." />
      <Card titleId="reports-range" title="Date range">
        <div className="reports-range">
          <Field label="From" type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} error={rangeError && days < 1 ? rangeError : undefined} />
          <Field label="To" type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} error={rangeError && days >= 1 ? rangeError : undefined} />
          {!rangeError ? <p className="muted">{plural(days, 'day')}, in your organization’s time zone.</p> : null}
        </div>
      </Card>
      <div className="reports-grid">
        {REPORTS.map((r) => (
          <ReportCard key={r.kind} kind={r.kind} title={r.title} what={r.what} from={from} to={to} blocked={rangeError} onFinished={recent.reload} />
        ))}
      </div>
      <ScheduledReports />
      <Card titleId="recent-exports" title="Recent exports">
        {recent.status === 'error' ? <LoadError what="recent exports" message={recent.error.message} onRetry={recent.reload} /> : null}
        {recent.status === 'done' ? <RecentExports list={recent.data} /> : null}
        {recent.status === 'loading' ? <p className="muted" aria-busy="true">Loading the recent exports…</p> : null}
      </Card>
    </>
  );
}

function ReportCard({
  kind,
  title,
  what,
  from,
  to,
  blocked,
  onFinished,
}: {
  kind: ExportKind;
  title: string;
  what: string;
  from: string;
  to: string;
  blocked: string | undefined;
  onFinished: () => void;
}) {
  const { state, start } = useExport(onFinished);
  const busy = state.phase === 'starting' || state.phase === 'running';
  const request = kind === 'assignments' ? { kind } : { kind, from, to };
  return (
    <section className="card card-padded report-card" aria-labelledby={`report-${kind}`}>
      <h2 id={`report-${kind}`} className="card-title">
        {title}
      </h2>
      <p className="muted">{what}</p>
      <button
        type="button"
        className="button button-primary"
        onClick={() => start(request)}
        disabled={busy || (kind !== 'assignments' && blocked !== undefined)}
        aria-describedby={`report-${kind}`}
      >
        {busy ? 'Exporting…' : `Download ${title}`}
      </button>
      <ExportStatus state={state} label={title} onRetry={() => start(request)} />
    </section>
  );
}

/** The organization's latest exports, newest first, each downloadable again while kept. */
function RecentExports({ list }: { list: Export[] }) {
  const [fetching, setFetching] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (list.length === 0) return <p className="muted">No exports yet. Exports from any page appear here for 7 days.</p>;
  function again(e: Export) {
    setFetching(e.id);
    setError(null);
    api.exportById(e.id).then(
      (fresh) => {
        setFetching(null);
        if (fresh.downloadUrl) download(fresh.downloadUrl);
        else setError('That file is no longer available. Make the export again.');
      },
      (err: unknown) => {
        setFetching(null);
        setError(err instanceof Error ? err.message : 'The file could not be fetched. Try again.');
      },
    );
  }
  return (
    <>
      {error ? (
        <p role="alert" className="field-error">
          {error}
        </p>
      ) : null}
      <table className="table data-table">
        <caption className="visually-hidden">Recent exports</caption>
        <thead>
          <tr>
            <th scope="col">Report</th>
            <th scope="col">Days</th>
            <th scope="col">Asked for</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Download</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((e) => (
            <tr key={e.id}>
              <td data-label="Report">{KIND_NAMES[e.kind]}</td>
              <td data-label="Days">
                {formatDate(e.from)} – {formatDate(e.to)}
              </td>
              <td data-label="Asked for">
                <time dateTime={e.createdAt}>{formatDateTime(e.createdAt)}</time>
              </td>
              <td data-label="Status">
                {e.status === 'done'
                  ? `Ready, ${plural(e.rows, 'row')}`
                  : e.status === 'failed'
                    ? `Failed: ${e.error ?? 'try again'}`
                    : e.status === 'running'
                      ? `Writing (${Math.round(e.progress * 100)}%)`
                      : 'Waiting to start'}
              </td>
              <td data-label="">
                {e.status === 'done' ? (
                  <button type="button" className="button button-small" onClick={() => again(e)} disabled={fetching === e.id}>
                    Download<span className="visually-hidden"> {e.fileName}</span>
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
