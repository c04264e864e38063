import { Link, useLocation } from 'react-router';
import { api, type Team } from '../../api';
import { Badge } from '../../components/Badge';
import { EmptyState } from '../../components/EmptyState';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Skeleton';
import { plural } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { usePageTitle } from '../../hooks/usePageTitle';
import './teams.css';

/** What a page that sends here after a change says (the team deleted). */
export interface TeamsNotice {
  notice?: string;
}

/** Every team of the organization with its member counts. */
export function Teams() {
  usePageTitle('Teams');
  const load = useLoad((signal) => api.teams(signal), []);
  const notice = (useLocation().state as TeamsNotice | null)?.notice;

  return (
    <>
      <PageHeader
        title="Teams"
        subtitle={load.status === 'done' ? plural(load.data.length, 'team') : <Skeleton width="6rem" height="1em" />}
        actions={
          <Link to="/teams/new" className="button button-primary">
            <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 20 20">
              <path d="M10 4v12M4 10h12" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
            </svg>
            New team
          </Link>
        }
      />
      {notice ? (
        <p role="status" className="notice notice-success">
          {notice}
        </p>
      ) : null}
      {load.status === 'error' ? <LoadError what="teams" message={load.error.message} onRetry={load.reload} /> : null}
      <div className="card">
        {load.status === 'loading' ? (
          <div className="card-section" aria-busy="true">
            <Skeleton width="60%" />
          </div>
        ) : null}
        {load.status === 'done' && load.data.length === 0 ? (
          <EmptyState
            title="No teams yet"
            action={
              <Link to="/teams/new" className="button">
                Create a team
              </Link>
            }
          >
            Group people into teams to filter the user list and assign learning to them.
          </EmptyState>
        ) : null}
        {load.status === 'done' && load.data.length > 0 ? (
          <ul className="team-list" aria-label="Teams">
            {load.data.map((t) => (
              <TeamRow key={t.id} team={t} />
            ))}
          </ul>
        ) : null}
      </div>
    </>
  );
}

function TeamRow({ team }: { team: Team }) {
  const m = team.members;
  return (
    <li className="team-row">
      <Link to={`/teams/${encodeURIComponent(team.id)}`} className="team-name">
        <bdi>{team.name}</bdi>
      </Link>
      {team.deleting ? <Badge tone="red">Being deleted</Badge> : null}
      <span className="team-stat">
        <span className="team-stat-value">
          {m.active} / {m.total}
        </span>{' '}
        <span className="muted">active members</span>
      </span>
      <span className="team-stat">
        <span className="team-stat-value">{team.assignmentCompletion != null ? `${team.assignmentCompletion}%` : '—'}</span>{' '}
        <span className="muted">assignments completed</span>
      </span>
    </li>
  );
}
