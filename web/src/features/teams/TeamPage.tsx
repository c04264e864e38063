import { useId, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, MAX_TEAM_NAME_LENGTH, type TeamChange, type TeamDetail, type User } from '../../api';
import { Alert } from '../../components/Alert';
import { Badge, StatusBadge } from '../../components/Badge';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { Field } from '../../components/Field';
import { LoadError } from '../../components/LoadError';
import { Modal } from '../../components/Modal';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Skeleton';
import { fullName, plural, possessive } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { usePageTitle } from '../../hooks/usePageTitle';
import { usePagedUsers } from '../users/usePagedUsers';
import { AssignmentList } from '../assignments/AssignmentList';
import { ExportButton } from '../exports/ExportButton';
import { ChangeProgress } from './ChangeProgress';
import { TeamActivity } from './TeamActivity';
import { nameProblem } from './NewTeam';
import { PeoplePicker } from './PeoplePicker';
import type { TeamsNotice } from './Teams';
import './teams.css';

const removeButtonId = (userId: string) => `remove-${userId}`;

/** One team: its members (any status), and renaming, adding, removing and deleting. */
export function TeamPage() {
  const { teamId = '' } = useParams();
  const navigate = useNavigate();
  const load = useLoad((signal) => api.team(teamId, signal), [teamId]);
  const members = usePagedUsers({ status: 'all', teamId, q: '' });
  const notFound = load.status === 'error' && load.error instanceof ApiError && load.error.status === 404;
  const team = load.status === 'done' ? load.data : undefined;
  usePageTitle(team ? `${team.name} · Teams` : 'Teams');

  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  const [change, setChange] = useState<TeamChange | null>(null);
  const [dialog, setDialog] = useState<'rename' | 'add' | 'delete' | null>(null);
  const [removing, setRemoving] = useState<User | null>(null);
  const headingId = useId();
  const actionsRef = useRef<HTMLDivElement>(null);

  // The change to follow: one this page started, or the team's latest.
  const shown = change ?? team?.lastChange ?? null;

  function refresh() {
    load.reload();
    void members.reload();
  }

  function onChangeEnd(c: TeamChange) {
    if (c.kind === 'delete' && c.status === 'done') {
      const state: TeamsNotice = { notice: `The team ${team?.name ?? ''} was deleted; its people are still users.` };
      navigate('/teams', { state });
      return;
    }
    if (c.status === 'done') setNotice(c.kind === 'delete' ? 'Everyone was taken out.' : `${plural(c.done, 'person', 'people')} added.`);
    refresh();
  }

  async function started(run: () => Promise<{ change: TeamChange; running: boolean }>) {
    setError('');
    setNotice('');
    try {
      const { change: c } = await run();
      setChange(c);
      if (c.status !== 'running') onChangeEnd(c);
      else refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  async function remove(u: User) {
    setRemoving(null);
    setError('');
    setNotice('');
    try {
      await api.removeMember(teamId, u.id);
      setNotice(`${fullName(u)} is no longer in ${team?.name ?? 'the team'}.`);
      refresh();
      requestAnimationFrame(() => document.getElementById(headingId)?.focus());
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  const memberIds = new Set(members.items.map((u) => u.id));
  const deleting = team?.deleting ?? false;
  return (
    <>
      <p className="back-link">
        <Link to="/teams">
          <span aria-hidden="true">← </span>All teams
        </Link>
      </p>
      <PageHeader
        titleId={headingId}
        title={team ? <bdi>{team.name}</bdi> : notFound ? 'Team not found' : load.status === 'error' ? 'Team' : <Skeleton width="12rem" height="1.1em" />}
        subtitle={
          team ? (
            <span className="person-meta">
              <span>
                {team.members.active} / {team.members.total} active members
              </span>
              {team.members.inactive > 0 ? <span className="muted">{team.members.inactive} deactivated</span> : null}
              {deleting ? <Badge tone="red">Being deleted</Badge> : null}
            </span>
          ) : undefined
        }
        actions={
          team ? (
            <div className="page-actions-row" ref={actionsRef}>
              <button type="button" className="button button-primary" onClick={() => setDialog('add')} disabled={deleting}>
                Add people
              </button>
              <button type="button" className="button" onClick={() => setDialog('rename')} disabled={deleting}>
                Rename
              </button>
              <button type="button" className="button button-danger" onClick={() => setDialog('delete')}>
                Delete team
              </button>
              <ExportButton label="Team Activity" what={`${possessive(team.name)} activity`} request={{ kind: 'team-activity', teamId: team.id }} />
            </div>
          ) : undefined
        }
      />
      <div role="status" aria-live="polite" className="notice-slot">
        {notice ? <p className="notice notice-success">{notice}</p> : null}
      </div>
      {error ? <Alert onDismiss={() => setError('')}>{error}</Alert> : null}
      {notFound ? (
        <div className="card card-padded">
          <p>There is no such team in your organization. It may have been deleted, or the link may be mistyped.</p>
          <p>
            <Link to="/teams">Go to all teams</Link>
          </p>
        </div>
      ) : load.status === 'error' ? (
        <LoadError what="team" message={load.error.message} onRetry={load.reload} />
      ) : null}

      {shown && team ? (
        <ChangeProgress
          change={shown}
          onEnd={onChangeEnd}
          onRetry={(c) =>
            void started(() =>
              c.kind === 'delete' ? api.deleteTeam(teamId) : api.addMembers(teamId, c.failed.map((f) => f.userId)),
            )
          }
        />
      ) : null}

      {team ? <TeamActivity teamId={teamId} teamName={team.name} /> : null}

      {team ? (
        <section className="card" aria-labelledby={`${headingId}-members`}>
          <div className="card-header">
            <h2 id={`${headingId}-members`} className="card-title">
              Members
            </h2>
          </div>
          {members.error ? (
            <div className="card-section">
              <LoadError what="members" message={members.error} onRetry={() => void members.reload()} />
            </div>
          ) : null}
          {members.loading === null && members.items.length === 0 && !members.error ? (
            <EmptyState
              title="Nobody in this team yet"
              action={
                deleting ? null : (
                  <button type="button" className="button" onClick={() => setDialog('add')}>
                    Add people
                  </button>
                )
              }
            />
          ) : (
            <ul className="member-list" aria-label={`Members of ${team.name}`} aria-busy={members.loading !== null}>
              {members.items.map((u) => (
                <li key={u.id} className={`member-row${u.status === 'inactive' ? ' member-inactive' : ''}`}>
                  <span className="member-person">
                    <Link to={`/users/${encodeURIComponent(u.id)}`} className="person-name">
                      <bdi>{fullName(u)}</bdi>
                    </Link>
                    <span className="muted member-email">{u.email}</span>
                  </span>
                  <StatusBadge status={u.status} />
                  {u.status === 'inactive' ? <span className="muted member-note">Deactivated; still a member</span> : null}
                  <button
                    id={removeButtonId(u.id)}
                    type="button"
                    className="button button-small"
                    aria-label={`Remove ${fullName(u)} from ${team.name}`}
                    onClick={() => setRemoving(u)}
                    disabled={deleting}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )}
          {members.nextCursor ? (
            <div className="table-footer">
              <span className="muted">{`Showing ${members.items.length} of ${team.members.total}`}</span>
              <button type="button" className="button" onClick={members.loadMore} disabled={members.loading === 'more'}>
                Load more
              </button>
            </div>
          ) : null}
        </section>
      ) : null}

      {team ? <TeamAssignments teamId={teamId} teamName={team.name} /> : null}

      {team && dialog === 'rename' ? (
        <RenameDialog
          team={team}
          onClose={() => setDialog(null)}
          onRenamed={(name) => {
            setDialog(null);
            setNotice(`The team is now called ${name}.`);
            refresh();
          }}
        />
      ) : null}
      {team && dialog === 'add' ? (
        <AddPeopleDialog
          team={team}
          members={memberIds}
          onClose={() => setDialog(null)}
          onAdd={(ids) => {
            setDialog(null);
            void started(() => api.addMembers(teamId, ids));
          }}
        />
      ) : null}
      {team && dialog === 'delete' ? (
        <ConfirmDialog
          title={`Delete ${team.name}?`}
          body={`The team goes; its ${plural(team.members.total, 'member', 'members')} stay users, and their history stays in reports.`}
          confirmLabel="Delete team"
          onCancel={() => setDialog(null)}
          onConfirm={() => {
            setDialog(null);
            void started(() => api.deleteTeam(teamId));
          }}
        />
      ) : null}
      {team && removing ? (
        <ConfirmDialog
          title={`Remove ${fullName(removing)} from ${team.name}?`}
          body="They stay a user, with their history; only their membership of this team ends."
          confirmLabel="Remove"
          onCancel={() => setRemoving(null)}
          onConfirm={() => void remove(removing)}
          returnFocus={() => document.getElementById(removeButtonId(removing.id))}
        />
      ) : null}
    </>
  );
}

function RenameDialog({ team, onClose, onRenamed }: { team: TeamDetail; onClose: () => void; onRenamed: (name: string) => void }) {
  const [name, setName] = useState(team.name);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const p = nameProblem(name);
    setProblem(p);
    if (p) return;
    setBusy(true);
    try {
      const t = await api.renameTeam(team.id, name.trim());
      onRenamed(t.name);
    } catch (err) {
      setProblem(err instanceof ApiError && err.fields['name'] ? err.message : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title={`Rename ${team.name}`} onClose={onClose} size="small">
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <Field
          label="Team name"
          hint={`Unique in your organization, up to ${MAX_TEAM_NAME_LENGTH} characters.`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={problem || undefined}
          autoComplete="off"
        />
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
            Rename
          </button>
        </div>
      </form>
    </Modal>
  );
}

function AddPeopleDialog({
  team,
  members,
  onClose,
  onAdd,
}: {
  team: TeamDetail;
  members: ReadonlySet<string>;
  onClose: () => void;
  onAdd: (userIds: string[]) => void;
}) {
  const [picked, setPicked] = useState<Map<string, User>>(new Map());
  return (
    <Modal title={`Add people to ${team.name}`} onClose={onClose}>
      <div className="stack">
        <PeoplePicker selected={picked} onChange={setPicked} members={members} />
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button button-primary" disabled={picked.size === 0} onClick={() => onAdd([...picked.keys()])}>
            {picked.size === 0 ? 'Add' : `Add ${plural(picked.size, 'person', 'people')}`}
          </button>
        </div>
      </div>
    </Modal>
  );
}

/** The open assignments the team was given, with their progress. */
function TeamAssignments({ teamId, teamName }: { teamId: string; teamName: string }) {
  const headingId = useId();
  const load = useLoad((signal) => api.teamAssignments(teamId, signal), [teamId]);
  return (
    <section className="card team-assignments" aria-labelledby={headingId}>
      <div className="card-header">
        <h2 id={headingId} className="card-title">
          Assignments
        </h2>
      </div>
      {load.status === 'error' ? <LoadError what="assignments" message={load.error.message} onRetry={load.reload} /> : null}
      {load.status === 'loading' ? <Skeleton height={40} /> : null}
      {load.status === 'done' ? (
        <AssignmentList
          assignments={load.data.items}
          empty={`${teamName} has no open assignments. Assign a learning module to the team from the Assignments page.`}
        />
      ) : null}
    </section>
  );
}
