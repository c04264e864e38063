import { useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  api,
  DEFAULT_PAGE_SIZE,
  MAX_AUDIT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type AuditEntry,
  type AuditPage,
  type AuditQuery,
  type NewExport,
  type User,
} from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { Field } from '../../components/Field';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { fullName } from '../../format';
import { useDebounced } from '../../hooks/useDebounced';
import { useLoad } from '../../hooks/useLoad';
import { usePagedList } from '../../hooks/usePagedList';
import { usePageTitle } from '../../hooks/usePageTitle';
import { ExportButton } from '../exports/ExportButton';
import { AuditEntries } from './AuditEntries';
import { AUDIT_KIND_GROUPS } from './auditKinds';
import './audit.css';

const FILTERS = ['actorId', 'targetId', 'kind', 'from', 'to'] as const;
type Filters = Pick<AuditQuery, (typeof FILTERS)[number]>;

/** The operator tool's actor id (portalctl: the demo seed, opening the organization). */
const OPERATOR = 'operator';

/** The Audit log page: who changed what, newest first, filtered by the URL's query (so it can be linked to). */
export function AuditLog() {
  usePageTitle('Audit log');
  const id = useId();
  const [params, setParams] = useSearchParams();
  const filters: Filters = {};
  for (const f of FILTERS) {
    const v = params.get(f);
    if (v) filters[f] = v;
  }
  const rangeError = filters.from && filters.to && filters.from > filters.to ? 'The first day must not be after the last.' : undefined;
  const list = usePagedList<AuditEntry, AuditPage>(
    (page) => (rangeError ? Promise.resolve({ items: [] }) : api.audit({ ...filters, ...page })),
    [filters.actorId, filters.targetId, filters.kind, filters.from, filters.to, rangeError],
    { pageSize: DEFAULT_PAGE_SIZE, maxPageSize: MAX_AUDIT_PAGE_SIZE },
  );
  const admins = useLoad((signal) => api.users({ status: 'admins', limit: MAX_PAGE_SIZE }, signal), []);

  function set(name: (typeof FILTERS)[number], value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  }

  const exportRequest: NewExport = { kind: 'audit' };
  if (filters.actorId) exportRequest.actorId = filters.actorId;
  if (filters.targetId) exportRequest.targetId = filters.targetId;
  if (filters.kind) exportRequest.auditKind = filters.kind;
  if (filters.from) exportRequest.from = filters.from;
  if (filters.to) exportRequest.to = filters.to;
  const filtered = FILTERS.some((f) => filters[f]);

  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every change made by an admin, newest first: who, what, to whom, and from where. Entries cannot be changed or deleted."
        actions={<ExportButton label="Export to Excel" request={exportRequest} what="Audit log" />}
      />
      <section className="card card-padded" aria-labelledby={`${id}-filters`}>
        <h2 id={`${id}-filters`} className="visually-hidden">
          Filters
        </h2>
        <div className="audit-filters">
          <div className="field">
            <label htmlFor={`${id}-actor`} className="field-label">
              Done by
            </label>
            <select id={`${id}-actor`} className="input select" value={filters.actorId ?? ''} onChange={(e) => set('actorId', e.target.value)}>
              <option value="">Anyone</option>
              {(admins.data?.items ?? []).map((u) => (
                <option key={u.id} value={u.id}>
                  {fullName(u)}
                </option>
              ))}
              <option value={OPERATOR}>ProPortal operator</option>
              {filters.actorId && filters.actorId !== OPERATOR && !admins.data?.items.some((u) => u.id === filters.actorId) ? (
                <option value={filters.actorId}>Someone no longer an admin</option>
              ) : null}
            </select>
          </div>
          <PersonFilter targetId={filters.targetId} onChange={(v) => set('targetId', v)} />
          <div className="field">
            <label htmlFor={`${id}-kind`} className="field-label">
              What
            </label>
            <select id={`${id}-kind`} className="input select" value={filters.kind ?? ''} onChange={(e) => set('kind', e.target.value)}>
              <option value="">Any change</option>
              {AUDIT_KIND_GROUPS.map((g) => (
                <optgroup key={g.label} label={g.label}>
                  {g.kinds.map((k) => (
                    <option key={k.kind} value={k.kind}>
                      {k.label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
          <Field label="From" type="date" value={filters.from ?? ''} max={filters.to} onChange={(e) => set('from', e.target.value)} error={rangeError} />
          <Field label="To" type="date" value={filters.to ?? ''} min={filters.from} onChange={(e) => set('to', e.target.value)} />
        </div>
        {filtered ? (
          <button type="button" className="link-button" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            Clear the filters
          </button>
        ) : null}
      </section>
      <section className="card card-padded" aria-labelledby={`${id}-entries`} aria-busy={list.loading === 'initial' || list.loading === 'refresh'}>
        <h2 id={`${id}-entries`} className="card-title">
          Entries
        </h2>
        {list.error ? <LoadError what="audit log" message={list.error} onRetry={() => void list.reload()} /> : null}
        {list.loading === 'initial' ? <p className="muted">Loading the audit log…</p> : null}
        {list.loading !== 'initial' && !list.error && list.items.length === 0 && !list.nextCursor ? (
          <EmptyState title={filtered ? 'No entries match these filters' : 'No changes yet'}>
            {filtered ? 'Try a wider date range, or clear the filters.' : 'Changes admins make (invites, seats, admin rights, teams…) will be listed here.'}
          </EmptyState>
        ) : null}
        {list.items.length > 0 ? <AuditEntries entries={list.items} label="Audit entries, newest first" /> : null}
        {list.nextCursor ? (
          <div className="table-footer">
            <button type="button" className="button" onClick={list.loadMore} disabled={list.loading === 'more'} aria-busy={list.loading === 'more'}>
              {list.loading === 'more' ? 'Loading…' : 'Load more'}
            </button>
          </div>
        ) : null}
      </section>
    </>
  );
}

/** The "About a person" filter: search people by name or email and pick one; the picked one shows with a way to clear it. */
function PersonFilter({ targetId, onChange }: { targetId: string | undefined; onChange: (id: string) => void }) {
  const id = useId();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const picked = useLoad((signal) => (targetId ? api.user(targetId, signal) : Promise.resolve(null)), [targetId]);
  const matches = useLoad(
    (signal) => (q && !targetId ? api.users({ status: 'all', q, limit: 5 }, signal).then((p) => p.items) : Promise.resolve([] as User[])),
    [q, targetId],
  );
  if (targetId) {
    const name = picked.status === 'done' && picked.data ? `${fullName(picked.data)} (${picked.data.email})` : picked.status === 'error' ? 'A person no longer here' : '…';
    return (
      <div className="field">
        <span className="field-label" id={`${id}-label`}>
          About
        </span>
        <div className="audit-picked" aria-labelledby={`${id}-label`} role="group">
          <span className="audit-picked-name">{name}</span>
          <button type="button" className="button button-small" onClick={() => onChange('')} aria-label={`Clear the person filter (${name})`}>
            Clear
          </button>
        </div>
      </div>
    );
  }
  const results = matches.data ?? [];
  return (
    <div className="field audit-person">
      <Field
        label="About a person"
        type="search"
        placeholder="Name or email"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        aria-controls={q ? `${id}-matches` : undefined}
        autoComplete="off"
      />
      {q ? (
        <ul id={`${id}-matches`} className="audit-matches" aria-label="Matching people">
          {results.length === 0 && matches.status === 'done' ? <li className="muted">Nobody matches “{q}”.</li> : null}
          {results.map((u) => (
            <li key={u.id}>
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setSearch('');
                  onChange(u.id);
                }}
              >
                {fullName(u)} <span className="muted">{u.email}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
