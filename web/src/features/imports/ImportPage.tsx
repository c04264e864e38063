import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ApiError, type Import, type ImportRow } from '../../api';
import { Alert } from '../../components/Alert';
import { Badge, type BadgeTone } from '../../components/Badge';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { PageHeader } from '../../components/PageHeader';
import { plural } from '../../format';
import { usePageTitle } from '../../hooks/usePageTitle';
import './imports.css';

/** The columns a template has, and two rows that show what each takes. */
const TEMPLATE =
  'first name,last name,email,access,team,action\r\n' +
  'Ada,Lovelace,ada@example.com,subscription,Engineering,\r\n' +
  'Grace,Hopper,grace@example.com,both,,\r\n' +
  ',,leaver@example.com,,,deactivate\r\n';

const TEMPLATE_URL = `data:text/csv;charset=utf-8,${encodeURIComponent(TEMPLATE)}`;

const OUTCOME: Record<string, { label: string; tone: BadgeTone }> = {
  invite: { label: 'New invite', tone: 'blue' },
  access_added: { label: 'Access added', tone: 'green' },
  team_changed: { label: 'Team changed', tone: 'violet' },
  deactivate: { label: 'Deactivated', tone: 'amber' },
  no_change: { label: 'No change', tone: 'grey' },
  error: { label: 'Error', tone: 'red' },
};

const RESULT: Record<string, { label: string; tone: BadgeTone }> = {
  invited: { label: 'Invited', tone: 'blue' },
  access_added: { label: 'Access added', tone: 'green' },
  team_changed: { label: 'Team changed', tone: 'violet' },
  deactivated: { label: 'Deactivated', tone: 'amber' },
  no_change: { label: 'No change', tone: 'grey' },
  skipped: { label: 'Skipped', tone: 'red' },
  seat_limit_reached: { label: 'No seat left', tone: 'red' },
  failed: { label: 'Failed', tone: 'red' },
};

/** How often the page asks how far an import is while the job applies it. */
const POLL_MS = 1000;

/**
 * Users → Import CSV: upload a file, read its dry run (what each row would
 * do, and whether the seats suffice), apply it, follow the job and download
 * the result file. ?id= names the import, so a reload keeps the page.
 */
export function ImportPage() {
  usePageTitle('Import people');
  const headingId = useId();
  const fileId = useId();
  const [params, setParams] = useSearchParams();
  const importId = params.get('id') ?? '';
  const [file, setFile] = useState<File | null>(null);
  const [imp, setImp] = useState<Import | null>(null);
  const [rows, setRows] = useState<ImportRow[]>([]);
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState<'' | 'upload' | 'apply' | 'more'>('');
  const [error, setError] = useState<ApiError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [errorsOnly, setErrorsOnly] = useState(false);
  const applyRef = useRef<HTMLButtonElement>(null);

  // Load the import named in the address (a reload, or after the upload).
  useEffect(() => {
    if (!importId) {
      setImp(null);
      setRows([]);
      return;
    }
    const ctl = new AbortController();
    api
      .importById(importId, '', ctl.signal)
      .then((got) => {
        setImp(got);
        setRows(got.rows);
        setNext(got.nextCursor ?? '');
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError) setError(err);
      });
    return () => ctl.abort();
  }, [importId]);

  // While the job applies it, ask how far it is; once done, read the rows' results.
  const applying = imp?.status === 'applying';
  useEffect(() => {
    if (!applying || !importId) return;
    const timer = window.setInterval(() => {
      api
        .importById(importId)
        .then((got) => {
          setImp(got);
          if (got.status !== 'applying') {
            setRows(got.rows);
            setNext(got.nextCursor ?? '');
          }
        })
        .catch(() => undefined);
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [applying, importId]);

  async function upload(e: FormEvent) {
    e.preventDefault();
    if (!file) {
      setError(new ApiError(400, 'validation_failed', 'Choose a CSV file first.'));
      return;
    }
    setBusy('upload');
    setError(null);
    try {
      const got = await api.createImport(file, file.name);
      setImp(got);
      setRows(got.rows);
      setNext(got.nextCursor ?? '');
      setParams({ id: got.id }, { replace: false });
    } catch (err) {
      if (err instanceof ApiError) setError(err);
    } finally {
      setBusy('');
    }
  }

  async function apply() {
    if (!imp) return;
    setConfirming(false);
    setBusy('apply');
    setError(null);
    try {
      setImp(await api.applyImport(imp.id));
    } catch (err) {
      if (err instanceof ApiError) setError(err);
    } finally {
      setBusy('');
    }
  }

  async function loadMore() {
    if (!imp || !next) return;
    setBusy('more');
    try {
      const got = await api.importById(imp.id, next);
      setRows((r) => [...r, ...got.rows]);
      setNext(got.nextCursor ?? '');
    } catch (err) {
      if (err instanceof ApiError) setError(err);
    } finally {
      setBusy('');
    }
  }

  function startOver() {
    setParams({});
    setFile(null);
    setError(null);
  }

  const changes = imp ? imp.counts.invite + imp.counts.accessAdded + imp.counts.teamChanged + imp.counts.deactivate : 0;
  const shown = errorsOnly ? rows.filter((r) => r.outcome === 'error' || (r.result && !RESULT_OK.has(r.result))) : rows;
  const done = imp?.status === 'done';

  return (
    <>
      <PageHeader
        title="Import people from a CSV"
        titleId={headingId}
        subtitle={
          <span>
            Invite people, change their access, move them into teams or take seats back, many at once. First a dry run
            shows what would happen; nothing changes until you apply it.
          </span>
        }
        actions={
          <Link to="/users" className="button">
            Back to Users
          </Link>
        }
      />

      {error ? (
        <Alert title="That did not work" onDismiss={() => setError(null)}>
          <p>{error.message}</p>
          {Object.keys(error.fields).length ? (
            <ul className="plain-list">
              {Object.entries(error.fields).map(([field, problem]) => (
                <li key={field}>
                  {field === 'file' ? 'The file ' : `${field}: `}
                  {problem}
                </li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}

      {!imp ? (
        <Card titleId={`${headingId}-upload`} title="1. Upload a file">
          <form className="import-upload" onSubmit={upload}>
            <div className="field">
              <label htmlFor={fileId} className="field-label">
                CSV file
              </label>
              <input
                id={fileId}
                type="file"
                accept=".csv,text/csv"
                className="input"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                aria-describedby={`${fileId}-hint`}
              />
              <p id={`${fileId}-hint`} className="field-hint">
                Up to 5,000 rows and 1 MiB; UTF-8 (with or without a byte order mark), cells separated by commas or
                semicolons. The first line names the columns, in any order and any case.
              </p>
            </div>
            <div className="import-upload-actions">
              <button type="submit" className="button button-primary" disabled={busy === 'upload'} aria-busy={busy === 'upload'}>
                {busy === 'upload' ? 'Checking…' : 'Run a dry run'}
              </button>
              <a className="button" href={TEMPLATE_URL} download="proportal-import-template.csv">
                Download a template
              </a>
            </div>
          </form>
          <dl className="import-columns">
            <dt>email</dt>
            <dd>Required. Who the row is about.</dd>
            <dt>first name, last name</dt>
            <dd>Needed to invite someone new; ignored for people already here.</dd>
            <dt>access</dt>
            <dd>subscription (a seat), admin, both, or none (take the seat back). Empty: a seat for new people, unchanged for others. Access is only ever added.</dd>
            <dt>team</dt>
            <dd>A team's name: the person joins it (and stays in their other teams).</dd>
            <dt>action</dt>
            <dd>invite, update or deactivate. Empty: invite new people, update the others.</dd>
          </dl>
        </Card>
      ) : (
        <>
          <ImportSummary imp={imp} />

          <div className="import-actions">
            {imp.status === 'dry_run' ? (
              <>
                <button
                  ref={applyRef}
                  type="button"
                  className="button button-primary"
                  disabled={busy === 'apply' || changes === 0}
                  onClick={() => setConfirming(true)}
                >
                  {`Apply ${plural(changes, 'change')}`}
                </button>
                <span className="muted">{`Apply within the hour (by ${new Date(imp.applyBy).toLocaleTimeString()}), or upload again.`}</span>
              </>
            ) : null}
            <button type="button" className="button" onClick={startOver}>
              Upload another file
            </button>
          </div>

          {imp.status !== 'dry_run' ? <ImportProgressView imp={imp} /> : null}

          <section className="card" aria-labelledby={`${headingId}-rows`}>
            <div className="card-header card-padded import-rows-header">
              <h2 id={`${headingId}-rows`} className="card-title">
                {done ? 'What each row did' : 'What each row would do'}
              </h2>
              <label className="checkbox">
                <input type="checkbox" checked={errorsOnly} onChange={(e) => setErrorsOnly(e.target.checked)} /> Only rows with
                problems
              </label>
            </div>
            <div className="table-wrap">
              <table className="table import-table" aria-labelledby={`${headingId}-rows`}>
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    <th scope="col">Email</th>
                    <th scope="col">Name</th>
                    <th scope="col">{done ? 'Result' : 'Outcome'}</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((r) => (
                    <RowView key={r.row} row={r} done={done} />
                  ))}
                </tbody>
              </table>
            </div>
            {next ? (
              <div className="table-footer">
                <span className="muted">{`${rows.length} of ${imp.progress.total} rows shown`}</span>
                <button type="button" className="button" onClick={loadMore} disabled={busy === 'more'} aria-busy={busy === 'more'}>
                  Show more rows
                </button>
              </div>
            ) : null}
          </section>
        </>
      )}

      {confirming && imp ? (
        <ConfirmDialog
          title={`Apply ${plural(changes, 'change')}?`}
          body={`${plural(imp.counts.invite, 'person', 'people')} will be invited and mailed, ${imp.counts.accessAdded} get more access, ${imp.counts.teamChanged} join a team, ${imp.counts.deactivate} lose their seat. Rows with errors are skipped.`}
          confirmLabel="Apply"
          onConfirm={apply}
          onCancel={() => setConfirming(false)}
          returnFocus={() => applyRef.current}
        />
      ) : null}
    </>
  );
}

const RESULT_OK = new Set(['invited', 'access_added', 'team_changed', 'deactivated', 'no_change']);

/** The dry run's figures: outcomes and the seat arithmetic. */
function ImportSummary({ imp }: { imp: Import }) {
  const { seats, counts } = imp;
  const net = seats.needed - seats.freed;
  return (
    <div className="import-summary">
      <Card titleId="import-seats" title="Seats">
        <dl className="import-seats">
          <div>
            <dt>Needed</dt>
            <dd>{seats.needed}</dd>
          </div>
          <div>
            <dt>Freed</dt>
            <dd>{seats.freed}</dd>
          </div>
          <div>
            <dt>Free now</dt>
            <dd>{`${seats.free} of ${seats.total}`}</dd>
          </div>
        </dl>
        {seats.fits ? (
          <p className="import-fits">{`It fits: ${net > 0 ? plural(net, 'seat') : 'no seat'} more in use, ${seats.free - Math.max(net, 0)} left free.`}</p>
        ) : (
          <Alert tone="warning" title="Not enough seats">
            <p>{`The rows need ${net} seats more than they free, and ${seats.free} are free. Rows past the last free seat will be reported "No seat left", not applied. Free seats or add some first.`}</p>
          </Alert>
        )}
      </Card>
      <Card titleId="import-counts" title={`${imp.fileName}: ${plural(imp.progress.total, 'row')}`}>
        <ul className="badge-list import-counts">
          <li><Badge tone="blue">{plural(counts.invite, 'new invite')}</Badge></li>
          <li><Badge tone="green">{`${counts.accessAdded} access added`}</Badge></li>
          <li><Badge tone="violet">{plural(counts.teamChanged, 'team change')}</Badge></li>
          <li><Badge tone="amber">{plural(counts.deactivate, 'deactivation')}</Badge></li>
          <li><Badge tone="grey">{`${counts.noChange} no change`}</Badge></li>
          <li><Badge tone="red">{plural(counts.error, 'error')}</Badge></li>
        </ul>
      </Card>
    </div>
  );
}

/** Applying: a progress bar; done: the results and the result file. */
function ImportProgressView({ imp }: { imp: Import }) {
  const pct = imp.progress.total ? Math.round((imp.progress.done / imp.progress.total) * 100) : 0;
  if (imp.status === 'applying') {
    return (
      <div className="import-progress" role="status" aria-live="polite">
        <p>{`Applying: ${imp.progress.done} of ${imp.progress.total} rows done.`}</p>
        <div
          className="export-meter"
          role="progressbar"
          aria-label="Import progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
          aria-valuetext={`${pct}%`}
        >
          <div className="export-meter-fill" style={{ width: `${Math.max(pct, 3)}%` }} />
        </div>
      </div>
    );
  }
  if (imp.status === 'failed') {
    return (
      <Alert title="The import stopped">
        <p>{imp.error || 'The rows applied so far stay applied; upload the rest again.'}</p>
      </Alert>
    );
  }
  const r = imp.results;
  return (
    <div className="import-progress" role="status" aria-live="polite">
      <p>
        {r
          ? `Done: ${r.invited} invited, ${r.accessAdded} given access, ${r.teamChanged} moved, ${r.deactivated} deactivated, ${r.noChange} unchanged; ${r.skipped + r.seatLimitReached + r.failed} not applied.`
          : 'Done.'}{' '}
        {imp.resultUrl ? (
          <a href={imp.resultUrl} className="export-link" download>
            Download the result file
          </a>
        ) : null}
      </p>
    </div>
  );
}

function RowView({ row, done }: { row: ImportRow; done: boolean }) {
  const badge = done && row.result ? RESULT[row.result] : OUTCOME[row.outcome];
  const name = [row.firstName, row.lastName].filter(Boolean).join(' ');
  const detail = done && row.result ? row.resultMessage || row.detail : row.error ? row.error.message : row.detail;
  return (
    <tr className={row.outcome === 'error' ? 'import-row-error' : undefined}>
      <td className="col-row">{row.row}</td>
      <td className="col-email">{row.email}</td>
      <td className="col-name">{name}</td>
      <td className="col-outcome">{badge ? <Badge tone={badge.tone}>{badge.label}</Badge> : row.outcome}</td>
      <td className="col-detail">
        {row.error && !done ? <strong>{`${row.error.field}: `}</strong> : null}
        {detail}
      </td>
    </tr>
  );
}
