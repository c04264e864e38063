import { useId } from 'react';
import { Link } from 'react-router';
import { api, type AuditEntry, type AuditPage } from '../../api';
import { LoadError } from '../../components/LoadError';
import { usePagedList } from '../../hooks/usePagedList';
import { AuditEntries } from './AuditEntries';

const PAGE = 10;

/** A person's page's "History": the audit entries about them, newest first. */
export function UserHistory({ userId, name }: { userId: string; name: string }) {
  const id = useId();
  const list = usePagedList<AuditEntry, AuditPage>((page) => api.audit({ targetId: userId, ...page }), [userId], {
    pageSize: PAGE,
    maxPageSize: PAGE * 5,
  });
  return (
    <section className="card card-padded" aria-labelledby={`${id}-title`} aria-busy={list.loading === 'initial'}>
      <div className="card-header">
        <h2 id={`${id}-title`} className="card-title">
          History
        </h2>
        <Link to={`/audit?targetId=${encodeURIComponent(userId)}`}>Open in the audit log</Link>
      </div>
      {list.error ? <LoadError what="history" message={list.error} onRetry={() => void list.reload()} /> : null}
      {list.loading === 'initial' ? <p className="muted">Loading the history…</p> : null}
      {list.loading !== 'initial' && !list.error && list.items.length === 0 && !list.nextCursor ? (
        <p className="muted">No changes to {name} are recorded yet.</p>
      ) : null}
      {list.items.length > 0 ? <AuditEntries entries={list.items} label={`Changes to ${name}, newest first`} withTarget={false} /> : null}
      {list.nextCursor ? (
        <div className="table-footer">
          <button type="button" className="button" onClick={list.loadMore} disabled={list.loading === 'more'}>
            {list.loading === 'more' ? 'Loading…' : 'Show older changes'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
