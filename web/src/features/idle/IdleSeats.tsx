import { useCallback, useEffect, useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, type IdleResults, type IdleSeat } from '../../api';
import { Alert } from '../../components/Alert';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, fullName, plural } from '../../format';
import { usePageTitle } from '../../hooks/usePageTitle';
import { ExportButton } from '../exports/ExportButton';
import './idle.css';

/** The views of the page: idle for 30, 60 or 90 days or more, or the exception list. */
const VIEWS = [
  { id: '30', label: '30+ days' },
  { id: '60', label: '60+ days' },
  { id: '90', label: '90+ days' },
  { id: 'exceptions', label: 'Exceptions' },
] as const;
type View = (typeof VIEWS)[number]['id'];

const PAGE = 50;
const MS_PER_DAY = 86_400_000;

function isView(v: string | null): v is View {
  return VIEWS.some((x) => x.id === v);
}

/** Whole days from a moment to now. */
export function daysSince(iso: string, now: Date = new Date()): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(iso).getTime()) / MS_PER_DAY));
}

/** The results of a remind or deactivate, as one sentence and the failures. */
export function summarize(results: IdleResults, done: string, names: Map<string, string>): { notice: string; errors: string[] } {
  const ok = results.results.filter((r) => r.ok).length;
  const errors = results.results
    .filter((r) => !r.ok)
    .map((r) => `${names.get(r.userId) ?? r.userId}: ${r.error?.message ?? 'it did not work'}`);
  return { notice: ok > 0 ? `${done} ${plural(ok, 'person', 'people')}.` : '', errors };
}

export function IdleSeats() {
  usePageTitle('Idle seats');
  const [params, setParams] = useSearchParams();
  const viewParam = params.get('view');
  const view: View = isView(viewParam) ? viewParam : '30';
  const exceptions = view === 'exceptions';
  const days = exceptions ? 30 : Number(view);

  const [items, setItems] = useState<IdleSeat[]>([]);
  const [next, setNext] = useState<string | undefined>();
  const [loading, setLoading] = useState<'initial' | 'more' | null>('initial');
  const [loadError, setLoadError] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [tick, setTick] = useState(0);
  const headingId = useId();
  const tabsId = useId();

  useEffect(() => {
    const ctrl = new AbortController();
    setLoading('initial');
    setLoadError('');
    api.idleSeats({ days, exceptions, limit: PAGE }, ctrl.signal).then(
      (page) => {
        setItems(page.items);
        setNext(page.nextCursor);
        setLoading(null);
        setSelected((s) => new Set([...s].filter((id) => page.items.some((it) => it.user.id === id))));
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        setLoadError(err instanceof Error ? err.message : String(err));
        setLoading(null);
      },
    );
    return () => ctrl.abort();
  }, [days, exceptions, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);

  async function loadMore() {
    if (!next) return;
    setLoading('more');
    try {
      const page = await api.idleSeats({ days, exceptions, limit: PAGE, cursor: next });
      setItems((old) => [...old, ...page.items]);
      setNext(page.nextCursor);
    } catch (err) {
      setLoadError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoading(null);
    }
  }

  function setView(v: View) {
    setSelected(new Set());
    setNotice('');
    setErrors([]);
    setParams(v === '30' ? new URLSearchParams() : new URLSearchParams({ view: v }), { replace: true });
  }

  function toggle(id: string, on: boolean) {
    setSelected((s) => {
      const n = new Set(s);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });
  }

  const names = new Map(items.map((it) => [it.user.id, fullName(it.user)]));
  const chosen = [...selected];

  async function run(what: 'remind' | 'deactivate') {
    setBusy(true);
    setNotice('');
    setErrors([]);
    try {
      const results = what === 'remind' ? await api.remindIdle(chosen) : await api.deactivateIdle(chosen);
      const s = summarize(results, what === 'remind' ? 'Reminder sent to' : 'Seat freed for', names);
      setNotice(s.notice);
      setErrors(s.errors);
      setSelected(new Set());
      reload();
    } catch (err) {
      setErrors([err instanceof Error ? err.message : String(err)]);
    } finally {
      setBusy(false);
    }
  }

  async function keep(seat: IdleSeat, on: boolean) {
    setBusy(true);
    setNotice('');
    setErrors([]);
    try {
      await api.keepSeat(seat.user.id, on);
      setNotice(
        on
          ? `${fullName(seat.user)} keeps their seat: they are on the exception list.`
          : `${fullName(seat.user)} is off the exception list.`,
      );
      reload();
    } catch (err) {
      setErrors([err instanceof Error ? err.message : String(err)]);
    } finally {
      setBusy(false);
    }
  }

  const allOnPage = items.length > 0 && items.every((it) => selected.has(it.user.id));

  return (
    <>
      <PageHeader
        title="Idle seats"
        titleId={headingId}
        subtitle={
          exceptions
            ? 'People who keep their seat however long they are idle.'
            : `People holding a seat with no sign-in, viewing or lab for ${days} days or more, the longest idle first.`
        }
        actions={
          <ExportButton label="Export" request={{ kind: 'idle-seats', days }} what={`Idle seats (${days}+ days)`} />
        }
      />

      <div role="status" aria-live="polite" className="idle-notice">
        {notice}
      </div>
      {errors.length > 0 ? (
        <Alert onDismiss={() => setErrors([])}>
          <ul className="idle-errors">
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </Alert>
      ) : null}

      <div className="card">
        <div className="toolbar idle-toolbar">
          <div className="idle-views" role="group" aria-labelledby={tabsId}>
            <span id={tabsId} className="toolbar-label">
              Show
            </span>
            {VIEWS.map((v) => (
              <button
                key={v.id}
                type="button"
                className={`button button-small${v.id === view ? ' button-selected' : ''}`}
                aria-pressed={v.id === view}
                onClick={() => setView(v.id)}
              >
                {v.label}
              </button>
            ))}
          </div>
          {!exceptions ? (
            <div className="idle-selection">
              <span className="muted" aria-live="polite">
                {chosen.length > 0 ? `${chosen.length} selected` : 'Select people to remind or deactivate'}
              </span>
              <button type="button" className="button" disabled={busy || chosen.length === 0} onClick={() => void run('remind')}>
                Remind
              </button>
              <button
                type="button"
                className="button button-danger"
                disabled={busy || chosen.length === 0}
                onClick={() => setConfirming(true)}
              >
                Deactivate
              </button>
            </div>
          ) : null}
        </div>

        {loadError ? (
          <div className="card-section">
            <LoadError what="idle seats" message={loadError} onRetry={reload} />
          </div>
        ) : null}

        <div className="table-wrap">
          <table className="table idle-table" aria-busy={loading === 'initial'}>
            <caption className="visually-hidden">{exceptions ? 'Exception list' : `Idle ${days}+ days`}</caption>
            <thead>
              <tr>
                {!exceptions ? (
                  <th scope="col" className="col-select">
                    <input
                      type="checkbox"
                      aria-label="Select everyone listed"
                      checked={allOnPage}
                      onChange={(e) => setSelected(e.target.checked ? new Set(items.map((it) => it.user.id)) : new Set())}
                    />
                  </th>
                ) : null}
                <th scope="col">Name</th>
                <th scope="col">Teams</th>
                <th scope="col">Last activity</th>
                <th scope="col">Idle</th>
                <th scope="col">Reminded</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((it) => (
                <IdleRow
                  key={it.user.id}
                  seat={it}
                  selectable={!exceptions}
                  selected={selected.has(it.user.id)}
                  busy={busy}
                  onToggle={(on) => toggle(it.user.id, on)}
                  onKeep={(on) => void keep(it, on)}
                />
              ))}
              {loading === null && items.length === 0 && !loadError ? (
                <tr>
                  <td colSpan={7}>
                    <EmptyState title={exceptions ? 'Nobody on the exception list' : 'No idle seats'}>
                      {exceptions
                        ? 'Use “Keep seat” on someone idle to keep their seat out of this list.'
                        : `Everyone holding a seat has been active in the last ${days} days.`}
                    </EmptyState>
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <div className="table-footer">
          <span className="muted">
            {items.length > 0 ? `Showing ${plural(items.length, 'person', 'people')}${next ? ', more below' : ''}` : ''}
          </span>
          {next ? (
            <button type="button" className="button" onClick={() => void loadMore()} disabled={loading === 'more'} aria-busy={loading === 'more'}>
              Load more
            </button>
          ) : null}
        </div>
      </div>

      {confirming ? (
        <ConfirmDialog
          title={`Deactivate ${plural(chosen.length, 'person', 'people')}?`}
          body={`${chosen.map((id) => names.get(id) ?? id).join(', ')} will lose their seat and be signed out. Their history is kept, and you can give a seat back later if one is free.`}
          confirmLabel="Deactivate"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void run('deactivate');
          }}
        />
      ) : null}
    </>
  );
}

function IdleRow({
  seat,
  selectable,
  selected,
  busy,
  onToggle,
  onKeep,
}: {
  seat: IdleSeat;
  selectable: boolean;
  selected: boolean;
  busy: boolean;
  onToggle: (on: boolean) => void;
  onKeep: (on: boolean) => void;
}) {
  const name = fullName(seat.user);
  const idle = daysSince(seat.idleSince);
  return (
    <tr className={selected ? 'row-selected' : undefined}>
      {selectable ? (
        <td className="col-select">
          <input type="checkbox" aria-label={`Select ${name}`} checked={selected} onChange={(e) => onToggle(e.target.checked)} />
        </td>
      ) : null}
      <td data-label="Name">
        <Link to={`/users/${encodeURIComponent(seat.user.id)}`}>
          <bdi>{name}</bdi>
        </Link>
        <div className="muted idle-email">{seat.user.email}</div>
      </td>
      <td data-label="Teams">{seat.teams.length > 0 ? seat.teams.map((t) => t.name).join(', ') : '—'}</td>
      <td data-label="Last activity">
        {seat.lastActiveAt
          ? formatDate(seat.lastActiveAt)
          : seat.invitedAt
            ? `Invited ${formatDate(seat.invitedAt)}, never signed in`
            : 'Never'}
      </td>
      <td data-label="Idle">{plural(idle, 'day')}</td>
      <td data-label="Reminded">{seat.remindedAt ? formatDate(seat.remindedAt) : '—'}</td>
      <td className="col-actions">
        <button type="button" className="button button-small" disabled={busy} onClick={() => onKeep(!seat.keepSeat)}>
          {seat.keepSeat ? 'Release' : 'Keep seat'}
          <span className="visually-hidden">{` for ${name}`}</span>
        </button>
      </td>
    </tr>
  );
}
