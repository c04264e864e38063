import { useEffect, useId, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { api, type ModuleSummary } from '../../api';
import { Alert } from '../../components/Alert';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Skeleton';
import { formatDate, plural } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { usePageTitle } from '../../hooks/usePageTitle';
import { summary } from './builder';
import './modules.css';

/** What the builder tells the list after a save or delete. */
export interface ModulesNotice {
  notice?: string;
}

const cardId = (id: string) => `module-${id}`;

/** The organization's learning modules: what each holds, and what can be done with it. */
export function Modules() {
  usePageTitle('Learning modules');
  const location = useLocation();
  const modules = useLoad((signal) => api.modules(signal), []);
  const [notice, setNotice] = useState((location.state as ModulesNotice | null)?.notice ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<ModuleSummary | null>(null);
  const headingId = useId();

  useEffect(() => {
    if (!notice) return;
    const timer = window.setTimeout(() => setNotice(''), 6000);
    return () => window.clearTimeout(timer);
  }, [notice]);

  async function duplicate(m: ModuleSummary) {
    setBusyId(m.id);
    setError(null);
    try {
      const copy = await api.duplicateModule(m.id);
      setNotice(`Copied “${m.name}” as “${copy.name}”.`);
      modules.reload();
      requestAnimationFrame(() => document.querySelector<HTMLElement>(`#${cardId(copy.id)} a`)?.focus());
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusyId(null);
    }
  }

  async function remove(m: ModuleSummary) {
    setDeleting(null);
    setBusyId(m.id);
    setError(null);
    try {
      await api.deleteModule(m.id);
      setNotice(`Deleted “${m.name}”.`);
      modules.reload();
      document.getElementById(headingId)?.focus();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusyId(null);
    }
  }

  const list = modules.status === 'done' ? modules.data : [];
  return (
    <>
      <PageHeader
        title="Learning modules"
        titleId={headingId}
        subtitle="Collections of courses, episodes, labs and practice exams from the catalog, ready to assign."
        actions={
          <Link to="/modules/new" className="button button-primary">
            <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 20 20">
              <path d="M10 4v12M4 10h12" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
            </svg>
            New module
          </Link>
        }
      />
      <div role="status" aria-live="polite" className={notice ? 'notice notice-success' : 'status-inline'}>
        {notice}
      </div>
      {error ? <Alert onDismiss={() => setError(null)}>{error}</Alert> : null}
      {modules.status === 'error' ? (
        <LoadError what="modules" message={modules.error.message} onRetry={modules.reload} />
      ) : null}

      {modules.status === 'loading' ? (
        <ul className="module-list" aria-busy="true">
          {[0, 1, 2].map((i) => (
            <li key={i} className="card card-padded module-card">
              <Skeleton width="60%" height="1.2em" />
              <Skeleton width="90%" height="1em" />
            </li>
          ))}
        </ul>
      ) : null}

      {modules.status === 'done' && list.length === 0 ? (
        <div className="card">
          <EmptyState title="No learning modules yet" action={<Link to="/modules/new" className="button">Build a module</Link>}>
            Pick courses, single episodes, labs and practice exams from the catalog, put them in order, and assign the
            module to people with a due date.
          </EmptyState>
        </div>
      ) : null}

      {list.length > 0 ? (
        <ul className="module-list" aria-labelledby={headingId}>
          {list.map((m) => (
            <li key={m.id} id={cardId(m.id)} className="card card-padded module-card" aria-busy={busyId === m.id || undefined}>
              <h2 className="module-card-title">
                <Link to={`/modules/${encodeURIComponent(m.id)}`}>{m.name}</Link>
              </h2>
              {m.description ? <p className="module-card-description">{m.description}</p> : null}
              <p className="module-card-meta">
                <span>{summary(m.itemCount, m.seconds)}</span>
                <span>{m.assignments > 0 ? `In ${plural(m.assignments, 'assignment')}` : 'Not assigned'}</span>
                <span>Updated {formatDate(m.updatedAt)}</span>
              </p>
              <div className="module-card-actions">
                <Link to={`/modules/${encodeURIComponent(m.id)}`} className="button button-small" aria-label={`Edit ${m.name}`}>
                  Edit
                </Link>
                <button
                  type="button"
                  className="button button-small"
                  disabled={busyId !== null}
                  onClick={() => void duplicate(m)}
                  aria-label={`Duplicate ${m.name}`}
                >
                  Duplicate
                </button>
                <button
                  type="button"
                  className="button button-small button-quiet module-delete"
                  disabled={busyId !== null}
                  onClick={() => setDeleting(m)}
                  aria-label={`Delete ${m.name}`}
                  id={`delete-${m.id}`}
                >
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ul>
      ) : null}

      {deleting ? (
        <ConfirmDialog
          title={`Delete “${deleting.name}”?`}
          body={deleteWarning(deleting)}
          confirmLabel="Delete module"
          onCancel={() => setDeleting(null)}
          onConfirm={() => void remove(deleting)}
          returnFocus={() => document.getElementById(`delete-${deleting.id}`)}
        />
      ) : null}
    </>
  );
}

/** What deleting a module means, said before it happens. */
export function deleteWarning(m: Pick<ModuleSummary, 'assignments'>): string {
  if (m.assignments > 0) {
    return (
      `It is used by ${plural(m.assignments, 'assignment')}. ${m.assignments === 1 ? 'That assignment keeps' : 'Those assignments keep'} ` +
      'their own copy of its items, so progress stays readable, but the module can no longer be assigned or edited. This cannot be undone.'
    );
  }
  return 'It is not assigned to anyone. This cannot be undone.';
}
