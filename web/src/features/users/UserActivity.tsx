import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError, type UserActivity as ActivityData } from '../../api';
import { AccessBadges, StatusBadge } from '../../components/Badge';
import { Card } from '../../components/Card';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Skeleton';
import { formatDate, formatDateTime, fullName } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { usePageTitle } from '../../hooks/usePageTitle';
import { UserAssignmentList } from '../assignments/UserAssignmentList';
import './users.css';

export function UserActivity() {
  const { userId = '' } = useParams();
  const load = useLoad((signal) => api.activity(userId, signal), [userId]);
  const notFound = load.status === 'error' && load.error instanceof ApiError && load.error.status === 404;
  const name = load.status === 'done' ? fullName(load.data.user) : notFound ? 'User not found' : load.status === 'error' ? 'Activity' : '';
  usePageTitle(name ? `${name} · Users` : 'Users');

  // One heading element throughout, so the focus put on it after navigation stays.
  const title =
    load.status === 'loading' ? (
      <>
        <Skeleton width="14rem" height="1.1em" />
        <span className="visually-hidden">Loading</span>
      </>
    ) : (
      name
    );
  const subtitle =
    load.status === 'done' ? (
      <span className="person-meta">
        <span>{load.data.user.email}</span>
        <StatusBadge status={load.data.user.status} />
        <AccessBadges seat={load.data.user.seat} admin={load.data.user.admin} />
      </span>
    ) : load.status === 'loading' ? (
      <Skeleton width="20rem" height="1em" />
    ) : undefined;

  return (
    <>
      <p className="back-link">
        <Link to="/users">
          <span aria-hidden="true">← </span>All users
        </Link>
      </p>
      <PageHeader title={title} subtitle={subtitle} />
      {load.status === 'done' ? <ActivityBody data={load.data} onTeamsChanged={load.reload} /> : null}
      {load.status === 'loading' ? (
        <div className="grid-2" aria-busy="true" aria-label="Loading activity">
          <div className="card card-padded card-skeleton" />
          <div className="card card-padded card-skeleton" />
        </div>
      ) : null}
      {notFound ? (
        <div className="card card-padded">
          <p>There is no such user in your organization. They may have been removed, or the link may be mistyped.</p>
          <p>
            <Link to="/users">Go to all users</Link>
          </p>
        </div>
      ) : load.status === 'error' ? (
        <LoadError what="activity" message={load.error.message} onRetry={load.reload} />
      ) : null}
    </>
  );
}

function ActivityBody({ data, onTeamsChanged }: { data: ActivityData; onTeamsChanged: () => void }) {
  const { user } = data;
  return (
    <div className="stack">
      <div className="grid-2">
        <Section title="Sign-ins" count={data.logins.length}>
          {data.logins.length === 0 ? (
            <p className="muted empty-line">
              {user.status === 'invited'
                ? 'No sign-ins yet: they have not created a password.'
                : 'No sign-ins yet.'}
            </p>
          ) : (
            <ul className="plain-list">
              {data.logins.map((l, i) => (
                <li key={`${l.at}-${i}`}>
                  <time dateTime={l.at}>{formatDateTime(l.at)}</time>
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section title="Teams" count={data.teams.length}>
          {data.teams.length === 0 ? (
            <p className="muted empty-line">Not in a team.</p>
          ) : (
            <ul className="plain-list">
              {data.teams.map((t) => (
                <li key={t.id}>
                  <Link to={`/teams/${encodeURIComponent(t.id)}`}>{t.name}</Link>
                </li>
              ))}
            </ul>
          )}
          <AddToTeam data={data} onAdded={onTeamsChanged} />
        </Section>
      </div>
      <Section title="Episodes viewed completely" count={data.viewedCompletely.length}>
        <ItemList items={data.viewedCompletely} empty="No episodes watched to the end yet." />
      </Section>
      <Section title="In progress" count={data.inProgress.length}>
        <ItemList items={data.inProgress} empty="Nothing in progress. Episodes they start will show here." />
      </Section>
      <div className="grid-2">
        <Section title="Labs" count={data.labs.length}>
          <ItemList items={data.labs} empty="No labs yet." />
        </Section>
        <UserAssignmentsSection userId={user.id} />
      </div>
    </div>
  );
}

/** The person's assignments, with their progress in each (GET /api/users/{id}/assignments). */
function UserAssignmentsSection({ userId }: { userId: string }) {
  const load = useLoad((signal) => api.userAssignments(userId, signal), [userId]);
  return (
    <Section title="Assignments" count={load.data?.items.length ?? 0}>
      {load.status === 'error' ? <LoadError what="assignments" message={load.error.message} onRetry={load.reload} /> : null}
      {load.status === 'loading' ? <Skeleton height={40} /> : null}
      {load.status === 'done' ? <UserAssignmentList items={load.data.items} /> : null}
    </Section>
  );
}

/** Puts the person in one more team: a choice of the teams they are not in. */
function AddToTeam({ data, onAdded }: { data: ActivityData; onAdded: () => void }) {
  const selectId = useId();
  const teams = useLoad((signal) => api.teams(signal), []);
  const [teamId, setTeamId] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  if (data.user.status !== 'active') {
    return <p className="muted add-to-team-note">Only active people can join a team.</p>;
  }
  const choices = teams.status === 'done' ? teams.data.filter((t) => !t.deleting && !data.teams.some((m) => m.id === t.id)) : [];
  if (teams.status === 'done' && choices.length === 0) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!teamId) return;
    setBusy(true);
    setMessage('');
    try {
      await api.addMembers(teamId, [data.user.id]);
      setTeamId('');
      onAdded();
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="add-to-team" onSubmit={(e) => void submit(e)}>
      <label htmlFor={selectId} className="field-label">
        Add to a team
      </label>
      <div className="add-to-team-row">
        <select id={selectId} className="input select" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
          <option value="">Choose a team</option>
          {choices.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        <button type="submit" className="button" disabled={!teamId || busy} aria-busy={busy}>
          Add
        </button>
      </div>
      {message ? (
        <p role="alert" className="field-error">
          {message}
        </p>
      ) : null}
    </form>
  );
}

function Section({ title, count, children }: { title: string; count: number; children: ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <Card titleId={id} title={title} className="section" aside={count > 0 ? <span className="count-pill">{count}</span> : null}>
      {children}
    </Card>
  );
}

/**
 * One item of an activity list. The API sends these lists empty for now (its
 * Go type is `any`); the fields here are the ones the page shows when present.
 */
type ActivityItem = Partial<Record<'id' | 'title' | 'name' | 'at', unknown>>;

/** A list of activity items; their shape grows with later issues, so this shows what it finds. */
function ItemList({ items, empty }: { items: readonly unknown[]; empty: string }) {
  if (items.length === 0) return <p className="muted empty-line">{empty}</p>;
  return (
    <ul className="plain-list">
      {items.map((raw, i) => {
        const item = (raw ?? {}) as ActivityItem;
        const label = typeof item.title === 'string' ? item.title : typeof item.name === 'string' ? item.name : `Item ${i + 1}`;
        return (
          <li key={typeof item.id === 'string' ? item.id : i} className="plain-list-row">
            <span>{label}</span>
            {typeof item.at === 'string' ? <span className="muted">{formatDate(item.at)}</span> : null}
          </li>
        );
      })}
    </ul>
  );
}
