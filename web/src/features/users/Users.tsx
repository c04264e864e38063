import { useEffect, useId, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, type StatusFilter as Status, type Team, type User } from '../../api';
import { ActionsMenu } from '../../components/ActionsMenu';
import { Alert } from '../../components/Alert';
import { AccessBadges, StatusBadge } from '../../components/Badge';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Skeleton';
import { fullName, formatLastSignIn } from '../../format';
import { useDebounced } from '../../hooks/useDebounced';
import { useLoad } from '../../hooks/useLoad';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useMe, useSession } from '../../session';
import { InviteDialog, type InviteOutcome } from './InviteDialog';
import { isStatusFilter, StatusFilter } from './StatusFilter';
import { actionsFor, runAction, type UserAction, type UserActionId } from './userActions';
import { usePagedUsers } from './usePagedUsers';
import './users.css';

const SEARCH_DELAY_MS = 250;
/** How long a result message shows, unless the pointer or focus is on it. */
export const TOAST_MS = 6000;
const SKELETON_ROWS = 8;

const actionButtonId = (userId: string) => `actions-${userId}`;

export function Users() {
  usePageTitle('Users');
  const me = useMe();
  const { refresh: refreshSession } = useSession();
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const status: Status = isStatusFilter(statusParam) ? statusParam : 'all';
  const teamId = params.get('team') ?? '';
  // The address holds the filters; the search box writes its text there once typing pauses.
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const settled = useDebounced(search.trim(), SEARCH_DELAY_MS);

  const list = usePagedUsers({ status, teamId, q });
  const teams = useLoad((signal) => api.teams(signal), []);
  const teamList: Team[] = teams.status === 'done' ? teams.data : [];

  const [notice, setNotice] = useState('');
  const [toastHeld, setToastHeld] = useState(false);
  useEffect(() => {
    if (!notice || toastHeld) return;
    const timer = window.setTimeout(() => setNotice(''), TOAST_MS);
    return () => window.clearTimeout(timer);
  }, [notice, toastHeld]);
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<{ user: User; action: UserAction } | null>(null);
  const [inviting, setInviting] = useState(false);
  const inviteButtonRef = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  const statusLabelId = useId();
  const teamSelectId = useId();
  const searchId = useId();

  const paramsRef = useRef(params);
  paramsRef.current = params;
  useEffect(() => {
    if ((paramsRef.current.get('q') ?? '') === settled) return;
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (settled) next.set('q', settled);
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
    // Only a new settled search writes the address (setParams changes with every address).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled]);

  function setFilter(key: 'status' | 'team', value: string) {
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value && !(key === 'status' && value === 'all')) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  }

  function clearFilters() {
    setSearch('');
    setParams(new URLSearchParams(), { replace: true });
  }

  function focusActions(userId: string) {
    // After the list reloads the row may be gone (it no longer matches the filter).
    requestAnimationFrame(() => {
      const button = document.getElementById(actionButtonId(userId));
      if (button) button.focus();
      else document.getElementById(headingId)?.focus();
    });
  }

  async function perform(user: User, id: Exclude<UserActionId, 'activity'>) {
    setBusyId(user.id);
    setError(null);
    setNotice('');
    try {
      const outcome = await runAction(id, user);
      if (outcome.user) list.replace(outcome.user);
      setNotice(outcome.message);
      if (id === 'removeAdmin' && user.id === me.user.id) {
        // The admin took away their own rights: the portal is no longer theirs.
        await refreshSession();
        return;
      }
      await list.reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusyId(null);
      if (document.activeElement === document.body || document.activeElement === null) focusActions(user.id);
    }
  }

  function onSelect(user: User, id: string) {
    if (id === 'activity') return;
    const action = actionsFor(user, viewerOf(user)).find((a) => a.id === id);
    if (!action) return;
    if (action.confirm) setConfirming({ user, action });
    else void perform(user, action.id as Exclude<UserActionId, 'activity'>);
  }

  function onInvited(outcome: InviteOutcome) {
    setInviting(false);
    setError(null);
    setNotice('');
    if (outcome.mailFailed) {
      setError(`${outcome.mailFailed} The person is on the list as invited: use “Resend invite” from their actions.`);
    } else if (outcome.result) {
      const { user, created, changed } = outcome.result;
      setNotice(
        created
          ? `Invitation sent to ${user.email}.`
          : changed
            ? `${fullName(user)} already had an account; the access was added.`
            : `${fullName(user)} already had this access; nothing changed and no mail was sent.`,
      );
    }
    void list.reload();
  }

  const { counts } = list;
  const viewerOf = (u: User) => ({ isMe: u.id === me.user.id, admins: counts?.admins });
  const filtered = status !== 'all' || teamId !== '' || q !== '';
  // The API counts the whole organization (a constant number of reads whatever its
  // size); with a team or a search on, the tabs say so rather than seem to count the list.
  const narrowed = teamId !== '' || q !== '';

  return (
    <>
      <PageHeader
        title="Users"
        titleId={headingId}
        subtitle={
          counts ? (
            <span>{`${counts.seatsUsed} of ${counts.seatsTotal} seats in use`}</span>
          ) : (
            <Skeleton width="12rem" height="1em" />
          )
        }
        actions={
          <>
            <Link to="/users/import" className="button">
              Import CSV
            </Link>
            <button
              ref={inviteButtonRef}
              type="button"
              className="button button-primary"
              onClick={() => {
                setNotice('');
                setInviting(true);
              }}
            >
              <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 20 20">
                <path d="M10 4v12M4 10h12" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
              </svg>
              Invite people
            </button>
          </>
        }
      />

      {/* Results of actions, read out politely; always in the page so they are announced. */}
      {/* It goes after TOAST_MS (held while hovered or focused) and when a row menu opens,
          so it never covers the controls. */}
      <div
        className={`toast${notice ? ' toast-visible' : ''}`}
        onMouseEnter={() => setToastHeld(true)}
        onMouseLeave={() => setToastHeld(false)}
        onFocus={() => setToastHeld(true)}
        onBlur={() => setToastHeld(false)}
      >
        <div role="status" aria-live="polite" className="toast-text">
          {notice}
        </div>
        {notice ? (
          <button type="button" className="button button-quiet button-small toast-close" onClick={() => setNotice('')}>
            Dismiss
          </button>
        ) : null}
      </div>

      {error ? (
        <Alert onDismiss={() => setError(null)}>{error}</Alert>
      ) : null}

      <div className="card">
        <div className="toolbar">
          <div className="toolbar-group">
            <span id={statusLabelId} className="toolbar-label">
              Status
            </span>
            <StatusFilter
              value={status}
              counts={counts}
              onChange={(v) => setFilter('status', v)}
              labelId={statusLabelId}
              wholeOrganization={narrowed}
            />
            {narrowed ? <p className="toolbar-note">Counts are for the whole organization, not this team or search.</p> : null}
          </div>
          <div className="toolbar-group">
            <label htmlFor={teamSelectId} className="toolbar-label">
              Team
            </label>
            <select id={teamSelectId} className="input select" value={teamId} onChange={(e) => setFilter('team', e.target.value)}>
              <option value="">All teams</option>
              {teamList.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
          <div className="toolbar-group toolbar-search">
            <label htmlFor={searchId} className="toolbar-label">
              Search users
            </label>
            <input
              id={searchId}
              type="search"
              className="input"
              placeholder="Name or email"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          </div>
        </div>

        {list.error ? (
          <div className="card-section">
            <LoadError what="users" message={list.error} onRetry={() => void list.reload()} />
          </div>
        ) : null}

        <div className="table-wrap">
          <table className="table users-table" aria-busy={list.loading === 'initial' || list.loading === 'refresh'}>
            <caption className="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col" className="col-name">
                  Name
                </th>
                <th scope="col" className="col-email">
                  Email
                </th>
                <th scope="col" className="col-status">
                  Status
                </th>
                <th scope="col" className="col-access">
                  Access
                </th>
                <th scope="col" className="col-login">
                  Last sign-in
                </th>
                <th scope="col" className="col-actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className={list.loading === 'refresh' ? 'is-refreshing' : undefined}>
              {list.loading === 'initial' && list.items.length === 0
                ? Array.from({ length: SKELETON_ROWS }, (_, i) => <SkeletonRow key={i} />)
                : list.items.map((u) => (
                    <UserRow
                      key={u.id}
                      user={u}
                      isMe={u.id === me.user.id}
                      admins={counts?.admins}
                      busy={busyId === u.id}
                      onSelect={(id) => onSelect(u, id)}
                      onMenuOpen={() => setNotice('')}
                    />
                  ))}
              {list.loading === null && list.items.length === 0 && !list.error ? (
                <tr>
                  <td colSpan={6}>
                    <EmptyState
                      title="No users match"
                      action={
                        filtered ? (
                          <button type="button" className="button" onClick={clearFilters}>
                            Clear filters
                          </button>
                        ) : null
                      }
                    >
                      {filtered
                        ? 'Nobody matches this status, team and search. Clear the filters to see everyone.'
                        : 'Invite people to give them a seat or admin rights.'}
                    </EmptyState>
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>

        <div className="table-footer">
          <span className="muted">
            {list.items.length > 0
              ? `Showing ${list.items.length} ${list.items.length === 1 ? 'user' : 'users'}${narrowed ? ` that match${list.items.length === 1 ? 'es' : ''} this ${teamId && q ? 'team and search' : teamId ? 'team' : 'search'}` : ''}${list.nextCursor ? ', more below' : ''}`
              : ''}
          </span>
          {list.nextCursor ? (
            <button type="button" className="button" onClick={list.loadMore} disabled={list.loading === 'more'} aria-busy={list.loading === 'more'}>
              Load more
            </button>
          ) : null}
        </div>
      </div>

      {confirming && confirming.action.confirm ? (
        <ConfirmDialog
          title={confirming.action.confirm.title}
          body={confirming.action.confirm.body}
          confirmLabel={confirming.action.confirm.button}
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            const { user, action } = confirming;
            setConfirming(null);
            void perform(user, action.id as Exclude<UserActionId, 'activity'>);
          }}
          returnFocus={() => document.getElementById(actionButtonId(confirming.user.id))}
        />
      ) : null}

      {inviting ? (
        <InviteDialog
          teams={teamList}
          counts={counts}
          onClose={() => setInviting(false)}
          onDone={onInvited}
          returnFocus={() => inviteButtonRef.current}
        />
      ) : null}
    </>
  );
}

function UserRow({
  user,
  isMe,
  admins,
  busy,
  onSelect,
  onMenuOpen,
}: {
  user: User;
  isMe: boolean;
  admins?: number;
  busy: boolean;
  onSelect: (id: string) => void;
  onMenuOpen: () => void;
}) {
  const name = fullName(user);
  const items = actionsFor(user, { isMe, admins }).map((a) => ({
    id: a.id,
    label: a.label,
    danger: Boolean(a.confirm),
    ...(a.id === 'activity' ? { to: `/users/${encodeURIComponent(user.id)}` } : {}),
  }));
  return (
    <tr aria-busy={busy || undefined} className={busy ? 'row-busy' : undefined}>
      <td className="col-name">
        <div className="person">
          <span className="avatar" aria-hidden="true">
            {(user.firstName[0] ?? '') + (user.lastName[0] ?? '')}
          </span>
          <Link to={`/users/${encodeURIComponent(user.id)}`} className="person-name" title={name}>
            <bdi>{name}</bdi>
          </Link>
          {isMe ? <span className="you">You</span> : null}
        </div>
      </td>
      <td className="col-email" title={user.email}>
        {user.email}
      </td>
      <td className="col-status">
        <StatusBadge status={user.status} />
      </td>
      <td className="col-access">
        <AccessBadges seat={user.seat} admin={user.admin} />
      </td>
      <td className="col-login">{formatLastSignIn(user.lastLoginAt)}</td>
      <td className="col-actions">
        <ActionsMenu
          label={`Actions for ${name}`}
          buttonId={actionButtonId(user.id)}
          items={items}
          onSelect={onSelect}
          onOpen={onMenuOpen}
        />
      </td>
    </tr>
  );
}

function SkeletonRow() {
  return (
    <tr className="row-skeleton" aria-hidden="true">
      <td>
        <div className="person">
          <span className="avatar avatar-skeleton" />
          <Skeleton width="8rem" />
        </div>
      </td>
      <td>
        <Skeleton width="11rem" />
      </td>
      <td>
        <Skeleton width="4rem" />
      </td>
      <td>
        <Skeleton width="5rem" />
      </td>
      <td>
        <Skeleton width="6rem" />
      </td>
      <td />
    </tr>
  );
}
